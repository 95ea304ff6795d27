// The training lab's SVG plots: line charts (loss and accuracy, gradient
// norms, the batch-size sweep) and decision regions. Each is built once and
// then updated in place (path data, a few tick labels), so a redraw per
// training slice costs a few path strings, not a rebuilt document.
import { s, fmt } from './dom.js';

/** Each normalization's look: a colour (a CSS class: viz.css sets it for
 * light and dark), a dash pattern and a marker shape, so that the curves stay
 * apart without colour too. */
export const NORM_STYLE = {
  none: { dash: '', marker: 'circle' },
  batch_norm: { dash: '7 3', marker: 'square' },
  layer_norm: { dash: '2 3', marker: 'triangle' },
  group_norm: { dash: '9 3 2 3', marker: 'diamond' },
  rms_norm: { dash: '4 2 4 6', marker: 'cross' },
};

/** Path data of a marker of `shape` centred at (x, y), radius r. */
export function markerPath(shape, x, y, r = 3.5) {
  const p = (v) => +v.toFixed(1);
  switch (shape) {
    case 'square': return `M${p(x - r)} ${p(y - r)}h${p(2 * r)}v${p(2 * r)}h${p(-2 * r)}z`;
    case 'triangle': return `M${p(x)} ${p(y - 1.2 * r)}L${p(x + r)} ${p(y + r)}H${p(x - r)}z`;
    case 'diamond': return `M${p(x)} ${p(y - 1.3 * r)}L${p(x + r)} ${p(y)}L${p(x)} ${p(y + 1.3 * r)}L${p(x - r)} ${p(y)}z`;
    case 'cross': return `M${p(x - r)} ${p(y - r)}L${p(x + r)} ${p(y + r)}M${p(x + r)} ${p(y - r)}L${p(x - r)} ${p(y + r)}`;
    default: return `M${p(x - r)} ${p(y)}a${r} ${r} 0 1 0 ${p(2 * r)} 0a${r} ${r} 0 1 0 ${p(-2 * r)} 0`;
  }
}

/** A legend swatch: a short line with the norm's dash and marker (an inline svg, hidden from screen readers). */
export function normSwatch(norm) {
  const st = NORM_STYLE[norm];
  return s('svg', { class: `swatch-line norm-${norm}`, viewBox: '0 0 34 12', width: 34, height: 12, 'aria-hidden': 'true', focusable: 'false' },
    s('path', { class: 'line', d: 'M1 6H33', 'stroke-dasharray': st.dash || null }),
    s('path', { class: 'marker', d: markerPath(st.marker, 17, 6) }));
}

/** Round tick values from lo to hi, about `count` of them (1, 2, 5 x 10^k). */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((v) => v >= raw);
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

// The smallest round value at or above v: a y domain that moves only in round
// steps, and one that niceTicks(0, top, 4) ends on, so that the top of the
// plot is labelled (5 is not among them: its ticks are 0, 0.2, 0.4 x 10^k).
function niceMax(v) {
  if (!(v > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  return [1, 1.5, 2, 3, 4, 6, 8, 10].map((m) => m * mag).find((m) => m >= v);
}

let uid = 0;
const MAX_POINTS = 400; // points per drawn line: the plot is ~600 px wide
const MARKERS = 8; // markers per line across the x axis

// The first index whose x is >= x, in increasing xs.
function firstAtOrAbove(xs, x) {
  let lo = 0, hi = xs.length - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid] < x) lo = mid + 1; else hi = mid; }
  return lo;
}

/** The width of a chart's drawing, in its own units (its text is 12 of them): the
 * page's and, on a phone, about the screen's width in CSS pixels, so that the text
 * stays near 12 px there too. */
export const CHART_WIDTH = { wide: 640, narrow: 360 };
const M = { l: 58, r: 14, t: 12, b: 40 };

/**
 * A chart of stacked panels over one x axis. opts: { title, xLabel, xLog2,
 * panels: [{ yLabel, log, fixed: [lo, hi] | null }], series: [{ norm }],
 * panelHeight, width (CHART_WIDTH) }. Returns { el, set(panel, series, xs, ys), draw(xDomain),
 * describe(text) }: set stores a line, draw lays everything out.
 */
