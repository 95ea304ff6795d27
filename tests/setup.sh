#!/usr/bin/env bash
# System packages that `npm test` needs: Emscripten (build), wabt (wasm-objdump),
# clang with its sanitizer/libFuzzer runtimes (native tests) and Chromium
# (browser tests).  As root on Debian they are installed; elsewhere this names them.
set -euo pipefail

need=()
command -v emcc >/dev/null 2>&1 || need+=(emscripten)
command -v wasm-objdump >/dev/null 2>&1 || need+=(wabt)
command -v clang >/dev/null 2>&1 || need+=(clang)
compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null || need+=(libclang-rt-14-dev)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "setup: missing system packages: ${need[*]}" >&2
  echo "setup: on Debian 12 run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
