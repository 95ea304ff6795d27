/* Backward passes: the gradients of every op for the same call, as
 * torch.autograd gives them (backward.h), the plain version.
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
 * Accuracy.  xhat is taken from the forward's own mean, in double: x - mean
 * is then exact to double rounding at any offset (1e6 + N(0, 0.1)) and is
 * exactly 0 in a constant set, whose mean the statistics give exactly --
 * so there dw is exactly 0.  torch's
 * float32 CPU kernel instead forms sum(dy * x) - mean * sum(dy), which
 * cancels at large offsets.  The plain version below has the per-element
 * terms and every sum in double; the fast one (used) has the per-element
 * terms in float lanes and the sums in double (see there), so each gradient
 * is within a few float32 roundings of float64. */
#include <math.h>
#include <stdlib.h>

#include "backward.h"
#include "groups.h"
#include "moments.h"

/* Which statistics depend on x: the terms dx has. */
typedef enum { DEPENDS_MEAN_AND_VAR, DEPENDS_VAR, DEPENDS_NONE } nl_depends;

/* ---- the statistics: the forward call's, bit for bit ---- */

/* Mean and variance of every group into pairs[2g], pairs[2g + 1], as the
 * forward call on G computed them.  A forward call that updates running
 * statistics visits its groups by the plain strategy (ops.c's run()); the
 * others by nl_pick_strategy's (strategies.c).  Every strategy gives the
 * same moments as nl_statistic_of_groups in chunks of NL_CHUNK groups but
 * one: four_groups takes the mean square of short rows four wide
 * (nl_statistic_of_fours, which rounds differently from nl_mean_square).
 * For the moments statistic the strategy does not matter, so a LayerNorm
 * backward with a bias and no weight (the forward ran with ones) may pick
 * another strategy than its forward and still gets the same moments. */
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
#ifdef NL_SIMD
  if (nl_pick_strategy(G) == NL_FOUR_GROUPS) { /* as four_groups: NL_CHUNK / 4 runs of four per call */
    const size_t fours = G->groups / 4;
    nl_moments4 m[NL_CHUNK / 4];
    for (size_t q0 = 0; q0 < fours; q0 += NL_CHUNK / 4) {
      const size_t count = fours - q0 < NL_CHUNK / 4 ? fours - q0 : NL_CHUNK / 4;
      nl_statistic_of_fours(G->statistic, G->x + 4 * q0 * len, count, len, m);
      for (size_t q = 0; q < count; q++)
        for (int h = 0; h < 2; h++) { /* lanes: groups 4(q0 + q) + 2h and + 2h + 1 */
          double *p = pairs + 2 * (4 * (q0 + q) + 2 * h);
          p[0] = nl_f64x2_lane0(m[q].mean[h]);
          p[1] = nl_f64x2_lane0(m[q].var[h]);
          p[2] = nl_f64x2_lane1(m[q].mean[h]);
          p[3] = nl_f64x2_lane1(m[q].var[h]);
        }
    }
    g = 4 * fours;
  }
#endif
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

/* ---- one set: the plain version, in double ---- */

/* The sums over a run of n elements that share one step of the weight and
 * of the parameter sums (step 1: a weight per element; step 0: the run's
 * channel): sum g and sum g * xhat for dx, and dy * xhat, dy into acc_w,
 * acc_b (either NULL when not wanted). */
static void run_sums(const float *dy, const float *x, size_t n, const float *w, size_t step,
                     double mean, double rstd, double *sum_g, double *sum_gxhat, double *acc_w,
                     double *acc_b) {
  for (size_t i = 0; i < n; i++) {
    const double xhat = ((double)x[i] - mean) * rstd;
    const double g = (double)dy[i] * (w ? w[i * step] : 1.0f);
    *sum_g += g;
    *sum_gxhat += g * xhat;
    if (acc_w) acc_w[i * step] += (double)dy[i] * xhat; /* dw = sum dy * xhat */
    if (acc_b) acc_b[i * step] += dy[i];                /* db = sum dy */
  }
}

