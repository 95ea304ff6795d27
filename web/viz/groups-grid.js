// "Which elements are normalized together": the tensor drawn as a grid, one
// colour per normalization group (after Figure 2 of Wu & He, "Group
// Normalization", but for the user's actual shape).
import { h, s, groupColor } from './dom.js';

const CELL = 20, GAP = 2, PITCH = CELL + GAP, SLICE_GAP = 14, LABEL = 15;
// A row longer than WRAP cells is drawn as several lines of equal length,
// with ROW_GAP between the tensor's rows so that they stay apart.
const WRAP = 32, ROW_GAP = 6;
// At most this many columns of cells side by side before slices wrap.
const MAX_COLS = 40;
// On screen a cell is 16 to 30 px: the picture shrinks to its panel down to
// MIN_SCALE and scrolls below that, instead of becoming hairlines; it grows up
// to MAX_SCALE, a tall one only as far as about TALL px high (or scale 1).
const MIN_SCALE = 0.8, MAX_SCALE = 1.5, TALL = 640;

// Cells carry their group's number up to this many cells; beyond, the
// colours alone (text costs most of the drawing time of a big grid).
const NUMBERED = 1024;
// A group number of three or more digits is squeezed to fit its cell.
const squeeze = (g) => (g >= 100 ? { textLength: CELL - 3, lengthAdjust: 'spacingAndGlyphs' } : {});

/** Row-major multi-index of flat index i. */
export function unravel(i, shape) {
  const idx = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) { idx[d] = i % shape[d]; i = Math.floor(i / shape[d]); }
  return idx;
}

/** Geometry: the last dim runs across (wrapped when long), the one before it
 * down, and every leading index gets its own small matrix ("slice"); slices
 * sit side by side (the axis before the rows, e.g. C of NCHW) and wrap into
 * rows of slices (e.g. N). */
export function layout(shape) {
  const r = shape.length;
  const cols = r ? shape[r - 1] : 1, rows = r >= 2 ? shape[r - 2] : 1;
  const lead = shape.slice(0, Math.max(0, r - 2));
  const slices = lead.reduce((a, b) => a * b, 1);
  const lines = Math.max(1, Math.ceil(cols / WRAP)); // lines per tensor row
  const wrap = Math.max(1, Math.ceil(cols / lines)); // cells per line
  const perRow = Math.max(1, Math.min(r >= 3 ? shape[r - 3] : 1, Math.floor(MAX_COLS / wrap) || 1, slices));
  const rowGap = lines > 1 ? ROW_GAP : 0;
  // A slice is at least as wide as its label ("N=0 C=1").
  const sw = Math.max(wrap * PITCH - GAP, lead.length * 24);
  const sh = Math.max(0, rows * lines * PITCH - GAP + Math.max(0, rows - 1) * rowGap);
  const sliceRows = Math.ceil(slices / perRow);
  const width = perRow * sw + (perRow - 1) * SLICE_GAP;
  const height = Math.max(0, sliceRows * (sh + LABEL) + (sliceRows - 1) * SLICE_GAP);
  return { cols, rows, lines, wrap, rowGap, perRow, sliceRows, sw, sh, width, height, lead };
}

/** Where element i is drawn: its slice k, the slice's origin (ox, oy), the
 * cell's corner (x, y) and its place (gx, gy) on the whole picture's grid of
 * cells, which the arrow keys walk. */
export function place(L, i) {
  const perSlice = L.rows * L.cols;
  const k = Math.floor(i / perSlice), j = i % perSlice;
  const row = Math.floor(j / L.cols), c = j % L.cols;
  const line = row * L.lines + Math.floor(c / L.wrap), col = c % L.wrap;
  const ox = (k % L.perRow) * (L.sw + SLICE_GAP), oy = Math.floor(k / L.perRow) * (L.sh + LABEL + SLICE_GAP);
  return {
    k, ox, oy, x: ox + col * PITCH, y: oy + LABEL + line * PITCH + row * L.rowGap,
    gx: (k % L.perRow) * L.wrap + col, gy: Math.floor(k / L.perRow) * L.rows * L.lines + line,
  };
}

/** The keyboard on the picture of `shape` with `size` elements: a function
 * (i, key, ctrl) -> the element the key moves to from element i (i itself at
 * the picture's edge), or null for a key it does not handle. An arrow goes to
 * the nearest cell drawn in its direction on the same line or column: ArrowDown
 * from a slice's bottom row goes to the slice drawn below, if any, never to the
 * one drawn beside it. Home/End go to the first/last element of i's row (the
 * last axis), Ctrl+Home/End to the first/last element of the tensor. */
