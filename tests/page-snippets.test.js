// "The same comparison in PyTorch": the snippet the page shows reproduces the
// page's numbers in torch. tests/fixtures/page-snippets.json holds, for page
// states (links), the snippet and what torch 1.13 computed and printed when it
// ran it (tests/fixtures/make_page_snippets.mjs, then make_page_snippets.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadNormlab } from '../src/core.js';
import { t } from '../web/lab/index.js';
import { CASES, OUT, pageExperiment, snippetOf } from './fixtures/make_page_snippets.mjs';
import { assertClose } from './helpers.js';

const TOL = 1e-5; // float32 against float32, one summation order against another
const PAGE_VS_TORCH = { abs: TOL };
const doc = JSON.parse(readFileSync(OUT, 'utf8'));
const nl = await loadNormlab();

// The print() call whose first argument is this text.
function printed(c, label) {
  const call = c.torch.prints.find((args) => args[0] === label);
  assert.ok(call, `${c.name}: no print "${label}" in ${JSON.stringify(c.torch.prints.map((p) => p[0]))}`);
  return call.slice(1);
}

test('the fixture holds every case of the generator, each run by torch without an error', () => {
  assert.deepEqual(doc.cases.map((c) => [c.name, c.search]), CASES);
  assert.ok(doc.cases.length >= 12);
  for (const c of doc.cases) {
    assert.ok(c.torch, `${c.name}: not run by torch; run /usr/bin/python3 tests/fixtures/make_page_snippets.py`);
    assert.equal(c.torch.error, undefined, `${c.name}: torch raised ${c.torch.error}`);
  }
});

test('every literal preset link of the page is among the cases', () => {
  const app = readFileSync(new URL('../web/app.js', import.meta.url), 'utf8');
  const presets = app.slice(app.indexOf('const PRESETS'), app.indexOf('];', app.indexOf('const PRESETS')));
  const links = [...presets.matchAll(/'(\?shape=[^']*)'/g)].map((m) => m[1]);
  assert.ok(links.length >= 5, `found ${links.length} preset links`);
  const searches = new Set(CASES.map(([, s]) => s));
  for (const link of links) assert.ok(searches.has(link), `preset ${link} has no case`);
});

test('the committed snippets are exactly what the page writes now', () => {
  for (const c of doc.cases) {
    assert.equal(snippetOf(nl, c.search), c.snippet,
      `${c.name}: the generator changed; rerun node tests/fixtures/make_page_snippets.mjs && /usr/bin/python3 tests/fixtures/make_page_snippets.py`);
  }
});

test('the snippet\'s x is the page\'s x, every float32 value exact', () => {
  for (const c of doc.cases) {
    const { exp } = pageExperiment(nl, c.search);
    assert.equal(c.torch.x.length, exp.input.length, c.name);
    c.torch.x.forEach((v, i) => assert.ok(Object.is(v, exp.input[i]) || (v === 0 && exp.input[i] === 0), `${c.name}: x[${i}] ${v} != ${exp.input[i]}`));
  }
});

test('each layer\'s output on the page equals torch\'s running the snippet, per element within 1e-5', () => {
  for (const c of doc.cases) {
    const { exp } = pageExperiment(nl, c.search);
    assert.deepEqual(Object.keys(c.torch.outputs), exp.ok.map((l) => l.label), `${c.name}: the layers torch ran`);
    for (const l of exp.ok) assertClose(l.result.data, c.torch.outputs[l.label], PAGE_VS_TORCH, `${c.name} ${l.label}`);
  }
});

test('torch\'s printed largest differences agree with the page\'s verdict within 1e-5', () => {
  let pairs = 0;
  for (const c of doc.cases) {
    const { exp, lang } = pageExperiment(nl, c.search);
    if (exp.input.length === 0) continue; // nothing to compare: see the last test
    for (const p of exp.pairs) {
      const [value] = printed(c, t(lang, 'page.snippet_diff', { a: p.a.label, b: p.b.label }));
      assert.ok(Math.abs(value - p.cmp.maxAbsDiff) <= TOL, `${c.name} ${p.a.label}-${p.b.label}: torch ${value}, page ${p.cmp.maxAbsDiff}`);
      pairs++;
    }
  }
  assert.ok(pairs >= 25, `only ${pairs} pairs`);
});

test('running statistics after the training step: the page\'s equal torch\'s', () => {
  let layers = 0;
  for (const c of doc.cases) {
    const { exp, lang } = pageExperiment(nl, c.search);
    for (const l of exp.ok.filter((k) => k.result.runningMean && k.spec.params.training)) {
      const [mean, variance] = printed(c, t(lang, 'page.snippet_running', { layer: l.label }));
      assertClose(l.result.runningMean, mean, PAGE_VS_TORCH, `${c.name} ${l.label} running_mean`);
      assertClose(l.result.runningVar, variance, PAGE_VS_TORCH, `${c.name} ${l.label} running_var`);
      layers++;
    }
  }
  assert.ok(layers >= 6, `only ${layers} layers with running statistics`);
});

test('random parameters are written into the snippet; initial ones are not', () => {
  const affine = doc.cases.find((c) => c.name === 'preset: random affine parameters');
  const { exp } = pageExperiment(nl, affine.search);
  // The weights torch used reproduce the page's outputs (above); here: they are the page's, written out.
  assert.match(affine.snippet, /layer_a\.weight\.copy_\(torch\.tensor\(\[/);
  assert.match(affine.snippet, /layer_b\.bias\.copy_\(torch\.tensor\(\[/);
  assert.ok(affine.snippet.includes(String(Math.fround(exp.ok[1].result.bias[0])).slice(0, 6)));
  const plain = doc.cases.find((c) => c.name === 'preset: equal');
  assert.doesNotMatch(plain.snippet, /copy_|randn|rand\(/);
  assert.doesNotMatch(doc.cases.map((c) => c.snippet).join('\n'), /torch\.randn?\(/);
});

test('a layer that refuses the input is named as left out, not silently dropped', () => {
  const c = doc.cases.find((k) => k.name === 'a layer that refuses the input is left out');
  assert.match(c.snippet, /^# B is left out: torch raises ValueError: num_channels must be divisible by num_groups$/m);
  assert.doesNotMatch(c.snippet, /^b = /m);
  const bad = doc.cases.find((k) => k.name === 'a layer the link got wrong keeps its place and is left out');
  assert.match(bad.snippet, /^# A is left out: the page shows its error$/m);
  assert.match(bad.snippet, /^b = /m);
  assert.doesNotMatch(bad.snippet, /^a = /m);
});

test('an empty x: the snippet says there is nothing to compare instead of calling max() on nothing', () => {
  const c = doc.cases.find((k) => k.name === 'an empty tensor: nothing to compare');
  assert.ok(c.snippet.includes(t('en', 'page.snippet_empty')));
  assert.doesNotMatch(c.snippet, /\.max\(\)/);
  assert.match(c.snippet, /^x = torch\.tensor\(\[\], dtype=torch\.float32\)\.reshape\(2, 0, 3\)$/m);
});
