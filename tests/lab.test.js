// The lab logic of the page (web/lab): parsing, links, layer code strings,
// groups, the verdict and the exports. Expected numbers are hand-derived or
// come from the float64 reference, never from web/lab itself.  Which layers
// equal which (the source document's question) is tests/question.test.js,
// through the modules and the page's verdict alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab } from '../src/normlab.js';
import * as lab from '../web/lab/index.js';
import { assertClose, batchNormRef, groupNormRef, random, rmsNormRef, sample } from './helpers.js';

const size = (shape) => shape.reduce((a, b) => a * b, 1);

/** Asserts fn throws a LabError with this key. */
function throwsKey(fn, key) {
  assert.throws(fn, (e) => {
    assert.ok(lab.isLabError(e), `not a LabError: ${e}`);
    assert.equal(e.key, key);
    assert.ok(e.message.length > 0 && !e.message.includes('{'), `bad message: ${e.message}`);
    return true;
  });
}

const spec = (text) => lab.parseLayers(text)[0];
const keysOf = (cmp) => cmp.reasons.map((r) => r.key);

// ---------- parsing ----------

test('parseShape accepts the usual spellings', () => {
  for (const text of ['2,3,4', '2x3x4', '2×3×4', '[2, 3, 4]', '(2, 3, 4)', '2 3 4', ' 2 , 3 , 4 ', '2X3X4']) {
    assert.deepEqual(lab.parseShape(text), [2, 3, 4], text);
  }
  assert.deepEqual(lab.parseShape('7'), [7]);
  assert.deepEqual(lab.parseShape('1,1,1,1,4096'), [1, 1, 1, 1, 4096]);
  // Zero-size tensors, as PyTorch and the library take them (tests/input.test.js).
  assert.deepEqual(lab.parseShape('2,0,4'), [2, 0, 4]);
});

test('parseShape rejects malformed shapes with a LabError key', () => {
  const bad = [
    ['', 'err.shape.empty'],
    ['[]', 'err.shape.empty'],
    ['2,a,4', 'err.shape.token'],
    ['2,-3', 'err.shape.dim'],
    ['2.5,3', 'err.shape.dim'],
    ['2,,3', 'err.shape.empty_entry'],
    ['1,1,1,1,1,1', 'err.shape.rank'],
    ['64,65', 'err.shape.too_big'],
  ];
  for (const [text, key] of bad) throwsKey(() => lab.parseShape(text), key);
  assert.equal(lab.MAX_ELEMENTS, 4096);
});

