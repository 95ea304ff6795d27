// Runs tests/c/run.sh: the C kernels built natively under ASan + UBSan,
// checked against the float64 reference (tests/c/test_kernels.c), then five
// libFuzzer harnesses for ~60 s in all (FUZZ_SECONDS changes that).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./c/run.sh', import.meta.url));
const hasClang = spawnSync('clang', ['--version']).status === 0;

test('C kernels: sanitizer test and libFuzzer harnesses vs the float64 reference',
  { skip: hasClang ? false : 'clang not found (Debian: apt-get install clang libclang-rt-14-dev)',
    timeout: 30 * 60 * 1000 },
  (t) => {
    const r = spawnSync('bash', [script], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const line of r.stdout.split('\n')) if (/^(test_kernels|fuzz_)/.test(line)) t.diagnostic(line);
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, `tests/c/run.sh failed:\n${output}`);
    assert.match(r.stdout, /test_kernels: \d+ cases, 0 failures/);
    for (const family of ['layer_norm', 'rms_norm', 'group_norm', 'instance_norm', 'batch_norm']) {
      assert.match(r.stdout, new RegExp(`fuzz_${family}: ok, [1-9]\\d* executions`));
    }
  });
