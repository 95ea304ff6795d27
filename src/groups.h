/* Normalizing groups (strategies.c): what every op reduces to.
 *
 * An op is a group layout + a statistic + an affine (ops.c's table):
 *   layout     `groups` groups of `spans` spans of `len` contiguous floats:
 *              group g's span k at x + g*group_stride + k*span_stride
 *              (one span per group and group_stride = len for every op but
 *              BatchNorm, whose channel c is N spans of S, C*S apart);
 *   statistic  moments or mean square (moments.h), or the running
 *              statistics given (eval);
 *   affine     none, per element of the group (LayerNorm, RMSNorm: w[i],
 *              b[i]) or per channel (w[c], b[c]; a group holds len/plane
 *              planes of `plane` floats each, plane q of group g is channel
 *              (g*len/plane + q) % channels).
 * y = (x - mean) * rstd, then the affine; the moments go to stats_out. */
#ifndef NORMLAB_GROUPS_H
#define NORMLAB_GROUPS_H

#include <stddef.h>

#include "moments.h"

typedef enum { NL_AFFINE_NONE, NL_AFFINE_PER_ELEMENT, NL_AFFINE_PER_CHANNEL } nl_affine;

typedef struct {
  const float *x;
  float *y; /* may be x */
  size_t groups, len, spans, group_stride, span_stride;
  nl_statistic statistic;
  const float *running_mean, *running_var; /* non-NULL: these normalize (eval), channel = group % channels */
  nl_affine affine;
  size_t channels, plane;
  const float *w, *b; /* b may be NULL; w NULL with a per-channel affine means scale 1 */
  double eps;
  double *stats_out; /* nullable: mean and var of group g at [2g], [2g + 1] */
} nl_groups;

/* Groups of up to NL_SHORT_SPAN floats count as short (the four_groups
 * strategy); up to NL_MEDIUM_SPAN floats they are visited in chunks of many. */
#define NL_SHORT_SPAN 64
#define NL_MEDIUM_SPAN 128
#define NL_CHUNK 64 /* most groups per chunk */

/* Tensors of more floats than this (8 MB) stream from beyond the caches, where
 * some visiting orders that win in cache measured slower (strategies.c). */
#define NL_CACHED_MAX ((size_t)1 << 21)

typedef enum {
#define NL_STRATEGY(id, name, what) id,
#include "strategies.inc"
#undef NL_STRATEGY
  NL_STRATEGIES
} nl_strategy;

/* Normalizes the groups by the strategy measured fastest for their shape. */
void nl_normalize_groups(const nl_groups *G);

/* The strategy nl_normalize_groups takes for G. */
nl_strategy nl_pick_strategy(const nl_groups *G);

/* 1 when strategy s can normalize G (each needs its own layout or affine). */
int nl_strategy_applies(nl_strategy s, const nl_groups *G);

/* Normalizes G by strategy s, which must apply. */
void nl_normalize_groups_by(nl_strategy s, const nl_groups *G);

/* The plain strategy's step on group g alone: its statistic, rstd, normalize
 * pass; returns the moments (for a running-statistics update). */
nl_moments nl_plain_group(const nl_groups *G, size_t g);

#endif
