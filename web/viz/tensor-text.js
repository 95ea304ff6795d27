// A tensor printed the way PyTorch prints it: nested brackets, fixed decimals,
// `nan`/`inf`, an empty tensor as `tensor([], size=(2, 0, 3))`, and a large one
// summarized with `...` around 3 items at each end of every axis. The text is
// language-free, and web/lab's parseValues reads it back.
const EDGE = 3;

const cell = (v, decimals) => (Number.isNaN(v) ? 'nan' : Number.isFinite(v) ? v.toFixed(decimals) : v > 0 ? 'inf' : '-inf');

// The indices shown along an axis of size n; null stands for "...".
function shownIndices(n, summarize) {
  const all = Array.from({ length: n }, (_, i) => i);
  return summarize && n > 2 * EDGE ? [...all.slice(0, EDGE), null, ...all.slice(n - EDGE)] : all;
}

export function tensorText(data, shape, { decimals = 4, max = 120 } = {}) {
  if (data.length === 0) return shape.length === 1 ? 'tensor([])' : `tensor([], size=(${shape.join(', ')}))`;
  const summarize = data.length > max;
  const cells = Array.from(data, (v) => cell(v, decimals));
  const width = Math.max(...cells.map((c) => c.length));
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const rec = (d, offset, indent) => {
    const idx = shownIndices(shape[d], summarize);
    if (d === shape.length - 1) return `[${idx.map((i) => (i === null ? '...' : cells[offset + i].padStart(width))).join(', ')}]`;
    const parts = idx.map((i) => (i === null ? '...' : rec(d + 1, offset + i * strides[d], indent + 1)));
    const sep = ',' + '\n'.repeat(shape.length - 1 - d) + ' '.repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${rec(0, 0, 7)})`;
}
