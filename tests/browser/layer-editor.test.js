// The layer editor's row in a real browser (web/viz/layer-editor.js, built
// directly, apart from the page's wiring): one error per row, cleared when
// the field is fixed; the last good spec's code hidden while a field is bad;
// a layer that could not be read shown with its text, its error and a kind to
// pick; num_features / num_channels fields.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup } from './helpers.js';
import { normalizeSpec } from '../../web/lab/index.js';

let env;
let page;
before(async () => {
  env = await setup();
  page = await env.open('/web/example-docs.html');
  // The editor module, loaded from the server; each test builds rows in #host.
  await page.evaluate(async () => {
    window.editor = await import('/web/viz/layer-editor.js');
    window.lab = await import('/web/lab/index.js');
    window.state = await import('/web/lab/state.js');
    const host = document.createElement('div');
    host.id = 'host';
    document.body.prepend(host);
  });
});
after(async () => { await env.close(); });

/** Builds one row for `layer` (link text) in `lang`; changes go to window.changes. */
async function row(layer, lang = 'en') {
  await page.evaluate(({ layer, lang }) => {
    const { state } = window.state.decodeState('?layers=' + encodeURIComponent(layer));
    window.changes = [];
    const ed = window.editor.layerEditor(state.layers[0], 'Z', {
      lang, canRemove: false, onChange: (s) => window.changes.push(s), onRemove() {},
    });
    const code = document.createElement('code');
    code.textContent = 'nn.Something()';
    ed.showCode(code);
    document.getElementById('host').replaceChildren(ed.el);
  }, { layer, lang });
}

async function type(param, value) {
  await page.fill(`#layer-Z-${param}`, value);
}

const rowState = () => page.evaluate(() => {
  const el = document.querySelector('#host .layer-row');
  return {
    errors: [...el.querySelectorAll('.error')].map((e) => e.textContent).filter(Boolean),
    codeHidden: el.querySelector('.layer-code')?.hidden ?? null,
    invalid: [...el.querySelectorAll('[aria-invalid="true"]')].map((e) => e.id),
    changes: window.changes.length,
    last: window.changes.at(-1) ?? null,
  };
});

test('one error per row, naming the field as shown; cleared when the field is fixed', async () => {
  await row('group_norm');
  await type('numGroups', '2.5');
  let s = await rowState();
  assert.deepEqual(s.errors, ['num_groups must be a whole number, 1 or more (got “2.5”).']);
  assert.deepEqual(s.invalid, ['layer-Z-numGroups']);
  assert.equal(s.codeHidden, true, 'the last good spec\'s code is hidden while a field is bad');
  assert.equal(s.changes, 0);

  // A second bad field: still one message (the first bad field's), both marked.
  await type('eps', 'abc');
  s = await rowState();
  assert.equal(s.errors.length, 1);
  assert.deepEqual(s.invalid.sort(), ['layer-Z-eps', 'layer-Z-numGroups']);

  // Fix num_groups: the message moves on to eps (fields re-read together).
  await type('numGroups', '3');
  s = await rowState();
  assert.deepEqual(s.errors, ['eps must be a number, such as 1e-5 (got “abc”).']);
  assert.deepEqual(s.invalid, ['layer-Z-eps']);
  assert.equal(s.changes, 0);

  await type('eps', '1e-3');
  s = await rowState();
  assert.deepEqual(s.errors, []);
  assert.deepEqual(s.invalid, []);
  assert.equal(s.codeHidden, false);
  assert.deepEqual(s.last.params.numGroups, 3);
  assert.equal(s.last.params.eps, 0.001);
});

test('in Chinese, the row\'s messages are Chinese', async () => {
  await row('layer_norm', 'zh');
  await type('normalizedShape', 'x.size()[1:]');
  const s = await rowState();
  assert.equal(s.errors.length, 1);
  assert.match(s.errors[0], /^normalized_shape：“x\.size\(\)\[1:\]”是代码：.*代码框/);
});

test('a layer that could not be read shows its text, its error and a kind to pick', async () => {
  await row('layer_norm:eps=abc');
  const shown = await page.evaluate(() => {
    const el = document.querySelector('#host .layer-row');
    const sel = el.querySelector('#layer-Z-kind');
    return {
      text: el.querySelector('.layer-text code')?.textContent,
      errors: [...el.querySelectorAll('.error')].map((e) => e.textContent).filter(Boolean),
      selected: sel.value, placeholder: sel.options[sel.selectedIndex].textContent,
      kinds: [...sel.options].map((o) => o.value).filter(Boolean),
      code: el.querySelector('.layer-code')?.textContent ?? null,
    };
  });
  assert.equal(shown.text, 'layer_norm:eps=abc');
  assert.deepEqual(shown.errors, ['Invalid value “abc” for eps.']);
  assert.equal(shown.selected, '');
  assert.equal(shown.placeholder, 'choose a layer…');
  assert.deepEqual(shown.kinds, ['layer_norm', 'instance_norm', 'group_norm', 'rms_norm', 'batch_norm']);
  assert.equal(shown.code, null, 'no code (or repeated error) for a layer that could not be read');
  await page.selectOption('#layer-Z-kind', 'layer_norm');
  const s = await rowState();
  assert.deepEqual(s.last, normalizeSpec({ kind: 'layer_norm' }));
});

test('num_features and num_channels fields: empty says "from the input"', async () => {
  for (const [layer, param, name] of [['instance_norm', 'numFeatures', 'num_features'], ['batch_norm', 'numFeatures', 'num_features'], ['group_norm', 'numChannels', 'num_channels']]) {
    await row(layer);
    const f = await page.evaluate((param) => {
      const el = document.getElementById(`layer-Z-${param}`);
      return el && { value: el.value, placeholder: el.placeholder, label: el.closest('label').querySelector('span').textContent };
    }, param);
    assert.deepEqual(f, { value: '', placeholder: 'from the input', label: name }, layer);
    await type(param, '3');
    assert.equal((await rowState()).last.params[param], 3, layer);
    await type(param, '');
    assert.equal((await rowState()).last.params[param], null, layer);
  }
  assert.deepEqual(page.errors, []);
});
