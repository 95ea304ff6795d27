/* Float64 reference: see reference.h.  Deliberately simple: the only
 * refinement over textbook two-pass is the mean correction (mean += sum(x -
 * mean) / n), which keeps the mean exact to double rounding for any offset,
 * so the reference stays far more accurate than the float32 kernels it
 * checks. */
#include "reference.h"

#include <math.h>

/* A normalization group: `count` spans of `len` floats, span k at x + k*stride. */
typedef struct {
  const float *x;
  size_t len, count, stride;
} group;

typedef struct {
  double mean, var; /* var is biased (divided by n) */
} moments;

static double group_sum(group g, double shift) {
  double s = 0;
  for (size_t k = 0; k < g.count; k++)
    for (size_t i = 0; i < g.len; i++) s += (double)g.x[k * g.stride + i] - shift;
  return s;
}

static moments group_moments(group g) {
  double n = (double)(g.len * g.count);
  moments m;
  /* torch: mean = sum / n, so a +Inf group has mean +Inf (not NaN). */
  m.mean = group_sum(g, 0) / n;
  if (isfinite(m.mean)) m.mean += group_sum(g, m.mean) / n;
  double ss = 0;
  for (size_t k = 0; k < g.count; k++)
    for (size_t i = 0; i < g.len; i++) {
      double d = (double)g.x[k * g.stride + i] - m.mean;
      ss += d * d;
    }
  /* Any NaN or Inf in the group makes d NaN somewhere, hence var NaN. */
  m.var = ss / n;
  return m;
}

static double rstd_of(double var, double eps) { return 1.0 / sqrt(var + eps); }

static void put_stats(double *stats, size_t i, moments m) {
  if (stats) {
    stats[2 * i] = m.mean;
    stats[2 * i + 1] = m.var;
  }
}

/* y = (x - mean) * rstd * w + b over `len` contiguous elements. */
static void normalize(const float *x, double *y, size_t len, double mean, double rstd, double w,
                      double b) {
  for (size_t i = 0; i < len; i++) y[i] = ((double)x[i] - mean) * rstd * w + b;
}

static double param(const float *p, size_t i, double dflt) { return p ? (double)p[i] : dflt; }

void ref_layer_norm(const float *x, double *y, size_t rows, size_t n, const float *w,
                    const float *b, double eps, double *stats) {
  for (size_t r = 0; r < rows; r++) {
    if (n == 0) continue;
    const float *xr = x + r * n;
    moments m = group_moments((group){xr, n, 1, n});
    put_stats(stats, r, m);
    double rstd = rstd_of(m.var, eps);
    for (size_t i = 0; i < n; i++)
      normalize(xr + i, y + r * n + i, 1, m.mean, rstd, param(w, i, 1), param(b, i, 0));
  }
}

void ref_rms_norm(const float *x, double *y, size_t rows, size_t n, const float *w, double eps,
                  double *stats) {
  for (size_t r = 0; r < rows; r++) {
    if (n == 0) continue;
    const float *xr = x + r * n;
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (double)xr[i] * xr[i];
    moments m = {0, ss / (double)n};
    put_stats(stats, r, m);
    double rstd = rstd_of(m.var, eps);
    for (size_t i = 0; i < n; i++) normalize(xr + i, y + r * n + i, 1, 0, rstd, param(w, i, 1), 0);
  }
}

void ref_group_norm(const float *x, double *y, size_t N, size_t C, size_t S, size_t G,
                    const float *w, const float *b, double eps, double *stats) {
  size_t cpg = C / G;
  if (cpg * S == 0) return;
  for (size_t n = 0; n < N; n++)
    for (size_t g = 0; g < G; g++) {
      size_t c0 = g * cpg, off = (n * C + c0) * S;
      moments m = group_moments((group){x + off, cpg * S, 1, cpg * S});
      put_stats(stats, n * G + g, m);
      double rstd = rstd_of(m.var, eps);
      for (size_t c = c0; c < c0 + cpg; c++)
        normalize(x + (n * C + c) * S, y + (n * C + c) * S, S, m.mean, rstd, param(w, c, 1),
                  param(b, c, 0));
    }
}

static double unbiased(moments m, size_t n) { return m.var * (double)n / (double)(n - 1); }

static double update(float running, double momentum, double observed) {
  return (1 - momentum) * (double)running + momentum * observed;
}

