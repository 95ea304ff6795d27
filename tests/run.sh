#!/usr/bin/env bash
# npm test: install what is missing, build src/ afresh into build/wasm (the
# build test compares it with the committed wasm/), then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/setup.sh
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/onnxruntime-web ]; then
  npm ci --no-audit --no-fund
fi
./build.sh build/wasm >/dev/null
node --test --test-concurrency=1 tests/
