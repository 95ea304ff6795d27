/* Backward passes: the gradients of every op for the same call, as
 * torch.autograd gives them (backward.h).
 *
 * Every op normalizes sets of n elements (a row, a group of channels, a
 * plane, a channel over the batch) by a mean and an rstd, then applies the
 * affine:  xhat = (x - mean) * rstd,  y = xhat * w + b.  With g = dy * w,
 * over each set (llm.c's layernorm_backward, in the centered form):
 *
 *   dx = rstd * (g - mean(g) - xhat * mean(g * xhat))
 *   dw = sum dy * xhat        db = sum dy
 *
 * dw and db sum over every set the parameter meets (a LayerNorm weight over
 * all rows, a channel's over all samples).  mean(g) is there because the
 * mean depends on x, xhat * mean(g * xhat) because the variance does; a
 * statistic that does not depend on x drops its term:
 *   RMSNorm     mean = 0, so dx = rstd * (g - xhat * mean(g * xhat));
 *   running statistics (BatchNorm eval, InstanceNorm without input stats)
 *               dx = rstd * g.
 * Momentum and the running-statistics update do not enter the gradient.
 *
 * Accuracy.  Every per-element term and every sum is double (see "one
 * run"), and the statistics that depend on x are taken again exactly in the
 * sums pass, around the forward's mean (see "one set"): x - mean is then
 * exact to double rounding at any offset (1e6 + N(0, 0.1)) and exactly 0 in
 * a constant set, whose mean the statistics give exactly -- so there dw is
 * exactly 0.  torch's float32 CPU kernel instead forms sum(dy * x) - mean *
 * sum(dy), which cancels at large offsets.  Each gradient is within a float
 * rounding of float64, also where it cancels. */
#include <stdlib.h>

#include "backward.h"
#include "groups.h"
#include "moments.h"

/* Which statistics depend on x: the terms dx has. */
typedef enum { DEPENDS_MEAN_AND_VAR, DEPENDS_VAR, DEPENDS_NONE } nl_depends;

/* ---- the statistics: the forward call's, bit for bit ---- */

/* Mean and variance of every group into pairs[2g], pairs[2g + 1], as the
 * forward call on G computed them (the backward takes the mean as the pivot
 * of its own exact statistics, so that stats given or recomputed give the
 * same bits; only moments are recomputed: RMSNorm's pivot is 0).  A forward
 * call that updates running statistics visits its groups by the plain
 * strategy (ops.c's run()); the others by nl_pick_strategy's
 * (strategies.c).  For the moments every strategy gives those of
 * nl_statistic_of_groups in chunks of NL_CHUNK groups (only four_groups' mean
 * square rounds otherwise), so a LayerNorm backward with a bias and no weight
 * (the forward ran with ones) may pick another strategy than its forward and
 * still gets the same moments. */
static void forward_statistics(const nl_groups *G, int updates_running, double *pairs) {
  const size_t len = G->len;
  size_t g = 0;
  if (updates_running || G->spans != 1) { /* the plain strategy's, group by group */
    for (; g < G->groups; g++) {
      const float *x = G->x + g * G->group_stride;
      const nl_moments m = G->spans == 1 ? nl_statistic_of(G->statistic, x, len)
                                         : nl_group_moments(x, len, G->spans, G->span_stride);
      pairs[2 * g] = m.mean;
      pairs[2 * g + 1] = m.var;
    }
    return;
  }
  nl_moments m[NL_CHUNK];
  while (g < G->groups) {
    const size_t count = G->groups - g < NL_CHUNK ? G->groups - g : NL_CHUNK;
    nl_statistic_of_groups(G->statistic, G->x + g * len, count, len, m);
    for (size_t j = 0; j < count; j++, g++) {
      pairs[2 * g] = m[j].mean;
      pairs[2 * g + 1] = m[j].var;
    }
  }
}

