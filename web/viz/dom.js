// Tiny DOM builders. Text only ever goes in through textContent/attributes,
// never innerHTML, so user input cannot become markup.
const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'text') el.textContent = v;
    else if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(typeof c === 'object' ? c : String(c));
  }
  return el;
}

/** h('p', {class: 'x', on: {click}}, 'text', child) -> HTMLElement */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
/** The same for SVG elements. */
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

/** Replace every child of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  return build(el, null, children);
}

/** A number for tables and pictures: web/lab/i18n.js's formatNumber, the
 * page's one formatter (4 significant digits unless told, PyTorch's `inf`/`nan`). */
export { formatNumber as fmt } from '../lab/i18n.js';

/** Colour of normalization group g out of n: evenly spread hues, light enough for dark text. */
export function groupColor(g, n) {
  const hue = n <= 12 ? (g * 360) / Math.max(n, 1) : (g * 137.508) % 360;
  return `hsl(${hue.toFixed(1)} 70% ${g % 2 ? 78 : 70}%)`;
}
