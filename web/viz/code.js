// PyTorch code on the page: a box with a copy button, and the snippet that
// reproduces the whole comparison.
import { float32Text, product, t, torchText } from '../lab/index.js';
import { h } from './dom.js';

/** A code box with a copy button named after what it copies ("Copy: PyTorch
 * snippet"), so a screen reader tells one Copy button from the next. The
 * clipboard may be unavailable: then the text is selected. */
export function codeBox(code, lang, name) {
  // A long line scrolls: the box takes the keyboard focus so it can be scrolled without a mouse.
  const pre = h('pre', { tabindex: '0' }, h('code', { text: code }));
  const btn = h('button', { type: 'button', text: t(lang, 'page.copy'), 'aria-label': name ? t(lang, 'page.copy_named', { name }) : null });
  btn.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(code); btn.textContent = t(lang, 'page.copied'); } catch {
      const r = document.createRange(); r.selectNodeContents(pre);
      const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
    }
    setTimeout(() => { btn.textContent = t(lang, 'page.copy'); }, 1500);
  });
  return h('div', { class: 'code-box' }, pre, btn);
}

// ---- the snippet ----

const WIDTH = 88;
// Python has no literal for NaN or infinity.
const PY_SPECIAL = { NaN: 'float("nan")', Infinity: 'float("inf")', '-Infinity': '-float("inf")' };
const pyNumber = (v) => { const s = float32Text(v); return PY_SPECIAL[s] ?? s; };

/** `head[v0, v1, ...]tail` with every float32 value exact: on one line when it
 * fits, else wrapped at WIDTH with the values indented under `indent`. */
function pyList(head, values, tail, indent = '') {
  const items = Array.from(values, pyNumber);
  const line = `${indent}${head}[${items.join(', ')}]${tail}`;
  if (line.length <= WIDTH) return [line];
  const lines = [`${indent}${head}[`];
  let row = '';
  for (const item of items) {
    const next = row ? `${row} ${item},` : `${indent}    ${item},`;
    if (next.length > WIDTH && row) { lines.push(row); row = `${indent}    ${item},`; } else row = next;
  }
  lines.push(row, `${indent}]${tail}`);
  return lines;
}

const shapeArgs = (shape) => shape.join(', ');

// torch.tensor(list) of a flat list, reshaped when the tensor has more than one axis.
const reshaped = (shape) => (shape.length === 1 ? '' : `.reshape(${shapeArgs(shape)})`);

// torch < 2.4 has no nn.RMSNorm; this is torch 2.4's computation (F.rms_norm),
// as in tests/fixtures/make_fixtures.py.
const RMS_NORM = [
  'if not hasattr(nn, "RMSNorm"):  # {comment}',
  '    class RMSNorm(nn.Module):',
  '        def __init__(self, normalized_shape, eps=None, elementwise_affine=True):',
  '            super().__init__()',
  '            shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape',
  '            self.normalized_shape = tuple(shape)',
  '            self.eps = eps',
  '            self.weight = nn.Parameter(torch.ones(self.normalized_shape)) if elementwise_affine else None',
  '',
  '        def forward(self, x):',
  '            eps = torch.finfo(x.dtype).eps if self.eps is None else self.eps',
  '            dims = tuple(range(-len(self.normalized_shape), 0))',
  '            y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)',
  '            return y if self.weight is None else y * self.weight',
  '',
  '    nn.RMSNorm = RMSNorm',
];

// Weight and bias the page used, when they are not a new module's ones and zeros.
function customParams(l) {
  const { weight, bias } = l.result;
  if (!weight) return null;
  const initial = weight.every((v) => v === 1) && (!bias || bias.every((v) => v === 0));
  return initial ? null : { weight, bias };
}

const mode = (l) => (l.spec.params.trackRunningStats !== true ? 'none' : l.spec.params.training ? 'update' : 'use');

// Lines setting one layer's weight (and bias) to the page's values.
function paramLines(l, module, lang) {
  const { weight, bias } = customParams(l);
  const tail = `)${reshaped(l.info.paramShape)})`;
  return [`with torch.no_grad():  # ${t(lang, 'page.snippet_params', { layer: l.label })}`,
    ...pyList(`${module}.weight.copy_(torch.tensor(`, weight, tail, '    '),
    ...(bias ? pyList(`${module}.bias.copy_(torch.tensor(`, bias, tail, '    ') : [])];
}

/** The PyTorch code that reproduces the page's comparison exactly: x's float32
 * values (the page draws them with its own generator, not torch's), each
 * layer with the weights and mode the page used, and each pair's largest
 * difference. `exp` is runExperiment's result; comments are in `lang`. */
export function pytorchSnippet(exp, lang = 'en') {
  const name = (l) => l.label.toLowerCase();
  const module = (l) => `layer_${name(l)}`;
  const evalComment = (l) => (mode(l) === 'use' ? `  # ${t(lang, 'page.snippet_eval')}` : '');
  const out = ['import torch', 'import torch.nn as nn', ''];
  if (exp.ok.some((l) => l.spec.kind === 'rms_norm')) {
    out.push(...RMS_NORM.map((s) => s.replace('{comment}', t(lang, 'page.snippet_rms'))), '');
  }
  out.push(`# ${t(lang, 'page.snippet_x')}`,
    ...pyList('x = torch.tensor(', exp.input, `, dtype=torch.float32)${reshaped(exp.shape)}`), '');
  // A module needs a name when its parameters are set or its running statistics printed.
  const named = exp.ok.some((l) => customParams(l) || mode(l) === 'update');
  if (named) {
    out.push(...exp.ok.map((l) => `${module(l)} = ${l.code}${evalComment(l)}`));
    for (const l of exp.ok) if (customParams(l)) out.push(...paramLines(l, module(l), lang));
    out.push('', ...exp.ok.map((l) => `${name(l)} = ${module(l)}(x)`));
  } else {
    out.push(...exp.ok.map((l) => `${name(l)} = ${l.code}(x)${evalComment(l)}`));
  }
  for (const l of exp.layers.filter((k) => k.error)) {
    const torch = l.error.torch && torchText(l.error.torch);
    out.push(`# ${torch ? t(lang, 'page.snippet_left_out_torch', { layer: l.label, error: torch }) : t(lang, 'page.snippet_left_out', { layer: l.label })}`);
  }
  out.push('');
  for (const l of exp.ok) {
    if (mode(l) === 'update') {
      out.push(`print("${t(lang, 'page.snippet_running', { layer: l.label })}", ${module(l)}.running_mean, ${module(l)}.running_var)`);
    }
  }
  if (product(exp.shape) === 0 && exp.pairs.length) out.push(`# ${t(lang, 'page.snippet_empty')}`);
  else {
    for (const p of exp.pairs) {
      out.push(`print("${t(lang, 'page.snippet_diff', { a: p.a.label, b: p.b.label })}", (${name(p.a)} - ${name(p.b)}).abs().max().item())`);
    }
  }
  while (out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
