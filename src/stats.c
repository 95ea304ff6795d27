/* Statistics: the moments (mean, biased variance) and the mean square of a
 * group, and nothing else (see moments.h).
 *
 * Fast path, one pass: sums of d = x - p and d^2 with the pivot p = the mean
 * of the first four elements (x[0] in groups shorter than that).  Shifting by
 * a value inside the data keeps a large offset (1e6 + noise) out of the sums,
 * x - p is then exact, and a pivot close to the mean keeps the cancellation
 * in E[d^2] - E[d]^2 small.  The summing loop is sums.h's (float32
 * partial sums of at most 16 values per lane in the SIMD build, moved to
 * double every 256 elements; double in the scalar build).  Then
 *   mean = p + E[d],   var = E[d^2] - E[d]^2.
 * That subtraction is only trusted when the pivot lay within 4 standard
 * deviations of the mean (E[d]^2 <= 16 var) and the squares were well inside
 * float32's range.  Anything else -- a NaN or Inf, an overflowing square, a
 * variance below 2^-100, an outlier as pivot -- goes to the exact path: a
 * plain float64 two-pass over the group, which also gives torch's answer for
 * non-finite data (mean = sum / n, var = NaN). */
#include <math.h>

#include "groups.h" /* NL_SHORT_SPAN, NL_CHUNK */
#include "moments.h"
#include "simd.h"
#include "sums.h"

#define TINY_VAR 7.888609052210118e-31 /* 2^-100: below this, float32 squares lose bits */

/* nl_span_sums without a rider. */
static void span_sums(const float *x, size_t n, float p, nl_sums *s) {
  const nl_plan none = {0.0f, 0.0f, 0.0f, 0};
  if (p == 0.0f)
    nl_span_sums(x, n, p, s, 0, NULL, NULL, none, 0, 0);
  else
    nl_span_sums(x, n, p, s, 1, NULL, NULL, none, 0, 0);
}

/* Plain float64 two-pass statistics: exact for any finite float32 data;
 * with a NaN or Inf, mean = sum / n and var = NaN as in torch. */
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

/* The pivot: the mean of the first four elements (x[0] in shorter spans), or
 * 0 when those lie on both sides of zero -- data centred near zero needs no
 * shift, and the loop then saves a subtraction per vector.  The verdict of
 * fast_moments guards both choices. */
static float mean4(const float *x) { return ((x[0] + x[1]) + (x[2] + x[3])) * 0.25f; }

float nl_pivot(const float *x, size_t len) {
  if (len < 4) return x[0];
  /* & rather than && or fminf: on random signs, a branch per comparison
   * mispredicts (measured 10% on LayerNorm [4096,768]). */
  const int pos = (x[0] > 0.0f) & (x[1] > 0.0f) & (x[2] > 0.0f) & (x[3] > 0.0f);
  const int neg = (x[0] < 0.0f) & (x[1] < 0.0f) & (x[2] < 0.0f) & (x[3] < 0.0f);
  return pos | neg ? mean4(x) : 0.0f;
}

/* Shifted sums over the `count` spans of a group. */
static nl_sums group_sums(const float *x, size_t len, size_t count, size_t stride, float p) {
  nl_sums s = {0.0, 0.0};
  for (size_t k = 0; k < count; k++) span_sums(x + k * stride, len, p, &s);
  return s;
}

/* The fast path's verdict on sums of n shifted values with pivot p. */
static int fast_moments(double p, double inv_n, double d, double dd, nl_moments *m) {
  const double mean = d * inv_n, var = dd * inv_n - mean * mean;
  m->mean = p + mean;
  m->var = var;
  return isfinite(dd) && var >= TINY_VAR && mean * mean <= 16.0 * var;
}

/* The moments from the sums with pivot p: the fast path's when its verdict
 * allows, else a retry or the exact two-pass (both read x again). */
