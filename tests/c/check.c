/* See check.h.  Why the tolerance has this form: the kernels compute
 *   y = fl(fl(fl(x - mean_hi) - mean_lo) * scale) * w + b
 * with mean, var and rstd in double, rounded once to float.  Each float
 * operation adds a relative error of at most 2^-24 (6e-8) of its result, so
 * y - ref is bounded by a few units of 2^-24 times |z*w| + |b| (not |ref|:
 * z*w and b may cancel).  Absolute terms add to that, all scaled by |w|:
 * the mean is centred in float, so it is only exact to ~2^-24 of the std
 * (2^-24 in z); its float (hi + lo) form is exact to ~2^-48 |mean|, which
 * costs 2^-48 |mean| * rstd in z (at most 2^-25 sqrt(n) for a non-constant
 * float32 group, since its std is then at least 2^-24 |mean| / sqrt(n)); and
 * a subnormal rstd or output loses bits.  Hence tol * (|w| + |z*w| + |b|), with
 * tol = 1e-6 for ordinary data and 1e-5 in the fuzzers (n <= 4096, any
 * offset); a 1e-38 floor covers outputs that are themselves subnormal. */
#include "check.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normlab.h"
#include "reference.h"

const char *nl_op_name(nl_op op) {
  static const char *names[] = {"layer_norm", "rms_norm", "group_norm", "instance_norm",
                                "batch_norm"};
  return names[op];
}

static int close_to(double got, double ref, double tol) {
  if (isnan(ref)) return isnan(got);
  if (isnan(got)) return 0;
  if (isinf(ref)) return got == ref;
  if (isinf(got)) return (got > 0) == (ref > 0) && fabs(ref) + tol >= FLT_MAX;
  return fabs(got - ref) <= tol;
}

static int is_running_op(const nl_case *c) {
  return c->op == OP_INSTANCE_NORM || c->op == OP_BATCH_NORM;
}

static int uses_batch_stats(const nl_case *c) { return !is_running_op(c) || c->flag; }

static size_t group_count(const nl_case *c) {
  switch (c->op) {
  case OP_GROUP_NORM: return c->N * c->G;
  case OP_INSTANCE_NORM: return c->N * c->C;
  case OP_BATCH_NORM: return c->C;
  default: return c->N;
  }
}

/* Elements per normalization group (0: the kernel writes no stats). */
static size_t group_size(const nl_case *c) {
  if (!uses_batch_stats(c)) return 1;
  switch (c->op) {
  case OP_GROUP_NORM: return c->C / c->G * c->S;
  case OP_BATCH_NORM: return c->N * c->S;
  default: return c->S;
  }
}

static void *alloc(size_t count, size_t size) {
  void *p = malloc(count * size); /* exact size, so ASan sees any overrun */
  if (!p && count) abort();
  return p;
}

static float *copy_floats(const float *src, size_t n) {
  if (!src) return NULL;
  float *p = alloc(n, sizeof *p);
  memcpy(p, src, n * sizeof *p);
  return p;
}

static void run_kernel(const nl_case *c, float *y, float *rm, float *rv, double *stats) {
  switch (c->op) {
  case OP_LAYER_NORM: nl_layer_norm(c->x, y, c->N, c->S, c->w, c->b, c->eps, stats); break;
  case OP_RMS_NORM: nl_rms_norm(c->x, y, c->N, c->S, c->w, c->eps, stats); break;
  case OP_GROUP_NORM:
    nl_group_norm(c->x, y, c->N, c->C, c->S, c->G, c->w, c->b, c->eps, stats);
    break;
  case OP_INSTANCE_NORM:
    nl_instance_norm(c->x, y, c->N, c->C, c->S, c->w, c->b, rm, rv, c->flag, c->momentum, c->eps,
                     stats);
    break;
  case OP_BATCH_NORM:
    nl_batch_norm(c->x, y, c->N, c->C, c->S, c->w, c->b, rm, rv, c->flag, c->momentum, c->eps,
                  stats);
    break;
  }
}

