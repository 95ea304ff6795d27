#!/usr/bin/env bash
# Build src/*.c into the two committed wasm binaries:
#   normlab.wasm         SIMD128 kernels (-msimd128)
#   normlab-scalar.wasm  the same sources without SIMD (no v128 instruction at all)
# Usage: ./build.sh [OUT_DIR]   (default: wasm/).  The build is reproducible:
# tests/build.test.js rebuilds into a temporary folder and compares bytes.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-wasm}
mkdir -p "$out"

if ! command -v emcc >/dev/null; then
  echo "build.sh: emcc not found. On Debian: apt-get install -y emscripten" >&2
  exit 1
fi
# Emscripten's JS optimizer needs Debian's acorn, which lives here.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

exports='_malloc,_free,_nl_build_simd,_nl_layer_norm,_nl_rms_norm,_nl_group_norm,_nl_instance_norm,_nl_batch_norm,_nl_normalize_groups_with,_nl_layer_norm_backward,_nl_rms_norm_backward,_nl_group_norm_backward,_nl_instance_norm_backward,_nl_batch_norm_backward'
common=(
  -O3 -std=c11 -Wall -Wextra -Werror
  --no-entry -sSTANDALONE_WASM
  -sEXPORTED_FUNCTIONS="$exports"
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sMAXIMUM_MEMORY=2GB
  -sTOTAL_STACK=65536 -sFILESYSTEM=0 -sMALLOC=emmalloc
)
sources=(src/ops.c src/strategies.c src/stats.c src/normalize.c src/running_stats.c src/backward.c)

emcc "${common[@]}" -msimd128 "${sources[@]}" -o "$out/normlab.wasm"
emcc "${common[@]}" -fno-vectorize -fno-slp-vectorize "${sources[@]}" -o "$out/normlab-scalar.wasm"
ls -l "$out"/normlab*.wasm
# The default build also refreshes the same bytes as JS modules (src/wasm/*.js,
# what loadNormlab() imports); tests/build.test.js checks they match wasm/.
if [ "$out" = wasm ]; then node scripts/wasm-modules.mjs; fi
