// A float32 tensor printed the way torch 1.13 prints it (torch/_tensor_str.py,
// default print options): one number format for the whole tensor (whole
// numbers as "1.", fixed 4 decimals, or scientific when the magnitudes are far
// apart), `nan`/`inf`, rows wrapped at 80 columns, an empty tensor as
// `tensor([], size=(2, 0, 3))`, and more than `max` elements summarized with
// `...` around 3 items at each end of every axis. Pinned against torch's own
// prints (tests/fixtures/tensor-prints.json); web/lab's parseValues reads it back.
const EDGE = 3;
const LINE_WIDTH = 80;
const PRECISION = 4;

// Python's '{:.Nf}': the exact value rounded half to even (JS's toFixed
// rounds an exact tie up: 0.03125 -> "0.0313" where torch prints 0.0312).
function fixed(v, digits) {
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  const long = a.toFixed(digits + 25); // exact for float32 values
  const rest = long.slice(-25);
  let text = a.toFixed(digits);
  if (/^50*$/.test(rest)) {
    const cut = long.slice(0, -25).replace(/\.$/, '');
    if (Number(cut.at(-1)) % 2 === 0) text = cut; // tie: keep the even digit
  }
  return sign + text;
}

// Python's '{:.4e}': two exponent digits at least.
const scientific = (v) => v.toExponential(PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');

/** torch's _Formatter: the format of every element, from the values shown. */
function formatter(values) {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (finite.length === 0) return { format: (v) => (Number.isFinite(v) ? fixed(v, 0) + '.' : special(v)), width: 1 };
  const abs = finite.map(Math.abs);
  const lo = Math.min(...abs), hi = Math.max(...abs);
  const whole = finite.every((v) => Number.isInteger(v));
  const sci = hi / lo > 1000 || hi > 1e8 || (!whole && lo < 1e-4);
  const format = sci ? (v) => (Number.isFinite(v) ? scientific(v) : special(v))
    : whole ? (v) => (Number.isFinite(v) ? fixed(v, 0) + '.' : special(v))
      : (v) => (Number.isFinite(v) ? fixed(v, PRECISION) : special(v));
  // torch measures the width on the finite non-zero values only.
  return { format, width: Math.max(1, ...finite.map((v) => format(v).length)) };
}
const special = (v) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');

// The indices shown along an axis of size n; null stands for "...".
function shownIndices(n, summarize) {
  const all = Array.from({ length: n }, (_, i) => i);
  return summarize && n > 2 * EDGE ? [...all.slice(0, EDGE), null, ...all.slice(n - EDGE)] : all;
}

export function tensorText(data, shape, { max = 1000 } = {}) {
  if (data.length === 0) return shape.length === 1 ? 'tensor([])' : `tensor([], size=(${shape.join(', ')}))`;
  const summarize = data.length > max;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  // The elements shown, as offsets (row-major), under each axis's indices.
  const walk = (d, offset, visit) => {
    for (const i of shownIndices(shape[d], summarize)) {
      if (i !== null) (d === shape.length - 1 ? visit(offset + i) : walk(d + 1, offset + i * strides[d], visit));
    }
  };
  const shown = [];
  walk(0, 0, (k) => shown.push(data[k]));
  const { format, width } = formatter(shown);
  const cell = (v) => format(v).padStart(width);
  const rec = (d, offset, indent) => {
    const idx = shownIndices(shape[d], summarize);
    if (d === shape.length - 1) {
      const items = idx.map((i) => (i === null ? ' ...' : cell(data[offset + i])));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (width + 2)));
      const lines = [];
      for (let k = 0; k < items.length; k += perLine) lines.push(items.slice(k, k + perLine).join(', '));
      return `[${lines.join(',\n' + ' '.repeat(indent + 1))}]`;
    }
    const parts = idx.map((i) => (i === null ? '...' : rec(d + 1, offset + i * strides[d], indent + 1)));
    const sep = ',' + '\n'.repeat(shape.length - 1 - d) + ' '.repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${rec(0, 0, 7)})`;
}
