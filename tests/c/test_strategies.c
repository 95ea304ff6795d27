/* Every visiting strategy of src/strategies.inc, on every statistic and
 * affine, at lengths around each vector (4), unroll (8, 16), chunk (64, 128)
 * and sum-block (256) step and group counts around the four-group step:
 *   - statistics (stats_out) bit for bit those of the plain strategy, except
 *     where the four-wide statistic of short groups sums in another order
 *     (strategies.c); there within FOUR_WIDE_TOL of the float64 variance
 *     (and 1e-6 standard deviations of the mean);
 *   - y bit for bit the plain strategy's wherever the statistics are, and
 *     within tolerance of the float64 reference (tests/c/reference.c)
 *     everywhere, in place (y == x) too.
 * Built twice by tests/c/run.sh: scalar, and with the native SIMD vocabulary
 * (-DNL_NATIVE_SIMD, src/simd.h), so the SIMD kernels run under ASan + UBSan.
 * Exits 1 naming the first failures. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "groups.h"
#include "reference.h"
#include "rng.h"

static const char *const names[] = {
#define NL_STRATEGY(id, name, what) name,
#include "strategies.inc"
#undef NL_STRATEGY
};

static const size_t lens[] = {1,  2,  3,  4,   5,   6,   7,   8,   9,   12,  15,  16,  17,  31,   32,   33,  47, 48,
                              49, 63, 64, 65,  67,  127, 128, 129, 131, 255, 256, 257, 260, 511, 513, 1000, 4095, 4097};
static const size_t group_counts[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 66};

typedef enum { AFF_NONE, AFF_W, AFF_WB, AFF_PLANE, AFF_TWO_PLANES, NAFF } affine_case;
static const char *const affine_names[] = {"none", "w", "w+b", "per channel", "per channel, 2 planes"};

typedef enum { DATA_MIXED, DATA_CENTRED, DATA_OFF_CENTRE, NDATA } data_case;

/* The four-wide statistic sums each group's squares in one float32 chain per
 * lane, where nl_group_moments keeps four: on a group whose first four
 * elements mislead the pivot (+-1, then 5000 + noise: the pivot stays 0, which
 * the verdict accepts at 2.7 standard deviations from the mean) its variance
 * came out up to 1e-5 relative off (more than 5e-6 on 6 groups here), y up to
 * 3e-6 (the plain strategy meets 1e-6 there).  Kept as it is: outputs are
 * pinned bit for bit (docs/kernels.md). */
#ifndef FOUR_WIDE_TOL
#define FOUR_WIDE_TOL 1e-5
#endif

static rng gen = {0x2545f4914f6cdd1dull};
static int cases, failures, ran[NL_STRATEGIES];

/* Group g's values: a different kind per group in DATA_MIXED. */
static float datum(data_case d, size_t g, size_t i, size_t len) {
  const double u = rng_uniform(&gen) * 2 - 1;
  const int kind = d == DATA_MIXED ? (int)(g % 9) : d == DATA_CENTRED ? 0 : 1;
  switch (kind) {
  case 1: return (float)(3 + u);                         /* off-centre */
  case 2: return (float)(1e6 + 0.1 * u);                 /* large offset */
  case 3: return i < 4 ? (float)(i % 2 ? 1 : -1) : (float)(5000 + u); /* misleading first four */
  case 4: return 1234.5f;                                /* constant: exact path */
  case 5: return i == len / 2 ? NAN : (float)u;          /* NaN group */
  case 6: return (float)(1e20 * u);                      /* squares overflow float32 */
  case 7: return (float)(1e-25 * u);                     /* squares underflow float32 */
  case 8: return (float)(0.5 + u);                       /* mean within one std of 0 */
  default: return (float)u;
  }
}

