// Parsing of the user's shape and values. User text is only data: it is
// tokenized by hand (no eval, no JSON.parse, which rejects NaN/Infinity).
import { LabError } from './errors.js';

export const MAX_ELEMENTS = 4096;
export const MAX_RANK = 5;

// The token shown in an error message is cut short: it is user text.
const clip = (s) => (s.length > 20 ? s.slice(0, 20) + '…' : s);

export function product(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

export function formatShape(shape) {
  return shape.join('x');
}

export function parseShape(text) {
  const inner = String(text ?? '').trim().replace(/^[[(]\s*/, '').replace(/\s*[\])]$/, '');
  if (inner === '') throw new LabError('err.shape.empty');
  const tokens = inner.split(/\s*[,x×*]\s*|\s+/i);
  const shape = tokens.map((tok) => {
    if (!/^\d+$/.test(tok)) throw new LabError('err.shape.token', { token: clip(tok) });
    const n = Number(tok);
    if (n < 1) throw new LabError('err.shape.dim', { value: tok });
    return n;
  });
  if (shape.length > MAX_RANK) throw new LabError('err.shape.rank', { rank: shape.length, max: MAX_RANK });
  const count = product(shape);
  if (count > MAX_ELEMENTS) throw new LabError('err.shape.too_big', { count, max: MAX_ELEMENTS });
  return shape;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const WORDS = { nan: NaN, inf: Infinity, infinity: Infinity };

function parseNumber(tok) {
  if (NUMBER.test(tok)) return Number(tok);
  const m = /^([+-]?)([a-z]+)$/i.exec(tok);
  const word = m ? WORDS[m[2].toLowerCase()] : undefined;
  if (word !== undefined) return m[1] === '-' ? -word : word;
  throw new LabError('err.values.token', { token: clip(tok) });
}

// Tokens: '[', ']' and numbers; commas, semicolons and whitespace separate.
function tokenize(text) {
  return text.split(/([[\]])|[\s,;]+/).filter((s) => s !== undefined && s !== '');
}

// A nested list -> { shape, values }; checks that it is rectangular.
function readNested(tokens) {
  let pos = 0;
  const values = [];
  function list(depth) {
    if (depth > MAX_RANK) throw new LabError('err.values.rank', { max: MAX_RANK });
    pos++; // '['
    let shape = null;
    let count = 0;
    for (;;) {
      const tok = tokens[pos];
      if (tok === undefined) throw new LabError('err.values.unclosed');
      if (tok === ']') { pos++; break; }
      let sub;
      if (tok === '[') sub = list(depth + 1);
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

export function parseValues(text, shape) {
  const tokens = tokenize(String(text ?? ''));
  if (tokens.length === 0) throw new LabError('err.values.empty');
  let values;
  let outShape = shape ?? null; // no shape: a flat list is 1-D
  const nested = tokens[0] === '[' && tokens[1] === '[';
  if (nested) {
    ({ shape: outShape, values } = readNested(tokens));
  } else {
    const flat = tokens[0] === '[' ? readNested(tokens).values : null;
    values = flat ?? tokens.map((tok) => {
      if (tok === '[' || tok === ']') throw new LabError('err.values.token', { token: tok });
      return parseNumber(tok);
    });
  }
  outShape ??= [values.length];
  if (outShape.length > MAX_RANK) throw new LabError('err.values.rank', { max: MAX_RANK });
  if (values.length > MAX_ELEMENTS) throw new LabError('err.shape.too_big', { count: values.length, max: MAX_ELEMENTS });
  if (values.length !== product(outShape)) {
    throw new LabError('err.values.count', { got: values.length, want: product(outShape), shape: formatShape(outShape) });
  }
  return { data: Float32Array.from(values), shape: outShape.slice() };
}
