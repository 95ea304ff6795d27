/* The backward kernels (src/backward.c) against torch.autograd:
 *   1. every call of tests/fixtures/grads.json (its cases and accuracy
 *      records, as a header made by tests/c/grads-to-c.mjs): each gradient
 *      within 2e-6 * max(1, max|ref|) + 2e-6 * |ref| of torch's float64
 *      autograd on the same float32 inputs (issue 15's tolerance); on the
 *      accuracy records the error is printed beside torch float32's;
 *   2. on the same calls and on a sweep of shapes around every vector,
 *      chunk and strategy step: the gradients from the forward call's stats
 *      bit for bit those recomputed (stats NULL), and in place (dx = dy)
 *      bit for bit those out of place, and the wide steps within a float
 *      rounding of the plain version (nl_backward_plain);
 *   3. calls whose gradients cancel (a set of two, dy = y, dw over coherent
 *      values, running statistics far from the data) within the tolerance
 *      of the float64 reference (tests/c/reference.c).
 * Built twice by tests/c/run-backward.sh: scalar and with the native SIMD
 * vocabulary (-DNL_NATIVE_SIMD), under ASan + UBSan.  Exits 1 on a failure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backward.h"
#include "normlab.h"
#include "reference.h"
#include "rng.h"

typedef enum { OP_LAYER_NORM, OP_RMS_NORM, OP_GROUP_NORM, OP_INSTANCE_NORM, OP_BATCH_NORM } op_kind;

/* One call and torch's gradients; LayerNorm and RMSNorm: N rows of S, C = 1. */
typedef struct {
  const char *name;
  op_kind op;
  int accuracy; /* from grads.json's accuracy records (large offsets, constant sets) */
  size_t N, C, S, G;
  double eps;
  int flag; /* use_input_stats / training */
  const float *x, *dy, *w;
  int has_bias;
  const float *rm, *rv;
  const double *gi64, *gw64, *gb64; /* NULL: the call has no such gradient */
  const float *gi32, *gw32, *gb32;  /* torch float32's */
} grad_fixture;

#include "grads_fixtures.h"

#define TOL 2e-6

static int failures = 0, checks = 0;

/* One call's gradients. */
typedef struct {
  float *dx, *dw, *db;
} grads;

static size_t params_of(op_kind op, size_t C, size_t S) {
  return op == OP_LAYER_NORM || op == OP_RMS_NORM ? S : C;
}

/* The op's forward call; stats: its stats_out. */
static void forward(op_kind op, const float *x, size_t N, size_t C, size_t S, size_t G, const float *w,
                    const float *b, const float *rm, const float *rv, int flag, double eps, double *stats) {
  const size_t total = N * C * S, params = params_of(op, C, S);
  float *y = malloc((total ? total : 1) * sizeof(float));
  /* running buffers are updated by a training call: copies, the gradients take the originals */
  float *rmc = malloc((params ? params : 1) * sizeof(float)), *rvc = malloc((params ? params : 1) * sizeof(float));
  if (rm) memcpy(rmc, rm, params * sizeof(float));
  if (rv) memcpy(rvc, rv, params * sizeof(float));
  switch (op) {
  case OP_LAYER_NORM: nl_layer_norm(x, y, N, S, w, b, eps, stats); break;
  case OP_RMS_NORM: nl_rms_norm(x, y, N, S, w, eps, stats); break;
  case OP_GROUP_NORM: nl_group_norm(x, y, N, C, S, G, w, b, eps, stats); break;
  case OP_INSTANCE_NORM:
    nl_instance_norm(x, y, N, C, S, w, b, rm ? rmc : NULL, rv ? rvc : NULL, flag, 0.1, eps, stats);
    break;
  case OP_BATCH_NORM: nl_batch_norm(x, y, N, C, S, w, b, rm ? rmc : NULL, rv ? rvc : NULL, flag, 0.1, eps, stats); break;
  }
  free(y);
  free(rmc);
  free(rvc);
}

