// The numbers as tables: input, outputs and differences per element; mean and
// variance per group, or the running statistics; and what each layer does.
import { SAME_TOLERANCE, t } from '../lab/index.js';
import { formatShapeTorch } from '../lab/parse.js';
import { torchDims } from '../lab/compare.js';
import { h, fmt } from './dom.js';
import { unravel } from './groups-grid.js';
import { epsOf } from './experiment.js';

// The wrapper scrolls on narrow screens: focusable and named, so a keyboard
// can scroll it too (axe: scrollable-region-focusable).
function table(caption, head, rows, cls) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption }, h('table', { class: cls },
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
        return h('td', { class: ['diff', d > SAME_TOLERANCE || Number.isNaN(d) ? 'diff-big' : d === 0 && 'diff-zero'], 'data-pair': p.b.label, text: fmt(d, 3) });
      })));
  }
  return table(t(lang, 'page.values_caption'), head, rows, 'values');
}

// One row per channel of a layer's running statistics.
function channelRows(C, cells) {
  return Array.from({ length: C }, (_, c) => h('tr', { 'data-channel': c }, h('td', { text: c }),
    cells(c).map(([cls, v]) => h('td', { class: cls, text: fmt(v, 6) }))));
}

const notes = (lang, items) => h('div', { class: 'running-notes' },
  items.map(([key, params]) => h('p', { class: 'note', text: t(lang, key, params) })));

// Eval with running statistics: the per-channel numbers the layer used
// instead of any group statistics of this input (docs/pytorch-semantics.md §4).
function runningUsedTable(l, lang) {
  const r = l.running;
  const rows = channelRows(l.info.channels, (c) => [['running-mean', r.mean[c]], ['running-var', r.var[c]],
    ['std', Math.sqrt(r.var[c] + r.eps)]]);
  return [table(`${l.label} = ${l.code}: ${t(lang, 'page.running_used_caption')}`,
    [t(lang, 'page.col_channel'), 'running_mean', 'running_var', '√(running_var+ε)'], rows, ['running', `running-${l.label}`]),
  notes(lang, [['cmp.running_fresh', {}], ['page.running_eval_use', {}]])];
}

// Training with track_running_stats: what the update mixed in, the running
// statistics after the call, num_batches_tracked, and how eval would use them.
function runningAfterTable(l, lang) {
  const r = l.running, bn = l.spec.kind === 'batch_norm';
  const n = bn ? l.lay.N * l.lay.S : l.lay.S;
  const rows = channelRows(l.info.channels, (c) => [['call-mean', r.observed ? r.observed.mean[c] : NaN],
    ['running-mean', r.mean[c]], ['call-var', r.observed ? r.observed.var[c] : NaN], ['running-var', r.var[c]]]);
  const rule = !bn ? ['page.running_rule_in', { momentum: r.momentum, n }]
    : r.momentum === null ? ['page.running_rule_cumulative', { n }] : ['page.running_rule', { momentum: r.momentum, n }];
  const nbt = bn ? ['page.running_nbt_bn', { count: r.numBatchesTracked }] : ['page.running_nbt_in', {}];
  return [table(`${l.label} = ${l.code}: ${t(lang, 'page.running_after_caption')}`,
    [t(lang, 'page.col_channel'), t(lang, 'page.col_call_mean'), 'running_mean', t(lang, 'page.col_call_var'), 'running_var'],
    rows, ['running', `running-${l.label}`]),
  notes(lang, [['page.running_before', {}], rule, nbt, ['page.running_eval_use', {}]])];
}

// Mean, variance and std of every group the layer computed over this input.
function groupStatsTable(l, lang) {
  const st = l.result.stats, eps = epsOf(l), rms = l.spec.kind === 'rms_norm';
  const rows = Array.from(st.mean, (m, g) => h('tr', { 'data-group': g },
    h('td', { text: g }), h('td', { text: l.info.groupSize }),
    h('td', { class: 'mean', text: fmt(m, 6) }), h('td', { class: 'var', text: fmt(st.var[g], 6) }),
    h('td', { class: 'std', text: fmt(Math.sqrt(st.var[g] + eps), 6) })));
  return table(`${l.label} = ${l.code}: ${t(lang, 'page.stats_caption')}`,
    [t(lang, 'page.col_group'), 'n', rms ? 'μ (= 0)' : 'μ', rms ? 'mean(x²)' : 'σ²', rms ? '√(mean(x²)+ε)' : '√(σ²+ε)'],
    rows, ['stats', `stats-${l.label}`]);
}

/** Per layer: the mean, variance and std of every group; for a layer with
 * running statistics, those it used (eval) or those after the call (training). */
export function statsTables(exp, lang) {
  return exp.ok.map((l) => {
    if (l.running?.mode === 'use') return runningUsedTable(l, lang);
    if (l.running?.mode === 'update') return [groupStatsTable(l, lang), runningAfterTable(l, lang)];
    return groupStatsTable(l, lang);
  });
}

/** "C, L (dim=(1, 2))", or what an eval layer with running statistics does instead. */
export function reducedText(l, lang) {
  if (l.info.runningStats === 'use') return t(lang, 'table.reduced_running');
  return t(lang, 'table.reduced_dims', { axes: l.info.reducedNames.join(', '), dims: torchDims(l.info.reducedAxes) });
}

// In eval with running statistics the elements that share statistics are a
// channel's, and the statistics are not this input's.
const groupsText = (l, lang) => (l.info.runningStats === 'use'
  ? t(lang, 'table.groups_running', { count: l.info.channels }) : l.info.groupCount);
const groupSizeText = (l, lang) => (l.info.runningStats === 'use'
  ? t(lang, 'table.group_size_running', { size: l.lay.N * l.lay.S }) : l.info.groupSize);

/** The parameters as torch has them: "weight and bias, each [4]: …", or
 * RMSNorm's "weight [4], no bias: …". */
export function paramsText(l, lang) {
  const { paramShape, paramNames, paramInit } = l.info;
  if (!paramShape) return t(lang, 'table.none');
  const params = { shape: formatShapeTorch(paramShape), init: t(lang, `table.init.${paramInit}`) };
  return t(lang, paramNames.includes('bias') ? 'table.weight_bias' : 'table.weight_only', params);
}

/** What each layer does, side by side. */
export function featureTable(exp, lang) {
  const yes = (b) => t(lang, b ? 'table.yes' : 'table.no');
  const features = [
    ['table.module', (l) => l.code],
    ['page.feat_axes', (l) => `(${l.info.axisNames.join(', ')}) = ${formatShapeTorch(exp.shape)}`],
    ['table.reduced', (l) => reducedText(l, lang)],
    ['table.groups', (l) => groupsText(l, lang)],
    ['table.group_size', (l) => groupSizeText(l, lang)],
    ['table.params', (l) => paramsText(l, lang)],
    ['table.error64', (l) => fmt(l.error64, 3)],
    ['table.depends_on_batch', (l) => yes(l.info.dependsOnBatch)],
    ['table.running_stats', (l) => t(lang, `table.running.${l.info.runningStats}`)],
    ['table.layout', (l) => t(lang, l.info.layoutKey)],
    ['table.typical_use', (l) => t(lang, l.info.typicalUse)],
  ];
  const rows = features.map(([key, get]) => h('tr', { 'data-feature': key }, h('th', { scope: 'row', class: 'text', text: t(lang, key) }),
    exp.ok.map((l) => h('td', { class: 'text', text: get(l) }))));
  return table(t(lang, 'page.features_caption'), [t(lang, 'table.layer'), ...exp.ok.map((l) => l.label)], rows, 'features');
}
