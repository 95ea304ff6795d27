/* The five ops, each described once as group layout + statistic + affine
 * (OPS below), and run through one entry point, run().  The exported
 * functions (normlab.h) only pass their arguments on.
 *
 * A backward pass (issue 15) goes in the same table: one more column naming
 * its kernel, which reuses the statistics of moments.h (mean and rstd, the
 * ones stats_out records) and the same layouts. */
#include "groups.h"
#include "normlab.h"
#include "running_stats.h"

typedef enum { NL_LAYER_NORM, NL_RMS_NORM, NL_GROUP_NORM, NL_INSTANCE_NORM, NL_BATCH_NORM } nl_op;

/* How an op's (N, C, S) tensor splits into groups (LayerNorm and RMSNorm:
 * N rows of S = n elements, C = 1). */
typedef enum {
  NL_ROWS,          /* group = one row of S; affine per element of the row */
  NL_CHANNEL_GROUPS, /* group = C/G consecutive channel planes of a sample (GroupNorm) */
  NL_PLANES,        /* group = one (n, c) plane of S (InstanceNorm) */
  NL_CHANNELS,      /* group = channel c over all N samples: N spans of S, C*S apart (BatchNorm) */
} nl_layout;

/* How an op's running statistics, when given, are updated from its groups'. */
typedef enum {
  NL_RUNNING_NONE,
  NL_RUNNING_PER_GROUP,      /* a group is a channel (BatchNorm) */
  NL_RUNNING_BATCH_AVERAGE,  /* channel c: average over n of plane (n, c)'s (InstanceNorm) */
} nl_running;

typedef struct {
  nl_layout layout;
  nl_statistic statistic;
  nl_affine affine; /* when a weight or bias is given; none otherwise */
  nl_running running;
} nl_op_desc;

static const nl_op_desc OPS[] = {
    [NL_LAYER_NORM] = {NL_ROWS, NL_MOMENTS, NL_AFFINE_PER_ELEMENT, NL_RUNNING_NONE},
    [NL_RMS_NORM] = {NL_ROWS, NL_MEAN_SQUARE, NL_AFFINE_PER_ELEMENT, NL_RUNNING_NONE},
    [NL_GROUP_NORM] = {NL_CHANNEL_GROUPS, NL_MOMENTS, NL_AFFINE_PER_CHANNEL, NL_RUNNING_NONE},
    [NL_INSTANCE_NORM] = {NL_PLANES, NL_MOMENTS, NL_AFFINE_PER_CHANNEL, NL_RUNNING_BATCH_AVERAGE},
    [NL_BATCH_NORM] = {NL_CHANNELS, NL_MOMENTS, NL_AFFINE_PER_CHANNEL, NL_RUNNING_PER_GROUP},
};

/* One call's arguments. */
typedef struct {
  const float *x;
  float *y;
  size_t N, C, S, G;
  const float *w, *b;
  float *running_mean, *running_var;
  int batch_stats; /* 0: normalize by the running statistics (eval) */
  double momentum, eps;
  double *stats_out;
} nl_args;

/* The groups of op's call a. */
static nl_groups groups_of(const nl_op_desc *op, const nl_args *a) {
  const size_t G = op->layout == NL_CHANNEL_GROUPS ? a->G : a->C; /* groups per sample */
  nl_groups g = {.x = a->x, .y = a->y, .groups = a->N * G, .len = (a->C / G) * a->S, .spans = 1,
                 .statistic = op->statistic, .affine = a->w || a->b ? op->affine : NL_AFFINE_NONE,
                 .channels = a->C, .plane = a->S, .w = a->w, .b = a->b, .eps = a->eps,
                 .stats_out = a->stats_out};
  if (op->layout == NL_CHANNELS) {
    g.groups = a->C;
    g.len = a->S;
    g.spans = a->N;
    g.span_stride = a->C * a->S;
    g.group_stride = a->S;
  } else {
    g.group_stride = g.len;
  }
  if (!a->batch_stats) {
    g.running_mean = a->running_mean;
    g.running_var = a->running_var;
  }
  return g;
}

