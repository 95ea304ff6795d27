/* The visiting strategies: the orders in which groups are visited for their
 * statistics and normalize passes (the list: strategies.inc).  Every strategy
 * gives each group the same statistic, rstd and normalize pass as the plain
 * one (bit for bit; the four-wide statistic of short groups sums in another
 * order, within rounding); they differ only in what is in cache or in flight
 * when.  nl_pick_strategy chooses by shape, for the reasons measured below. */
#include "groups.h"
#include "normalize.h"
#include "simd.h"
#include "sums.h"

/* ---- the steps every strategy is made of ---- */

/* The per-channel affine, the one place it is written: plane q's scale and
 * shift from its group's rstd. */
static inline void channel_scale(const nl_groups *G, size_t q, double rstd, float *scale, float *shift) {
  const size_t c = q % G->channels;
  *scale = (float)(G->w ? rstd * G->w[c] : rstd);
  *shift = G->b ? G->b[c] : 0.0f;
}

/* Scale and shift of group g when the whole group takes one (no affine, or
 * one channel plane per group). */
static inline void group_scale(const nl_groups *G, size_t g, double rstd, float *scale, float *shift) {
  if (G->affine == NL_AFFINE_PER_CHANNEL) {
    channel_scale(G, g, rstd, scale, shift);
  } else {
    *scale = (float)rstd;
    *shift = 0.0f;
  }
}

static inline void store_stats(const nl_groups *G, size_t g, nl_moments m) {
  if (G->stats_out) {
    G->stats_out[2 * g] = m.mean;
    G->stats_out[2 * g + 1] = m.var;
  }
}

/* Group g's statistic: the running statistics of its channel, or its own. */
static nl_moments group_statistic(const nl_groups *G, size_t g) {
  if (G->running_mean) {
    const size_t c = g % G->channels;
    return (nl_moments){G->running_mean[c], G->running_var[c]};
  }
  const float *x = G->x + g * G->group_stride;
  if (G->spans == 1) return nl_statistic_of(G->statistic, x, G->len);
  return nl_group_moments(x, G->len, G->spans, G->span_stride); /* moments: the only strided op is BatchNorm */
}

/* Group g's normalize pass: y = (x - mean) * rstd, then the affine. */
static inline void normalize_group(const nl_groups *G, size_t g, nl_moments m, double rstd) {
  if (G->spans == 1 && G->affine == NL_AFFINE_NONE) { /* the common case, straight to the pass */
    nl_normalize_span(G->x + g * G->len, G->y + g * G->len, G->len, m.mean, (float)rstd, 0.0f);
    return;
  }
  const size_t planes = G->affine == NL_AFFINE_PER_CHANNEL && G->plane ? G->len / G->plane : 1;
  const size_t span = planes == 1 ? G->len : G->plane;
  for (size_t k = 0; k < G->spans; k++) {
    const size_t at = g * G->group_stride + k * G->span_stride;
    const float *x = G->x + at;
    float *y = G->y + at;
    if (G->affine == NL_AFFINE_PER_ELEMENT) {
      nl_normalize_per_element(x, y, G->len, m.mean, (float)rstd, G->w, G->b);
      continue;
    }
    for (size_t q = 0; q < planes; q++) {
      float scale, shift;
      if (G->affine == NL_AFFINE_PER_CHANNEL)
        channel_scale(G, g * planes + q, rstd, &scale, &shift);
      else
        group_scale(G, g, rstd, &scale, &shift);
      nl_normalize_span(x + q * span, y + q * span, span, m.mean, scale, shift);
    }
  }
}

/* ---- plain: the strategy every other one is checked against ---- */

nl_moments nl_plain_group(const nl_groups *G, size_t g) {
  const nl_moments m = group_statistic(G, g); /* mean and biased variance (or mean square) */
  const double rstd = nl_rstd(m.var, G->eps); /* 1 / sqrt(var + eps) */
  normalize_group(G, g, m, rstd);              /* y = (x - mean) * rstd * w + b */
  store_stats(G, g, m);                        /* what a backward pass needs again */
  return m;
}

/* Each group in turn, two passes, the second from L1.  Taken for groups
 * longer than NL_MEDIUM_SPAN with a per-element weight (riding with weight
 * and bias measured no faster, and the bigger riding loop cost the
 * no-weight path 5%), for groups of several channel planes (GroupNorm with an
 * affine), for RMSNorm's long rows, for BatchNorm's strided groups and for
 * the running statistics. */
static void plain(const nl_groups *G) {
  for (size_t g = 0; g < G->groups; g++) nl_plain_group(G, g);
}

/* ---- chunks ---- */

/* Groups per chunk: up to 16 KB of groups of up to NL_MEDIUM_SPAN floats, so
 * a chunk stays in L1 between its statistics and its normalize pass; longer
 * groups one at a time. */
static size_t chunk_groups(size_t len) {
  const size_t fit = len > NL_MEDIUM_SPAN ? 1 : len == 0 ? NL_CHUNK : 4096 / len;
  return fit < NL_CHUNK ? fit : NL_CHUNK;
}

