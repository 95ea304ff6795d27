// "Which elements are normalized together": one grid per layer, the selected
// element's group with its numbers, and the flow diagram for that group.
import { formatShapeTorch, t } from '../lab/index.js';
import { h, fmt, fill } from './dom.js';
import { groupsGrid, layout, unravel } from './groups-grid.js';
import { flowColumns, flowDiagram } from './flow.js';
import { groupFacts } from './experiment.js';

// Which weight/bias entry element i uses: per position for LayerNorm/RMSNorm,
// per channel for the others.
function paramIndex(l, i) {
  if (l.spec.kind === 'layer_norm' || l.spec.kind === 'rms_norm') {
    return i % l.info.paramShape.reduce((a, b) => a * b, 1);
  }
  return Math.floor(i / l.lay.S) % l.lay.C;
}

// The sentence about element i's group (also what the live region says).
function groupSentence(f, i, exp, lang) {
  return t(lang, f.rms ? 'page.group_info_rms' : 'page.group_info', {
    index: `[${unravel(i, exp.shape).join(',')}]`, group: f.g, size: f.members.length,
    mean: fmt(f.mean), std: fmt(Math.sqrt(f.var + f.eps)),
  });
}

function groupInfo(exp, l, i, lang) {
  const f = groupFacts(exp, l, i);
  const sd = Math.sqrt(f.var + f.eps);
  const x = exp.input[i], y = l.result.data[i];
  let formula = f.rms
    ? `y = x / √(mean(x²) + ε) = ${fmt(x)} / √(${fmt(f.var)} + ${fmt(f.eps)})`
    : `y = (x − μ) / √(σ² + ε) = (${fmt(x)} − ${fmt(f.mean)}) / √(${fmt(f.var)} + ${fmt(f.eps)})`;
  if (l.result.weight) {
    const p = paramIndex(l, i);
    formula += ` · ${fmt(l.result.weight[p])}`;
    if (l.result.bias) formula += ` + ${fmt(l.result.bias[p])}`;
  }
  formula += ` = ${fmt(y)}`;
  return [h('div', { text: groupSentence(f, i, exp, lang) }), h('div', { class: 'formula', text: formula })];
}

function flowLabels(lang) {
  const k = ['input', 'mean', 'std', 'normalize', 'output'];
  return { ...Object.fromEntries(k.map((n) => [n, t(lang, `page.flow_${n}`)])), title: t(lang, 'page.flow_title') };
}

// What the grid's caption says: the groups, and which axis runs which way.
function gridSummary(exp, l, lang) {
  const names = l.info.axisNames, shape = exp.shape, r = shape.length, L = layout(shape);
  const parts = [t(lang, 'page.grid_summary', { count: l.info.groupCount, size: l.info.groupSize, axes: l.info.reducedNames.join(', ') || '—' }),
    t(lang, r >= 2 ? 'page.grid_axes' : 'page.grid_axes_1d', { cols: `${names[r - 1]} (${shape[r - 1]})`, rows: r >= 2 ? `${names[r - 2]} (${shape[r - 2]})` : '' })];
  if (L.lines > 1) parts.push(t(lang, 'page.grid_wrapped', { cols: L.cols, wrap: L.wrap }));
  return parts.join(' ');
}

// The flow diagram of one group, re-laid out (5, 3, 2 or 1 boxes a row) when
// its box changes width, so that its text never shrinks below 12 px.
function flowPanel(lang, vertical) {
  const box = h('div', { class: 'flow-box-wrap' });
  let columns = vertical ? 1 : 5, facts = null;
  const draw = () => { if (facts) fill(box, flowDiagram(facts, flowLabels(lang), { columns })); };
  if (typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver(([entry]) => {
      if (!box.isConnected) { ro.disconnect(); return; }
      const width = entry.contentRect.width;
      if (width > 0 && flowColumns(width) !== columns) { columns = flowColumns(width); draw(); }
    });
    ro.observe(box);
  }
  return { el: box, show(f) { facts = f; draw(); } };
}

/** The grids of every layer + the info of the selected element + the flow.
 * A tensor without elements gets a short notice instead. */
export function groupsSection(exp, lang, { vertical = false, showFlow = true, onSelect } = {}) {
  const sel = { i: 0, layer: 0 };
  if (exp.input.length === 0) {
    sel.i = -1;
    return { el: h('p', { class: 'notice', text: t(lang, 'page.empty_tensor', { shape: formatShapeTorch(exp.shape) }) }), select() {}, selection: sel };
  }
  const flow = flowPanel(lang, vertical);
  const flowCaption = h('p', { class: 'muted' });
  // One live region for the section: a key press announces the selected
  // element's group once, not once per layer.
  const live = h('p', { class: 'grid-live', 'aria-live': 'polite' });
  const panels = exp.ok.map((l, k) => {
    const info = h('div', { class: 'group-info' });
    const title = t(lang, 'page.grid_label', { layer: `${l.label} = ${l.code}`, count: l.info.groupCount, size: l.info.groupSize });
    const grid = groupsGrid(exp.shape, l.result.groups, l.info.groupCount, {
      label: title, axisNames: l.info.axisNames, onSelect: (i, how) => select(i, k, how),
    });
    return { l, info, grid, el: h('div', { class: ['groups-panel', grid.width > 400 && 'wide'], 'data-layer': l.label },
      h('h3', { text: `${l.label} = ${l.code}` }), h('p', { class: 'muted', text: gridSummary(exp, l, lang) }), grid.el, info) };
  });
  // how: 'key' or 'click' also speaks through the live region; 'pointer' (hover) does not.
  function select(i, layer, how) {
    sel.i = i; sel.layer = layer;
    for (const p of panels) { p.grid.select(i); fill(p.info, groupInfo(exp, p.l, i, lang)); }
    onSelect?.(i);
    const p = panels[layer];
    if (!p) return;
    const f = groupFacts(exp, p.l, i);
    if (how === 'key' || how === 'click') live.textContent = `${p.l.label}: ${groupSentence(f, i, exp, lang)}`;
    if (showFlow) {
      flowCaption.textContent = t(lang, 'page.flow_caption', { layer: `${p.l.label} = ${p.l.code}`, group: f.g });
      flow.show(f);
    }
  }
  const root = h('div', null,
    h('p', { class: 'hint', text: t(lang, 'page.grid_hint') }),
    h('div', { class: 'groups-wrap' }, panels.map((p) => p.el)), live,
    showFlow ? h('div', { class: 'flow-section' }, h('h3', { text: t(lang, 'page.flow_title') }), flowCaption, flow.el) : null);
  if (panels.length) select(0, 0);
  return { el: root, select, selection: sel };
}
