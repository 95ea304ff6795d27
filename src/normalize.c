/* The normalize pass shared by every op: y = (x - mean) * scale + shift.
 *
 * The mean arrives in double.  When mean * scale is small (|.| <= 1) the pass
 * is y = x * scale + c with c = shift - mean * scale rounded once: the
 * rounding of x * scale is then no larger than that of y itself.  Otherwise
 * -- a large offset such as 1e6 + noise -- the mean is split as hi + lo with
 * hi = (float)mean: x - hi is exact near the mean, so the offset costs no
 * accuracy (torch's x * rstd - mean * rstd does lose it), and the small lo
 * part is folded into c: y = (x - hi) * scale + (shift - lo * scale). */
#include <math.h>

#include "normlab.h"
#include "simd.h"

/* hi = 0 and centred = 0 give the plain x * scale + c loop. */
typedef struct {
  float hi, scale, c;
  int centred;
} plan;

static plan make_plan(double mean, float scale, float shift) {
  if (fabs(mean * scale) <= 1.0) return (plan){0.0f, scale, (float)(shift - mean * scale), 0};
  const float hi = (float)mean;
  return (plan){hi, scale, (float)(shift - (mean - hi) * scale), 1};
}

/* One loop body for every variant; the flags are constants after inlining. */
static inline __attribute__((always_inline)) void normalize_loop(const float *x, float *y, size_t n,
                                                                 plan p, const float *w,
                                                                 const float *b, int centred,
                                                                 int has_weight, int has_bias) {
  size_t i = 0;
#ifdef NL_SIMD
  const v128_t vhi = wasm_f32x4_splat(p.hi), vs = wasm_f32x4_splat(p.scale), vc = wasm_f32x4_splat(p.c);
#define NL_NORMALIZE_VECTOR(at)                                              \
  do {                                                                       \
    v128_t v = wasm_v128_load(x + (at));                                     \
    if (centred) v = wasm_f32x4_sub(v, vhi);                                 \
    v = wasm_f32x4_add(wasm_f32x4_mul(v, vs), vc);                           \
    if (has_weight) v = wasm_f32x4_mul(v, wasm_v128_load(w + (at)));         \
    if (has_bias) v = wasm_f32x4_add(v, wasm_v128_load(b + (at)));           \
    wasm_v128_store(y + (at), v);                                            \
  } while (0)
  for (; i + 8 <= n; i += 8) { /* two vectors per iteration halve the loop overhead */
    NL_NORMALIZE_VECTOR(i);
    NL_NORMALIZE_VECTOR(i + 4);
  }
  if (i + 4 <= n) {
    NL_NORMALIZE_VECTOR(i);
    i += 4;
  }
#undef NL_NORMALIZE_VECTOR
#endif
  for (; i < n; i++) {
    float v = ((centred ? x[i] - p.hi : x[i]) * p.scale) + p.c;
    if (has_weight) v *= w[i];
    if (has_bias) v += b[i];
    y[i] = v;
  }
}

void nl_normalize_span(const float *x, float *y, size_t n, double mean, float scale, float shift) {
  const plan p = make_plan(mean, scale, shift);
  if (p.centred)
    normalize_loop(x, y, n, p, NULL, NULL, 1, 0, 0);
  else
    normalize_loop(x, y, n, p, NULL, NULL, 0, 0, 0);
}

#ifdef NL_SIMD
/* The four spans of len >= 4 floats starting at x as one stream of vectors.
 * A vector that straddles spans j and j+1 takes each lane's parameters from
 * its own span, so no span pays a scalar tail; 4*len is a whole number of
 * vectors.  centred = 0 when no span needs its mean subtracted first. */
static inline __attribute__((always_inline)) void spans4_body(const float *x, float *y, size_t len,
                                                              const plan *p, int centred) {
  const v128_t lane = wasm_i32x4_make(0, 1, 2, 3);
  size_t i = 0;
#define NL_SPAN_VECTOR(at)                                                                  \
  do {                                                                                      \
    v128_t v = wasm_v128_load(x + (at));                                                    \
    if (centred) v = wasm_f32x4_sub(v, vhi);                                                \
    wasm_v128_store(y + (at), wasm_f32x4_add(wasm_f32x4_mul(v, vs), vc));                   \
  } while (0)
  for (int j = 0; j < 4; j++) {
    v128_t vhi = wasm_f32x4_splat(p[j].hi), vs = wasm_f32x4_splat(p[j].scale), vc = wasm_f32x4_splat(p[j].c);
    const size_t end = (j + 1) * len;
    for (; i + 8 <= end; i += 8) {
      NL_SPAN_VECTOR(i);
      NL_SPAN_VECTOR(i + 4);
    }
    if (i + 4 <= end) {
      NL_SPAN_VECTOR(i);
      i += 4;
    }
    if (i < end) { /* lanes below end - i belong to span j, the rest to span j + 1 */
      const v128_t own = wasm_i32x4_lt(lane, wasm_i32x4_splat((int)(end - i)));
      vhi = wasm_v128_bitselect(vhi, wasm_f32x4_splat(p[j + 1].hi), own);
      vs = wasm_v128_bitselect(vs, wasm_f32x4_splat(p[j + 1].scale), own);
      vc = wasm_v128_bitselect(vc, wasm_f32x4_splat(p[j + 1].c), own);
      NL_SPAN_VECTOR(i);
      i += 4;
    }
  }
#undef NL_SPAN_VECTOR
}
#endif

void nl_normalize_spans(const float *x, float *y, size_t count, size_t len, const double *mean,
                        const float *scale, const float *shift) {
  size_t k = 0;
#ifdef NL_SIMD
  if (len >= 4 && len <= NL_SHORT_SPAN)
    for (; k + 4 <= count; k += 4) {
      plan p[4];
      int centred = 0;
      for (int j = 0; j < 4; j++) {
        p[j] = make_plan(mean[k + j], scale[k + j], shift[k + j]);
        centred |= p[j].centred; /* hi is 0 for the others: x - 0 is exact */
      }
      if (centred)
        spans4_body(x + k * len, y + k * len, len, p, 1);
      else
        spans4_body(x + k * len, y + k * len, len, p, 0);
    }
#endif
  for (; k < count; k++) nl_normalize_span(x + k * len, y + k * len, len, mean[k], scale[k], shift[k]);
}

void nl_normalize_affine(const float *x, float *y, size_t n, double mean, float rstd,
                         const float *w, const float *b) {
  const plan p = make_plan(mean, rstd, 0.0f);
  if (p.centred) {
    if (b) normalize_loop(x, y, n, p, w, b, 1, 1, 1);
    else normalize_loop(x, y, n, p, w, b, 1, 1, 0);
  } else {
    if (b) normalize_loop(x, y, n, p, w, b, 0, 1, 1);
    else normalize_loop(x, y, n, p, w, b, 0, 1, 0);
  }
}
