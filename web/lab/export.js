// Downloads of an experiment: JSON for programs, CSV for spreadsheets.
import { formatLayer } from './specs.js';
import { pytorchCode } from './pytorch-code.js';
import { product } from './parse.js';

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

const LABELS = 'ABCDEFGH';

export function toJSON(experiment) {
  const { shape, input, layers, results, comparison } = experiment;
  const doc = {
    shape: shape.slice(),
    input: jsonArray(input),
    layers: layers.map((spec, i) => ({
      label: LABELS[i], text: formatLayer(spec), pytorch: pytorchCode(spec, shape), output: jsonArray(results[i].data),
    })),
  };
  if (comparison) {
    doc.identical = comparison.identical;
    doc.maxAbsDiff = jsonNumber(comparison.maxAbsDiff);
    doc.diff = jsonArray(comparison.diff);
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

export function toCSV(experiment) {
  const { shape, input, layers, results, comparison } = experiment;
  const header = ['index', ...shape.map((_, d) => `i${d}`), 'input',
    ...layers.map((spec, i) => `${LABELS[i]} ${formatLayer(spec)}`)];
  if (comparison) header.push('diff');
  const lines = [header.map(csvField).join(',')];
  for (let i = 0; i < product(shape); i++) {
    const row = [String(i), ...indexTuple(i, shape), float32Text(input[i]), ...results.map((r) => float32Text(r.data[i]))];
    if (comparison) row.push(float32Text(comparison.diff[i]));
    lines.push(row.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
