#!/usr/bin/env bash
# Native hardening of the C kernels (src/*.c), each built twice: scalar, and
# SIMD through src/simd.h's native vocabulary (-DNL_NATIVE_SIMD: clang vector
# extensions, the same IEEE lane operations as wasm SIMD128):
#   1. test_kernels: every op over many shapes vs the float64 reference
#      (tests/c/reference.c), under AddressSanitizer + UBSan;
#   2. test_strategies: every visiting strategy (src/strategies.inc) against
#      the plain one, bit for bit, and the float64 reference (ASan + UBSan);
#   3. the six libFuzzer harnesses fuzz_<family>.c (ASan + UBSan: the five
#      forward families, and fuzz_backward.c for the backward kernels), on
#      both builds, sharing FUZZ_SECONDS of fuzzing time equally (default 60 s).
# Usage:  tests/c/run.sh                      # ~60 s of fuzzing
#         FUZZ_SECONDS=600 tests/c/run.sh     # a longer run (50 s per family and build)
# Needs clang (14) with libclang-rt (Debian: clang libclang-rt-14-dev).
# Exits non-zero on any failure; a fuzzer's failing input is copied to
# tests/artifacts/ with the command that replays it.
set -euo pipefail
cd "$(dirname "$0")/../.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
families=(layer_norm rms_norm group_norm instance_norm batch_norm backward)
builds=(scalar simd)
per_family=$(( FUZZ_SECONDS / ${#families[@]} / ${#builds[@]} ))
(( per_family >= 1 )) || per_family=1

build=$(mktemp -d "${TMPDIR:-/tmp}/normlab-c.XXXXXX")
trap 'rm -rf "$build"' EXIT
# -ffp-contract=off: no fused multiply-add, as in wasm
cflags=(-g -O1 -std=c11 -Wall -Wextra -Isrc -ffp-contract=off -fno-sanitize-recover=all)
kernels=(src/*.c tests/c/reference.c tests/c/check.c)
simd_flag() { [[ $1 == simd ]] && echo -DNL_NATIVE_SIMD || true; }

echo "== building into $build"
for b in "${builds[@]}"; do
  for t in test_kernels test_strategies; do
    clang "${cflags[@]}" $(simd_flag "$b") -fsanitize=address,undefined "${kernels[@]}" "tests/c/$t.c" \
      -lm -o "$build/${t}_$b"
  done
done
fuzzer_cmd() { # family, build, output: sets cmd to the command that builds that fuzzer
  cmd=(clang "${cflags[@]}" $(simd_flag "$2") -fsanitize=fuzzer,address,undefined "${kernels[@]}"
       tests/c/fuzz_common.c "tests/c/fuzz_$1.c" -lm -o "$3")
}
for b in "${builds[@]}"; do
  for f in "${families[@]}"; do fuzzer_cmd "$f" "$b" "$build/fuzz_${f}_$b" && "${cmd[@]}"; done
done

for b in "${builds[@]}"; do
  echo "== test_kernels ($b)"
  "$build/test_kernels_$b"
  echo "== test_strategies ($b)"
  "$build/test_strategies_$b" | tail -1
done
echo "== test_backward (scalar and SIMD)"
bash tests/c/run-backward.sh

failed=0
for b in "${builds[@]}"; do
for f in "${families[@]}"; do
  # no seed corpus: coverage saturates within ~20k executions (a few seconds)
  corpus="$build/corpus_${f}_$b"
  mkdir -p "$corpus"
  log="$build/fuzz_${f}_$b.log"
  if "$build/fuzz_${f}_$b" "$corpus" -max_total_time="$per_family" -print_final_stats=1 \
      -artifact_prefix="$build/$f-$b-" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$f ($b): ok, $runs executions in ${per_family} s"
  else
    failed=1
    echo "fuzz_$f ($b): FAILED"
    grep -E 'MISMATCH|ERROR|runtime error|SUMMARY' "$log" | head -20 >&2 || tail -40 "$log" >&2
    mkdir -p tests/artifacts
    for a in "$build/$f-$b"-*; do
      [[ -e $a ]] || continue
      cp "$a" tests/artifacts/
      echo "  input saved: tests/artifacts/$(basename "$a"); replay with:" >&2
      fuzzer_cmd "$f" "$b" "/tmp/fuzz_$f"
      echo "  ${cmd[*]} && /tmp/fuzz_$f tests/artifacts/$(basename "$a")" >&2
    done
  fi
done
done
exit "$failed"
