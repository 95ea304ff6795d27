/* See fuzz_common.h. */
#include "fuzz_common.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

fuzz_input fuzz_begin(const uint8_t *data, size_t size) {
  uint64_t h = 0x243f6a8885a308d3ull; /* FNV-1a of the input seeds the filler */
  for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 0x100000001b3ull;
  return (fuzz_input){data, size, {h | 1}};
}

static int exhausted(const fuzz_input *in) { return in->n == 0; }

uint8_t fuzz_byte(fuzz_input *in) {
  if (exhausted(in)) return (uint8_t)(rng_next(&in->fill) >> 56);
  in->n--;
  return *in->p++;
}

static double pick(fuzz_input *in, const double *table, size_t n) {
  return table[fuzz_byte(in) % n];
}

static const double offsets[] = {0,    1,     1e4,    1e6,   -1e6, 1234, 40000, 1e30,
                                 -1e30, 1e-30, 1e20,  3e38, 1e-40, 16777216, 0.1, -7};
static const double spreads[] = {1, 0.1, 1e-4, 1e-7, 0, 1e4, 1e30, 1e-30, 1e-38, 3, 1e-45, 1};

/* double -> float without relying on out-of-range conversion. */
static float to_float(double v) {
  if (v > FLT_MAX) return INFINITY;
  if (v < -FLT_MAX) return -INFINITY;
  return (float)v;
}

static float raw_float(fuzz_input *in) {
  uint32_t bits = 0;
  for (int i = 0; i < 4; i++) bits = bits << 8 | fuzz_byte(in);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static float special(fuzz_input *in, int k, double offset) {
  static const float table[] = {NAN,      INFINITY,  -INFINITY, 0.0f,    -0.0f,   FLT_TRUE_MIN,
                                -FLT_TRUE_MIN, 1e-40f, FLT_MIN,  FLT_MAX, -FLT_MAX, 1e30f,
                                -1e30f,   1e-30f,    1e38f,    3e38f};
  if (k < 16) return table[k];
  if (k < 24) return raw_float(in);
  return nextafterf(to_float(offset), k < 40 ? INFINITY : -INFINITY); /* one ulp off */
}

float *fuzz_tensor(fuzz_input *in, size_t n) {
  double offset = pick(in, offsets, sizeof offsets / sizeof *offsets);
  double spread = pick(in, spreads, sizeof spreads / sizeof *spreads);
  float *x = malloc(n * sizeof *x);
  if (!x && n) abort();
  for (size_t i = 0; i < n; i++) {
    int from_input = !exhausted(in);
    int k = fuzz_byte(in);
    if (from_input && k >= 192) {
      x[i] = special(in, k - 192, offset);
    } else {
      k %= 192;
      x[i] = to_float(offset + spread * ((k - 96) / 32.0 + fuzz_byte(in) / 8192.0));
    }
  }
  return x;
}

static float *params(fuzz_input *in, size_t n, double lo, double step, int present) {
  if (!present) return NULL;
  float *p = malloc(n * sizeof *p);
  if (!p && n) abort();
  for (size_t i = 0; i < n; i++) p[i] = (float)(lo + step * fuzz_byte(in));
  return p;
}

float *fuzz_weight(fuzz_input *in, size_t n, int present) {
  return params(in, n, -4, 1 / 32.0, present); /* [-4, 4), 0 included */
}

float *fuzz_bias(fuzz_input *in, size_t n, int present) { return params(in, n, -16, 0.125, present); }

void fuzz_running(fuzz_input *in, size_t C, int present, float **rm, float **rv) {
  double offset = pick(in, offsets, 8), spread = pick(in, spreads, 6); /* finite rv */
  *rm = params(in, C, 0, 1, present);
  *rv = params(in, C, 0, 1, present);
  for (size_t c = 0; present && c < C; c++) {
    (*rm)[c] = to_float(offset + spread * ((*rm)[c] - 128) / 64);
    (*rv)[c] = to_float(spread * spread * (*rv)[c] / 64);
  }
}

double fuzz_eps(fuzz_input *in) {
  static const double eps[] = {1e-5, 1e-6, 1e-3, 0.1, 1, FLT_EPSILON, 1e-12, 1e-30, 0, 1e-5};
  return pick(in, eps, sizeof eps / sizeof *eps);
}

double fuzz_momentum(fuzz_input *in) {
  static const double m[] = {0.1, 0, 1, 0.5, 0.01, 1.0 / 3, 0.9, 0.1};
  return pick(in, m, sizeof m / sizeof *m);
}

nl_case fuzz_rows_case(fuzz_input *in, nl_op op) {
  size_t rows = fuzz_byte(in);
  rows = rows < 192 ? rows % 5 : rows; /* many rows: the kernels batch short rows */
  size_t n = (fuzz_byte(in) << 8 | fuzz_byte(in)) % 1025;
  if (rows * n > FUZZ_MAX_ELEMENTS) rows = FUZZ_MAX_ELEMENTS / n;
  int flags = fuzz_byte(in);
  nl_case c = {.op = op, .N = rows, .C = 1, .S = n, .eps = fuzz_eps(in), .want_stats = flags & 4};
  c.w = fuzz_weight(in, n, flags & 1);
  c.b = fuzz_bias(in, n, op == OP_LAYER_NORM && (flags & 3) == 3); /* a bias needs a weight */
  c.x = fuzz_tensor(in, rows * n);
  return c;
}

nl_case fuzz_running_case(fuzz_input *in, nl_op op, size_t max_N, size_t max_S) {
  size_t N = fuzz_byte(in) % max_N, C = fuzz_byte(in), S = fuzz_byte(in) % max_S;
  C = 1 + (C < 192 ? C % 4 : C % 96); /* many channels: many short planes */
  if (N * C * S > FUZZ_MAX_ELEMENTS) S = FUZZ_MAX_ELEMENTS / (N * C);
  int flags = fuzz_byte(in), batch_stats = flags & 8;
  /* Eval needs running stats.  An update from one value per group (S == 1
   * for InstanceNorm, N*S == 1 for BatchNorm) is refused by torch and by the
   * JS API: its unbiased variance is 0/0. */
  size_t per_group = op == OP_BATCH_NORM ? N * S : S;
  int running = !batch_stats || ((flags & 16) && per_group != 1);
  nl_case c = {.op = op, .N = N, .C = C, .S = S, .flag = batch_stats, .eps = fuzz_eps(in),
               .momentum = fuzz_momentum(in), .want_stats = flags & 4};
  c.w = fuzz_weight(in, C, flags & 1);
  c.b = fuzz_bias(in, C, flags & 2);
  float *rm, *rv;
  fuzz_running(in, C, running, &rm, &rv);
  c.rm = rm, c.rv = rv;
  c.x = fuzz_tensor(in, N * C * S);
  return c;
}

int fuzz_finish(nl_case *c) {
  char why[600];
  int bad = nl_check_case(c, (nl_tolerance){1e-5, 0}, why, sizeof why);
  free((void *)c->x), free((void *)c->w), free((void *)c->b);
  free((void *)c->rm), free((void *)c->rv);
  if (bad) {
    fprintf(stderr, "MISMATCH %s\n", why);
    abort();
  }
  return 0;
}
