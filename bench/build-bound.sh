#!/bin/sh
# Rebuilds bench/bound.wasm (committed) from bench/bound.c.
set -e
cd "$(dirname "$0")"
NODE_PATH=${NODE_PATH:-/usr/share/nodejs} emcc bound.c -o bound.wasm -O3 -msimd128 --no-entry \
  -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH -sEXPORTED_FUNCTIONS=_read2_write1,_read1_write1,_backward_read2_write1,_malloc,_free