/* The op's backward into g (dw, db NULL when not wanted). */
static int backward(op_kind op, const float *dy, const float *x, grads g, size_t N, size_t C, size_t S,
                    size_t G, const float *w, const float *rm, const float *rv, int flag, double eps,
                    const double *stats) {
  switch (op) {
  case OP_LAYER_NORM: return nl_layer_norm_backward(dy, x, g.dx, N, S, w, eps, stats, g.dw, g.db);
  case OP_RMS_NORM: return nl_rms_norm_backward(dy, x, g.dx, N, S, w, eps, stats, g.dw);
  case OP_GROUP_NORM: return nl_group_norm_backward(dy, x, g.dx, N, C, S, G, w, eps, stats, g.dw, g.db);
  case OP_INSTANCE_NORM:
    return nl_instance_norm_backward(dy, x, g.dx, N, C, S, w, rm, rv, flag, eps, stats, g.dw, g.db);
  case OP_BATCH_NORM: return nl_batch_norm_backward(dy, x, g.dx, N, C, S, w, rm, rv, flag, eps, stats, g.dw, g.db);
  }
  return -1;
}

static float *alloc_floats(size_t n) { return calloc(n ? n : 1, sizeof(float)); }

/* NaN-filled, so that a gradient the kernel does not write fails. */
static float *alloc_nans(size_t n) {
  float *v = alloc_floats(n);
  for (size_t i = 0; i < n; i++) v[i] = NAN;
  return v;
}

static grads alloc_grads(size_t total, size_t params, int want_w, int want_b) {
  return (grads){alloc_nans(total), want_w ? alloc_nans(params) : NULL, want_b ? alloc_nans(params) : NULL};
}

static void free_grads(grads g) {
  free(g.dx);
  free(g.dw);
  free(g.db);
}

static int same_bits(const float *a, const float *b, size_t n) { return !n || memcmp(a, b, n * sizeof(float)) == 0; }

static void fail(const char *what, const char *name) {
  if (failures++ < 20) printf("FAIL %s: %s\n", name, what);
}

/* got within a float rounding of the plain version's (both are double
 * throughout; only the order of the sums differs): 2^-23 of max(1, max|p|). */
static int near_plain(const float *got, const float *p, size_t n) {
  double scale = 1.0;
  for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs((double)p[i]));
  for (size_t i = 0; i < n; i++)
    if (!(fabs((double)got[i] - p[i]) <= ldexp(scale, -23))) return 0;
  return 1;
}

/* The three ways of one call (stats recomputed, stats from the forward, in
 * place) must agree bit for bit, and the first be within a float rounding
 * of the plain version's; returns the first (the caller frees it). */
static grads three_ways(const char *name, op_kind op, const float *dy, const float *x, size_t N, size_t C,
                        size_t S, size_t G, const float *w, int has_bias, const float *rm, const float *rv,
                        int flag, double eps, int want_w, int want_b) {
  const size_t total = N * C * S, params = params_of(op, C, S);
  const size_t groups = op == OP_LAYER_NORM || op == OP_RMS_NORM ? N
                        : op == OP_GROUP_NORM                    ? N * G
                        : op == OP_INSTANCE_NORM                 ? N * C
                                                                 : C;
  /* the forward's weight and bias: LayerNorm with a bias only runs on ones, as the JS does */
  float *ones = alloc_floats(params), *zeros = alloc_floats(params);
  for (size_t p = 0; p < params; p++) ones[p] = 1.0f;
  const float *fw = w ? w : has_bias && op == OP_LAYER_NORM ? ones : NULL;
  double *stats = calloc(2 * groups + 1, sizeof(double));
  forward(op, x, N, C, S, G, fw, has_bias ? zeros : NULL, rm, rv, flag, eps, stats);

  grads a = alloc_grads(total, params, want_w, want_b), b = alloc_grads(total, params, want_w, want_b);
  grads c = alloc_grads(total, params, want_w, want_b), p = alloc_grads(total, params, want_w, want_b);
  checks++;
  nl_backward_plain(1); /* the plain version first */
  if (backward(op, dy, x, p, N, C, S, G, w, rm, rv, flag, eps, NULL) != 0) fail("returned an error", name);
  nl_backward_plain(0);
  if (backward(op, dy, x, a, N, C, S, G, w, rm, rv, flag, eps, NULL) != 0) fail("returned an error", name);
  if (!near_plain(a.dx, p.dx, total) || (want_w && !near_plain(a.dw, p.dw, params)) ||
      (want_b && !near_plain(a.db, p.db, params)))
    fail("gradients of the wide steps not within a float rounding of the plain version's", name);
  backward(op, dy, x, b, N, C, S, G, w, rm, rv, flag, eps, stats);
  if (total) memcpy(c.dx, dy, total * sizeof(float));
  backward(op, c.dx, x, c, N, C, S, G, w, rm, rv, flag, eps, stats); /* dx = dy */
  if (!same_bits(a.dx, b.dx, total) || (want_w && !same_bits(a.dw, b.dw, params)) ||
      (want_b && !same_bits(a.db, b.db, params)))
    fail("gradients from the forward's stats differ from those recomputed", name);
  if (!same_bits(b.dx, c.dx, total) || (want_w && !same_bits(b.dw, c.dw, params)) ||
      (want_b && !same_bits(b.db, c.db, params)))
    fail("gradients in place (dx = dy) differ from those out of place", name);
  free_grads(b);
  free_grads(c);
  free_grads(p);
  free(stats);
  free(ones);
  free(zeros);
  return a;
}

