/* The normalize pass over many consecutive groups of equal length, each with
 * the scale and shift its op derives from its moments (LayerNorm without
 * weight, InstanceNorm).
 *
 * Groups longer than NL_MEDIUM_SPAN are pipelined: group g is normalized in
 * the same loop that takes the sums of group g + 2 (g + 1 for groups of 4096
 * floats or more, or for fewer than five groups; nl_moments_riding).  The
 * two streams share the loop's work, and the scalar steps between groups
 * (finishing the moments, rstd, the plan) overlap the next loop instead of
 * stalling it: 15-21% faster on the benchmark's 1000-float planes and
 * 16384-float rows and planes, 17% on LayerNorm [8,768] (notes/bench.md).
 * The exception is many short rows streamed from beyond the caches, where the
 * interleaved streams ran slower than two passes; such tensors (more than
 * NL_CACHED_MAX floats in groups shorter than PIPELINE_LONG) take two passes
 * over each group in turn, the second from L1.
 *
 * Shorter groups go in chunks of many (16 KB): the chunk's statistics, then
 * its normalize pass from L1, which keeps each group's scalar steps off the
 * critical path (22-31% faster than pipelining on 65- to 128-float rows).
 * Short groups (up to NL_SHORT_SPAN floats) go four at a time in the SIMD
 * build, their moments, rstd and plans as vector lanes (nl_normalize_quads):
 * 12% faster on 7x7 planes than the same work done group by group. */
#include "normlab.h"
#include "plan.h"

#define PIPELINE_LONG 4096 /* floats per group */

