// PyTorch code on the page: a box with a copy button, and the snippet that
// reproduces the whole comparison.
import { float32Text, t } from '../lab/index.js';
import { h } from './dom.js';

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