/* Largest error as a fraction of the tolerance, and relative to max|ref|. */
typedef struct {
  double of_tol, of_scale;
} error;

static error error_of(const float *got, const double *ref, size_t n) {
  double scale = 0.0;
  for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(ref[i]));
  error e = {0.0, 0.0};
  for (size_t i = 0; i < n; i++) {
    const double d = fabs((double)got[i] - ref[i]);
    e.of_tol = fmax(e.of_tol, d / (TOL * fmax(1.0, scale) + TOL * fabs(ref[i])));
    if (!(d <= TOL * fmax(1.0, scale) + TOL * fabs(ref[i]))) e.of_tol = INFINITY; /* NaN too */
    e.of_scale = fmax(e.of_scale, scale > 0 ? d / scale : d);
  }
  return e;
}

static void check_fixtures(void) {
  const size_t count = sizeof FIXTURES / sizeof FIXTURES[0];
  static const char *const op_names[] = {"layerNorm", "rmsNorm", "groupNorm", "instanceNorm", "batchNorm"};
  double worst = 0.0, worst_of[5][2] = {{0.0}};
  printf("accuracy records: max error relative to each gradient's max|ref| (and as a fraction of the tolerance)\n");
  printf("  %-52s %-10s %-22s %-22s\n", "call", "gradient", "normlab", "torch float32");
  for (size_t k = 0; k < count; k++) {
    const grad_fixture *f = &FIXTURES[k];
    const size_t total = f->N * f->C * f->S, params = params_of(f->op, f->C, f->S);
    grads g = three_ways(f->name, f->op, f->dy, f->x, f->N, f->C, f->S, f->G, f->w, f->has_bias, f->rm, f->rv,
                         f->flag, f->eps, f->gw64 != NULL, f->gb64 != NULL);
    const struct {
      const char *what;
      const float *got, *f32;
      const double *f64;
      size_t n;
    } parts[] = {{"gradInput", g.dx, f->gi32, f->gi64, total},
                 {"gradWeight", g.dw, f->gw32, f->gw64, params},
                 {"gradBias", g.db, f->gb32, f->gb64, params}};
    for (int p = 0; p < 3; p++) {
      if (!parts[p].f64) continue;
      const error e = error_of(parts[p].got, parts[p].f64, parts[p].n);
      worst = fmax(worst, e.of_tol);
      worst_of[f->op][f->accuracy] = fmax(worst_of[f->op][f->accuracy], e.of_tol);
      if (!(e.of_tol <= 1.0)) {
        char why[160];
        snprintf(why, sizeof why, "%s off by %.3g of the tolerance", parts[p].what, e.of_tol);
        fail(why, f->name);
      }
      if (f->accuracy) {
        const error t = error_of(parts[p].f32, parts[p].f64, parts[p].n);
        printf("  %-52s %-10s %.2e (%.3f tol)    %.2e (%.3g tol)\n", f->name, parts[p].what, e.of_scale, e.of_tol,
               t.of_scale, t.of_tol);
      }
    }
    free_grads(g);
  }
  for (int op = 0; op < 5; op++)
    printf("  %-12s worst error: ordinary calls %.3f, accuracy records %.3f of the tolerance\n", op_names[op],
           worst_of[op][0], worst_of[op][1]);
  printf("fixtures: %zu calls, worst error %.3f of the tolerance\n", count, worst);
}

/* ---- shapes around every step: the three ways agree ---- */

static void fill(rng *r, float *v, size_t n, double offset, double spread) {
  for (size_t i = 0; i < n; i++) v[i] = (float)(offset + spread * rng_gauss(r));
}

/* running: pass running buffers (a training InstanceNorm then updates them,
 * which changes the strategy its forward takes). */
