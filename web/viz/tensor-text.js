// A tensor printed the way PyTorch prints it: nested brackets, fixed decimals.
export function tensorText(data, shape, { decimals = 4, max = 120 } = {}) {
  if (data.length > max) return `tensor of shape (${shape.join(', ')}): ${data.length} values`;
  const cells = Array.from(data, (v) => (Number.isFinite(v) ? v.toFixed(decimals) : String(v)));
  const width = Math.max(...cells.map((c) => c.length));
  const pad = cells.map((c) => c.padStart(width));
  let k = 0;
  const rec = (d, indent) => {
    if (d === shape.length - 1) return `[${Array.from({ length: shape[d] }, () => pad[k++]).join(', ')}]`;
    const parts = Array.from({ length: shape[d] }, () => rec(d + 1, indent + 1));
    const sep = ',' + '\n'.repeat(shape.length - 1 - d) + ' '.repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${rec(0, 7)})`;
}
