// The comparison report shared by the page and <normlab-compare>: verdict,
// "which elements are normalized together", the flow, the tables, the pie.
// It only draws; every number comes from web/lab (which runs the wasm kernels).
import { compare, describe, float32Text, layout, pytorchCode, runLayer, t, isLabError } from '../lab/index.js';
import { h, fmt, fill } from './dom.js';
import { groupsGrid, unravel } from './groups-grid.js';
import { flowDiagram } from './flow.js';
import { pieChart, DEFAULT_PIE } from './pie.js';

/** Tables and grids are drawn up to this many elements; the verdict and the
 * exports cover the whole tensor. */
export const DISPLAY_LIMIT = 512;
export const letter = (k) => String.fromCharCode(65 + k);

/** Text of a LabError (or any error) in `lang`. */
export function errorText(lang, e) {
  return isLabError(e) ? t(lang, e.key, e.params) : String(e && e.message || e);
}

/** Run every layer on the tensor and compare each with the first.
 * A layer that cannot take this shape gets { error } instead of a result. */
export function runExperiment(nl, shape, input, specs) {
  const tensor = { data: input, shape };
  const layers = specs.map((spec, k) => {
    const label = letter(k);
    try {
      return { label, spec, code: pytorchCode(spec, shape), info: describe(spec, shape), lay: layout(spec, shape), result: runLayer(nl, spec, tensor) };
    } catch (error) {
      if (!isLabError(error)) throw error;
      return { label, spec, error };
    }
  });
  const ok = layers.filter((l) => l.result);
  const pairs = ok.slice(1).map((b) => ({ a: ok[0], b, cmp: compare(ok[0].result, b.result, ok[0].spec, b.spec, shape, [ok[0].label, b.label]) }));
  return { shape, input, layers, ok, pairs };
}

export function verdicts(exp, lang) {
  if (exp.ok.length < 2) return h('p', { class: 'error', text: t(lang, 'page.need_two') });
  return h('div', { class: 'verdicts' }, exp.pairs.map((p) => {
    const [head, ...why] = p.cmp.reasons;
    return h('div', { class: ['verdict', p.cmp.identical ? 'same' : 'different'], 'data-identical': String(p.cmp.identical), 'data-max-abs-diff': String(p.cmp.maxAbsDiff) },
      h('div', { class: 'pair', text: `${p.a.label} = ${p.a.code}  ·  ${p.b.label} = ${p.b.code}` }),
      h('div', { class: 'headline', text: t(lang, head.key, head.params) }),
      why.length ? h('ul', null, why.map((r) => h('li', { text: t(lang, r.key, r.params) }))) : null);
  }));
}

/** A code box with a copy button (the clipboard may be unavailable: then the text is selected). */
export function codeBox(code, lang) {
  const pre = h('pre', null, h('code', { text: code }));
  const btn = h('button', { type: 'button', text: t(lang, 'page.copy') });
  btn.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(code); btn.textContent = t(lang, 'page.copied'); } catch {
      const r = document.createRange(); r.selectNodeContents(pre);
      const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
    }
    setTimeout(() => { btn.textContent = t(lang, 'page.copy'); }, 1500);
  });
  return h('div', { class: 'code-box' }, pre, btn);
}

/** The whole PyTorch snippet reproducing the comparison, with this input's
 * values when there are few enough to paste. */
export function pytorchSnippet(exp) {
  const shape = exp.shape.join(', ');
  const x = exp.input.length <= 64
    ? `x = torch.tensor([${Array.from(exp.input, float32Text).join(', ')}]).reshape(${shape})`
    : `x = torch.randn(${shape})`;
  return ['import torch', 'import torch.nn as nn', '', x,
    ...exp.ok.map((l) => `${l.label.toLowerCase()} = ${l.code}(x)`),
    ...exp.pairs.map((p) => `print((${p.a.label.toLowerCase()} - ${p.b.label.toLowerCase()}).abs().max())`)].join('\n');
}

function membersOf(groups, g) {
  const out = [];
  for (let i = 0; i < groups.length; i++) if (groups[i] === g) out.push(i);
  return out;
}

// Which weight/bias entry element i uses: per position for LayerNorm/RMSNorm,
// per channel for the others.
function paramIndex(l, i) {
  if (l.spec.kind === 'layer_norm' || l.spec.kind === 'rms_norm') {
    return i % l.info.paramShape.reduce((a, b) => a * b, 1);
  }
  return Math.floor(i / l.lay.S) % l.lay.C;
}

function epsOf(l) {
  return l.spec.params.eps ?? 1.1920928955078125e-7;
}

