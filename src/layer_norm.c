/* LayerNorm: each row of n trailing elements is one group; the optional
 * weight and bias have one value per element of the row. */
#include "normlab.h"

void nl_layer_norm(const float *x, float *y, size_t rows, size_t n, const float *w,
                   const float *b, double eps, double *stats_out) {
  nl_chunk ch = {0};
  double mean[NL_CHUNK];
  float rstd[NL_CHUNK], zero[NL_CHUNK] = {0};
  while (nl_next_chunk(x, rows, n, &ch)) {
    for (size_t j = 0; j < ch.count; j++) {
      const size_t r = ch.first + j;
      mean[j] = ch.m[j].mean;
      rstd[j] = (float)nl_rstd(ch.m[j].var, eps);
      if (w) nl_normalize_affine(x + r * n, y + r * n, n, mean[j], rstd[j], w, b);
      if (stats_out) {
        stats_out[2 * r] = ch.m[j].mean;
        stats_out[2 * r + 1] = ch.m[j].var;
      }
    }
    if (!w) nl_normalize_spans(x + ch.first * n, y + ch.first * n, ch.count, n, mean, rstd, zero);
  }
}
