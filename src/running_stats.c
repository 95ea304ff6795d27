/* The running-statistics update shared by BatchNorm and InstanceNorm:
 * running = (1 - momentum) * running + momentum * observed, where the
 * observed variance is unbiased (var * n / (n - 1)), as torch does. */
#include "running_stats.h"

void nl_update_running(float *running_mean, float *running_var, size_t c, double mean,
                       double unbiased_var, double momentum) {
  if (running_mean) running_mean[c] = (float)((1.0 - momentum) * running_mean[c] + momentum * mean);
  if (running_var)
    running_var[c] = (float)((1.0 - momentum) * running_var[c] + momentum * unbiased_var);
}
