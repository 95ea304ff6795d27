/* normlab: PyTorch-exact normalization layers, float32 in and out.
 *
 * Every op is a thin layer over two shared routines:
 *   nl_group_moments  - mean and biased variance of one normalization group
 *   nl_normalize_*    - y = (x - mean) * scale + shift over one contiguous span
 * Each routine has a wasm SIMD128 path (when built with -msimd128) and a
 * scalar path; the scalar path also handles the tails of the SIMD loops.
 *
 * Layout conventions (row-major, as torch.contiguous()):
 *   N = batch, C = channels, S = prod(spatial dims) (1 if none).
 *   An (N, C, S) tensor has element (n, c, s) at x[(n*C + c)*S + s].
 *
 * stats_out (nullable) receives two doubles per group: the mean and the
 * biased variance that normalized it (the running statistics in eval mode;
 * for RMSNorm the mean is 0 and the "variance" is mean(x^2)).
 */
#ifndef NORMLAB_H
#define NORMLAB_H

#include <stddef.h>

typedef struct {
  double mean;
  double var; /* biased: divided by n */
} nl_moments;

/* Mean and biased variance of a group made of `count` spans of `len`
 * contiguous floats, span k starting at x + k*stride (count = 1 for a
 * contiguous group).  An empty group gives NaN.  The mean is accurate to
 * about 2^-24 of the standard deviation and the variance to about 2^-24
 * relative, for any offset (float32 partial sums; see stats.c); a NaN or Inf
 * in the group gives var = NaN (and mean = sum/n, as torch does). */
nl_moments nl_group_moments(const float *x, size_t len, size_t count, size_t stride);

/* Moments of `groups` consecutive groups of len floats (group g at x + g*len)
 * into out[0..groups).  Short groups are done several at a time, so a 7x7
 * plane pays no horizontal reduction or scalar tail of its own. */
void nl_moments_rows(const float *x, size_t groups, size_t len, nl_moments *out);

/* Consecutive groups taken a chunk at a time (many short groups, or one long
 * one), so that the chunk's stats pass and normalize pass both read from L1:
 *   nl_chunk ch;
 *   nl_chunk_start(&ch, 0);
 *   while (nl_next_chunk(x, groups, len, &ch))
 *     for (size_t j = 0; j < ch.count; j++) ... group ch.first + j, moments ch.m[j]
 */
#define NL_CHUNK 64
typedef struct {
  size_t first, count;
  nl_moments m[NL_CHUNK];
} nl_chunk;
int nl_next_chunk(const float *x, size_t groups, size_t len, nl_chunk *ch);

/* Starts ch at group `first`; only first and count need setting (zeroing the
 * whole 1 KB chunk cost a tenth of a small call). */
static inline void nl_chunk_start(nl_chunk *ch, size_t first) {
  ch->first = first;
  ch->count = 0;
}

/* Records group g's moments in stats_out (two doubles per group), if given. */
static inline void nl_store_stats(double *stats_out, size_t g, nl_moments m) {
  if (stats_out) {
    stats_out[2 * g] = m.mean;
    stats_out[2 * g + 1] = m.var;
  }
}

/* Mean of x^2 over n > 0 contiguous floats, without overflow or underflow. */
double nl_mean_square(const float *x, size_t n);

/* 1 when built with SIMD128, 0 for the scalar build (exported). */
int nl_build_simd(void);

/* 1 / sqrt(var + eps), in double. */
double nl_rstd(double var, double eps);

/* rstd[j] = nl_rstd(m[j].var, eps) for j < count: a chunk's worth at once. */
void nl_rstds(const nl_moments *m, size_t count, double eps, double *rstd);

/* y[i] = (x[i] - mean) * scale + shift.  The mean is subtracted in two float
 * parts (hi + lo), so a large offset costs no accuracy. */
void nl_normalize_span(const float *x, float *y, size_t n, double mean, float scale, float shift);

/* Groups of up to NL_SHORT_SPAN floats count as short: the SIMD build takes
 * them four at a time (plan.h).  Up to NL_MEDIUM_SPAN floats, groups are
 * visited in chunks of many (nl_next_chunk); longer ones one at a time. */