/** Group facts for element i of layer l: { g, members, x, y, mean, var, eps, rms }. */
export function groupFacts(exp, l, i) {
  const r = l.result, g = r.groups[i], members = membersOf(r.groups, g);
  return {
    g, members, x: members.map((q) => exp.input[q]), y: members.map((q) => r.data[q]),
    mean: r.stats.mean[g], var: r.stats.var[g], eps: epsOf(l), rms: l.spec.kind === 'rms_norm',
  };
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

function table(caption, head, rows, cls) {
  return h('div', { class: 'table-wrap' }, h('table', { class: cls },
    h('caption', { text: caption }),
    h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col', text: c })))),
    h('tbody', null, rows)));
}

/** One row per element: index, input, every output, every |difference|. */
export function valuesTable(exp, lang) {
  const head = ['#', t(lang, 'page.col_index'), 'x', ...exp.ok.map((l) => `${l.label}: y`),
    ...exp.pairs.map((p) => `|${p.a.label} − ${p.b.label}|`)];
  const rows = [];
  for (let i = 0; i < exp.input.length; i++) {
    rows.push(h('tr', { 'data-index': i },
      h('td', { text: i }), h('td', { text: `[${unravel(i, exp.shape).join(',')}]` }),
      h('td', { class: 'input', text: fmt(exp.input[i], 6) }),
      exp.ok.map((l) => h('td', { class: 'out', 'data-layer': l.label, text: fmt(l.result.data[i], 6) })),
      exp.pairs.map((p) => {
        const d = p.cmp.diff[i];
        return h('td', { class: ['diff', d > 1e-5 || Number.isNaN(d) ? 'diff-big' : d === 0 && 'diff-zero'], 'data-pair': p.b.label, text: fmt(d, 3) });
      })));
  }
  return table(t(lang, 'page.values_caption'), head, rows, 'values');
}

/** Mean, variance and std of every group of every layer. */
export function statsTables(exp, lang) {
  return exp.ok.map((l) => {
    const st = l.result.stats, eps = epsOf(l);
    const rows = Array.from(st.mean, (m, g) => h('tr', { 'data-group': g },
      h('td', { text: g }), h('td', { text: l.info.groupSize }),
      h('td', { class: 'mean', text: fmt(m, 6) }), h('td', { class: 'var', text: fmt(st.var[g], 6) }),
      h('td', { class: 'std', text: fmt(Math.sqrt(st.var[g] + eps), 6) })));
    return table(`${l.label} = ${l.code}: ${t(lang, 'page.stats_caption')}`,
      [t(lang, 'page.col_group'), 'n', l.spec.kind === 'rms_norm' ? 'μ (= 0)' : 'μ', l.spec.kind === 'rms_norm' ? 'mean(x²)' : 'σ²', '√(σ²+ε)'],
      rows, ['stats', `stats-${l.label}`]);
  });
}

/** What each layer does, side by side. */
export function featureTable(exp, lang) {
  const yes = (b) => t(lang, b ? 'table.yes' : 'table.no');
  const features = [
    ['table.module', (l) => l.code],
    ['page.feat_axes', (l) => `${l.info.axisNames.join('×')} = ${exp.shape.join('×')}`],
    ['table.reduced', (l) => l.info.reducedNames.join(', ')],
    ['table.groups', (l) => l.info.groupCount],
    ['table.group_size', (l) => l.info.groupSize],
    ['table.params', (l) => (l.info.paramShape ? `[${l.info.paramShape.join(', ')}], ${t(lang, `table.init.${l.info.paramInit}`)}` : t(lang, 'table.none'))],
    ['table.depends_on_batch', (l) => yes(l.info.dependsOnBatch)],
    ['table.running_stats', (l) => t(lang, `table.running.${l.info.runningStats}`)],
    ['table.layout', (l) => t(lang, l.info.layoutKey)],
    ['table.typical_use', (l) => t(lang, l.info.typicalUse)],
  ];
  const rows = features.map(([key, get]) => h('tr', null, h('th', { scope: 'row', class: 'text', text: t(lang, key) }),
    exp.ok.map((l) => h('td', { class: 'text', text: get(l) }))));
  return table(t(lang, 'page.features_caption'), [t(lang, 'table.layer'), ...exp.ok.map((l) => l.label)], rows, 'features');
}

/** The pie; `data` as parsed by parsePieData, or the source document's numbers. */
export function pieSection(lang, data, id) {
  const slices = data || DEFAULT_PIE.map(([k, v]) => ({ label: t(lang, `pie.${k}`), value: v }));
  const desc = slices.map((x) => `${x.label}: ${x.value}`).join(', ');
  return pieChart(slices, { title: t(lang, 'pie.title'), desc: `${t(lang, 'page.pie_desc')} ${desc}`, id });
}

