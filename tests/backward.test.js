// The backward ops (nl.<op>Backward) and the modules' backward(): every
// record of tests/fixtures/grads.json (torch 1.13 autograd, written by
// tests/fixtures/make_fixtures.py) on both builds, within issue 15's tolerance
// 2e-6 * max(1, max|ref|) + 2e-6 * |ref| of torch's float64 gradients, per
// tensor; the forward's saved statistics, the in-memory path, prepare, array calls run in blocks; bad
// input refused with the argument named, and the instance fine afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argsOf, assertClose, f32, loadBoth, loadGradFixtures, makeModule, numbers, random, tensorOf } from './helpers.js';
import { OP_NAMES, callBackward, callOp } from '../src/ops.js';

const builds = await loadBoth();
const GRADS = loadGradFixtures();
const KEYS = ['gradInput', 'gradWeight', 'gradBias'];

/** Each gradient null where the record's is, else of its shape and within the tolerance of its float64 values. */
function assertGrads(got, expected, label) {
  for (const key of KEYS) {
    const want = expected[key];
    if (want === null) {
      assert.equal(got[key], null, `${label}: ${key} is null`);
      continue;
    }
    assert.deepEqual([...got[key].shape], want.shape, `${label}: ${key}.shape`);
    const ref = numbers(want.f64);
    const scale = Math.max(1, ...ref.map(Math.abs));
    assertClose(got[key].data, ref, { abs: 2e-6 * scale, rel: 2e-6 }, `${label}: ${key}`);
  }
}

const gradOf = (nl, c, extra) => callBackward(nl, c.op, tensorOf(c.gradOutput), tensorOf(c.input), argsOf(c.args), extra);
const sameBits = (a, b, label) => {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${label} index ${i}: ${a[i]} vs ${b[i]}`);
};

test('the fixtures hold every op, batched and unbatched, with non-uniform upstream gradients', () => {
  assert.deepEqual([...new Set(GRADS.cases.map((c) => c.op))].sort(), [...OP_NAMES].sort());
  for (const c of [...GRADS.cases, ...GRADS.accuracy]) {
    assert.ok(new Set(c.gradOutput.data).size > 1 || c.gradOutput.data.length <= 1, `${c.name}: gradOutput varies`);
  }
});

for (const [name, nl] of builds) {
  for (const set of ['cases', 'accuracy']) {
    test(`${name}: every ${set} record of grads.json within 2e-6 of torch float64 autograd`, () => {
      for (const c of GRADS[set]) assertGrads(gradOf(nl, c), c.expected, `${name} ${c.name}`);
    });
  }

  test(`${name}: the forward's saved statistics give the same gradients, bit for bit`, () => {
    for (const c of GRADS.cases) {
      const { stats } = callOp(nl, c.op, tensorOf(c.input), argsOf(c.args), { stats: true });
      const [recomputed, reused] = [gradOf(nl, c), gradOf(nl, c, { saved: stats })];
      for (const key of KEYS) {
        if (recomputed[key]) sameBits(reused[key].data, recomputed[key].data, `${name} ${c.name} ${key}`);
      }
    }
  });

  test(`${name}: momentum is accepted and does not enter the gradient; running statistics are left alone`, () => {
    for (const c of GRADS.cases.filter((r) => r.op === 'batchNorm' || r.op === 'instanceNorm')) {
      const args = argsOf(c.args);
      const before = [args.runningMean, args.runningVar].map((r) => r && r.slice());
      const moved = callBackward(nl, c.op, tensorOf(c.gradOutput), tensorOf(c.input), args, { momentum: 0.9 });
      const plain = gradOf(nl, c);
      for (const key of KEYS) if (plain[key]) sameBits(moved[key].data, plain[key].data, `${name} ${c.name} ${key}`);
      [args.runningMean, args.runningVar].forEach((r, i) => r && sameBits(r, before[i], `${c.name}: running stats`));
    }
  });

  test(`${name}: in memory (WasmTensors, outs) and prepared, the same gradients bit for bit`, () => {
    for (const c of GRADS.cases.filter((_, i) => i % 7 === 0)) {
      const want = gradOf(nl, c);
      const args = argsOf(c.args);
      const [g, x] = [c.gradOutput, c.input].map((t) => nl.tensor(t.shape, f32(t.data)));
      const outs = {
        gradInputOut: nl.tensor(c.input.shape),
        gradWeightOut: want.gradWeight && nl.tensor([want.gradWeight.data.length]),
        gradBiasOut: want.gradBias && new Float32Array(want.gradBias.data.length),
      };
      const got = callBackward(nl, c.op, g, x, args, outs);
      assert.equal(got.gradInput, outs.gradInputOut, `${c.name}: gradInput is gradInputOut`);
      if (want.gradWeight) assert.equal(got.gradWeight, outs.gradWeightOut, `${c.name}: gradWeight is gradWeightOut`);
      if (want.gradBias) assert.equal(got.gradBias.data, outs.gradBiasOut, `${c.name}: gradBias is in gradBiasOut`);
      const run = nl.prepare(`${c.op}Backward`, g, x, ...callArgs(c.op, args, outs));
      for (const result of [got, run()]) {
        for (const key of KEYS) if (want[key]) sameBits(result[key].data, want[key].data, `${name} ${c.name} ${key}`);
      }
      [g, x, outs.gradInputOut, outs.gradWeightOut].forEach((t) => t?.free());
    }
  });

  test(`${name}: the module records (forward then backward, .grad accumulating over the steps)`, () => {
    for (const m of GRADS.modules) {
      const module = makeModule(m.cls, m.args, m.options, nl);
      for (const [k, v] of Object.entries(m.params ?? {})) module[k] = f32(v);
      m.steps.forEach((step, i) => {
        module.train(step.train);
        module.forward(tensorOf(step.input));
        const gradInput = module.backward(tensorOf(step.gradOutput));
        // the module keeps .grad as a Float32Array of the weight's length: its values against torch's .grad
        const held = (data, want) => data && { data, shape: want.shape };
        const { gradWeight, gradBias } = step.expected;
        assertGrads({ gradInput, gradWeight: held(module.gradWeight, gradWeight), gradBias: held(module.gradBias, gradBias) },
          step.expected, `${name} ${m.name} step ${i}`);
      });
      module.zeroGrad();
      assert.equal(module.gradWeight, null, `${m.name}: zeroGrad`);
    }
  });
}

