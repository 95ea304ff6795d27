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
 * so there dw is exactly 0 and dx exactly rstd * (g - mean(g)).  torch's
 * float32 CPU kernel instead forms sum(dy * x) - mean * sum(dy), which
 * cancels at large offsets.  The per-element terms and every sum are in
 * double, so each gradient is within a few float32 roundings of float64. */
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

/* ---- one set ---- */

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

/* Group g of G: its sums over all its runs, then its dx.  A group is
 * G->spans spans; a span is one run (per-element affine, or none) or
 * len / plane runs of one channel each (per-channel affine). */
static void group_backward(const nl_groups *G, size_t g, const float *dy, float *dx, double mean,
                           double rstd, nl_depends depends, double *acc_w, double *acc_b) {
  const int per_channel = G->affine == NL_AFFINE_PER_CHANNEL;
  const size_t planes = per_channel ? G->len / G->plane : 1, run = per_channel ? G->plane : G->len;
  const size_t step = per_channel ? 0 : 1;
  double sum_g = 0.0, sum_gxhat = 0.0;
  for (size_t k = 0; k < G->spans; k++)
    for (size_t q = 0; q < planes; q++) {
      const size_t at = g * G->group_stride + k * G->span_stride + q * run;
      const size_t p = per_channel ? (g * planes + q) % G->channels : 0; /* the run's first parameter */
      run_sums(dy + at, G->x + at, run, G->w ? G->w + p : NULL, step, mean, rstd, &sum_g, &sum_gxhat,
               acc_w ? acc_w + p : NULL, acc_b ? acc_b + p : NULL);
    }
  const double n = (double)G->spans * (double)G->len;
  const double mean_g = depends == DEPENDS_MEAN_AND_VAR ? sum_g / n : 0.0;
  const double mean_gxhat = depends == DEPENDS_NONE ? 0.0 : sum_gxhat / n;
  for (size_t k = 0; k < G->spans; k++)
    for (size_t q = 0; q < planes; q++) {
      const size_t at = g * G->group_stride + k * G->span_stride + q * run;
      const size_t p = per_channel ? (g * planes + q) % G->channels : 0;
      run_dx(dy + at, G->x + at, dx + at, run, G->w ? G->w + p : NULL, step, mean, rstd, mean_g, mean_gxhat);
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
