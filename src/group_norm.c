/* GroupNorm: the C/G consecutive channels of group g of sample n are one
 * contiguous group of (C/G)*S elements; weight and bias are per channel. */
#include "normlab.h"

void nl_group_norm(const float *x, float *y, size_t N, size_t C, size_t S, size_t G,
                   const float *w, const float *b, double eps, double *stats_out) {
  const size_t cg = C / G, len = cg * S, groups = N * G;
  nl_chunk ch;
  nl_chunk_start(&ch, 0);
  double rstds[NL_CHUNK];
  while (nl_next_chunk(x, groups, len, &ch)) {
    nl_rstds(ch.m, ch.count, eps, rstds);
    for (size_t j = 0; j < ch.count; j++) {
      const size_t g = ch.first + j, first = (g % G) * cg; /* first channel of the group */
      const nl_moments m = ch.m[j];
      const double rstd = rstds[j];
      for (size_t i = 0; i < cg; i++) {
        const size_t c = first + i, at = g * len + i * S;
        const float scale = (float)(w ? rstd * w[c] : rstd);
        nl_normalize_span(x + at, y + at, S, m.mean, scale, b ? b[c] : 0.0f);
      }
      nl_store_stats(stats_out, g, m);
    }
  }
}
