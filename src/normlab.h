/* normlab: PyTorch-exact normalization layers, float32 in and out.
 * The five ops exported to JavaScript; how they are built: docs/kernels.md
 * (ops.c describes each op, strategies.c visits its groups, stats.c and
 * normalize.c are the two passes, simd.h the vector vocabulary).
 *
 * Layout conventions (row-major, as torch.contiguous()):
 *   N = batch, C = channels, S = prod(spatial dims) (1 if none).
 *   An (N, C, S) tensor has element (n, c, s) at x[(n*C + c)*S + s].
 *
 * Pointers to optional parameters may be NULL.  Arguments are validated by
 * the caller (the JavaScript API); the kernels trust them.  y may be x.
 *
 * stats_out (nullable) receives two doubles per group: the mean and the
 * biased variance that normalized it (the running statistics in eval mode;
 * for RMSNorm the mean is 0 and the "variance" is mean(x^2)). */
#ifndef NORMLAB_H
#define NORMLAB_H

#include <stddef.h>

/* LayerNorm over the trailing n elements of each of `rows` rows.
 * w, b: n elements each (b != NULL requires w != NULL).  stats_out: rows pairs. */
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

/* 1 when built with SIMD128, 0 for the scalar build. */
int nl_build_simd(void);

/* For tests and benchmarks: normalizes `groups` consecutive groups of len
 * floats by visiting strategy `strategy` (its number in src/strategies.inc)
 * and statistic 0 (moments) or 1 (mean square); w, b per element of the
 * group, or, when channels > 0, per channel (plane q of group g is channel
 * (g*len/plane + q) % channels).  Returns 1 when done, 0 when the strategy
 * does not apply to these groups, -1 when there is no such strategy. */
int nl_normalize_groups_with(int strategy, int statistic, const float *x, float *y, size_t groups,
                             size_t len, const float *w, const float *b, size_t channels, size_t plane,
                             double eps, double *stats_out);

#endif
