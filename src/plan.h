/* The plan of a normalize pass, y = (x - mean) * scale + shift, shared by
 * normalize.c and the pipelined pass in stats.c.
 *
 * The mean arrives in double.  When mean * scale is small (|.| <= 1) the pass
 * is y = x * scale + c with c = shift - mean * scale rounded once: the
 * rounding of x * scale is then no larger than that of y itself.  Otherwise
 * -- a large offset such as 1e6 + noise -- the mean is split as hi + lo with
 * hi = (float)mean: x - hi is exact near the mean, so the offset costs no
 * accuracy (torch's x * rstd - mean * rstd does lose it), and the small lo
 * part is folded into c: y = (x - hi) * scale + (shift - lo * scale). */
#ifndef NORMLAB_PLAN_H
#define NORMLAB_PLAN_H

#include <math.h>

#include "normlab.h"
#include "simd.h"

/* hi = 0 and centred = 0 give the plain x * scale + c loop. */
typedef struct {
  float hi, scale, c;
  int centred;
} nl_plan;

static inline nl_plan nl_make_plan(double mean, float scale, float shift) {
  if (fabs(mean * scale) <= 1.0) return (nl_plan){0.0f, scale, (float)(shift - mean * scale), 0};
  const float hi = (float)mean;
  return (nl_plan){hi, scale, (float)(shift - (mean - hi) * scale), 1};
}

static inline float nl_plan_apply(float x, nl_plan p, int centred) {
  return ((centred ? x - p.hi : x) * p.scale) + p.c;
}

/* Element i of the normalize pass, then times w[i] and plus b[i] (LayerNorm's
 * per-element weight and bias) when has_w, has_b. */
static inline void nl_plan_store(const float *x, float *y, const float *w, const float *b, size_t i,
                                 nl_plan p, int centred, int has_w, int has_b) {
  float v = nl_plan_apply(x[i], p, centred);
  if (has_w) v *= w[i];
  if (has_b) v += b[i];
  y[i] = v;
}

#ifdef NL_SIMD
/* The plan as vectors: hi, scale, c. */
typedef struct {
  v128_t hi, scale, c;
} nl_vplan;

static inline nl_vplan nl_vplan_of(nl_plan p) {
  return (nl_vplan){wasm_f32x4_splat(p.hi), wasm_f32x4_splat(p.scale), wasm_f32x4_splat(p.c)};
}

static inline v128_t nl_vplan_apply(v128_t v, nl_vplan p, int centred) {
  if (centred) v = wasm_f32x4_sub(v, p.hi);
  return wasm_f32x4_add(wasm_f32x4_mul(v, p.scale), p.c);
}

/* nl_plan_store on the vector at i + k.  Written as (x + i) + k so that k
 * stays a constant offset of the wasm load and store (V8 then needs one
 * address computation per pointer, not per vector). */
static inline void nl_vplan_store(const float *x, float *y, const float *w, const float *b, size_t i,
                                  size_t k, nl_vplan p, int centred, int has_w, int has_b) {
  v128_t v = nl_vplan_apply(wasm_v128_load(x + i + k), p, centred);
  if (has_w) v = wasm_f32x4_mul(v, wasm_v128_load(w + i + k));
  if (has_b) v = wasm_f32x4_add(v, wasm_v128_load(b + i + k));
  wasm_v128_store(y + i + k, v);
}

/* nl_rstd on two variances at once: sqrt and division in f64x2 are correctly
 * rounded, so each lane equals nl_rstd's result. */
static inline v128_t nl_rstd2(v128_t var, double eps) {
  return wasm_f64x2_div(wasm_f64x2_splat(1.0), wasm_f64x2_sqrt(wasm_f64x2_add(var, wasm_f64x2_splat(eps))));
}

/* Four consecutive short groups side by side (the SIMD build's path for
 * groups of 4..NL_SHORT_SPAN floats): their moments, rstd and plans stay in
 * vector lanes, so a 7x7 plane pays no scalar work of its own.
 * f64x2 pairs: [0] holds groups 0 and 1, [1] groups 2 and 3. */
typedef struct {
  v128_t mean[2], var[2];
} nl_moments4;

