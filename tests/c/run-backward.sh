#!/usr/bin/env bash
# The backward kernels (src/backward.c) natively under AddressSanitizer +
# UBSan, against torch.autograd's gradients (tests/fixtures/grads.json, made
# into a C header by tests/c/grads-to-c.mjs): built twice, scalar and with
# the native SIMD vocabulary (-DNL_NATIVE_SIMD, src/simd.h), so both builds'
# statistics are the ones the gradients are checked on.
# Usage: tests/c/run-backward.sh   (needs clang and node; exits non-zero on a failure)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(mktemp -d "${TMPDIR:-/tmp}/normlab-backward.XXXXXX")
trap 'rm -rf "$build"' EXIT
node tests/c/grads-to-c.mjs "$build/grads_fixtures.h"
cflags=(-g -O1 -std=c11 -Wall -Wextra -Werror -Isrc -I"$build" -fno-sanitize-recover=all
        -fsanitize=address,undefined)
clang "${cflags[@]}" src/*.c tests/c/reference.c tests/c/test_backward.c -lm -o "$build/test_backward"
clang "${cflags[@]}" -DNL_NATIVE_SIMD src/*.c tests/c/reference.c tests/c/test_backward.c -lm -o "$build/test_backward_simd"
"$build/test_backward"
"$build/test_backward_simd"