/* dx over the same run: rstd * (g - mean(g) - xhat * mean(g * xhat)). */
static void run_dx(const float *dy, const float *x, float *dx, size_t n, const float *w, size_t step,
                   double mean, double rstd, double mean_g, double mean_gxhat) {
  for (size_t i = 0; i < n; i++) {
    const double xhat = ((double)x[i] - mean) * rstd;
    const double g = (double)dy[i] * (w ? w[i * step] : 1.0f);
    dx[i] = (float)(rstd * (g - mean_g - xhat * mean_gxhat));
  }
}

/* ---- one set: the fast version, float lanes summed in double ----
 *
 * The same gradients with the per-element work in NL_LANES float lanes
 * (simd.h's nl_f32v: 4 in the SIMD build, 1 in the scalar one).  With the
 * mean split as hi + lo (hi = (float)mean; x - hi is exact near the mean at
 * any offset) and d = x - hi in float:
 *   xhat = (d - lo) * rstd,  sum g * xhat = rstd * (sum g * d - lo * sum g),
 *   dx = rstd * (g - M) + B * d + C,  M = (float)mean(g),  B = -rstd^2 mean(g xhat),
 *        C = rstd^2 * mean(g xhat) * lo
 * (M, B, C from double, rounded once; g - M first, so that dx is exactly 0
 * where g is its mean and x its mean, as in a set of one: M's rounding is
 * within that of each float g).  The sums of g and g * d run in float
 * lanes for at most BLOCK steps, then move to double: float64 accumulation
 * where sums run long.  Each dx is within a few float roundings of the
 * plain version's; a constant set still gets d = 0 and dw exactly 0. */

#define STEP (2 * NL_LANES) /* elements per step: two vectors, two chains per sum */
#define BLOCK 16            /* steps summed in float lanes before the sums move to double */

typedef struct {
  double g, gd; /* sum g, sum g * d */
} nl_run_sums;

/* One step of the sums over dy, x (w: the per-element weight, or NULL);
 * dy * xhat into acc_w, dy into acc_b, per element (NULL: not wanted). */
NL_INLINE void sums_step(const float *dy, const float *x, const float *w, nl_f32v hi, nl_f32v lo,
                         nl_f32v rs, double *acc_w, double *acc_b, nl_f32v s[4]) {
  for (int h = 0; h < 2; h++) {
    const nl_f32v vdy = nl_f32v_load(dy + h * NL_LANES);
    const nl_f32v d = nl_f32v_sub(nl_f32v_load(x + h * NL_LANES), hi);
    const nl_f32v g = w ? nl_f32v_mul(vdy, nl_f32v_load(w + h * NL_LANES)) : vdy;
    s[h] = nl_f32v_add(s[h], g);
    s[2 + h] = nl_f32v_add(s[2 + h], nl_f32v_mul(g, d));
    if (acc_w) nl_f32v_add_to_f64(acc_w + h * NL_LANES, nl_f32v_mul(vdy, nl_f32v_mul(nl_f32v_sub(d, lo), rs)));
    if (acc_b) nl_f32v_add_to_f64(acc_b + h * NL_LANES, vdy);
  }
}

/* The sums over a run of n. */
NL_INLINE nl_run_sums fast_sums(const float *dy, const float *x, size_t n, const float *w, float hi, float lo,
                                float rs, double *acc_w, double *acc_b) {
  const nl_f32v vhi = nl_f32v_splat(hi), vlo = nl_f32v_splat(lo), vrs = nl_f32v_splat(rs);
  nl_run_sums r = {0.0, 0.0};
  size_t i = 0;
  while (i < n) {
    nl_f32v s[4] = {nl_f32v_splat(0.0f), nl_f32v_splat(0.0f), nl_f32v_splat(0.0f), nl_f32v_splat(0.0f)};
    const size_t whole = (n - i) / STEP, end = i + STEP * (whole < BLOCK ? whole : BLOCK);
    for (; i < end; i += STEP)
      sums_step(dy + i, x + i, w ? w + i : NULL, vhi, vlo, vrs, acc_w ? acc_w + i : NULL, acc_b ? acc_b + i : NULL, s);
    if (whole == 0) { /* the last n % STEP, one lane at a time: the same float terms */
      for (; i < n; i++) {
        const float d = x[i] - hi, g = w ? dy[i] * w[i] : dy[i];
        r.g += g;
        r.gd += g * d;
        if (acc_w) acc_w[i] += dy[i] * ((d - lo) * rs);
        if (acc_b) acc_b[i] += dy[i];
      }
    }
    r.g += nl_f32v_sum_f64(s[0]) + nl_f32v_sum_f64(s[1]);
    r.gd += nl_f32v_sum_f64(s[2]) + nl_f32v_sum_f64(s[3]);
  }
  return r;
}

