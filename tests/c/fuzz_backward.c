/* libFuzzer harness: the backward kernels (src/backward.h) against the
 * float64 backward reference (tests/c/reference.c), per gradient tensor
 * within issue 15's tolerance 2e-6 * max(s, max|ref|) + 2e-6 * |ref|, where
 * gradOutput is s * (values of order 1), s a power of two (the gradients of
 * s * g are exactly s times those of g, so this is the tolerance,
 * whose floor 1 stands for unit upstream gradients, scaled by s) -- and
 * nothing beside it: where a result cancels (a set of two, dy following
 * xhat, a dw over coherent values or on running statistics far from the
 * data) the kernels' double terms still keep it.
 * Bytes: op, shape, flags, eps, offset, spread, s, then the values of x and
 * dy (two bytes each: offset + spread * int16 / 8192), weight, running stats;
 * once the bytes run out a PRNG seeded from them continues (fuzz_common.h).
 * Skipped regions: NaN, Inf, subnormals, offsets beyond 1e6, and eps below
 * 1e-6, where rstd and so dL/dx grow without bound on tight sets.  Running
 * statistics: the mean within `far` spreads of the data's offset, the var
 * 0.25..4.2 far spread^2 (far 1/64 to 4096; spread 1/8 on constant data).
 * Flag 8 runs in place (dx = dy); flag 16 makes dy follow x (dy = y, as
 * from the loss sum(y^2) / 2: dx cancels to rstd * xhat * eps / (var + eps)),
 * flag 32 adds a little noise to it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backward.h"
#include "fuzz_common.h"
#include "reference.h"

enum { LAYER, RMS, GROUP, INSTANCE, BATCH, OPS };
static const char *const names[] = {"layer_norm", "rms_norm", "group_norm", "instance_norm", "batch_norm"};

static const double offsets[] = {0, 1, -3, 1234, 1e4, -1e4, 40000, 1e6, -1e6};
static const double spreads[] = {1, 0.1, 1e-3, 10, 1e3, 0};
static const double epss[] = {1e-5, 1e-6, 1e-3, 0.1, 1};
static const double scales[] = {1, 1.0 / 1024, 1024};
static const double fars[] = {1, 1.0 / 64, 64, 4096}; /* running statistics' distance from the data */
#define PICK(in, t) t[fuzz_byte(in) % (sizeof t / sizeof *t)]

static double small(fuzz_input *in) { /* in [-4, 4) */
  return (int16_t)(fuzz_byte(in) << 8 | fuzz_byte(in)) / 8192.0;
}

static float *values(fuzz_input *in, size_t n, double offset, double spread) {
  float *v = malloc((n ? n : 1) * sizeof *v);
  if (!v) abort();
  for (size_t i = 0; i < n; i++) v[i] = (float)(offset + spread * small(in));
  return v;
}

static double *doubles(size_t n) {
  double *v = calloc(n ? n : 1, sizeof *v);
  if (!v) abort();
  return v;
}

/* Each of got[0..n) within the tolerance of ref; abort (libFuzzer saves the
 * input) if not. */