/* The moments of `quads` runs of four consecutive groups of len floats
 * (group g at x + g*len, 4 <= len <= NL_SHORT_SPAN) into m[0..quads), each
 * equal to nl_group_moments'; with rms = 1, RMSNorm's instead: mean 0 and
 * var = the mean of the group's squares (as nl_mean_square, up to rounding). */
void nl_moments_quads(const float *x, size_t quads, size_t len, int rms, nl_moments4 *m);

/* Four plans, lane j for group j; centred when any group's is. */
typedef struct {
  float hi[4], scale[4], c[4];
  int centred;
} nl_plan4;

static inline v128_t nl_demote2(v128_t lo, v128_t hi) { /* two f64x2 -> one f32x4 */
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/* nl_make_plan on four groups at once: lane j of the result equals
 * nl_make_plan(mean of group j, lane j of scale, lane j of shift). */
static inline nl_plan4 nl_make_plan4(const v128_t mean[2], v128_t scale, v128_t shift) {
  const v128_t one = wasm_f64x2_splat(1.0);
  v128_t s[2], b[2], t[2], big[2];
  for (int h = 0; h < 2; h++) {
    s[h] = wasm_f64x2_promote_low_f32x4(h ? wasm_i32x4_shuffle(scale, scale, 2, 3, 2, 3) : scale);
    b[h] = wasm_f64x2_promote_low_f32x4(h ? wasm_i32x4_shuffle(shift, shift, 2, 3, 2, 3) : shift);
    t[h] = wasm_f64x2_mul(mean[h], s[h]);
    big[h] = wasm_v128_not(wasm_f64x2_le(wasm_f64x2_abs(t[h]), one)); /* NaN too, as in nl_make_plan */
  }
  nl_plan4 p;
  wasm_v128_store(p.scale, scale);
  p.centred = wasm_v128_any_true(wasm_v128_or(big[0], big[1]));
  if (!p.centred) { /* the common case: y = x * scale + (shift - mean * scale) */
    wasm_v128_store(p.hi, wasm_f32x4_splat(0.0f));
    wasm_v128_store(p.c, nl_demote2(wasm_f64x2_sub(b[0], t[0]), wasm_f64x2_sub(b[1], t[1])));
    return p;
  }
  v128_t hi[2], c[2];
  for (int h = 0; h < 2; h++) {
    const v128_t high = wasm_f64x2_promote_low_f32x4(wasm_f32x4_demote_f64x2_zero(mean[h]));
    hi[h] = wasm_v128_and(high, big[h]);
    c[h] = wasm_v128_bitselect(wasm_f64x2_sub(b[h], wasm_f64x2_mul(wasm_f64x2_sub(mean[h], high), s[h])),
                               wasm_f64x2_sub(b[h], t[h]), big[h]);
  }
  wasm_v128_store(p.hi, nl_demote2(hi[0], hi[1]));
  wasm_v128_store(p.c, nl_demote2(c[0], c[1]));
  return p;
}

/* nl_normalize_groups' work on short groups (4 <= len <= NL_SHORT_SPAN; w
 * only when len is a multiple of 4), four at a time, their moments, rstd and
 * plans as vector lanes; with rms = 1 the statistic is RMSNorm's (mean 0,
 * mean square).  Returns the number of groups done: groups rounded down to a
 * multiple of 4 (pipeline.c). */
size_t nl_normalize_quads(const float *x, float *y, size_t groups, size_t len, int rms, double eps,
                          double *stats_out, nl_affine_fn f, const void *ctx, const float *w,
                          const float *b);

/* nl_normalize_span on the four groups of len floats at x (4 <= len <=
 * NL_SHORT_SPAN), group j by plan lane j; then, when w is given (len a
 * multiple of 4), times w and plus b per element, as nl_normalize_affine. */
void nl_normalize_quad(const float *x, float *y, size_t len, const nl_plan4 *p, const float *w,
                       const float *b);
#endif

/* nl_normalize_span by a plan already made. */
void nl_normalize_plan(const float *x, float *y, size_t n, nl_plan p);

/* The pipelined pass (stats.c): normalizes x[0..len) into y by plan while the
 * same loop takes the sums of the next group, next[0..len); returns that
 * group's moments, equal to nl_group_moments(next, len, 1, 0).  x and next
 * must not overlap; y may be x. */
nl_moments nl_moments_riding(const float *next, size_t len, const float *x, float *y, nl_plan plan);

#endif
