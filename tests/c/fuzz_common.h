/* Shared decoding for the libFuzzer harnesses fuzz_<family>.c: the fuzzer's
 * bytes choose shapes, parameters and values; once they run out, a PRNG
 * seeded from them supplies ordinary (finite) values, so a short input can
 * still describe a large tensor. */
#ifndef NORMLAB_FUZZ_COMMON_H
#define NORMLAB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "rng.h"

#define FUZZ_MAX_ELEMENTS 4096 /* the tolerance derivation in check.c assumes n <= 1e5 */

typedef struct {
  const uint8_t *p;
  size_t n;
  rng fill;
} fuzz_input;

fuzz_input fuzz_begin(const uint8_t *data, size_t size);

/* The next byte; a PRNG byte once the input is used up (finite-only values). */
uint8_t fuzz_byte(fuzz_input *in);

/* A value from an adversarial mix: offset + spread * small, with an offset
 * and spread drawn per tensor (0, 1e4, 1e6, 1e30, 1e-30, 3e38, ...), and
 * now and then NaN, +-Inf, +-0, subnormals, +-FLT_MAX or raw float bits. */
float *fuzz_tensor(fuzz_input *in, size_t n);

/* Optional per-channel/per-element affine parameters and running stats
 * (NULL when the flag is clear).  Running stats are finite, near the data. */
float *fuzz_weight(fuzz_input *in, size_t n, int present);
float *fuzz_bias(fuzz_input *in, size_t n, int present);
void fuzz_running(fuzz_input *in, size_t C, int present, float **rm, float **rv);

double fuzz_eps(fuzz_input *in);
double fuzz_momentum(fuzz_input *in);

/* Whole cases for the families that share a layout:
 * rows of n (LayerNorm, RMSNorm): rows, n, flags (1 weight, 2 bias, 4 stats), eps;
 * (N, C, S) with running stats (InstanceNorm, BatchNorm): N < max_N, C, S <
 * max_S, flags (also 8 use_input_stats / training, 16 running stats when
 * optional), eps, momentum.  The values follow. */
nl_case fuzz_rows_case(fuzz_input *in, nl_op op);
nl_case fuzz_running_case(fuzz_input *in, nl_op op, size_t max_N, size_t max_S);

/* Check the case (tolerance 1e-5, see check.c), free every buffer of it and
 * abort with the message on a mismatch, so libFuzzer saves the input. */
int fuzz_finish(nl_case *c);

#endif