static void run(nl_op which, const nl_args *a) {
  const nl_op_desc *op = &OPS[which];
  const nl_groups G = groups_of(op, a);
  const int update = a->batch_stats && (op->running == NL_RUNNING_PER_GROUP ||
                                        (op->running == NL_RUNNING_BATCH_AVERAGE && a->running_mean));
  if (!update) {
    nl_normalize_groups(&G);
    return;
  }
  if (op->running == NL_RUNNING_PER_GROUP) { /* either buffer may be NULL */
    const size_t count = G.spans * G.len;
    if (count == 0) return; /* empty batch: nothing to normalize, no statistics, buffers kept */
    for (size_t c = 0; c < G.groups; c++) {
      const nl_moments m = nl_plain_group(&G, c);
      nl_update_running(a->running_mean, a->running_var, c, m.mean,
                        m.var * (double)count / (double)(count - 1), a->momentum);
    }
    return;
  }
  /* Batch average: channel by channel, so that the average of each channel's
   * per-plane statistics forms on the way (training with running statistics:
   * rare, kept plain). */
  for (size_t c = 0; c < a->C; c++) {
    double mean_sum = 0.0, var_sum = 0.0;
    for (size_t n = 0; n < a->N; n++) {
      const nl_moments m = nl_plain_group(&G, n * a->C + c);
      mean_sum += m.mean;
      var_sum += m.var * (double)a->S / (double)(a->S - 1);
    }
    if (a->N > 0 && a->S > 0)
      nl_update_running(a->running_mean, a->running_var, c, mean_sum / a->N, var_sum / a->N, a->momentum);
  }
}

/* ---- the exports (normlab.h) ---- */

void nl_layer_norm(const float *x, float *y, size_t rows, size_t n, const float *w, const float *b,
                   double eps, double *stats_out) {
  run(NL_LAYER_NORM, &(nl_args){.x = x, .y = y, .N = rows, .C = 1, .S = n, .w = w, .b = b,
                                .batch_stats = 1, .eps = eps, .stats_out = stats_out});
}

void nl_rms_norm(const float *x, float *y, size_t rows, size_t n, const float *w, double eps,
                 double *stats_out) {
  run(NL_RMS_NORM, &(nl_args){.x = x, .y = y, .N = rows, .C = 1, .S = n, .w = w, .batch_stats = 1,
                              .eps = eps, .stats_out = stats_out});
}

void nl_group_norm(const float *x, float *y, size_t N, size_t C, size_t S, size_t G, const float *w,
                   const float *b, double eps, double *stats_out) {
  run(NL_GROUP_NORM, &(nl_args){.x = x, .y = y, .N = N, .C = C, .S = S, .G = G, .w = w, .b = b,
                                .batch_stats = 1, .eps = eps, .stats_out = stats_out});
}

/* InstanceNorm and BatchNorm take the same arguments; batch_stats is
 * use_input_stats or training. */
static void with_running(nl_op op, const float *x, float *y, size_t N, size_t C, size_t S, const float *w,
                         const float *b, float *running_mean, float *running_var, int batch_stats,
                         double momentum, double eps, double *stats_out) {
  run(op, &(nl_args){.x = x, .y = y, .N = N, .C = C, .S = S, .w = w, .b = b, .running_mean = running_mean,
                     .running_var = running_var, .batch_stats = batch_stats, .momentum = momentum,
                     .eps = eps, .stats_out = stats_out});
}

void nl_instance_norm(const float *x, float *y, size_t N, size_t C, size_t S, const float *w,
                      const float *b, float *running_mean, float *running_var, int use_input_stats,
                      double momentum, double eps, double *stats_out) {
  with_running(NL_INSTANCE_NORM, x, y, N, C, S, w, b, running_mean, running_var, use_input_stats, momentum,
               eps, stats_out);
}

void nl_batch_norm(const float *x, float *y, size_t N, size_t C, size_t S, const float *w,
                   const float *b, float *running_mean, float *running_var, int training,
                   double momentum, double eps, double *stats_out) {
  with_running(NL_BATCH_NORM, x, y, N, C, S, w, b, running_mean, running_var, training, momentum, eps,
               stats_out);
}

int nl_build_simd(void) {
#ifdef NL_SIMD
  return 1;
#else
  return 0;
#endif
}

int nl_normalize_groups_with(int strategy, int statistic, const float *x, float *y, size_t groups,
                             size_t len, const float *w, const float *b, size_t channels, size_t plane,
                             double eps, double *stats_out) {
  if (strategy < 0 || strategy >= NL_STRATEGIES) return -1;
  const nl_groups G = {.x = x, .y = y, .groups = groups, .len = len, .spans = 1, .group_stride = len,
                       .statistic = statistic ? NL_MEAN_SQUARE : NL_MOMENTS,
                       .affine = channels ? NL_AFFINE_PER_CHANNEL : w ? NL_AFFINE_PER_ELEMENT : NL_AFFINE_NONE,
                       .channels = channels, .plane = plane, .w = w, .b = b, .eps = eps,
                       .stats_out = stats_out};
  if (!nl_strategy_applies((nl_strategy)strategy, &G)) return 0;
  nl_normalize_groups_by((nl_strategy)strategy, &G);
  return 1;
}
