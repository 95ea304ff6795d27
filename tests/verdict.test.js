// What the verdict and the feature table claim: the A-B difference beside
// float32 rounding (each output's largest error against a float64
// computation of the same layer), an exact 0 said as exact, and every layer's
// parameters as torch has them (tests/fixtures/pytorch.json `defaults`: fresh
// torch 1.13 modules; RMSNorm as torch 2.4 defines it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab } from '../src/normlab.js';
import * as lab from '../web/lab/index.js';
import { runExperiment } from '../web/viz/experiment.js';
import { paramsText, reducedText } from '../web/viz/tables.js';
import { headlineText } from '../web/viz/verdict.js';
import { loadFixtures, numbers, specOfModule } from './helpers.js';

const nl = await loadNormlab();

/** Run a link's experiment (shape, values, seed, layers) as the page does. */
function runLink(search) {
  const { state, warnings } = lab.decodeState(search);
  assert.deepEqual(warnings, [], search);
  const x = lab.makeValues(state.values, state.shape, state.seed);
  return runExperiment(nl, state.shape, x, state.layers);
}

const keys = (cmp) => cmp.reasons.map((r) => r.key);
const headline = (cmp, lang = 'en') => headlineText(cmp, lang);

// The page's presets in link form (web/app.js PRESETS), and the source
// document's two lines on its x = torch.rand(2, 3, 4) with the fix of the first.
const PRESETS = [
  '?shape=2x3x4&values=random&layers=layer_norm,instance_norm',
  '?shape=1x2x3x4&values=random&layers=layer_norm,instance_norm',
  '?shape=1x2x3x4&values=random&layers=layer_norm:3x4,instance_norm',
  '?shape=2x3x4&values=uniform&layers=layer_norm:3x4,instance_norm:dim=2',
  '?shape=2x3x4&values=uniform&layers=layer_norm:4,instance_norm',
  '?shape=2x3x4&values=random&layers=layer_norm:rand=1,instance_norm:affine=1:rand=2',
  '?shape=2x4x3&values=random&layers=group_norm:4,instance_norm,group_norm:2',
  '?shape=4x3x5&values=random&layers=batch_norm,batch_norm:eval,rms_norm',
  '?shape=2x3x4x5&values=random&layers=instance_norm:track=1,instance_norm:track=1:eval,batch_norm:momentum=none',
];

test('error64: every layer of every preset is within float32 rounding of a float64 computation of itself', () => {
  for (const search of PRESETS) {
    const exp = runLink(search);
    for (const l of exp.ok) {
      // float32 rounding of O(1) outputs: a few ulps of 1 (2^-23 = 1.2e-7)
      assert.ok(l.error64 > 0 && l.error64 < 1e-6, `${search} ${l.label} = ${l.code}: error64 ${l.error64}`);
      assert.equal(l.ref64.length, exp.input.length);
    }
    for (const p of exp.pairs) {
      assert.deepEqual(p.cmp.error64, [p.a.error64, p.b.error64], search);
    }
  }
});

test('error64 measures the float32 output against float64: a wrong output shows up in it', () => {
  const exp = runLink(PRESETS[0]);
  const l = exp.ok[0];
  // An independent check of the float64 output: LayerNorm over L of row 0.
  const row = Array.from(exp.input.slice(0, 4));
  const mean = row.reduce((a, b) => a + b) / 4;
  const v = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
  row.forEach((x, i) => assert.ok(Math.abs(l.ref64[i] - (x - mean) / Math.sqrt(v + 1e-5)) < 1e-12));
  const bad = Float32Array.from(l.result.data);
  bad[3] += 1e-3;
  assert.ok(lab.compare({ ...l.result, data: bad }, l.result, l.spec, l.spec, exp.shape, ['A', 'B'], { ref64: [l.ref64, l.ref64] })
    .error64[0] > 9e-4);
});

test('verdict: an exact 0 is said to be exact, with the rounding scale beside it', () => {
  const exp = runLink(PRESETS[0]); // LayerNorm over L vs InstanceNorm1d: the same float32 arithmetic
  const { cmp } = exp.pairs[0];
  assert.equal(cmp.maxAbsDiff, 0);
  assert.deepEqual(keys(cmp).slice(0, 3), ['cmp.identical', 'cmp.exact', 'cmp.rounding_scale']);
  const en = headline(cmp);
  assert.match(en, /^Identical: the largest difference is 0\. The outputs are exactly equal, bit for bit\. /);
  assert.match(en, /each output is within \d\.\d+e-0[78] of a float64 computation of the same layer/);
  assert.doesNotMatch(en, /rounding noise/);
  assert.match(headline(cmp, 'zh'), /^一致：最大差值为 0。两个输出完全相等，逐位相同。作为参照/);
});