static void sweep_one(rng *r, op_kind op, size_t N, size_t C, size_t S, size_t G, int affine, int flag,
                      int running, double offset) {
  const size_t total = N * C * S, params = params_of(op, C, S);
  float *x = alloc_floats(total), *dy = alloc_floats(total), *w = alloc_floats(params);
  float *rm = alloc_floats(params), *rv = alloc_floats(params);
  fill(r, x, total, offset, 1.0);
  fill(r, dy, total, 0.0, 1.0);
  fill(r, w, params, 0.0, 1.0);
  for (size_t p = 0; p < params; p++) {
    rm[p] = (float)(offset + 0.1 * rng_gauss(r));
    rv[p] = (float)(0.5 + rng_uniform(r));
  }
  char name[120];
  snprintf(name, sizeof name, "sweep op %d (%zu, %zu, %zu) G=%zu affine=%d flag=%d running=%d offset=%g", (int)op,
           N, C, S, G, affine, flag, running, offset);
  const int bias = affine == 2 || (affine == 3 && op != OP_RMS_NORM); /* 3: bias only (RMSNorm: none) */
  const float *wp = affine == 1 || affine == 2 ? w : NULL;
  grads g = three_ways(name, op, dy, x, N, C, S, G, wp, bias, running ? rm : NULL, running ? rv : NULL, flag, 1e-5,
                       wp != NULL, bias && op != OP_RMS_NORM); /* RMSNorm has no gradBias */
  for (size_t i = 0; i < total; i++)
    if (!isfinite(g.dx[i])) {
      fail("dx not finite", name);
      break;
    }
  free_grads(g);
  free(x);
  free(dy);
  free(w);
  free(rm);
  free(rv);
}

static void sweep(void) {
  static const size_t lens[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 128, 129, 255, 257, 1000, 4097};
  static const size_t rows[] = {1, 2, 3, 4, 5, 7, 8, 66};
  static const double offsets[] = {0.0, 3.0, 1e4};
  rng r = {0x9e3779b97f4a7c15ull};
  for (size_t a = 0; a < sizeof lens / sizeof lens[0]; a++)
    for (size_t b = 0; b < sizeof rows / sizeof rows[0]; b++) {
      const size_t n = lens[a], m = rows[b];
      if (n * m > 70000) continue;
      const double offset = offsets[(a + b) % 3];
      const int affine = (int)((a + b) % 4); /* 0 none, 1 w, 2 w + b, 3 b only */
      sweep_one(&r, OP_LAYER_NORM, m, 1, n, 0, affine, 0, 0, offset);
      sweep_one(&r, OP_RMS_NORM, m, 1, n, 0, affine, 0, 0, offset);
      sweep_one(&r, OP_GROUP_NORM, m, 4, n, 2, affine, 0, 0, offset);
      sweep_one(&r, OP_INSTANCE_NORM, m, 3, n, 0, affine, 1, 0, offset);
      sweep_one(&r, OP_INSTANCE_NORM, m, 3, n, 0, affine, 1, 1, offset);
      sweep_one(&r, OP_INSTANCE_NORM, m, 3, n, 0, affine, 0, 1, offset);
      sweep_one(&r, OP_BATCH_NORM, m, 3, n, 0, affine, 1, (a + b) % 2, offset);
      sweep_one(&r, OP_BATCH_NORM, 1, 8, n, 0, affine, 1, 0, offset); /* N = 1: contiguous channels */
      sweep_one(&r, OP_BATCH_NORM, m, 3, n, 0, affine, 0, 1, offset);
    }
  /* empty tensors: dw = db = 0 written */
  sweep_one(&r, OP_LAYER_NORM, 0, 1, 5, 0, 2, 0, 0, 0.0);
  sweep_one(&r, OP_BATCH_NORM, 0, 3, 4, 0, 2, 1, 1, 0.0);
  sweep_one(&r, OP_GROUP_NORM, 2, 4, 0, 2, 2, 0, 0, 0.0);
}

/* ---- cancelling calls against the float64 reference ---- */

