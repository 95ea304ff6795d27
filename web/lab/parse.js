// Parsing of the user's shape and values. User text is only data: it is
// tokenized by hand (no eval, no JSON.parse, which rejects NaN/Infinity).
import { LabError } from './errors.js';

export const MAX_ELEMENTS = 4096;
export const MAX_RANK = 5;

/** User text quoted in a message is cut short. */
export const clipText = (s, n = 20) => (s.length > n ? s.slice(0, n) + '…' : s);
const clip = clipText;

export function product(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

/** The link and file-name form: "2x3x4". */
export function formatShape(shape) {
  return shape.join('x');
}

/** A shape as PyTorch writes it in its messages: "[2, 3, 4]". */
export function formatShapeTorch(shape) {
  return `[${shape.join(', ')}]`;
}

// ---- shapes ----

// Text that looks like Python rather than sizes: a name, a call, an index.
const CODE = /[A-Za-z_][\w.]*\s*[.([]|\[\s*-?\d*\s*:|\.(size|shape)\b|^[A-Za-z_]\w*$/;

// torch.Size([2, 3, 4]), as print(x.shape) shows it, is a shape too.
const unwrapSize = (s) => s.replace(/^torch\.Size\s*\(\s*([\s\S]*?)\s*\)$/, '$1');

export function parseShape(text) {
  const source = String(text ?? '').trim();
  const unwrapped = unwrapSize(source);
  if (CODE.test(unwrapped)) throw new LabError('err.shape.code', { text: clip(source, 40) });
  const inner = unwrapped.replace(/^[[(]\s*/, '').replace(/\s*[\])]$/, '');
  if (inner === '') throw new LabError('err.shape.empty');
  // "4," is Python's 1-tuple (4,): one trailing comma is allowed.
  const tokens = inner.replace(/\s*,$/, '').split(/\s*[,x×*]\s*|\s+/i);
  const dims = tokens.map((tok) => {
    if (tok === '') throw new LabError('err.shape.empty_entry', { text: clip(source, 40) });
    if (/^\d+$/.test(tok)) return BigInt(tok);
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(tok)) throw new LabError('err.shape.dim', { value: clip(tok) });
    throw new LabError('err.shape.token', { token: clip(tok) });
  });
  if (dims.length > MAX_RANK) throw new LabError('err.shape.rank', { rank: dims.length, max: MAX_RANK });
  // Zero-size tensors are fine (PyTorch returns an empty result), but the
  // other sizes still bound the work: per-group statistics, weights.
  const count = dims.reduce((a, b) => a * b, 1n);
  const nonzero = dims.reduce((a, b) => (b === 0n ? a : a * b), 1n);
  const shown = formatShapeTorch(dims.map(String));
  if (count > BigInt(MAX_ELEMENTS)) throw new LabError('err.shape.too_big', { shape: shown, count: String(count), max: MAX_ELEMENTS });
  if (nonzero > BigInt(MAX_ELEMENTS)) throw new LabError('err.shape.too_big_empty', { shape: shown, count: String(nonzero), max: MAX_ELEMENTS });
  return dims.map(Number);
}

// ---- values ----

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const WORDS = { nan: NaN, inf: Infinity, infinity: Infinity };

function parseNumber(tok) {
  if (NUMBER.test(tok)) return Number(tok);
  const m = /^([+-]?)([a-z]+)$/i.exec(tok);
  const word = m ? WORDS[m[2].toLowerCase()] : undefined;
  if (word !== undefined) return m[1] === '-' ? -word : word;
  if (/^(\.\.\.|…)$/.test(tok)) throw new LabError('err.values.summarized');
  throw new LabError('err.values.token', { token: clip(tok) });
}

// Tokens: brackets and numbers; commas, semicolons and whitespace separate.
// Parentheses are Python tuples: ((1, 2), (3, 4)) is a nested list.
function tokenize(text) {
  return text.split(/([[\]()])|[\s,;]+/).filter((s) => s !== undefined && s !== '');
}
const OPEN = { '[': ']', '(': ')' };
const isOpen = (tok) => Object.hasOwn(OPEN, tok);
const isClose = (tok) => tok === ']' || tok === ')';

// A nested list -> { shape, values }; checks that it is rectangular.
function readNested(tokens) {
  let pos = 0;
  const values = [];
  function list(depth) {
    if (depth > MAX_RANK) throw new LabError('err.values.rank', { max: MAX_RANK });
    const close = OPEN[tokens[pos++]];
    let shape = null;
    let count = 0;
    for (;;) {
      const tok = tokens[pos];
      if (tok === undefined) throw new LabError('err.values.unclosed');
      if (tok === close) { pos++; break; }
      if (isClose(tok)) throw new LabError('err.values.bracket', { found: tok, want: close });
      let sub;
      if (isOpen(tok)) sub = list(depth + 1);
      else { values.push(parseNumber(tok)); pos++; sub = []; }
      if (shape === null) shape = sub;
      else if (shape.join() !== sub.join()) throw new LabError('err.values.ragged');
      count++;
    }
    if (count === 0) throw new LabError('err.values.empty');
    return [count, ...shape];
  }
  const shape = list(1);
  if (pos !== tokens.length) throw new LabError('err.values.trailing', { token: clip(tokens[pos]) });
  return { shape, values };
}

// Keyword arguments that PyTorch and NumPy print after the values.
const PRINT_KEYWORDS = /,\s*(dtype|grad_fn|requires_grad|device)\s*=\s*(<[^<>]*>|'[^']*'|"[^"]*"|[\w.]+)\s*$/;
// An empty tensor prints its shape instead: tensor([], size=(2, 0, 3)),
// array([], shape=(2, 0, 3), dtype=float32).
const PRINT_SIZE = /,\s*(?:size|shape)\s*=\s*(\([^()]*\))\s*$/;

/** A print of a tensor or an array, "tensor([...], grad_fn=<...>)" or
 * "array([...], dtype=float32)": { inner, size }, or null for other text. */
function unwrapPrint(text) {
  const m = /^(?:(?:torch|np|numpy)\.)?(tensor|array)\s*\(([\s\S]*)\)$/.exec(text);
  if (!m) return null;
  let inner = m[2].trim();
  let size = null;
  for (;;) {
    const keyword = PRINT_KEYWORDS.exec(inner);
    const sized = keyword ? null : PRINT_SIZE.exec(inner);
    if (!keyword && !sized) break;
    if (sized) size = parseShape(sized[1]);
    inner = inner.slice(0, (keyword ?? sized).index).trim();
  }
  const extra = /,\s*([A-Za-z_]\w*)\s*=/.exec(inner);
  if (extra) throw new LabError('err.values.keyword', { name: clip(extra[1]) });
  return { inner, size };
}

// Lines of Python (x = torch.rand(2, 3), import torch) belong in the code box.
const PYTHON = /^(import\s|from\s+\w|[A-Za-z_]\w*\s*=[^=]|(torch|nn|np|numpy)\.\w+\s*\()/;

function refuseOtherCode(text) {
  if (/^torch\.Size\s*\(/.test(text)) throw new LabError('err.values.size');
  if (PYTHON.test(text)) throw new LabError('err.values.code', { text: clip(text.split('\n')[0], 40) });
  const call = /^([A-Za-z_][\w.]*)\s*\(/.exec(text);
  if (call) throw new LabError('err.values.call', { name: clip(call[1]) });
}

// A nested list brings its own shape, and so does a print's list (ownShape)
// even when flat: tensor([1., 2.]) is 1-D whatever the shape field says.
function readList(tokens, shape, ownShape) {
  if (isOpen(tokens[0]) && (ownShape || isOpen(tokens[1]))) return readNested(tokens);
  const values = isOpen(tokens[0]) ? readNested(tokens).values : tokens.map((tok) => {
    if (isOpen(tok) || isClose(tok)) throw new LabError('err.values.token', { token: tok });
    return parseNumber(tok);
  });
  return { shape: shape ?? [values.length], values };
}

/** Numbers, a (nested) list or tuple, or a pasted PyTorch/NumPy print.
 * A nested list or a print sets the shape; a flat list takes `shape`. */
export function parseValues(text, shape) {
  const source = String(text ?? '').trim();
  const print = unwrapPrint(source);
  if (print === null) refuseOtherCode(source);
  // An empty tensor: tensor([]) is 1-D; others print their size.
  if (print && /^\[\s*\]$/.test(print.inner)) {
    const empty = print.size ?? [0];
    if (product(empty) !== 0) throw new LabError('err.values.count', { got: '0', want: String(product(empty)), shape: formatShapeTorch(empty) });
    return { data: new Float32Array(0), shape: empty };
  }
  const tokens = tokenize(print ? print.inner : source);
  if (tokens.length === 0) throw new LabError('err.values.empty');
  const { shape: outShape, values } = readList(tokens, shape ?? null, print !== null);
  if (outShape.length > MAX_RANK) throw new LabError('err.values.rank', { max: MAX_RANK });
  if (values.length > MAX_ELEMENTS) throw new LabError('err.values.too_many', { count: String(values.length), max: MAX_ELEMENTS });
  if (values.length !== product(outShape)) {
    throw new LabError('err.values.count', { got: String(values.length), want: String(product(outShape)), shape: formatShapeTorch(outShape) });
  }
  return { data: Float32Array.from(values), shape: outShape.slice() };
}
