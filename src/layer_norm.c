/* LayerNorm: each row of n trailing elements is one group; the optional
 * weight and bias have one value per element of the row. */
#include "normlab.h"

void nl_layer_norm(const float *x, float *y, size_t rows, size_t n, const float *w,
                   const float *b, double eps, double *stats_out) {
  nl_chunk ch = {0};
  while (nl_next_chunk(x, rows, n, &ch)) {
    for (size_t j = 0; j < ch.count; j++) {
      const size_t r = ch.first + j;
      const nl_moments m = ch.m[j];
      const float rstd = (float)nl_rstd(m.var, eps);
      if (w)
        nl_normalize_affine(x + r * n, y + r * n, n, m.mean, rstd, w, b);
      else
        nl_normalize_span(x + r * n, y + r * n, n, m.mean, rstd, 0.0f);
      if (stats_out) {
        stats_out[2 * r] = m.mean;
        stats_out[2 * r + 1] = m.var;
      }
    }
  }
}
