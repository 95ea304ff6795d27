// The running statistics the page shows (web/viz/experiment.js
// runningStatsOf): after one training call, running_mean, running_var and
// num_batches_tracked as torch 1.13 has them (tests/fixtures/pytorch.json
// `modules`, first step of every BatchNorm and tracking InstanceNorm), what
// the update mixed in, and the eval formula the page states, against torch's
// eval step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab } from '../src/normlab.js';
import { makeValues, parseLayers, t } from '../web/lab/index.js';
import { runExperiment } from '../web/viz/experiment.js';
import { assertClose, assertTorch, batchNormRef, f32, loadFixtures, numbers, specOfModule, tensorOf } from './helpers.js';

const nl = await loadNormlab();
const tracking = loadFixtures().modules.filter((m) => m.steps[0].runningMean);

test('after one training call: running_mean, running_var and num_batches_tracked equal torch\'s', () => {
  const classes = new Set(tracking.map((m) => m.cls));
  assert.deepEqual([...classes].sort(), ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d']);
  assert.ok(tracking.some((m) => m.options.momentum === null), 'momentum=None is covered');
  for (const m of tracking) {
    const step = m.steps[0];
    const { data, shape } = tensorOf(step.input);
    const exp = runExperiment(nl, shape, data, [specOfModule(m)]);
    assert.equal(exp.layers[0].error, undefined, m.name);
    const r = exp.ok[0].running;
    assert.equal(r.mode, 'update', m.name);
    assertTorch(r.mean, step.runningMean, `${m.name}: running_mean`, 'running');
    assertTorch(r.var, step.runningVar, `${m.name}: running_var`, 'running');
    assert.equal(r.numBatchesTracked, step.numBatchesTracked, `${m.name}: num_batches_tracked`);
    // What the table shows as mixed in: new = (1 - m) * old + m * observed,
    // old = a fresh module's 0 and 1; momentum None on a first batch is 1.
    const mom = r.momentum ?? 1;
    const C = r.mean.length;
    for (let c = 0; c < C; c++) {
      assert.ok(Math.abs(r.mean[c] - mom * r.observed.mean[c]) < 1e-6 * (1 + Math.abs(r.mean[c])), `${m.name}: running_mean[${c}] from the call's mean`);
      assert.ok(Math.abs(r.var[c] - ((1 - mom) + mom * r.observed.var[c])) < 1e-5 * (1 + r.var[c]), `${m.name}: running_var[${c}] from the unbiased var`);
    }
  }
});

test('num_batches_tracked: BatchNorm counts a training call, InstanceNorm never does (torch 1.13)', () => {
  const counts = Object.fromEntries(tracking.map((m) => [m.cls.slice(0, 5), m.steps[0].numBatchesTracked]));
  assert.deepEqual(counts, { Batch: 1, Insta: 0 }); // what torch did
  const shape = [4, 3, 5];
  const x = makeValues('random', shape, 2);
  const exp = runExperiment(nl, shape, x, parseLayers('batch_norm,instance_norm:track=1'));
  assert.deepEqual(exp.ok.map((l) => l.running.numBatchesTracked), [1, 0]);
  assert.equal(t('en', 'page.running_nbt_bn', { count: exp.ok[0].running.numBatchesTracked }),
    'num_batches_tracked: 0 before, 1 after (BatchNorm counts its training calls).');
});

test('the unbiased variance goes into running_var, the biased one normalizes (docs/pytorch-semantics.md §4)', () => {
  const shape = [2, 1, 2];
  const x = Float32Array.from([1, 2, 3, 6]); // mean 3, biased var 3.5, unbiased 14/3
  const exp = runExperiment(nl, shape, x, parseLayers('batch_norm'));
  const l = exp.ok[0];
  assert.ok(Math.abs(l.result.stats.var[0] - 3.5) < 1e-6);
  assert.ok(Math.abs(l.running.observed.var[0] - 14 / 3) < 1e-6);
  assert.ok(Math.abs(l.running.var[0] - (0.9 + 0.1 * 14 / 3)) < 1e-6);
  assert.ok(Math.abs(l.running.mean[0] - 0.3) < 1e-7);
});

test('eval: the page shows the running statistics it uses, and its formula is torch\'s eval output', () => {
  // The page's eval module is a fresh one: running_mean 0, running_var 1.
  const exp = runExperiment(nl, [4, 3, 5], makeValues('random', [4, 3, 5], 3), parseLayers('batch_norm:eval,instance_norm:track=1:eval'));
  for (const l of exp.ok) {
    assert.equal(l.running.mode, 'use');
    assert.deepEqual([Array.from(l.running.mean), Array.from(l.running.var)], [[0, 0, 0], [1, 1, 1]]);
    assert.equal(l.running.observed, null);
  }
  // torch's eval step (the last) after three training steps: y = (x - running_mean[c])
  // / sqrt(running_var[c] + eps) * weight[c] + bias[c], with the buffers of step 3.
  let checked = 0;
  for (const m of tracking) {
    const last = m.steps.at(-1);
    const before = m.steps.at(-2);
    assert.equal(last.train, false);
    const { data, shape } = tensorOf(last.input);
    const unbatched = m.cls.startsWith('Instance') && shape.length === Number(m.cls.at(-2)) + 1;
    const [C, S] = unbatched ? [shape[0], data.length / shape[0]] : [shape[1], data.length / shape[0] / shape[1]];
    const rm = numbers(before.runningMean.f32), rv = numbers(before.runningVar.f32);
    const w = m.params.weight ? f32(m.params.weight) : null, b = m.params.bias ? f32(m.params.bias) : null;
    const eps = m.options.eps ?? 1e-5;
    // eval InstanceNorm is the same per-channel formula as eval BatchNorm
    const { y } = batchNormRef(data, [data.length / (C * S), C, S], rm, rv, { weight: w, bias: b, eps });
    assertClose(y, numbers(last.expected.f64), { abs: 1e-6, rel: 1e-6 }, `${m.name}: eval`);
    checked++;
  }
  assert.ok(checked >= 15);
});
