/* InstanceNorm: every (n, c) plane of S elements is one group; weight and
 * bias are per channel.  Running statistics, as torch.nn.functional does:
 * the batch average of the per-plane mean and unbiased variance. */
#include "normlab.h"
#include "running_stats.h"

void nl_instance_norm(const float *x, float *y, size_t N, size_t C, size_t S, const float *w,
                      const float *b, float *running_mean, float *running_var,
                      int use_input_stats, double momentum, double eps, double *stats_out) {
  for (size_t c = 0; c < C; c++) {
    double mean_sum = 0.0, var_sum = 0.0;
    for (size_t n = 0; n < N; n++) {
      const size_t base = (n * C + c) * S;
      nl_moments m;
      if (use_input_stats) {
        m = nl_group_moments(x + base, S, 1, 0);
        mean_sum += m.mean;
        var_sum += m.var * (double)S / (double)(S - 1);
      } else {
        m = (nl_moments){running_mean[c], running_var[c]};
      }
      const double rstd = nl_rstd(m.var, eps);
      const float scale = (float)(w ? rstd * w[c] : rstd);
      nl_normalize_span(x + base, y + base, S, m.mean, scale, b ? b[c] : 0.0f);
      if (stats_out) {
        stats_out[2 * (n * C + c)] = m.mean;
        stats_out[2 * (n * C + c) + 1] = m.var;
      }
    }
    if (use_input_stats && N > 0 && S > 0)
      nl_update_running(running_mean, running_var, c, mean_sum / N, var_sum / N, momentum);
  }
}
