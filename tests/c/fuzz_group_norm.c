/* libFuzzer harness: nl_group_norm against the float64 reference.
 * Bytes: N, G, channels per group, S, flags, eps, then the values. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_begin(data, size);
  size_t N = fuzz_byte(&in) % 4, G = 1 + fuzz_byte(&in) % 4;
  size_t C = G * (1 + fuzz_byte(&in) % 4), S = fuzz_byte(&in) % 65;
  int flags = fuzz_byte(&in);
  nl_case c = {.op = OP_GROUP_NORM, .N = N, .C = C, .S = S, .G = G, .eps = fuzz_eps(&in),
               .want_stats = flags & 4};
  c.w = fuzz_weight(&in, C, flags & 1);
  c.b = fuzz_bias(&in, C, flags & 2);
  c.x = fuzz_tensor(&in, N * C * S);
  return fuzz_finish(&c);
}
