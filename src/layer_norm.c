/* LayerNorm: each row of n trailing elements is one group; the optional
 * weight and bias have one value per element of the row. */
#include "normlab.h"

void nl_layer_norm(const float *x, float *y, size_t rows, size_t n, const float *w,
                   const float *b, double eps, double *stats_out) {
  if (!w) {
    nl_normalize_groups(x, y, rows, n, eps, stats_out, NULL, NULL);
    return;
  }
  nl_chunk ch; /* per-element weight and bias: one row at a time */
  nl_chunk_start(&ch, 0);
  double rstd[NL_CHUNK];
  while (nl_next_chunk(x, rows, n, &ch)) {
    nl_rstds(ch.m, ch.count, eps, rstd);
    for (size_t j = 0; j < ch.count; j++) {
      const size_t r = ch.first + j;
      nl_normalize_affine(x + r * n, y + r * n, n, ch.m[j].mean, (float)rstd[j], w, b);
      nl_store_stats(stats_out, r, ch.m[j]);
    }
  }
}