nl_moments nl_moments_from_sums(const float *x, size_t len, size_t count, size_t stride, float p,
                                nl_sums s) {
  const double inv_n = 1.0 / ((double)len * (double)count);
  nl_moments m;
  if (fast_moments(p, inv_n, s.d, s.dd, &m)) return m;
  if (p == 0.0f && len >= 4) { /* centred by the first elements but not by the rest: shift after all */
    const float q = mean4(x);
    s = group_sums(x, len, count, stride, q);
    if (fast_moments(q, inv_n, s.d, s.dd, &m)) return m;
  }
  return exact_moments(x, len, count, stride);
}

nl_moments nl_group_moments(const float *x, size_t len, size_t count, size_t stride) {
  if (len == 0 || count == 0) return (nl_moments){NAN, NAN}; /* an empty group: nothing to read */
  const float p = nl_pivot(x, len);
  return nl_moments_from_sums(x, len, count, stride, p, group_sums(x, len, count, stride, p));
}

#ifdef NL_SIMD
/* fast_moments on four groups at once, in two f64x2 halves (the same double
 * operations, so the same results): 1 when all four pass the verdict and,
 * unshifted, have the mean within one standard deviation of 0. */
static int fast_moments4(nl_v128 P, nl_v128 S, nl_v128 Q, double inv_n, int shifted, nl_moments4 *m) {
  const nl_v128 n = nl_f64x2_splat(inv_n), tiny = nl_f64x2_splat(TINY_VAR);
  const nl_v128 inf = nl_f64x2_splat(INFINITY), sixteen = nl_f64x2_splat(16.0);
  nl_v128 ok = nl_mask_all();
  for (int h = 0; h < 2; h++) {
    const nl_v128 p = nl_f64x2_promote_half(P, h);
    const nl_v128 d = nl_f64x2_promote_half(S, h);
    const nl_v128 dd = nl_f64x2_promote_half(Q, h);
    const nl_v128 mean = nl_f64x2_mul(d, n), mm = nl_f64x2_mul(mean, mean);
    const nl_v128 var = nl_f64x2_sub(nl_f64x2_mul(dd, n), mm);
    m->mean[h] = nl_f64x2_add(p, mean);
    m->var[h] = var;
    ok = nl_v128_and(ok, nl_f64x2_lt(nl_f64x2_abs(dd), inf));
    ok = nl_v128_and(ok, nl_f64x2_ge(var, tiny));
    ok = nl_v128_and(ok, nl_f64x2_le(mm, shifted ? nl_f64x2_mul(sixteen, var) : var));
  }
  return nl_mask64_all(ok);
}

/* Moments of four consecutive short groups (4 <= len <= NL_SHORT_SPAN) side by
 * side: each group keeps its own vector accumulators, the four are reduced
 * together, and the len % 4 tail elements are gathered one column at a time.
 * Short groups keep float32 chains short, so no move to double is needed.
 *
 * shifted = 0 sums x itself: two adds per vector instead of three, and eight
 * accumulators that fit V8's registers (four pivots as well spill one to the
 * stack).  It is trusted only while the mean is within one standard deviation
 * of 0 (cancellation at most 2x); returns 0, results unset, when a group is
 * not.  shifted = 1 takes each group's pivot as nl_group_moments does (the
 * mean of its first four) and always succeeds. */
