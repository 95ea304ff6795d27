/* InstanceNorm: every (n, c) plane of S elements is one group; weight and
 * bias are per channel.  Planes are visited in memory order, in L1-sized
 * chunks.  Running statistics, as torch.nn.functional does: the batch average
 * of the per-plane mean and unbiased variance. */
#include "normlab.h"
#include "running_stats.h"

static void normalize_plane(const float *x, float *y, size_t S, size_t c, nl_moments m,
                            const float *w, const float *b, double eps) {
  const double rstd = nl_rstd(m.var, eps);
  nl_normalize_span(x, y, S, m.mean, (float)(w ? rstd * w[c] : rstd), b ? b[c] : 0.0f);
}

typedef struct {
  size_t C;
  const float *w, *b;
} params;

/* Per-channel weight and bias on planes first .. first+count-1. */
static void plane_affine(const void *ctx, size_t first, size_t count, const double *rstd,
                         float *scale, float *shift) {
  const params *p = ctx;
  for (size_t j = 0; j < count; j++) {
    const size_t c = (first + j) % p->C;
    scale[j] = (float)(p->w ? rstd[j] * p->w[c] : rstd[j]);
    shift[j] = p->b ? p->b[c] : 0.0f;
  }
}

/* Channel by channel, so that the batch average of each channel's per-plane
 * statistics can be formed on the way. */
static void update_running(const float *x, float *y, size_t N, size_t C, size_t S, const float *w,
                           const float *b, float *running_mean, float *running_var,
                           double momentum, double eps, double *stats_out) {
  for (size_t c = 0; c < C; c++) {
    double mean_sum = 0.0, var_sum = 0.0;
    for (size_t n = 0; n < N; n++) {
      const size_t p = n * C + c;
      const nl_moments m = nl_group_moments(x + p * S, S, 1, 0);
      mean_sum += m.mean;
      var_sum += m.var * (double)S / (double)(S - 1);
      normalize_plane(x + p * S, y + p * S, S, c, m, w, b, eps);
      nl_store_stats(stats_out, p, m);
    }
    if (N > 0 && S > 0) nl_update_running(running_mean, running_var, c, mean_sum / N, var_sum / N, momentum);
  }
}

void nl_instance_norm(const float *x, float *y, size_t N, size_t C, size_t S, const float *w,
                      const float *b, float *running_mean, float *running_var,
                      int use_input_stats, double momentum, double eps, double *stats_out) {
  const size_t planes = N * C;
  if (use_input_stats && running_mean) { /* training with running stats: rare, kept simple */
    update_running(x, y, N, C, S, w, b, running_mean, running_var, momentum, eps, stats_out);
    return;
  }
  if (!use_input_stats) { /* eval on running statistics */
    for (size_t p = 0; p < planes; p++) {
      const nl_moments m = {running_mean[p % C], running_var[p % C]};
      normalize_plane(x + p * S, y + p * S, S, p % C, m, w, b, eps);
      nl_store_stats(stats_out, p, m);
    }
    return;
  }
  const params p = {C, w, b};
  nl_normalize_groups(x, y, planes, S, eps, stats_out, w || b ? plane_affine : NULL, &p, NULL, NULL);
}
