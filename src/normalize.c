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
  for (; i + 4 <= n; i += 4) {
    v128_t v = wasm_v128_load(x + i);
    if (centred) v = wasm_f32x4_sub(v, vhi);
    v = wasm_f32x4_add(wasm_f32x4_mul(v, vs), vc);
    if (has_weight) v = wasm_f32x4_mul(v, wasm_v128_load(w + i));
    if (has_bias) v = wasm_f32x4_add(v, wasm_v128_load(b + i));
    wasm_v128_store(y + i, v);
  }
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
