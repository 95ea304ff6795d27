/* The normalize pass over many consecutive groups of equal length, each with
 * the scale and shift its op derives from its moments (LayerNorm without
 * weight, InstanceNorm).
 *
 * Groups longer than NL_SHORT_SPAN are pipelined: group g is normalized in
 * the same loop that takes the sums of group g + 1 (nl_moments_riding).  The
 * two streams share the loop's work, and the scalar steps between groups
 * (finishing the moments, rstd, the plan) overlap the next loop instead of
 * stalling it: 15-21% faster on the benchmark's 1000-float planes and
 * 16384-float rows and planes, 17% on LayerNorm [8,768] (notes/bench.md).  The exception is many short rows
 * streamed from beyond the caches, where the interleaved streams ran slower
 * than two passes; such tensors (more than PIPELINE_MAX floats in groups
 * shorter than PIPELINE_LONG) take the chunked path, as do short groups. */
#include "normlab.h"
#include "plan.h"

#define PIPELINE_MAX ((size_t)1 << 21) /* floats: 8 MB of input */
#define PIPELINE_LONG 4096             /* floats per group */

static int pipelined(size_t groups, size_t len) {
  return groups > 1 && len > NL_SHORT_SPAN && (len >= PIPELINE_LONG || groups * len <= PIPELINE_MAX);
}

/* The scales and shifts of count groups from their moments m: rstd, then the
 * op's affine f if any; the moments are recorded on the way. */
static void scales(const nl_moments *m, size_t first, size_t count, double eps, double *stats_out,
                   nl_affine_fn f, const void *ctx, float *scale, float *shift) {
  double rstd[NL_CHUNK];
  nl_rstds(m, count, eps, rstd);
  for (size_t j = 0; j < count; j++) nl_store_stats(stats_out, first + j, m[j]);
  if (f) {
    f(ctx, first, count, rstd, scale, shift);
    return;
  }
  for (size_t j = 0; j < count; j++) {
    scale[j] = (float)rstd[j];
    shift[j] = 0.0f;
  }
}

void nl_normalize_groups(const float *x, float *y, size_t groups, size_t len, double eps,
                         double *stats_out, nl_affine_fn f, const void *ctx) {
  if (pipelined(groups, len)) {
    nl_moments m = nl_group_moments(x, len, 1, 0);
    for (size_t g = 0; g < groups; g++) {
      const float *xg = x + g * len;
      float *yg = y + g * len;
      float scale, shift;
      scales(&m, g, 1, eps, stats_out, f, ctx, &scale, &shift);
      if (g + 1 < groups)
        m = nl_moments_riding(xg + len, len, xg, yg, nl_make_plan(m.mean, scale, shift));
      else
        nl_normalize_span(xg, yg, len, m.mean, scale, shift);
    }
    return;
  }
  nl_chunk ch = {0};
  double mean[NL_CHUNK];
  float scale[NL_CHUNK], shift[NL_CHUNK];
  while (nl_next_chunk(x, groups, len, &ch)) {
    scales(ch.m, ch.first, ch.count, eps, stats_out, f, ctx, scale, shift);
    for (size_t j = 0; j < ch.count; j++) mean[j] = ch.m[j].mean;
    nl_normalize_spans(x + ch.first * len, y + ch.first * len, ch.count, len, mean, scale, shift);
  }
}
