/* Group statistics: the one routine every op uses for its mean and variance.
 *
 * Fast path, one pass: sums of d = x - p and d^2 with the pivot p = the mean
 * of the first four elements (x[0] in groups shorter than that).  Shifting by
 * a value inside the data keeps a large offset (1e6 + noise) out of the sums,
 * x - p is then exact, and a pivot close to the mean keeps the cancellation
 * in E[d^2] - E[d]^2 small.  The SIMD loop adds float32 partial sums of
 * at most 16 values per lane and moves them to double every BLOCK elements,
 * so float32 rounding stays at the level of a short sum.  Then
 *   mean = p + E[d],   var = E[d^2] - E[d]^2.
 * That subtraction is only trusted when the pivot lay within 4 standard
 * deviations of the mean (E[d]^2 <= 16 var) and the squares were well inside
 * float32's range.  Anything else -- a NaN or Inf, an overflowing square, a
 * variance below 2^-100, an outlier as pivot -- goes to the exact path: a
 * plain float64 two-pass over the group, which also gives torch's answer for
 * non-finite data (mean = sum / n, var = NaN). */
#include <math.h>

#include "normlab.h"
#include "plan.h"
#include "simd.h"

#define BLOCK 256 /* elements per float32 partial sum before it moves to double */
#define TINY_VAR 7.888609052210118e-31 /* 2^-100: below this, float32 squares lose bits */

typedef struct {
  double d;  /* sum of x - p */
  double dd; /* sum of (x - p)^2 */
} sums;

#ifdef NL_SIMD
static inline v128_t shift(v128_t v, v128_t p, int shifted) { return shifted ? wasm_f32x4_sub(v, p) : v; }

/* The step both SIMD sum loops take: four vectors into four chains of sums
 * s[k] and of squares q[k] (four chains hide the add latency). */
static inline void add_moments4(v128_t s[4], v128_t q[4], v128_t a, v128_t b, v128_t c, v128_t d) {
  s[0] = wasm_f32x4_add(s[0], a);
  s[1] = wasm_f32x4_add(s[1], b);
  s[2] = wasm_f32x4_add(s[2], c);
  s[3] = wasm_f32x4_add(s[3], d);
  q[0] = wasm_f32x4_add(q[0], wasm_f32x4_mul(a, a));
  q[1] = wasm_f32x4_add(q[1], wasm_f32x4_mul(b, b));
  q[2] = wasm_f32x4_add(q[2], wasm_f32x4_mul(c, c));
  q[3] = wasm_f32x4_add(q[3], wasm_f32x4_mul(d, d));
}
#endif

/* Sums of d = x - p and d^2 over one span of n contiguous floats.  With
 * shifted = 0 the pivot is 0 and the subtraction is left out of the loop.
 * With ride = 1 the same loop also normalizes rx[0..n) into ry by plan rp
 * (nl_moments_riding): the sums are the same either way. */
static inline __attribute__((always_inline)) void span_sums_body(const float *x, size_t n, float p,
                                                                 sums *s, int shifted,
                                                                 const float *rx, float *ry,
                                                                 nl_plan rp, int ride, int centred) {
  size_t i = 0;
  (void)shifted; /* the scalar build always subtracts p (exact in double) */
#ifdef NL_SIMD
  const v128_t vp = wasm_f32x4_splat(p);
  const nl_vplan rv = nl_vplan_of(rp);
#define NL_RIDE(k) nl_vplan_store(rx, ry, NULL, NULL, i, k, rv, centred, 0, 0)
  v128_t td = wasm_f64x2_splat(0.0), tdd = td;
  while (i + 4 <= n) {
    const size_t end = i + BLOCK <= n ? i + BLOCK : n;
    const v128_t zero = wasm_f32x4_splat(0.0f);
    v128_t d[4] = {zero, zero, zero, zero}, q[4] = {zero, zero, zero, zero};
    for (; i + 16 <= end; i += 16) {
      add_moments4(d, q, shift(wasm_v128_load(x + i), vp, shifted), shift(wasm_v128_load(x + i + 4), vp, shifted),
                   shift(wasm_v128_load(x + i + 8), vp, shifted), shift(wasm_v128_load(x + i + 12), vp, shifted));
      if (ride) {
        NL_RIDE(0);
        NL_RIDE(4);
        NL_RIDE(8);
        NL_RIDE(12);
      }
    }
    for (; i + 4 <= end; i += 4) { /* at most three vectors left in this block */
      const v128_t a = shift(wasm_v128_load(x + i), vp, shifted);
      d[0] = wasm_f32x4_add(d[0], a);
      q[0] = wasm_f32x4_add(q[0], wasm_f32x4_mul(a, a));
      if (ride) NL_RIDE(0);
    }
    td = wasm_f64x2_add(td, nl_f32x4_sum_f64(wasm_f32x4_add(wasm_f32x4_add(d[0], d[1]), wasm_f32x4_add(d[2], d[3]))));
    tdd = wasm_f64x2_add(tdd, nl_f32x4_sum_f64(wasm_f32x4_add(wasm_f32x4_add(q[0], q[1]), wasm_f32x4_add(q[2], q[3]))));
  }
#undef NL_RIDE
  s->d += wasm_f64x2_extract_lane(td, 0) + wasm_f64x2_extract_lane(td, 1);
  s->dd += wasm_f64x2_extract_lane(tdd, 0) + wasm_f64x2_extract_lane(tdd, 1);
#endif
  for (; i < n; i++) {
    const double d = x[i] - p;
    s->d += d;
    s->dd += d * d;
    if (ride) nl_plan_store(rx, ry, NULL, NULL, i, rp, centred, 0, 0);
  }
}

