/* The SIMD vocabulary: the only file that names a wasm_* intrinsic.
 *
 * Kernels call the nl_f32x4_* / nl_f64x2_* / nl_v128_* operations below and
 * never an intrinsic, as ggml's ops call GGML_F32_VEC_* (simd-mappings.h).
 * Three definitions of the same vocabulary:
 *   __wasm_simd128__  wasm SIMD128 (emcc -msimd128): the production SIMD build;
 *   NL_NATIVE_SIMD    clang vector extensions, so that the native sanitizer
 *                     tests (tests/c/run.sh) run the SIMD kernels too, lane for
 *                     lane the same IEEE operations as wasm;
 *   neither           no 4-lane vocabulary (NL_SIMD undefined): the scalar build.
 * Every build also has nl_f32v, a float vector of NL_LANES lanes (4, or 1 in
 * the scalar build, as XNNPACK's f32-scalar.h): a kernel written on nl_f32v
 * serves both builds from one text where the scalar build loses nothing by it
 * (normalize.c's passes).  The statistics keep a scalar loop of their own: the
 * scalar build sums in double, which a float lane of width 1 would not. */
#ifndef NORMLAB_SIMD_H
#define NORMLAB_SIMD_H

#include <stdint.h>

/* Every operation inlines: a call per vector would cost more than the op. */
#define NL_INLINE static inline __attribute__((always_inline))

#if defined(__wasm_simd128__)
#define NL_SIMD 1
#include <wasm_simd128.h>

typedef v128_t nl_v128; /* 4 floats, 2 doubles or a lane mask, as the op reads it */

NL_INLINE nl_v128 nl_f32x4_load(const float *p) { return wasm_v128_load(p); }
NL_INLINE void nl_f32x4_store(float *p, nl_v128 v) { wasm_v128_store(p, v); }
NL_INLINE nl_v128 nl_f32x4_load_splat(const float *p) { return wasm_v128_load32_splat(p); }
NL_INLINE nl_v128 nl_f32x4_splat(float v) { return wasm_f32x4_splat(v); }
NL_INLINE nl_v128 nl_f32x4_make(float a, float b, float c, float d) { return wasm_f32x4_make(a, b, c, d); }
NL_INLINE nl_v128 nl_f32x4_add(nl_v128 a, nl_v128 b) { return wasm_f32x4_add(a, b); }
NL_INLINE nl_v128 nl_f32x4_sub(nl_v128 a, nl_v128 b) { return wasm_f32x4_sub(a, b); }
NL_INLINE nl_v128 nl_f32x4_mul(nl_v128 a, nl_v128 b) { return wasm_f32x4_mul(a, b); }

NL_INLINE nl_v128 nl_f64x2_load(const double *p) { return wasm_v128_load(p); }
NL_INLINE void nl_f64x2_store(double *p, nl_v128 v) { wasm_v128_store(p, v); }
NL_INLINE nl_v128 nl_f64x2_splat(double v) { return wasm_f64x2_splat(v); }
NL_INLINE nl_v128 nl_f64x2_make(double a, double b) { return wasm_f64x2_make(a, b); }
NL_INLINE double nl_f64x2_lane0(nl_v128 v) { return wasm_f64x2_extract_lane(v, 0); }
NL_INLINE double nl_f64x2_lane1(nl_v128 v) { return wasm_f64x2_extract_lane(v, 1); }
NL_INLINE nl_v128 nl_f64x2_add(nl_v128 a, nl_v128 b) { return wasm_f64x2_add(a, b); }
NL_INLINE nl_v128 nl_f64x2_sub(nl_v128 a, nl_v128 b) { return wasm_f64x2_sub(a, b); }
NL_INLINE nl_v128 nl_f64x2_mul(nl_v128 a, nl_v128 b) { return wasm_f64x2_mul(a, b); }
NL_INLINE nl_v128 nl_f64x2_div(nl_v128 a, nl_v128 b) { return wasm_f64x2_div(a, b); }
NL_INLINE nl_v128 nl_f64x2_sqrt(nl_v128 a) { return wasm_f64x2_sqrt(a); }
NL_INLINE nl_v128 nl_f64x2_abs(nl_v128 a) { return wasm_f64x2_abs(a); }
NL_INLINE nl_v128 nl_f64x2_le(nl_v128 a, nl_v128 b) { return wasm_f64x2_le(a, b); }
NL_INLINE nl_v128 nl_f64x2_lt(nl_v128 a, nl_v128 b) { return wasm_f64x2_lt(a, b); }
NL_INLINE nl_v128 nl_f64x2_ge(nl_v128 a, nl_v128 b) { return wasm_f64x2_ge(a, b); }