static inline __attribute__((always_inline)) int moments4_body(const float *x, size_t len,
                                                               nl_moments4 *out, int shifted) {
  const float *x0 = x, *x1 = x + len, *x2 = x + 2 * len, *x3 = x + 3 * len;
  const nl_v128 P = shifted ? nl_f32x4_mul(nl_f32x4_hsum4(nl_f32x4_load(x0), nl_f32x4_load(x1), nl_f32x4_load(x2),
                                                  nl_f32x4_load(x3)), nl_f32x4_splat(0.25f))
                           : nl_f32x4_splat(0.0f);
  nl_v128 pk[4];
  nl_f32x4_broadcast4(P, pk);
  const nl_v128 zero = nl_f32x4_splat(0.0f);
  nl_v128 s[4] = {zero, zero, zero, zero}, q[4] = {zero, zero, zero, zero};
  size_t i = 0;
  for (; i + 4 <= len; i += 4) /* one vector of each group: chain k sums group k */
    nl_add_moments4(s, q, nl_shifted(nl_f32x4_load(x0 + i), pk[0], shifted),
                    nl_shifted(nl_f32x4_load(x1 + i), pk[1], shifted),
                    nl_shifted(nl_f32x4_load(x2 + i), pk[2], shifted),
                    nl_shifted(nl_f32x4_load(x3 + i), pk[3], shifted));
  nl_v128 S = nl_f32x4_hsum4(s[0], s[1], s[2], s[3]), Q = nl_f32x4_hsum4(q[0], q[1], q[2], q[3]);
  for (; i < len; i++) {
    const nl_v128 t = nl_shifted(nl_f32x4_make(x0[i], x1[i], x2[i], x3[i]), P, shifted);
    S = nl_f32x4_add(S, t);
    Q = nl_f32x4_add(Q, nl_f32x4_mul(t, t));
  }
  const double inv_n = 1.0 / (double)len;
  if (fast_moments4(P, S, Q, inv_n, shifted, out)) return 1; /* the common case */
  if (!shifted) return 0;
  float sv[4], qv[4], pv[4]; /* a group failed the fast verdict: it takes the exact path */
  nl_f32x4_store(sv, S);
  nl_f32x4_store(qv, Q);
  nl_f32x4_store(pv, P);
  nl_moments m[4];
  for (int j = 0; j < 4; j++)
    if (!fast_moments(pv[j], inv_n, sv[j], qv[j], &m[j])) m[j] = exact_moments(x + j * len, len, 1, 0);
  for (int h = 0; h < 2; h++) {
    out->mean[h] = nl_f64x2_make(m[2 * h].mean, m[2 * h + 1].mean);
    out->var[h] = nl_f64x2_make(m[2 * h].var, m[2 * h + 1].var);
  }
  return 1;
}

/* RMSNorm's statistic of four short groups as moments: mean 0 and var =
 * mean(x^2), from float32 sums trusted as nl_mean_square trusts its own (if
 * one overflows or underflows, the four groups go to nl_mean_square). */
static void mean_squares4(const float *x, size_t len, nl_moments4 *out) {
  const float *x0 = x, *x1 = x + len, *x2 = x + 2 * len, *x3 = x + 3 * len;
  const nl_v128 zero = nl_f32x4_splat(0.0f);
  nl_v128 q[4] = {zero, zero, zero, zero};
  size_t i = 0;
  for (; i + 4 <= len; i += 4) { /* one vector of each group: chain k sums group k */
    const nl_v128 a = nl_f32x4_load(x0 + i), b = nl_f32x4_load(x1 + i);
    const nl_v128 c = nl_f32x4_load(x2 + i), d = nl_f32x4_load(x3 + i);
    q[0] = nl_f32x4_add(q[0], nl_f32x4_mul(a, a));
    q[1] = nl_f32x4_add(q[1], nl_f32x4_mul(b, b));
    q[2] = nl_f32x4_add(q[2], nl_f32x4_mul(c, c));
    q[3] = nl_f32x4_add(q[3], nl_f32x4_mul(d, d));
  }
  nl_v128 Q = nl_f32x4_hsum4(q[0], q[1], q[2], q[3]);
  for (; i < len; i++) {
    const nl_v128 t = nl_f32x4_make(x0[i], x1[i], x2[i], x3[i]);
    Q = nl_f32x4_add(Q, nl_f32x4_mul(t, t));
  }
  const nl_v128 n = nl_f64x2_splat(1.0 / (double)len), tiny = nl_f64x2_splat(TINY_VAR);
  const nl_v128 inf = nl_f64x2_splat(INFINITY);
  nl_v128 ok = nl_mask_all();
  for (int h = 0; h < 2; h++) {
    const nl_v128 ms = nl_f64x2_mul(nl_f64x2_promote_half(Q, h), n);
    out->mean[h] = nl_f64x2_splat(0.0);
    out->var[h] = ms;
    ok = nl_v128_and(ok, nl_v128_and(nl_f64x2_lt(ms, inf), nl_f64x2_ge(ms, tiny)));
  }
  if (nl_mask64_all(ok)) return;
  double ms[4];
  for (int j = 0; j < 4; j++) ms[j] = nl_mean_square(x + j * len, len);
  for (int h = 0; h < 2; h++) out->var[h] = nl_f64x2_make(ms[2 * h], ms[2 * h + 1]);
}

