/* Small SIMD128 helpers shared by the kernels.  NL_SIMD is defined only when
 * the compiler targets wasm SIMD128 (-msimd128); otherwise every kernel runs
 * its scalar loop over the whole span. */
#ifndef NORMLAB_SIMD_H
#define NORMLAB_SIMD_H

#ifdef __wasm_simd128__
#define NL_SIMD 1
#include <wasm_simd128.h>

/* The four lanes of a float32x4, added pairwise in double: (v0+v2, v1+v3). */
static inline v128_t nl_f32x4_sum_f64(v128_t v) {
  return wasm_f64x2_add(wasm_f64x2_promote_low_f32x4(v),
                        wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
}

#endif

#endif
