// The downloads (web/lab/export.js): JSON and CSV of the whole experiment,
// every layer's output and, for 3 or 4 layers, every pair the page compares.
// Expected text is written by hand; the diffs are checked against |A - X|
// computed here from the outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab } from '../src/core.js';
import * as lab from '../web/lab/index.js';
import { torchError } from '../web/lab/errors.js';
import { runExperiment } from '../web/viz/experiment.js';

// An experiment as runExperiment returns it, by hand: B refused the input, so
// the page compares A with C (and the letters stay).
function smallExperiment() {
  const [a, b, c] = lab.parseLayers('layer_norm,group_norm:3,instance_norm:eps=0.1');
  const A = { label: 'A', spec: a, code: 'nn.LayerNorm([2])', result: { data: Float32Array.from([1, -1, 0.5, 2]) } };
  const B = { label: 'B', spec: b, error: torchError('err.layer.gn_groups', { groups: 3, channels: 2 }, 'ValueError', 'num_channels must be divisible by num_groups') };
  const C = { label: 'C', spec: c, code: 'nn.InstanceNorm1d(2, eps=0.1)', result: { data: Float32Array.from([1, -1, 0.25, 3]) } };
  return {
    shape: [2, 2],
    input: Float32Array.from([1, 0.1, NaN, -Infinity]),
    layers: [A, B, C],
    ok: [A, C],
    pairs: [{ a: A, b: C, cmp: { identical: false, maxAbsDiff: 1, diff: Float32Array.from([0, 0, 0.25, 1]) } }],
  };
}

test('toCSV: one row per element with its index tuple, a diff column per pair with its letters', () => {
  const csv = lab.toCSV(smallExperiment());
  assert.equal(csv, [
    'index,i0,i1,input,A layer_norm,C instance_norm:eps=0.1,diff_A_C',
    '0,0,0,1,1,1,0',
    '1,0,1,0.1,-1,-1,0',
    '2,1,0,NaN,0.5,0.25,0.25',
    '3,1,1,-Infinity,2,3,1',
    '',
  ].join('\r\n'));
});

test('toJSON: shape, input, every layer (its code and output, or why it refused), every pair', () => {
  const doc = JSON.parse(lab.toJSON(smallExperiment()));
  assert.deepEqual(doc, {
    shape: [2, 2],
    input: [1, 0.1, 'NaN', '-Infinity'],
    layers: [
      { label: 'A', text: 'layer_norm', pytorch: 'nn.LayerNorm([2])', output: [1, -1, 0.5, 2] },
      { label: 'B', text: 'group_norm:3', error: 'num_channels must be divisible by num_groups: 2 channels cannot be split into 3 groups.', torch: 'ValueError: num_channels must be divisible by num_groups' },
      { label: 'C', text: 'instance_norm:eps=0.1', pytorch: 'nn.InstanceNorm1d(2, eps=0.1)', output: [1, -1, 0.25, 3] },
    ],
    identical: false,
    pairs: [{ a: 'A', b: 'C', identical: false, maxAbsDiff: 1, diff: [0, 0, 0.25, 1] }],
  });
});

test('four layers: JSON and CSV hold A against B, C and D, each diff |A - X| per element', async () => {
  const nl = await loadNormlab();
  const shape = [2, 3, 4];
  const input = lab.makeValues('random', shape, 5);
  const exp = runExperiment(nl, shape, input, lab.parseLayers('layer_norm,instance_norm,layer_norm:3x4,group_norm:3'));
  const doc = JSON.parse(lab.toJSON(exp));
  assert.deepEqual(doc.pairs.map((p) => [p.a, p.b]), [['A', 'B'], ['A', 'C'], ['A', 'D']]);
  const out = Object.fromEntries(doc.layers.map((l) => [l.label, l.output]));
  for (const p of doc.pairs) {
    const expected = out.A.map((v, i) => Math.abs(Math.fround(v - out[p.b][i])));
    p.diff.forEach((d, i) => assert.ok(Math.abs(d - expected[i]) <= 1e-6, `${p.b}[${i}]: ${d} vs ${expected[i]}`));
    assert.equal(p.maxAbsDiff, Math.max(...p.diff));
  }
  // LayerNorm([4]) and InstanceNorm1d(3) on (2, 3, 4) normalize the same rows; GroupNorm(3) is InstanceNorm here
  assert.deepEqual(doc.pairs.map((p) => p.identical), [true, false, true]);
  assert.equal(doc.identical, false);

  const rows = lab.toCSV(exp).trim().split('\r\n').map((r) => r.split(','));
  assert.deepEqual(rows[0].slice(-3), ['diff_A_B', 'diff_A_C', 'diff_A_D']);
  assert.equal(rows.length, 1 + 24);
  rows.slice(1).forEach((r, i) => doc.pairs.forEach((p, k) => assert.equal(Number(r[r.length - 3 + k]), p.diff[i])));
});

test('two layers: one pair, as before; a single layer that ran: no pairs, no diff column', async () => {
  const nl = await loadNormlab();
  const input = lab.makeValues('ramp', [2, 3], 1);
  const two = runExperiment(nl, [2, 3], input, lab.parseLayers('layer_norm,batch_norm'));
  assert.equal(JSON.parse(lab.toJSON(two)).pairs.length, 1);
  const one = runExperiment(nl, [2, 3], input, lab.parseLayers('layer_norm,group_norm:2'));
  const doc = JSON.parse(lab.toJSON(one));
  assert.equal(doc.pairs, undefined);
  assert.equal(doc.layers[1].label, 'B');
  assert.match(doc.layers[1].error, /num_groups/);
  assert.equal(lab.toCSV(one).split('\r\n')[0], 'index,i0,i1,input,A layer_norm');
});

test('a layer the link got wrong is exported as it was written, with its error', async () => {
  const nl = await loadNormlab();
  const { state } = lab.decodeState('?shape=2x3&values=ramp&layers=foo:3,layer_norm,batch_norm');
  const exp = runExperiment(nl, state.shape, lab.makeValues('ramp', state.shape, 1), state.layers);
  const doc = JSON.parse(lab.toJSON(exp));
  assert.deepEqual(doc.layers.map((l) => [l.label, l.text, 'output' in l, typeof l.error]),
    [['A', 'foo:3', false, 'string'], ['B', 'layer_norm', true, 'undefined'], ['C', 'batch_norm', true, 'undefined']]);
  assert.deepEqual(doc.pairs.map((p) => [p.a, p.b]), [['B', 'C']]);
  assert.equal(lab.toCSV(exp).split('\r\n')[0], 'index,i0,i1,input,B layer_norm,C batch_norm,diff_B_C');
});
