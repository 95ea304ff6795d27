// The benchmark's --check mode: every variant (normlab array/in-memory/scalar,
// onnxruntime-web when installed) must agree with the plain-JS float64
// reference on every benchmarked shape.  No timing is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as plain from '../bench/plain.js';

const bench = fileURLToPath(new URL('../bench/bench.js', import.meta.url));

for (const extra of [[], ['--affine']]) {
  test(`bench --quick --check ${extra.join(' ')}: all variants agree with plain JS on every shape`, async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bench, '--quick', '--check', ...extra],
      { timeout: 240_000 });
    assert.match(stdout, /check passed: all variants agree on 10 shapes/, stderr);
    assert.doesNotMatch(stderr, /FAILED/);
  });
}

// The reference itself, against values worked out by hand in float64.
test('plain.layerNorm normalizes each row to mean 0, variance 1, then applies w and b', () => {
  const x = [1, 2, 3, 4, 10, 10, 10, 14];
  const y = new Float64Array(8);
  plain.layerNorm(x, y, 2, 4, [1, 1, 2, 1], [0, 0, 0, 1], 0);
  const s = Math.sqrt(1.25); // row 0: mean 2.5, var 1.25
  const expected = [-1.5 / s, -0.5 / s, 2 * 0.5 / s, 1 + 1.5 / s, -1 / Math.sqrt(3), -1 / Math.sqrt(3), -2 / Math.sqrt(3), 1 + 3 / Math.sqrt(3)];
  expected.forEach((e, i) => assert.ok(Math.abs(y[i] - e) < 1e-12, `y[${i}] = ${y[i]}, expected ${e}`));
});

test('plain.groupNorm shares statistics across the channels of a group', () => {
  // N=1, C=2, S=2, G=1: one group {0, 2, 4, 6}: mean 3, var 5.
  const y = new Float64Array(4);
  plain.groupNorm([0, 2, 4, 6], y, 1, 2, 2, 1, [1, 2], [0, 1], 0);
  const r = 1 / Math.sqrt(5);
  [-3 * r, -1 * r, 1 + 2 * r, 1 + 6 * r].forEach((e, i) => assert.ok(Math.abs(y[i] - e) < 1e-12));
});

test('plain.rmsNorm divides by the root mean square', () => {
  const y = new Float64Array(2);
  plain.rmsNorm([3, 4], y, 1, 2, [1, 2], 0);
  const rms = Math.sqrt(12.5);
  assert.ok(Math.abs(y[0] - 3 / rms) < 1e-12 && Math.abs(y[1] - 8 / rms) < 1e-12);
});

test('plain ops without weight and bias normalize as with weight 1 and bias 0', () => {
  const x = [0.5, -2, 3, 7, 1, 1.25];
  const ones = [1, 1, 1], zeros = [0, 0, 0];
  for (const [name, run] of [
    ['layerNorm', (y, w, b) => plain.layerNorm(x, y, 2, 3, w, b, 1e-5)],
    ['groupNorm', (y, w, b) => plain.groupNorm(x, y, 1, 3, 2, 3, w, b, 1e-5)],
    ['rmsNorm', (y, w) => plain.rmsNorm(x, y, 2, 3, w, 1e-5)],
  ]) {
    const bare = new Float64Array(6), unit = new Float64Array(6);
    run(bare, null, null);
    run(unit, ones, zeros);
    assert.deepEqual([...bare], [...unit], name);
    assert.ok(bare.some((v) => v !== 0), name);
  }
});