/* ---- one run: the per-element work, in double ----
 *
 * A set is made of runs: contiguous elements that share one step of the
 * weight (a weight per element, or the run's channel's).  Everything per
 * element is double: x, dy and w are exact in double, so each term is within
 * a double rounding of its true value and the float32 result is within one
 * float rounding of float64 even where the terms cancel -- in a set of two
 * (dx of the order of eps), under an upstream gradient that follows xhat
 * (dy = y: dx = rstd * xhat * eps / (var + eps)), in a dw over coherent
 * values, or on running statistics far from the data.  Float terms lose
 * 2^-24 of the largest term there, beyond issue 15's tolerance.
 *
 * Each loop below is written twice: a step of WIDE elements in double lanes
 * (two f64x2 per four floats in the SIMD build, one double in the scalar
 * one), and the same operations one element at a time (the run's last
 * n % WIDE; the whole run when plain_only: the plain version the tests check
 * the wide one against -- each element gets the same IEEE operations, only
 * the order of the sums differs). */

#ifdef NL_SIMD
#define WIDE 4 /* four floats as two f64x2 */
typedef struct {
  nl_v128 lo, hi;
} wide;
NL_INLINE wide wide_load(const float *p) {
  const nl_v128 v = nl_f32x4_load(p);
  return (wide){nl_f64x2_promote_half(v, 0), nl_f64x2_promote_half(v, 1)};
}
NL_INLINE void wide_store(float *p, wide v) { nl_f32x4_store(p, nl_f32x4_demote2(v.lo, v.hi)); }
NL_INLINE wide wide_splat(double v) { return (wide){nl_f64x2_splat(v), nl_f64x2_splat(v)}; }
NL_INLINE wide wide_add(wide a, wide b) { return (wide){nl_f64x2_add(a.lo, b.lo), nl_f64x2_add(a.hi, b.hi)}; }
NL_INLINE wide wide_sub(wide a, wide b) { return (wide){nl_f64x2_sub(a.lo, b.lo), nl_f64x2_sub(a.hi, b.hi)}; }
NL_INLINE wide wide_mul(wide a, wide b) { return (wide){nl_f64x2_mul(a.lo, b.lo), nl_f64x2_mul(a.hi, b.hi)}; }
NL_INLINE double wide_sum(wide v) {
  const nl_v128 s = nl_f64x2_add(v.lo, v.hi);
  return nl_f64x2_lane0(s) + nl_f64x2_lane1(s);
}
/* acc[0..WIDE) += v */
NL_INLINE void wide_add_to(double *acc, wide v) {
  nl_f64x2_store(acc, nl_f64x2_add(nl_f64x2_load(acc), v.lo));
  nl_f64x2_store(acc + 2, nl_f64x2_add(nl_f64x2_load(acc + 2), v.hi));
}
#else
#define WIDE 1
typedef double wide;
NL_INLINE wide wide_load(const float *p) { return (double)*p; }
NL_INLINE void wide_store(float *p, wide v) { *p = (float)v; }
NL_INLINE wide wide_splat(double v) { return v; }
NL_INLINE wide wide_add(wide a, wide b) { return a + b; }
NL_INLINE wide wide_sub(wide a, wide b) { return a - b; }
NL_INLINE wide wide_mul(wide a, wide b) { return a * b; }
NL_INLINE double wide_sum(wide v) { return v; }
NL_INLINE void wide_add_to(double *acc, wide v) { *acc += v; }
#endif

static int plain_only = 0; /* nl_backward_plain(): every run one element at a time */

void nl_backward_plain(int on) { plain_only = on; }

/* The sums over runs, d = x - p (p: the pivot, the forward's mean): the
 * wide lanes and the one-element tails apart, added once at the end. */
typedef struct {
  double g, gd, d, dd; /* sum g, sum g * d, sum d, sum d^2 */
} nl_run_sums;

typedef struct {
  wide g, gd, d, dd;
  nl_run_sums tail;
} nl_sums_acc;

NL_INLINE nl_sums_acc sums_zero(void) {
  const wide z = wide_splat(0.0);
  return (nl_sums_acc){z, z, z, z, {0.0, 0.0, 0.0, 0.0}};
}

NL_INLINE nl_run_sums sums_total(const nl_sums_acc *a) {
  return (nl_run_sums){wide_sum(a->g) + a->tail.g, wide_sum(a->gd) + a->tail.gd, wide_sum(a->d) + a->tail.d,
                       wide_sum(a->dd) + a->tail.dd};
}

