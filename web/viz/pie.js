// The use-case pie chart of the source document as an accessible SVG.
import { t } from '../lab/index.js';
import { s, h } from './dom.js';

export const DEFAULT_PIE = [['nlp', 60], ['image', 25], ['generative', 15]];

/** Parse pie data given as JSON: {"NLP": 60, ...}, [["NLP", 60], ...] or
 * [{"label": "NLP", "value": 60}, ...]. Throws an Error with a readable message. */
export function parsePieData(json) {
  let v;
  try { v = typeof json === 'string' ? JSON.parse(json) : json; } catch (e) {
    throw new Error(`pie-data is not valid JSON (${e.message})`);
  }
  let rows;
  if (Array.isArray(v)) rows = v.map((r) => (Array.isArray(r) ? r : [r && r.label, r && r.value]));
  else if (v && typeof v === 'object') rows = Object.entries(v);
  else throw new Error('pie-data must be an object or an array');
  if (!rows.length) throw new Error('pie-data is empty');
  for (const [label, value] of rows) {
    if (typeof label !== 'string' || !label) throw new Error('every pie slice needs a text label');
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`pie slice "${label}" needs a number >= 0`);
    }
  }
  if (!rows.some((r) => r[1] > 0)) throw new Error('pie-data needs at least one value > 0');
  return rows.map(([label, value]) => ({ label, value }));
}

const PALETTE = ['#3b6fd8', '#e0872b', '#3aa36b', '#c2467a', '#7a5cc7', '#8a8f2a', '#2a9ab0', '#b0542a'];
const point = (cx, cy, r, a) => [cx + r * Math.sin(a), cy - r * Math.cos(a)]; // a = 0 at 12 o'clock, clockwise

/** slices: [{label, value}]; returns <figure> with the SVG and a legend. */
export function pieChart(slices, { title, desc, id = 'pie' } = {}) {
  const total = slices.reduce((a, x) => a + x.value, 0);
  const cx = 110, cy = 110, r = 100;
  const titleId = `${id}-title`, descId = `${id}-desc`;
  const svg = s('svg', {
    viewBox: '0 0 220 220', role: 'img', class: 'pie', 'aria-labelledby': `${titleId} ${descId}`,
  }, s('title', { id: titleId, text: title }), s('desc', { id: descId, text: desc }));
  let a0 = 0;
  const legend = h('ul', { class: 'legend' });
  slices.forEach((sl, i) => {
    if (!(sl.value > 0)) return;
    const frac = sl.value / total, a1 = a0 + frac * 2 * Math.PI;
    const color = PALETTE[i % PALETTE.length];
    const pct = `${(frac * 100).toFixed(frac * 100 % 1 ? 1 : 0)}%`;
    const [x0, y0] = point(cx, cy, r, a0), [x1, y1] = point(cx, cy, r, a1);
    const mid = (a0 + a1) / 2, [lx, ly] = point(cx, cy, r * 0.62, mid);
    // A full circle cannot be one arc: split it in two halves.
    const d = frac >= 0.999999
      ? `M${cx} ${cy - r}A${r} ${r} 0 1 1 ${cx} ${cy + r}A${r} ${r} 0 1 1 ${cx} ${cy - r}Z`
      : `M${cx} ${cy}L${x0.toFixed(3)} ${y0.toFixed(3)}A${r} ${r} 0 ${frac > 0.5 ? 1 : 0} 1 ${x1.toFixed(3)} ${y1.toFixed(3)}Z`;
    svg.append(s('path', { d, fill: color, class: 'slice', 'data-label': sl.label, 'data-value': sl.value },
      s('title', { text: `${sl.label}: ${sl.value} (${pct})` })));
    if (frac >= 0.06) {
      svg.append(s('text', { x: lx.toFixed(1), y: ly.toFixed(1), class: 'pie-pct', 'text-anchor': 'middle', 'dominant-baseline': 'middle', text: pct }));
    }
    const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = color;
    legend.append(h('li', null, sw, `${sl.label} — ${sl.value} (${pct})`));
    a0 = a1;
  });
  return h('figure', { class: 'pie-figure' }, svg, h('figcaption', null, h('strong', { text: title }), legend));
}

/** The pie; `data` as parsed by parsePieData, or the source document's numbers. */
export function pieSection(lang, data, id) {
  const slices = data || DEFAULT_PIE.map(([k, v]) => ({ label: t(lang, `pie.${k}`), value: v }));
  const desc = slices.map((x) => `${x.label}: ${x.value}`).join(', ');
  return pieChart(slices, { title: t(lang, 'pie.title'), desc: `${t(lang, 'page.pie_desc')} ${desc}`, id });
}
