// The float64 backward reference (web/lab/reference64.js) against central
// differences of its own forward reference: for L = sum(dy * y), every
// dL/dx[i], dL/dw[j] and dL/db[j] the backward gives must match
// (L(v + h) - L(v - h)) / 2h. Independent of torch; tests/grad-fixtures.test.js
// pins the same reference to torch.autograd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ref from '../web/lab/reference64.js';
import { mulberry32, normals } from '../web/lab/rng.js';
import { assertClose } from './helpers.js';

// Each op's forward and backward take the same trailing arguments:
// forward(x, shape, ...rest), backward(dy, x, shape, ...rest).
const OPS = {
  layerNorm: [ref.layerNorm64, ref.layerNormBackward64],
  rmsNorm: [ref.rmsNorm64, ref.rmsNormBackward64],
  groupNorm: [ref.groupNorm64, ref.groupNormBackward64],
  instanceNorm: [ref.instanceNorm64, ref.instanceNormBackward64],
  batchNorm: [ref.batchNorm64, ref.batchNormBackward64],
};

// [op, shape, rest(params)], params = { weight, bias, runningMean, runningVar }
// as Float64Arrays the test perturbs in place (or null)
const CASES = [
  ['layerNorm', [3, 5], (p) => [5, {}]],
  ['layerNorm', [3, 5], (p) => [5, { weight: p.w(5), bias: p.b(5) }]],
  ['layerNorm', [3, 7], (p) => [[7], { weight: p.w(7), eps: 0.1 }]],
  ['layerNorm', [2, 4], (p) => [4, { bias: p.b(4) }]],
  ['layerNorm', [2, 2, 3], (p) => [[2, 3], { weight: p.w(6), bias: p.b(6) }]],
  ['layerNorm', [4], (p) => [4, { weight: p.w(4), bias: p.b(4) }]], // unbatched
  ['layerNorm', [3, 1], (p) => [1, { weight: p.w(1), bias: p.b(1) }]], // xhat = 0
  ['rmsNorm', [3, 5], (p) => [5, {}]],
  ['rmsNorm', [3, 5], (p) => [5, { weight: p.w(5) }]],
  ['rmsNorm', [2, 2, 3], (p) => [[2, 3], { weight: p.w(6), eps: 1e-3 }]],
  ['rmsNorm', [5], (p) => [5, { weight: p.w(5) }]], // unbatched
  ['groupNorm', [2, 6, 3], (p) => [3, { weight: p.w(6), bias: p.b(6) }]],
  ['groupNorm', [2, 4, 3], (p) => [1, { eps: 0.1 }]],
  ['groupNorm', [2, 4, 3], (p) => [4, { weight: p.w(4) }]],
  ['groupNorm', [3, 6], (p) => [2, { bias: p.b(6) }]], // (N, C): no spatial axes
  ['groupNorm', [2, 4, 2, 2], (p) => [2, { weight: p.w(4), bias: p.b(4) }]],
  ['instanceNorm', [2, 3, 4], (p) => [{}]],
  ['instanceNorm', [2, 3, 5], (p) => [{ weight: p.w(3), bias: p.b(3), eps: 1e-3 }]],
  ['instanceNorm', [2, 2, 3, 2], (p) => [{ weight: p.w(2), runningMean: p.rm(2), runningVar: p.rv(2), momentum: 0.3 }]],
  ['instanceNorm', [2, 3, 4], (p) => [{
    weight: p.w(3), bias: p.b(3), useInputStats: false, runningMean: p.rm(3), runningVar: p.rv(3),
  }]],
  ['instanceNorm', [2, 3, 1], (p) => [{ useInputStats: false, runningMean: p.rm(3), runningVar: p.rv(3) }]],
  ['batchNorm', [4, 3], (p) => [p.rm(3), p.rv(3), { weight: p.w(3), bias: p.b(3), training: true }]],
  ['batchNorm', [2, 3, 4], (p) => [p.rm(3), p.rv(3), { training: true, eps: 0.1 }]],
  ['batchNorm', [3, 2, 2, 2], (p) => [null, null, { weight: p.w(2), training: true }]],
  ['batchNorm', [2, 3, 4], (p) => [p.rm(3), p.rv(3), { weight: p.w(3), bias: p.b(3) }]], // eval
  ['batchNorm', [5, 2], (p) => [p.rm(2), p.rv(2), { bias: p.b(2), training: false }]],
];