test('parseValues: flat lists keep the shape, nested lists bring their own', () => {
  const flat = lab.parseValues('1 2, 3;4\n5\t6', [2, 3]);
  assert.deepEqual(flat.shape, [2, 3]);
  assert.deepEqual(Array.from(flat.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(lab.parseValues('[1, 2, 3, 4]', [2, 2]).data), [1, 2, 3, 4]);
  assert.deepEqual(lab.parseValues('1 2 3', undefined).shape, [3]);

  const nested = lab.parseValues('[[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]', [5]);
  assert.deepEqual(nested.shape, [3, 2, 2]);
  assert.deepEqual(Array.from(nested.data), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

  const words = lab.parseValues('[[NaN, inf], [-Infinity, 1e-3], [-.5, +2.]]', [1]);
  assert.deepEqual(words.shape, [3, 2]);
  assert.ok(Number.isNaN(words.data[0]));
  assert.equal(words.data[1], Infinity);
  assert.equal(words.data[2], -Infinity);
  assert.equal(words.data[3], Math.fround(0.001));
  assert.equal(words.data[4], -0.5);
  assert.equal(words.data[5], 2);
});

test('parseValues rejects malformed values with a LabError key', () => {
  throwsKey(() => lab.parseValues('', [2]), 'err.values.empty');
  throwsKey(() => lab.parseValues('1 2 3', [2, 2]), 'err.values.count');
  throwsKey(() => lab.parseValues('1 two', [2]), 'err.values.token');
  throwsKey(() => lab.parseValues('1 0x10', [2]), 'err.values.token');
  throwsKey(() => lab.parseValues('[[1, 2], [3]]', [3]), 'err.values.ragged');
  throwsKey(() => lab.parseValues('[[1, 2], [3, 4]', [4]), 'err.values.unclosed');
  throwsKey(() => lab.parseValues('[[1, 2]], 3', [2]), 'err.values.trailing');
  throwsKey(() => lab.parseValues('[[]]', [2]), 'err.values.empty');
  throwsKey(() => lab.parseValues('[[[[[[1]]]]]]', [1]), 'err.values.rank');
  throwsKey(() => lab.parseValues('1 '.repeat(4097), [4097]), 'err.values.too_many');
  // User text is data: a script is just a bad token, cut short in the message.
  try {
    lab.parseValues('<script>alert(1)</script>aaaaaaaaaaaaaaaaaaaa', [1]);
    assert.fail('no error');
  } catch (e) {
    assert.equal(e.key, 'err.values.token');
    assert.ok(e.params.token.length <= 21);
  }
});

// ---------- values ----------

test('makeValues is seeded and has the documented kinds', () => {
  const a = lab.makeValues('random', [64, 64], 7);
  assert.deepEqual(a, lab.makeValues('random', [64, 64], 7));
  assert.notDeepEqual(a, lab.makeValues('random', [64, 64], 8));
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
  // 4096 standard normals: the mean is within 5 sigma (5/64) of 0, std near 1.
  assert.ok(Math.abs(mean) < 5 / 64, `mean ${mean}`);
  assert.ok(Math.abs(std - 1) < 0.1, `std ${std}`);

  const u = lab.makeValues('uniform', [1000], 3);
  assert.ok(u.every((v) => v >= 0 && v < 1));
  assert.ok(Math.min(...u) < 0.05 && Math.max(...u) > 0.95);
  assert.deepEqual(Array.from(lab.makeValues('ramp', [2, 3], 99)), [0, 1, 2, 3, 4, 5]);
  throwsKey(() => lab.makeValues('zeros', [2], 1), 'err.values.kind');
});

// ---------- layer specs and their text ----------

test('parseLayers and formatLayers round-trip, writing only non-defaults', () => {
  const cases = [
    ['layer_norm,instance_norm', 'layer_norm,instance_norm'],
    ['layer_norm:[3,4],instance_norm', 'layer_norm:3x4,instance_norm'],
    ['layer_norm:3x4:eps=0.001:affine=0', 'layer_norm:3x4:eps=1e-3:affine=0'],
    ['instance_norm:dim=2:affine:rand=7', 'instance_norm:dim=2:affine=1:rand=7'],
    ['group_norm:2,batch_norm:eval:momentum=none', 'group_norm:2,batch_norm:momentum=none:mode=eval'],
    ['rms_norm:4:eps=1e-6', 'rms_norm:4:eps=1e-6'],
    ['rms_norm:affine=0', 'rms_norm:affine=0'],
    ['group_norm:affine=0:groups=3', 'group_norm:3:affine=0'],
    ['LN,IN,GN:1,BN:mode=train:track=0', 'layer_norm,instance_norm,group_norm,batch_norm:track=0'],
    ['instance_norm:eps=1e-5:momentum=0.1:affine=0', 'instance_norm'],
  ];
  for (const [text, canonical] of cases) {
    const specs = lab.parseLayers(text);
    assert.equal(lab.formatLayers(specs), canonical, text);
    assert.deepEqual(lab.parseLayers(canonical), specs, canonical);
  }
  const s = spec('batch_norm:dim=2:eps=0.01:momentum=0.3:affine=0:track=0:mode=eval:rand=5');
  assert.deepEqual(s, {
    kind: 'batch_norm',
    params: { dim: 2, eps: 0.01, momentum: 0.3, affine: false, trackRunningStats: false, training: false, randomAffine: 5, numFeatures: null },
  });
  // The text needs no escaping in a query string.
  assert.match(lab.formatLayers(lab.parseLayers('layer_norm:[2,3,4]:eps=1e-10,group_norm:3:eps=0.5')), /^[a-z0-9_:,=.x-]+$/);
});

test('parseLayers rejects bad text with a LabError key', () => {
  const bad = [
    ['', 'err.layers.empty'],
    ['dropout', 'err.layer.kind'],
    ['layer_norm,', 'err.layer.kind'],
    ['layer_norm:colour=red', 'err.layer.field'],
    ['layer_norm:momentum=0.1', 'err.layer.field'],
    ['instance_norm:3', 'err.layer.field'],
    ['layer_norm:eps=abc', 'err.layer.value'],
    ['layer_norm:eps=none', 'err.layer.value'],
    ['instance_norm:dim=4', 'err.layer.value'],
    ['group_norm:0', 'err.layer.value'],
    ['batch_norm:mode=test', 'err.layer.value'],
    ['layer_norm:0x3', 'err.layer.value'],
  ];
  for (const [text, key] of bad) throwsKey(() => lab.parseLayers(text), key);
  throwsKey(() => lab.normalizeSpec({ kind: 'layer_norm', params: { numGroups: 2 } }), 'err.layer.param');
  throwsKey(() => lab.normalizeSpec({ kind: 'group_norm', params: { numGroups: 2.5 } }), 'err.layer.value');
  throwsKey(() => lab.normalizeSpec({ kind: 'batch_norm', params: { training: 'yes' } }), 'err.layer.value');
  throwsKey(() => lab.normalizeSpec(null), 'err.layer.kind');
  assert.equal(lab.normalizeSpec({ kind: 'layer_norm', params: { elementwiseAffine: false } }).params.affine, false);
});

test('pytorchCode writes the constructor with non-default arguments', () => {
  const cases = [
    ['layer_norm', [2, 3, 4], 'nn.LayerNorm([4])'],
    ['layer_norm:3x4:eps=1e-3:affine=0', [2, 3, 4], 'nn.LayerNorm([3, 4], eps=1e-3, elementwise_affine=False)'],
    ['instance_norm', [2, 3, 4], 'nn.InstanceNorm1d(3)'],
    ['instance_norm', [3, 4], 'nn.InstanceNorm1d(3)'],
    ['instance_norm:dim=2:affine', [2, 3, 4], 'nn.InstanceNorm2d(2, affine=True)'],
    ['instance_norm:track=1:mode=eval', [2, 3, 4, 5], 'nn.InstanceNorm2d(3, track_running_stats=True).eval()'],
    ['instance_norm:momentum=0.5', [1, 2, 3, 4, 5], 'nn.InstanceNorm3d(2, momentum=0.5)'],
    ['group_norm:2', [2, 6, 5], 'nn.GroupNorm(2, 6)'],
    ['group_norm:3:affine=0:eps=1e-6', [2, 6], 'nn.GroupNorm(3, 6, eps=1e-6, affine=False)'],
    ['batch_norm', [2, 3, 4, 4], 'nn.BatchNorm2d(3)'],
    ['batch_norm:momentum=none:mode=eval', [8, 3], 'nn.BatchNorm1d(3, momentum=None).eval()'],
    ['batch_norm:track=0', [2, 3, 2, 2, 2], 'nn.BatchNorm3d(3, track_running_stats=False)'],
    ['rms_norm', [2, 3, 4], 'nn.RMSNorm([4])'],
    ['rms_norm:3x4:eps=1e-6:affine=0', [2, 3, 4], 'nn.RMSNorm([3, 4], eps=1e-6, elementwise_affine=False)'],
  ];
  for (const [text, shape, code] of cases) assert.equal(lab.pytorchCode(spec(text), shape), code, text);
});

test('layers refuse shapes PyTorch refuses, with torch-like messages', () => {
  throwsKey(() => lab.layout(spec('layer_norm:5'), [2, 4]), 'err.layer.ln_shape');
  throwsKey(() => lab.layout(spec('layer_norm:2x3x4'), [3, 4]), 'err.layer.ln_shape');
  throwsKey(() => lab.layout(spec('instance_norm'), [5]), 'err.layer.in_rank');
  throwsKey(() => lab.layout(spec('instance_norm:dim=2'), [2, 3]), 'err.layer.in_rank');
  throwsKey(() => lab.layout(spec('instance_norm:dim=1'), [2, 3, 4, 5]), 'err.layer.in_rank');
  throwsKey(() => lab.layout(spec('batch_norm:dim=2'), [2, 3, 4]), 'err.layer.bn_rank');
  throwsKey(() => lab.layout(spec('batch_norm'), [4]), 'err.layer.bn_rank');
  throwsKey(() => lab.layout(spec('group_norm'), [6]), 'err.layer.gn_rank');
  throwsKey(() => lab.layout(spec('group_norm:4'), [2, 6, 5]), 'err.layer.gn_groups');
  try {
    lab.layout(spec('instance_norm:dim=1'), [2, 3, 4, 5]);
  } catch (e) {
    assert.equal(e.message, 'InstanceNorm1d expects 2D / 3D input (got 4D input).');
  }
});

// ---------- groups and the feature table ----------

test('groupOf matches hand-checked small cases', () => {
  const cases = [
    ['layer_norm', [2, 3], [0, 0, 0, 1, 1, 1]],
    ['layer_norm:2x2', [2, 2, 2], [0, 0, 0, 0, 1, 1, 1, 1]],
    ['rms_norm', [3, 2], [0, 0, 1, 1, 2, 2]],
    ['instance_norm', [2, 2, 2], [0, 0, 1, 1, 2, 2, 3, 3]],
    ['instance_norm', [2, 3], [0, 0, 0, 1, 1, 1]],
    ['instance_norm:dim=2', [2, 1, 2], [0, 0, 1, 1]],
    ['instance_norm', [1, 2, 2, 2], [0, 0, 0, 0, 1, 1, 1, 1]],
    ['group_norm:2', [2, 4, 1], [0, 0, 1, 1, 2, 2, 3, 3]],
    ['group_norm:2', [1, 4, 2], [0, 0, 0, 0, 1, 1, 1, 1]],
    ['group_norm', [2, 2, 2], [0, 0, 0, 0, 1, 1, 1, 1]],
    ['group_norm:3', [1, 3, 2], [0, 0, 1, 1, 2, 2]],
    ['batch_norm', [2, 2, 2], [0, 0, 1, 1, 0, 0, 1, 1]],
    ['batch_norm', [3, 2], [0, 1, 0, 1, 0, 1]],
  ];
  for (const [text, shape, ids] of cases) {
    assert.deepEqual(Array.from(lab.groupOf(spec(text), shape)), ids, `${text} on ${shape}`);
  }
});

test('describe: reduced axes, groups, parameter shapes, batch dependence', () => {
  const ln = lab.describe(spec('layer_norm'), [2, 3, 5, 6]);
  assert.deepEqual(ln.reducedNames, ['W']);
  assert.deepEqual(ln.reducedAxes, [3]);
  assert.deepEqual([ln.groupCount, ln.groupSize], [30, 6]);
  assert.deepEqual(ln.paramShape, [6]);
  assert.equal(ln.dependsOnBatch, false);
  assert.equal(ln.runningStats, 'none');
  assert.equal(ln.typicalUse, 'use.layer_norm');

  const in2 = lab.describe(spec('instance_norm'), [2, 3, 5, 6]);
  assert.equal(in2.module, 'InstanceNorm2d');
  assert.deepEqual(in2.reducedNames, ['H', 'W']);
  assert.deepEqual([in2.groupCount, in2.groupSize], [6, 30]);
  assert.equal(in2.paramShape, null);
  assert.equal(in2.layoutKey, 'layout.in2d_batched');

  const in1 = lab.describe(spec('instance_norm:affine'), [3, 10]);
  assert.deepEqual(in1.axisNames, ['C', 'L']);
  assert.deepEqual(in1.paramShape, [3]);
  assert.deepEqual(in1.paramAxes, [0]);
  assert.equal(in1.layoutKey, 'layout.in1d_unbatched');

  const gn = lab.describe(spec('group_norm:2'), [2, 6, 5]);
  assert.deepEqual(gn.reducedNames, ['C', 'L']);
  assert.deepEqual([gn.groupCount, gn.groupSize, gn.channelsPerGroup], [4, 15, 3]);
  assert.deepEqual(gn.paramShape, [6]);

  const bn = lab.describe(spec('batch_norm'), [4, 3, 5]);
  assert.deepEqual(bn.reducedNames, ['N', 'L']);
  assert.deepEqual([bn.groupCount, bn.groupSize], [3, 20]);
  assert.equal(bn.dependsOnBatch, true);
  assert.equal(bn.runningStats, 'update');
  const bnEval = lab.describe(spec('batch_norm:eval'), [4, 3, 5]);
  assert.equal(bnEval.runningStats, 'use');
  assert.equal(bnEval.dependsOnBatch, false);
  assert.deepEqual(bnEval.reducedAxes, []);
});

// ---------- running the real kernels ----------

test('GroupNorm(2) on (2, 4, 3, 3) is not LayerNorm: the page says so, and its groups are the float64 reference\'s', async () => {
  const nl = await loadNormlab();
  const shape = [2, 4, 3, 3];
  const x = sample(size(shape), 9);
  const t = { data: x, shape };
  const gn = lab.runLayer(nl, spec('group_norm:2'), t);
  const c = lab.compare(gn, lab.runLayer(nl, spec('layer_norm'), t), spec('group_norm:2'), spec('layer_norm'), shape);
  assert.equal(c.identical, false);
  assertClose(gn.data, groupNormRef(x, [2, 4, 9], 2).y, { abs: 1e-5 }, 'GroupNorm(2)');
});

test('BatchNorm: batch statistics in training, running statistics in eval', async () => {
  const nl = await loadNormlab();
  const shape = [4, 3, 5];
  const x = sample(size(shape), 6);
  const train = lab.runLayer(nl, spec('batch_norm'), { data: x, shape });
  const ref = batchNormRef(x, [4, 3, 5], null, null, { training: true });
  assertClose(train.data, ref.y, { abs: 1e-5 }, 'BatchNorm1d training');
  // running_mean = 0.9 * 0 + 0.1 * batch mean (§4).
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(train.runningMean[c] - 0.1 * ref.mean[c]) < 1e-6);
  // Fresh running stats are mean 0, var 1: y = x / sqrt(1 + eps).
  const evalRun = lab.runLayer(nl, spec('batch_norm:eval'), { data: x, shape });
  assertClose(evalRun.data, batchNormRef(x, [4, 3, 5], [0, 0, 0], [1, 1, 1]).y, { abs: 1e-6 }, 'BatchNorm1d eval');
  const cmp = lab.compare(train, evalRun, spec('batch_norm'), spec('batch_norm:eval'), shape);
  assert.ok(keysOf(cmp).includes('cmp.batch_dependent'));
  assert.ok(keysOf(cmp).includes('cmp.running_stats'));
});

test('InstanceNorm with track_running_stats averages the per-instance means', async () => {
  const nl = await loadNormlab();
  const shape = [2, 2, 4];
  const x = Float32Array.from([1, 2, 3, 4, 0, 0, 0, 8, 5, 5, 5, 9, -1, -2, -3, -6]);
  const r = lab.runLayer(nl, spec('instance_norm:track=1:momentum=0.5'), { data: x, shape });
  // Channel 0 means: 2.5 and 6 -> average 4.25; channel 1: 2 and -3 -> -0.5.
  assert.ok(Math.abs(r.runningMean[0] - 0.5 * 4.25) < 1e-6);
  assert.ok(Math.abs(r.runningMean[1] - 0.5 * -0.5) < 1e-6);
});

test('RMSNorm divides by the root mean square, default eps float32 eps', async () => {
  const nl = await loadNormlab();
  const shape = [3, 4];
  const x = sample(12, 8);
  const r = lab.runLayer(nl, spec('rms_norm'), { data: x, shape });
  assertClose(r.data, rmsNormRef(x, 3, 4, { eps: 2 ** -23 }).y, { abs: 1e-5 }, 'RMSNorm');
  const cmp = lab.compare(r, lab.runLayer(nl, spec('layer_norm'), { data: x, shape }), spec('rms_norm'), spec('layer_norm'), shape);
  assert.equal(cmp.identical, false);
  assert.ok(keysOf(cmp).includes('cmp.rms_no_mean'));
  assert.ok(keysOf(cmp).includes('cmp.eps_differs'));
});

test('runLayer turns refused combinations into LabErrors', async () => {
  const nl = await loadNormlab();
  const run = (text, shape) => () => lab.runLayer(nl, spec(text), { data: new Float32Array(size(shape)), shape });
  throwsKey(run('group_norm:4', [2, 6, 5]), 'err.layer.gn_groups');
  throwsKey(run('batch_norm', [1, 3]), 'err.layer.bn_single');
  throwsKey(run('batch_norm:track=0:eval', [1, 3]), 'err.layer.bn_single');
  throwsKey(run('instance_norm', [2, 3, 1]), 'err.layer.in_spatial');
  throwsKey(run('instance_norm:momentum=none', [2, 3, 4]), 'err.layer.in_momentum_none');
  throwsKey(run('group_norm:4', [1, 4, 1]), 'err.layer.gn_single');
  throwsKey(run('layer_norm:3', [2, 4]), 'err.layer.ln_shape');
  // Eval with running statistics needs no spatial extent, and (1, 3, 2) trains.
  assert.equal(run('instance_norm:track=1:eval', [2, 3, 1])().data.length, 6);
  assert.equal(run('batch_norm', [1, 3, 2])().data.length, 6);
  assert.equal(run('group_norm:4', [2, 4, 1])().data.length, 8);
  // A library refusal is wrapped too.
  const broken = { layerNorm() { throw new RangeError('boom'); } };
  throwsKey(() => lab.runLayer(broken, spec('layer_norm'), { data: new Float32Array(4), shape: [4] }), 'err.library');
});

test('compare: NaN in the same place is equal; one-sided NaN is an infinite difference', () => {
  const sA = spec('layer_norm');
  const sB = spec('instance_norm');
  const shape = [2, 2];
  const groups = Int32Array.from([0, 0, 1, 1]);
  const r = (data) => ({ data: Float32Array.from(data), shape, groups });
  const same = lab.compare(r([NaN, NaN, 1, -1]), r([NaN, NaN, 1, -1]), sA, sB, shape);
  assert.equal(same.identical, true);
  assert.equal(same.maxAbsDiff, 0);
  assert.ok(keysOf(same).includes('cmp.nonfinite'));
  const other = lab.compare(r([NaN, NaN, 1, -1]), r([0, 0, 1, -1.5]), sA, sB, shape);
  assert.equal(other.identical, false);
  assert.equal(other.maxAbsDiff, Infinity);
  assert.deepEqual(Array.from(other.diff), [Infinity, Infinity, 0, 0.5]);
  // Equal outputs from different groups are a coincidence of this input.
  const coincidence = lab.compare(r([0, 0, 0, 0]), { ...r([0, 0, 0, 0]), groups: Int32Array.from([0, 1, 0, 1]) }, sA, sB, shape);
  assert.ok(keysOf(coincidence).includes('cmp.coincidence'));
});

// ---------- links ----------

test('encodeState / decodeState round-trip', () => {
  const state = {
    shape: [2, 3, 5, 6], seed: 42, values: 'uniform', text: '',
    layers: lab.parseLayers('layer_norm:5x6:eps=1e-3,instance_norm:affine:rand=3,group_norm:3'),
    code: '', lang: 'zh',
  };
  const search = lab.encodeState(state);
  assert.equal(search, '?shape=2x3x5x6&seed=42&values=uniform&layers=layer_norm:5x6:eps=1e-3,instance_norm:affine=1:rand=3,group_norm:3&lang=zh');
  const { state: back, warnings } = lab.decodeState(search);
  assert.deepEqual(warnings, []);
  assert.deepEqual(back, state);

  const custom = { ...lab.defaultState(), values: 'custom', text: '[[1, 2.5], [NaN, -3e-2]]', shape: [2, 2] };
  const url = 'https://example.org/web/' + lab.encodeState(custom);
  const decoded = lab.decodeState(url);
  assert.deepEqual(decoded.warnings, []);
  assert.deepEqual(decoded.state, custom);
  assert.ok(!lab.encodeState(custom).includes(' '));
});

test('decodeState is tolerant: defaults and warnings, never a throw', () => {
  const d = lab.defaultState();
  assert.deepEqual(lab.decodeState(''), { state: d, warnings: [] });
  const { state, warnings } = lab.decodeState('?shape=2,x&seed=-1&values=zeros&layers=layer_norm,dropout:3&lang=fr&utm=1');
  assert.deepEqual(state.shape, d.shape);
  assert.equal(state.seed, d.seed);
  assert.equal(state.values, 'random');
  // The bad layer keeps its place, as written (tests/links.test.js).
  assert.equal(state.layers[0].kind, 'layer_norm');
  assert.equal(state.layers[1].text, 'dropout:3');
  assert.equal(state.layers[1].error.key, 'err.layer.kind');
  assert.equal(state.lang, null);
  assert.deepEqual(warnings.map((w) => w.key), ['warn.shape', 'warn.seed', 'warn.values', 'warn.layer', 'warn.lang']);
  assert.equal(warnings[0].params.error, 'err.shape.empty_entry');
  assert.equal(warnings[3].params.error, 'err.layer.kind');

  const bad = lab.decodeState('?values=custom&data=1%202%20x');
  assert.equal(bad.state.values, 'random');
  assert.deepEqual(bad.warnings.map((w) => w.key), ['warn.data']);
  const many = lab.decodeState('?layers=ln,ln,ln,ln,ln,ln');
  assert.equal(many.state.layers.length, lab.MAX_LAYERS);
  assert.deepEqual(many.warnings.map((w) => w.key), ['warn.layers_extra']);
  for (const junk of ['?%', '?layers=%E0%A4%A', '?shape=' + '9'.repeat(400), '???', '?layers=[[[', '?layers=,,,']) {
    assert.ok(lab.decodeState(junk).state.layers.length >= 2, junk);
  }
});

test('random text: parsers throw only LabErrors, decodeState never throws', () => {
  const next = random(12345).int;
  const alphabet = '0123456789x,:;=[]()&?%+-. eEnaNIfzlyr_mdtk\n"<>';
  const junk = () => Array.from({ length: next(30) }, () => alphabet[next(alphabet.length)]).join('');
  const words = ['layer_norm', 'instance_norm', 'group_norm', 'shape=', 'layers=', 'values=custom', 'data=', 'eps=', 'dim=', '&'];
  for (let k = 0; k < 2000; k++) {
    const text = junk() + (k % 2 ? words[next(words.length)] + junk() : '');
    for (const fn of [() => lab.parseShape(text), () => lab.parseValues(text, [2, 2]), () => lab.parseLayers(text)]) {
      try { fn(); } catch (e) { assert.ok(lab.isLabError(e), `${JSON.stringify(text)}: ${e}`); }
    }
    const { state } = lab.decodeState('?' + text);
    assert.ok(state.layers.length >= lab.MIN_LAYERS && state.layers.length <= lab.MAX_LAYERS);
    assert.ok(state.shape.length >= 1 && state.shape.reduce((a, b) => a * b, 1) <= lab.MAX_ELEMENTS);
  }
});

// ---------- text ----------

test('every LabError key and reason key has a message', async () => {
  const nl = await loadNormlab();
  const shape = [2, 3, 4];
  const x = sample(24, 1);
  const all = ['layer_norm', 'instance_norm:affine:rand=1', 'group_norm:3', 'rms_norm', 'batch_norm:eval'];
  for (const p of all) {
    for (const q of all) {
      const cmp = lab.compare(lab.runLayer(nl, spec(p), { data: x, shape }), lab.runLayer(nl, spec(q), { data: x, shape }), spec(p), spec(q), shape);
      for (const r of cmp.reasons) {
        assert.ok(Object.hasOwn(lab.messages.en, r.key), r.key);
        assert.ok(!lab.t('en', r.key, r.params).includes('{'), r.key);
      }
    }
  }
});

test('t fills placeholders and falls back; detectLang', () => {
  assert.equal(lab.t('en', 'cmp.different', { maxAbsDiff: 1.2844 }), 'Different: the largest difference is 1.28.');
  assert.equal(lab.t('zh', 'cmp.identical', { maxAbsDiff: 3.5762786865234375e-7 }), '一致：最大差值为 3.58e-07。');
  assert.equal(lab.t('fr', 'btn.copy_link'), 'Copy link');
  assert.equal(lab.t('en', 'no.such.key'), 'no.such.key');
  assert.equal(lab.detectLang(['zh-CN', 'en']), 'zh');
  assert.equal(lab.detectLang(['fr-FR', 'zh-TW']), 'zh');
  assert.equal(lab.detectLang(['en-GB', 'zh']), 'en');
  assert.equal(lab.detectLang([]), 'en');
  assert.equal(lab.detectLang(undefined), 'en');
  assert.equal(lab.detectLang('zh-Hans'), 'zh');
});