test('verdict: a small non-zero difference is set beside the float64 error that explains it', () => {
  // normlab's equivalent layers are bit-identical (one kernel per statistic),
  // so a non-zero difference within rounding needs two slightly different
  // layers: eps 1e-5 vs 1.0001e-5 moves rstd by 5e-6 relative of eps/var,
  // less than float32 resolves.
  const exp = runLink('?shape=2x3x4&values=uniform&layers=layer_norm,layer_norm:eps=1.0001e-5');
  const { cmp } = exp.pairs[0];
  assert.ok(cmp.maxAbsDiff > 0, 'the float32 outputs differ');
  assert.equal(cmp.identical, true);
  const error64 = Math.max(...cmp.error64);
  assert.ok(cmp.diff64 > 0 && cmp.diff64 <= error64, `in float64 they differ by less than float32 rounding: ${cmp.diff64}`);
  assert.ok(cmp.maxAbsDiff <= cmp.error64[0] + cmp.error64[1] + cmp.diff64);
  assert.deepEqual(keys(cmp).slice(0, 2), ['cmp.identical', 'cmp.rounding']);
  assert.equal(headline(cmp), `Identical: the largest difference is ${lab.formatNumber(cmp.maxAbsDiff, 3)}. `
    + `That is within float32 rounding: each output is within ${lab.formatNumber(error64, 3)} of a float64 computation of the same layer.`);
  assert.match(headline(cmp), /^Identical: the largest difference is 2\.38e-07\. That is within float32 rounding: each output is within 1\.5e-07 of/);
  assert.ok(!keys(cmp).includes('cmp.exact'));
});

test('verdict: below the tolerance but more than rounding says the layers differ in float64', () => {
  // eps 1e-5 vs 1.2e-5: rstd changes by about 1e-6 relative, well above float32 rounding.
  const exp = runLink('?shape=2x3x8&values=random&layers=layer_norm,layer_norm:eps=1.2e-5');
  const { cmp } = exp.pairs[0];
  assert.equal(cmp.identical, true, `max ${cmp.maxAbsDiff}`);
  assert.ok(cmp.diff64 > Math.max(...cmp.error64));
  assert.equal(keys(cmp)[1], 'cmp.below_tolerance');
  assert.match(headline(cmp), /below the page’s tolerance of 1e-05 but more than float32 rounding .* still differ by \d/);
});

test('verdict: a real difference shows the rounding scale, far below it', () => {
  const exp = runLink(PRESETS[1]); // LayerNorm(W) vs InstanceNorm2d
  const { cmp } = exp.pairs[0];
  assert.equal(cmp.identical, false);
  assert.deepEqual(keys(cmp).slice(0, 2), ['cmp.different', 'cmp.rounding_scale']);
  assert.ok(cmp.maxAbsDiff > 1e5 * Math.max(...cmp.error64));
});

test('compare without float64 outputs still says when 0 is exact, and claims no rounding scale', () => {
  const exp = runLink(PRESETS[0]);
  const [a, b] = exp.ok;
  const cmp = lab.compare(a.result, b.result, a.spec, b.spec, exp.shape);
  assert.deepEqual(keys(cmp).slice(0, 2), ['cmp.identical', 'cmp.exact']);
  assert.equal(cmp.error64, null);
  assert.ok(!keys(cmp).some((k) => k.startsWith('cmp.rounding')));
});

// ---------- parameters, against torch ----------

// A fixture module's spec, and an input it fits.
function specOf(rec) {
  const spec = specOfModule(rec);
  const d = Number(rec.cls.match(/(\d)d$/)?.[1] ?? 0);
  if (spec.kind === 'layer_norm' || spec.kind === 'rms_norm') return [spec, [2, ...spec.params.normalizedShape]];
  if (spec.kind === 'group_norm') return [spec, [2, rec.args[1], 3]];
  return [spec, [2, rec.args[0], ...Array(d).fill(3)]];
}

