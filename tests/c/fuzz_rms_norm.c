/* libFuzzer harness: nl_rms_norm against the float64 reference.
 * Bytes: rows, row length, flags, eps, then the values (fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_begin(data, size);
  nl_case c = fuzz_rows_case(&in, OP_RMS_NORM);
  return fuzz_finish(&c);
}