/* Lanes 0, 1 (half 0) or 2, 3 (half 1) of a float32x4 as two doubles. */
NL_INLINE nl_v128 nl_f64x2_promote_half(nl_v128 v, int half) {
  return wasm_f64x2_promote_low_f32x4(half ? wasm_i32x4_shuffle(v, v, 2, 3, 2, 3) : v);
}
/* An f64x2 rounded to float in lanes 0, 1 (lanes 2, 3 zero). */
NL_INLINE nl_v128 nl_f32x4_demote(nl_v128 v) { return wasm_f32x4_demote_f64x2_zero(v); }
/* Two f64x2 rounded to one float32x4: (lo0, lo1, hi0, hi1). */
NL_INLINE nl_v128 nl_f32x4_demote2(nl_v128 lo, nl_v128 hi) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
}
/* b[k] = lane k of v in all four lanes. */
NL_INLINE void nl_f32x4_broadcast4(nl_v128 v, nl_v128 b[4]) {
  b[0] = wasm_i32x4_shuffle(v, v, 0, 0, 0, 0);
  b[1] = wasm_i32x4_shuffle(v, v, 1, 1, 1, 1);
  b[2] = wasm_i32x4_shuffle(v, v, 2, 2, 2, 2);
  b[3] = wasm_i32x4_shuffle(v, v, 3, 3, 3, 3);
}
/* Horizontal sums of four vectors at once: lane j of the result is the sum of
 * the lanes of the j-th argument, as ((v0 + v2) + (v1 + v3)).  One transpose
 * instead of four reductions. */
NL_INLINE nl_v128 nl_f32x4_hsum4(nl_v128 a, nl_v128 b, nl_v128 c, nl_v128 d) {
  const v128_t ab = wasm_f32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  const v128_t cd = wasm_f32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5), wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7));
}

NL_INLINE nl_v128 nl_v128_and(nl_v128 a, nl_v128 b) { return wasm_v128_and(a, b); }
NL_INLINE nl_v128 nl_v128_or(nl_v128 a, nl_v128 b) { return wasm_v128_or(a, b); }
NL_INLINE nl_v128 nl_v128_not(nl_v128 a) { return wasm_v128_not(a); }
/* Bits of a where mask is set, of b elsewhere. */
NL_INLINE nl_v128 nl_v128_select(nl_v128 a, nl_v128 b, nl_v128 mask) { return wasm_v128_bitselect(a, b, mask); }
NL_INLINE int nl_v128_any_true(nl_v128 a) { return wasm_v128_any_true(a); }
NL_INLINE nl_v128 nl_mask_all(void) { return wasm_i32x4_splat(-1); }
/* 1 when both 64-bit lanes of a mask are set. */
NL_INLINE int nl_mask64_all(nl_v128 m) { return wasm_i64x2_all_true(m); }
/* The mask of the 32-bit lanes below k. */
NL_INLINE nl_v128 nl_mask32_below(int k) {
  return wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat(k));
}

#elif defined(NL_NATIVE_SIMD)
#define NL_SIMD 1
#include <math.h>
#include <string.h>

typedef float nl_f32x4_t __attribute__((vector_size(16)));
typedef double nl_f64x2_t __attribute__((vector_size(16)));
typedef int32_t nl_i32x4_t __attribute__((vector_size(16)));
typedef int64_t nl_v128 __attribute__((vector_size(16)));

#define NL_F32(v) ((nl_f32x4_t)(v))
#define NL_F64(v) ((nl_f64x2_t)(v))
#define NL_I32(v) ((nl_i32x4_t)(v))

