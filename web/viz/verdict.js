// The verdict of every pair, in words: identical or different, the largest
// |difference| beside float32 rounding (each output against a float64
// computation of the same layer), and the reasons web/lab's compare() gives.
import { t } from '../lab/index.js';
import { HEADLINE_KEYS } from '../lab/compare.js';
import { h } from './dom.js';

/** The headline of a comparison: the difference, then how it compares with
 * float32 rounding (sentences joined as the language writes them). */
export function headlineText(cmp, lang) {
  const [head, ...rest] = cmp.reasons;
  return [head, ...rest.filter((r) => HEADLINE_KEYS.includes(r.key))].map((r) => t(lang, r.key, r.params))
    .join(lang === 'zh' ? '' : ' ');
}

export function verdicts(exp, lang) {
  if (exp.ok.length < 2) return h('p', { class: 'error', text: t(lang, 'page.need_two') });
  return h('div', { class: 'verdicts' }, exp.pairs.map((p) => {
    const why = p.cmp.reasons.slice(1).filter((r) => !HEADLINE_KEYS.includes(r.key));
    const [errA, errB] = p.cmp.error64 ?? [null, null];
    return h('div', {
      class: ['verdict', p.cmp.identical ? 'same' : 'different'], 'data-identical': String(p.cmp.identical),
      'data-max-abs-diff': String(p.cmp.maxAbsDiff), 'data-exact': String(p.cmp.maxAbsDiff === 0),
      'data-error64-a': errA === null ? null : String(errA), 'data-error64-b': errB === null ? null : String(errB),
    },
    h('div', { class: 'pair', text: `${p.a.label} = ${p.a.code}  ·  ${p.b.label} = ${p.b.code}` }),
    h('div', { class: 'headline', text: headlineText(p.cmp, lang) }),
    why.length ? h('ul', null, why.map((r) => h('li', { text: t(lang, r.key, r.params) }))) : null);
  }));
}
