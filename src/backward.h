/* The backward passes of the five ops (backward.c): for the same call as the
 * forward op (normlab.h), the gradients torch.autograd gives.
 *
 * Arguments follow the forward op's, with the upstream gradient first:
 *   dy     dL/dy, the shape of x;
 *   dx     receives dL/dx (may be dy or x: each element is read before it is
 *          written);
 *   w      the weight the forward call took (NULL: none, scale 1);
 *   stats  NULL, or the forward call's stats_out (normlab.h: per group the
 *          mean and the biased variance that normalized it, two doubles);
 *          when NULL the mean is recomputed by the routine the forward call
 *          used, so both ways give the same bits.  The mean is the pivot of
 *          the statistics the backward takes again, exactly, in its sums
 *          pass (backward.c: the forward's float-lane variance is 2^-24 off,
 *          which a cancelling gradient would show); the variance is not read;
 *   dw, db receive dL/dweight and dL/dbias (NULL: the call has no such
 *          parameter).  They are written, not accumulated into: torch's
 *          .grad accumulation is the JS modules' job.
 * The forward's bias and momentum do not enter any gradient and are not
 * taken.  Arguments are validated by the caller, as for the forward ops.
 * Each returns 0, or -1 when its float64 scratch (the parameter gradients'
 * sums, the statistics when recomputed) could not be allocated; then
 * nothing is written. */
#ifndef NORMLAB_BACKWARD_H
#define NORMLAB_BACKWARD_H

#include <stddef.h>

/* LayerNorm over rows of n; w, dw, db: n elements (dw needs w). */
int nl_layer_norm_backward(const float *dy, const float *x, float *dx, size_t rows, size_t n,
                           const float *w, double eps, const double *stats, float *dw, float *db);

/* RMSNorm over rows of n; w, dw: n elements (dw needs w). */
int nl_rms_norm_backward(const float *dy, const float *x, float *dx, size_t rows, size_t n,
                         const float *w, double eps, const double *stats, float *dw);

/* GroupNorm on (N, C, S) with G groups; w, dw, db: C elements. */
int nl_group_norm_backward(const float *dy, const float *x, float *dx, size_t N, size_t C, size_t S,
                           size_t G, const float *w, double eps, const double *stats, float *dw,
                           float *db);

/* InstanceNorm on (N, C, S): use_input_stats, each plane's own statistics;
 * otherwise running_mean/running_var (C elements) normalized every plane. */
int nl_instance_norm_backward(const float *dy, const float *x, float *dx, size_t N, size_t C, size_t S,
                              const float *w, const float *running_mean, const float *running_var,
                              int use_input_stats, double eps, const double *stats, float *dw,
                              float *db);

/* BatchNorm on (N, C, S): training, each channel's batch statistics;
 * otherwise running_mean/running_var (C elements). */
int nl_batch_norm_backward(const float *dy, const float *x, float *dx, size_t N, size_t C, size_t S,
                           const float *w, const float *running_mean, const float *running_var,
                           int training, double eps, const double *stats, float *dw, float *db);

/* For the tests: on != 0 makes every kernel take its plain version (each
 * element one at a time, in double), 0 (the default) the wide steps. */
void nl_backward_plain(int on);

#endif