export function gridMoves(shape, size, L = layout(shape)) {
  const W = L.perRow * L.wrap, H = L.sliceRows * L.rows * L.lines;
  const at = new Int32Array(W * H).fill(-1); // element at each place, -1: none
  for (let i = 0; i < size; i++) { const p = place(L, i); at[p.gy * W + p.gx] = i; }
  return (i, key, ctrl = false) => {
    if (key === 'Home' || key === 'End') {
      if (ctrl) return key === 'Home' ? 0 : size - 1;
      const first = i - (i % L.cols);
      return key === 'Home' ? first : first + L.cols - 1;
    }
    const d = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] }[key];
    if (!d) return null;
    // The next cell on the same line of the picture, over any empty places
    // (a short last line of a wrapped row, a missing last slice).
    const p = place(L, i);
    for (let gx = p.gx + d[0], gy = p.gy + d[1]; gx >= 0 && gy >= 0 && gx < W && gy < H; gx += d[0], gy += d[1]) {
      if (at[gy * W + gx] >= 0) return at[gy * W + gx];
    }
    return i;
  };
}

/**
 * groupIds: group index of every element (flat, row-major); nGroups: their count.
 * onSelect(i, how) is called on hover ('pointer'), click ('click') and keys ('key').
 * Returns { el, svg, select(i), width } where select highlights element i and
 * its group; el is the scroll box around the svg.
 */
export function groupsGrid(shape, groupIds, nGroups, { label, axisNames, onSelect } = {}) {
  const L = layout(shape);
  const size = groupIds.length;
  const svg = s('svg', {
    viewBox: `-1 -1 ${L.width + 2} ${L.height + 2}`, class: 'groups-grid', role: 'group',
    tabindex: 0, 'aria-label': label,
  });
  // width: 100% (viz.css) between these bounds; a narrower panel scrolls.
  svg.style.minWidth = `${Math.round((L.width + 2) * MIN_SCALE)}px`;
  const grow = Math.min(MAX_SCALE, Math.max(1, TALL / (L.height + 2)));
  svg.style.maxWidth = `${Math.round((L.width + 2) * grow)}px`;
  const cells = new Array(size);
  const byGroup = new Map();
  for (let i = 0; i < size; i++) {
    const p = place(L, i), g = groupIds[i];
    if (L.lead.length && i % (L.rows * L.cols) === 0) {
      const idx = unravel(p.k, L.lead);
      const text = axisNames ? idx.map((v, d) => `${axisNames[d]}=${v}`).join(' ') : `[${idx.join(',')}]`;
      svg.append(s('text', { x: p.ox, y: p.oy + 11, class: 'slice-label', text }));
    }
    const cell = s('g', { class: 'cell', 'data-index': i, 'data-group': g },
      s('rect', { x: p.x, y: p.y, width: CELL, height: CELL, rx: 3, fill: groupColor(g, nGroups) }),
      size <= NUMBERED ? s('text', { x: p.x + CELL / 2, y: p.y + CELL / 2 + 3.5, 'text-anchor': 'middle', text: g, ...squeeze(g) }) : null);
    cells[i] = cell;
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g).push(cell);
    svg.append(cell);
  }
  const move = gridMoves(shape, size, L);
  let current = -1;
  // Only the cells whose state changes are touched: a grid has up to 4096.
  function select(i) {
    if (i === current || !(i >= 0 && i < size)) return;
    const was = current >= 0 ? groupIds[current] : null, g = groupIds[i];
    if (was !== g) {
      for (const c of byGroup.get(was) || []) c.classList.remove('in-group');
      for (const c of byGroup.get(g)) c.classList.add('in-group');
    }
    cells[current]?.classList.remove('selected');
    cells[i].classList.add('selected');
    current = i;
  }
  const pick = (how) => (e) => {
    const c = e.target.closest && e.target.closest('.cell');
    if (c) onSelect?.(Number(c.dataset.index), how);
  };
  svg.addEventListener('pointerover', pick('pointer'));
  svg.addEventListener('click', pick('click'));
  svg.addEventListener('keydown', (e) => {
    if (!size || e.altKey || e.metaKey) return;
    const next = move(Math.max(0, current), e.key, e.ctrlKey);
    if (next === null) return;
    e.preventDefault();
    if (next !== current) onSelect?.(next, 'key');
    // Keep the selected cell visible when the picture scrolls in its box.
    cells[next]?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  });
  // The scroll box: only a picture wider or taller than its panel scrolls. The
  // svg inside is the keyboard's stop (arrow keys scroll the selection into
  // view), so the box needs no tab stop of its own.
  const el = h('div', { class: 'grid-scroll' }, svg);
  return { el, svg, select, width: L.width };
}

