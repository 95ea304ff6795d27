/* RMSNorm (torch >= 2.4): y = x / sqrt(mean(x^2) + eps) * w per row; no mean
 * is subtracted and there is no bias. */
#include "normlab.h"
#include "plan.h"

void nl_rms_norm(const float *x, float *y, size_t rows, size_t n, const float *w, double eps,
                 double *stats_out) {
  size_t r = 0;
#ifdef NL_SIMD
  if (n >= 4 && n <= NL_SHORT_SPAN && (!w || n % 4 == 0)) /* short rows four at a time */
    r = nl_normalize_quads(x, y, rows, n, 1, eps, stats_out, NULL, NULL, w, NULL);
#endif
  for (; r < rows; r++) {
    const float *xr = x + r * n;
    float *yr = y + r * n;
    const double ms = nl_mean_square(xr, n);
    const float rstd = (float)nl_rstd(ms, eps);
    if (w)
      nl_normalize_affine(xr, yr, n, 0.0, rstd, w, NULL);
    else
      nl_normalize_span(xr, yr, n, 0.0, rstd, 0.0f);
    nl_store_stats(stats_out, r, (nl_moments){0.0, ms});
  }
}
