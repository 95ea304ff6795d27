// The use-case pie chart of the source document as an accessible SVG (shared
// by the page and <normlab-compare>), or a pie of data a host page gives.
import { LabError, t } from '../lab/index.js';
import { s, h } from './dom.js';

export const DEFAULT_PIE = [['nlp', 60], ['image', 25], ['generative', 15]];

const kindOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Parse pie data given as JSON: {"NLP": 60, ...}, [["NLP", 60], ...] or
 * [{"label": "NLP", "value": 60}, ...]. Throws a LabError naming what is wrong. */
export function parsePieData(json) {
  let v;
  try { v = typeof json === 'string' ? JSON.parse(json) : json; } catch (e) {
    throw new LabError('err.pie.json', { message: e.message });
  }
  let rows;
  if (Array.isArray(v)) rows = v.map((r) => (Array.isArray(r) ? r : [r && r.label, r && r.value]));
  else if (v && typeof v === 'object') rows = Object.entries(v);
  else throw new LabError('err.pie.type', { got: kindOf(v) });
  if (!rows.length) throw new LabError('err.pie.empty');
  rows.forEach(([label, value], k) => {
    if (typeof label !== 'string' || !label) throw new LabError('err.pie.label', { index: String(k + 1) });
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new LabError('err.pie.value', { label, got: JSON.stringify(value) ?? kindOf(value) });
    }
  });
  if (!rows.some((r) => r[1] > 0)) throw new LabError('err.pie.positive');
  return rows.map(([label, value]) => ({ label, value }));
}

// Twelve distinct colours; more slices get golden-angle hues, which never repeat.
const PALETTE = ['#3b6fd8', '#e0872b', '#3aa36b', '#c2467a', '#7a5cc7', '#8a8f2a',
  '#2a9ab0', '#b0542a', '#d4b32a', '#5a6b7d', '#e07ab8', '#7fc8e8'];

function hslHex(hue, sat, light) {
  const a = sat * Math.min(light, 1 - light);
  const f = (n) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (light - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)))).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** Colour of slice i (a #rrggbb string). */
export function sliceColor(i) {
  return i < PALETTE.length ? PALETTE[i] : hslHex((i * 137.508) % 360, 0.6, i % 2 ? 0.45 : 0.62);
}

// WCAG relative luminance and contrast ratio of two #rrggbb colours.
function luminance(hex) {
  const c = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255)
    .map((u) => (u <= 0.03928 ? u / 12.92 : ((u + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever reads better on `fill`: at least 4.58:1 for any colour. */
export function labelColor(fill) {
  return contrast(fill, '#000000') >= contrast(fill, '#ffffff') ? '#000000' : '#ffffff';
}

const point = (cx, cy, r, a) => [cx + r * Math.sin(a), cy - r * Math.cos(a)]; // a = 0 at 12 o'clock, clockwise
const LABEL_AT = 0.66; // label centres at this fraction of the radius
// A label goes in its slice only when the slice is wide enough there for the
// text (13px bold: about 7.8px a character), so it never reads against a neighbour.
const labelFits = (frac, r, text) => frac >= 0.5 || 2 * LABEL_AT * r * Math.sin(frac * Math.PI) >= text.length * 7.8 + 4;

/** slices: [{label, value}]; returns <figure> with the SVG, a legend and an optional note. */
export function pieChart(slices, { title, desc, note, id = 'pie' } = {}) {
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
    const color = sliceColor(i);
    const pct = `${(frac * 100).toFixed(frac * 100 % 1 ? 1 : 0)}%`;
    const [x0, y0] = point(cx, cy, r, a0), [x1, y1] = point(cx, cy, r, a1);
    const mid = (a0 + a1) / 2, [lx, ly] = point(cx, cy, r * LABEL_AT, mid);
    // A full circle cannot be one arc: split it in two halves.
    const d = frac >= 0.999999
      ? `M${cx} ${cy - r}A${r} ${r} 0 1 1 ${cx} ${cy + r}A${r} ${r} 0 1 1 ${cx} ${cy - r}Z`
      : `M${cx} ${cy}L${x0.toFixed(3)} ${y0.toFixed(3)}A${r} ${r} 0 ${frac > 0.5 ? 1 : 0} 1 ${x1.toFixed(3)} ${y1.toFixed(3)}Z`;
    svg.append(s('path', { d, fill: color, class: 'slice', 'data-label': sl.label, 'data-value': sl.value },
      s('title', { text: `${sl.label}: ${sl.value} (${pct})` })));
    if (labelFits(frac, r, pct)) {
      const label = s('text', { x: lx.toFixed(1), y: ly.toFixed(1), class: 'pie-pct', 'text-anchor': 'middle', 'dominant-baseline': 'middle', text: pct });
      label.style.fill = labelColor(color); // inline: a stylesheet's fill would beat the attribute
      svg.append(label);
    }
    const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = color;
    legend.append(h('li', null, sw, `${sl.label} — ${sl.value} (${pct})`));
    a0 = a1;
  });
  return h('figure', { class: 'pie-figure' }, svg,
    h('figcaption', null, h('strong', { text: title }), legend, note ? h('p', { class: 'pie-note muted', text: note }) : null));
}

/** The pie: the source document's numbers (with a note saying where they come
 * from), or `data` as parsed by parsePieData under its own `title`. */
export function pieSection(lang, { data, title, id } = {}) {
  const slices = data || DEFAULT_PIE.map(([k, v]) => ({ label: t(lang, `pie.${k}`), value: v }));
  const list = slices.map((x) => `${x.label}: ${x.value}`).join(', ');
  if (data) return pieChart(slices, { title: title || t(lang, 'pie.custom_title'), desc: list, id });
  return pieChart(slices, {
    title: title || t(lang, 'pie.title'), desc: `${t(lang, 'page.pie_desc')} ${list}`, note: t(lang, 'pie.source_note'), id,
  });
}