/* The statistic of `fours` runs of four groups; runs of moments start
 * unshifted and stay shifted from the first off-centre run on. */
void nl_statistic_of_fours(nl_statistic stat, const float *x, size_t fours, size_t len, nl_moments4 *m) {
  int shifted = 0;
  for (size_t q = 0; q < fours; q++) {
    const float *xq = x + 4 * q * len;
    if (stat == NL_MEAN_SQUARE) {
      mean_squares4(xq, len, m + q);
      continue;
    }
    if (!shifted && moments4_body(xq, len, m + q, 0)) continue;
    shifted = 1; /* data off-centre: stay shifted for the rest of this run of groups */
    moments4_body(xq, len, m + q, 1);
  }
}
#endif

nl_moments nl_statistic_of(nl_statistic stat, const float *x, size_t len) {
  if (stat == NL_MEAN_SQUARE) return (nl_moments){0.0, nl_mean_square(x, len)};
  return nl_group_moments(x, len, 1, 0);
}

void nl_statistic_of_groups(nl_statistic stat, const float *x, size_t groups, size_t len, nl_moments *out) {
  size_t g = 0;
#ifdef NL_SIMD
  /* Moments only: the four-wide mean square rounds differently from
   * nl_mean_square, and RMSNorm's chunks have always taken nl_mean_square
   * (today's outputs, bit for bit). */
  if (stat == NL_MOMENTS && len >= 4 && len <= NL_SHORT_SPAN)
    while (g + 4 <= groups) {
      nl_moments4 m[NL_CHUNK / 4];
      const size_t fours = (groups - g) / 4 < NL_CHUNK / 4 ? (groups - g) / 4 : NL_CHUNK / 4;
      nl_statistic_of_fours(stat, x + g * len, fours, len, m);
      for (size_t q = 0; q < fours; q++, g += 4) {
        double mean[4], var[4];
        for (int h = 0; h < 2; h++) {
          nl_f64x2_store(mean + 2 * h, m[q].mean[h]);
          nl_f64x2_store(var + 2 * h, m[q].var[h]);
        }
        for (int j = 0; j < 4; j++) out[g + j] = (nl_moments){mean[j], var[j]};
      }
    }
#endif
  for (; g < groups; g++) out[g] = nl_statistic_of(stat, x + g * len, len);
}

double nl_mean_square(const float *x, size_t n) {
  nl_sums s = {0.0, 0.0};
  span_sums(x, n, 0.0f, &s);
  const double ms = s.dd / (double)n;
  if (isfinite(ms) && ms >= TINY_VAR) return ms;
  double sq = 0.0; /* exact: no float32 overflow or underflow; Inf stays Inf, NaN NaN */
  for (size_t i = 0; i < n; i++) sq += (double)x[i] * x[i];
  return sq / (double)n;
}

double nl_rstd(double var, double eps) { return 1.0 / sqrt(var + eps); }

void nl_rstds(const nl_moments *m, size_t count, double eps, double *rstd) {
  size_t j = 0;
#ifdef NL_SIMD
  /* Two at a time halves the divider's time per group, which many short
   * groups notice. */
  for (; j + 2 <= count; j += 2) nl_f64x2_store(rstd + j, nl_rstd2(nl_f64x2_make(m[j].var, m[j + 1].var), eps));
#endif
  for (; j < count; j++) rstd[j] = nl_rstd(m[j].var, eps);
}