/* Eval mode of instance and batch norm: channel c normalized by running stats. */
static void normalize_by_running(const float *x, double *y, size_t N, size_t C, size_t S,
                                 const float *w, const float *b, const float *rm,
                                 const float *rv, double eps, double *stats, int per_plane) {
  for (size_t n = 0; n < N; n++)
    for (size_t c = 0; c < C; c++) {
      moments m = {rm[c], rv[c]};
      if (per_plane) put_stats(stats, n * C + c, m);
      normalize(x + (n * C + c) * S, y + (n * C + c) * S, S, m.mean, rstd_of(m.var, eps),
                param(w, c, 1), param(b, c, 0));
    }
  if (!per_plane)
    for (size_t c = 0; c < C; c++) put_stats(stats, c, (moments){rm[c], rv[c]});
}

void ref_instance_norm(const float *x, double *y, size_t N, size_t C, size_t S, const float *w,
                       const float *b, const float *rm_in, const float *rv_in, double *rm_out,
                       double *rv_out, int use_input_stats, double momentum, double eps,
                       double *stats) {
  if (!use_input_stats) {
    normalize_by_running(x, y, N, C, S, w, b, rm_in, rv_in, eps, stats, 1);
    return;
  }
  for (size_t c = 0; c < C; c++) {
    if (S == 0) { /* no elements: running stats unchanged (N == 0 is left to the caller) */
      if (rm_in) rm_out[c] = rm_in[c], rv_out[c] = rv_in[c];
      continue;
    }
    double mean_sum = 0, var_sum = 0; /* batch averages for the running stats */
    for (size_t n = 0; n < N; n++) {
      const float *p = x + (n * C + c) * S;
      moments m = group_moments((group){p, S, 1, S});
      put_stats(stats, n * C + c, m);
      normalize(p, y + (n * C + c) * S, S, m.mean, rstd_of(m.var, eps), param(w, c, 1),
                param(b, c, 0));
      mean_sum += m.mean;
      var_sum += unbiased(m, S);
    }
    if (rm_in && N > 0) {
      rm_out[c] = update(rm_in[c], momentum, mean_sum / (double)N);
      rv_out[c] = update(rv_in[c], momentum, var_sum / (double)N);
    }
  }
}

void ref_batch_norm(const float *x, double *y, size_t N, size_t C, size_t S, const float *w,
                    const float *b, const float *rm_in, const float *rv_in, double *rm_out,
                    double *rv_out, int training, double momentum, double eps, double *stats) {
  if (!training) {
    normalize_by_running(x, y, N, C, S, w, b, rm_in, rv_in, eps, stats, 0);
    return;
  }
  for (size_t c = 0; c < C; c++) {
    if (N * S == 0) { /* empty batch: running stats unchanged */
      if (rm_in) rm_out[c] = rm_in[c], rv_out[c] = rv_in[c];
      continue;
    }
    moments m = group_moments((group){x + c * S, S, N, C * S});
    put_stats(stats, c, m);
    double rstd = rstd_of(m.var, eps);
    for (size_t n = 0; n < N; n++)
      normalize(x + (n * C + c) * S, y + (n * C + c) * S, S, m.mean, rstd, param(w, c, 1),
                param(b, c, 0));
    if (rm_in) {
      rm_out[c] = update(rm_in[c], momentum, m.mean);
      rv_out[c] = update(rv_in[c], momentum, unbiased(m, N * S));
    }
  }
}

/* ---- backward ----
 * For one normalized set with x̂ = (x - mean) * rstd and g = dy * w:
 *   dL/dx = rstd * (g - mean(g) - x̂ * mean(g * x̂))   input statistics
 *   dL/dx = rstd * (g - x̂ * mean(g * x̂))             RMSNorm (mean is 0)
 *   dL/dx = rstd * g                                  running statistics
 *   dL/dw[p] += dy * x̂,  dL/db[p] += dy               over the elements of p.
 * Plain double sums; the statistics are group_moments' (mean corrected). */
enum { BW_MEAN_VAR, BW_VAR, BW_NONE };

