// The numbers as tables: input, outputs and differences per element; mean and
// variance per group; and what each layer does.
import { SAME_TOLERANCE, t } from '../lab/index.js';
import { h, fmt } from './dom.js';
import { unravel } from './groups-grid.js';
import { epsOf } from './experiment.js';

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
        return h('td', { class: ['diff', d > SAME_TOLERANCE || Number.isNaN(d) ? 'diff-big' : d === 0 && 'diff-zero'], 'data-pair': p.b.label, text: fmt(d, 3) });
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
