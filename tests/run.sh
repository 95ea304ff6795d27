#!/usr/bin/env bash
# npm test: install what is missing, build src/ afresh into build/wasm (the
# build test compares it with the committed wasm/), then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/setup.sh
# Reinstall when package-lock.json is newer than the last install (a new devDependency).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
./build.sh build/wasm >/dev/null
node --test --test-concurrency=1 --test-timeout=900000 tests/
