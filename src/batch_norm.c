/* BatchNorm: channel c across all N samples and S positions is one group
 * (N spans of S elements, C*S apart); weight and bias are per channel. */
#include "normlab.h"
#include "running_stats.h"

void nl_batch_norm(const float *x, float *y, size_t N, size_t C, size_t S, const float *w,
                   const float *b, float *running_mean, float *running_var, int training,
                   double momentum, double eps, double *stats_out) {
  const size_t count = N * S;
  for (size_t c = 0; c < C; c++) {
    nl_moments m;
    if (training) {
      if (count == 0) continue; /* empty batch: nothing to normalize, buffers kept */
      m = nl_group_moments(x + c * S, S, N, C * S);
      nl_update_running(running_mean, running_var, c, m.mean,
                        m.var * (double)count / (double)(count - 1), momentum);
    } else {
      m = (nl_moments){running_mean[c], running_var[c]};
    }
    const double rstd = nl_rstd(m.var, eps);
    const float scale = (float)(w ? rstd * w[c] : rstd);
    for (size_t n = 0; n < N; n++) {
      const size_t base = (n * C + c) * S;
      nl_normalize_span(x + base, y + base, S, m.mean, scale, b ? b[c] : 0.0f);
    }
    nl_store_stats(stats_out, c, m);
  }
}