static void span_sums(const float *x, size_t n, float p, sums *s) {
  const nl_plan none = {0.0f, 0.0f, 0.0f, 0};
  if (p == 0.0f)
    span_sums_body(x, n, p, s, 0, NULL, NULL, none, 0, 0);
  else
    span_sums_body(x, n, p, s, 1, NULL, NULL, none, 0, 0);
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

static float pivot(const float *x, size_t len) {
  if (len < 4) return x[0];
  /* & rather than && or fminf: on random signs, a branch per comparison
   * mispredicts (measured 10% on LayerNorm [4096,768]). */
  const int pos = (x[0] > 0.0f) & (x[1] > 0.0f) & (x[2] > 0.0f) & (x[3] > 0.0f);
  const int neg = (x[0] < 0.0f) & (x[1] < 0.0f) & (x[2] < 0.0f) & (x[3] < 0.0f);
  return pos | neg ? mean4(x) : 0.0f;
}

/* Shifted sums over the `count` spans of a group. */
static sums group_sums(const float *x, size_t len, size_t count, size_t stride, float p) {
  sums s = {0.0, 0.0};
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
static nl_moments moments_from_sums(const float *x, size_t len, size_t count, size_t stride, float p,
                                    sums s) {
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
  const float p = pivot(x, len);
  return moments_from_sums(x, len, count, stride, p, group_sums(x, len, count, stride, p));
}

nl_moments nl_moments_riding(const float *next, size_t len, const float *x, float *y, nl_plan plan) {
  const float p = pivot(next, len);
  sums s = {0.0, 0.0};
  if (p == 0.0f) {
    if (plan.centred) span_sums_body(next, len, p, &s, 0, x, y, plan, 1, 1);
    else span_sums_body(next, len, p, &s, 0, x, y, plan, 1, 0);
  } else {
    if (plan.centred) span_sums_body(next, len, p, &s, 1, x, y, plan, 1, 1);
    else span_sums_body(next, len, p, &s, 1, x, y, plan, 1, 0);
  }
  return moments_from_sums(next, len, 1, 0, p, s);
}

#ifdef NL_SIMD
/* Horizontal sums of four vectors at once: lane j of the result is the sum
 * of the lanes of v[j].  One transpose instead of four reductions. */
static inline v128_t hsum4(v128_t a, v128_t b, v128_t c, v128_t d) {
  const v128_t ab = wasm_f32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  const v128_t cd = wasm_f32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5), wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7));
}

/* fast_moments on four groups at once, in two f64x2 halves (the same double
 * operations, so the same results): 1 when all four pass the verdict and,
 * unshifted, have the mean within one standard deviation of 0. */
