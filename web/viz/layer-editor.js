// One row of the layer list: the layer kind and its PyTorch parameters.
// Every change re-reads all fields; the first bad one is named in the row's one
// error line (in the user's language, by the name the field shows) and marked
// invalid, and the last good spec stays in use until every field is good.
import { KINDS, LabError, defaultParams, normalizeSpec, parseShape, t, isLabError } from '../lab/index.js';
import { parseSeed } from '../lab/rng.js';
import { isBadLayer } from '../lab/state.js';
import { h } from './dom.js';
import { errorText } from './experiment.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

// How each parameter is edited, in the order shown: [input kind, the name the
// field shows (PyTorch's argument name, or an i18n key)]. Only the params of
// defaultParams(kind) are shown.
const FIELDS = {
  numFeatures: ['int', 'num_features'],
  numChannels: ['int', 'num_channels'],
  numGroups: ['int', 'num_groups'],
  normalizedShape: ['text', 'normalized_shape'],
  dim: ['select', 'label.dim'],
  eps: ['num', 'eps'],
  momentum: ['num', 'momentum'],
  affine: ['check', 'affine'],
  trackRunningStats: ['check', 'track_running_stats'],
  training: ['select', 'label.mode'],
  randomAffine: ['int', 'label.random_affine'],
};
// Empty means "not given" for these; their placeholder says what that means.
const PLACEHOLDERS = {
  normalizedShape: 'page.p_last_dim', randomAffine: 'page.p_random_none',
  numFeatures: 'page.p_from_input', numChannels: 'page.p_from_input',
};
const label = (lang, name) => (name.startsWith('label.') ? t(lang, name) : name);
const fieldName = (lang, param) => label(lang, FIELDS[param][1]);

/** The value of one field, or a LabError that names it (params.field). */
export function readField(kind, param, el, lang) {
  const type = FIELDS[param][0];
  if (type === 'check') return el.checked;
  const v = el.value.trim();
  if (param === 'dim') return v === '' ? null : Number(v);
  if (param === 'training') return v === 'train';
  if (v === '') return defaultParams(kind)[param];
  const field = fieldName(lang, param);
  const value = v.length > 20 ? v.slice(0, 20) + '…' : v;
  if (param === 'normalizedShape' || param === 'randomAffine') {
    try {
      return param === 'normalizedShape' ? parseShape(v) : parseSeed(v);
    } catch (e) {
      throw new LabError('err.field.in', { field, message: errorText(lang, e) });
    }
  }
  const noneOk = param === 'momentum' || (param === 'eps' && kind === 'rms_norm');
  if (type === 'num') {
    if (noneOk && v.toLowerCase() === 'none') return null;
    if (!NUMBER.test(v)) throw new LabError(noneOk ? 'err.field.number_none' : 'err.field.number', { field, value });
    return Number(v);
  }
  if (!/^\d+$/.test(v)) throw new LabError('err.field.int', { field, value, min: param === 'numGroups' ? 1 : 0 });
  return Number(v);
}

/** The error of one field, naming it as the field shows it: readField's own
 * errors already do; normalizeSpec's name the internal param (numGroups). */
export function fieldError(lang, param, e) {
  if (isLabError(e) && e.key.startsWith('err.field.')) return e;
  if (isLabError(e) && e.params?.param === param) return new LabError(e.key, { ...e.params, param: fieldName(lang, param) });
  return new LabError('err.field.in', { field: fieldName(lang, param), message: errorText(lang, e) });
}

function input(kind, param, value, lang, id) {
  const [type, name] = FIELDS[param];
  if (type === 'check') return h('input', { type: 'checkbox', id, checked: !!value });
  if (param === 'dim') {
    return h('select', { id }, [['', t(lang, 'label.dim.auto')], ['1', '1d'], ['2', '2d'], ['3', '3d']]
      .map(([v, text]) => h('option', { value: v, selected: String(value ?? '') === v, text })));
  }
  if (param === 'training') {
    return h('select', { id }, h('option', { value: 'train', selected: value, text: t(lang, 'label.mode.train') }),
      h('option', { value: 'eval', selected: !value, text: t(lang, 'label.mode.eval') }));
  }
  const shown = param === 'normalizedShape' ? (value ? value.join(',') : '')
    : value === null ? (PLACEHOLDERS[param] ? '' : 'None') : String(value);
  const placeholder = PLACEHOLDERS[param] ? t(lang, PLACEHOLDERS[param]) : '';
  return h('input', { id, type: 'text', value: shown, placeholder, size: param === 'randomAffine' ? 8 : 6,
    inputmode: type === 'int' ? 'numeric' : 'text', spellcheck: 'false', 'aria-label': label(lang, name) });
}