NL_INLINE nl_v128 nl_f32x4_load(const float *p) { nl_v128 v; memcpy(&v, p, 16); return v; }
NL_INLINE void nl_f32x4_store(float *p, nl_v128 v) { memcpy(p, &v, 16); }
NL_INLINE nl_v128 nl_f32x4_load_splat(const float *p) { return (nl_v128)(nl_f32x4_t){*p, *p, *p, *p}; }
NL_INLINE nl_v128 nl_f32x4_splat(float v) { return (nl_v128)(nl_f32x4_t){v, v, v, v}; }
NL_INLINE nl_v128 nl_f32x4_make(float a, float b, float c, float d) { return (nl_v128)(nl_f32x4_t){a, b, c, d}; }
NL_INLINE nl_v128 nl_f32x4_add(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F32(a) + NL_F32(b)); }
NL_INLINE nl_v128 nl_f32x4_sub(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F32(a) - NL_F32(b)); }
NL_INLINE nl_v128 nl_f32x4_mul(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F32(a) * NL_F32(b)); }

NL_INLINE nl_v128 nl_f64x2_load(const double *p) { nl_v128 v; memcpy(&v, p, 16); return v; }
NL_INLINE void nl_f64x2_store(double *p, nl_v128 v) { memcpy(p, &v, 16); }
NL_INLINE nl_v128 nl_f64x2_splat(double v) { return (nl_v128)(nl_f64x2_t){v, v}; }
NL_INLINE nl_v128 nl_f64x2_make(double a, double b) { return (nl_v128)(nl_f64x2_t){a, b}; }
NL_INLINE double nl_f64x2_lane0(nl_v128 v) { return NL_F64(v)[0]; }
NL_INLINE double nl_f64x2_lane1(nl_v128 v) { return NL_F64(v)[1]; }
NL_INLINE nl_v128 nl_f64x2_add(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F64(a) + NL_F64(b)); }
NL_INLINE nl_v128 nl_f64x2_sub(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F64(a) - NL_F64(b)); }
NL_INLINE nl_v128 nl_f64x2_mul(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F64(a) * NL_F64(b)); }
NL_INLINE nl_v128 nl_f64x2_div(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F64(a) / NL_F64(b)); }
NL_INLINE nl_v128 nl_f64x2_sqrt(nl_v128 a) { return (nl_v128)(nl_f64x2_t){sqrt(NL_F64(a)[0]), sqrt(NL_F64(a)[1])}; }
NL_INLINE nl_v128 nl_f64x2_abs(nl_v128 a) { return (nl_v128)(nl_f64x2_t){fabs(NL_F64(a)[0]), fabs(NL_F64(a)[1])}; }
NL_INLINE nl_v128 nl_f64x2_le(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F64(a) <= NL_F64(b)); }
NL_INLINE nl_v128 nl_f64x2_lt(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F64(a) < NL_F64(b)); }
NL_INLINE nl_v128 nl_f64x2_ge(nl_v128 a, nl_v128 b) { return (nl_v128)(NL_F64(a) >= NL_F64(b)); }

NL_INLINE nl_v128 nl_f64x2_promote_half(nl_v128 v, int half) {
  const nl_f32x4_t f = NL_F32(v);
  return (nl_v128)(nl_f64x2_t){f[2 * half], f[2 * half + 1]};
}
NL_INLINE nl_v128 nl_f32x4_demote(nl_v128 v) {
  return (nl_v128)(nl_f32x4_t){(float)NL_F64(v)[0], (float)NL_F64(v)[1], 0.0f, 0.0f};
}
NL_INLINE nl_v128 nl_f32x4_demote2(nl_v128 lo, nl_v128 hi) {
  const nl_f64x2_t l = NL_F64(lo), h = NL_F64(hi);
  return (nl_v128)(nl_f32x4_t){(float)l[0], (float)l[1], (float)h[0], (float)h[1]};
}
NL_INLINE void nl_f32x4_broadcast4(nl_v128 v, nl_v128 b[4]) {
  for (int k = 0; k < 4; k++) b[k] = nl_f32x4_splat(NL_F32(v)[k]);
}
NL_INLINE nl_v128 nl_f32x4_hsum4(nl_v128 a, nl_v128 b, nl_v128 c, nl_v128 d) {
  const nl_f32x4_t A = NL_F32(a), B = NL_F32(b), C = NL_F32(c), D = NL_F32(d);
  const nl_f32x4_t ab = __builtin_shufflevector(A, B, 0, 4, 1, 5) + __builtin_shufflevector(A, B, 2, 6, 3, 7);
  const nl_f32x4_t cd = __builtin_shufflevector(C, D, 0, 4, 1, 5) + __builtin_shufflevector(C, D, 2, 6, 3, 7);
  return (nl_v128)(__builtin_shufflevector(ab, cd, 0, 1, 4, 5) + __builtin_shufflevector(ab, cd, 2, 3, 6, 7));
}