/* Set g of the arrays at base (x); its element (k, i) takes parameter p0 + i / pdiv. */
static void set_backward(group g, const float *x, const float *dy, double *dx, const float *w, size_t p0,
                         size_t pdiv, double mean, double rstd, int terms, double *dw, double *db) {
  const size_t base = (size_t)(g.x - x), n = g.len * g.count;
  double sum_g = 0, sum_gx = 0;
  for (size_t k = 0; k < g.count; k++)
    for (size_t i = 0; i < g.len; i++) {
      size_t j = base + k * g.stride + i, p = p0 + i / pdiv;
      double xhat = ((double)x[j] - mean) * rstd, gj = (double)dy[j] * param(w, p, 1);
      sum_g += gj;
      sum_gx += gj * xhat;
      if (dw) dw[p] += (double)dy[j] * xhat;
      if (db) db[p] += (double)dy[j];
    }
  double mean_g = terms == BW_MEAN_VAR ? sum_g / (double)n : 0;
  double mean_gx = terms == BW_NONE ? 0 : sum_gx / (double)n;
  for (size_t k = 0; k < g.count; k++)
    for (size_t i = 0; i < g.len; i++) {
      size_t j = base + k * g.stride + i;
      double xhat = ((double)x[j] - mean) * rstd;
      double gj = (double)dy[j] * param(w, p0 + i / pdiv, 1);
      dx[j] = rstd * (gj - mean_g - xhat * mean_gx);
    }
}

static void zero(double *p, size_t n) {
  for (size_t i = 0; p && i < n; i++) p[i] = 0;
}

void ref_layer_norm_backward(const float *dy, const float *x, double *dx, size_t rows, size_t n,
                             const float *w, double eps, double *dw, double *db) {
  zero(dw, n);
  zero(db, n);
  for (size_t r = 0; r < rows && n > 0; r++) {
    group g = {x + r * n, n, 1, 0};
    moments m = group_moments(g);
    set_backward(g, x, dy, dx, w, 0, 1, m.mean, rstd_of(m.var, eps), BW_MEAN_VAR, dw, db);
  }
}

void ref_rms_norm_backward(const float *dy, const float *x, double *dx, size_t rows, size_t n,
                           const float *w, double eps, double *dw) {
  zero(dw, n);
  for (size_t r = 0; r < rows && n > 0; r++) {
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (double)x[r * n + i] * x[r * n + i];
    set_backward((group){x + r * n, n, 1, 0}, x, dy, dx, w, 0, 1, 0, rstd_of(ss / (double)n, eps), BW_VAR,
                 dw, NULL);
  }
}

void ref_group_norm_backward(const float *dy, const float *x, double *dx, size_t N, size_t C, size_t S,
                             size_t G, const float *w, double eps, double *dw, double *db) {
  zero(dw, C);
  zero(db, C);
  const size_t cpg = C / G;
  for (size_t n = 0; n < N && cpg * S > 0; n++)
    for (size_t k = 0; k < G; k++) {
      group g = {x + (n * C + k * cpg) * S, cpg * S, 1, 0};
      moments m = group_moments(g);
      set_backward(g, x, dy, dx, w, k * cpg, S, m.mean, rstd_of(m.var, eps), BW_MEAN_VAR, dw, db);
    }
}

/* InstanceNorm (per_plane: sets (n, c)) and BatchNorm (sets c over every n):
 * input statistics, or running_mean/running_var when use_input. */
static void channel_backward(const float *dy, const float *x, double *dx, size_t N, size_t C, size_t S,
                             const float *w, const float *rm, const float *rv, int use_input, double eps,
                             int per_plane, double *dw, double *db) {
  zero(dw, C);
  zero(db, C);
  for (size_t n = 0; n < (per_plane ? N : 1); n++)
    for (size_t c = 0; c < C; c++) {
      group g = per_plane ? (group){x + (n * C + c) * S, S, 1, 0} : (group){x + c * S, S, N, C * S};
      if (g.len * g.count == 0) continue;
      moments m = use_input ? group_moments(g) : (moments){rm[c], rv[c]};
      set_backward(g, x, dy, dx, w, c, S ? S : 1, m.mean, rstd_of(m.var, eps),
                   use_input ? BW_MEAN_VAR : BW_NONE, dw, db);
    }
}

void ref_instance_norm_backward(const float *dy, const float *x, double *dx, size_t N, size_t C, size_t S,
                                const float *w, const float *rm, const float *rv, int use_input_stats,
                                double eps, double *dw, double *db) {
  channel_backward(dy, x, dx, N, C, S, w, rm, rv, use_input_stats, eps, 1, dw, db);
}

void ref_batch_norm_backward(const float *dy, const float *x, double *dx, size_t N, size_t C, size_t S,
                             const float *w, const float *rm, const float *rv, int training, double eps,
                             double *dw, double *db) {
  channel_backward(dy, x, dx, N, C, S, w, rm, rv, training, eps, 0, dw, db);
}