function kindSelect(spec, letter, lang, id, bad) {
  const options = KINDS.map((k) => h('option', { value: k, selected: !bad && k === spec.kind, text: t(lang, `layer.${k}`) }));
  // A layer that could not be read has no kind yet: the user picks one.
  const none = bad ? h('option', { value: '', selected: true, disabled: true, text: t(lang, 'page.choose_kind') }) : null;
  return h('select', { id, 'aria-label': t(lang, 'page.layer_kind', { layer: letter }) }, none, options);
}

/** spec: a normalized spec, or a bad layer from the link (state.js badLayer:
 * its text and error are shown, and a kind to pick); returns { el, showCode(node) }. */
export function layerEditor(spec, letter, { lang, canRemove, onChange, onRemove }) {
  const id = (p) => `layer-${letter}-${p}`;
  const bad = isBadLayer(spec);
  const error = h('p', { class: 'error', role: 'alert', id: id('error') });
  const code = h('div', { class: 'layer-code' });
  const kindSel = kindSelect(spec, letter, lang, id('kind'), bad);
  kindSel.addEventListener('change', () => onChange(normalizeSpec({ kind: kindSel.value })));
  const head = h('div', { class: 'layer-head' },
    h('span', { class: 'layer-letter', text: letter }), kindSel,
    canRemove ? h('button', { type: 'button', class: 'remove', 'aria-label': t(lang, 'page.remove_layer', { layer: letter }), text: '×', on: { click: onRemove } }) : null);

  if (bad) {
    error.textContent = errorText(lang, spec.error);
    const text = h('p', { class: 'layer-text' }, h('span', { text: t(lang, 'page.layer_text') }), ' ', h('code', { text: spec.text }));
    // The error is shown once, here: the run's error would repeat it.
    return { el: h('div', { class: 'layer-row bad', 'data-layer': letter }, head, text, error), showCode() {} };
  }

  const params = Object.keys(FIELDS).filter((p) => Object.hasOwn(defaultParams(spec.kind), p));
  const inputs = Object.fromEntries(params.map((p) => [p, input(spec.kind, p, spec.params[p], lang, id(p))]));
  const setError = (problem) => {
    error.textContent = problem ? t(lang, problem.key, problem.params) : '';
    // The code (or run error) is of the last good spec: hidden while a field is bad.
    code.hidden = Boolean(problem);
  };
  const read = () => {
    let problem = null;
    const values = {};
    for (const p of params) {
      let wrong = null;
      try {
        values[p] = readField(spec.kind, p, inputs[p], lang);
        normalizeSpec({ kind: spec.kind, params: { [p]: values[p] } }); // this field alone
      } catch (e) {
        wrong = fieldError(lang, p, e);
      }
      if (wrong) inputs[p].setAttribute('aria-invalid', 'true');
      else inputs[p].removeAttribute('aria-invalid');
      if (wrong) inputs[p].setAttribute('aria-describedby', id('error'));
      else inputs[p].removeAttribute('aria-describedby');
      problem ??= wrong;
    }
    let next = null;
    if (!problem) {
      try { next = normalizeSpec({ kind: spec.kind, params: values }); } catch (e) { problem = new LabError('err.field.in', { field: t(lang, `layer.${spec.kind}`), message: errorText(lang, e) }); }
    }
    setError(problem);
    if (next) onChange(next);
  };
  for (const el of Object.values(inputs)) el.addEventListener(el.type === 'text' ? 'input' : 'change', read);
  const el = h('div', { class: 'layer-row', 'data-layer': letter }, head,
    h('div', { class: 'layer-params' }, params.map((p) => h('label', { class: ['param', FIELDS[p][0] === 'check' && 'check'], for: id(p) },
      h('span', { text: fieldName(lang, p) }), inputs[p]))),
    error, code);
  return {
    el,
    showCode(node) { code.replaceChildren(node); },
    /** The message shown for the row's fields ('' when every field is good). */
    get errorText() { return error.textContent; },
  };
}