export function lineChart({ title, xLabel, xLog2 = false, panels, series, panelHeight = 150, gap = 30, width: W = CHART_WIDTH.wide }) {
  const id = `nl-chart-${++uid}`;
  const H = M.t + panels.length * panelHeight + (panels.length - 1) * gap + M.b;
  const desc = s('desc', { id: `${id}-desc` });
  const el = s('svg', { class: 'train-chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc` },
    s('title', { id: `${id}-title`, text: title }), desc);
  const xAxis = s('g', { class: 'axis x-axis' });
  el.append(xAxis);
  const xAxisLabel = s('text', { class: 'axis-label', x: M.l + (W - M.l - M.r) / 2, y: H - 6, 'text-anchor': 'middle', text: xLabel });
  el.append(xAxisLabel);
  const data = panels.map(() => series.map(() => ({ xs: [], ys: [] })));
  const drawn = panels.map((panel, k) => {
    const top = M.t + k * (panelHeight + gap);
    const axis = s('g', { class: 'axis y-axis' });
    const label = s('text', { class: 'axis-label', transform: `translate(14 ${top + panelHeight / 2}) rotate(-90)`, 'text-anchor': 'middle', text: panel.yLabel });
    const frame = s('rect', { class: 'frame', x: M.l, y: top, width: W - M.l - M.r, height: panelHeight });
    const lines = series.map(({ norm }) => {
      const g = s('g', { class: `series norm-${norm}`, 'data-norm': norm });
      const line = s('path', { class: 'line', 'stroke-dasharray': NORM_STYLE[norm].dash || null });
      const marks = s('path', { class: 'marker' });
      g.append(line, marks);
      return { g, line, marks };
    });
    el.append(frame, axis, label, ...lines.map((l) => l.g));
    return { top, axis, lines, domain: null };
  });

  const x0 = M.l, x1 = W - M.r;
  let xDomain = [0, 1];
  const xPos = (x) => {
    const [a, b] = xLog2 ? xDomain.map(Math.log2) : xDomain;
    const v = xLog2 ? Math.log2(x) : x;
    return x0 + ((v - a) / (b - a || 1)) * (x1 - x0);
  };

  function drawXAxis() {
    const ticks = xLog2 ? ticksLog2(xDomain) : niceTicks(xDomain[0], xDomain[1], W < CHART_WIDTH.wide ? 4 : 6);
    const bottom = drawn.at(-1).top + panelHeight;
    xAxis.replaceChildren(...ticks.map((v) => s('g', null,
      s('line', { x1: xPos(v), x2: xPos(v), y1: bottom, y2: bottom + 4 }),
      s('text', { x: xPos(v), y: bottom + 16, 'text-anchor': 'middle', text: fmt(v, 3) }))));
  }

  function yDomainOf(k) {
    const panel = panels[k];
    if (panel.fixed) return panel.fixed;
    let lo = Infinity, hi = -Infinity;
    for (const { ys } of data[k]) for (const v of ys) if (Number.isFinite(v) && (!panel.log || v > 0)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!(hi >= lo)) return panel.log ? [1e-3, 1] : [0, 1];
    if (panel.log) return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi) + 1e-9)];
    return [0, niceMax(hi)];
  }

  function drawPanel(k) {
    const panel = panels[k];
    const d = drawn[k];
    const domain = yDomainOf(k);
    const [lo, hi] = panel.log ? domain.map(Math.log10) : domain;
    const yPos = (v) => {
      const u = panel.log ? Math.log10(Math.max(v, domain[0])) : v;
      return d.top + panelHeight - ((Math.min(Math.max(u, lo), hi) - lo) / (hi - lo || 1)) * panelHeight;
    };
    if (!d.domain || d.domain[0] !== domain[0] || d.domain[1] !== domain[1]) {
      d.domain = domain;
      const ticks = panel.log ? ticksLog10(domain) : niceTicks(domain[0], domain[1], 4);
      d.axis.replaceChildren(...ticks.map((v) => s('g', null,
        s('line', { class: 'grid', x1: x0, x2: x1, y1: yPos(v), y2: yPos(v) }),
        s('text', { x: x0 - 6, y: yPos(v) + 4, 'text-anchor': 'end', text: fmt(v, 3) }))));
    }
    data[k].forEach(({ xs, ys }, j) => {
      const { line, marks } = d.lines[j];
      const n = xs.length;
      const stride = Math.max(1, Math.ceil(n / MAX_POINTS));
      let path = '', up = true; // up: the next point starts a line (the first, or after a non-finite value)
      const add = (i) => {
        if (!Number.isFinite(ys[i])) { up = true; return; }
        path += `${up ? 'M' : 'L'}${xPos(xs[i]).toFixed(1)} ${yPos(ys[i]).toFixed(1)}`;
        up = false;
      };
      for (let i = 0; i < n; i += stride) add(i);
      if (n && (n - 1) % stride) add(n - 1);
      line.setAttribute('d', path);
      // Markers at fixed x positions of the domain (every point on a log2 axis),
      // shifted per series so that they do not sit on each other.
      let mp = '';
      const marker = NORM_STYLE[series[j].norm].marker;
      const at = (i) => { if (i >= 0 && i < n && Number.isFinite(ys[i])) mp += markerPath(marker, xPos(xs[i]), yPos(ys[i])); };
      if (xLog2) for (let i = 0; i < n; i++) at(i);
      else {
        const span = xDomain[1] - xDomain[0];
        for (let k = 0; k < MARKERS; k++) {
          const x = xDomain[0] + (span * (k + (j + 0.5) / series.length)) / MARKERS;
          if (n && x <= xs[n - 1]) at(firstAtOrAbove(xs, x));
        }
      }
      marks.setAttribute('d', mp);
    });
  }

  return {
    el,
    set(k, j, xs, ys) { data[k][j] = { xs, ys }; },
    draw(domain) {
      if (domain[0] !== xDomain[0] || domain[1] !== xDomain[1] || !xAxis.firstChild) { xDomain = domain; drawXAxis(); }
      for (let k = 0; k < panels.length; k++) drawPanel(k);
    },
    describe(text) { desc.textContent = text; },
  };
}