NL_INLINE nl_v128 nl_v128_and(nl_v128 a, nl_v128 b) { return a & b; }
NL_INLINE nl_v128 nl_v128_or(nl_v128 a, nl_v128 b) { return a | b; }
NL_INLINE nl_v128 nl_v128_not(nl_v128 a) { return ~a; }
NL_INLINE nl_v128 nl_v128_select(nl_v128 a, nl_v128 b, nl_v128 mask) { return (a & mask) | (b & ~mask); }
NL_INLINE int nl_v128_any_true(nl_v128 a) { return (a[0] | a[1]) != 0; }
NL_INLINE nl_v128 nl_mask_all(void) { return (nl_v128){-1, -1}; }
NL_INLINE int nl_mask64_all(nl_v128 m) { return m[0] != 0 && m[1] != 0; }
NL_INLINE nl_v128 nl_mask32_below(int k) { return (nl_v128)((nl_i32x4_t){0, 1, 2, 3} < k); }

#undef NL_F32
#undef NL_F64
#undef NL_I32
#endif

/* nl_f32v: NL_LANES floats, the width a kernel written once runs at. */
#ifdef NL_SIMD
#define NL_LANES 4
typedef nl_v128 nl_f32v;
NL_INLINE nl_f32v nl_f32v_load(const float *p) { return nl_f32x4_load(p); }
NL_INLINE void nl_f32v_store(float *p, nl_f32v v) { nl_f32x4_store(p, v); }
NL_INLINE nl_f32v nl_f32v_splat(float v) { return nl_f32x4_splat(v); }
NL_INLINE nl_f32v nl_f32v_add(nl_f32v a, nl_f32v b) { return nl_f32x4_add(a, b); }
NL_INLINE nl_f32v nl_f32v_sub(nl_f32v a, nl_f32v b) { return nl_f32x4_sub(a, b); }
NL_INLINE nl_f32v nl_f32v_mul(nl_f32v a, nl_f32v b) { return nl_f32x4_mul(a, b); }
/* The lanes of v summed in double (each lane exact in double, then two adds). */
NL_INLINE double nl_f32v_sum_f64(nl_f32v v) {
  const nl_v128 s = nl_f64x2_add(nl_f64x2_promote_half(v, 0), nl_f64x2_promote_half(v, 1));
  return nl_f64x2_lane0(s) + nl_f64x2_lane1(s);
}
/* acc[k] += lane k of v, in double, for k < NL_LANES. */
NL_INLINE void nl_f32v_add_to_f64(double *acc, nl_f32v v) {
  nl_f64x2_store(acc, nl_f64x2_add(nl_f64x2_load(acc), nl_f64x2_promote_half(v, 0)));
  nl_f64x2_store(acc + 2, nl_f64x2_add(nl_f64x2_load(acc + 2), nl_f64x2_promote_half(v, 1)));
}
#else
#define NL_LANES 1
typedef float nl_f32v;
NL_INLINE nl_f32v nl_f32v_load(const float *p) { return *p; }
NL_INLINE void nl_f32v_store(float *p, nl_f32v v) { *p = v; }
NL_INLINE nl_f32v nl_f32v_splat(float v) { return v; }
NL_INLINE nl_f32v nl_f32v_add(nl_f32v a, nl_f32v b) { return a + b; }
NL_INLINE nl_f32v nl_f32v_sub(nl_f32v a, nl_f32v b) { return a - b; }
NL_INLINE nl_f32v nl_f32v_mul(nl_f32v a, nl_f32v b) { return a * b; }
NL_INLINE double nl_f32v_sum_f64(nl_f32v v) { return (double)v; }
NL_INLINE void nl_f32v_add_to_f64(double *acc, nl_f32v v) { *acc += (double)v; }
#endif

#endif
