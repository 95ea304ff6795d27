// What a link (web/lab/state.js) keeps: the code box's text verbatim, a bad
// layer in its place as it was written, the training lab's settings, and
// warnings the page can re-translate and clear per field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab } from '../src/normlab.js';
import * as lab from '../web/lab/index.js';
import { badLayer, decodeState, encodeState, isBadLayer, layersText, warningText } from '../web/lab/state.js';
import { runExperiment } from '../web/viz/experiment.js';
import { MAX_CODE_CHARS } from '../web/lab/torch-code.js';
import { TRAIN_FIELDS, crossFieldProblems, defaultTrain, raceSettings } from '../web/lab/train-fields.js';
import { STRINGS } from '../web/lab/strings.js';
import { t } from '../web/lab/i18n.js';
import { RACE_DEFAULTS, checkRaceSettings } from '../src/train/race.js';

const HAN = /\p{Script=Han}/u;
const spec = (text) => lab.parseLayers(text)[0];

// ---------- ?code= ----------

test('code: written only when there is some, read back verbatim', () => {
  assert.equal(lab.defaultState().code, '');
  assert.doesNotMatch(encodeState(lab.defaultState()), /code=/);
  const code = [
    'import torch', 'import torch.nn as nn', '', '# 创建一个张量 & 100% <script>alert(1)</script>',
    'x = torch.rand(2, 3, 4)  # (batch_size, num_features, height/width)',
    'layer_norm = nn.LayerNorm(x.size()[1:])  # a+b=c, "quotes" \'single\' #hash ?q=1',
    '\tprint("LayerNorm 结果:\\n", layer_norm(x))', '',
  ].join('\n');
  const state = { ...lab.defaultState(), code };
  const search = encodeState(state);
  assert.match(search, /&code=import%20torch%0A/);
  assert.ok(!/[\s#&]/.test(search.split('&code=')[1].split('&')[0].replace(/%../g, '')), 'code is escaped in the query');
  const back = decodeState(search);
  assert.deepEqual(back.warnings, []);
  assert.equal(back.state.code, code);
  assert.deepEqual(back.state, state);
  // Through a whole URL, and next to the page's own keys.
  assert.equal(decodeState('https://example.org/web/' + search + '&embed=1').state.code, code);
});

test('code: longer than MAX_CODE_CHARS is cut there, with a warning on the code field', () => {
  assert.equal(MAX_CODE_CHARS, 20000);
  const long = 'x = 1\n'.repeat(4000); // 24000 characters
  const { state, warnings } = decodeState('?code=' + encodeURIComponent(long));
  assert.equal(state.code, long.slice(0, MAX_CODE_CHARS));
  assert.deepEqual(warnings.map((w) => [w.field, w.key]), [['code', 'warn.code']]);
  assert.match(warningText('en', warnings[0]), /20000 characters/);
  assert.match(warningText('zh', warnings[0]), /20000 个字符/);
});

// ---------- bad layers ----------

test('a bad layer keeps its place and its text; defaults fill only missing layers', () => {
  const { state, warnings } = decodeState('?layers=foo,instance_norm');
  assert.equal(state.layers.length, 2);
  assert.ok(isBadLayer(state.layers[0]));
  assert.equal(state.layers[0].text, 'foo');
  assert.equal(state.layers[0].error.key, 'err.layer.kind');
  assert.deepEqual(state.layers[1], spec('instance_norm'));
  assert.deepEqual(warnings.map((w) => [w.field, w.key, w.index]), [['layers', 'warn.layer', 0]]);

  // A bad field in a known kind is a bad layer too, not that kind with defaults.
  const field = decodeState('?layers=layer_norm,layer_norm:eps=abc,group_norm:2');
  assert.equal(field.state.layers.length, 3);
  assert.ok(isBadLayer(field.state.layers[1]));
  assert.equal(field.state.layers[1].error.key, 'err.layer.value');
  assert.equal(field.warnings[0].index, 1);
  assert.ok(!lab.KINDS.includes(field.state.layers[1].kind), 'a bad layer has no valid kind');

  // One layer given: the other place gets a different default kind, not a copy.
  assert.deepEqual(decodeState('?layers=instance_norm').state.layers, [spec('instance_norm'), spec('layer_norm')]);
  assert.deepEqual(decodeState('?layers=layer_norm:3x4').state.layers, [spec('layer_norm:3x4'), spec('instance_norm')]);
  assert.deepEqual(decodeState('?layers=foo').state.layers.slice(1), [spec('layer_norm')]);
  // Empty entries are no layers; bad layers count towards the limit.
  assert.deepEqual(decodeState('?layers=layer_norm,,instance_norm,').state.layers, [spec('layer_norm'), spec('instance_norm')]);
  const many = decodeState('?layers=a,b,c,d,e');
  assert.equal(many.state.layers.length, lab.MAX_LAYERS);
  assert.ok(many.state.layers.every(isBadLayer));
  assert.deepEqual(many.warnings.map((w) => w.key), ['warn.layers_extra', 'warn.layer', 'warn.layer', 'warn.layer', 'warn.layer']);
});

test('a bad layer is written back into the link as it was written', () => {
  for (const layers of ['foo,instance_norm', 'layer_norm:eps=abc,instance_norm', 'layer_norm,group_norm:[2,3', 'LN,dropout:p=0.5']) {
    const { state } = decodeState('?layers=' + encodeURIComponent(layers));
    const search = encodeState(state);
    const written = new URLSearchParams(search.slice(1)).get('layers');
    // Good layers come back in their canonical form, bad ones verbatim.
    assert.equal(written, layersText(state.layers), layers);
    for (const l of state.layers.filter(isBadLayer)) assert.ok(written.includes(l.text), `${layers}: ${written}`);
    assert.deepEqual(decodeState(search).state.layers.map((l) => l.text ?? lab.formatLayer(l)), state.layers.map((l) => l.text ?? lab.formatLayer(l)));
  }
  assert.equal(layersText([spec('layer_norm'), badLayer('foo:1', new lab.LabError('err.layer.kind', { kind: 'foo' }))]), 'layer_norm,foo:1');
  assert.match(encodeState(decodeState('?layers=foo,instance_norm').state), /&layers=foo,instance_norm(&|$)/);
});

test('a bad layer fails when the experiment runs: an error in its place, never a default layer', async () => {
  const nl = await loadNormlab();
  const { state } = decodeState('?layers=foo,instance_norm,layer_norm:eps=abc');
  const x = lab.makeValues('random', state.shape, 1);
  const exp = runExperiment(nl, state.shape, x, state.layers);
  assert.equal(exp.layers.length, 3);
  for (const k of [0, 2]) {
    assert.ok(exp.layers[k].error, `layer ${k} has an error`);
    assert.equal(exp.layers[k].result, undefined, `layer ${k} did not run`);
  }
  assert.ok(exp.layers[1].result);
  assert.equal(exp.ok.length, 1);
  assert.equal(exp.pairs.length, 0, 'nothing to compare: no "Identical" verdict');
});

// ---------- warnings ----------

test('every warning names its field, and renders in either language with its cause', () => {
  const { warnings } = decodeState('?shape=x.size()[1:]&seed=-1&values=zeros&layers=foo,ln&lang=fr&code=ok');
  assert.deepEqual(warnings.map((w) => [w.field, w.key]), [
    ['shape', 'warn.shape'], ['seed', 'warn.seed'], ['values', 'warn.values'], ['layers', 'warn.layer'], ['lang', 'warn.lang'],
  ]);
  for (const w of warnings) {
    const en = warningText('en', w);
    const zh = warningText('zh', w);
    assert.doesNotMatch(en + zh, /\{\w+\}|undefined/);
    assert.match(zh, HAN, zh);
    assert.notEqual(en, zh);
  }
  const [shape, seed, , layer] = warnings;
  // The cause follows the warning, in the same language.
  assert.match(warningText('en', shape), /“x\.size\(\)\[1:\]”.*code box/);
  assert.match(warningText('zh', shape), /代码框/);
  assert.match(warningText('en', seed), /0 to 4294967295/);
  assert.match(warningText('en', layer), /“foo”.*Unknown layer “foo”/);
  assert.match(warningText('zh', layer), /未知的层“foo”/);
  const data = decodeState('?values=custom&data=' + encodeURIComponent('[[1, 2], [3]]')).warnings;
  assert.deepEqual(data.map((w) => w.field), ['data']);
  assert.match(warningText('en', data[0]), /rectangular/);
  // Warnings are data ({field, key, params}): the page keeps them and drops those of an edited field.
  const kept = warnings.filter((w) => w.field !== 'shape');
  assert.equal(kept.length, warnings.length - 1);
  assert.ok(warnings.every((w) => JSON.stringify(w.params) !== undefined && typeof w.key === 'string'));
});

test('the seed in a link follows the one seed rule', () => {
  assert.equal(decodeState('?seed=4294967295').state.seed, 4294967295);
  assert.equal(decodeState('?seed=%2012%20').state.seed, 12);
  for (const bad of ['4294967296', '1.5', '1e3', '']) {
    const { state, warnings } = decodeState('?seed=' + bad);
    assert.equal(state.seed, 1, bad);
    assert.equal(warnings[0].params.error, 'err.seed', bad);
  }
});

test('zero-size shapes travel in links', () => {
  const { state, warnings } = decodeState('?shape=2x0x3');
  assert.deepEqual(warnings, []);
  assert.deepEqual(state.shape, [2, 0, 3]);
  assert.match(encodeState(state), /^\?shape=2x0x3&/);
});

// ---------- the training lab's fields (web/lab/train-fields.js) ----------

test('training fields: the defaults are the race engine\'s, each field reads back what it writes', () => {
  const train = defaultTrain();
  for (const [name, value] of Object.entries(RACE_DEFAULTS)) {
    if (name === 'count' || name === 'testFraction') continue; // not the page's to set
    assert.deepEqual(train[name], Array.isArray(value) ? [...value] : value, name);
  }
  for (const f of TRAIN_FIELDS) {
    assert.deepEqual(f.parse(f.format(f.default)), f.default, f.name);
    assert.ok(Object.hasOwn(STRINGS, f.label), `${f.name}: label ${f.label}`);
  }
  // The race accepts the page's settings as they are (no key it does not know).
  assert.deepEqual(checkRaceSettings(raceSettings(train)).norms, RACE_DEFAULTS.norms);
  // Field names in links do not collide with the comparison's.
  const urls = TRAIN_FIELDS.map((f) => f.url);
  assert.equal(new Set(urls).size, urls.length);
  for (const taken of ['shape', 'seed', 'values', 'data', 'layers', 'code', 'lang', 'embed']) assert.ok(!urls.includes(taken), taken);
});

test('training fields: only changed ones go into a link, and a link gives back the same experiment', () => {
  assert.doesNotMatch(encodeState({ ...lab.defaultState(), train: defaultTrain() }), /dataset|norms|batch/);
  const train = {
    dataset: 'xor', noise: 0.25, hidden: [16, 48, 64], activation: 'tanh', norms: ['none', 'group_norm'], groups: 8,
    batchSize: 4, optimizer: 'sgd', lr: 0.05, steps: 300, seed: 7, bnStats: 'train', sweepExamples: 512,
  };
  const search = encodeState({ ...lab.defaultState(), train });
  assert.match(search, /&dataset=xor&noise=0.25&hidden=16,48,64&act=tanh&norms=none,group_norm&groups=8&batch=4&opt=sgd&lr=0.05&steps=300&tseed=7&bnstats=train&sweep=512/);
  const back = decodeState(search);
  assert.deepEqual(back.warnings, []);
  assert.deepEqual(back.state.train, train);
  // A link without training fields leaves state.train out; one field fills the rest with defaults.
  assert.equal(decodeState('?shape=2x3').state.train, undefined);
  assert.deepEqual(decodeState('?batch=8').state.train, { ...defaultTrain(), batchSize: 8 });
  // Norms come back in the race's order, whatever order the link lists them in.
  assert.deepEqual(decodeState('?norms=rms_norm,none').state.train.norms, ['none', 'rms_norm']);
});

test('training fields: a bad one falls back to its default with a warning naming it, in both languages', () => {
  const cases = [
    ['batch', '300', 'batchSize', 'train.err_batch'], ['batch', '1', 'batchSize', 'train.err_batch'], ['batch', '2.5', 'batchSize', 'train.err_batch'],
    ['lr', '0', 'lr', 'train.err_lr'], ['lr', 'fast', 'lr', 'train.err_lr'], ['noise', '0.6', 'noise', 'train.err_noise'],
    ['hidden', '8,32', 'hidden', 'train.err_hidden'], ['hidden', '32,32,32,32', 'hidden', 'train.err_hidden'], ['hidden', '', 'hidden', 'train.err_hidden'],
    ['dataset', 'moons', 'dataset', 'train.err_dataset'], ['act', 'gelu', 'activation', 'train.err_activation'], ['opt', 'rmsprop', 'optimizer', 'train.err_optimizer'],
    ['norms', 'instance_norm,none', 'norms', 'train.err_instance_norm'], ['norms', 'dropout', 'norms', 'train.err_norm'],
    ['norms', 'none,none', 'norms', 'train.err_norms_repeat'], ['norms', '', 'norms', 'train.err_norms_empty'],
    ['steps', '5', 'steps', 'train.err_steps'], ['tseed', '-1', 'seed', 'err.seed'], ['bnstats', 'both', 'bnStats', 'train.err_bn_stats'],
    ['sweep', '100', 'sweepExamples', 'train.err_sweep'], ['groups', '0', 'groups', 'train.err_groups'],
  ];
  for (const [url, value, name, error] of cases) {
    const { state, warnings } = decodeState(`?${url}=${encodeURIComponent(value)}`);
    assert.deepEqual(state.train[name], defaultTrain()[name], `${url}=${value}`);
    assert.deepEqual(warnings.map((w) => [w.field, w.key, w.params.error]), [[url, 'train.warn', error]], `${url}=${value}`);
    assert.match(warningText('en', warnings[0]), new RegExp(`^Ignored the training setting ${url}=“`), `${url}=${value}`);
    assert.match(warningText('zh', warnings[0]), HAN, `${url}=${value}`);
  }
  // InstanceNorm's refusal says why, in both languages.
  const inorm = decodeState('?norms=instance_norm').warnings[0];
  assert.match(warningText('en', inorm), /does not apply here.*\(N, C\)/);
  assert.match(warningText('zh', inorm), /不适用/);
});

test('training fields: GroupNorm\'s groups must divide every hidden size (only when GroupNorm races)', () => {
  const train = { ...defaultTrain(), hidden: [32, 48], groups: 32 };
  const [p] = crossFieldProblems(train);
  assert.equal(p.field, 'groups');
  assert.equal(p.error.key, 'train.err_groups_divide');
  assert.match(t('en', p.error.key, p.error.params), /32 groups must divide every hidden size, and 48 units/);
  assert.deepEqual(crossFieldProblems({ ...train, norms: ['none', 'layer_norm'] }), []);
  assert.deepEqual(crossFieldProblems({ ...train, groups: 16 }), []);
  // The engine refuses the same settings (so the page never starts a race it would refuse).
  assert.throws(() => checkRaceSettings(raceSettings(train)), /groups must divide every hidden size/);
});
