// The one float64 reference (web/lab/reference64.js), which the kernel tests
// check normlab against and the page measures float32 rounding with, against
// torch 1.13 in float64 (tests/fixtures/pytorch.json: `cases`, every
// functional call; `modules`, the first training step of every module class,
// through the page's own adapter reference64() of web/viz/experiment.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layout } from '../web/lab/index.js';
import { reference64 } from '../web/viz/experiment.js';
import {
  assertClose, batchNorm64, f32, groupNorm64, instanceNorm64, layerNorm64, loadFixtures, numbers, rmsNorm64,
  specOfModule, tensorOf,
} from './helpers.js';

// torch float64 is written to 10 significant digits, and is itself good to
// about 1e-9 at offset 1e6 (its one-pass mean; the reference corrects the mean
// with a second pass): the reference computes in float64 from the same
// float32 data.
const TOL64 = { abs: 1e-8, rel: 1e-8 };

const arr = (v) => (Array.isArray(v) ? f32(v) : v ?? null);

function run(c) {
  const { data, shape } = tensorOf(c.input);
  const a = c.args;
  const o = { weight: arr(a.weight), bias: arr(a.bias), eps: a.eps };
  switch (c.op) {
    case 'layerNorm': return layerNorm64(data, shape, a.normalizedShape, o);
    case 'rmsNorm': return rmsNorm64(data, shape, a.normalizedShape, { weight: o.weight, eps: a.eps });
    case 'groupNorm': return groupNorm64(data, shape, a.numGroups, o);
    case 'instanceNorm':
      return instanceNorm64(data, shape, { ...o, runningMean: arr(a.runningMean), runningVar: arr(a.runningVar),
        useInputStats: a.useInputStats, momentum: a.momentum });
    default:
      return batchNorm64(data, shape, arr(a.runningMean), arr(a.runningVar), { ...o, training: a.training, momentum: a.momentum });
  }
}

test('the float64 reference equals torch float64 on every functional case', () => {
  const { cases } = loadFixtures();
  assert.ok(cases.length >= 180, `${cases.length} cases`);
  const ops = new Set();
  for (const c of cases) {
    const r = run(c);
    ops.add(c.op);
    assertClose(r.data, numbers(c.expected.f64), TOL64, c.name);
    if (c.runningMean && r.runningMean) {
      assertClose(r.runningMean, numbers(c.runningMean.f64), TOL64, `${c.name}: running_mean`);
      assertClose(r.runningVar, numbers(c.runningVar.f64), TOL64, `${c.name}: running_var`);
    }
  }
  assert.deepEqual([...ops].sort(), ['batchNorm', 'groupNorm', 'instanceNorm', 'layerNorm', 'rmsNorm']);
});

test('the page\'s float64 output of a layer equals torch float64 on each module\'s first training step', () => {
  const { modules } = loadFixtures();
  assert.ok(modules.length >= 35);
  for (const m of modules) {
    const step = m.steps[0];
    assert.equal(step.train, true);
    const { data, shape } = tensorOf(step.input);
    const spec = specOfModule(m);
    // The module's own random weight and bias (RMSNorm: a weight only).
    const result = { shape, weight: m.params.weight ? f32(m.params.weight) : null, bias: m.params.bias ? f32(m.params.bias) : null };
    const y = reference64(spec, layout(spec, shape), data, result);
    assertClose(y, numbers(step.expected.f64), TOL64, m.name);
  }
});
