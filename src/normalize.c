/* The normalize passes every strategy uses: y = (x - mean) * scale + shift
 * by a plan (normalize.h) that keeps a large offset from costing accuracy.
 * Written once on nl_f32v: the SIMD build runs them 4 lanes wide, the scalar
 * build 1 wide, from the same loops. */
#include "normalize.h"

/* One loop body for every variant; the flags are constants after inlining. */
static inline __attribute__((always_inline)) void normalize_loop(const float *x, float *y, size_t n,
                                                                 nl_plan p, const float *w,
                                                                 const float *b, int centred,
                                                                 int has_weight, int has_bias) {
  size_t i = 0;
  const nl_vplan vp = nl_vplan_of(p);
  /* Two vectors per iteration halve the loop overhead in the SIMD build; at
   * width 1 the same unrolling measured 5-10% slower on 49- and 64-float
   * groups than letting the compiler unroll. */
  if (NL_LANES > 1)
    for (; i + 2 * NL_LANES <= n; i += 2 * NL_LANES) {
      nl_vplan_store(x, y, w, b, i, 0, vp, centred, has_weight, has_bias);
      nl_vplan_store(x, y, w, b, i, NL_LANES, vp, centred, has_weight, has_bias);
    }
  for (; i + NL_LANES <= n; i += NL_LANES) nl_vplan_store(x, y, w, b, i, 0, vp, centred, has_weight, has_bias);
  for (; i < n; i++) nl_plan_store(x, y, w, b, i, p, centred, has_weight, has_bias); /* < NL_LANES left */
}

void nl_normalize_span(const float *x, float *y, size_t n, double mean, float scale, float shift) {
  nl_normalize_plan(x, y, n, nl_make_plan(mean, scale, shift));
}

void nl_normalize_plan(const float *x, float *y, size_t n, nl_plan p) {
  if (p.centred)
    normalize_loop(x, y, n, p, NULL, NULL, 1, 0, 0);
  else
    normalize_loop(x, y, n, p, NULL, NULL, 0, 0, 0);
}

void nl_normalize_per_element(const float *x, float *y, size_t n, double mean, float rstd,
                              const float *w, const float *b) {
  const nl_plan p = nl_make_plan(mean, rstd, 0.0f);
  if (p.centred) {
    if (b) normalize_loop(x, y, n, p, w, b, 1, 1, 1);
    else normalize_loop(x, y, n, p, w, b, 1, 1, 0);
  } else {
    if (b) normalize_loop(x, y, n, p, w, b, 0, 1, 1);
    else normalize_loop(x, y, n, p, w, b, 0, 1, 0);
  }
}

#ifdef NL_SIMD
/* The four spans of len >= 4 floats starting at x as one stream of vectors.
 * A vector that straddles spans j and j+1 takes each lane's parameters from
 * its own span, so no span pays a scalar tail; 4*len is a whole number of
 * vectors.  centred = 0 when no span needs its mean subtracted first.  With a
 * per-element weight (and bias), element i of span j takes w[i - j*len]: len
 * must then be a multiple of 4, so that no vector straddles two spans. */
static inline __attribute__((always_inline)) void four_spans_body(const float *x, float *y, size_t len,
                                                                  const nl_plan4 *p, int centred,
                                                                  const float *w, const float *b,
                                                                  int has_w, int has_b) {
  size_t i = 0;
#define NL_SPAN_VECTOR(k)                                                                       \
  nl_vplan_store(x + i, y + i, has_w ? w + (i - base) : NULL, has_b ? b + (i - base) : NULL, 0, k, vp, \
                 centred, has_w, has_b)
  for (int j = 0; j < 4; j++) {
    nl_vplan vp = {nl_f32x4_load_splat(p->hi + j), nl_f32x4_load_splat(p->scale + j),
                   nl_f32x4_load_splat(p->c + j)};
    const size_t base = j * len, end = base + len;
    /* Four vectors per iteration: V8 pays an address computation per pointer
     * and a loop check per iteration, which short spans notice (3-5% on 49-
     * and 64-float spans); long spans measured no gain (normalize_loop). */
    for (; i + 16 <= end; i += 16) {
      NL_SPAN_VECTOR(0);
      NL_SPAN_VECTOR(4);
      NL_SPAN_VECTOR(8);
      NL_SPAN_VECTOR(12);
    }
    if (i + 8 <= end) {
      NL_SPAN_VECTOR(0);
      NL_SPAN_VECTOR(4);
      i += 8;
    }
    if (i + 4 <= end) {
      NL_SPAN_VECTOR(0);
      i += 4;
    }
    if (!has_w && i < end) { /* lanes below end - i belong to span j, the rest to span j + 1 */
      const nl_v128 own = nl_mask32_below((int)(end - i));
      vp.hi = nl_v128_select(vp.hi, nl_f32x4_load_splat(p->hi + j + 1), own);
      vp.scale = nl_v128_select(vp.scale, nl_f32x4_load_splat(p->scale + j + 1), own);
      vp.c = nl_v128_select(vp.c, nl_f32x4_load_splat(p->c + j + 1), own);
      NL_SPAN_VECTOR(0);
      i += 4;
    }
  }
#undef NL_SPAN_VECTOR
}

/* One instance of four_spans_body per constant choice of flags. */
static inline __attribute__((always_inline)) void four_spans(const float *x, float *y, size_t len,
                                                             const nl_plan4 *p, const float *w,
                                                             const float *b, int has_w, int has_b) {
  if (p->centred) /* hi is 0 for the groups that are not: x - 0 is exact */
    four_spans_body(x, y, len, p, 1, w, b, has_w, has_b);
  else
    four_spans_body(x, y, len, p, 0, w, b, has_w, has_b);
}

void nl_normalize_four_groups(const float *x, float *y, size_t len, const nl_plan4 *p, const float *w,
                              const float *b) {
  if (!w)
    four_spans(x, y, len, p, NULL, NULL, 0, 0);
  else if (!b)
    four_spans(x, y, len, p, w, NULL, 1, 0);
  else
    four_spans(x, y, len, p, w, b, 1, 1);
}
#endif
