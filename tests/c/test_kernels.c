/* Every normlab op over many shapes (odd sizes straddling the SIMD width and
 * unrolling), affine off / unit / random, on ordinary data and on large
 * offsets, and with a NaN or Inf in one group (that whole group must be NaN)
 * or everywhere, against the float64 reference (reference.c).  Buffers are
 * allocated to their exact size, so under ASan any out-of-bounds access by a
 * kernel aborts the run.
 *
 * Tolerances: with no affine or unit weight / zero bias every output must be
 * within 1e-6 absolute of the reference, even at offsets of 1e6; with random
 * weight and bias the general rule of check.h applies with tol = 1e-6:
 *   |y - ref| <= 1e-6 * (|w| + |z*w| + |b|).
 * Exits 1 with a message naming the failing case. */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "rng.h"

static const size_t sizes[] = {1, 2, 3, 5, 7, 13, 33, 49, 65, 127, 1000};
#define NSIZES (sizeof sizes / sizeof *sizes)

/* The data sets: value i of a tensor, and the mean / variance a running
 * statistic would have for it (used for the eval-mode running stats). */
typedef enum {
  DATA_NORMAL, DATA_1E4, DATA_1E6, DATA_CONST, DATA_STEPS, /* finite */
  DATA_ONE_NAN, DATA_ONE_INF, DATA_ALL_INF, /* the group holding x[total/2], or all, is NaN */
  NDATA
} data_kind;
static const char *data_names[] = {"N(0,1)",          "1e4+N(0,1)",   "1e6+N(0,0.1)",
                                   "const 1234",      "40000..40003", "N(0,1), one NaN",
                                   "N(0,1), one -Inf", "all +Inf"};
static const double data_mean[] = {0, 1e4, 1e6, 1234, 40001.5, 0, 0, 0};
static const double data_var[] = {1, 1, 0.01, 1, 1.25, 1, 1, 1};

static float datum(data_kind k, size_t i, size_t total, rng *r) {
  switch (k) {
  case DATA_1E4: return (float)(1e4 + rng_gauss(r));
  case DATA_1E6: return (float)(1e6 + 0.1 * rng_gauss(r));
  case DATA_CONST: return 1234.0f;
  case DATA_STEPS: return (float)(40000 + i % 4);
  case DATA_ONE_NAN: return i == total / 2 ? NAN : (float)rng_gauss(r);
  case DATA_ONE_INF: return i == total / 2 ? -INFINITY : (float)rng_gauss(r);
  case DATA_ALL_INF: return INFINITY;
  default: return (float)rng_gauss(r);
  }
}

typedef enum { AFFINE_NONE, AFFINE_UNIT, AFFINE_RANDOM, NAFFINE } affine_kind;

static rng gen = {0x9e3779b97f4a7c15ull};
static int cases, failures;

static float *floats(size_t n) {
  float *p = malloc(n * sizeof *p);
  if (!p && n) abort();
  return p;
}

static float *param(affine_kind a, size_t n, double unit, double spread) {
  if (a == AFFINE_NONE) return NULL;
  float *p = floats(n);
  for (size_t i = 0; i < n; i++) p[i] = (float)(a == AFFINE_UNIT ? unit : unit + spread * rng_gauss(&gen));
  return p;
}

static float *filled(size_t n, double value) {
  float *p = floats(n);
  for (size_t i = 0; i < n; i++) p[i] = (float)value;
  return p;
}

/* Run one case (x is filled here), report a failure, free the buffers. */
static void run(nl_case c, data_kind d, affine_kind a, int running) {
  size_t total = c.N * c.C * c.S, np = c.op <= OP_RMS_NORM ? c.S : c.C;
  float *x = floats(total), *w = param(a, np, 1, 0.5), *b = NULL, *rm = NULL, *rv = NULL;
  if (c.op != OP_RMS_NORM) b = param(a, np, 0, 1);
  for (size_t i = 0; i < total; i++) x[i] = datum(d, i, total, &gen);
  if (running) { /* near the data's own statistics, so eval outputs are O(1) */
    rm = filled(c.C, data_mean[d]);
    rv = filled(c.C, data_var[d]);
  }
  c.x = x, c.w = w, c.b = b, c.rm = rm, c.rv = rv;
  c.want_stats = cases % 2;
  nl_tolerance t = {1e-6, a == AFFINE_RANDOM ? 0 : 1e-6};
  char why[512];
  cases++;
  if (nl_check_case(&c, t, why, sizeof why)) {
    if (failures++ < 20) printf("FAIL [%s, affine %d] %s\n", data_names[d], (int)a, why);
  }
  free(x), free(w), free(b), free(rm), free(rv);
}

static void rows_ops(data_kind d, affine_kind a) {
  static const size_t row_counts[] = {1, 3, 130}; /* 130: past the kernels' batches of rows */
  for (size_t r = 0; r < 3; r++)
    for (size_t k = 0, rows = row_counts[r]; k < NSIZES; k++) {
      run((nl_case){.op = OP_LAYER_NORM, .N = rows, .C = 1, .S = sizes[k], .eps = 1e-5}, d, a, 0);
      run((nl_case){.op = OP_RMS_NORM, .N = rows, .C = 1, .S = sizes[k], .eps = 1e-6}, d, a, 0);
    }
}

static void channel_ops(data_kind d, affine_kind a) {
  /* (C, G); 70 groups: past the kernels' batches of groups */
  static const size_t cg[][2] = {{1, 1}, {3, 1}, {4, 2}, {6, 3}, {5, 5}, {70, 70}, {70, 35}};
  for (size_t N = 1; N <= 2; N++)
    for (size_t k = 0; k < NSIZES; k++) {
      size_t S = sizes[k];
      for (size_t j = 0; j < sizeof cg / sizeof *cg; j++)
        run((nl_case){.op = OP_GROUP_NORM, .N = N, .C = cg[j][0], .S = S, .G = cg[j][1],
                      .eps = 1e-5},
            d, a, 0);
      for (size_t C = 3; C <= 30; C += 27) /* 30 channels: many short planes */
        for (int flag = 0; flag <= 1; flag++) {
          /* torch rejects batch statistics of one element, so does the JS API */
          nl_case in = {.op = OP_INSTANCE_NORM, .N = N, .C = C, .S = S, .flag = flag,
                        .momentum = 0.1, .eps = 1e-5};
          run(in, d, a, !flag || S > 1);
          if (flag) run(in, d, a, 0);
          nl_case bn = {.op = OP_BATCH_NORM, .N = N, .C = C, .S = S, .flag = flag,
                        .momentum = 0.3, .eps = 1e-5};
          run(bn, d, a, !flag || N * S > 1);
          if (flag) run(bn, d, a, 0);
        }
    }
}

int main(void) {
  for (data_kind d = 0; d < NDATA; d++)
    for (affine_kind a = 0; a < NAFFINE; a++) {
      rows_ops(d, a);
      channel_ops(d, a);
    }
  printf("test_kernels (%s): %d cases, %d failures\n",
#ifdef NL_NATIVE_SIMD
         "simd",
#else
         "scalar",
#endif
         cases, failures);
  return failures != 0;
}