/* Adds a run of n to a, g = dy * w (w per element, or NULL: g = dy). */
NL_INLINE void run_sums(nl_sums_acc *a, const float *dy, const float *x, size_t n, const float *w, double p) {
  size_t i = 0;
  if (!plain_only) {
    const wide vp = wide_splat(p);
    /* two steps at a time, added in pairs before the sums: half the chain of
     * dependent adds per element */
    for (; i + 2 * WIDE <= n; i += 2 * WIDE) {
      const wide d0 = wide_sub(wide_load(x + i), vp), dy0 = wide_load(dy + i);
      const wide d1 = wide_sub(wide_load(x + i + WIDE), vp), dy1 = wide_load(dy + i + WIDE);
      const wide g0 = w ? wide_mul(dy0, wide_load(w + i)) : dy0;
      const wide g1 = w ? wide_mul(dy1, wide_load(w + i + WIDE)) : dy1;
      a->g = wide_add(a->g, wide_add(g0, g1));
      a->gd = wide_add(a->gd, wide_add(wide_mul(g0, d0), wide_mul(g1, d1)));
      a->d = wide_add(a->d, wide_add(d0, d1));
      a->dd = wide_add(a->dd, wide_add(wide_mul(d0, d0), wide_mul(d1, d1)));
    }
    for (; i + WIDE <= n; i += WIDE) {
      const wide d = wide_sub(wide_load(x + i), vp), vdy = wide_load(dy + i);
      const wide g = w ? wide_mul(vdy, wide_load(w + i)) : vdy;
      a->g = wide_add(a->g, g);
      a->gd = wide_add(a->gd, wide_mul(g, d));
      a->d = wide_add(a->d, d);
      a->dd = wide_add(a->dd, wide_mul(d, d));
    }
  }
  for (; i < n; i++) {
    const double d = (double)x[i] - p, g = w ? (double)dy[i] * w[i] : (double)dy[i];
    a->tail.g += g;
    a->tail.gd += g * d;
    a->tail.d += d;
    a->tail.dd += d * d;
  }
}

/* The sums over group g's runs (see group_backward): per channel, run q's
 * sums of dy and dy * d into run_dy[q], run_dyd[q] (sum g, sum g * d left
 * 0); otherwise g = dy * w (w per element, or NULL). */
NL_INLINE nl_run_sums group_sums(const nl_groups *G, size_t g, const float *dy, const float *w, double p,
                                 double *run_dy, double *run_dyd) {
  const int per_channel = G->affine == NL_AFFINE_PER_CHANNEL;
  const size_t planes = per_channel ? G->len / G->plane : 1, run = per_channel ? G->plane : G->len;
  const float *x = G->x + g * G->group_stride;
  dy += g * G->group_stride;
  if (planes == 1) { /* one acc over every span: a single reduction per group */
    nl_sums_acc a = sums_zero();
    for (size_t k = 0; k < G->spans; k++) run_sums(&a, dy + k * G->span_stride, x + k * G->span_stride, run, w, p);
    nl_run_sums s = sums_total(&a);
    if (per_channel) {
      run_dy[0] = s.g;
      run_dyd[0] = s.gd;
      s.g = s.gd = 0.0;
    }
    return s;
  }
  nl_run_sums s = {0.0, 0.0, 0.0, 0.0};
  for (size_t q = 0; q < planes; q++) run_dy[q] = run_dyd[q] = 0.0;
  for (size_t k = 0; k < G->spans; k++)
    for (size_t q = 0; q < planes; q++) {
      const size_t at = k * G->span_stride + q * run;
      nl_sums_acc a = sums_zero();
      run_sums(&a, dy + at, x + at, run, NULL, p);
      const nl_run_sums r = sums_total(&a);
      s.d += r.d;
      s.dd += r.dd;
      run_dy[q] += r.g;
      run_dyd[q] += r.gd;
    }
  return s;
}

/* group_sums with w NULL as a constant where it is (no test per step). */
static nl_run_sums sums_of_group(const nl_groups *G, size_t g, const float *dy, double p, double *run_dy,
                                 double *run_dyd) {
  if (G->affine != NL_AFFINE_PER_CHANNEL && G->w) return group_sums(G, g, dy, G->w, p, run_dy, run_dyd);
  return group_sums(G, g, dy, NULL, p, run_dy, run_dyd);
}

