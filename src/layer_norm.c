/* LayerNorm: each row of n trailing elements is one group; the optional
 * weight and bias have one value per element of the row. */
#include "normlab.h"

void nl_layer_norm(const float *x, float *y, size_t rows, size_t n, const float *w,
                   const float *b, double eps, double *stats_out) {
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * n;
    float *yr = y + r * n;
    const nl_moments m = nl_group_moments(xr, n, 1, 0);
    const float rstd = (float)nl_rstd(m.var, eps);
    if (w)
      nl_normalize_affine(xr, yr, n, m.mean, rstd, w, b);
    else
      nl_normalize_span(xr, yr, n, m.mean, rstd, 0.0f);
    if (stats_out) {
      stats_out[2 * r] = m.mean;
      stats_out[2 * r + 1] = m.var;
    }
  }
}
