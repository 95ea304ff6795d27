/* Normalize passes (normalize.c): y = (x - mean) * scale + shift over a span,
 * by a plan made once per group.
 *
 * The mean arrives in double.  When mean * scale is small (|.| <= 1) the pass
 * is y = x * scale + c with c = shift - mean * scale rounded once: the
 * rounding of x * scale is then no larger than that of y itself.  Otherwise
 * -- a large offset such as 1e6 + noise -- the mean is split as hi + lo with
 * hi = (float)mean: x - hi is exact near the mean, so the offset costs no
 * accuracy (torch's x * rstd - mean * rstd does lose it), and the small lo
 * part is folded into c: y = (x - hi) * scale + (shift - lo * scale). */
#ifndef NORMLAB_NORMALIZE_H
#define NORMLAB_NORMALIZE_H

#include <math.h>
#include <stddef.h>

#include "simd.h"

/* hi = 0 and centred = 0 give the plain x * scale + c loop. */
typedef struct {
  float hi, scale, c;
  int centred;
} nl_plan;

NL_INLINE nl_plan nl_make_plan(double mean, float scale, float shift) {
  if (fabs(mean * scale) <= 1.0) return (nl_plan){0.0f, scale, (float)(shift - mean * scale), 0};
  const float hi = (float)mean;
  return (nl_plan){hi, scale, (float)(shift - (mean - hi) * scale), 1};
}

/* Element i of the pass, then times w[i] and plus b[i] (LayerNorm's
 * per-element weight and bias) when has_w, has_b.  The width-1 twin of
 * nl_vplan_store, for the fewer than NL_LANES elements a span ends with. */
NL_INLINE void nl_plan_store(const float *x, float *y, const float *w, const float *b, size_t i,
                                 nl_plan p, int centred, int has_w, int has_b) {
  float v = ((centred ? x[i] - p.hi : x[i]) * p.scale) + p.c;
  if (has_w) v *= w[i];
  if (has_b) v += b[i];
  y[i] = v;
}

/* The plan in NL_LANES lanes. */
typedef struct {
  nl_f32v hi, scale, c;
} nl_vplan;

NL_INLINE nl_vplan nl_vplan_of(nl_plan p) {
  return (nl_vplan){nl_f32v_splat(p.hi), nl_f32v_splat(p.scale), nl_f32v_splat(p.c)};
}

/* nl_plan_store on the NL_LANES elements at i + k.  Written as (x + i) + k so
 * that k stays a constant offset of the wasm load and store (V8 then needs
 * one address computation per pointer, not per vector). */
NL_INLINE void nl_vplan_store(const float *x, float *y, const float *w, const float *b, size_t i,
                                  size_t k, nl_vplan p, int centred, int has_w, int has_b) {
  nl_f32v v = nl_f32v_load(x + i + k);
  if (centred) v = nl_f32v_sub(v, p.hi);
  v = nl_f32v_add(nl_f32v_mul(v, p.scale), p.c);
  if (has_w) v = nl_f32v_mul(v, nl_f32v_load(w + i + k));
  if (has_b) v = nl_f32v_add(v, nl_f32v_load(b + i + k));
  nl_f32v_store(y + i + k, v);
}

/* y[i] = (x[i] - mean) * scale + shift over n floats.  y may be x. */
void nl_normalize_span(const float *x, float *y, size_t n, double mean, float scale, float shift);

/* nl_normalize_span by a plan already made. */
void nl_normalize_plan(const float *x, float *y, size_t n, nl_plan p);

/* y[i] = (x[i] - mean) * rstd * w[i] (+ b[i] when b is not NULL): LayerNorm's
 * and RMSNorm's per-element affine.  w != NULL. */
void nl_normalize_per_element(const float *x, float *y, size_t n, double mean, float rstd,
                              const float *w, const float *b);

#ifdef NL_SIMD
/* Four plans side by side, lane j for group j; centred when any group's is. */
typedef struct {
  float hi[4], scale[4], c[4];
  int centred;
} nl_plan4;

/* nl_make_plan on four groups at once: lane j of the result equals
 * nl_make_plan(mean of group j, lane j of scale, lane j of shift).  mean: two
 * f64x2, [0] groups 0 and 1, [1] groups 2 and 3. */
static inline nl_plan4 nl_make_plan4(const nl_v128 mean[2], nl_v128 scale, nl_v128 shift) {
  const nl_v128 one = nl_f64x2_splat(1.0);
  nl_v128 s[2], b[2], t[2], big[2];
  for (int h = 0; h < 2; h++) {
    s[h] = nl_f64x2_promote_half(scale, h);
    b[h] = nl_f64x2_promote_half(shift, h);
    t[h] = nl_f64x2_mul(mean[h], s[h]);
    big[h] = nl_v128_not(nl_f64x2_le(nl_f64x2_abs(t[h]), one)); /* NaN too, as in nl_make_plan */
  }
  nl_plan4 p;
  nl_f32x4_store(p.scale, scale);
  p.centred = nl_v128_any_true(nl_v128_or(big[0], big[1]));
  if (!p.centred) { /* the common case: y = x * scale + (shift - mean * scale) */
    nl_f32x4_store(p.hi, nl_f32x4_splat(0.0f));
    nl_f32x4_store(p.c, nl_f32x4_demote2(nl_f64x2_sub(b[0], t[0]), nl_f64x2_sub(b[1], t[1])));
    return p;
  }
  nl_v128 hi[2], c[2];
  for (int h = 0; h < 2; h++) {
    const nl_v128 high = nl_f64x2_promote_half(nl_f32x4_demote(mean[h]), 0); /* (double)(float)mean */
    hi[h] = nl_v128_and(high, big[h]);
    c[h] = nl_v128_select(nl_f64x2_sub(b[h], nl_f64x2_mul(nl_f64x2_sub(mean[h], high), s[h])),
                          nl_f64x2_sub(b[h], t[h]), big[h]);
  }
  nl_f32x4_store(p.hi, nl_f32x4_demote2(hi[0], hi[1]));
  nl_f32x4_store(p.c, nl_f32x4_demote2(c[0], c[1]));
  return p;
}

/* nl_normalize_plan on the four consecutive groups of len floats at x (4 <=
 * len <= NL_SHORT_SPAN), group j by lane j of p, as one stream of vectors;
 * then, when w is given (len a multiple of 4), times w and plus b per
 * element, as nl_normalize_per_element. */
void nl_normalize_four_groups(const float *x, float *y, size_t len, const nl_plan4 *p, const float *w,
                              const float *b);
#endif

#endif
