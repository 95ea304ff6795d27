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
  /* Rows up to NL_MEDIUM_SPAN floats in chunks of up to 16 KB (their mean
   * squares, then their normalize pass from L1: 10-20% faster in cache),
   * longer ones and streamed tensors one row at a time. */
  const size_t per = rows * n <= NL_CACHED_MAX ? nl_chunk_groups(n) : 1;
  while (r < rows) {
    const size_t count = rows - r < per ? rows - r : per;
    double ms[NL_CHUNK];
    for (size_t j = 0; j < count; j++) ms[j] = nl_mean_square(x + (r + j) * n, n);
    for (size_t j = 0; j < count; j++, r++) {
      const float rstd = (float)nl_rstd(ms[j], eps);
      if (w)
        nl_normalize_affine(x + r * n, y + r * n, n, 0.0, rstd, w, NULL);
      else
        nl_normalize_span(x + r * n, y + r * n, n, 0.0, rstd, 0.0f);
      nl_store_stats(stats_out, r, (nl_moments){0.0, ms[j]});
    }
  }
}