test('every layer\'s weight and bias as torch builds them (RMSNorm: a weight only)', () => {
  const { defaults } = loadFixtures();
  assert.ok(defaults.length >= 15);
  for (const rec of defaults) {
    const [spec, shape] = specOf(rec);
    const info = lab.describe(spec, shape);
    const torchHas = ['weight', 'bias'].filter((k) => rec.attrs[k] !== undefined && rec.attrs[k] !== null);
    const label = `${rec.cls}(${JSON.stringify(rec.args)}, ${JSON.stringify(rec.options)})`;
    assert.deepEqual(info.paramNames, torchHas, label);
    if (torchHas.length === 0) {
      assert.equal(info.paramShape, null, label);
      continue;
    }
    const size = info.paramShape.reduce((a, b) => a * b, 1);
    for (const k of torchHas) assert.equal(rec.attrs[k].length, size, `${label}: ${k} size`);
    assert.deepEqual(numbers(rec.attrs.weight), Array(size).fill(1), `${label}: weight starts at ones`);
    if (rec.attrs.bias) assert.deepEqual(numbers(rec.attrs.bias), Array(size).fill(0), `${label}: bias starts at zeros`);
    // LayerNorm and RMSNorm: normalized_shape; the others: (C,).
    const want = rec.cls.endsWith('Norm') && !rec.cls.startsWith('Group') ? [rec.args[0]].flat() : [shape[1]];
    assert.deepEqual(info.paramShape, want, label);

    // What the page says: the verdict's reason and the feature table's cell.
    const base = { layer: 'A', module: info.module };
    const exp = runExperiment(nl, shape, lab.makeValues('random', shape, 1), [spec, spec]);
    const reason = exp.pairs[0].cmp.reasons.find((r) => r.key.startsWith('cmp.params') && r.params.layer === 'A');
    const said = lab.t('en', reason.key, reason.params);
    const cell = paramsText(exp.ok[0], 'en');
    if (torchHas.includes('bias')) {
      assert.equal(said, lab.t('en', 'cmp.params', { ...base, shape: `[${want.join(', ')}]` }));
      assert.match(cell, /^weight and bias, each \[/);
    } else {
      assert.match(said, /has a weight of shape \[[\d, ]+\] and no bias\.$/, label);
      assert.match(cell, /^weight \[[\d, ]+\], no bias: /, label);
      assert.match(lab.t('zh', reason.key, reason.params), /没有偏置/);
    }
  }
});

test('RMSNorm against a layer without parameters: "only A has a weight", not "a weight and bias"', () => {
  const exp = runLink('?shape=2x3x4&values=random&layers=rms_norm,instance_norm');
  const r = exp.pairs[0].cmp.reasons.find((x) => x.key.startsWith('cmp.param_only_one'));
  assert.equal(lab.t('en', r.key, r.params), 'Only A has a weight: as soon as it is not 1, its output changes and the other’s does not.');
  for (const reason of exp.pairs[0].cmp.reasons) {
    const text = lab.t('en', reason.key, reason.params);
    if (/bias/.test(text) && reason.params.layer === 'A') assert.match(text, /no bias/, text);
  }
});

// ---------- eval with running statistics ----------

test('BatchNorm in eval: no group statistics claimed, "Normalized over" says running statistics', () => {
  const exp = runLink('?shape=4x3x5&values=random&layers=batch_norm:eval,layer_norm');
  const [bn, ln] = exp.ok;
  const k = keys(exp.pairs[0].cmp);
  assert.ok(k.includes('cmp.running_stats') && k.includes('cmp.running_fresh'));
  for (const bad of ['cmp.same_groups', 'cmp.different_groups', 'cmp.coincidence', 'cmp.only_because_size1']) {
    assert.ok(!k.includes(bad), `${bad}: eval BatchNorm computes no mean or variance over groups`);
  }
  assert.equal(reducedText(bn, 'en'), 'nothing in this input: each channel uses its running statistics');
  assert.equal(reducedText(ln, 'en'), 'L (dim=2)');
  assert.equal(bn.info.layoutKey, 'layout.running_eval');
  assert.equal(bn.running.mode, 'use');
  // torch's fresh buffers are what eval uses: y = x / sqrt(1 + eps)
  assert.deepEqual(Array.from(bn.running.mean), [0, 0, 0]);
  assert.deepEqual(Array.from(bn.running.var), [1, 1, 1]);
  assert.ok(bn.error64 < 1e-6);
  bn.ref64.forEach((y, i) => assert.ok(Math.abs(y - exp.input[i] / Math.sqrt(1 + 1e-5)) < 1e-15));
  assert.match(lab.t('en', 'cmp.running_stats', exp.pairs[0].cmp.reasons.find((r) => r.key === 'cmp.running_stats').params), /each of the 3 channels/);
});

test('LayerNorm([3, 4]) on (2, 3, 4): the feature table names the two last dims', () => {
  const exp = runLink(PRESETS[3]);
  assert.equal(reducedText(exp.ok[0], 'en'), 'C, L (dim=(1, 2))');
  assert.equal(exp.ok[0].info.groupSize, 12);
  assert.equal(reducedText(exp.ok[0], 'zh'), 'C, L（dim=(1, 2)）');
});

test('parameter axes are compared by position: an unbatched InstanceNorm\'s C is dim 0, GroupNorm\'s dim 1', () => {
  const exp = runLink('?shape=3x10&values=random&layers=instance_norm:affine=1,group_norm:1');
  const r = exp.pairs[0].cmp.reasons.find((x) => x.key.startsWith('cmp.param_axes_differ'));
  assert.ok(r, 'both have (C,) parameters by name, on different axes');
  assert.equal(lab.t('en', r.key, r.params), 'A’s parameters are per C (dim=0), B’s per C (dim=1): they scale along different axes of the tensor, so in general the outputs differ.');
  // The source document's pair with affine: LayerNorm's C, L are dims 1, 2,
  // InstanceNorm2d's unbatched C is dim 0.
  const doc = runLink('?shape=2x3x4&values=uniform&layers=layer_norm:3x4,instance_norm:dim=2:affine=1');
  const d = doc.pairs[0].cmp.reasons.find((x) => x.key.startsWith('cmp.param_axes_differ'));
  assert.match(lab.t('en', d.key, d.params), /^A’s parameters are per C, L \(dim=\(1, 2\)\), B’s per C \(dim=0\):/);
  // Names alone are clear when they do not clash: no dims.
  const plain = runLink('?shape=2x3x4&values=random&layers=layer_norm,instance_norm:affine=1');
  assert.deepEqual(plain.pairs[0].cmp.reasons.find((x) => x.key.startsWith('cmp.param_axes_differ')).key, 'cmp.param_axes_differ');
});

test('a zero-size tensor: the verdict says the outputs are empty, not "exactly equal"', () => {
  const exp = runLink('?shape=2x0x3&values=random&layers=layer_norm,instance_norm');
  const { cmp } = exp.pairs[0];
  assert.deepEqual(keys(cmp).slice(0, 2), ['cmp.identical', 'cmp.empty']);
  assert.ok(!keys(cmp).includes('cmp.exact'));
  assert.match(headline(cmp), /no elements, so the outputs are empty/);
  assert.deepEqual(exp.ok.map((l) => l.error64), [0, 0]);
});

test('NaN and Infinity: what happens to each layer\'s outputs is what its kernel does (torch\'s formulas)', () => {
  const shape = [2, 2, 3];
  const x = Float32Array.from([1, 2, Infinity, 4, 5, 6, 7, NaN, 9, 1, 2, 3]);
  const exp = runExperiment(nl, shape, x, lab.parseLayers('layer_norm,rms_norm,batch_norm:eval'));
  const [ln, rms, bn] = exp.ok;
  // LayerNorm: rows 0 and 2 (with inf, NaN) all NaN; RMSNorm: NaN only at the inf, 0 beside it; eval BatchNorm: in place.
  assert.deepEqual(Array.from(ln.result.data.slice(0, 3)).map(Number.isNaN), [true, true, true]);
  assert.deepEqual(Array.from(rms.result.data.slice(0, 3)), [0, 0, NaN]);
  assert.deepEqual(Array.from(bn.result.data.slice(0, 3)).map((v) => Number.isFinite(v)), [true, true, false]);
  assert.equal(bn.result.data[2], Infinity);
  assert.ok(Number.isNaN(bn.result.data[7]) && Number.isFinite(bn.result.data[6]));
  const [ab, ac] = exp.pairs.map((p) => keys(p.cmp));
  assert.ok(ab.includes('cmp.nonfinite') && ab.includes('cmp.nonfinite_rms'), ab.join());
  assert.ok(ac.includes('cmp.nonfinite') && ac.includes('cmp.nonfinite_running'), ac.join());
  const only = runExperiment(nl, shape, x, lab.parseLayers('rms_norm,batch_norm:eval'));
  assert.ok(!keys(only.pairs[0].cmp).includes('cmp.nonfinite'), 'no layer here subtracts a mean');
  // Same NaN on both sides counts as equal: float64 errors stay finite.
  assert.ok(exp.ok.every((l) => l.error64 < 1e-6), exp.ok.map((l) => l.error64).join());
});

test('LayerNorm vs RMSNorm: the group reason claims no mean and variance (RMSNorm has neither)', () => {
  const exp = runLink('?shape=2x3x4&values=random&layers=layer_norm,rms_norm');
  const texts = exp.pairs[0].cmp.reasons.map((r) => lab.t('en', r.key, r.params));
  assert.ok(texts.includes('Both layers normalize the same groups of elements together, each group with one set of statistics computed from this input.'));
  assert.ok(!texts.some((x) => /mean and variance/.test(x)), texts.join('\n'));
});