static void check(const char *what, const float *got, const double *ref, size_t n, double s, const char *label) {
  double scale = s;
  for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(ref[i]));
  for (size_t i = 0; i < n; i++) {
    double tol = 2e-6 * scale + 2e-6 * fabs(ref[i]);
    if (!(fabs((double)got[i] - ref[i]) <= tol)) {
      fprintf(stderr, "MISMATCH %s: %s[%zu]: expected %.17g, got %.9g (tol %.3g)\n", label, what, i, ref[i],
              (double)got[i], tol);
      abort();
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_begin(data, size);
  int op = fuzz_byte(&in) % OPS;
  size_t N = 1 + fuzz_byte(&in) % 3, G = 1, C, S;
  uint8_t a = fuzz_byte(&in), b = fuzz_byte(&in);
  if (op == LAYER || op == RMS) { /* N rows of S; the parameters have S elements */
    S = 1 + (a < 200 ? a % 72 : (size_t)a * 16);
    N = S <= 72 && b < 64 ? 1 + b : N; /* many short rows now and then */
    C = 1;
  } else if (op == GROUP) {
    G = 1 + (a < 192 ? a % 4 : a % 64);
    C = G * (1 + b % 4);
    S = fuzz_byte(&in) % 65;
  } else {
    C = 1 + (a < 200 ? a % 4 : a % 64);
    S = (op == BATCH ? 0 : 1) + b % 72;
  }
  if (N * C * S > FUZZ_MAX_ELEMENTS) S = FUZZ_MAX_ELEMENTS / (N * C);
  const size_t total = N * C * S, P = op == LAYER || op == RMS ? S : C;
  int flags = fuzz_byte(&in);
  int weighted = flags & 1, biased = (flags & 2) && op != RMS, input_stats = !(op >= INSTANCE && (flags & 4));
  int in_place = flags & 8;
  double eps = PICK(&in, epss), offset = PICK(&in, offsets), spread = PICK(&in, spreads);
  double s = PICK(&in, scales);

  float *x = values(&in, total, offset, spread), *dy = values(&in, total, 0, s);
  const int follows = (flags & 16) && spread > 0; /* dy = s * (x - offset) / spread (+ a little noise) */
  for (size_t i = 0; follows && i < total; i++)
    dy[i] = (float)(s * ((double)x[i] - offset) / spread + (flags & 32 ? dy[i] / 1024 : 0.0));
  float *w = weighted ? values(&in, P, 1, 0.125) : NULL;
  float *rm = NULL, *rv = NULL;
  if (!input_stats) { /* running statistics near the data, or far from it (see the top) */
    const double far = PICK(&in, fars);
    rm = values(&in, C, offset, (spread ? spread : 1) * far / 4);
    rv = malloc(C * sizeof *rv);
    if (!rv) abort();
    for (size_t c = 0; c < C; c++)
      rv[c] = (float)((spread ? spread * spread : 1.0 / 64) * (0.25 + fuzz_byte(&in) / 64.0) * far);
  }
  float *dx = in_place ? dy : malloc((total ? total : 1) * sizeof *dx);
  float *dw = w ? malloc(P * sizeof *dw) : NULL, *db = biased ? malloc((P ? P : 1) * sizeof *db) : NULL;
  double *rdx = doubles(total), *rdw = w ? doubles(P) : NULL, *rdb = biased ? doubles(P) : NULL;
  if (!dx || (w && !dw) || (biased && !db)) abort();

  /* the reference first: in place, the kernel overwrites dy */
  int rc = 0;
  switch (op) {
  case LAYER:
    ref_layer_norm_backward(dy, x, rdx, N, S, w, eps, rdw, rdb);
    rc = nl_layer_norm_backward(dy, x, dx, N, S, w, eps, NULL, dw, db);
    break;
  case RMS:
    ref_rms_norm_backward(dy, x, rdx, N, S, w, eps, rdw);
    rc = nl_rms_norm_backward(dy, x, dx, N, S, w, eps, NULL, dw);
    break;
  case GROUP:
    ref_group_norm_backward(dy, x, rdx, N, C, S, G, w, eps, rdw, rdb);
    rc = nl_group_norm_backward(dy, x, dx, N, C, S, G, w, eps, NULL, dw, db);
    break;
  case INSTANCE:
    ref_instance_norm_backward(dy, x, rdx, N, C, S, w, rm, rv, input_stats, eps, rdw, rdb);
    rc = nl_instance_norm_backward(dy, x, dx, N, C, S, w, rm, rv, input_stats, eps, NULL, dw, db);
    break;
  case BATCH:
    ref_batch_norm_backward(dy, x, rdx, N, C, S, w, rm, rv, input_stats, eps, rdw, rdb);
    rc = nl_batch_norm_backward(dy, x, dx, N, C, S, w, rm, rv, input_stats, eps, NULL, dw, db);
    break;
  }
  char label[200];
  snprintf(label, sizeof label,
           "%s N=%zu C=%zu S=%zu G=%zu eps=%g offset=%g spread=%g s=%g weight=%d bias=%d input_stats=%d in_place=%d "
           "dy_follows_x=%d",
           names[op], N, C, S, G, eps, offset, spread, s, weighted, biased, input_stats, in_place, follows);
  if (rc != 0) {
    fprintf(stderr, "MISMATCH %s: returned %d\n", label, rc);
    abort();
  }
  check("dx", dx, rdx, total, s, label);
  if (dw) check("dw", dw, rdw, P, s, label);
  if (db) check("db", db, rdb, P, s, label);

  free(x);
  if (!in_place) free(dx);
  free(dy);
  free(w);
  free(rm);
  free(rv);
  free(dw);
  free(db);
  free(rdx);
  free(rdw);
  free(rdb);
  return 0;
}
