// One row of the layer list: the layer kind and its PyTorch parameters.
// Every change is validated by web/lab's normalizeSpec/parseShape; problems
// are shown next to the row and the last good spec stays in use.
import { KINDS, defaultParams, normalizeSpec, parseShape, t, isLabError } from '../lab/index.js';
import { h } from './dom.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

// How each parameter is edited: [input kind, PyTorch name or i18n key].
const FIELDS = {
  normalizedShape: ['text', 'normalized_shape'],
  numGroups: ['int', 'num_groups'],
  dim: ['select', 'label.dim'],
  eps: ['num', 'eps'],
  momentum: ['num', 'momentum'],
  affine: ['check', 'affine'],
  trackRunningStats: ['check', 'track_running_stats'],
  training: ['select', 'label.mode'],
  randomAffine: ['int', 'label.random_affine'],
};
const label = (lang, name) => (name.startsWith('label.') ? t(lang, name) : name);

function readField(kind, param, el) {
  const type = FIELDS[param][0];
  if (type === 'check') return el.checked;
  const v = el.value.trim();
  if (param === 'dim') return v === '' ? null : Number(v);
  if (param === 'training') return v === 'train';
  if (v === '') return defaultParams(kind)[param];
  if (param === 'normalizedShape') return parseShape(v);
  if (v.toLowerCase() === 'none' && (param === 'eps' || param === 'momentum')) return null;
  if (!NUMBER.test(v)) throw new Error(`${label('en', FIELDS[param][1])}: "${v.slice(0, 20)}"`);
  return Number(v);
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
  const shown = param === 'normalizedShape' ? (value ? value.join(',') : '') : value === null ? (param === 'randomAffine' ? '' : 'None') : String(value);
  const placeholder = param === 'normalizedShape' ? t(lang, 'page.p_last_dim') : param === 'randomAffine' ? t(lang, 'page.p_random_none') : '';
  return h('input', { id, type: 'text', value: shown, placeholder, size: param === 'randomAffine' ? 8 : 6,
    inputmode: type === 'int' ? 'numeric' : 'text', spellcheck: 'false', 'aria-label': label(lang, name) });
}

/** spec: a normalized spec; returns { el, showCode(node) }. */
export function layerEditor(spec, letter, { lang, canRemove, onChange, onRemove }) {
  const id = (p) => `layer-${letter}-${p}`;
  const error = h('p', { class: 'error', role: 'alert' });
  const code = h('div', { class: 'layer-code' });
  const kindSel = h('select', { id: id('kind'), 'aria-label': t(lang, 'page.layer_kind', { layer: letter }) },
    KINDS.map((k) => h('option', { value: k, selected: k === spec.kind, text: t(lang, `layer.${k}`) })));
  const params = Object.keys(defaultParams(spec.kind));
  const inputs = Object.fromEntries(params.map((p) => [p, input(spec.kind, p, spec.params[p], lang, id(p))]));
  const read = () => {
    error.textContent = '';
    try {
      const values = Object.fromEntries(params.map((p) => [p, readField(spec.kind, p, inputs[p])]));
      onChange(normalizeSpec({ kind: spec.kind, params: values }));
    } catch (e) {
      error.textContent = isLabError(e) ? t(lang, e.key, e.params) : t(lang, 'page.bad_param', { detail: e.message });
    }
  };
  kindSel.addEventListener('change', () => onChange(normalizeSpec({ kind: kindSel.value })));
  for (const el of Object.values(inputs)) el.addEventListener(el.type === 'text' ? 'input' : 'change', read);
  const el = h('div', { class: 'layer-row', 'data-layer': letter },
    h('div', { class: 'layer-head' },
      h('span', { class: 'layer-letter', text: letter }), kindSel,
      canRemove ? h('button', { type: 'button', class: 'remove', 'aria-label': t(lang, 'page.remove_layer', { layer: letter }), text: '×', on: { click: onRemove } }) : null),
    h('div', { class: 'layer-params' }, params.map((p) => h('label', { class: ['param', FIELDS[p][0] === 'check' && 'check'], for: id(p) },
      h('span', { text: label(lang, FIELDS[p][1]) }), inputs[p]))),
    error, code);
  return {
    el,
    showCode(node) { code.replaceChildren(node); },
  };
}
