// The normalization flow of the source document (input -> mean -> std ->
// normalize -> output) as an SVG, filled with the numbers of one group.
import { s, fmt } from './dom.js';

const W = 196, H = 96, GAP = 24, ROW_GAP = 30;
// The SVG is drawn at its width in px, scaled between these factors to fit
// its box: with the text at 12.5 px (viz.css) it stays at 12 px or more.
const MIN_SCALE = 0.96, MAX_SCALE = 1.15;
// Boxes per row the diagram may use, widest first (5 in a row, 3 + 2, ...).
const COLUMNS = [5, 3, 2, 1];
// A list of values is cut to fit a box: at most this many characters; any
// line longer than FIT_CHARS is squeezed to the box's width.
const LIST_CHARS = 22, FIT_CHARS = 24;
const fit = (line) => (line.length > FIT_CHARS ? { textLength: W - 12, lengthAdjust: 'spacingAndGlyphs' } : {});

// M: a margin around the boxes, so that their outlines are not cut.
const M = 2;
const naturalWidth = (columns) => columns * W + (columns - 1) * GAP + 2 * M;

/** The most boxes per row that keep the text readable in a box `width` px wide. */
export function flowColumns(width) {
  return COLUMNS.find((c) => naturalWidth(c) * MIN_SCALE <= width) ?? 1;
}

// "[a, b, …]": as many leading values as fit in LIST_CHARS, at least one.
function list(xs) {
  let text = '';
  for (let k = 0; k < xs.length; k++) {
    const more = k + 1 < xs.length ? ', …]' : ']';
    const next = `${text}${k ? ', ' : '['}${fmt(xs[k], 3)}`;
    if (k > 0 && (next + more).length > LIST_CHARS) return `${text}, …]`;
    text = next;
  }
  return `${text || '['}]`;
}

// The arrow from box k to box k + 1: straight within a row, and from the end
// of a row down and back to the start of the next one.
function arrowPath(a, b) {
  if (a.y === b.y) return `M${a.x + W + 2} ${a.y + H / 2}H${b.x - 3}`;
  const mid = a.y + H + ROW_GAP / 2;
  if (a.x === b.x) return `M${a.x + W / 2} ${a.y + H + 2}V${b.y - 3}`;
  return `M${a.x + W / 2} ${a.y + H + 2}V${mid}H${b.x + W / 2}V${b.y - 3}`;
}

/**
 * g: { x: group inputs, y: group outputs, mean, var, eps, rms (RMSNorm: no mean) }
 * t: localized labels { input, mean, std, normalize, output, title }.
 * columns: boxes per row (flowColumns(width) picks it); vertical: the same as columns = 1.
 */
export function flowDiagram(g, t, { columns, vertical = false } = {}) {
  const c = columns ?? (vertical ? 1 : 5);
  const n = g.x.length, sd = Math.sqrt(g.var + g.eps);
  const x0 = g.x[0], y0 = g.y[0];
  const boxes = [
    [t.input, `n = ${n}`, list(g.x)],
    g.rms ? [t.mean, 'RMSNorm:', 'μ = 0'] : [t.mean, 'μ = Σx / n', `= ${fmt(g.mean)}`],
    [t.std, `√(${g.rms ? 'mean(x²)' : 'Var'} + ε)`, `= √(${fmt(g.var)} + ${fmt(g.eps)})`, `= ${fmt(sd)}`],
    [t.normalize, '(x − μ) / σ', `(${fmt(x0, 3)} − ${fmt(g.rms ? 0 : g.mean, 3)}) / ${fmt(sd, 3)}`, `= ${fmt((x0 - (g.rms ? 0 : g.mean)) / sd, 4)}`],
    [t.output, list(g.y), `y₀ = ${fmt(y0)}`],
  ];
  const rows = Math.ceil(boxes.length / c);
  const width = naturalWidth(c), height = rows * H + (rows - 1) * ROW_GAP;
  const at = boxes.map((_, k) => ({ x: (k % c) * (W + GAP), y: Math.floor(k / c) * (H + ROW_GAP) }));
  const svg = s('svg', { viewBox: `${-M} ${-M} ${width} ${height + 2 * M}`, class: 'flow', 'data-columns': c, role: 'img', 'aria-label': t.title },
    s('title', { text: t.title }),
    s('defs', null, s('marker', { id: 'flow-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0 0L10 5L0 10z', class: 'arrow-head' }))));
  svg.style.maxWidth = `${Math.round(width * MAX_SCALE)}px`;
  boxes.forEach(([head, ...lines], k) => {
    const { x, y } = at[k];
    svg.append(s('g', { class: 'flow-box' },
      s('rect', { x, y, width: W, height: H, rx: 8 }),
      s('text', { x: x + W / 2, y: y + 20, 'text-anchor': 'middle', class: 'flow-head', text: head }),
      lines.map((line, m) => s('text', { x: x + W / 2, y: y + 42 + m * 17, 'text-anchor': 'middle', text: line, ...fit(line) }))));
    if (k < boxes.length - 1) svg.append(s('path', { d: arrowPath(at[k], at[k + 1]), class: 'flow-arrow', 'marker-end': 'url(#flow-arrow)' }));
  });
  return svg;
}