/* Groups first.. a chunk at a time: the chunk's statistics (short ones four
 * at a time in the SIMD build), rstds (two at a time), then its normalize
 * passes from L1.  This keeps each group's scalar steps off the critical path:
 * 22-31% faster than riding on 65- to 128-float rows, 10-20% faster than
 * plain on RMSNorm's rows in cache.  Streamed medium groups measured slower in
 * chunks than plain. */
static void chunks_from(const nl_groups *G, size_t first) {
  const size_t size = chunk_groups(G->len);
  nl_moments m[NL_CHUNK];
  double rstd[NL_CHUNK];
  for (size_t g0 = first; g0 < G->groups; g0 += size) {
    const size_t count = G->groups - g0 < size ? G->groups - g0 : size;
    nl_statistic_of_groups(G->statistic, G->x + g0 * G->len, count, G->len, m);
    nl_rstds(m, count, G->eps, rstd);
    for (size_t j = 0; j < count; j++) store_stats(G, g0 + j, m[j]);
    for (size_t j = 0; j < count; j++) normalize_group(G, g0 + j, m[j], rstd[j]);
  }
}

static void chunks(const nl_groups *G) { chunks_from(G, 0); }

/* ---- four_groups (SIMD build) ---- */

#ifdef NL_SIMD
/* The plan of four short groups from their statistic, in vector lanes: rstd,
 * scale and shift as the other strategies make them, bit for bit. */
static nl_plan4 four_plan(const nl_groups *G, const nl_moments4 *m, size_t first) {
  const nl_v128 rstd[2] = {nl_rstd2(m->var[0], G->eps), nl_rstd2(m->var[1], G->eps)};
  nl_v128 scale = nl_f32x4_demote2(rstd[0], rstd[1]), shift = nl_f32x4_splat(0.0f);
  const int per_channel = G->affine == NL_AFFINE_PER_CHANNEL;
  if (per_channel || G->stats_out) {
    double r[4], mean[4], var[4];
    for (int h = 0; h < 2; h++) {
      nl_f64x2_store(r + 2 * h, rstd[h]);
      nl_f64x2_store(mean + 2 * h, m->mean[h]);
      nl_f64x2_store(var + 2 * h, m->var[h]);
    }
    for (int j = 0; j < 4; j++) store_stats(G, first + j, (nl_moments){mean[j], var[j]});
    if (per_channel) {
      float sc[4], sh[4];
      for (int j = 0; j < 4; j++) channel_scale(G, first + j, r[j], sc + j, sh + j);
      scale = nl_f32x4_load(sc);
      shift = nl_f32x4_load(sh);
    }
  }
  return nl_make_plan4(m->mean, scale, shift);
}

/* Short groups four at a time, their statistics, rstd and plans as vector
 * lanes, so that a 7x7 plane pays no scalar work of its own (12% faster on
 * 7x7 planes than chunks), in chunks of NL_CHUNK groups (at most 16 KB) that
 * stay in L1 for the normalize pass; the last groups % 4 groups in chunks. */
static void four_groups(const nl_groups *G) {
  const size_t per = NL_CHUNK / 4, fours = G->groups / 4, len = G->len;
  const float *w = G->affine == NL_AFFINE_PER_ELEMENT ? G->w : NULL, *b = w ? G->b : NULL;
  nl_moments4 m[NL_CHUNK / 4];
  nl_plan4 plan[NL_CHUNK / 4];
  for (size_t q0 = 0; q0 < fours; q0 += per) {
    const size_t count = fours - q0 < per ? fours - q0 : per;
    nl_statistic_of_fours(G->statistic, G->x + 4 * q0 * len, count, len, m);
    for (size_t q = 0; q < count; q++) plan[q] = four_plan(G, m + q, 4 * (q0 + q));
    for (size_t q = 0; q < count; q++) {
      const size_t at = 4 * (q0 + q) * len;
      nl_normalize_four_groups(G->x + at, G->y + at, len, &plan[q], w, b);
    }
  }
  chunks_from(G, 4 * fours);
}
#endif

/* ---- riding: the normalize pass of one group in the summing loop of a later one ---- */

/* Normalizes x[0..len) into y by plan while the same loop takes the sums of
 * the group next[0..len); returns that group's moments, equal to
 * nl_group_moments(next, len, 1, 0).  x and next must not overlap; y may be x. */
static nl_moments moments_riding(const float *next, size_t len, const float *x, float *y, nl_plan plan) {
  const float p = nl_pivot(next, len);
  nl_sums s = {0.0, 0.0};
  if (p == 0.0f) {
    if (plan.centred) nl_span_sums(next, len, p, &s, 0, x, y, plan, 1, 1);
    else nl_span_sums(next, len, p, &s, 0, x, y, plan, 1, 0);
  } else {
    if (plan.centred) nl_span_sums(next, len, p, &s, 1, x, y, plan, 1, 1);
    else nl_span_sums(next, len, p, &s, 1, x, y, plan, 1, 0);
  }
  return nl_moments_from_sums(next, len, 1, 0, p, s);
}

