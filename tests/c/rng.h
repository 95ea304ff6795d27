/* A tiny deterministic PRNG for the native tests (xorshift64, Box-Muller). */
#ifndef NORMLAB_RNG_H
#define NORMLAB_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct {
  uint64_t s; /* never 0 */
} rng;

static inline uint64_t rng_next(rng *r) {
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return r->s;
}

/* Uniform in (0, 1). */
static inline double rng_uniform(rng *r) { return ((rng_next(r) >> 11) + 0.5) / 9007199254740992.0; }

static inline double rng_gauss(rng *r) {
  return sqrt(-2 * log(rng_uniform(r))) * cos(6.283185307179586 * rng_uniform(r));
}

#endif
