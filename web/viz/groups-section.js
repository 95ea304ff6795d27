// "Which elements are normalized together": one grid per layer, the selected
// element's group with its numbers, and the flow diagram for that group.
import { t } from '../lab/index.js';
import { h, fmt, fill } from './dom.js';
import { groupsGrid, unravel } from './groups-grid.js';
import { flowDiagram } from './flow.js';
import { groupFacts } from './experiment.js';

// Which weight/bias entry element i uses: per position for LayerNorm/RMSNorm,
// per channel for the others.
function paramIndex(l, i) {
  if (l.spec.kind === 'layer_norm' || l.spec.kind === 'rms_norm') {
    return i % l.info.paramShape.reduce((a, b) => a * b, 1);
  }
  return Math.floor(i / l.lay.S) % l.lay.C;
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
  return [
    h('div', { text: t(lang, f.rms ? 'page.group_info_rms' : 'page.group_info', {
      index: `[${unravel(i, exp.shape).join(',')}]`, group: f.g, size: f.members.length,
      mean: fmt(f.mean), std: fmt(sd),
    }) }),
    h('div', { class: 'formula', text: formula }),
  ];
}

function flowLabels(lang) {
  const k = ['input', 'mean', 'std', 'normalize', 'output'];
  return { ...Object.fromEntries(k.map((n) => [n, t(lang, `page.flow_${n}`)])), title: t(lang, 'page.flow_title') };
}

/** The grids of every layer + the info of the selected element + the flow. */
export function groupsSection(exp, lang, { vertical = false, showFlow = true, onSelect } = {}) {
  const sel = { i: 0, layer: 0 };
  const flowBox = h('div', { class: 'flow-box-wrap' });
  const flowCaption = h('p', { class: 'muted' });
  const panels = exp.ok.map((l, k) => {
    const info = h('div', { class: 'group-info', 'aria-live': 'polite' });
    const title = t(lang, 'page.grid_label', { layer: `${l.label} = ${l.code}`, count: l.info.groupCount, size: l.info.groupSize });
    const names = l.info.axisNames;
    const grid = groupsGrid(exp.shape, l.result.groups, l.info.groupCount, { label: title, axisNames: names, onSelect: (i) => select(i, k) });
    const r = exp.shape.length;
    const summary = [t(lang, 'page.grid_summary', { count: l.info.groupCount, size: l.info.groupSize, axes: l.info.reducedNames.join(', ') || '—' }),
      t(lang, r >= 2 ? 'page.grid_axes' : 'page.grid_axes_1d', { cols: `${names[r - 1]} (${exp.shape[r - 1]})`, rows: r >= 2 ? `${names[r - 2]} (${exp.shape[r - 2]})` : '' }),
    ].join(' ');
    return { l, info, grid, el: h('div', { class: ['groups-panel', grid.width > 480 && 'wide'], 'data-layer': l.label },
      h('h3', { text: `${l.label} = ${l.code}` }), h('p', { class: 'muted', text: summary }), grid.el, info) };
  });
  function select(i, layer) {
    sel.i = i; sel.layer = layer;
    for (const p of panels) { p.grid.select(i); fill(p.info, groupInfo(exp, p.l, i, lang)); }
    onSelect?.(i);
    if (showFlow && panels[layer]) {
      const l = panels[layer].l, f = groupFacts(exp, l, i);
      flowCaption.textContent = t(lang, 'page.flow_caption', { layer: `${l.label} = ${l.code}`, group: f.g });
      fill(flowBox, flowDiagram(f, flowLabels(lang), { vertical }));
    }
  }
  const root = h('div', null,
    h('p', { class: 'hint', text: t(lang, 'page.grid_hint') }),
    h('div', { class: 'groups-wrap' }, panels.map((p) => p.el)),
    showFlow ? h('div', { class: 'flow-section' }, h('h3', { text: t(lang, 'page.flow_title') }), flowCaption, flowBox) : null);
  if (panels.length) select(0, 0);
  return { el: root, select, selection: sel };
}
