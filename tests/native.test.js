// Runs tests/c/run.sh: the C kernels built natively under ASan + UBSan, scalar
// and SIMD (src/simd.h's native vocabulary), checked against the float64
// reference (tests/c/test_kernels.c), every visiting strategy against the
// plain one (tests/c/test_strategies.c), the backward kernels against torch
// (tests/c/test_backward.c), then six libFuzzer harnesses per build (one per
// forward family and fuzz_backward) for ~60 s in all (FUZZ_SECONDS changes that).
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
    for (const line of r.stdout.split('\n')) if (/^(test_|fuzz_)/.test(line)) t.diagnostic(line);
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, `tests/c/run.sh failed:\n${output}`);
    for (const build of ['scalar', 'simd']) {
      assert.match(r.stdout, new RegExp(`test_kernels \\(${build}\\): [1-9]\\d* cases, 0 failures`));
      assert.match(r.stdout, new RegExp(`test_strategies \\(${build}\\): [1-9]\\d* cases, 0 failures`, 'i'));
      assert.match(r.stdout, new RegExp(`test_backward \\(${build} build\\): [1-9]\\d* calls, 0 failures`, 'i'));
      for (const family of ['layer_norm', 'rms_norm', 'group_norm', 'instance_norm', 'batch_norm', 'backward']) {
        assert.match(r.stdout, new RegExp(`fuzz_${family} \\(${build}\\): ok, [1-9]\\d* executions`));
      }
    }
  });