/* What dx over a set needs: dx = rstd * (g - mean(g)) + b * (x - mean),
 * b = -rstd^2 * mean(g * xhat) (mean(g) = 0 and b = 0 where the statistic
 * does not depend on x), g = dy * w (w per element) or dy * wc, taken as
 * (dy * a - m) + b * (x - mean) with a = rstd * wc (w: (dy * w) * rstd) and
 * m = rstd * mean(g): one operation fewer per element, each term within a
 * double rounding. */
typedef struct {
  double mean, rstd, a, m, b;
} nl_dx_plan;

/* dx over a run of n; dy * xhat into acc_w and dy into acc_b per element
 * (NULL: not wanted). */
NL_INLINE void run_dx(const float *dy, const float *x, float *dx, size_t n, const float *w, nl_dx_plan P,
                      double *acc_w, double *acc_b) {
  size_t i = 0;
  if (!plain_only) {
    const wide mean = wide_splat(P.mean), rstd = wide_splat(P.rstd), a = wide_splat(P.a);
    const wide m = wide_splat(P.m), b = wide_splat(P.b);
    for (; i + WIDE <= n; i += WIDE) {
      const wide d = wide_sub(wide_load(x + i), mean), vdy = wide_load(dy + i);
      const wide gs = w ? wide_mul(wide_mul(vdy, wide_load(w + i)), rstd) : wide_mul(vdy, a);
      if (acc_w) wide_add_to(acc_w + i, wide_mul(vdy, wide_mul(d, rstd)));
      if (acc_b) wide_add_to(acc_b + i, vdy);
      wide_store(dx + i, wide_add(wide_sub(gs, m), wide_mul(b, d)));
    }
  }
  for (; i < n; i++) {
    const double d = (double)x[i] - P.mean, vdy = dy[i];
    const double gs = w ? (vdy * (double)w[i]) * P.rstd : vdy * P.a;
    if (acc_w) acc_w[i] += vdy * (d * P.rstd);
    if (acc_b) acc_b[i] += vdy;
    dx[i] = (float)((gs - P.m) + P.b * d);
  }
}

/* run_dx with the pointers that are NULL as constants (no test per step). */
static void dx_of_run(const float *dy, const float *x, float *dx, size_t n, const float *w, nl_dx_plan P,
                      double *acc_w, double *acc_b) {
  if (acc_w && acc_b) run_dx(dy, x, dx, n, w, P, acc_w, acc_b); /* acc_w: w is there */
  else if (acc_w) run_dx(dy, x, dx, n, w, P, acc_w, NULL);
  else if (acc_b && w) run_dx(dy, x, dx, n, w, P, NULL, acc_b);
  else if (acc_b) run_dx(dy, x, dx, n, NULL, P, NULL, acc_b);
  else if (w) run_dx(dy, x, dx, n, w, P, NULL, NULL);
  else run_dx(dy, x, dx, n, NULL, P, NULL, NULL);
}

/* ---- one set ---- */

/* Group g of G, normalized by (mean, var) -- the forward's statistics, or
 * the running ones.  A group is G->spans spans; a span is one run (per-
 * element affine, or none) or len / plane runs of one channel each (per-
 * channel affine: run q's sums of dy and dy * d into run_dy[q], run_dyd[q]).
 *
 * The statistics that depend on x are taken again, exactly, from the sums
 * pass, with the forward's mean as the pivot p: mean = p + sum d / n, var =
 * sum d^2 / n - (sum d / n)^2, in double (|x - mean| is at most sqrt(n)
 * standard deviations, so the cancellation costs at most n double
 * roundings).  The forward's float-lane statistics are within 2^-24 relative
 * (to 1e-5 on adversarial data, moments.h); in a set whose dx cancels, that
 * would be the gradient's error (1 - var / (var + eps) in a set of two), and
 * float64 autograd takes exact ones. */
