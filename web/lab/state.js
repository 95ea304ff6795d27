// The experiment in a link: encodeState writes a query string, decodeState
// reads one back and never throws (bad fields fall back to defaults, each
// with a warning the page can show, re-translate and clear).
import { LabError, isLabError } from './errors.js';
import { clipText, formatShape, parseShape, parseValues } from './parse.js';
import { VALUE_KINDS, parseSeed } from './rng.js';
import { formatLayer, normalizeSpec, parseLayer, splitLayers } from './specs.js';
import { LANGS, t } from './i18n.js';
import { MAX_CODE_CHARS } from './torch-code.js';
import { TRAIN_FIELDS, defaultTrain, isDefault } from './train-fields.js';

export const MAX_LAYERS = 4;
export const MIN_LAYERS = 2;
const VALUE_SOURCES = [...VALUE_KINDS, 'custom'];

export function defaultState() {
  return {
    shape: [2, 3, 4], seed: 1, values: 'random', text: '',
    layers: [normalizeSpec({ kind: 'layer_norm' }), normalizeSpec({ kind: 'instance_norm' })],
    code: '',
    lang: null,
    // train: the training lab's settings (web/lab/train-fields.js), present
    // when the link sets any of them; the page starts from defaultTrain().
  };
}

// ---- layers that could not be read ----
// A layer whose text is bad keeps its place in state.layers as
// { kind: text, params: {}, text, error }: `text` is what the user wrote
// (written back verbatim into links), `error` the LabError it gives. `kind`
// is the whole text, never a valid kind (a text that is one parses), so every
// lab function refuses it rather than running some default layer.

export function badLayer(text, error) {
  return { kind: text, params: {}, text, error };
}

export function isBadLayer(spec) {
  return Boolean(spec && spec.error);
}

/** The layers' text form, as in a link: bad layers as they were written. */
export function layersText(layers) {
  return layers.map((s) => (isBadLayer(s) ? s.text : formatLayer(s))).join(',');
}

// ---- encode ----

// ':', ',' and '=' stay readable (they mean nothing special inside a query
// value); everything else is escaped.
const enc = (s) => encodeURIComponent(s).replace(/%(3A|2C|3D)/gi, (m) => decodeURIComponent(m));

export function encodeState(state) {
  const fields = [
    ['shape', formatShape(state.shape)],
    ['seed', String(state.seed)],
    ['values', state.values],
  ];
  if (state.values === 'custom') fields.push(['data', state.text ?? '']);
  fields.push(['layers', layersText(state.layers)]);
  if (state.code) fields.push(['code', state.code]);
  // The training lab's fields that differ from their defaults (a link that
  // never touched the lab stays as it was).
  for (const f of TRAIN_FIELDS) {
    const value = state.train?.[f.name];
    if (value !== undefined && !isDefault(f, value)) fields.push([f.url, f.format(value)]);
  }
  if (state.lang) fields.push(['lang', state.lang]);
  return '?' + fields.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

// ---- decode ----

const errorInfo = (e) => (isLabError(e) ? { error: e.key, errorParams: e.params } : { error: 'err.library', errorParams: { message: String(e) } });
const clip = (s) => clipText(s, 40);

function decodeLayers(text, fallback, warn) {
  // Empty parts ("layer_norm," or ",,,") are no layer at all: skipped.
  const parts = splitLayers(text).filter((part) => part !== '');
  if (parts.length > MAX_LAYERS) {
    warn('layers', 'warn.layers_extra', { max: MAX_LAYERS });
    parts.length = MAX_LAYERS;
  }
  const layers = parts.map((part, index) => {
    try {
      return parseLayer(part);
    } catch (e) {
      const error = isLabError(e) ? e : new LabError('err.library', { message: String(e) });
      warn('layers', 'warn.layer', { value: clip(part), ...errorInfo(error) }, { index });
      return badLayer(part, error);
    }
  });
  // Defaults fill only the places no layer was given for, with a kind not
  // given yet: one InstanceNorm gets a LayerNorm beside it, not a copy.
  const given = new Set(layers.map((s) => s.kind));
  const spare = fallback.filter((s) => !given.has(s.kind));
  while (layers.length < MIN_LAYERS) layers.push(spare.shift() ?? fallback[layers.length]);
  return layers;
}

/**
 * search: location.search (a leading '?' or a whole URL is fine). Returns
 * { state, warnings }, each warning { field, key, params } (and `index` for a
 * layer): `field` is the state field it is about, so the page can drop it once
 * that field is edited; render it with warningText(lang, warning).
 */
export function decodeState(search) {
  const state = defaultState();
  const warnings = [];
  const warn = (field, key, params, extra = {}) => warnings.push({ field, key, params, ...extra });
  const q = new URLSearchParams(String(search ?? '').replace(/^[^?]*\?/, ''));
  if (q.has('shape')) {
    try { state.shape = parseShape(q.get('shape')); } catch (e) { warn('shape', 'warn.shape', { value: clip(q.get('shape')), ...errorInfo(e) }); }
  }
  if (q.has('seed')) {
    try { state.seed = parseSeed(q.get('seed')); } catch (e) { warn('seed', 'warn.seed', { value: clip(q.get('seed')), ...errorInfo(e) }); }
  }
  if (q.has('values')) {
    const v = q.get('values');
    if (VALUE_SOURCES.includes(v)) state.values = v;
    else warn('values', 'warn.values', { value: clip(v) });
  }
  if (state.values === 'custom') {
    state.text = q.get('data') ?? '';
    try {
      state.shape = parseValues(state.text, state.shape).shape;
    } catch (e) {
      warn('data', 'warn.data', errorInfo(e));
      state.values = 'random';
    }
  }
  if (q.has('layers')) state.layers = decodeLayers(q.get('layers'), state.layers, warn);
  if (q.has('code')) {
    // User text, kept verbatim: the code box parses it, nothing here does.
    // Cut at the code reader's own limit (it reads no more).
    state.code = q.get('code');
    if (state.code.length > MAX_CODE_CHARS) {
      state.code = state.code.slice(0, MAX_CODE_CHARS);
      warn('code', 'warn.code', { max: MAX_CODE_CHARS });
    }
  }
  // The training lab's fields; a warning's `field` is the field's name in the link.
  for (const f of TRAIN_FIELDS) {
    if (!q.has(f.url)) continue;
    state.train ??= defaultTrain();
    try { state.train[f.name] = f.parse(q.get(f.url)); } catch (e) { warn(f.url, 'train.warn', { name: f.url, value: clip(q.get(f.url)), ...errorInfo(e) }); }
  }
  if (q.has('lang')) {
    const lang = q.get('lang');
    if (LANGS.includes(lang)) state.lang = lang;
    else warn('lang', 'warn.lang', { value: clip(lang) });
  }
  return { state, warnings };
}

/** A link warning in `lang`, followed by the error that caused it, if any. */
export function warningText(lang, warning) {
  const { key, params } = warning;
  const text = t(lang, key, params);
  if (!params.error) return text;
  return text + (lang === 'zh' ? '' : ' ') + t(lang, params.error, params.errorParams);
}