#define NL_SHORT_SPAN 64
#define NL_MEDIUM_SPAN 128

/* Tensors of more floats than this (8 MB) stream from beyond the caches, where
 * some visiting orders that win in cache measured slower (pipeline.c). */
#define NL_CACHED_MAX ((size_t)1 << 21)

/* Groups per chunk: up to 16 KB of groups of up to NL_MEDIUM_SPAN floats, so
 * a chunk stays in L1 between its statistics and its normalize pass; longer
 * groups one at a time (normalized while their statistics pass has just
 * brought them into cache: measured faster). */
static inline size_t nl_chunk_groups(size_t len) {
  const size_t fit = len > NL_MEDIUM_SPAN ? 1 : len == 0 ? NL_CHUNK : 4096 / len;
  return fit < NL_CHUNK ? fit : NL_CHUNK;
}

/* An op's affine on groups first .. first+count-1: their scales and shifts
 * from their rstd[0..count) (and, through ctx, the op's weight and bias).
 * One call per chunk of groups (count <= NL_CHUNK), not per group. */
typedef void (*nl_affine_fn)(const void *ctx, size_t first, size_t count, const double *rstd,
                             float *scale, float *shift);

/* Normalizes `groups` consecutive groups of len floats (group g at x + g*len)
 * by their own moments: y = (x - mean) * scale + shift, where scale = rstd and
 * shift = 0, or what f makes of rstd when f is not NULL; then, when w is not
 * NULL (f must then be NULL), y[i] = y[i] * w[i] (+ b[i]) per element of the
 * group, as LayerNorm's weight and bias.  Records the moments in stats_out.
 * y may be x.  See pipeline.c for how the groups are visited. */
void nl_normalize_groups(const float *x, float *y, size_t groups, size_t len, double eps,
                         double *stats_out, nl_affine_fn f, const void *ctx, const float *w,
                         const float *b);

/* y[i] = (x[i] - mean) * rstd * w[i] (+ b[i] when b is not NULL).  w != NULL. */
void nl_normalize_affine(const float *x, float *y, size_t n, double mean, float rstd,
                         const float *w, const float *b);

/* ---- the ops (exported to JavaScript) ----
 * Pointers to optional parameters may be NULL.  Arguments are validated by the
 * caller (the JavaScript API); the kernels trust them. */

/* LayerNorm over the trailing n elements of each of `rows` rows.
 * w, b: n elements each (b != NULL requires w != NULL). */
void nl_layer_norm(const float *x, float *y, size_t rows, size_t n, const float *w,
                   const float *b, double eps, double *stats_out);

/* RMSNorm: y = x / sqrt(mean(x^2) + eps) * w, per row of n elements. */
void nl_rms_norm(const float *x, float *y, size_t rows, size_t n, const float *w, double eps,
                 double *stats_out);

/* GroupNorm on (N, C, S) with G groups of C/G channels; w, b: C elements.
 * stats_out: N*G pairs. */
void nl_group_norm(const float *x, float *y, size_t N, size_t C, size_t S, size_t G,
                   const float *w, const float *b, double eps, double *stats_out);

/* InstanceNorm on (N, C, S), as torch.nn.functional.instance_norm.
 * use_input_stats: normalize each (n, c) plane by its own statistics and, when
 * running_mean/var are given, update them with the batch average of the
 * per-plane mean and unbiased variance.  Otherwise normalize by the running
 * statistics.  stats_out: N*C pairs. */
void nl_instance_norm(const float *x, float *y, size_t N, size_t C, size_t S, const float *w,
                      const float *b, float *running_mean, float *running_var,
                      int use_input_stats, double momentum, double eps, double *stats_out);

/* BatchNorm on (N, C, S), as torch.nn.functional.batch_norm.
 * training: batch statistics per channel over N*S elements; running stats
 * (when given) updated with momentum and the unbiased variance; an empty
 * batch leaves them unchanged.  Otherwise the running statistics normalize.
 * stats_out: C pairs. */
void nl_batch_norm(const float *x, float *y, size_t N, size_t C, size_t S, const float *w,
                   const float *b, float *running_mean, float *running_var, int training,
                   double momentum, double eps, double *stats_out);

#endif