static int same(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }
static int same_f(float a, float b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

static void fail(const char *what, nl_strategy s, const nl_groups *G, affine_case a, size_t i, double want,
                 double got) {
  if (failures++ < 20 || getenv("NL_ALL"))
    printf("FAIL %s: %s, %s, %zu groups of %zu, affine %s, index %zu: want %.9g got %.9g\n", what, names[s],
           G->statistic == NL_MEAN_SQUARE ? "mean square" : "moments", G->groups, G->len, affine_names[a], i,
           want, got);
}

/* Group g takes the four-wide statistic (another summing order) under s. */
static int four_wide(nl_strategy s, const nl_groups *G, size_t g) {
#ifdef NL_SIMD
  const int fours = s == NL_FOUR_GROUPS || (s == NL_CHUNKS && G->statistic == NL_MOMENTS);
  return fours && G->len >= 4 && G->len <= NL_SHORT_SPAN && g < G->groups / 4 * 4;
#else
  (void)s, (void)G, (void)g;
  return 0;
#endif
}

static void run_case(nl_statistic stat, affine_case a, size_t groups, size_t len, data_case d) {
  const size_t planes = a == AFF_TWO_PLANES ? 2 : 1, plane = len / planes, channels = 3 * planes;
  if (a == AFF_TWO_PLANES && len % 2) return;
  if (a >= AFF_PLANE && groups % 3) return; /* whole samples of 3 channel groups */
  const size_t n = groups * len, np = a >= AFF_PLANE ? channels : len;
  float *x = malloc(n * sizeof *x + 1), *y0 = malloc(n * sizeof *x + 1), *y = malloc(n * sizeof *x + 1);
  float *w = malloc(np * sizeof *w), *b = malloc(np * sizeof *b);
  double *ref = malloc(n * sizeof *ref + 1), *st0 = malloc(2 * groups * sizeof *st0);
  double *st = malloc(2 * groups * sizeof *st), *rst = malloc(2 * groups * sizeof *rst);
  for (size_t g = 0; g < groups; g++)
    for (size_t i = 0; i < len; i++) x[g * len + i] = datum(d, g, i, len);
  for (size_t i = 0; i < np; i++) {
    w[i] = (float)(1 + 0.5 * rng_gauss(&gen));
    b[i] = (float)rng_gauss(&gen);
  }
  nl_groups G = {.x = x, .y = y0, .groups = groups, .len = len, .spans = 1, .group_stride = len,
                 .statistic = stat, .affine = a == AFF_NONE ? NL_AFFINE_NONE
                                             : a >= AFF_PLANE ? NL_AFFINE_PER_CHANNEL
                                                              : NL_AFFINE_PER_ELEMENT,
                 .channels = channels, .plane = plane, .w = a == AFF_NONE ? NULL : w,
                 .b = a == AFF_WB || a >= AFF_PLANE ? b : NULL, .eps = 1e-5, .stats_out = st0};
  /* the float64 reference of the same call */
  if (stat == NL_MEAN_SQUARE)
    ref_rms_norm(x, ref, groups, len, G.w, G.eps, rst);
  else if (a >= AFF_PLANE)
    ref_group_norm(x, ref, groups / 3, channels, plane, 3, G.w, G.b, G.eps, rst);
  else
    ref_layer_norm(x, ref, groups, len, G.w, G.b, G.eps, rst);
  nl_normalize_groups_by(NL_PLAIN, &G);
  for (nl_strategy s = 0; s < NL_STRATEGIES; s++) {
    if (!nl_strategy_applies(s, &G)) continue;
    ran[s]++;
    for (int in_place = 0; in_place <= 1; in_place++) {
      cases++;
      nl_groups H = G;
      H.stats_out = st;
      H.y = y;
      if (in_place) {
        memcpy(y, x, n * sizeof *x);
        H.x = y;
      }
      nl_normalize_groups_by(s, &H);
      for (size_t g = 0; g < groups; g++) {
        const int own = four_wide(s, &G, g);
        const double mean = st[2 * g], var = st[2 * g + 1], rmean = rst[2 * g], rvar = rst[2 * g + 1];
        if (!own) {
          if (!same(st0[2 * g], mean)) fail("mean vs plain", s, &G, a, g, st0[2 * g], mean);
          if (!same(st0[2 * g + 1], var)) fail("var vs plain", s, &G, a, g, st0[2 * g + 1], var);
        } else if (isfinite(rvar) ? !(fabs(mean - rmean) <= 1e-6 * sqrt(rvar) + 1e-12 * fabs(rmean) &&
                                      fabs(var - rvar) <= FOUR_WIDE_TOL * rvar)
                                  : !isnan(var)) {
          fail("four-wide statistic vs float64", s, &G, a, g, rvar, var);
        }
        for (size_t i = g * len; i < (g + 1) * len; i++) {
          if (!own && !same_f(y0[i], y[i])) {
            fail("y vs plain", s, &G, a, i, y0[i], y[i]);
            break;
          }
          const size_t c = a >= AFF_PLANE ? (i / plane) % channels : i % len;
          const double wi = G.w ? fabs(G.w[c]) : 1, bi = G.b ? G.b[c] : 0;
          const double rel = own ? FOUR_WIDE_TOL : 1e-6;
          const double tol = rel * (wi + fabs(ref[i] - bi) + fabs(bi)) + (G.w ? 0 : 1e-6);
          if (isnan(ref[i]) ? !isnan(y[i]) : !(fabs(y[i] - ref[i]) <= tol)) {
            fail("y vs float64", s, &G, a, i, ref[i], y[i]);
            break;
          }
        }
      }
    }
  }
  free(x), free(y0), free(y), free(w), free(b), free(ref), free(st0), free(st), free(rst);
}

int main(void) {
  for (int stat = NL_MOMENTS; stat <= NL_MEAN_SQUARE; stat++)
    for (affine_case a = 0; a < NAFF; a++) {
      if (stat == NL_MEAN_SQUARE && a != AFF_NONE && a != AFF_W) continue; /* RMSNorm's affines */
      for (size_t k = 0; k < sizeof lens / sizeof *lens; k++)
        for (size_t j = 0; j < sizeof group_counts / sizeof *group_counts; j++)
          for (data_case d = 0; d < NDATA; d++)
            if (lens[k] * group_counts[j] <= 70000) run_case(stat, a, group_counts[j], lens[k], d);
    }
  const char *build =
#ifdef NL_SIMD
      "simd";
#else
      "scalar";
#endif
  for (nl_strategy s = 0; s < NL_STRATEGIES; s++) {
    printf("test_strategies (%s): %s on %d group layouts\n", build, names[s], ran[s]);
#ifndef NL_SIMD
    if (s == NL_FOUR_GROUPS) continue; /* a SIMD-only strategy */
#endif
    if (!ran[s]) failures++;
  }
  printf("test_strategies (%s): %d cases, %d failures\n", build, cases, failures);
  return failures != 0;
}
