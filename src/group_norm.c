/* GroupNorm: the C/G consecutive channels of group g of sample n are one
 * contiguous group of (C/G)*S elements; weight and bias are per channel. */
#include "normlab.h"

void nl_group_norm(const float *x, float *y, size_t N, size_t C, size_t S, size_t G,
                   const float *w, const float *b, double eps, double *stats_out) {
  const size_t cg = C / G;
  for (size_t n = 0; n < N; n++) {
    for (size_t g = 0; g < G; g++) {
      const size_t base = (n * C + g * cg) * S;
      const nl_moments m = nl_group_moments(x + base, cg * S, 1, 0);
      const double rstd = nl_rstd(m.var, eps);
      for (size_t k = 0; k < cg; k++) {
        const size_t c = g * cg + k;
        const float scale = (float)(w ? rstd * w[c] : rstd);
        nl_normalize_span(x + base + k * S, y + base + k * S, S, m.mean, scale, b ? b[c] : 0.0f);
      }
      if (stats_out) {
        stats_out[2 * (n * G + g)] = m.mean;
        stats_out[2 * (n * G + g) + 1] = m.var;
      }
    }
  }
}
