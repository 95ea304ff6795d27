// Layer specs { kind, params }: defaults, validation, and the compact text
// form used in links ("layer_norm:3x4:eps=1e-3,instance_norm:dim=2").
import { LabError } from './errors.js';
import { formatShape, parseShape } from './parse.js';

export const KINDS = ['layer_norm', 'instance_norm', 'group_norm', 'rms_norm', 'batch_norm'];

// PyTorch's constructor defaults (docs/pytorch-semantics.md §3; RMSNorm from torch 2.4).
const DEFAULTS = {
  layer_norm: { normalizedShape: null, eps: 1e-5, affine: true, randomAffine: null },
  rms_norm: { normalizedShape: null, eps: null, affine: true, randomAffine: null },
  instance_norm: { dim: null, eps: 1e-5, momentum: 0.1, affine: false, trackRunningStats: false, training: true, randomAffine: null, numFeatures: null },
  group_norm: { numGroups: 1, eps: 1e-5, affine: true, randomAffine: null, numChannels: null },
  batch_norm: { dim: null, eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true, training: true, randomAffine: null, numFeatures: null },
};
// numFeatures / numChannels: null = the input's C (what the page builds by
// default); an integer = what pasted code passed, right or wrong: layout()
// then raises what torch raises when it does not fit the input.

const ALIASES = {
  ln: 'layer_norm', layernorm: 'layer_norm', in: 'instance_norm', instancenorm: 'instance_norm',
  gn: 'group_norm', groupnorm: 'group_norm', rms: 'rms_norm', rmsnorm: 'rms_norm',
  bn: 'batch_norm', batchnorm: 'batch_norm',
};

export function defaultParams(kind) {
  if (!Object.hasOwn(DEFAULTS, kind)) throw new LabError('err.layer.kind', { kind: String(kind).slice(0, 20) });
  return { ...DEFAULTS[kind] };
}

const isInt = (v) => Number.isInteger(v);
const MAX_COUNT = 1e6; // num_features beyond this is a typo, not a layer
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const VALID = {
  // [] only from code (nn.LayerNorm([])): torch builds it, then refuses it on any input
  normalizedShape: (v) => v === null || (Array.isArray(v) && v.length <= 5 && v.every((d) => isInt(d) && d >= 1)),
  eps: (v, kind) => isNum(v) || (v === null && kind === 'rms_norm'),
  momentum: (v) => isNum(v) || v === null, // InstanceNorm refuses null when it runs, as torch
  affine: (v) => typeof v === 'boolean',
  trackRunningStats: (v) => typeof v === 'boolean',
  training: (v) => typeof v === 'boolean',
  dim: (v) => v === null || v === 1 || v === 2 || v === 3,
  numGroups: (v) => isInt(v) && v >= 1,
  numFeatures: (v) => v === null || (isInt(v) && v >= 0 && v <= MAX_COUNT),
  numChannels: (v) => v === null || (isInt(v) && v >= 0 && v <= MAX_COUNT),
  randomAffine: (v) => v === null || (isInt(v) && v >= 0 && v <= 0xffffffff),
};

// A spec with every default filled in; a LabError for anything invalid.
export function normalizeSpec(spec) {
  const kind = spec?.kind;
  const params = defaultParams(kind);
  for (const [given, value] of Object.entries(spec.params ?? {})) {
    if (value === undefined) continue;
    const name = given === 'elementwiseAffine' ? 'affine' : given; // LayerNorm's own name for it
    if (!Object.hasOwn(params, name)) throw new LabError('err.layer.param', { kind, param: name });
    if (!VALID[name](value, kind)) throw new LabError('err.layer.value', { param: name, value: String(value).slice(0, 20) });
    params[name] = Array.isArray(value) ? value.slice() : value;
  }
  return { kind, params };
}

