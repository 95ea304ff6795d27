/* Group statistics: the one routine every op uses for its mean and variance.
 *
 * Accuracy plan (float32 data, float64 answers):
 *   pass 1  sum of (x - p) with the pivot p = x[0], and max |x - p|.
 *           Shifting by a sample of the data keeps large offsets (1e6 + noise)
 *           out of the sums.  mean1 = p + sum / n.
 *   pass 2  d = (x - hi) - lo, where hi + lo = mean1 split into two floats, so
 *           the large part cancels exactly.  Sums of d and d^2 give the
 *           corrected two-pass variance var = E[d^2] - E[d]^2 and the mean
 *           correction E[d].  d is scaled by a power of two chosen from
 *           max |x - p| so that d^2 neither overflows (|x| ~ 1e30) nor
 *           underflows (|x| ~ 1e-30).
 * The SIMD loops add float32 partial sums for at most BLOCK elements per lane
 * group and then move them to double, which bounds the float32 rounding to a
 * few ulps of a short sum.  Anything non-finite on the way (NaN or Inf in the
 * data, or an overflow of x - p) sends the group to the exact double path,
 * which also reproduces torch's NaN/Inf results. */
#include <math.h>

#include "normlab.h"
#include "simd.h"

#define BLOCK 128 /* floats per float32 partial sum before it moves to double */

typedef struct {
  double sum; /* sum of the (shifted, scaled) values */
  double sq;  /* sum of their squares (pass 2 only) */
  double amax; /* max |x - p| (pass 1 only); NaN if a NaN was seen */
} sums;

static double nan_max(double m, double a) { return (a > m || a != a) ? a : m; }

/* Pass 1 over one span: sum of (x - p) and max |x - p|. */
static void span_shifted_sum(const float *x, size_t n, float p, sums *s) {
  size_t i = 0;
#ifdef NL_SIMD
  const v128_t vp = wasm_f32x4_splat(p);
  v128_t vmax = wasm_f32x4_splat(0.0f);
  v128_t total = wasm_f64x2_splat(0.0);
  while (i + 16 <= n) {
    const size_t end = i + BLOCK <= n ? i + BLOCK : n;
    v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 16 <= end; i += 16) {
      const v128_t d0 = wasm_f32x4_sub(wasm_v128_load(x + i), vp);
      const v128_t d1 = wasm_f32x4_sub(wasm_v128_load(x + i + 4), vp);
      const v128_t d2 = wasm_f32x4_sub(wasm_v128_load(x + i + 8), vp);
      const v128_t d3 = wasm_f32x4_sub(wasm_v128_load(x + i + 12), vp);
      a0 = wasm_f32x4_add(a0, d0);
      a1 = wasm_f32x4_add(a1, d1);
      a2 = wasm_f32x4_add(a2, d2);
      a3 = wasm_f32x4_add(a3, d3);
      /* f32x4.max propagates NaN, so a NaN in the data reaches amax. */
      vmax = wasm_f32x4_max(vmax, wasm_f32x4_max(wasm_f32x4_max(wasm_f32x4_abs(d0), wasm_f32x4_abs(d1)),
                                                 wasm_f32x4_max(wasm_f32x4_abs(d2), wasm_f32x4_abs(d3))));
    }
    total = wasm_f64x2_add(total, nl_f32x4_sum_f64(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3))));
  }
  for (; i + 4 <= n; i += 4) {
    const v128_t d = wasm_f32x4_sub(wasm_v128_load(x + i), vp);
    total = wasm_f64x2_add(total, nl_f32x4_sum_f64(d));
    vmax = wasm_f32x4_max(vmax, wasm_f32x4_abs(d));
  }
  s->sum += wasm_f64x2_extract_lane(total, 0) + wasm_f64x2_extract_lane(total, 1);
  s->amax = nan_max(s->amax, nl_f32x4_hmax(vmax));
#endif
  for (; i < n; i++) {
    const float d = x[i] - p;
    s->sum += d;
    s->amax = nan_max(s->amax, fabsf(d));
  }
}