const H = 1e-5;

/** dL/dv[i] for every i, by central differences, v perturbed in place. */
function numeric(v, loss) {
  return Float64Array.from(v, (vi, i) => {
    v[i] = vi + H;
    const up = loss();
    v[i] = vi - H;
    const down = loss();
    v[i] = vi;
    return (up - down) / (2 * H);
  });
}

for (const [index, [op, shape, rest]] of CASES.entries()) {
  const [forward, backward] = OPS[op];
  const seed = 1000 + index;
  const size = shape.reduce((a, b) => a * b, 1);
  const args = rest({
    w: (n) => Float64Array.from(normals(n, seed + 1), (v) => 1 + 0.5 * v),
    b: (n) => Float64Array.from(normals(n, seed + 2)),
    rm: (n) => Float64Array.from(normals(n, seed + 3), (v) => 0.5 * v),
    rv: (n) => Float64Array.from({ length: n }, mulberry32(seed + 4)).map((u) => 0.3 + 2 * u),
  });
  const o = args.at(-1);
  const brief = (k, v) => (ArrayBuffer.isView(v) ? `[${v.length}]` : v); // an array by its length
  const name = `${op} ${JSON.stringify(shape)} ${JSON.stringify(args, brief)}`;

  test(`backward reference = central differences: ${name}`, () => {
    const x = Float64Array.from(normals(size, seed));
    const dy = Float64Array.from(normals(size, seed + 5)); // non-uniform: an all-ones dy gives dx = 0
    const loss = () => forward(x, shape, ...args).data.reduce((s, y, i) => s + dy[i] * y, 0);
    const g = backward(dy, x, shape, ...args);

    assert.deepEqual(g.gradInput.shape, shape);
    const dx = g.gradInput.data;
    const scale = (a) => Math.max(1, ...a.map(Math.abs));
    assertClose(dx, numeric(x, loss), { abs: 1e-7 * scale(dx) }, `${name}: gradInput`);
    // a case where dx vanishes (a set of one element) checks nothing more than 0 = 0
    if (!(op === 'layerNorm' && shape.at(-1) === 1)) assert.ok(Math.max(...dx.map(Math.abs)) > 1e-2, 'dx not ~0');
    for (const [key, param] of [['gradWeight', o.weight], ['gradBias', o.bias]]) {
      if (!param) {
        assert.equal(g[key], null, `${name}: ${key} is null without the parameter`);
        continue;
      }
      assert.equal(g[key].data.length, param.length, `${name}: ${key} length`);
      assertClose(g[key].data, numeric(param, loss), { abs: 1e-7 * scale(g[key].data) }, `${name}: ${key}`);
    }
  });
}

test('running statistics do not enter the gradient where the batch\'s are used', () => {
  // InstanceNorm with useInputStats updates running stats; BatchNorm training
  // likewise: with or without them, at any momentum, the gradients are equal
  const shape = [2, 3, 4];
  const x = normals(24, 7);
  const dy = normals(24, 8);
  const rm = Float64Array.from([0.3, -1, 2]);
  const rv = Float64Array.from([0.5, 2, 1.5]);
  const w = Float64Array.from([1.5, -0.5, 2]);
  const plainIn = ref.instanceNormBackward64(dy, x, shape, { weight: w });
  const withIn = ref.instanceNormBackward64(dy, x, shape,
    { weight: w, runningMean: rm, runningVar: rv, momentum: 0.9 });
  assert.deepEqual(withIn, plainIn);
  const plainBn = ref.batchNormBackward64(dy, x, shape, null, null, { weight: w, training: true });
  const withBn = ref.batchNormBackward64(dy, x, shape, rm, rv, { weight: w, training: true, momentum: 1 });
  assert.deepEqual(withBn, plainBn);
  // and the eval gradient is dy * w * rstd of the running variance
  const evalBn = ref.batchNormBackward64(dy, x, shape, rm, rv, { weight: w });
  const c = (i) => Math.floor(i / 4) % 3;
  assertClose(evalBn.gradInput.data, Float64Array.from(dy, (d, i) => d * w[c(i)] / Math.sqrt(rv[c(i)] + 1e-5)),
    { abs: 1e-15 }, 'batchNorm eval dx');
});
