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
#endif

/* The pipelined pass (stats.c): normalizes x[0..len) into y by plan while the
 * same loop takes the sums of the next group, next[0..len); returns that
 * group's moments, equal to nl_group_moments(next, len, 1, 0).  x and next
 * must not overlap; y may be x. */
nl_moments nl_moments_riding(const float *next, size_t len, const float *x, float *y, nl_plan plan);

#endif
