/* Run one call of a normlab kernel and of the float64 reference on the same
 * inputs, and compare every output (y, stats_out, running statistics).
 *
 * Tolerance (derived in check.c): element i of y passes when
 *   |y - ref| <= tol * (|w| + |ref - b| + |b|)      (ref - b = z*w exactly)
 * or, when abs_tol > 0, when |y - ref| <= abs_tol.  NaN must match NaN, an
 * infinite ref must be matched exactly, and an infinite y is accepted only
 * where |ref| reaches FLT_MAX. */
#ifndef NORMLAB_CHECK_H
#define NORMLAB_CHECK_H

#include <stddef.h>

typedef enum { OP_LAYER_NORM, OP_RMS_NORM, OP_GROUP_NORM, OP_INSTANCE_NORM, OP_BATCH_NORM } nl_op;

/* One kernel call.  The tensor is (N, C, S); LayerNorm and RMSNorm use C = 1
 * and normalize rows of S elements (w, b: S elements), the others take
 * per-channel w, b, rm, rv (C elements).  Any pointer may be NULL (b only if
 * the op allows it); `flag` is use_input_stats / training. */
typedef struct {
  nl_op op;
  size_t N, C, S, G;
  const float *x, *w, *b, *rm, *rv;
  int flag;
  double momentum, eps;
  int want_stats; /* pass a stats_out buffer to the kernel and compare it */
} nl_case;

typedef struct {
  double tol;     /* relative tolerance of y and running stats (see above) */
  double abs_tol; /* > 0: y must be within this absolute error instead */
} nl_tolerance;

const char *nl_op_name(nl_op op);

/* Run and compare.  Returns 0 when everything matches; otherwise writes a
 * one-line description (op, shape, index, input, expected, got) to `why`. */
int nl_check_case(const nl_case *c, nl_tolerance t, char *why, size_t why_len);

#endif