static int pipelined(size_t groups, size_t len) {
  return groups > 1 && (len >= PIPELINE_LONG || groups * len <= NL_CACHED_MAX);
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

/* Group g's plan from its moments m (see scales). */
static nl_plan group_plan(nl_moments m, size_t g, double eps, double *stats_out, nl_affine_fn f,
                          const void *ctx) {
  float scale, shift;
  scales(&m, g, 1, eps, stats_out, f, ctx, &scale, &shift);
  return nl_make_plan(m.mean, scale, shift);
}

/* Group g's normalize pass, with LayerNorm's per-element weight and bias
 * when w is given (f is then NULL: scale = rstd, shift = 0). */
static void normalize_group(const float *x, float *y, size_t len, double mean, float scale, float shift,
                            const float *w, const float *b) {
  if (w)
    nl_normalize_affine(x, y, len, mean, scale, w, b);
  else
    nl_normalize_span(x, y, len, mean, scale, shift);
}

#ifdef NL_SIMD
/* The plan of four short groups from their moments, in vector lanes: rstd
 * and scale as scales() makes them, bit for bit. */
static nl_plan4 quad_plan(const nl_moments4 *m, size_t first, double eps, double *stats_out,
                          nl_affine_fn f, const void *ctx) {
  const v128_t rstd[2] = {nl_rstd2(m->var[0], eps), nl_rstd2(m->var[1], eps)};
  v128_t scale = nl_demote2(rstd[0], rstd[1]), shift = wasm_f32x4_splat(0.0f);
  if (f || stats_out) {
    double r[4], mean[4], var[4];
    for (int h = 0; h < 2; h++) {
      wasm_v128_store(r + 2 * h, rstd[h]);
      wasm_v128_store(mean + 2 * h, m->mean[h]);
      wasm_v128_store(var + 2 * h, m->var[h]);
    }
    for (int j = 0; j < 4; j++) nl_store_stats(stats_out, first + j, (nl_moments){mean[j], var[j]});
    if (f) {
      float sc[4], sh[4];
      f(ctx, first, 4, r, sc, sh);
      scale = wasm_v128_load(sc);
      shift = wasm_v128_load(sh);
    }
  }
  return nl_make_plan4(m->mean, scale, shift);
}

/* Short groups four at a time, in chunks of NL_CHUNK groups (at most 16 KB):
 * the statistics pass of a chunk leaves it in L1 for the normalize pass. */
size_t nl_normalize_quads(const float *x, float *y, size_t groups, size_t len, int rms, double eps,
                          double *stats_out, nl_affine_fn f, const void *ctx, const float *w,
                          const float *b) {
  const size_t per = NL_CHUNK / 4, quads = groups / 4;
  nl_moments4 m[NL_CHUNK / 4];
  nl_plan4 plan[NL_CHUNK / 4];
  for (size_t q0 = 0; q0 < quads; q0 += per) {
    const size_t count = quads - q0 < per ? quads - q0 : per;
    nl_moments_quads(x + 4 * q0 * len, count, len, rms, m);
    for (size_t q = 0; q < count; q++) plan[q] = quad_plan(m + q, 4 * (q0 + q), eps, stats_out, f, ctx);
    for (size_t q = 0; q < count; q++) {
      const size_t at = 4 * (q0 + q) * len;
      nl_normalize_quad(x + at, y + at, len, &plan[q], w, b);
    }
  }
  return 4 * quads;
}
#endif

/* Pipelined, lag 2: group g is normalized in the loop that sums group g + 2,
 * so the plan of group g + 2 is made while group g + 1 is normalized, off
 * the critical path: 3-9% faster than lag 1 on 768- and 1000-float groups. */
static void riding_lag2(const float *x, float *y, size_t groups, size_t len, double eps,
                        double *stats_out, nl_affine_fn f, const void *ctx) {
  nl_plan plan[2];
  for (size_t g = 0; g < 2; g++)
    plan[g] = group_plan(nl_group_moments(x + g * len, len, 1, 0), g, eps, stats_out, f, ctx);
  for (size_t g = 0; g < groups; g++) {
    const float *xg = x + g * len;
    float *yg = y + g * len;
    if (g + 2 < groups) {
      const nl_moments m = nl_moments_riding(xg + 2 * len, len, xg, yg, plan[g % 2]);
      plan[g % 2] = group_plan(m, g + 2, eps, stats_out, f, ctx);
    } else {
      nl_normalize_plan(xg, yg, len, plan[g % 2]);
    }
  }
}

/* Pipelined, lag 1: group g is normalized in the loop that sums group g + 1. */
static void riding_lag1(const float *x, float *y, size_t groups, size_t len, double eps,
                        double *stats_out, nl_affine_fn f, const void *ctx) {
  nl_moments m = nl_group_moments(x, len, 1, 0);
  for (size_t g = 0; g < groups; g++) {
    const float *xg = x + g * len;
    float *yg = y + g * len;
    const nl_plan p = group_plan(m, g, eps, stats_out, f, ctx);
    if (g + 1 < groups)
      m = nl_moments_riding(xg + len, len, xg, yg, p);
    else
      nl_normalize_plan(xg, yg, len, p);
  }
}

/* Two passes over each group in turn, the second from L1. */
static void each_group(const float *x, float *y, size_t groups, size_t len, double eps,
                       double *stats_out, nl_affine_fn f, const void *ctx, const float *w,
                       const float *b) {
  for (size_t g = 0; g < groups; g++) {
    const nl_moments m = nl_group_moments(x + g * len, len, 1, 0);
    float scale, shift;
    scales(&m, g, 1, eps, stats_out, f, ctx, &scale, &shift);
    normalize_group(x + g * len, y + g * len, len, m.mean, scale, shift, w, b);
  }
}

/* Groups of up to NL_MEDIUM_SPAN floats, a chunk at a time: the chunk's
 * statistics, then its normalize pass from L1 (short ones four at a time in
 * the SIMD build). */
static void chunks(const float *x, float *y, size_t groups, size_t len, double eps,
                   double *stats_out, nl_affine_fn f, const void *ctx, const float *w,
                   const float *b) {
  size_t done = 0;
#ifdef NL_SIMD
  if (len >= 4 && len <= NL_SHORT_SPAN && (!w || len % 4 == 0))
    done = nl_normalize_quads(x, y, groups, len, 0, eps, stats_out, f, ctx, w, b);
#endif
  nl_chunk ch;
  nl_chunk_start(&ch, done);
  float scale[NL_CHUNK], shift[NL_CHUNK];
  while (nl_next_chunk(x, groups, len, &ch)) {
    scales(ch.m, ch.first, ch.count, eps, stats_out, f, ctx, scale, shift);
    for (size_t j = 0; j < ch.count; j++) {
      const size_t at = (ch.first + j) * len;
      normalize_group(x + at, y + at, len, ch.m[j].mean, scale[j], shift[j], w, b);
    }
  }
}

void nl_normalize_groups(const float *x, float *y, size_t groups, size_t len, double eps,
                         double *stats_out, nl_affine_fn f, const void *ctx, const float *w,
                         const float *b) {
  if (len <= NL_SHORT_SPAN || (len <= NL_MEDIUM_SPAN && groups * len <= NL_CACHED_MAX))
    chunks(x, y, groups, len, eps, stats_out, f, ctx, w, b); /* medium groups streamed: slower in chunks */
  else if (w || !pipelined(groups, len)) /* with a weight, riding measured no faster */
    each_group(x, y, groups, len, eps, stats_out, f, ctx, w, b);
  else if (len < PIPELINE_LONG && groups > 4) /* lag 2 lost 10% on 16384 floats, and on 3 groups */
    riding_lag2(x, y, groups, len, eps, stats_out, f, ctx);
  else
    riding_lag1(x, y, groups, len, eps, stats_out, f, ctx);
}