/* The coefficients of dx over a run: g = dy * w (w per element) or dy * wc (w NULL; wc 1: dy). */
typedef struct {
  nl_f32v wc, rs, m, hi, b, c;
  float wc1, rs1, m1, hi1, b1, c1; /* the same, for the tail */
} nl_dx_plan;

/* One step of dx = rstd * (g - M) + B * d + C. */
NL_INLINE void dx_step(const float *dy, const float *x, float *dx, const float *w, int scaled, nl_dx_plan P) {
  for (int h = 0; h < 2; h++) {
    const nl_f32v vdy = nl_f32v_load(dy + h * NL_LANES);
    const nl_f32v g = w ? nl_f32v_mul(vdy, nl_f32v_load(w + h * NL_LANES)) : scaled ? nl_f32v_mul(vdy, P.wc) : vdy;
    const nl_f32v d = nl_f32v_sub(nl_f32v_load(x + h * NL_LANES), P.hi);
    const nl_f32v t = nl_f32v_add(nl_f32v_mul(nl_f32v_sub(g, P.m), P.rs), nl_f32v_mul(d, P.b));
    nl_f32v_store(dx + h * NL_LANES, nl_f32v_add(t, P.c));
  }
}

/* dx over a run of n. */
NL_INLINE void fast_dx(const float *dy, const float *x, float *dx, size_t n, const float *w, int scaled,
                       nl_dx_plan P) {
  size_t i = 0;
  for (; i + STEP <= n; i += STEP) dx_step(dy + i, x + i, dx + i, w ? w + i : NULL, scaled, P);
  for (; i < n; i++) { /* the last n % STEP, one lane at a time: the same float terms */
    const float g = w ? dy[i] * w[i] : scaled ? dy[i] * P.wc1 : dy[i], d = x[i] - P.hi1;
    dx[i] = ((g - P.m1) * P.rs1 + d * P.b1) + P.c1;
  }
}

/* The run loops, with the pointers that are NULL as constants (no test per step). */
static nl_run_sums sums_of_run(const float *dy, const float *x, size_t n, const float *w, float hi, float lo,
                               float rs, double *acc_w, double *acc_b) {
  if (!w && !acc_w && !acc_b) return fast_sums(dy, x, n, NULL, hi, lo, rs, NULL, NULL);
  if (!acc_w && !acc_b) return fast_sums(dy, x, n, w, hi, lo, rs, NULL, NULL);
  return fast_sums(dy, x, n, w, hi, lo, rs, acc_w, acc_b);
}

static void dx_of_run(const float *dy, const float *x, float *dx, size_t n, const float *w, float wc,
                      nl_dx_plan P) {
  if (w) {
    fast_dx(dy, x, dx, n, w, 0, P);
  } else if (wc != 1.0f) {
    P.wc = nl_f32v_splat(wc);
    P.wc1 = wc;
    fast_dx(dy, x, dx, n, NULL, 1, P);
  } else {
    fast_dx(dy, x, dx, n, NULL, 0, P);
  }
}

/* Group g of G: its sums over all its runs, then its dx.  A group is
 * G->spans spans; a span is one run (per-element affine, or none) or
 * len / plane runs of one channel each (per-channel affine).  The fast
 * version, or the plain one where float lanes could overflow (huge values,
 * an rstd beyond float) and in sets of fewer than 8 elements, where dx
 * cancels (a set of two has dx of the order of eps) beyond what float
 * terms keep and a step of lanes gains nothing. */
