/* LayerNorm: each row of n trailing elements is one group; the optional
 * weight and bias have one value per element of the row. */
#include "normlab.h"

void nl_layer_norm(const float *x, float *y, size_t rows, size_t n, const float *w,
                   const float *b, double eps, double *stats_out) {
  nl_normalize_groups(x, y, rows, n, eps, stats_out, NULL, NULL, w, b);
}
