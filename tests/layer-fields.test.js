// The layer editor's fields (web/viz/layer-editor.js readField/fieldError,
// run in Node on stand-in inputs): each refusal names the field as the page
// shows it (num_groups, not numGroups), says what it takes, and is in the
// page's language. The DOM side is in tests/browser/layer-editor.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as lab from '../web/lab/index.js';
import { fieldError, readField } from '../web/viz/layer-editor.js';

const HAN = /\p{Script=Han}/u;
const field = (value) => ({ value, type: 'text', checked: false });

/** The message the row would show for `value` typed into `param`, in `lang`. */
function message(kind, param, value, lang) {
  try {
    const v = readField(kind, param, field(value), lang);
    lab.normalizeSpec({ kind, params: { [param]: v } });
    return null;
  } catch (e) {
    const err = fieldError(lang, param, e);
    return lab.t(lang, err.key, err.params);
  }
}

test('fields read PyTorch values: numbers, None where torch takes it, empty = default', () => {
  assert.equal(readField('layer_norm', 'eps', field('1e-3'), 'en'), 0.001);
  assert.equal(readField('layer_norm', 'eps', field(''), 'en'), 1e-5);
  assert.equal(readField('rms_norm', 'eps', field('None'), 'en'), null);
  assert.equal(readField('batch_norm', 'momentum', field('none'), 'en'), null);
  assert.deepEqual(readField('layer_norm', 'normalizedShape', field('3,4'), 'en'), [3, 4]);
  assert.deepEqual(readField('layer_norm', 'normalizedShape', field('4,'), 'en'), [4]);
  assert.equal(readField('group_norm', 'numGroups', field('3'), 'en'), 3);
  assert.equal(readField('layer_norm', 'randomAffine', field(' 7 '), 'en'), 7);
  assert.equal(readField('layer_norm', 'affine', { type: 'checkbox', checked: false }, 'en'), false);
  assert.equal(readField('instance_norm', 'dim', field(''), 'en'), null);
  assert.equal(readField('batch_norm', 'training', field('eval'), 'en'), false);
});

test('num_features and num_channels: empty means "from the input", else a whole number', () => {
  assert.ok(Object.hasOwn(lab.defaultParams('instance_norm'), 'numFeatures'), 'specs.js has numFeatures');
  assert.equal(readField('instance_norm', 'numFeatures', field(''), 'en'), null);
  assert.equal(readField('batch_norm', 'numFeatures', field('3'), 'en'), 3);
  assert.equal(readField('group_norm', 'numChannels', field(''), 'en'), null);
  assert.equal(readField('group_norm', 'numChannels', field('6'), 'en'), 6);
  assert.equal(message('instance_norm', 'numFeatures', 'C', 'en'), 'num_features must be a whole number, 0 or more (got “C”).');
  assert.equal(message('group_norm', 'numChannels', '2.5', 'en'), 'num_channels must be a whole number, 0 or more (got “2.5”).');
  assert.equal(lab.t('en', 'page.p_from_input'), 'from the input');
});

test('refusals name the field the user sees, never the internal name', () => {
  const cases = [
    ['group_norm', 'numGroups', '2.5', /^num_groups must be a whole number, 1 or more \(got “2\.5”\)\.$/],
    ['group_norm', 'numGroups', '0', /num_groups/], // read as 0, refused by the spec: renamed
    ['layer_norm', 'eps', 'abc', /^eps must be a number, such as 1e-5 \(got “abc”\)\.$/],
    ['layer_norm', 'eps', 'none', /^eps must be a number/], // LayerNorm has no eps=None
    ['batch_norm', 'momentum', 'fast', /^momentum must be a number, such as 0\.1, or None/],
    ['layer_norm', 'normalizedShape', 'x.size()[1:]', /^normalized_shape: “x\.size\(\)\[1:\]” is code: .*code box/],
    ['layer_norm', 'normalizedShape', '3,,4', /^normalized_shape: “3,,4” has an empty place/],
    ['layer_norm', 'normalizedShape', '0', /normalized_shape/],
    ['layer_norm', 'randomAffine', '-1', /^Random weight and bias: The seed must be a whole number from 0 to 4294967295/],
  ];
  for (const [kind, param, value, want] of cases) {
    const en = message(kind, param, value, 'en');
    assert.match(en ?? '', want, `${kind}.${param} = ${value}: ${en}`);
    assert.doesNotMatch(en, /numGroups|normalizedShape|randomAffine|numFeatures|\{\w+\}/);
  }
});

test('the same refusals in Chinese are Chinese, with the field name as shown', () => {
  for (const [kind, param, value, name] of [
    ['group_norm', 'numGroups', '2.5', 'num_groups'], ['layer_norm', 'eps', 'abc', 'eps'],
    ['layer_norm', 'normalizedShape', 'x.shape[-1]', 'normalized_shape'], ['batch_norm', 'momentum', 'x', 'momentum'],
    ['group_norm', 'numGroups', '0', 'num_groups'],
  ]) {
    const zh = message(kind, param, value, 'zh');
    assert.match(zh, HAN, zh);
    assert.ok(zh.includes(name), zh);
    assert.doesNotMatch(zh, /must|expected|Invalid|\{\w+\}/, zh);
  }
  assert.match(message('layer_norm', 'normalizedShape', 'x.shape[-1]', 'zh'), /代码框/);
});