static void group_backward(const nl_groups *G, size_t g, const float *dy, float *dx, double mean, double var,
                           nl_depends depends, double *acc_w, double *acc_b, double *run_dy, double *run_dyd) {
  const int per_channel = G->affine == NL_AFFINE_PER_CHANNEL;
  const size_t planes = per_channel ? G->len / G->plane : 1, run = per_channel ? G->plane : G->len;
  const size_t c0 = per_channel ? (g * planes) % G->channels : 0; /* the group's first channel */
  const double inv_n = 1.0 / ((double)G->spans * (double)G->len); /* off the sums' path; 1 / n once */
  const double p = depends == DEPENDS_VAR ? 0.0 : mean; /* RMSNorm: its "mean" is 0 */
  nl_run_sums s = {0.0, 0.0, 0.0, 0.0};
  if (depends != DEPENDS_NONE || (per_channel && (acc_w || acc_b))) s = sums_of_group(G, g, dy, p, run_dy, run_dyd);
  if (depends != DEPENDS_NONE) { /* the statistics, exactly (see above) */
    const double shift = depends == DEPENDS_VAR ? 0.0 : s.d * inv_n, v = s.dd * inv_n - shift * shift;
    mean = p + shift;
    var = v > 0.0 ? v : 0.0;
  }
  const double rstd = nl_rstd(var, G->eps), shift = mean - p;
  for (size_t q = 0; q < planes && per_channel; q++) {
    const size_t c = c0 + q; /* c0 is a multiple of planes, and so is channels: no wrap */
    const double wc = G->w ? (double)G->w[c] : 1.0;
    s.g += wc * run_dy[q];
    s.gd += wc * run_dyd[q];
    if (acc_w) acc_w[c] += rstd * (run_dyd[q] - shift * run_dy[q]); /* sum dy * xhat */
    if (acc_b) acc_b[c] += run_dy[q];
  }
  /* sum g * xhat = rstd * sum g * (x - mean) = rstd * (sum g * d - shift * sum g) */
  const double mean_gxhat = depends == DEPENDS_NONE ? 0.0 : rstd * (s.gd - shift * s.g) * inv_n;
  const double mean_g = depends == DEPENDS_MEAN_AND_VAR ? s.g * inv_n : 0.0;
  nl_dx_plan P = {.mean = mean, .rstd = rstd, .a = rstd, .m = rstd * mean_g, .b = -rstd * rstd * mean_gxhat};
  for (size_t k = 0; k < G->spans; k++)
    for (size_t q = 0; q < planes; q++) {
      const size_t at = g * G->group_stride + k * G->span_stride + q * run;
      if (per_channel) {
        P.a = G->w ? rstd * (double)G->w[c0 + q] : rstd;
        dx_of_run(dy + at, G->x + at, dx + at, run, NULL, P, NULL, NULL);
      } else {
        dx_of_run(dy + at, G->x + at, dx + at, run, G->w, P, acc_w, acc_b);
      }
    }
}

/* ---- every op ---- */

/* The backward of the forward call G (its groups, statistic, running
 * statistics and affine, as ops.c describes it; updates_running when that
 * call updated running statistics), with `params` parameters. */
static int backward(const nl_groups *G, int updates_running, const float *dy, float *dx, const double *stats,
                    size_t params, float *dw, float *db) {
  const nl_depends depends = G->running_mean ? DEPENDS_NONE
                             : G->statistic == NL_MEAN_SQUARE ? DEPENDS_VAR
                                                              : DEPENDS_MEAN_AND_VAR;
  const int empty = G->spans * G->len == 0; /* no element in any group: dx empty, dw = db = 0 */
  /* the forward's mean is the pivot of moments; RMSNorm's pivot is 0 and reads no statistic */
  const int recompute = !stats && depends == DEPENDS_MEAN_AND_VAR && !empty;
  const size_t runs = G->affine == NL_AFFINE_PER_CHANNEL && !empty ? G->len / G->plane : 0;
  const size_t n_w = dw ? params : 0, n_b = db ? params : 0, n_stats = recompute ? 2 * G->groups : 0;
  const size_t need = n_w + n_b + n_stats + 2 * runs;
  double *scratch = need ? calloc(need, sizeof(double)) : NULL; /* zeroed: the parameter sums start at 0 */
  if (need && !scratch) return -1;
  double *acc_w = dw ? scratch : NULL, *acc_b = db ? scratch + n_w : NULL;
  double *run_sums_of = runs ? scratch + n_w + n_b + n_stats : NULL; /* a group's per-channel run sums */
  if (recompute) {
    forward_statistics(G, updates_running, scratch + n_w + n_b);
    stats = scratch + n_w + n_b;
  }
  for (size_t g = 0, c = 0; g < G->groups && !empty; g++, c = c + 1 < G->channels ? c + 1 : 0) {
    /* c = g % channels: running statistics are per channel */
    const double mean = stats ? stats[2 * g] : G->running_mean ? G->running_mean[c] : 0.0;
    const double var = stats ? stats[2 * g + 1] : G->running_var ? G->running_var[c] : 0.0;
    group_backward(G, g, dy, dx, mean, var, depends, acc_w, acc_b, run_sums_of, runs ? run_sums_of + runs : NULL);
  }
  for (size_t p = 0; p < params; p++) {
    if (dw) dw[p] = (float)acc_w[p];
    if (db) db[p] = (float)acc_b[p];
  }
  free(scratch);
  return 0;
}

