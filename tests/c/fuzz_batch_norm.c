/* libFuzzer harness: nl_batch_norm (training with or without the running-stat
 * update, eval with running stats) against the float64 reference.
 * Bytes: N, C, S, flags, eps, momentum, then the values. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_begin(data, size);
  nl_case c = fuzz_running_case(&in, OP_BATCH_NORM, 5, 65);
  return fuzz_finish(&c);
}
