/* The normalize pass shared by every op: y = (x - mean) * scale + shift.
 *
 * The mean arrives in double and is subtracted as two floats, hi + lo, with
 * hi = (float)mean: x - hi is exact when x is near the mean, so an offset of
 * 1e6 costs no accuracy (torch's x * rstd - mean * rstd does lose it). */
#include "normlab.h"
#include "simd.h"

static inline void split(double mean, float *hi, float *lo) {
  *hi = (float)mean;
  *lo = (float)(mean - *hi);
}

void nl_normalize_span(const float *x, float *y, size_t n, double mean, float scale, float shift) {
  float hi, lo;
  split(mean, &hi, &lo);
  size_t i = 0;
#ifdef NL_SIMD
  const v128_t vhi = wasm_f32x4_splat(hi), vlo = wasm_f32x4_splat(lo);
  const v128_t vs = wasm_f32x4_splat(scale), vb = wasm_f32x4_splat(shift);
  for (; i + 4 <= n; i += 4) {
    const v128_t d = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(x + i), vhi), vlo);
    wasm_v128_store(y + i, wasm_f32x4_add(wasm_f32x4_mul(d, vs), vb));
  }
#endif
  for (; i < n; i++) y[i] = ((x[i] - hi) - lo) * scale + shift;
}

/* One loop body for both variants; has_bias is a constant after inlining. */
static inline __attribute__((always_inline)) void affine_loop(const float *x, float *y, size_t n,
                                                              float hi, float lo, float rstd,
                                                              const float *w, const float *b,
                                                              int has_bias) {
  size_t i = 0;
#ifdef NL_SIMD
  const v128_t vhi = wasm_f32x4_splat(hi), vlo = wasm_f32x4_splat(lo), vr = wasm_f32x4_splat(rstd);
  for (; i + 4 <= n; i += 4) {
    const v128_t d = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(x + i), vhi), vlo);
    v128_t r = wasm_f32x4_mul(wasm_f32x4_mul(d, vr), wasm_v128_load(w + i));
    if (has_bias) r = wasm_f32x4_add(r, wasm_v128_load(b + i));
    wasm_v128_store(y + i, r);
  }
#endif
  for (; i < n; i++) {
    const float r = (((x[i] - hi) - lo) * rstd) * w[i];
    y[i] = has_bias ? r + b[i] : r;
  }
}

void nl_normalize_affine(const float *x, float *y, size_t n, double mean, float rstd,
                         const float *w, const float *b) {
  float hi, lo;
  split(mean, &hi, &lo);
  if (b)
    affine_loop(x, y, n, hi, lo, rstd, w, b, 1);
  else
    affine_loop(x, y, n, hi, lo, rstd, w, b, 0);
}
