/* Statistics (stats.c): the moments that normalize a group, and nothing else
 * -- no statistic writes y.
 *
 * A statistic is one of
 *   NL_MOMENTS      mean and biased variance (LayerNorm, GroupNorm,
 *                   InstanceNorm, BatchNorm);
 *   NL_MEAN_SQUARE  mean(x^2), as moments {mean 0, var mean(x^2)} (RMSNorm);
 * so that every op normalizes by y = (x - mean) * rstd with rstd =
 * nl_rstd(var, eps).  The moments (and rstd from them) are what a backward
 * pass needs again: they are returned, never consumed in place. */
#ifndef NORMLAB_MOMENTS_H
#define NORMLAB_MOMENTS_H

#include <stddef.h>

#include "simd.h"

typedef struct {
  double mean;
  double var; /* biased: divided by n */
} nl_moments;

typedef enum { NL_MOMENTS, NL_MEAN_SQUARE } nl_statistic;

/* Mean and biased variance of a group made of `count` spans of `len`
 * contiguous floats, span k starting at x + k*stride (count = 1 for a
 * contiguous group).  An empty group gives NaN.  The mean is accurate to
 * about 2^-24 of the standard deviation and the variance to about 2^-24
 * relative, for any offset; the SIMD build's float32 partial sums after a
 * pivot up to 4 standard deviations off reach 1.4e-6 relative on adversarial
 * data (tests/c/check.c; the four-wide statistic 1e-5, docs/kernels.md); a NaN or Inf
 * in the group gives var = NaN (and mean = sum/n, as torch does). */
nl_moments nl_group_moments(const float *x, size_t len, size_t count, size_t stride);

/* Mean of x^2 over n > 0 contiguous floats, without overflow or underflow. */
double nl_mean_square(const float *x, size_t n);

/* The statistic of the contiguous group x[0..len): nl_group_moments or
 * {0, nl_mean_square}. */
nl_moments nl_statistic_of(nl_statistic s, const float *x, size_t len);

/* The statistic of `groups` consecutive groups of len floats (group g at
 * x + g*len) into out[0..groups).  Short groups are done four at a time in
 * the SIMD build, so a 7x7 plane pays no horizontal reduction or scalar tail
 * of its own. */
void nl_statistic_of_groups(nl_statistic s, const float *x, size_t groups, size_t len, nl_moments *out);

/* 1 / sqrt(var + eps), in double. */
double nl_rstd(double var, double eps);

/* rstd[j] = nl_rstd(m[j].var, eps) for j < count. */
void nl_rstds(const nl_moments *m, size_t count, double eps, double *rstd);

#ifdef NL_SIMD
/* nl_rstd on two variances at once: sqrt and division in f64x2 are correctly
 * rounded, so each lane equals nl_rstd's result. */
static inline nl_v128 nl_rstd2(nl_v128 var, double eps) {
  return nl_f64x2_div(nl_f64x2_splat(1.0), nl_f64x2_sqrt(nl_f64x2_add(var, nl_f64x2_splat(eps))));
}

/* The statistic of four consecutive short groups side by side, as f64x2
 * pairs: [0] holds groups 0 and 1, [1] groups 2 and 3. */
typedef struct {
  nl_v128 mean[2], var[2];
} nl_moments4;

/* The statistic of `fours` runs of four consecutive groups of len floats
 * (group g at x + g*len, 4 <= len <= NL_SHORT_SPAN) into m[0..fours), each
 * group's equal to nl_statistic_of's (the mean square up to rounding). */
void nl_statistic_of_fours(nl_statistic s, const float *x, size_t fours, size_t len, nl_moments4 *m);
#endif

/* ---- for a pass that takes the sums while it normalizes (strategies.c) ---- */

/* Sums of d = x - p and d^2 over a group, p its pivot. */
typedef struct {
  double d;  /* sum of x - p */
  double dd; /* sum of (x - p)^2 */
} nl_sums;

/* The pivot nl_group_moments shifts group x[0..len) by. */
float nl_pivot(const float *x, size_t len);

/* The moments of a group from its sums with pivot p, as nl_group_moments
 * finishes them (which may read the group again, on its exact path). */
nl_moments nl_moments_from_sums(const float *x, size_t len, size_t count, size_t stride, float p,
                                nl_sums s);

#endif