function ticksLog2([a, b]) {
  const ticks = [];
  for (let v = 2 ** Math.ceil(Math.log2(a)); v <= b; v *= 2) ticks.push(v);
  return ticks;
}

function ticksLog10([a, b]) {
  const ticks = [];
  for (let e = Math.round(Math.log10(a)); e <= Math.round(Math.log10(b)); e++) ticks.push(10 ** e);
  return ticks;
}

/** The most classes a dataset has (blobs); viz.css colours class-0 to class-2. */
export const CLASS_COUNT = 3;

/**
 * One model's decision regions over the data, as the Playground draws them:
 * each cell of a resolution x resolution grid in its predicted class's colour,
 * stronger where the model is confident, with the training points on top.
 * Returns { el, setPoints(set), set(regions) }. The cells are one path per
 * class and confidence level (rows of equal cells merged), not a rect each.
 */
export function regionsView({ title }) {
  const id = `nl-regions-${++uid}`;
  const desc = s('desc', { id: `${id}-desc` });
  const el = s('svg', { class: 'train-regions', viewBox: '0 0 100 100', role: 'img', 'aria-labelledby': `${id}-title ${id}-desc` },
    s('title', { id: `${id}-title`, text: title }), desc);
  const LEVELS = 3;
  const cells = [];
  for (let c = 0; c < CLASS_COUNT; c++) {
    for (let l = 0; l < LEVELS; l++) {
      const p = s('path', { class: `region class-${c} level-${l}` });
      cells.push(p);
      el.append(p);
    }
  }
  const points = s('g', { class: 'points' });
  el.append(points);
  let extent = null;
  let pending = null;
  const px = (x) => ((x - extent[0]) / (extent[1] - extent[0])) * 100;
  const py = (y) => ((extent[3] - y) / (extent[3] - extent[2])) * 100;
  function drawPoints(set) {
    const byClass = new Map();
    for (let i = 0; i < set.count; i++) {
      const k = set.y[i];
      if (!byClass.has(k)) byClass.set(k, '');
      byClass.set(k, byClass.get(k) + markerPath('circle', px(set.x[2 * i]), py(set.x[2 * i + 1]), 1.3));
    }
    points.replaceChildren(...[...byClass].map(([k, d]) => s('path', { class: `point class-${k}`, d })));
  }
  return {
    el,
    describe(text) { desc.textContent = text; },
    setPoints(set) { pending = set; if (extent) drawPoints(set); },
    set({ resolution: R, extent: ext, classes, confidence }) {
      const first = !extent;
      extent = ext;
      if (first && pending) drawPoints(pending);
      const d = cells.map(() => '');
      const size = 100 / R;
      const level = (c) => (c > 0.9 ? 2 : c > 0.7 ? 1 : 0);
      for (let r = 0; r < R; r++) {
        let start = 0;
        for (let c = 1; c <= R; c++) {
          const i = r * R + c, j = r * R + start;
          if (c < R && classes[i] === classes[j] && level(confidence[i]) === level(confidence[j])) continue;
          const k = Math.min(classes[j], CLASS_COUNT - 1) * LEVELS + level(confidence[j]);
          // A hair wider than the cell, so that no seam shows between neighbours.
          d[k] += `M${(start * size).toFixed(2)} ${(r * size).toFixed(2)}h${((c - start) * size + 0.05).toFixed(2)}v${(size + 0.05).toFixed(2)}h${(-(c - start) * size - 0.05).toFixed(2)}z`;
          start = c;
        }
      }
      cells.forEach((p, k) => p.setAttribute('d', d[k]));
    },
  };
}
