#!/usr/bin/env bash
# Native hardening of the C kernels (src/*.c; a native build runs the scalar
# path, the SIMD path is covered by tests/fuzz.test.js through wasm):
#   1. test_kernels: every op over many shapes vs the float64 reference
#      (tests/c/reference.c), under AddressSanitizer + UBSan;
#   2. the five libFuzzer harnesses fuzz_<family>.c (ASan + UBSan), sharing
#      FUZZ_SECONDS of fuzzing time equally (default 60 s in all).
# Usage:  tests/c/run.sh                      # ~60 s of fuzzing
#         FUZZ_SECONDS=600 tests/c/run.sh     # a longer run (120 s per family)
# Needs clang (14) with libclang-rt (Debian: clang libclang-rt-14-dev).
# Exits non-zero on any failure; a fuzzer's failing input is copied to
# tests/artifacts/ with the command that replays it.
set -euo pipefail
cd "$(dirname "$0")/../.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
families=(layer_norm rms_norm group_norm instance_norm batch_norm)
per_family=$(( FUZZ_SECONDS / ${#families[@]} ))
(( per_family >= 1 )) || per_family=1

build=$(mktemp -d "${TMPDIR:-/tmp}/normlab-c.XXXXXX")
trap 'rm -rf "$build"' EXIT
cflags=(-g -O1 -std=c11 -Wall -Wextra -Isrc -fno-sanitize-recover=all)
kernels=(src/*.c tests/c/reference.c tests/c/check.c)

echo "== building into $build"
clang "${cflags[@]}" -fsanitize=address,undefined "${kernels[@]}" tests/c/test_kernels.c \
  -lm -o "$build/test_kernels"
fuzzer_cmd() { # family, output: sets cmd to the command that builds that fuzzer
  cmd=(clang "${cflags[@]}" -fsanitize=fuzzer,address,undefined "${kernels[@]}"
       tests/c/fuzz_common.c "tests/c/fuzz_$1.c" -lm -o "$2")
}
for f in "${families[@]}"; do fuzzer_cmd "$f" "$build/fuzz_$f" && "${cmd[@]}"; done

echo "== test_kernels"
"$build/test_kernels"

failed=0
for f in "${families[@]}"; do
  # no seed corpus: coverage saturates within ~20k executions (a few seconds)
  corpus="$build/corpus_$f"
  mkdir -p "$corpus"
  log="$build/fuzz_$f.log"
  if "$build/fuzz_$f" "$corpus" -max_total_time="$per_family" -print_final_stats=1 \
      -artifact_prefix="$build/$f-" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$f: ok, $runs executions in ${per_family} s"
  else
    failed=1
    echo "fuzz_$f: FAILED"
    grep -E 'MISMATCH|ERROR|runtime error|SUMMARY' "$log" | head -20 >&2 || tail -40 "$log" >&2
    mkdir -p tests/artifacts
    for a in "$build/$f"-*; do
      [[ -e $a ]] || continue
      cp "$a" tests/artifacts/
      echo "  input saved: tests/artifacts/$(basename "$a"); replay with:" >&2
      fuzzer_cmd "$f" "/tmp/fuzz_$f"
      echo "  ${cmd[*]} && /tmp/fuzz_$f tests/artifacts/$(basename "$a")" >&2
    done
  fi
done
exit "$failed"
