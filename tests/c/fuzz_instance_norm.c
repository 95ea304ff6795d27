/* libFuzzer harness: nl_instance_norm (instance statistics with or without
 * the running-stat update, and eval with running stats) against the float64
 * reference.  Bytes: N, C, S, flags, eps, momentum, then the values. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_begin(data, size);
  nl_case c = fuzz_running_case(&in, OP_INSTANCE_NORM, 4, 129);
  return fuzz_finish(&c);
}
