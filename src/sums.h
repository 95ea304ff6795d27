/* The summing loop of the statistics (stats.c), as a template that a
 * normalize pass can ride along (strategies.c's pipelined strategies): with
 * ride = 1 the same loop that sums x[0..n) also normalizes rx[0..n) into ry
 * by plan rp.  The sums are the same either way; only stats.c and the riding
 * strategies include this file. */
#ifndef NORMLAB_SUMS_H
#define NORMLAB_SUMS_H

#include "moments.h"
#include "normalize.h"
#include "simd.h"

#define NL_SUM_BLOCK 256 /* elements per float32 partial sum before it moves to double */

#ifdef NL_SIMD
static inline nl_v128 nl_shifted(nl_v128 v, nl_v128 p, int shifted) { return shifted ? nl_f32x4_sub(v, p) : v; }

/* The step every SIMD sum loop takes: four vectors into four chains of sums
 * s[k] and of squares q[k] (four chains hide the add latency). */
static inline void nl_add_moments4(nl_v128 s[4], nl_v128 q[4], nl_v128 a, nl_v128 b, nl_v128 c, nl_v128 d) {
  s[0] = nl_f32x4_add(s[0], a);
  s[1] = nl_f32x4_add(s[1], b);
  s[2] = nl_f32x4_add(s[2], c);
  s[3] = nl_f32x4_add(s[3], d);
  q[0] = nl_f32x4_add(q[0], nl_f32x4_mul(a, a));
  q[1] = nl_f32x4_add(q[1], nl_f32x4_mul(b, b));
  q[2] = nl_f32x4_add(q[2], nl_f32x4_mul(c, c));
  q[3] = nl_f32x4_add(q[3], nl_f32x4_mul(d, d));
}

/* The four lanes of a float32x4, added pairwise in double: (v0+v2, v1+v3). */
static inline nl_v128 nl_f32x4_sum_f64(nl_v128 v) {
  return nl_f64x2_add(nl_f64x2_promote_half(v, 0), nl_f64x2_promote_half(v, 1));
}
#endif

/* Adds to s the sums of d = x - p and d^2 over n contiguous floats.  With
 * shifted = 0 the pivot is 0 and the subtraction is left out of the SIMD
 * loop.  The SIMD loop adds float32 partial sums of at most 16 values per
 * lane and moves them to double every NL_SUM_BLOCK elements, so float32
 * rounding stays at the level of a short sum; the scalar loop sums in double. */
static inline __attribute__((always_inline)) void nl_span_sums(const float *x, size_t n, float p,
                                                               nl_sums *s, int shifted,
                                                               const float *rx, float *ry,
                                                               nl_plan rp, int ride, int centred) {
  size_t i = 0;
  (void)shifted; /* the scalar build always subtracts p (exact in double) */
#ifdef NL_SIMD
  const nl_v128 vp = nl_f32x4_splat(p);
  const nl_vplan rv = nl_vplan_of(rp);
#define NL_RIDE(k) nl_vplan_store(rx, ry, NULL, NULL, i, k, rv, centred, 0, 0)
  nl_v128 td = nl_f64x2_splat(0.0), tdd = td;
  while (i + 4 <= n) {
    const size_t end = i + NL_SUM_BLOCK <= n ? i + NL_SUM_BLOCK : n;
    const nl_v128 zero = nl_f32x4_splat(0.0f);
    nl_v128 d[4] = {zero, zero, zero, zero}, q[4] = {zero, zero, zero, zero};
    for (; i + 16 <= end; i += 16) {
      nl_add_moments4(d, q, nl_shifted(nl_f32x4_load(x + i), vp, shifted),
                      nl_shifted(nl_f32x4_load(x + i + 4), vp, shifted),
                      nl_shifted(nl_f32x4_load(x + i + 8), vp, shifted),
                      nl_shifted(nl_f32x4_load(x + i + 12), vp, shifted));
      if (ride) {
        NL_RIDE(0);
        NL_RIDE(4);
        NL_RIDE(8);
        NL_RIDE(12);
      }
    }
    for (; i + 4 <= end; i += 4) { /* at most three vectors left in this block */
      const nl_v128 a = nl_shifted(nl_f32x4_load(x + i), vp, shifted);
      d[0] = nl_f32x4_add(d[0], a);
      q[0] = nl_f32x4_add(q[0], nl_f32x4_mul(a, a));
      if (ride) NL_RIDE(0);
    }
    td = nl_f64x2_add(td, nl_f32x4_sum_f64(nl_f32x4_add(nl_f32x4_add(d[0], d[1]), nl_f32x4_add(d[2], d[3]))));
    tdd = nl_f64x2_add(tdd, nl_f32x4_sum_f64(nl_f32x4_add(nl_f32x4_add(q[0], q[1]), nl_f32x4_add(q[2], q[3]))));
  }
#undef NL_RIDE
  s->d += nl_f64x2_lane0(td) + nl_f64x2_lane1(td);
  s->dd += nl_f64x2_lane0(tdd) + nl_f64x2_lane1(tdd);
#endif
  for (; i < n; i++) {
    const double d = x[i] - p;
    s->d += d;
    s->dd += d * d;
    if (ride) nl_plan_store(rx, ry, NULL, NULL, i, rp, centred, 0, 0);
  }
}

#endif