/* Group g's plan from its moments m; the moments are recorded on the way. */
static nl_plan group_plan(const nl_groups *G, nl_moments m, size_t g) {
  float scale, shift;
  group_scale(G, g, nl_rstd(m.var, G->eps), &scale, &shift);
  store_stats(G, g, m);
  return nl_make_plan(m.mean, scale, shift);
}

/* Lag 1: group g is normalized in the loop that sums group g + 1.  The two
 * streams share the loop's work, and the scalar steps between groups
 * (finishing the moments, rstd, the plan) overlap the next loop instead of
 * stalling it: 15-21% faster than plain on 16384-float rows and planes, 30%
 * on LayerNorm [64,16384].  Taken for groups of PIPELINE_LONG floats or more
 * and for up to four groups, where lag 2 lost 10-25%.  (An exception for
 * short rows streamed from beyond the caches, where riding once measured
 * 3-10% slower than plain, was measured again for the layered kernels and
 * dropped: riding is 12-25% faster on LayerNorm [4096,768], both builds.) */
static void ride_lag1(const nl_groups *G) {
  const size_t len = G->len;
  nl_moments m = nl_group_moments(G->x, len, 1, 0);
  for (size_t g = 0; g < G->groups; g++) {
    const float *xg = G->x + g * len;
    float *yg = G->y + g * len;
    const nl_plan p = group_plan(G, m, g);
    if (g + 1 < G->groups)
      m = moments_riding(xg + len, len, xg, yg, p);
    else
      nl_normalize_plan(xg, yg, len, p);
  }
}

/* Lag 2: group g is normalized in the loop that sums group g + 2, so the plan
 * of group g + 2 is made while group g + 1 is normalized, off the critical
 * path: 3-9% faster than lag 1 on 768- and 1000-float groups, 17% faster than
 * plain on LayerNorm [8,768]. */
static void ride_lag2(const nl_groups *G) {
  const size_t len = G->len;
  nl_plan plan[2];
  for (size_t g = 0; g < 2 && g < G->groups; g++) plan[g] = group_plan(G, nl_group_moments(G->x + g * len, len, 1, 0), g);
  for (size_t g = 0; g < G->groups; g++) {
    const float *xg = G->x + g * len;
    float *yg = G->y + g * len;
    if (g + 2 < G->groups) {
      const nl_moments m = moments_riding(xg + 2 * len, len, xg, yg, plan[g % 2]);
      plan[g % 2] = group_plan(G, m, g + 2);
    } else {
      nl_normalize_plan(xg, yg, len, plan[g % 2]);
    }
  }
}

/* ---- the table ---- */

#define PIPELINE_LONG 4096 /* floats per group from which riding takes lag 1 */

int nl_strategy_applies(nl_strategy s, const nl_groups *G) {
  const int contiguous = G->spans == 1 && G->group_stride == G->len && !G->running_mean;
  const int one_plane = G->affine == NL_AFFINE_NONE ||
                        (G->affine == NL_AFFINE_PER_CHANNEL && G->plane == G->len);
  switch (s) {
  case NL_PLAIN: return 1;
  case NL_CHUNKS: return contiguous;
  case NL_FOUR_GROUPS:
#ifdef NL_SIMD
    return contiguous && G->len >= 4 && G->len <= NL_SHORT_SPAN &&
           (one_plane || (G->affine == NL_AFFINE_PER_ELEMENT && G->len % 4 == 0));
#else
    return 0;
#endif
  case NL_RIDE_LAG1:
  case NL_RIDE_LAG2: return contiguous && one_plane && G->statistic == NL_MOMENTS && G->len > 0;
  default: return 0;
  }
}

nl_strategy nl_pick_strategy(const nl_groups *G) {
  const size_t len = G->len;
  if (!nl_strategy_applies(NL_CHUNKS, G)) return NL_PLAIN;
  /* medium groups streamed from beyond the caches measured slower in chunks */
  if (len <= NL_SHORT_SPAN || (len <= NL_MEDIUM_SPAN && G->groups * len <= NL_CACHED_MAX))
    return nl_strategy_applies(NL_FOUR_GROUPS, G) ? NL_FOUR_GROUPS : NL_CHUNKS;
  if (G->groups < 2 || !nl_strategy_applies(NL_RIDE_LAG1, G)) return NL_PLAIN;
  return len < PIPELINE_LONG && G->groups > 4 ? NL_RIDE_LAG2 : NL_RIDE_LAG1;
}

void nl_normalize_groups_by(nl_strategy s, const nl_groups *G) {
  switch (s) {
  case NL_CHUNKS: chunks(G); break;
#ifdef NL_SIMD
  case NL_FOUR_GROUPS: four_groups(G); break;
#endif
  case NL_RIDE_LAG1: ride_lag1(G); break;
  case NL_RIDE_LAG2: ride_lag2(G); break;
  default: plain(G); break;
  }
}

void nl_normalize_groups(const nl_groups *G) { nl_normalize_groups_by(nl_pick_strategy(G), G); }
