/* The normalize pass shared by every op: y = (x - mean) * scale + shift.
 *
 * The mean arrives in double and is split as hi + lo with hi = (float)mean.
 * x - hi is exact when x is near the mean, so an offset of 1e6 costs no
 * accuracy (torch's x * rstd - mean * rstd does lose it); the small lo part
 * is folded into the shift: y = (x - hi) * scale + (shift - lo * scale). */
#include "normlab.h"
#include "simd.h"

void nl_normalize_span(const float *x, float *y, size_t n, double mean, float scale, float shift) {
  const float hi = (float)mean;
  const float c = (float)(shift - (mean - hi) * scale);
  size_t i = 0;
#ifdef NL_SIMD
  const v128_t vhi = wasm_f32x4_splat(hi), vs = wasm_f32x4_splat(scale), vc = wasm_f32x4_splat(c);
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(y + i, wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + i), vhi), vs), vc));
#endif
  for (; i < n; i++) y[i] = (x[i] - hi) * scale + c;
}

/* One loop body for both variants; has_bias is a constant after inlining. */
static inline __attribute__((always_inline)) void affine_loop(const float *x, float *y, size_t n,
                                                              float hi, float c, float rstd,
                                                              const float *w, const float *b,
                                                              int has_bias) {
  size_t i = 0;
#ifdef NL_SIMD
  const v128_t vhi = wasm_f32x4_splat(hi), vc = wasm_f32x4_splat(c), vr = wasm_f32x4_splat(rstd);
  for (; i + 4 <= n; i += 4) {
    const v128_t z = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + i), vhi), vr), vc);
    v128_t r = wasm_f32x4_mul(z, wasm_v128_load(w + i));
    if (has_bias) r = wasm_f32x4_add(r, wasm_v128_load(b + i));
    wasm_v128_store(y + i, r);
  }
#endif
  for (; i < n; i++) {
    const float r = ((x[i] - hi) * rstd + c) * w[i];
    y[i] = has_bias ? r + b[i] : r;
  }
}

void nl_normalize_affine(const float *x, float *y, size_t n, double mean, float rstd,
                         const float *w, const float *b) {
  const float hi = (float)mean;
  const float c = (float)(-(mean - hi) * rstd);
  if (b)
    affine_loop(x, y, n, hi, c, rstd, w, b, 1);
  else
    affine_loop(x, y, n, hi, c, rstd, w, b, 0);
}