static void against_reference(const char *name, op_kind op, const float *dy, const float *x, size_t N, size_t C,
                              size_t S, const float *w, const float *rm, const float *rv, int flag, double eps) {
  const size_t total = N * C * S, params = params_of(op, C, S);
  grads g = three_ways(name, op, dy, x, N, C, S, 0, w, 1, rm, rv, flag, eps, w != NULL, op != OP_RMS_NORM);
  double *rdx = calloc(total, sizeof(double)), *rdw = calloc(params, sizeof(double));
  double *rdb = calloc(params, sizeof(double));
  switch (op) {
  case OP_LAYER_NORM: ref_layer_norm_backward(dy, x, rdx, N, S, w, eps, rdw, rdb); break;
  case OP_RMS_NORM: ref_rms_norm_backward(dy, x, rdx, N, S, w, eps, rdw); break;
  case OP_INSTANCE_NORM: ref_instance_norm_backward(dy, x, rdx, N, C, S, w, rm, rv, flag, eps, rdw, rdb); break;
  case OP_BATCH_NORM: ref_batch_norm_backward(dy, x, rdx, N, C, S, w, rm, rv, flag, eps, rdw, rdb); break;
  default: break;
  }
  const error e[] = {error_of(g.dx, rdx, total), w ? error_of(g.dw, rdw, params) : (error){0, 0},
                     op != OP_RMS_NORM ? error_of(g.db, rdb, params) : (error){0, 0}};
  printf("  %-58s dx %.3f, dw %.3f, db %.3f of the tolerance\n", name, e[0].of_tol, e[1].of_tol, e[2].of_tol);
  for (int k = 0; k < 3; k++)
    if (!(e[k].of_tol <= 1.0)) fail("a gradient beyond the tolerance of the float64 reference", name);
  free_grads(g);
  free(rdx);
  free(rdw);
  free(rdb);
}

static void cancelling(void) {
  rng r = {0x5851f42d4c957f2dull};
  enum { N = 4, C = 3, S = 64, T = N * C * S };
  static float x[T], dy[T], w[T], rm[C], rv[C], y[T];
  printf("cancelling calls against the float64 reference:\n");
  /* a LayerNorm row of two: dx is of the order of eps (the fuzzer's finding) */
  const float x2[] = {0.05315029f, 0.12112266f}, dy2[] = {-3.8403378f, 2.6776886f}, w2[] = {1.3792635f, 1.3957929f};
  against_reference("layerNorm row of 2, eps 1e-6", OP_LAYER_NORM, dy2, x2, 1, 1, 2, w2, NULL, NULL, 0, 1e-6);
  /* dy = y (the loss sum(y^2) / 2) on tight rows: dx = rstd * xhat * eps / (var + eps) */
  fill(&r, x, T, 3.0, 0.01);
  fill(&r, w, S, 1.0, 0.1);
  nl_layer_norm(x, y, N * C, S, NULL, NULL, 1e-6, NULL);
  against_reference("layerNorm dy = y, 3 + N(0, 0.01), eps 1e-6", OP_LAYER_NORM, y, x, N * C, 1, S, w, NULL, NULL, 0,
                    1e-6);
  fill(&r, x, T, 0.0, 0.01);
  nl_rms_norm(x, y, N * C, S, NULL, 1e-6, NULL);
  against_reference("rmsNorm dy = y, N(0, 0.01), eps 1e-6", OP_RMS_NORM, y, x, N * C, 1, S, w, NULL, NULL, 0, 1e-6);
  /* dw over coherent values at 1e4: sum dy * xhat cancels */
  fill(&r, x, T, 1e4, 1.0);
  fill(&r, dy, T, 0.0, 1e-3);
  for (size_t i = 0; i < T; i++) dy[i] += 1.0f;
  fill(&r, w, C, 1.0, 0.1);
  against_reference("batchNorm train, coherent dy, 1e4 + N(0, 1)", OP_BATCH_NORM, dy, x, N, C, S, w, NULL, NULL, 1,
                    1e-5);
  /* running statistics far from the data: xhat is not centered */
  for (size_t c = 0; c < C; c++) {
    rm[c] = (float)(1e4 + 300.0 * (double)c - 200.0);
    rv[c] = (float)(0.01 + c);
  }
  against_reference("batchNorm eval, running stats far, coherent dy", OP_BATCH_NORM, dy, x, N, C, S, w, rm, rv, 0,
                    1e-5);
  against_reference("instanceNorm on running stats far, coherent dy", OP_INSTANCE_NORM, dy, x, N, C, S, w, rm, rv, 0,
                    1e-5);
}

int main(void) {
  check_fixtures();
  sweep();
  cancelling();
  printf("test_backward (%s build): %d calls, %d failures\n", nl_build_simd() ? "SIMD" : "scalar", checks, failures);
  return failures ? 1 : 0;
}