/** The positional arguments and options of op's call, the way callBackward makes them. */
function callArgs(op, args, extra) {
  const out = [];
  callBackward({ [`${op}Backward`]: (g, x, ...rest) => out.push(...rest) }, op, null, null, args, extra);
  return out;
}

// [what, call(nl), class, message]: each bad backward call, refused before anything runs.
const x23 = () => ({ data: f32([1, 2, 4, 0, 3, 9]), shape: [2, 3] });
const g23 = () => ({ data: f32([0.5, -1, 2, 1, 0, -0.5]), shape: [2, 3] });
const BAD = [
  ['gradOutput of another shape', (nl) => nl.layerNormBackward({ data: new Float32Array(8), shape: [2, 4] }, x23(), 3),
    RangeError, /^layerNormBackward: gradOutput\.shape \[2, 4\] must be x's shape \[2, 3\]$/],
  ['gradOutput not a tensor', (nl) => nl.rmsNormBackward([1, 2, 3], x23(), 3), TypeError,
    /^rmsNormBackward: gradOutput must be a tensor \{ data, shape \} or a WasmTensor, got \[1, 2, 3\]$/],
  ['gradOutput.data too short', (nl) => nl.layerNormBackward({ data: [1], shape: [2, 3] }, x23(), 3), RangeError,
    /^layerNormBackward: gradOutput\.data has 1 elements but gradOutput\.shape \[2, 3\] needs 6$/],
  ['eval without running statistics', (nl) => nl.batchNormBackward(g23(), x23(), null, null), TypeError,
    /^batchNormBackward: runningMean and runningVar are required when training is false$/],
  ['instanceNorm on running statistics without them', (nl) => nl.instanceNormBackward(
    { data: new Float32Array(6), shape: [1, 2, 3] }, { data: f32([1, 2, 3, 4, 5, 7]), shape: [1, 2, 3] },
    { useInputStats: false }), TypeError, /required when useInputStats is false$/],
  ['a weight of the wrong length', (nl) => nl.groupNormBackward({ data: new Float32Array(6), shape: [1, 2, 3] },
    { data: f32([1, 2, 3, 4, 5, 7]), shape: [1, 2, 3] }, 1, { weight: [1, 2, 3] }), RangeError,
  /^groupNormBackward: Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape \[3\]/],
  ['saved of the wrong length', (nl) => nl.layerNormBackward(g23(), x23(), 3, { saved: { mean: [0], var: [1] } }),
    RangeError, /^layerNormBackward: saved\.mean has 1 elements but the call has 2 groups of statistics$/],
  ['saved not statistics', (nl) => nl.layerNormBackward(g23(), x23(), 3, { saved: true }), TypeError,
    /^layerNormBackward: saved must be the forward's statistics \{ mean, var \} \(its result's stats\), got true$/],
  ['gradWeightOut without a weight', (nl) => nl.layerNormBackward(g23(), x23(), 3, { gradWeightOut: new Float32Array(3) }),
    TypeError, /^layerNormBackward: gradWeightOut is given but the call has no weight, so there is no such gradient$/],
  ['gradBiasOut of the wrong length', (nl) => nl.layerNormBackward(g23(), x23(), 3,
    { bias: [0, 0, 0], gradBiasOut: new Float32Array(2) }), RangeError,
  /^layerNormBackward: gradBiasOut has 2 elements but the result has 3$/],
  ['gradInputOut not floats', (nl) => nl.layerNormBackward(g23(), x23(), 3, { gradInputOut: [0, 0, 0, 0, 0, 0] }),
    TypeError, /^layerNormBackward: gradInputOut must be a Float32Array or a WasmTensor, got \[0, 0, 0, 0, 0, 0\]$/],
  ['the forward\'s out option', (nl) => nl.layerNormBackward(g23(), x23(), 3, { out: new Float32Array(6) }), TypeError,
    /^layerNormBackward: unknown option 'out'; expected one of weight, bias, eps, gradInputOut, gradWeightOut, gradBiasOut, saved$/],
  ['prepare on an array', (nl) => nl.prepare('layerNormBackward', g23(), nl.tensor([2, 3]), 3), TypeError,
    /^prepare: gradOutput must be a WasmTensor/],
];