static int fast_moments4(v128_t P, v128_t S, v128_t Q, double inv_n, int shifted, nl_moments4 *m) {
  const v128_t n = wasm_f64x2_splat(inv_n), tiny = wasm_f64x2_splat(TINY_VAR);
  const v128_t inf = wasm_f64x2_splat(INFINITY), sixteen = wasm_f64x2_splat(16.0);
  v128_t ok = wasm_i32x4_splat(-1);
  for (int h = 0; h < 2; h++) {
    const v128_t p = wasm_f64x2_promote_low_f32x4(h ? wasm_i32x4_shuffle(P, P, 2, 3, 2, 3) : P);
    const v128_t d = wasm_f64x2_promote_low_f32x4(h ? wasm_i32x4_shuffle(S, S, 2, 3, 2, 3) : S);
    const v128_t dd = wasm_f64x2_promote_low_f32x4(h ? wasm_i32x4_shuffle(Q, Q, 2, 3, 2, 3) : Q);
    const v128_t mean = wasm_f64x2_mul(d, n), mm = wasm_f64x2_mul(mean, mean);
    const v128_t var = wasm_f64x2_sub(wasm_f64x2_mul(dd, n), mm);
    m->mean[h] = wasm_f64x2_add(p, mean);
    m->var[h] = var;
    ok = wasm_v128_and(ok, wasm_f64x2_lt(wasm_f64x2_abs(dd), inf));
    ok = wasm_v128_and(ok, wasm_f64x2_ge(var, tiny));
    ok = wasm_v128_and(ok, wasm_f64x2_le(mm, shifted ? wasm_f64x2_mul(sixteen, var) : var));
  }
  return wasm_i64x2_all_true(ok);
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
  const v128_t P = shifted ? wasm_f32x4_mul(hsum4(wasm_v128_load(x0), wasm_v128_load(x1), wasm_v128_load(x2),
                                                  wasm_v128_load(x3)), wasm_f32x4_splat(0.25f))
                           : wasm_f32x4_splat(0.0f);
  const v128_t p0 = wasm_i32x4_shuffle(P, P, 0, 0, 0, 0), p1 = wasm_i32x4_shuffle(P, P, 1, 1, 1, 1);
  const v128_t p2 = wasm_i32x4_shuffle(P, P, 2, 2, 2, 2), p3 = wasm_i32x4_shuffle(P, P, 3, 3, 3, 3);
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t s[4] = {zero, zero, zero, zero}, q[4] = {zero, zero, zero, zero};
  size_t i = 0;
  for (; i + 4 <= len; i += 4) /* one vector of each group: chain k sums group k */
    add_moments4(s, q, shift(wasm_v128_load(x0 + i), p0, shifted), shift(wasm_v128_load(x1 + i), p1, shifted),
                 shift(wasm_v128_load(x2 + i), p2, shifted), shift(wasm_v128_load(x3 + i), p3, shifted));
  v128_t S = hsum4(s[0], s[1], s[2], s[3]), Q = hsum4(q[0], q[1], q[2], q[3]);
  for (; i < len; i++) {
    const v128_t t = shift(wasm_f32x4_make(x0[i], x1[i], x2[i], x3[i]), P, shifted);
    S = wasm_f32x4_add(S, t);
    Q = wasm_f32x4_add(Q, wasm_f32x4_mul(t, t));
  }
  const double inv_n = 1.0 / (double)len;
  if (fast_moments4(P, S, Q, inv_n, shifted, out)) return 1; /* the common case */
  if (!shifted) return 0;
  float sv[4], qv[4], pv[4]; /* a group failed the fast verdict: it takes the exact path */
  wasm_v128_store(sv, S);
  wasm_v128_store(qv, Q);
  wasm_v128_store(pv, P);
  nl_moments m[4];
  for (int j = 0; j < 4; j++)
    if (!fast_moments(pv[j], inv_n, sv[j], qv[j], &m[j])) m[j] = exact_moments(x + j * len, len, 1, 0);
  for (int h = 0; h < 2; h++) {
    out->mean[h] = wasm_f64x2_make(m[2 * h].mean, m[2 * h + 1].mean);
    out->var[h] = wasm_f64x2_make(m[2 * h].var, m[2 * h + 1].var);
  }
  return 1;
}

/* RMSNorm's statistic of four short groups as moments: mean 0 and var =
 * mean(x^2), from float32 sums trusted as nl_mean_square trusts its own (if
 * one overflows or underflows, the four groups go to nl_mean_square). */
