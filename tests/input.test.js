// What the shape, values and seed fields take (web/lab/parse.js, rng.js), what
// they say when they refuse, and the page's torch-style tensor print
// (web/viz/tensor-text.js). PyTorch's and NumPy's prints come from
// tests/fixtures/make_tensor_prints.py (torch 1.13); zero-size behaviour from
// docs/pytorch-semantics.md §6 ("Zero-size dims").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadNormlab } from '../src/normlab.js';
import * as lab from '../web/lab/index.js';
import { clipText, formatShapeTorch } from '../web/lab/parse.js';
import { MAX_SEED, parseSeed } from '../web/lab/rng.js';
import { STRINGS } from '../web/lab/strings.js';
import { tensorText } from '../web/viz/tensor-text.js';

const FIXTURES = JSON.parse(readFileSync(new URL('./fixtures/tensor-prints.json', import.meta.url), 'utf8'));
const num = (v) => (typeof v === 'string' ? Number(v) : v); // "NaN", "Infinity", "-Infinity"
const HAN = /\p{Script=Han}/u;

/** fn's LabError, checked: the key, and a whole message in both languages. */
function refusal(fn, key) {
  let err = null;
  try { fn(); } catch (e) { err = e; }
  assert.ok(err && lab.isLabError(err), `expected a LabError ${key}, got ${err}`);
  assert.equal(err.key, key, err.message);
  const en = lab.t('en', err.key, err.params);
  const zh = lab.t('zh', err.key, err.params);
  for (const text of [en, zh]) assert.doesNotMatch(text, /\{\w+\}/, `${key}: unfilled placeholder in ${text}`);
  assert.match(zh, HAN, `${key}: the Chinese message is not Chinese: ${zh}`);
  return { err, en, zh };
}

// ---------- shapes ----------

test('formatShapeTorch writes shapes as PyTorch does in its messages', () => {
  assert.equal(formatShapeTorch([2, 3, 4]), '[2, 3, 4]');
  assert.equal(formatShapeTorch([7]), '[7]');
  assert.equal(formatShapeTorch([2, 0, 3]), '[2, 0, 3]');
  assert.equal(formatShapeTorch([]), '[]');
});

test('parseShape: a trailing comma is a 1-tuple, as in Python; torch.Size prints are shapes', () => {
  assert.deepEqual(lab.parseShape('4,'), [4]);
  assert.deepEqual(lab.parseShape('(4,)'), [4]);
  assert.deepEqual(lab.parseShape('[2, 3,]'), [2, 3]);
  assert.deepEqual(lab.parseShape('torch.Size([2, 3, 4])'), [2, 3, 4]);
  const { en, zh } = refusal(() => lab.parseShape('2,,3'), 'err.shape.empty_entry');
  assert.match(en, /“2,,3”/);
  assert.match(en, /2, 3, 4/);
  assert.match(zh, /“2,,3”/);
  refusal(() => lab.parseShape('4,,'), 'err.shape.empty_entry');
});

test('parseShape: code in the shape field is named as code, with what the field takes and where code goes', () => {
  for (const text of ['x.size()[1:]', 'x.shape[-1]', 'x.shape[-2:]', 'len(x)', '[1:]', 'C']) {
    const { en, zh } = refusal(() => lab.parseShape(text), 'err.shape.code');
    assert.ok(en.includes(`“${text}”`), en);
    assert.match(en, /3,4/);
    assert.match(en, /code box/);
    assert.match(zh, /代码框/);
  }
});

test('parseShape: a bad size says what it found and what a size is', () => {
  for (const text of ['2,-3', '2.5', '1e6']) {
    const { en } = refusal(() => lab.parseShape(text), 'err.shape.dim');
    assert.match(en, /whole number, 0 or more/);
    assert.ok(en.includes(text.split(',').at(-1)), en);
  }
  const { en } = refusal(() => lab.parseShape('2;3'), 'err.shape.token');
  assert.match(en, /“2;3”/);
  assert.match(en, /2, 3, 4/);
  refusal(() => lab.parseShape(''), 'err.shape.empty');
  refusal(() => lab.parseShape('1,1,1,1,1,1'), 'err.shape.rank');
});

