// "Paste PyTorch code": what torch 1.13 does with each layer of the pasted
// code on its own x — the groups it normalizes, or the exception it raises —
// and where a comment claims otherwise, the corrected line. The code is read
// by web/lab/torch-code.js (parsed, never evaluated); the numbers come from
// the same experiment as the rest of the page.
import { describe, formatShapeTorch, t, torchText } from '../lab/index.js';
import { h } from './dom.js';

// What a layer normalizes on x, in words: the dims and the groups.
function groupsText(lang, info, shape) {
  const axes = info.reducedAxes.map((a) => `${a} (${info.axisNames[a]})`).join(', ');
  return t(lang, 'page.code_groups', { module: info.module, axes, shape: formatShapeTorch(shape), groupSize: info.groupSize, groupCount: info.groupCount });
}

// One layer's outcome on this x: groups in words, or torch's exception with
// the reason in the user's language. The code's own errors come first: its
// construction and forward errors know what the page's editors cannot (an
// int64 x, for one).
function outcome(lang, layer, ran, shape) {
  const error = layer.construction ?? layer.forward ?? ran?.error ?? null;
  if (error) {
    const exc = error.torch ?? (error.type ? error : null);
    return h('div', { class: 'code-outcome raises' },
      h('p', { text: t(lang, 'page.code_raises') }),
      exc ? h('pre', { class: 'exception', tabindex: '0' }, h('code', { text: torchText(exc) })) : null,
      error.key ? h('p', { class: 'reason', text: t(lang, error.key, error.params) }) : null);
  }
  const { info } = ran;
  return h('div', { class: 'code-outcome ok' },
    h('p', { text: info.runningStats === 'use'
      ? t(lang, 'page.code_running', { module: info.module, shape: formatShapeTorch(shape) })
      : groupsText(lang, info, shape) }));
}

// A comment that claims what the line does not do: the claim, the corrected
// line and what that line does, with a button that compares it.
function claimBox(lang, layer, shape, onUseCorrected) {
  const c = layer.claim;
  let does = null;
  try {
    does = groupsText(lang, describe(c.correctedSpec, shape), shape);
  } catch { /* the corrected line's own error shows when it is compared */ }
  return h('div', { class: 'code-claim' },
    h('p', { class: 'claim', text: t(lang, c.key, c.params) }),
    h('p', { text: t(lang, 'page.code_corrected') }),
    h('pre', { tabindex: '0', 'aria-label': t(lang, 'page.code_corrected') }, h('code', { text: `${layer.name} = ${c.corrected}` })),
    does ? h('p', { text: does }) : null,
    h('button', { type: 'button', text: t(lang, 'page.code_use_corrected'), on: { click: () => onUseCorrected(layer) } }));
}

/** rows: each layer of the code with its run in the page's experiment
 * ({ layer, ran }, ran null when the layer was not run); prog: readTorchCode()'s
 * result; stale: the editors were changed after the code was read. */
export function codeReport(rows, prog, exp, lang, { stale, onUseCorrected, onReadAgain }) {
  const out = [];
  if (stale) {
    out.push(h('p', { class: 'notice' }, t(lang, 'page.code_stale'), ' ',
      h('button', { type: 'button', text: t(lang, 'page.code_read_again'), on: { click: onReadAgain } })));
  }
  if (!prog.x && prog.layers.length) out.push(h('p', { class: 'notice', text: t(lang, 'page.code_no_x') }));
  if (prog.x && prog.x.data === null) {
    out.push(h('p', { class: 'hint', text: t(lang, 'page.code_values', { shape: formatShapeTorch(prog.x.shape) }) }));
  }
  const items = rows.map(({ layer, ran }) => h('li', { class: 'code-layer', 'data-layer': ran?.label ?? '' },
    h('p', { class: 'code-line' },
      ran ? h('span', { class: 'layer-letter', text: ran.label }) : null, ' ',
      h('span', { text: t(lang, 'page.code_line', { line: layer.line }) }), ' ',
      h('code', { text: `${layer.name} = ${layer.code}` })),
    stale ? null
      : ran || layer.construction ? outcome(lang, layer, ran, exp.shape)
        : h('p', { class: 'notice', text: t(lang, 'page.code_too_many', { max: exp.layers.length }) }),
    layer.torch113 ? h('pre', { class: 'exception', tabindex: '0' }, h('code', { text: torchText(layer.torch113) })) : null,
    layer.notes.map((n) => h('p', { class: 'hint', text: t(lang, n.key, n.params) })),
    layer.applied ? null : h('p', { class: 'hint', text: t(lang, 'page.code_not_applied', { name: layer.name }) }),
    layer.claim && !stale ? claimBox(lang, layer, exp.shape, onUseCorrected) : null));
  if (items.length) out.push(h('ol', { class: 'code-layers' }, items));
  return out;
}
