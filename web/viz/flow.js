// The normalization flow of the source document (input -> mean -> std ->
// normalize -> output) as an SVG, filled with the numbers of one group.
import { s, fmt } from './dom.js';

const W = 196, H = 96, GAP = 30;

function list(xs, max = 3) {
  const shown = Array.from(xs.slice(0, max), (v) => fmt(v, 3));
  return `[${shown.join(', ')}${xs.length > max ? ', …' : ''}]`;
}

/**
 * g: { x: group inputs, y: group outputs, mean, var, eps, rms (RMSNorm: no mean) }
 * t: localized labels { input, mean, std, normalize, output, title }.
 * vertical: stack the boxes (narrow screens).
 */
export function flowDiagram(g, t, { vertical = false } = {}) {
  const n = g.x.length, sd = Math.sqrt(g.var + g.eps);
  const x0 = g.x[0], y0 = g.y[0];
  const boxes = [
    [t.input, `n = ${n}`, list(g.x)],
    g.rms ? [t.mean, 'RMSNorm:', 'μ = 0'] : [t.mean, 'μ = Σx / n', `= ${fmt(g.mean)}`],
    [t.std, `√(${g.rms ? 'mean(x²)' : 'Var'} + ε)`, `= √(${fmt(g.var)} + ${fmt(g.eps)})`, `= ${fmt(sd)}`],
    [t.normalize, '(x − μ) / σ', `(${fmt(x0, 3)} − ${fmt(g.rms ? 0 : g.mean, 3)}) / ${fmt(sd, 3)}`, `= ${fmt((x0 - (g.rms ? 0 : g.mean)) / sd, 4)}`],
    [t.output, list(g.y), `y₀ = ${fmt(y0)}`],
  ];
  const step = (vertical ? H : W) + GAP;
  const width = vertical ? W + 60 : boxes.length * step - GAP;
  const height = vertical ? boxes.length * step - GAP : H;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: ['flow', vertical && 'vertical'], role: 'img', 'aria-label': t.title },
    s('title', { text: t.title }),
    s('defs', null, s('marker', { id: 'flow-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0 0L10 5L0 10z', class: 'arrow-head' }))));
  boxes.forEach(([head, ...lines], k) => {
    const bx = vertical ? 30 : k * step, by = vertical ? k * step : 0;
    svg.append(s('g', { class: 'flow-box' },
      s('rect', { x: bx, y: by, width: W, height: H, rx: 8 }),
      s('text', { x: bx + W / 2, y: by + 20, 'text-anchor': 'middle', class: 'flow-head', text: head }),
      lines.map((line, m) => s('text', { x: bx + W / 2, y: by + 42 + m * 17, 'text-anchor': 'middle', text: line }))));
    if (k < boxes.length - 1) {
      const d = vertical ? `M${bx + W / 2} ${by + H + 2}V${by + H + GAP - 3}` : `M${bx + W + 2} ${H / 2}H${bx + W + GAP - 3}`;
      svg.append(s('path', { d, class: 'flow-arrow', 'marker-end': 'url(#flow-arrow)' }));
    }
  });
  return svg;
}
