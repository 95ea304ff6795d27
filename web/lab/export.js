// Downloads of an experiment: JSON for programs, CSV for spreadsheets.
import { torchText } from './errors.js';
import { formatLayer } from './specs.js';
import { product } from './parse.js';
import { layersText } from './state.js';

// The shortest decimal that reads back as the same float32.
export function float32Text(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(Number(x.toPrecision(9)));
}

// JSON has no NaN or Infinity: those become strings.
const jsonNumber = (x) => (Number.isFinite(x) ? Number(float32Text(x)) : float32Text(x));
const jsonArray = (data) => Array.from(data, jsonNumber);

// The experiment as runExperiment (web/viz/experiment.js) returns it:
// { shape, input, layers, ok, pairs }: layers [{ label, spec, code, result } or
// { label, spec, error }], ok the layers that ran (with their own letters), and
// pairs [{ a, b, cmp }] the first of them against each other one, as the page
// compares.

// A layer that refused the input: its message, and torch's exception when torch raises too.
const refusal = (e) => ({ error: e.message, ...(e.torch ? { torch: torchText(e.torch) } : {}) });

export function toJSON(exp) {
  const { shape, input, layers, pairs } = exp;
  const doc = {
    shape: shape.slice(),
    input: jsonArray(input),
    layers: layers.map((l) => ({
      label: l.label, text: layersText([l.spec]), // a layer the link got wrong: as it was written
      ...(l.result ? { pytorch: l.code, output: jsonArray(l.result.data) } : refusal(l.error)),
    })),
  };
  if (pairs.length) {
    // identical: every output equals the first one's
    doc.identical = pairs.every((p) => p.cmp.identical);
    doc.pairs = pairs.map((p) => ({
      a: p.a.label, b: p.b.label, identical: p.cmp.identical, maxAbsDiff: jsonNumber(p.cmp.maxAbsDiff), diff: jsonArray(p.cmp.diff),
    }));
  }
  return JSON.stringify(doc, null, 1);
}

// RFC 4180 quoting, for a field with a comma, quote or line break.
const csvField = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

// Row-major index tuple of the flat index i.
function indexTuple(i, shape) {
  const idx = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

export function toCSV(exp) {
  const { shape, input, ok, pairs } = exp;
  const header = ['index', ...shape.map((_, d) => `i${d}`), 'input',
    ...ok.map((l) => `${l.label} ${formatLayer(l.spec)}`), ...pairs.map((p) => `diff_${p.a.label}_${p.b.label}`)];
  const lines = [header.map(csvField).join(',')];
  for (let i = 0; i < product(shape); i++) {
    const row = [String(i), ...indexTuple(i, shape), float32Text(input[i]),
      ...ok.map((l) => float32Text(l.result.data[i])), ...pairs.map((p) => float32Text(p.cmp.diff[i]))];
    lines.push(row.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