test('parseShape: the element limit, with the shape as [a, b] and counts written out in full', () => {
  assert.equal(lab.MAX_ELEMENTS, 4096);
  assert.deepEqual(lab.parseShape('64,64'), [64, 64]);
  let r = refusal(() => lab.parseShape('64,65'), 'err.shape.too_big');
  assert.equal(r.en, 'Shape [64, 65] has 4160 elements; the page computes at most 4096.');
  r = refusal(() => lab.parseShape('1000x1000'), 'err.shape.too_big');
  for (const text of [r.en, r.zh]) {
    assert.ok(text.includes('1000000') && text.includes('[1000, 1000]'), text);
    assert.doesNotMatch(text, /1e6|1e\+6|2x3|\dx\d/);
  }
  // Sizes beyond float64's integers are counted exactly.
  r = refusal(() => lab.parseShape('99999999999999999999,2'), 'err.shape.too_big');
  assert.ok(r.en.includes('199999999999999999998'), r.en);
});

test('the shape hint can show the compute limit, in both languages', () => {
  for (const lang of ['en', 'zh']) {
    assert.match(STRINGS['page.shape_hint'][lang], /\{max\}/);
    assert.ok(lab.t(lang, 'page.shape_hint', { max: lab.MAX_ELEMENTS }).includes('4096'));
  }
});

// ---------- zero-size tensors ----------

test('parseShape takes zero-size shapes; their other sizes are still bounded', () => {
  for (const [text, shape] of [['2x0x3', [2, 0, 3]], ['0', [0]], ['0,5', [0, 5]], ['2,3,0,4', [2, 3, 0, 4]], ['0,4096', [0, 4096]]]) {
    assert.deepEqual(lab.parseShape(text), shape, text);
  }
  const { en } = refusal(() => lab.parseShape('0,4096,4096'), 'err.shape.too_big_empty');
  assert.ok(en.includes('[0, 4096, 4096]') && en.includes('16777216'), en);
});

test('zero-size tensors run through the layers and give empty outputs, as in PyTorch 1.13', async () => {
  const nl = await loadNormlab();
  // docs/pytorch-semantics.md §6, "Zero-size dims": every op returns an empty tensor of the input's shape.
  const cases = [
    ['layer_norm', '0,5'], ['layer_norm', '2,0,4'], ['instance_norm', '0,3,5'], ['instance_norm', '2,3,0'],
    ['instance_norm', '2,3,0,4'], ['group_norm', '0,3,5'], ['group_norm', '2,3,0'],
    ['batch_norm', '0,3'], ['batch_norm:eval', '0,3'], ['batch_norm', '2,3,0'],
  ];
  for (const [layer, text] of cases) {
    const shape = lab.parseShape(text);
    const data = lab.makeValues('random', shape, 1);
    assert.equal(data.length, 0);
    const r = lab.runLayer(nl, lab.parseLayers(layer)[0], { data, shape });
    assert.equal(r.data.length, 0, `${layer} on ${text}`);
    assert.deepEqual(r.shape, shape, `${layer} on ${text}`);
  }
});

// ---------- values ----------

test('parseValues reads PyTorch and NumPy prints, tuples and lists (torch 1.13 fixtures)', () => {
  assert.ok(FIXTURES.pastes.length >= 15);
  for (const p of FIXTURES.pastes) {
    const r = lab.parseValues(p.text, [1]);
    assert.deepEqual(r.shape, p.shape, p.name);
    assert.deepEqual(Array.from(r.data), p.data.map((v) => Math.fround(num(v))), p.name);
  }
});

test('parseValues: a print brings its own shape, even 1-D; a bare flat list takes the given shape', () => {
  assert.deepEqual(lab.parseValues('tensor([1., 2., 3., 4.])', [2, 2]).shape, [4]);
  assert.deepEqual(lab.parseValues('[1, 2, 3, 4]', [2, 2]).shape, [2, 2]);
  assert.deepEqual(lab.parseValues('(1, 2, 3, 4)', [2, 2]).shape, [2, 2]);
  assert.deepEqual(lab.parseValues('torch.tensor([[1, 2], [3, 4]])', [4]).shape, [2, 2]);
  assert.deepEqual(lab.parseValues("tensor([1., 2.], device='cuda:0')", [2]).shape, [2]);
});