static void run_reference(const nl_case *c, double *y, double *rm, double *rv, double *stats) {
  switch (c->op) {
  case OP_LAYER_NORM: ref_layer_norm(c->x, y, c->N, c->S, c->w, c->b, c->eps, stats); break;
  case OP_RMS_NORM: ref_rms_norm(c->x, y, c->N, c->S, c->w, c->eps, stats); break;
  case OP_GROUP_NORM:
    ref_group_norm(c->x, y, c->N, c->C, c->S, c->G, c->w, c->b, c->eps, stats);
    break;
  case OP_INSTANCE_NORM:
    ref_instance_norm(c->x, y, c->N, c->C, c->S, c->w, c->b, c->rm, c->rv, rm, rv, c->flag,
                      c->momentum, c->eps, stats);
    break;
  case OP_BATCH_NORM:
    ref_batch_norm(c->x, y, c->N, c->C, c->S, c->w, c->b, c->rm, c->rv, rm, rv, c->flag,
                   c->momentum, c->eps, stats);
    break;
  }
}

static int describe(const nl_case *c, char *why, size_t len, const char *what, size_t i,
                    double input, double expected, double got) {
  snprintf(why, len,
           "%s N=%zu C=%zu S=%zu G=%zu eps=%g momentum=%g flag=%d w=%s b=%s rm=%s: %s[%zu] "
           "(input %.9g): expected %.9g, got %.9g",
           nl_op_name(c->op), c->N, c->C, c->S, c->G, c->eps, c->momentum, c->flag,
           c->w ? "yes" : "no", c->b ? "yes" : "no", c->rm ? "yes" : "no", what, i, input,
           expected, got);
  return 1;
}

/* The group (index into stats) that element i of y belongs to. */
static size_t group_of(const nl_case *c, size_t i) {
  switch (c->op) {
  case OP_GROUP_NORM: return i / (c->C / c->G * c->S);
  case OP_BATCH_NORM: return i / c->S % c->C;
  default: return i / c->S;
  }
}

/* Where float32 cannot follow the reference, y is not compared (groups with
 * a NaN or Inf always are):
 * - rstd * max(1, |w|) > 1e38: the float32 scale of the kernels (rstd, or
 *   rstd * w per channel) overflows (FLT_MAX is 3.4e38), and the 2^-150
 *   rounding of a subnormal x - mean, times rstd, is no longer small.  This
 *   needs var + eps < 1e-76 * max(1, w^2): eps < 1e-76 (eps = 0) and data
 *   spread within float32's subnormal range.
 * - |x - mean| > 0.999 FLT_MAX (e.g. -FLT_MAX in a group of mean +1e38): the
 *   float difference x - mean overflows to Inf although y is finite.  Torch's
 *   float32 kernels give NaN there (their variance overflows). */
static int representable(const nl_case *c, const double *stats_ref, size_t i, double w) {
  size_t g = group_of(c, i);
  double mean = stats_ref[2 * g], var = stats_ref[2 * g + 1];
  double scale = fmax(1, fabs(w)) / sqrt(var + c->eps);
  return !(scale > 1e38) && !(fabs(c->x[i] - mean) > 0.999 * FLT_MAX);
}

static int check_y(const nl_case *c, nl_tolerance t, const float *y, const double *ref,
                   const double *stats_ref, char *why, size_t len) {
  int per_elem = c->op == OP_LAYER_NORM || c->op == OP_RMS_NORM;
  for (size_t i = 0, total = c->N * c->C * c->S; i < total; i++) {
    size_t p = per_elem ? i % c->S : i / c->S % c->C;
    double w = c->w ? c->w[p] : 1, b = c->b ? c->b[p] : 0;
    if (!representable(c, stats_ref, i, w)) continue;
    double tol = t.abs_tol > 0 ? t.abs_tol
                               : t.tol * (fabs(w) + fabs(ref[i] - b) + fabs(b)) + 1e-38;
    if (!close_to(y[i], ref[i], tol)) return describe(c, why, len, "y", i, c->x[i], ref[i], y[i]);
  }
  return 0;
}

/* Kernel stats are double, but the kernels centre the data in float
 * ((x - hi) - lo, rounded to float), so the variance is only as accurate as
 * float32 (relative 2^-24 per term) and the mean within 2^-24 of the std;
 * the large part of the mean (hi + lo) must be exact to double precision. */
/* The SIMD statistics add float32 partial sums of 16 values per lane after a
 * pivot that may lie 4 standard deviations from the mean (a 16x cancellation
 * in E[d^2] - E[d]^2): the first native SIMD fuzzing found 1.4e-6 relative
 * (group_norm N=3 C=16 S=34 G=4, values ~1e12); the scalar build sums in
 * double. */