for (const [name, nl] of builds) {
  test(`${name}: bad backward calls are refused with the argument named, what was expected and what came`, () => {
    for (const [what, call, Kind, message] of BAD) {
      assert.throws(() => call(nl), (e) => e.constructor === Kind && message.test(e.message), what);
    }
    // and the instance works normally afterwards
    const c = GRADS.cases[5];
    assertGrads(gradOf(nl, c), c.expected, `${name} ${c.name} after the errors`);
  });

  test(`${name}: a module's backward before forward, or of the wrong shape, is refused; the module works afterwards`, () => {
    const m = makeModule('LayerNorm', [3], {}, nl);
    assert.throws(() => m.backward(g23()), (e) => e instanceof TypeError &&
      /^LayerNorm\.backward: call forward\(x\) first/.test(e.message));
    m.forward(x23());
    assert.throws(() => m.backward({ data: new Float32Array(3), shape: [3] }), (e) => e instanceof RangeError &&
      e.message === "LayerNorm.backward: gradOutput.shape [3] must be the forward input's shape [2, 3]");
    assert.equal(m.gradWeight, null, 'a refused backward adds nothing');
    const once = m.backward(g23());
    const want = nl.layerNormBackward(g23(), x23(), 3, { weight: m.weight, bias: m.bias });
    sameBits(once.data, want.gradInput.data, 'gradInput');
    sameBits(m.gradWeight, want.gradWeight.data, 'gradWeight');
    m.backward(g23()); // accumulates, as .grad does
    sameBits(m.gradBias, want.gradBias.data.map((v) => Math.fround(2 * v)), 'gradBias twice');
  });
}

// Array calls over 1 MB run in blocks of whole groups (src/api.js BLOCKS); they must give the
// one-piece (WasmTensor) call's bits, with and without saved, where the last block is short.
const BLOCKED = [ // [op, shape, record]: each over 1 MB, more than one block
  ['layerNorm', [701, 400], { normalizedShape: [400] }],
  ['rmsNorm', [70001, 8], { normalizedShape: [8] }], // short rows
  ['groupNorm', [9, 12, 40, 70], { numGroups: 4 }],
  ['instanceNorm', [9, 7, 5000], {}],
  ['batchNorm', [4, 301, 333], { training: true }],
  ['batchNorm', [4, 301, 333], { training: false }],
];

for (const [name, nl] of builds) {
  test(`${name}: array backward calls run in blocks give the one-piece call's bits`, () => {
    const r = random(15);
    for (const [op, shape, base] of BLOCKED) {
      const size = shape.reduce((a, b) => a * b);
      const C = base.normalizedShape ? base.normalizedShape.reduce((a, b) => a * b) : shape[1];
      const x = r.values(size, -3, 5), dy = r.values(size, -1, 1);
      const running = () => ({ runningMean: r.values(C, -1, 1), runningVar: r.values(C, 0.5, 2) });
      // BatchNorm with weight and bias too: its blocks are channels, which keep their parameter sums whole
      const records = op === 'batchNorm'
        ? [{ ...base, ...running() }, { ...base, ...running(), weight: r.values(C, 0.5, 1.5), bias: r.values(C, -1, 1) }]
        : [base];
      for (const record of records) {
        const fromInput = op !== 'batchNorm' || record.training;
        const stats = fromInput ? callOp(nl, op, { data: x, shape }, { ...record, ...running() }, { stats: true }).stats : undefined;
        for (const extra of fromInput ? [{}, { saved: stats }] : [{}]) {
          const label = `${name} ${op} [${shape}] ${Object.keys(record).join(',')}${extra.saved ? ' saved' : ''}`;
          const blocked = callBackward(nl, op, { data: dy, shape }, { data: x, shape }, record, extra);
          const [tdy, tx] = [dy, x].map((v) => nl.tensor(shape, v));
          const whole = callBackward(nl, op, tdy, tx, record, extra);
          for (const key of KEYS) {
            assert.equal(blocked[key] === null, whole[key] === null, `${label}: ${key}`);
            if (whole[key] !== null) sameBits(blocked[key].data, whole[key].data, `${label}: ${key}`);
          }
          [tdy, tx].forEach((t) => t.free());
        }
      }
    }
  });
}