test('parseValues refuses other text, saying what it found and what it takes', () => {
  const summarized = FIXTURES.prints.find((p) => p.name === 'summarized 3-D').text;
  let r = refusal(() => lab.parseValues(summarized, [1]), 'err.values.summarized');
  assert.match(r.en, /set_printoptions/);
  r = refusal(() => lab.parseValues('torch.Size([2, 3])', [1]), 'err.values.size');
  assert.match(r.en, /shape field/);
  for (const text of ['x = torch.rand(2, 3, 4)', 'import torch', 'torch.rand(2, 3)', 'nn.LayerNorm(4)']) {
    r = refusal(() => lab.parseValues(text, [1]), 'err.values.code');
    assert.match(r.en, /code box/);
  }
  r = refusal(() => lab.parseValues('foo([1, 2])', [2]), 'err.values.call');
  assert.match(r.en, /“foo\(…\)”/);
  assert.match(r.en, /tensor\(\[\[\.\.\.\]\]\)/);
  r = refusal(() => lab.parseValues('tensor([1., 2.], names=3)', [2]), 'err.values.keyword');
  assert.match(r.en, /“names=”/);
  r = refusal(() => lab.parseValues('[(1, 2], [3, 4)]', [4]), 'err.values.bracket');
  assert.match(r.en, /“\]”.*“\)”/);
  r = refusal(() => lab.parseValues('[[1, 2], [3, x]]', [4]), 'err.values.token');
  assert.match(r.en, /“x”/);
  assert.match(r.en, /tensor\(/);
  r = refusal(() => lab.parseValues('tensor([], size=(2, 3))', [1]), 'err.values.count');
  assert.equal(r.en, 'Got 0 numbers, but shape [2, 3] needs 6.');
  r = refusal(() => lab.parseValues('1 2 3', [2, 2]), 'err.values.count');
  assert.equal(r.en, 'Got 3 numbers, but shape [2, 2] needs 4.');
  r = refusal(() => lab.parseValues('1 '.repeat(5000), [5000]), 'err.values.too_many');
  assert.ok(r.en.includes('5000') && r.en.includes('4096'), r.en);
});

test('parseValues never runs the text: markup and script are only bad tokens', () => {
  const r = refusal(() => lab.parseValues('<img src=x onerror=alert(1)>', [1]), 'err.values.token');
  assert.ok(r.err.params.token.length <= 21);
  assert.equal(clipText('a'.repeat(30)), 'a'.repeat(20) + '…');
});

// ---------- the tensor print ----------

test('tensorText prints as torch 1.13 does (fixtures: formats, wrapping, summaries, empty tensors)', () => {
  assert.ok(FIXTURES.prints.length >= 15);
  for (const p of FIXTURES.prints) {
    assert.equal(tensorText(Float32Array.from(p.data.map(num)), p.shape, { max: p.threshold }), p.text, p.name);
  }
});

test('what tensorText prints, parseValues reads back (to its 4 decimals)', () => {
  for (const p of FIXTURES.prints.filter((q) => q.data.length <= q.threshold)) {
    const data = Float32Array.from(p.data.map(num));
    const back = lab.parseValues(tensorText(data, p.shape), [1]);
    assert.deepEqual(back.shape, p.shape, p.name);
    back.data.forEach((v, i) => {
      const want = data[i];
      if (Number.isNaN(want)) assert.ok(Number.isNaN(v), p.name);
      else if (!Number.isFinite(want)) assert.equal(v, want, p.name);
      else assert.ok(Math.abs(v - want) <= 5e-5 * Math.max(1, Math.abs(want)) + 1e-7, `${p.name}[${i}]: ${v} vs ${want}`);
    });
  }
});

// ---------- seeds ----------

test('parseSeed: the one seed rule, a whole number from 0 to 4294967295', () => {
  assert.equal(MAX_SEED, 4294967295);
  for (const [text, seed] of [['0', 0], ['7', 7], [' 42 ', 42], ['4294967295', 4294967295], [12, 12]]) {
    assert.equal(parseSeed(text), seed, String(text));
  }
  for (const text of ['', '-1', '4294967296', '1.5', '1e3', 'abc', '12345678901', '0x10', null]) {
    const { en, zh } = refusal(() => parseSeed(text), 'err.seed');
    // The range is written out, not as 4.29e+09.
    assert.ok(en.includes('4294967295') && zh.includes('4294967295'), en);
  }
  assert.ok(refusal(() => parseSeed('9'.repeat(40)), 'err.seed').err.params.value.length <= 21);
});