/* The groups of each op's forward call, as ops.c's table lays them out. */

static nl_groups rows_of(const float *x, size_t rows, size_t n, nl_statistic statistic, const float *w,
                         int affine, double eps) {
  return (nl_groups){.x = x, .groups = rows, .len = n, .spans = 1, .group_stride = n, .statistic = statistic,
                     .affine = affine ? NL_AFFINE_PER_ELEMENT : NL_AFFINE_NONE, .channels = 1, .plane = n,
                     .w = w, .eps = eps};
}

/* N samples of C channels of S: `per_sample` groups of C / per_sample
 * consecutive channels each (GroupNorm: G; InstanceNorm: C). */
static nl_groups channel_groups_of(const float *x, size_t N, size_t C, size_t S, size_t per_sample,
                                   const float *w, int affine, double eps) {
  return (nl_groups){.x = x, .groups = N * per_sample, .len = (C / per_sample) * S, .spans = 1,
                     .group_stride = (C / per_sample) * S, .statistic = NL_MOMENTS,
                     .affine = affine ? NL_AFFINE_PER_CHANNEL : NL_AFFINE_NONE, .channels = C, .plane = S,
                     .w = w, .eps = eps};
}

int nl_layer_norm_backward(const float *dy, const float *x, float *dx, size_t rows, size_t n,
                           const float *w, double eps, const double *stats, float *dw, float *db) {
  const nl_groups G = rows_of(x, rows, n, NL_MOMENTS, w, w || db, eps);
  return backward(&G, 0, dy, dx, stats, n, dw, db);
}

int nl_rms_norm_backward(const float *dy, const float *x, float *dx, size_t rows, size_t n,
                         const float *w, double eps, const double *stats, float *dw) {
  const nl_groups G = rows_of(x, rows, n, NL_MEAN_SQUARE, w, w != NULL, eps);
  return backward(&G, 0, dy, dx, stats, n, dw, NULL);
}

int nl_group_norm_backward(const float *dy, const float *x, float *dx, size_t N, size_t C, size_t S,
                           size_t G, const float *w, double eps, const double *stats, float *dw,
                           float *db) {
  const nl_groups groups = channel_groups_of(x, N, C, S, G, w, w || db, eps);
  return backward(&groups, 0, dy, dx, stats, C, dw, db);
}

int nl_instance_norm_backward(const float *dy, const float *x, float *dx, size_t N, size_t C, size_t S,
                              const float *w, const float *running_mean, const float *running_var,
                              int use_input_stats, double eps, const double *stats, float *dw,
                              float *db) {
  nl_groups G = channel_groups_of(x, N, C, S, C, w, w || db, eps);
  if (!use_input_stats) {
    G.running_mean = running_mean;
    G.running_var = running_var;
  }
  return backward(&G, use_input_stats && running_mean, dy, dx, stats, C, dw, db);
}

int nl_batch_norm_backward(const float *dy, const float *x, float *dx, size_t N, size_t C, size_t S,
                           const float *w, const float *running_mean, const float *running_var,
                           int training, double eps, const double *stats, float *dw, float *db) {
  /* channel c: N spans of S, C * S apart */
  nl_groups G = {.x = x, .groups = C, .len = S, .spans = N, .group_stride = S, .span_stride = C * S,
                 .statistic = NL_MOMENTS, .affine = w || db ? NL_AFFINE_PER_CHANNEL : NL_AFFINE_NONE,
                 .channels = C, .plane = S, .w = w, .eps = eps};
  if (!training) {
    G.running_mean = running_mean;
    G.running_var = running_var;
  }
  /* training: the forward's groups go by the plain strategy, with or without running buffers (ops.c) */
  return backward(&G, training, dy, dx, stats, C, dw, db);
}
