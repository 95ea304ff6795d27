/* Float64 reference for every op in src/normlab.h, written independently of
 * src/: plain two-pass double math following
 * ../shared/reference/pytorch-semantics.md (beside the repository).
 *
 * Same layouts and argument meanings as normlab.h, but outputs are double.
 * Running statistics are read from the float buffers rm_in/rv_in (nullable)
 * and the updated values written to the double buffers rm_out/rv_out (same
 * length C; ignored when rm_in is NULL or in eval mode).  stats (nullable)
 * receives (mean, biased var) per group, as the kernels' stats_out. */
#ifndef NORMLAB_REFERENCE_H
#define NORMLAB_REFERENCE_H

#include <stddef.h>

void ref_layer_norm(const float *x, double *y, size_t rows, size_t n, const float *w,
                    const float *b, double eps, double *stats);

void ref_rms_norm(const float *x, double *y, size_t rows, size_t n, const float *w, double eps,
                  double *stats);

void ref_group_norm(const float *x, double *y, size_t N, size_t C, size_t S, size_t G,
                    const float *w, const float *b, double eps, double *stats);

void ref_instance_norm(const float *x, double *y, size_t N, size_t C, size_t S, const float *w,
                       const float *b, const float *rm_in, const float *rv_in, double *rm_out,
                       double *rv_out, int use_input_stats, double momentum, double eps,
                       double *stats);

void ref_batch_norm(const float *x, double *y, size_t N, size_t C, size_t S, const float *w,
                    const float *b, const float *rm_in, const float *rv_in, double *rm_out,
                    double *rv_out, int training, double momentum, double eps, double *stats);

/* The backward of each (the float64 gradients torch.autograd gives for the
 * call above): dy and x in the forward's layout, dx of x's size; dw, db
 * (nullable: not wanted) of the parameters' size; running statistics
 * (rm, rv) are read only in eval / !use_input_stats. */
void ref_layer_norm_backward(const float *dy, const float *x, double *dx, size_t rows, size_t n,
                             const float *w, double eps, double *dw, double *db);
void ref_rms_norm_backward(const float *dy, const float *x, double *dx, size_t rows, size_t n,
                           const float *w, double eps, double *dw);
void ref_group_norm_backward(const float *dy, const float *x, double *dx, size_t N, size_t C, size_t S,
                             size_t G, const float *w, double eps, double *dw, double *db);
void ref_instance_norm_backward(const float *dy, const float *x, double *dx, size_t N, size_t C, size_t S,
                                const float *w, const float *rm, const float *rv, int use_input_stats,
                                double eps, double *dw, double *db);
void ref_batch_norm_backward(const float *dy, const float *x, double *dx, size_t N, size_t C, size_t S,
                             const float *w, const float *rm, const float *rv, int training, double eps,
                             double *dw, double *db);

#endif