// ---- text form ----
// Field keys of the text form, in the order formatLayers writes them.
const FIELDS = [
  ['dim', 'dim'], ['eps', 'eps'], ['momentum', 'momentum'], ['affine', 'affine'],
  ['track', 'trackRunningStats'], ['mode', 'training'], ['rand', 'randomAffine'],
  ['shape', 'normalizedShape'], ['groups', 'numGroups'], ['c', 'numFeatures'], ['c', 'numChannels'],
];
// The param a field key names for this kind ('c' is num_features or num_channels).
const paramOf = (kind, key) => FIELDS.find(([k, p]) => k === key && Object.hasOwn(DEFAULTS[kind], p))?.[1];

// Shortest text that reads back as the same number, without '+' (it means a
// space in a query string).
export function compactNumber(x) {
  const a = String(x);
  const b = x.toExponential().replace('+', '');
  return (b.length < a.length ? b : a).replace('+', '');
}

const BOOL = { 1: true, 0: false, true: true, false: false };
function readValue(param, text) {
  const bad = () => new LabError('err.layer.value', { param, value: text.slice(0, 20) });
  switch (param) {
    case 'normalizedShape':
      if (text === '[]') return []; // nn.LayerNorm([]): torch refuses it on any input
      try { return parseShape(text); } catch { throw bad(); }
    case 'training':
      if (text === 'train' || text === 'eval') return text === 'train';
      throw bad();
    case 'affine': case 'trackRunningStats':
      if (Object.hasOwn(BOOL, text)) return BOOL[text];
      throw bad();
    default: {
      if (text === 'none' && (param === 'eps' || param === 'momentum')) return null;
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw bad();
      return Number(text);
    }
  }
}

function writeValue(param, value) {
  if (param === 'normalizedShape') return value.length ? formatShape(value) : '[]';
  if (param === 'training') return value ? 'train' : 'eval';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value === null) return 'none';
  return compactNumber(value);
}

// Split at commas outside brackets, so "layer_norm:[3,4],instance_norm" works.
export function splitLayers(text) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
  }
  parts.push(text.slice(start));
  return parts.map((s) => s.trim());
}

export function parseLayer(text) {
  const [head, ...fields] = text.split(':').map((s) => s.trim());
  const kind = ALIASES[head.toLowerCase()] ?? head.toLowerCase();
  if (!KINDS.includes(kind)) throw new LabError('err.layer.kind', { kind: head.slice(0, 20) });
  const params = {};
  fields.forEach((field, i) => {
    const eq = field.indexOf('=');
    let key = eq < 0 ? field : field.slice(0, eq);
    let value = eq < 0 ? null : field.slice(eq + 1);
    // The first field may be positional: a shape or a number of groups.
    const positional = eq < 0 && i === 0 && /^[\d[(]/.test(field);
    if (positional && (kind === 'layer_norm' || kind === 'rms_norm')) [key, value] = ['shape', field];
    else if (positional && kind === 'group_norm') [key, value] = ['groups', field];
    else if (eq < 0 && key === 'affine') value = '1';
    else if (eq < 0 && (key === 'eval' || key === 'train')) [key, value] = ['mode', key];
    const param = paramOf(kind, key);
    if (param === undefined || value === null) {
      throw new LabError('err.layer.field', { kind, field: field.slice(0, 20) });
    }
    params[param] = readValue(param, value);
  });
  return normalizeSpec({ kind, params });
}

export function parseLayers(text) {
  const source = String(text ?? '').trim();
  if (source === '') throw new LabError('err.layers.empty');
  return splitLayers(source).map(parseLayer);
}

export function formatLayer(spec) {
  const { kind, params } = normalizeSpec(spec);
  const fields = [kind];
  const positional = kind === 'group_norm' ? 'numGroups' : 'normalizedShape';
  const isDefault = (p) => JSON.stringify(params[p]) === JSON.stringify(DEFAULTS[kind][p]);
  if (Object.hasOwn(params, positional) && !isDefault(positional)) fields.push(writeValue(positional, params[positional]));
  for (const [key, param] of FIELDS) {
    if (param === positional || !Object.hasOwn(params, param) || isDefault(param)) continue;
    fields.push(`${key}=${writeValue(param, params[param])}`);
  }
  return fields.join(':');
}

export function formatLayers(specs) {
  return specs.map(formatLayer).join(',');
}