#ifdef NL_NATIVE_SIMD
#define VAR_REL_TOL 1e-5
#else
#define VAR_REL_TOL 1e-6
#endif

/* |v|, or 0 for NaN and Inf (then close_to needs an exact match anyway). */
static double finite_abs(double v) { return isfinite(v) ? fabs(v) : 0; }

static int check_stats(const nl_case *c, const double *got, const double *ref, char *why,
                       size_t len) {
  if (!c->want_stats || group_size(c) == 0) return 0;
  for (size_t g = 0, n = group_count(c); g < n; g++) {
    double mean = ref[2 * g], var = ref[2 * g + 1];
    /* plus the 2^-150 absolute rounding of subnormal float differences */
    double m = finite_abs(mean), v = finite_abs(var);
    double mean_tol = 1e-12 * m + 1e-6 * sqrt(v) + FLT_TRUE_MIN;
    double var_tol = VAR_REL_TOL * v + 1e-24 * m * m + 2 * FLT_TRUE_MIN * (sqrt(v) + FLT_TRUE_MIN);
    if (!close_to(got[2 * g], mean, mean_tol))
      return describe(c, why, len, "stats mean", g, NAN, mean, got[2 * g]);
    if (!close_to(got[2 * g + 1], var, var_tol))
      return describe(c, why, len, "stats var", g, NAN, var, got[2 * g + 1]);
  }
  return 0;
}

/* Running stats: float32 rounding of (1 - m) * running + m * observed, where
 * the observed mean is itself only accurate to ~2^-24 of the data's std (see
 * check_stats): hence the m * std term, m * std = sqrt(m * (m * unbiased)). */
static int check_running(const nl_case *c, nl_tolerance t, const float *rm, const float *rv,
                         const double *rm_ref, const double *rv_ref, char *why, size_t len) {
  /* torch's InstanceNorm update for N == 0 averages an empty batch: not
   * specified, so not checked. */
  if (!rm || (c->op == OP_INSTANCE_NORM && c->N == 0 && c->flag)) return 0;
  for (size_t i = 0; i < c->C; i++) {
    if (!c->flag) { /* eval: buffers untouched */
      if (memcmp(&rm[i], &c->rm[i], sizeof *rm) || memcmp(&rv[i], &c->rv[i], sizeof *rv))
        return describe(c, why, len, "running stats (eval)", i, c->rm[i], c->rm[i], rm[i]);
      continue;
    }
    double m_std = sqrt(fabs(c->momentum * (rv_ref[i] - (1 - c->momentum) * c->rv[i])));
    double tol_m = t.tol * (fabs(c->rm[i]) + fabs(rm_ref[i]) + m_std) + 1e-38;
    double tol_v = t.tol * (fabs(c->rv[i]) + fabs(rv_ref[i])) + 1e-38;
    if (!close_to(rm[i], rm_ref[i], tol_m))
      return describe(c, why, len, "running_mean", i, c->rm[i], rm_ref[i], rm[i]);
    if (!close_to(rv[i], rv_ref[i], tol_v))
      return describe(c, why, len, "running_var", i, c->rv[i], rv_ref[i], rv[i]);
  }
  return 0;
}

int nl_check_case(const nl_case *c, nl_tolerance t, char *why, size_t why_len) {
  size_t total = c->N * c->C * c->S, groups = group_count(c);
  float *y = alloc(total, sizeof *y);
  double *yref = alloc(total, sizeof *yref);
  double *stats = c->want_stats ? alloc(2 * groups, sizeof *stats) : NULL;
  double *stats_ref = alloc(2 * groups, sizeof *stats_ref);
  float *rm = copy_floats(c->rm, c->C), *rv = copy_floats(c->rv, c->C);
  double *rm_ref = alloc(c->C, sizeof *rm_ref), *rv_ref = alloc(c->C, sizeof *rv_ref);

  run_kernel(c, y, rm, rv, stats);
  run_reference(c, yref, rm_ref, rv_ref, stats_ref);
  int bad = check_y(c, t, y, yref, stats_ref, why, why_len) ||
            check_stats(c, stats, stats_ref, why, why_len) ||
            check_running(c, t, rm, rv, rm_ref, rv_ref, why, why_len);

  free(y), free(yref), free(stats), free(stats_ref);
  free(rm), free(rv), free(rm_ref), free(rv_ref);
  return bad;
}