static void mean_squares4(const float *x, size_t len, nl_moments4 *out) {
  const float *x0 = x, *x1 = x + len, *x2 = x + 2 * len, *x3 = x + 3 * len;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t q[4] = {zero, zero, zero, zero};
  size_t i = 0;
  for (; i + 4 <= len; i += 4) { /* one vector of each group: chain k sums group k */
    const v128_t a = wasm_v128_load(x0 + i), b = wasm_v128_load(x1 + i);
    const v128_t c = wasm_v128_load(x2 + i), d = wasm_v128_load(x3 + i);
    q[0] = wasm_f32x4_add(q[0], wasm_f32x4_mul(a, a));
    q[1] = wasm_f32x4_add(q[1], wasm_f32x4_mul(b, b));
    q[2] = wasm_f32x4_add(q[2], wasm_f32x4_mul(c, c));
    q[3] = wasm_f32x4_add(q[3], wasm_f32x4_mul(d, d));
  }
  v128_t Q = hsum4(q[0], q[1], q[2], q[3]);
  for (; i < len; i++) {
    const v128_t t = wasm_f32x4_make(x0[i], x1[i], x2[i], x3[i]);
    Q = wasm_f32x4_add(Q, wasm_f32x4_mul(t, t));
  }
  const v128_t n = wasm_f64x2_splat(1.0 / (double)len), tiny = wasm_f64x2_splat(TINY_VAR);
  const v128_t inf = wasm_f64x2_splat(INFINITY);
  v128_t ok = wasm_i32x4_splat(-1);
  for (int h = 0; h < 2; h++) {
    const v128_t ms = wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(h ? wasm_i32x4_shuffle(Q, Q, 2, 3, 2, 3) : Q), n);
    out->mean[h] = wasm_f64x2_splat(0.0);
    out->var[h] = ms;
    ok = wasm_v128_and(ok, wasm_v128_and(wasm_f64x2_lt(ms, inf), wasm_f64x2_ge(ms, tiny)));
  }
  if (wasm_i64x2_all_true(ok)) return;
  double ms[4];
  for (int j = 0; j < 4; j++) ms[j] = nl_mean_square(x + j * len, len);
  for (int h = 0; h < 2; h++) out->var[h] = wasm_f64x2_make(ms[2 * h], ms[2 * h + 1]);
}

void nl_moments_quads(const float *x, size_t quads, size_t len, int rms, nl_moments4 *m) {
  int shifted = 0;
  for (size_t q = 0; q < quads; q++) {
    const float *xq = x + 4 * q * len;
    if (rms) {
      mean_squares4(xq, len, m + q);
      continue;
    }
    if (!shifted && moments4_body(xq, len, m + q, 0)) continue;
    shifted = 1; /* data off-centre: stay shifted for the rest of this run of groups */
    moments4_body(xq, len, m + q, 1);
  }
}
#endif

void nl_moments_rows(const float *x, size_t groups, size_t len, nl_moments *out) {
  size_t g = 0;
#ifdef NL_SIMD
  if (len >= 4 && len <= NL_SHORT_SPAN)
    while (g + 4 <= groups) {
      nl_moments4 m[NL_CHUNK / 4];
      const size_t quads = (groups - g) / 4 < NL_CHUNK / 4 ? (groups - g) / 4 : NL_CHUNK / 4;
      nl_moments_quads(x + g * len, quads, len, 0, m);
      for (size_t q = 0; q < quads; q++, g += 4) {
        double mean[4], var[4];
        for (int h = 0; h < 2; h++) {
          wasm_v128_store(mean + 2 * h, m[q].mean[h]);
          wasm_v128_store(var + 2 * h, m[q].var[h]);
        }
        for (int j = 0; j < 4; j++) out[g + j] = (nl_moments){mean[j], var[j]};
      }
    }
#endif
  for (; g < groups; g++) out[g] = nl_group_moments(x + g * len, len, 1, 0);
}

int nl_next_chunk(const float *x, size_t groups, size_t len, nl_chunk *ch) {
  const size_t first = ch->first + ch->count;
  if (first >= groups) return 0;
  const size_t size = nl_chunk_groups(len); /* short ones take the four-at-a-time statistics */
  ch->first = first;
  ch->count = groups - first < size ? groups - first : size;
  nl_moments_rows(x + first * len, ch->count, len, ch->m);
  return 1;
}

double nl_mean_square(const float *x, size_t n) {
  sums s = {0.0, 0.0};
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
  for (; j + 2 <= count; j += 2) wasm_v128_store(rstd + j, nl_rstd2(wasm_f64x2_make(m[j].var, m[j + 1].var), eps));
#endif
  for (; j < count; j++) rstd[j] = nl_rstd(m[j].var, eps);
}

int nl_build_simd(void) {
#ifdef NL_SIMD
  return 1;
#else
  return 0;
#endif
}