/* Pass 2 over one span: sums of e = ((x - hi) - lo) * scale and of e^2. */
static void span_centered_sums(const float *x, size_t n, float hi, float lo, float scale, sums *s) {
  size_t i = 0;
#ifdef NL_SIMD
  const v128_t vhi = wasm_f32x4_splat(hi), vlo = wasm_f32x4_splat(lo), vs = wasm_f32x4_splat(scale);
  v128_t tsum = wasm_f64x2_splat(0.0), tsq = tsum;
  while (i + 8 <= n) {
    const size_t end = i + BLOCK <= n ? i + BLOCK : n;
    v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, q0 = s0, q1 = s0;
    for (; i + 8 <= end; i += 8) {
      const v128_t e0 = wasm_f32x4_mul(
          wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(x + i), vhi), vlo), vs);
      const v128_t e1 = wasm_f32x4_mul(
          wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(x + i + 4), vhi), vlo), vs);
      s0 = wasm_f32x4_add(s0, e0);
      s1 = wasm_f32x4_add(s1, e1);
      q0 = wasm_f32x4_add(q0, wasm_f32x4_mul(e0, e0));
      q1 = wasm_f32x4_add(q1, wasm_f32x4_mul(e1, e1));
    }
    tsum = wasm_f64x2_add(tsum, nl_f32x4_sum_f64(wasm_f32x4_add(s0, s1)));
    tsq = wasm_f64x2_add(tsq, nl_f32x4_sum_f64(wasm_f32x4_add(q0, q1)));
  }
  s->sum += wasm_f64x2_extract_lane(tsum, 0) + wasm_f64x2_extract_lane(tsum, 1);
  s->sq += wasm_f64x2_extract_lane(tsq, 0) + wasm_f64x2_extract_lane(tsq, 1);
#endif
  for (; i < n; i++) {
    const double e = (double)((x[i] - hi) - lo) * scale;
    s->sum += e;
    s->sq += e * e;
  }
}

/* Plain double two-pass statistics.  Used when the fast path meets a
 * non-finite value: then, as in torch, mean = sum / n and var = NaN. */
static nl_moments exact_moments(const float *x, size_t len, size_t count, size_t stride) {
  const double n = (double)len * (double)count;
  double sum = 0.0, sq = 0.0;
  for (size_t k = 0; k < count; k++)
    for (size_t i = 0; i < len; i++) sum += x[k * stride + i];
  const double mean = sum / n;
  if (!isfinite(mean)) return (nl_moments){mean, NAN};
  for (size_t k = 0; k < count; k++)
    for (size_t i = 0; i < len; i++) {
      const double d = x[k * stride + i] - mean;
      sq += d * d;
    }
  return (nl_moments){mean, sq / n};
}

/* A power of two near 1 / amax, kept inside float's normal range. */
static float scale_for(double amax) {
  int e;
  frexp(amax, &e);
  if (e > 126) e = 126;
  if (e < -125) e = -125;
  return ldexpf(1.0f, -e);
}

nl_moments nl_group_moments(const float *x, size_t len, size_t count, size_t stride) {
  const double n = (double)len * (double)count;
  if (n == 0.0) return (nl_moments){NAN, NAN}; /* an empty group: nothing to read */
  const float p = x[0];
  sums s1 = {0, 0, 0};
  for (size_t k = 0; k < count; k++) span_shifted_sum(x + k * stride, len, p, &s1);
  if (!isfinite(s1.sum) || !isfinite(s1.amax)) return exact_moments(x, len, count, stride);
  if (s1.amax == 0.0) return (nl_moments){p, 0.0}; /* every element equals p */

  const double mean1 = p + s1.sum / n;
  const float hi = (float)mean1, lo = (float)(mean1 - hi);
  const float scale = scale_for(s1.amax);
  sums s2 = {0, 0, 0};
  for (size_t k = 0; k < count; k++) span_centered_sums(x + k * stride, len, hi, lo, scale, &s2);
  if (!isfinite(s2.sum) || !isfinite(s2.sq)) return exact_moments(x, len, count, stride);

  const double shift = s2.sum / n; /* E[e]: the correction to mean1, scaled */
  const double var = (s2.sq / n - shift * shift) / ((double)scale * scale);
  return (nl_moments){mean1 + shift / scale, var > 0.0 ? var : 0.0};
}

double nl_mean_square(const float *x, size_t n) {
  sums s1 = {0, 0, 0};
  span_shifted_sum(x, n, 0.0f, &s1); /* only max |x| is needed */
  if (!isfinite(s1.amax)) { /* Inf gives Inf (torch then outputs 0 * x), NaN gives NaN */
    double sq = 0.0;
    for (size_t i = 0; i < n; i++) sq += (double)x[i] * x[i];
    return sq;
  }
  if (s1.amax == 0.0) return 0.0;
  const float scale = scale_for(s1.amax);
  sums s2 = {0, 0, 0};
  span_centered_sums(x, n, 0.0f, 0.0f, scale, &s2);
  return s2.sq / (double)n / ((double)scale * scale);
}

double nl_rstd(double var, double eps) { return 1.0 / sqrt(var + eps); }
