// "Which elements are normalized together": the tensor drawn as a grid, one
// colour per normalization group (after Figure 2 of Wu & He, "Group
// Normalization", but for the user's actual shape).
import { s, groupColor } from './dom.js';

const CELL = 26, GAP = 2, SLICE_GAP = 14, LABEL = 15;

/** Row-major multi-index of flat index i. */
export function unravel(i, shape) {
  const idx = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) { idx[d] = i % shape[d]; i = Math.floor(i / shape[d]); }
  return idx;
}

/** Geometry: the last dim runs across, the one before it down, and every
 * leading index gets its own small matrix ("slice"), wrapped into rows. */
function layout(shape) {
  const r = shape.length;
  const cols = r ? shape[r - 1] : 1, rows = r >= 2 ? shape[r - 2] : 1;
  const slices = shape.slice(0, Math.max(0, r - 2)).reduce((a, b) => a * b, 1);
  const perRow = Math.max(1, Math.min(r >= 3 ? shape[r - 3] : 1, Math.floor(40 / cols) || 1, slices));
  // A slice is at least as wide as its label ("N=0 C=1").
  const sw = Math.max(cols * (CELL + GAP) - GAP, (r - 2) * 24), sh = rows * (CELL + GAP) - GAP;
  const width = perRow * sw + (perRow - 1) * SLICE_GAP;
  const sliceRows = Math.ceil(slices / perRow);
  const height = sliceRows * (sh + LABEL) + (sliceRows - 1) * SLICE_GAP;
  return { cols, rows, perRow, sw, sh, width, height, lead: shape.slice(0, Math.max(0, r - 2)) };
}

/**
 * groupIds: group index of every element (flat, row-major); nGroups: their count.
 * onSelect(i) is called on hover, click and arrow keys.
 * Returns { el, select(i), width } where select highlights element i and its group.
 */
export function groupsGrid(shape, groupIds, nGroups, { label, axisNames, onSelect } = {}) {
  const L = layout(shape);
  const size = groupIds.length;
  const svg = s('svg', {
    viewBox: `-1 -1 ${L.width + 2} ${L.height + 2}`, class: 'groups-grid', role: 'group',
    tabindex: 0, 'aria-label': label,
  });
  svg.style.maxWidth = `${Math.max(L.width * 1.25, 120)}px`;
  const cells = new Array(size);
  const perSlice = L.rows * L.cols;
  for (let k = 0; k * perSlice < size; k++) {
    const ox = (k % L.perRow) * (L.sw + SLICE_GAP);
    const oy = Math.floor(k / L.perRow) * (L.sh + LABEL + SLICE_GAP);
    if (L.lead.length) {
      const idx = unravel(k, L.lead);
      const text = axisNames ? idx.map((v, d) => `${axisNames[d]}=${v}`).join(' ') : `[${idx.join(',')}]`;
      svg.append(s('text', { x: ox, y: oy + 11, class: 'slice-label', text }));
    }
    for (let j = 0; j < perSlice; j++) {
      const i = k * perSlice + j, g = groupIds[i];
      const x = ox + (j % L.cols) * (CELL + GAP), y = oy + LABEL + Math.floor(j / L.cols) * (CELL + GAP);
      const cell = s('g', { class: 'cell', 'data-index': i, 'data-group': g },
        s('rect', { x, y, width: CELL, height: CELL, rx: 3, fill: groupColor(g, nGroups) }),
        s('text', { x: x + CELL / 2, y: y + CELL / 2 + 3.5, 'text-anchor': 'middle', text: g }));
      cells[i] = cell;
      svg.append(cell);
    }
  }
  let current = -1;
  function select(i) {
    if (i === current || !(i >= 0 && i < size)) return;
    const g = groupIds[i];
    for (let q = 0; q < size; q++) {
      cells[q].classList.toggle('in-group', groupIds[q] === g);
      cells[q].classList.toggle('selected', q === i);
    }
    current = i;
  }
  const pick = (e) => {
    const c = e.target.closest && e.target.closest('.cell');
    if (c) onSelect?.(Number(c.dataset.index));
  };
  svg.addEventListener('pointerover', pick);
  svg.addEventListener('click', pick);
  svg.addEventListener('keydown', (e) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: L.cols, ArrowUp: -L.cols }[e.key];
    if (!step) return;
    e.preventDefault();
    const next = Math.max(0, current) + step;
    if (next >= 0 && next < size) onSelect?.(next);
  });
  return { el: svg, select, width: L.width };
}
