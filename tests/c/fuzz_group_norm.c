/* libFuzzer harness: nl_group_norm against the float64 reference.
 * Bytes: N, G, channels per group, S, flags, eps, then the values
 * (at most FUZZ_MAX_ELEMENTS: S shrinks to fit). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_begin(data, size);
  size_t N = fuzz_byte(&in) % 4, G = fuzz_byte(&in);
  G = 1 + (G < 192 ? G % 4 : G % 64); /* many groups now and then */
  size_t C = G * (1 + fuzz_byte(&in) % 4), S = fuzz_byte(&in) % 65;
  if (N * C * S > FUZZ_MAX_ELEMENTS) S = FUZZ_MAX_ELEMENTS / (N * C);
  int flags = fuzz_byte(&in);
  nl_case c = {.op = OP_GROUP_NORM, .N = N, .C = C, .S = S, .G = G, .eps = fuzz_eps(&in),
               .want_stats = flags & 4};
  c.w = fuzz_weight(&in, C, flags & 1);
  c.b = fuzz_bias(&in, C, flags & 2);
  c.x = fuzz_tensor(&in, N * C * S);
  return fuzz_finish(&c);
}
