/* Bandwidth bounds for the benchmark: the least work any normalization of a
 * (groups, n) layout can do.  read2_write1 reads each group twice (a sum, then
 * an affine map that depends on it) and writes it once, as a two-pass kernel
 * with the statistics pass fused into one read must; read1_write1 streams each
 * element in and out once (a copy with a multiply-add).  backward_read2_write1
 * is the same for a backward pass: it reads x and dy twice (the sums of dy and
 * dy * x, then dx = a * dy + b * x + c) and writes dx once.  All use SIMD128 with
 * four independent accumulators so they run at memory speed, not add latency. */
#include <stddef.h>
#include <wasm_simd128.h>

static float group_sum(const float *x, size_t n) {
  v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 = wasm_f32x4_add(a0, wasm_v128_load(x + i));
    a1 = wasm_f32x4_add(a1, wasm_v128_load(x + i + 4));
    a2 = wasm_f32x4_add(a2, wasm_v128_load(x + i + 8));
    a3 = wasm_f32x4_add(a3, wasm_v128_load(x + i + 12));
  }
  v128_t a = wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3));
  float s = wasm_f32x4_extract_lane(a, 0) + wasm_f32x4_extract_lane(a, 1) +
            wasm_f32x4_extract_lane(a, 2) + wasm_f32x4_extract_lane(a, 3);
  for (; i < n; i++) s += x[i];
  return s;
}

static void scale_shift(const float *x, float *y, size_t n, float scale, float shift) {
  v128_t vs = wasm_f32x4_splat(scale), vb = wasm_f32x4_splat(shift);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    wasm_v128_store(y + i, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x + i), vs), vb));
    wasm_v128_store(y + i + 4, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x + i + 4), vs), vb));
  }
  for (; i < n; i++) y[i] = x[i] * scale + shift;
}

/* Reads x twice, writes y once per group of n contiguous floats. */
void read2_write1(const float *x, float *y, size_t groups, size_t n) {
  for (size_t g = 0; g < groups; g++, x += n, y += n) {
    float mean = group_sum(x, n) / (float)n;
    scale_shift(x, y, n, 0.5f, -mean); /* depends on the sum: no fusing */
  }
}

/* Reads x once, writes y once. */
void read1_write1(const float *x, float *y, size_t count) {
  scale_shift(x, y, count, 0.5f, 1.0f);
}

/* Reads x and dy twice, writes dx once per group of n contiguous floats. */
void backward_read2_write1(const float *x, const float *dy, float *dx, size_t groups, size_t n) {
  for (size_t g = 0; g < groups; g++, x += n, dy += n, dx += n) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, p0 = s0, p1 = s0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const v128_t d0 = wasm_v128_load(dy + i), d1 = wasm_v128_load(dy + i + 4);
      s0 = wasm_f32x4_add(s0, d0);
      s1 = wasm_f32x4_add(s1, d1);
      p0 = wasm_f32x4_add(p0, wasm_f32x4_mul(d0, wasm_v128_load(x + i)));
      p1 = wasm_f32x4_add(p1, wasm_f32x4_mul(d1, wasm_v128_load(x + i + 4)));
    }
    const v128_t s = wasm_f32x4_add(s0, s1), p = wasm_f32x4_add(p0, p1);
    float sum = wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) +
                wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
    float dot = wasm_f32x4_extract_lane(p, 0) + wasm_f32x4_extract_lane(p, 1) +
                wasm_f32x4_extract_lane(p, 2) + wasm_f32x4_extract_lane(p, 3);
    for (size_t j = i; j < n; j++) {
      sum += dy[j];
      dot += dy[j] * x[j];
    }
    /* dx = a * dy + b * x + c, with b and c depending on the sums: no fusing */
    const float a = 0.5f, b = -dot / (float)n, c = -sum / (float)n;
    const v128_t va = wasm_f32x4_splat(a), vb = wasm_f32x4_splat(b), vc = wasm_f32x4_splat(c);
    for (i = 0; i + 4 <= n; i += 4) {
      const v128_t t = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(dy + i), va), vc);
      wasm_v128_store(dx + i, wasm_f32x4_add(t, wasm_f32x4_mul(wasm_v128_load(x + i), vb)));
    }
    for (; i < n; i++) dx[i] = dy[i] * a + c + x[i] * b;
  }
}
