// "Paste PyTorch code": the few lines blog posts and docs show, read by hand.
// The text is tokenized and interpreted over a small, fixed subset of Python;
// it is never evaluated (no eval, no Function, no import of user text), so
// pasted HTML or script is only unsupported text. readTorchCode never throws:
// whatever it cannot read becomes a problem naming the line and column.
import { LabError, isLabError, torchError } from './errors.js';
import { MAX_ELEMENTS, MAX_RANK, product } from './parse.js';
import { normalizeSpec } from './specs.js';
import { checkConstruction, layout } from './layout.js';

export const MAX_CODE_CHARS = 20000;
export const MAX_CODE_LINES = 200;

// ---------- tokens ----------

const NUM = /^(?:\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const STR = /^([rRbBuUfF]{0,2})("""|'''|"|')/;
const OPS = ['**', '//', '==', '!=', '<=', '>=', '->', '(', ')', '[', ']', '{', '}', ',', ':', '.', '=', '+', '-', '*', '/', '%', '@', '<', '>', ';', '!', '&', '|', '^', '~'];
const CLOSE_OF = { '(': ')', '[': ']', '{': '}' };
const clip = (s, n = 30) => (s.length > n ? `${s.slice(0, n)}…` : s);

class CodeProblem extends Error {
  constructor(key, params) {
    super(key);
    this.key = key;
    this.params = params;
  }
}
const problemAt = (tok, key, extra = {}) => new CodeProblem(key, { line: tok.line, col: tok.col, ...extra });
const unsupported = (tok, what) => problemAt(tok, 'code.unsupported', { what: clip(what ?? tok.text) });

// A doctest paste (">>> x = ..."): keep the prompted lines, drop the printed output.
function physicalLines(text) {
  const lines = text.split(/\r\n|\r|\n/);
  const doctest = lines.find((l) => l.trim() !== '')?.trimStart().startsWith('>>>');
  return lines.map((l) => {
    if (!doctest) return { text: l, offset: 0 };
    const m = /^(\s*)(>>>|\.\.\.)( |$)/.exec(l);
    return m ? { text: l.slice(m[0].length), offset: m[0].length } : { text: '', offset: 0 };
  });
}

/** Logical lines of tokens (brackets continue a line), the comment text of
 * every physical line, and a CodeProblem for each line it cannot read. */
function tokenize(lines) {
  const logical = [];
  const comments = new Map();
  let current = [];
  const stack = [];
  let pendingString = null; // an open triple-quoted string
  const problems = [];
  lines.forEach((physical, index) => {
    try {
      readLine(physical, index + 1);
    } catch (e) {
      if (!(e instanceof CodeProblem)) throw e;
      // drop the statement this line belongs to; read on from the next line
      problems.push(e);
      current = [];
      stack.length = 0;
      pendingString = null;
    }
  });
  function readLine({ text, offset }, line) {
    let i = 0;
    const at = (k) => ({ line, col: offset + k + 1 });
    if (pendingString) {
      const end = text.indexOf(pendingString.quote);
      if (end < 0) return;
      pendingString.tok.text += '…';
      i = end + 3;
      pendingString = null;
    }
    while (i < text.length) {
      const rest = text.slice(i);
      const ch = text[i];
      if (ch === ' ' || ch === '\t') { i++; continue; }
      if (ch === '#') { comments.set(line, text.slice(i + 1).trim()); break; }
      if (ch === '\\' && rest.trim() === '\\') break; // explicit line continuation
      let m;
      if ((m = STR.exec(rest))) {
        const quote = m[2];
        let j = m[0].length;
        let value = '';
        for (; j < rest.length; j++) {
          if (rest[j] === '\\') { value += rest[j + 1] ?? ''; j++; continue; }
          if (rest.startsWith(quote, j)) break;
          value += rest[j];
        }
        const tok = { type: 'str', value, text: rest.slice(0, j + quote.length), ...at(i) };
        current.push(tok);
        if (j >= rest.length) {
          if (quote.length === 3) { pendingString = { quote, tok }; i = text.length; continue; }
          throw problemAt(tok, 'code.syntax', { what: clip(rest) });
        }
        i += j + quote.length;
        continue;
      }
      if ((m = NUM.exec(rest)) && !NAME.test(rest)) {
        const raw = m[0].replace(/_/g, '');
        const isFloat = /[.eE]/.test(raw);
        current.push({ type: 'num', value: Number(raw), isFloat, text: m[0], ...at(i) });
        i += m[0].length;
        continue;
      }
      if ((m = NAME.exec(rest))) {
        current.push({ type: 'name', value: m[0], text: m[0], ...at(i) });
        i += m[0].length;
        continue;
      }
      const op = OPS.find((o) => rest.startsWith(o));
      if (!op) throw problemAt(at(i), 'code.syntax', { what: clip(ch) });
      const tok = { type: 'op', value: op, text: op, ...at(i) };
      if (CLOSE_OF[op]) stack.push(tok);
      else if (op === ')' || op === ']' || op === '}') {
        const open = stack.pop();
        if (!open || CLOSE_OF[open.value] !== op) throw problemAt(tok, 'code.syntax', { what: op });
      }
      current.push(tok);
      i += op.length;
    }
    const continued = stack.length > 0 || pendingString || /\\\s*$/.test(text.replace(/#.*$/, ''));
    if (!continued && current.length) {
      logical.push(current);
      current = [];
    }
  }
  if (stack.length) problems.push(problemAt(stack[stack.length - 1], 'code.syntax', { what: stack[stack.length - 1].value }));
  else if (current.length) logical.push(current);
  return { logical, comments, problems };
}

// ---------- values the interpreter knows ----------

const TORCH_FUNCS = new Set(['rand', 'randn', 'ones', 'zeros', 'arange', 'tensor', 'manual_seed']);
// torch.nn classes: kind, dim, and the signature (torch 1.13; RMSNorm torch 2.4).
const CLASSES = {
  LayerNorm: { kind: 'layer_norm', qual: 'LayerNorm', args: ['normalized_shape', 'eps', 'elementwise_affine', 'device', 'dtype'], required: 1 },
  RMSNorm: { kind: 'rms_norm', qual: 'RMSNorm', args: ['normalized_shape', 'eps', 'elementwise_affine', 'device', 'dtype'], required: 1 },
  GroupNorm: { kind: 'group_norm', qual: 'GroupNorm', args: ['num_groups', 'num_channels', 'eps', 'affine', 'device', 'dtype'], required: 2 },
};
for (const d of [1, 2, 3]) {
  const norm = ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats', 'device', 'dtype'];
  CLASSES[`InstanceNorm${d}d`] = { kind: 'instance_norm', dim: d, qual: '_InstanceNorm', args: norm, required: 1 };
  CLASSES[`BatchNorm${d}d`] = { kind: 'batch_norm', dim: d, qual: '_BatchNorm', args: norm, required: 1 };
}
const FLOAT_DTYPES = new Set(['float', 'float32']);
const DTYPES = new Set(['float', 'float32', 'float64', 'double', 'float16', 'half', 'bfloat16', 'int', 'int32', 'int64', 'long', 'bool']);

const int = (v) => ({ t: 'int', v });
const isIntVal = (v) => v?.t === 'int' || v?.t === 'bool';
const isNumVal = (v) => v?.t === 'int' || v?.t === 'float' || v?.t === 'bool';
const isSeq = (v) => v?.t === 'tuple' || v?.t === 'list';

// ---------- the interpreter of one logical line ----------

class Line {
  constructor(tokens, program) {
    this.toks = tokens;
    this.pos = 0;
    this.p = program;
  }

  peek(k = 0) { return this.toks[this.pos + k]; }
  next() { return this.toks[this.pos++]; }
  end() { return this.pos >= this.toks.length; }
  isOp(v, k = 0) { const t = this.peek(k); return t?.type === 'op' && t.value === v; }
  last() { return this.toks[this.toks.length - 1]; }

  expect(v) {
    const t = this.next();
    if (t?.type !== 'op' || t.value !== v) throw t ? unsupported(t) : problemAt(this.last(), 'code.syntax', { what: v });
    return t;
  }

  // Python-like precedence, for the arithmetic sizes and ramps need.
  expr() {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next();
      left = arith(op, left, this.term());
    }
    return left;
  }

  term() {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.next();
      left = arith(op, left, this.unary());
    }
    return left;
  }

  unary() {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next();
      const v = this.unary();
      if (!isNumVal(v)) throw unsupported(op);
      return op.value === '-' ? { t: v.t === 'bool' ? 'int' : v.t, v: -v.v } : v;
    }
    const base = this.postfix();
    if (this.isOp('**')) {
      const op = this.next();
      return arith(op, base, this.unary());
    }
    return base;
  }

  postfix() {
    let v = this.atom();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const name = this.next();
        if (name?.type !== 'name') throw unsupported(name ?? this.last());
        v = attribute(v, name, this.p);
      } else if (this.isOp('(')) {
        const open = this.next();
        const args = this.args();
        v = this.p.call(v, args, open, this);
      } else if (this.isOp('[')) {
        const open = this.next();
        v = subscript(v, this.subscriptArg(), open);
        this.expect(']');
      } else return v;
    }
  }

  // [i] or [a:b] (a slice of a size)
  subscriptArg() {
    const read = () => (this.isOp(':') || this.isOp(']') ? null : this.expr());
    const start = read();
    if (!this.isOp(':')) return { index: start };
    this.next();
    const stop = read();
    if (this.isOp(':')) throw unsupported(this.peek());
    return { slice: [start, stop] };
  }

  args() {
    const positional = [];
    const keywords = [];
    while (!this.isOp(')')) {
      const start = this.peek();
      if (!start) throw problemAt(this.last(), 'code.syntax', { what: '(' });
      if (start.type === 'name' && this.isOp('=', 1)) {
        this.pos += 2;
        const from = this.pos;
        keywords.push({ name: start.value, tok: start, value: this.expr(), span: [this.toks[from], this.toks[this.pos - 1]] });
      } else {
        if (this.isOp('*') || this.isOp('**')) throw unsupported(start);
        const from = this.pos;
        positional.push({ tok: start, value: this.expr(), span: [this.toks[from], this.toks[this.pos - 1]] });
      }
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expect(')');
    return { positional, keywords };
  }

  atom() {
    const tok = this.next();
    if (!tok) throw problemAt(this.last(), 'code.syntax', { what: this.last().text });
    if (tok.type === 'num') return tok.isFloat ? { t: 'float', v: tok.value } : int(tok.value);
    if (tok.type === 'str') return { t: 'str', v: tok.value };
    if (tok.type === 'name') return this.p.lookup(tok);
    if (tok.type === 'op' && (tok.value === '(' || tok.value === '[')) {
      const close = CLOSE_OF[tok.value];
      const items = [];
      let comma = false;
      while (!this.isOp(close)) {
        items.push(this.expr());
        if (!this.isOp(',')) break;
        this.next();
        comma = true;
      }
      this.expect(close);
      if (tok.value === '(' && items.length === 1 && !comma) return items[0];
      return { t: tok.value === '(' ? 'tuple' : 'list', items };
    }
    throw unsupported(tok);
  }
}

function arith(op, a, b) {
  if (isNumVal(a) && isNumVal(b)) {
    const x = a.v;
    const y = b.v;
    const ints = isIntVal(a) && isIntVal(b);
    switch (op.value) {
      case '+': return { t: ints ? 'int' : 'float', v: x + y };
      case '-': return { t: ints ? 'int' : 'float', v: x - y };
      case '*': return { t: ints ? 'int' : 'float', v: x * y };
      case '/': if (y === 0) throw unsupported(op, '/ 0'); return { t: 'float', v: x / y };
      case '//': if (y === 0) throw unsupported(op, '// 0'); return { t: ints ? 'int' : 'float', v: Math.floor(x / y) };
      case '%': if (y === 0) throw unsupported(op, '% 0'); return { t: ints ? 'int' : 'float', v: x - y * Math.floor(x / y) };
      case '**': return { t: ints && y >= 0 ? 'int' : 'float', v: x ** y };
      default: throw unsupported(op);
    }
  }
  // a tensor of known values with a number: a ramp scaled or shifted
  const [tensor, num, flipped] = a?.t === 'tensor' ? [a, b, false] : [b, a, true];
  if (tensor?.t !== 'tensor' || !isNumVal(num) || op.value === '**' || op.value === '%') throw unsupported(op);
  if (!tensor.data) throw unsupported(op, `${op.value} on torch.${tensor.values === 'uniform' ? 'rand' : 'randn'}(...)`);
  const f = {
    '+': (x) => x + num.v, '-': (x) => (flipped ? num.v - x : x - num.v), '*': (x) => x * num.v,
    '/': (x) => (flipped ? num.v / x : x / num.v), '//': (x) => Math.floor(flipped ? num.v / x : x / num.v),
  }[op.value];
  const floatOut = tensor.dtype !== 'int64' || num.t === 'float' || op.value === '/';
  return { ...tensor, dtype: floatOut ? 'float32' : 'int64', data: tensor.data.map(f), values: 'custom' };
}

function attribute(v, nameTok, program) {
  const name = nameTok.value;
  if (v.t === 'module') {
    if (v.path === 'torch' && name === 'nn') return { t: 'module', path: 'torch.nn' };
    if (v.path === 'torch.nn' && name === 'functional') return { t: 'module', path: 'torch.nn.functional' };
    if (v.path === 'torch' && TORCH_FUNCS.has(name)) return { t: 'func', name, tok: nameTok };
    if (v.path === 'torch' && DTYPES.has(name)) return { t: 'dtype', name };
    if (v.path === 'torch.nn' && Object.hasOwn(CLASSES, name)) return { t: 'class', name, tok: nameTok };
    throw unsupported(nameTok, `${v.path}.${name}`);
  }
  if (v.t === 'tensor') {
    if (name === 'shape') return { t: 'tuple', items: v.shape.map(int), size: true };
    if (['reshape', 'view', 'float', 'size'].includes(name)) return { t: 'method', of: v, name, tok: nameTok };
  }
  // layer.train() / layer.eval(), also chained: nn.BatchNorm1d(3).eval()
  if ((v.t === 'layer' || v.t === 'newlayer') && (name === 'train' || name === 'eval')) return { t: 'method', of: v, name, tok: nameTok };
  return program.unsupportedAttr(nameTok, v);
}

function subscript(v, arg, open) {
  if (!isSeq(v) && v.t !== 'tuple') throw unsupported(open, '[...]');
  const n = v.items.length;
  const idx = (a, dflt) => {
    if (a === null) return dflt;
    if (!isIntVal(a)) throw unsupported(open, '[...]');
    return a.v < 0 ? Math.max(0, n + a.v) : Math.min(n, a.v);
  };
  if (arg.slice) {
    const [a, b] = arg.slice;
    return { ...v, items: v.items.slice(idx(a, 0), idx(b, n)) };
  }
  if (!isIntVal(arg.index)) throw unsupported(open, '[...]');
  const i = arg.index.v < 0 ? n + arg.index.v : arg.index.v;
  if (i < 0 || i >= n) throw problemAt(open, 'code.bad_value', { name: '[...]', what: String(arg.index.v) });
  return v.items[i];
}

// ---------- tensors ----------

// A shape from torch.rand(2, 3, 4), torch.rand((2, 3, 4)), torch.rand(size=[2, 3]).
function shapeArgs(args, tok) {
  let items = args.positional.map((a) => a.value);
  const size = args.keywords.find((k) => k.name === 'size');
  if (size) items = [size.value];
  if (items.length === 1 && isSeq(items[0])) items = items[0].items;
  if (!items.every(isIntVal)) throw problemAt(tok, 'code.bad_value', { name: 'size', what: 'int' });
  const shape = items.map((i) => i.v);
  if (shape.some((d) => d < 0)) throw problemAt(tok, 'code.bad_value', { name: 'size', what: String(shape.find((d) => d < 0)) });
  return shape;
}

function dtypeOf(args, tok, fallback) {
  const kw = args.keywords.find((k) => k.name === 'dtype');
  if (!kw || kw.value.t === 'none') return fallback;
  if (kw.value.t !== 'dtype') throw unsupported(kw.tok, 'dtype=…');
  if (FLOAT_DTYPES.has(kw.value.name)) return 'float32';
  if (kw.value.name === 'int64' || kw.value.name === 'long') return 'int64';
  throw unsupported(kw.tok, `dtype=torch.${kw.value.name}`); // the page computes in float32
}

function checkKeywords(args, allowed, tok) {
  for (const k of args.keywords) if (!allowed.includes(k.name)) throw unsupported(k.tok, `${k.name}=`);
}

function checkSize(shape, tok) {
  if (shape.length < 1 || shape.length > MAX_RANK) throw problemAt(tok, 'code.x_rank', { rank: shape.length, max: MAX_RANK });
  const count = product(shape);
  if (count > MAX_ELEMENTS) throw problemAt(tok, 'code.x_too_big', { count, max: MAX_ELEMENTS });
}

function makeTensor(name, args, tok) {
  if (name === 'rand' || name === 'randn' || name === 'ones' || name === 'zeros') {
    checkKeywords(args, ['size', 'dtype', 'requires_grad', 'device'], tok);
    const shape = shapeArgs(args, tok);
    checkSize(shape, tok);
    const dtype = dtypeOf(args, tok, 'float32');
    if (dtype !== 'float32') throw unsupported(tok, `torch.${name}(…, dtype=int64)`);
    const data = name === 'ones' ? new Float32Array(product(shape)).fill(1) : name === 'zeros' ? new Float32Array(product(shape)) : null;
    const values = { rand: 'uniform', randn: 'random', ones: 'ones', zeros: 'zeros' }[name];
    return { t: 'tensor', shape, dtype, values, data };
  }
  if (name === 'arange') {
    checkKeywords(args, ['start', 'end', 'step', 'dtype', 'requires_grad', 'device'], tok);
    const nums = args.positional.map((a) => a.value);
    if (nums.length < 1 || nums.length > 3 || !nums.every(isNumVal)) throw problemAt(tok, 'code.bad_value', { name: 'arange', what: 'number' });
    const [start, end, step] = nums.length === 1 ? [int(0), nums[0], int(1)] : [nums[0], nums[1], nums[2] ?? int(1)];
    if (step.v === 0) throw problemAt(tok, 'code.bad_value', { name: 'step', what: '0' });
    const count = Math.max(0, Math.ceil((end.v - start.v) / step.v));
    checkSize([count], tok);
    const anyFloat = [start, end, step].some((v) => v.t === 'float');
    const dtype = dtypeOf(args, tok, anyFloat ? 'float32' : 'int64');
    const data = Float32Array.from({ length: count }, (_, i) => start.v + i * step.v);
    return { t: 'tensor', shape: [count], dtype, values: 'custom', data };
  }
  // torch.tensor([...]): nested lists; ints only make an int64 tensor, as in torch
  checkKeywords(args, ['dtype', 'requires_grad', 'device'], tok);
  const list = args.positional[0]?.value;
  if (args.positional.length !== 1 || !(isSeq(list) || isNumVal(list))) throw unsupported(tok, 'torch.tensor(…)');
  const flat = [];
  let anyFloat = false;
  const shapeOf = (v, depth) => {
    if (isNumVal(v)) { flat.push(v.v); anyFloat ||= v.t === 'float'; return []; }
    if (!isSeq(v) || depth > MAX_RANK) throw unsupported(tok, 'torch.tensor(…)');
    const subs = v.items.map((item) => shapeOf(item, depth + 1));
    if (subs.some((s) => s.join() !== subs[0].join())) throw problemAt(tok, 'code.bad_value', { name: 'torch.tensor', what: 'ragged' });
    return [v.items.length, ...(subs[0] ?? [])];
  };
  const shape = shapeOf(list, 1);
  if (shape.length === 0) throw unsupported(tok, 'torch.tensor(<number>)');
  checkSize(shape, tok);
  const dtype = dtypeOf(args, tok, anyFloat ? 'float32' : 'int64');
  return { t: 'tensor', shape, dtype, values: 'custom', data: Float32Array.from(flat) };
}

function reshape(t, args, tok) {
  checkKeywords(args, [], tok);
  let items = args.positional.map((a) => a.value);
  if (items.length === 1 && isSeq(items[0])) items = items[0].items;
  if (!items.every(isIntVal)) throw problemAt(tok, 'code.bad_value', { name: 'shape', what: 'int' });
  const shape = items.map((i) => i.v);
  const count = product(t.shape);
  const free = shape.filter((d) => d === -1).length;
  const known = product(shape.filter((d) => d !== -1));
  if (free > 1 || shape.some((d) => d < -1)) throw problemAt(tok, 'code.bad_value', { name: 'shape', what: shape.join(', ') });
  if (free === 1 && known > 0 && count % known === 0) shape[shape.indexOf(-1)] = count / known;
  if (product(shape) !== count) {
    throw torchFailure(tok, 'RuntimeError', `shape '[${shape.join(', ')}]' is invalid for input of size ${count}`);
  }
  checkSize(shape, tok);
  return { ...t, shape };
}

// A torch exception on a line that builds the input (not a layer): shown as a problem.
const torchFailure = (tok, type, message) => problemAt(tok, 'code.torch_raises', { type, message });

function isRamp(data) {
  return data.every((v, i) => v === i);
}

// ---------- layers ----------

// What a constructor raises: torch's exception, and the reason for the page.
const initError = (cls, type, message) => ({ type, message, key: 'err.layer.init', params: { module: cls, message } });

function bindArgs(cls, args, tok) {
  const c = CLASSES[cls];
  const fail = (message) => ({ error: initError(cls, 'TypeError', `${c.qual}.__init__() ${message}`) });
  if (args.positional.length > c.args.length) {
    return fail(`takes from ${c.required + 1} to ${c.args.length + 1} positional arguments but ${args.positional.length + 1} were given`);
  }
  const bound = {};
  args.positional.forEach((a, i) => { bound[c.args[i]] = a; });
  for (const k of args.keywords) {
    if (!c.args.includes(k.name)) return fail(`got an unexpected keyword argument '${k.name}'`);
    if (bound[k.name]) return fail(`got multiple values for argument '${k.name}'`);
    bound[k.name] = k;
  }
  const missing = c.args.slice(0, c.required).filter((a) => !bound[a]);
  if (missing.length) {
    const names = missing.map((m) => `'${m}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    return fail(`missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
  }
  return { bound };
}

function boolArg(a) {
  const v = a.value;
  if (v.t === 'bool' || v.t === 'int') return Boolean(v.v);
  if (v.t === 'none') return false;
  throw problemAt(a.tok, 'code.bad_value', { name: 'bool', what: 'True / False' });
}

function numArg(a, name, { none = false } = {}) {
  const v = a.value;
  if (v.t === 'none' && none) return null;
  if (isNumVal(v)) return Number(v.v);
  throw problemAt(a.tok, 'code.bad_value', { name, what: none ? 'number / None' : 'number' });
}

function countArg(a, name, min) {
  const v = a.value;
  if (!isIntVal(v) || v.v < min || v.v > 1e6) throw problemAt(a.tok, 'code.bad_value', { name, what: `int >= ${min}` });
  return v.v;
}

// nn.X(...) -> { spec } or { error } (what the constructor raises in torch)
function buildSpec(cls, args, tok) {
  const c = CLASSES[cls];
  const { bound, error } = bindArgs(cls, args, tok);
  if (error) return { error };
  for (const k of ['device', 'dtype']) {
    const a = bound[k];
    if (a && !(a.value.t === 'none' || (k === 'device' && a.value.t === 'str' && a.value.v === 'cpu')
      || (k === 'dtype' && a.value.t === 'dtype' && FLOAT_DTYPES.has(a.value.name)))) throw unsupported(a.tok, `${k}=…`);
  }
  const params = {};
  if (c.dim) params.dim = c.dim;
  if (bound.eps) params.eps = numArg(bound.eps, 'eps', { none: c.kind === 'rms_norm' });
  if (bound.momentum) params.momentum = numArg(bound.momentum, 'momentum', { none: true });
  for (const [py, js] of [['affine', 'affine'], ['elementwise_affine', 'affine'], ['track_running_stats', 'trackRunningStats']]) {
    if (bound[py]) params[js] = boolArg(bound[py]);
  }
  if (c.kind === 'layer_norm' || c.kind === 'rms_norm') {
    const v = bound.normalized_shape.value;
    if (v.t === 'float') return { error: initError(cls, 'TypeError', "'float' object is not iterable") };
    const items = isIntVal(v) ? [v] : isSeq(v) ? v.items : null;
    if (!items || !items.every(isIntVal) || items.some((i) => i.v < 1) || items.length > MAX_RANK) {
      throw problemAt(bound.normalized_shape.tok, 'code.bad_value', { name: 'normalized_shape', what: 'int / [int, …]' });
    }
    params.normalizedShape = items.map((i) => i.v);
  } else if (c.kind === 'group_norm') {
    const g = bound.num_groups.value;
    if (isIntVal(g) && g.v === 0) return { error: initError(cls, 'ZeroDivisionError', 'integer modulo by zero') };
    params.numGroups = countArg(bound.num_groups, 'num_groups', 1);
    params.numChannels = countArg(bound.num_channels, 'num_channels', 0);
  } else {
    params.numFeatures = countArg(bound.num_features, 'num_features', 0);
  }
  const spec = normalizeSpec({ kind: c.kind, params });
  try {
    checkConstruction(spec);
  } catch (e) {
    if (isLabError(e) && e.torch) return { error: { ...e.torch, key: e.key, params: e.params } };
    throw e;
  }
  return { spec, positionalSpan: bound[c.args[0]].span };
}

// What torch raises for a Long (int64) input, after the shape checks.
const LONG_KERNEL = { layer_norm: 'LayerNormKernelImpl', instance_norm: 'batch_norm', batch_norm: 'batch_norm', group_norm: 'GroupNormKernelImpl' };

/** What torch raises when this layer is applied to this input tensor, as
 * { type, message, key, params }, or null when it runs. RMSNorm is torch 2.4's. */
export function forwardError(spec, x) {
  try {
    layout(spec, x.shape);
  } catch (e) {
    if (!isLabError(e)) throw e;
    return { ...(e.torch ?? { type: null, message: e.message }), key: e.key, params: e.params };
  }
  if (x.dtype === 'int64' && spec.kind !== 'rms_norm') {
    const err = torchError('err.layer.dtype_long', {}, 'RuntimeError', `"${LONG_KERNEL[spec.kind]}" not implemented for 'Long'`);
    return { ...err.torch, key: err.key, params: err.params };
  }
  return null;
}

// ---------- comment claims ----------

const LAST_DIM = /\blast\s+(dim|dimension|axis)\b|\bfinal\s+(dim|dimension|axis)\b|最后(一个|一|的)?维度?|末尾的?维度?/i;
const CHANNELS = /channel|通道/i;

/** The InstanceNorm{d}d that reads a rank-r input as batched (N, C, *):
 * the line a "C channels" comment means, or null. */
function batchedInstance(layer, shape, xName) {
  const { spec } = layer;
  const d = shape.length - 2;
  if (spec.kind !== 'instance_norm' || d < 1 || d > 3 || d === spec.params.dim) return null;
  const nf = spec.params.numFeatures;
  if (nf !== null && nf !== shape[1]) return null;
  const correctedSpec = normalizeSpec({ kind: 'instance_norm', params: { ...spec.params, dim: d } });
  if (forwardError(correctedSpec, { shape, dtype: 'float32' })) return null;
  return { corrected: layer.code.replace(/InstanceNorm[123]d/, `InstanceNorm${d}d`), correctedSpec, xName };
}

function claimOf(layer, x, xName) {
  if (!layer.comment || !layer.spec || !x) return null;
  const { spec } = layer;
  let lay;
  try { lay = layout(spec, x.shape); } catch { lay = null; }
  const r = x.shape.length;
  if (LAST_DIM.test(layer.comment) && lay) {
    const axes = lay.reducedAxes;
    if (axes.length === 1 && axes[0] === r - 1) return null;
    const params = { name: layer.name, module: lay.module, axes: axes.map((a) => `${a} (${lay.axisNames[a]})`).join(', '),
      count: axes.length, last: `${r - 1} (${lay.axisNames[r - 1]})` };
    if (spec.kind === 'layer_norm' || spec.kind === 'rms_norm') {
      const corrected = layer.positionalSpan
        ? `${layer.code.slice(0, layer.positionalSpan[0])}${xName}.size()[-1]${layer.code.slice(layer.positionalSpan[1])}`
        : null;
      const correctedSpec = normalizeSpec({ kind: spec.kind, params: { ...spec.params, normalizedShape: [x.shape[r - 1]] } });
      return { key: 'code.claim_last_dim', params, corrected, correctedSpec };
    }
    const fix = batchedInstance(layer, x.shape, xName);
    return { key: 'code.claim_last_dim', params, corrected: fix?.corrected ?? null, correctedSpec: fix?.correctedSpec ?? null };
  }
  if (CHANNELS.test(layer.comment) && spec.kind === 'instance_norm' && spec.params.numFeatures !== null) {
    const nf = spec.params.numFeatures;
    const unbatched = r === spec.params.dim + 1;
    const C = unbatched ? x.shape[0] : x.shape[1];
    if (r !== spec.params.dim + 1 && r !== spec.params.dim + 2) return null;
    if (C === nf) return null;
    const fix = batchedInstance(layer, x.shape, xName);
    const module = `InstanceNorm${spec.params.dim}d`;
    return {
      key: unbatched ? 'code.claim_channels_unbatched' : 'code.claim_channels',
      params: { name: layer.name, module, numFeatures: nf, C, rank: r, shape: x.shape.join(', '),
        axes: unbatched ? ['C', ...['L', 'H, W', 'D, H, W'][spec.params.dim - 1].split(', ')].join(', ') : '',
        suggested: fix ? `InstanceNorm${r - 2}d` : '' },
      corrected: fix?.corrected ?? null, correctedSpec: fix?.correctedSpec ?? null,
    };
  }
  return null;
}

// ---------- statements ----------

// Python statements the code box does not read (blocks, definitions, control flow).
const PY_KEYWORDS = new Set(['with', 'for', 'while', 'if', 'elif', 'else', 'def', 'class', 'return', 'try', 'except', 'finally',
  'lambda', 'del', 'global', 'nonlocal', 'assert', 'raise', 'yield', 'async', 'await', 'pass', 'break', 'continue']);

const RMS_TORCH_113 = { type: 'AttributeError', message: "module 'torch.nn' has no attribute 'RMSNorm'" };

class Program {
  constructor(source) {
    this.source = source;
    this.names = new Map(); // name -> value
    this.result = { seed: null, x: null, layers: [], prints: [], problems: [] };
    this.xName = null;
  }

  lookup(tok) {
    const name = tok.value;
    if (name === 'True' || name === 'False') return { t: 'bool', v: name === 'True' };
    if (name === 'None') return { t: 'none' };
    const v = this.names.get(name);
    if (v?.t === 'class') return { ...v, tok }; // where this call is, not the import
    if (v) return v;
    throw problemAt(tok, 'code.unknown_name', { name: clip(name) });
  }

  unsupportedAttr(tok, v) {
    const owner = v.t === 'tensor' ? 'x' : v.t === 'layer' ? this.result.layers[v.index].name : '';
    throw unsupported(tok, `${owner}.${tok.value}`);
  }

  call(f, args, open, line) {
    if (f.t === 'func') {
      if (f.name === 'manual_seed') {
        const n = args.positional[0]?.value;
        if (args.positional.length !== 1 || !isIntVal(n) || n.v < 0) throw problemAt(open, 'code.bad_value', { name: 'manual_seed', what: 'int' });
        this.result.seed = n.v;
        return { t: 'none' };
      }
      return makeTensor(f.name, args, f.tok);
    }
    if (f.t === 'class') {
      const built = buildSpec(f.name, args, f.tok);
      return { t: 'newlayer', cls: f.name, tok: f.tok, ...built, openIndex: line.toks.indexOf(open), closeIndex: line.pos - 1 };
    }
    if (f.t === 'method') return this.method(f, args, open);
    if (f.t === 'layer') {
      const a = args.positional[0];
      if (args.positional.length !== 1 || args.keywords.length) throw unsupported(open, `${this.result.layers[f.index].name}(…)`);
      if (a.value.t !== 'tensor' || a.value !== this.names.get(this.xName)) {
        throw problemAt(a.tok, 'code.not_input', { name: clip(a.tok.text) });
      }
      const layer = this.result.layers[f.index];
      if (!layer.applied) layer.trainingAtApply = layer.mode;
      layer.applied = true;
      return { t: 'output' };
    }
    if (f.t === 'newlayer') throw unsupported(open, '(…)');
    throw unsupported(open, '(…)');
  }

  method(m, args, open) {
    const v = m.of;
    if (v.t === 'layer' || v.t === 'newlayer') {
      const layer = v.t === 'layer' ? this.result.layers[v.index] : v;
      let mode = m.name === 'train';
      if (m.name === 'train' && (args.positional.length || args.keywords.length)) {
        const a = args.positional[0] ?? args.keywords.find((k) => k.name === 'mode');
        if (!a) throw unsupported(m.tok, 'train(…)');
        mode = boolArg(a);
      } else if (m.name === 'eval' && (args.positional.length || args.keywords.length)) throw unsupported(m.tok, 'eval(…)');
      layer.mode = mode;
      return v;
    }
    if (m.name === 'size') {
      const shape = { t: 'tuple', items: v.shape.map(int), size: true };
      if (!args.positional.length) return shape;
      return subscript(shape, { index: args.positional[0].value }, open);
    }
    if (m.name === 'float') return { ...v, dtype: 'float32' };
    return reshape(v, args, m.tok);
  }

  // a layer value from `name = nn.X(...)` (maybe chained .eval()): recorded once
  addLayer(name, value, line, rhsFrom, rhsTo) {
    const src = line.toks;
    const layer = {
      name, line: value.tok.line, col: src[rhsFrom].col, code: this.textOf(src, rhsFrom, rhsTo),
      comment: null, spec: value.spec ?? null, construction: value.error ?? null,
      training: true, applied: false, claim: null, forward: null, torch113: null, notes: [],
      mode: value.mode ?? true, positionalSpan: null,
    };
    if (value.positionalSpan) {
      const [a, b] = value.positionalSpan;
      const base = src[rhsFrom];
      layer.positionalSpan = [this.offsetOf(base, a), this.offsetOf(base, b) + b.text.length];
    }
    if (value.cls === 'RMSNorm') {
      layer.torch113 = RMS_TORCH_113;
      layer.notes.push({ key: 'code.rms_torch24', params: { name } });
    }
    this.result.layers.push(layer);
    return { t: 'layer', index: this.result.layers.length - 1 };
  }

  // Source text between two tokens of a logical line (which may span lines).
  textOf(toks, from, to) {
    const a = toks[from];
    const b = toks[to];
    return this.slice(a, b);
  }

  slice(a, b) {
    if (a.line === b.line) return this.lines[a.line - 1].text.slice(a.col - 1 - this.lines[a.line - 1].offset, b.col - 1 - this.lines[b.line - 1].offset + b.text.length);
    const parts = [this.lines[a.line - 1].text.slice(a.col - 1 - this.lines[a.line - 1].offset).replace(/#.*$/, '').trimEnd()];
    for (let l = a.line + 1; l < b.line; l++) parts.push(this.lines[l - 1].text.replace(/#.*$/, '').trim());
    parts.push(this.lines[b.line - 1].text.slice(0, b.col - 1 - this.lines[b.line - 1].offset + b.text.length).trim());
    return parts.join(' ');
  }

  // Offset of token t inside the text slice(base, …), for rewriting one argument.
  offsetOf(base, t) {
    return this.slice(base, t).length - t.text.length;
  }

  statement(toks) {
    const line = new Line(toks, this);
    const first = toks[0];
    if (first.type === 'name' && (first.value === 'import' || first.value === 'from')) return this.importLine(toks);
    if (first.type === 'name' && PY_KEYWORDS.has(first.value)) throw unsupported(first, `${first.value} …`);
    if (first.type === 'name' && first.value === 'print' && line.isOp('(', 1)) {
      this.result.prints.push({ line: first.line, text: this.textOf(toks, 0, toks.length - 1) });
      this.markPrintedApplications(toks);
      return;
    }
    // targets: name = … or a, b = …
    const eq = toks.findIndex((t) => t.type === 'op' && t.value === '=');
    let targets = null;
    if (eq > 0) {
      targets = [];
      for (let i = 0; i < eq; i += 2) {
        const t = toks[i];
        if (t.type !== 'name' || (i + 1 < eq && !(toks[i + 1].type === 'op' && toks[i + 1].value === ','))) throw unsupported(t, this.textOf(toks, 0, eq));
        targets.push(t);
      }
      line.pos = eq + 1;
      if (line.end()) throw problemAt(toks[eq], 'code.syntax', { what: '=' });
    }
    const rhsFrom = line.pos;
    let value = line.expr();
    // a tuple on the right: a, b = 1, 2 (or x = 1, 2)
    if (line.isOp(',')) {
      const items = [value];
      while (line.isOp(',')) {
        line.next();
        if (line.end()) break;
        items.push(line.expr());
      }
      value = { t: 'tuple', items };
    }
    if (!line.end()) throw unsupported(line.peek());
    if (value.t === 'newlayer') {
      const name = targets?.length === 1 ? targets[0].value : null;
      if (!name) throw unsupported(value.tok, `${value.cls}(…)`);
      value = this.addLayer(name, value, line, rhsFrom, toks.length - 1);
    }
    if (!targets) return;
    if (targets.length > 1) {
      if (!isSeq(value) || value.items.length !== targets.length) throw unsupported(targets[0], this.textOf(toks, 0, toks.length - 1));
      targets.forEach((t, i) => this.bind(t, value.items[i]));
      return;
    }
    this.bind(targets[0], value);
  }

  bind(tok, value) {
    const name = tok.value;
    if (['torch', 'nn', 'F', 'print', 'True', 'False', 'None'].includes(name) && this.names.get(name)?.t === 'module') {
      throw unsupported(tok, `${name} = …`);
    }
    if (value.t === 'tensor') {
      if (this.xName !== null && this.xName !== name) throw problemAt(tok, 'code.second_input', { name: clip(name), x: this.xName });
      this.xName = name;
      this.result.x = { line: tok.line, name, shape: value.shape.slice(), dtype: value.dtype, values: value.values, data: value.data };
    }
    this.names.set(name, value);
  }

  importLine(toks) {
    const text = toks.map((t) => t.text).join(' ').replace(/ \. /g, '.').replace(/ ,/g, ',');
    let m;
    if ((m = /^import torch(?:\.nn(?:\.functional)?)?(?: as (\w+))?$/.exec(text))) {
      const path = text.split(' ')[1];
      if (m[1]) this.names.set(m[1], { t: 'module', path });
      else this.names.set('torch', { t: 'module', path: 'torch' });
      return;
    }
    if ((m = /^from torch import (nn|nn as \w+)$/.exec(text))) {
      this.names.set(m[1].split(' ').pop(), { t: 'module', path: 'torch.nn' });
      return;
    }
    if ((m = /^from torch\.nn import ([\w, ]+)$/.exec(text))) {
      for (const item of m[1].split(/\s*,\s*/)) {
        if (item === 'functional') continue;
        if (!Object.hasOwn(CLASSES, item)) throw unsupported(toks[0], `from torch.nn import ${item}`);
        this.names.set(item, { t: 'class', name: item, tok: toks.find((t) => t.value === item) });
      }
      return;
    }
    if (/^import torch\.nn\.functional as \w+$/.test(text)) return;
    throw unsupported(toks[0], text);
  }

  // print(layer(x)) applies the layer too.
  markPrintedApplications(toks) {
    for (let i = 0; i + 3 < toks.length; i++) {
      const v = toks[i].type === 'name' ? this.names.get(toks[i].value) : null;
      if (v?.t === 'layer' && toks[i + 1].value === '(' && toks[i + 2].value === this.xName && toks[i + 3].value === ')') {
        const layer = this.result.layers[v.index];
        if (!layer.applied) layer.trainingAtApply = layer.mode;
        layer.applied = true;
      }
    }
  }
}

function finish(program, comments) {
  const { result } = program;
  const x = result.x;
  for (const layer of result.layers) {
    const lastLine = layer.line;
    layer.comment = comments.get(lastLine) ?? null;
    layer.training = layer.trainingAtApply ?? layer.mode;
    if (layer.spec && Object.hasOwn(layer.spec.params, 'training')) {
      layer.spec = normalizeSpec({ kind: layer.spec.kind, params: { ...layer.spec.params, training: layer.training } });
    }
    if (layer.spec && x) layer.forward = forwardError(layer.spec, x);
    layer.claim = claimOf(layer, x, program.xName ?? 'x');
    delete layer.trainingAtApply;
    delete layer.mode;
    delete layer.positionalSpan;
  }
  if (x && x.data && x.values === 'custom' && isRamp(x.data)) x.values = 'ramp';
  result.problems.sort((a, b) => a.line - b.line || a.col - b.col);
  return result;
}

/** Reads pasted PyTorch code; never throws. See web/lab/README.md. */
export function readTorchCode(text) {
  const source = String(text ?? '');
  const empty = () => ({ seed: null, x: null, layers: [], prints: [], problems: [] });
  if (source.length > MAX_CODE_CHARS) {
    return { ...empty(), problems: [{ line: 1, col: 1, key: 'code.too_long', params: { length: source.length, max: MAX_CODE_CHARS } }] };
  }
  const lines = physicalLines(source);
  if (lines.length > MAX_CODE_LINES) {
    return { ...empty(), problems: [{ line: MAX_CODE_LINES + 1, col: 1, key: 'code.too_many_lines', params: { lines: lines.length, max: MAX_CODE_LINES } }] };
  }
  const program = new Program(source);
  program.lines = lines;
  const tokens = tokenize(lines);
  const problems = tokens.problems.map((e) => ({ line: e.params.line, col: e.params.col, key: e.key, params: e.params }));
  program.result.problems.push(...problems);
  for (const toks of tokens.logical) {
    const first = toks[0];
    if (first.col - 1 > lines[first.line - 1].offset && /^\s/.test(lines[first.line - 1].text)) {
      program.result.problems.push({ line: first.line, col: first.col, key: 'code.unsupported', params: { line: first.line, col: first.col, what: 'indented block' } });
      continue;
    }
    try {
      program.statement(toks);
    } catch (e) {
      if (e instanceof CodeProblem) {
        program.result.problems.push({ line: e.params.line, col: e.params.col, key: e.key, params: e.params });
      } else if (e instanceof LabError) {
        program.result.problems.push({ line: first.line, col: first.col, key: e.key, params: { line: first.line, col: first.col, ...e.params } });
      } else throw e;
    }
  }
  return finish(program, tokens.comments);
}