static void group_backward(const nl_groups *G, size_t g, const float *dy, float *dx, double mean,
                           double rstd, nl_depends depends, double *acc_w, double *acc_b) {
  const int per_channel = G->affine == NL_AFFINE_PER_CHANNEL;
  const size_t planes = per_channel ? G->len / G->plane : 1, run = per_channel ? G->plane : G->len;
  const float hi = (float)mean, lo = (float)(mean - (double)hi), rs = (float)rstd;
  const double n = (double)G->spans * (double)G->len;
  const int fast = n >= 8 && isfinite(rs) && fabs(mean) < 1e30 && rstd < 1e15 && rstd > 1e-15;
  double sum_g = 0.0, sum_gd = 0.0; /* fast: sum g * d; plain: sum g * xhat */
  for (size_t k = 0; k < G->spans; k++)
    for (size_t q = 0; q < planes; q++) {
      const size_t at = g * G->group_stride + k * G->span_stride + q * run;
      const size_t p = per_channel ? (g * planes + q) % G->channels : 0; /* the run's first parameter */
      const float *w = G->w ? G->w + p : NULL;
      double *aw = acc_w ? acc_w + p : NULL, *ab = acc_b ? acc_b + p : NULL;
      if (!fast) {
        run_sums(dy + at, G->x + at, run, w, per_channel ? 0 : 1, mean, rstd, &sum_g, &sum_gd, aw, ab);
      } else if (per_channel) { /* g = dy * w[p] over the run: the weight applied to the run's sums */
        const nl_run_sums s = sums_of_run(dy + at, G->x + at, run, NULL, hi, lo, rs, NULL, NULL);
        const double wc = w ? *w : 1.0;
        sum_g += wc * s.g;
        sum_gd += wc * s.gd;
        if (aw) *aw += rstd * (s.gd - lo * s.g);
        if (ab) *ab += s.g;
      } else {
        const nl_run_sums s = sums_of_run(dy + at, G->x + at, run, w, hi, lo, rs, aw, ab);
        sum_g += s.g;
        sum_gd += s.gd;
      }
    }
  const double sum_gxhat = fast ? rstd * (sum_gd - lo * sum_g) : sum_gd;
  const double mean_g = depends == DEPENDS_MEAN_AND_VAR ? sum_g / n : 0.0;
  const double mean_gxhat = depends == DEPENDS_NONE ? 0.0 : sum_gxhat / n;
  const float m = (float)mean_g;
  const float b = (float)(-rstd * rstd * mean_gxhat), c = (float)(rstd * rstd * mean_gxhat * lo);
  const nl_dx_plan P = {.wc = nl_f32v_splat(1.0f), .rs = nl_f32v_splat(rs), .m = nl_f32v_splat(m),
                        .hi = nl_f32v_splat(hi), .b = nl_f32v_splat(b), .c = nl_f32v_splat(c),
                        .wc1 = 1.0f, .rs1 = rs, .m1 = m, .hi1 = hi, .b1 = b, .c1 = c};
  for (size_t k = 0; k < G->spans; k++)
    for (size_t q = 0; q < planes; q++) {
      const size_t at = g * G->group_stride + k * G->span_stride + q * run;
      const size_t p = per_channel ? (g * planes + q) % G->channels : 0;
      const float *w = G->w ? G->w + p : NULL;
      if (!fast) run_dx(dy + at, G->x + at, dx + at, run, w, per_channel ? 0 : 1, mean, rstd, mean_g, mean_gxhat);
      else if (per_channel) dx_of_run(dy + at, G->x + at, dx + at, run, NULL, w ? *w : 1.0f, P);
      else dx_of_run(dy + at, G->x + at, dx + at, run, w, 1.0f, P);
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
  const int recompute = !stats && !G->running_mean && !empty;
  const size_t n_w = dw ? params : 0, n_b = db ? params : 0, n_stats = recompute ? 2 * G->groups : 0;
  const size_t need = n_w + n_b + n_stats;
  double *scratch = need ? calloc(need, sizeof(double)) : NULL; /* zeroed: the parameter sums start at 0 */
  if (need && !scratch) return -1;
  double *acc_w = dw ? scratch : NULL, *acc_b = db ? scratch + n_w : NULL;
  if (recompute) {
    forward_statistics(G, updates_running, scratch + n_w + n_b);
    stats = scratch + n_w + n_b;
  }
  for (size_t g = 0; g < G->groups && !empty; g++) {
    const size_t c = g % G->channels; /* running statistics: per channel */
    const double mean = stats ? stats[2 * g] : G->running_mean[c];
    const double var = stats ? stats[2 * g + 1] : G->running_var[c];
    group_backward(G, g, dy, dx, mean, nl_rstd(var, G->eps), depends, acc_w, acc_b);
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
