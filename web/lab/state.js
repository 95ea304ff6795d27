// The experiment in a link: encodeState writes a query string, decodeState
// reads one back and never throws (bad fields fall back to defaults, each
// with a warning the page can show).
import { isLabError } from './errors.js';
import { formatShape, parseShape, parseValues } from './parse.js';
import { VALUE_KINDS } from './rng.js';
import { formatLayers, normalizeSpec, parseLayer, splitLayers } from './specs.js';
import { LANGS } from './i18n.js';

export const MAX_LAYERS = 4;
export const MIN_LAYERS = 2;
const VALUE_SOURCES = [...VALUE_KINDS, 'custom'];

export function defaultState() {
  return {
    shape: [2, 3, 4], seed: 1, values: 'random', text: '',
    layers: [normalizeSpec({ kind: 'layer_norm' }), normalizeSpec({ kind: 'instance_norm' })],
    lang: null,
  };
}

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
  fields.push(['layers', formatLayers(state.layers)]);
  if (state.lang) fields.push(['lang', state.lang]);
  return '?' + fields.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

const errorInfo = (e) => (isLabError(e) ? { error: e.key, errorParams: e.params } : { error: 'err.library', errorParams: { message: String(e) } });
const clip = (s) => (s.length > 40 ? s.slice(0, 40) + '…' : s);

function decodeLayers(text, fallback, warn) {
  const layers = [];
  for (const part of splitLayers(text)) {
    try {
      layers.push(parseLayer(part));
    } catch (e) {
      warn('warn.layer', { value: clip(part), ...errorInfo(e) });
    }
  }
  if (layers.length > MAX_LAYERS) {
    warn('warn.layers_extra', { max: MAX_LAYERS });
    layers.length = MAX_LAYERS;
  }
  while (layers.length < MIN_LAYERS) layers.push(fallback[layers.length]);
  return layers;
}

export function decodeState(search) {
  const state = defaultState();
  const warnings = [];
  const warn = (key, params) => warnings.push({ key, params });
  const q = new URLSearchParams(String(search ?? '').replace(/^[^?]*\?/, ''));
  if (q.has('shape')) {
    try { state.shape = parseShape(q.get('shape')); } catch (e) { warn('warn.shape', { value: clip(q.get('shape')), ...errorInfo(e) }); }
  }
  if (q.has('seed')) {
    const text = q.get('seed');
    if (/^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff) state.seed = Number(text);
    else warn('warn.seed', { value: clip(text) });
  }
  if (q.has('values')) {
    const v = q.get('values');
    if (VALUE_SOURCES.includes(v)) state.values = v;
    else warn('warn.values', { value: clip(v) });
  }
  if (state.values === 'custom') {
    state.text = q.get('data') ?? '';
    try {
      state.shape = parseValues(state.text, state.shape).shape;
    } catch (e) {
      warn('warn.data', errorInfo(e));
      state.values = 'random';
    }
  }
  if (q.has('layers')) state.layers = decodeLayers(q.get('layers'), state.layers, warn);
  if (q.has('lang')) {
    const lang = q.get('lang');
    if (LANGS.includes(lang)) state.lang = lang;
    else warn('warn.lang', { value: clip(lang) });
  }
  return { state, warnings };
}
