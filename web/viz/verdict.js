// The verdict of every pair, in words: identical or different, the largest
// |difference|, and the reasons web/lab's compare() gives.
import { t } from '../lab/index.js';
import { h } from './dom.js';

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
