// Argument checks shared by every op.  Each failure is a TypeError (wrong
// kind of value) or RangeError (right kind, wrong value) whose message starts
// with the op, names the argument, and says what was expected and what came.
// Where PyTorch has a message for the same mistake, its wording is kept.

/** A short, safe description of any value for an error message. */
export function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length <= 8 ? `[${v.map(describe).join(', ')}]` : `an array of length ${v.length}`;
  if (v instanceof DataView) return `a DataView of ${v.byteLength} bytes`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${v.length}`;
  switch (typeof v) {
    case 'number':
    case 'boolean': return String(v);
    case 'string': return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
    case 'undefined': return 'undefined';
    case 'object': return v.constructor && v.constructor !== Object ? `a ${v.constructor.name}` : 'an object';
    default: return `a ${typeof v}`;
  }
}

/** "[2, 3, 4]", the way torch prints sizes. */
export const fmtShape = (shape) => `[${shape.join(', ')}]`;

export function fail(Kind, op, message) {
  return new Kind(`${op}: ${message}`);
}

const NO_OPTIONS = Object.freeze({}); // what no options read as, made once

/** Check an options object against the names the op knows. */
export function checkOptions(options, allowed, op) {
  if (options === undefined || options === null) return NO_OPTIONS;
  // A Map, Date or array would have its entries ignored: only a plain object (any realm) will do.
  if (typeof options !== 'object' || Object.prototype.toString.call(options) !== '[object Object]') {
    throw fail(TypeError, op, `options must be an object, got ${describe(options)}`);
  }
  for (const key in options) { // inherited keys too: they are read like own ones
    if (!allowed.includes(key)) {
      throw fail(TypeError, op, `unknown option '${key}'; expected one of ${allowed.join(', ')}`);
    }
  }
  return options;
}

/** A dimension list: non-negative safe integers. */
export function checkDims(dims, name, op) {
  if (!Array.isArray(dims) && !ArrayBuffer.isView(dims)) {
    throw fail(TypeError, op, `${name} must be an array of non-negative integers, got ${describe(dims)}`);
  }
  const out = Array.from(dims);
  for (let i = 0; i < out.length; i++) { // a plain loop: this runs on every call
    const d = out[i];
    if (Number.isSafeInteger(d) && d >= 0) continue;
    const expected = `${name}[${i}] must be a non-negative integer`;
    if (typeof d !== 'number') throw fail(TypeError, op, `${expected}, got ${describe(d)}`);
    if (!Number.isInteger(d) || d < 0) throw fail(RangeError, op, `${expected}, got ${describe(d)}`);
    // beyond 2^53 sizes are no longer exact (and a zero elsewhere would hide it)
    throw fail(RangeError, op, `${expected} below 2^53, got ${d}`);
  }
  return out;
}

/** The product of dims[from..]: a plain loop, as this runs on every call (no slice, no closure). */
export function product(dims, from = 0) {
  let p = 1;
  for (let i = from; i < dims.length; i++) p *= dims[i];
  return p;
}

/** normalized_shape as torch takes it: an int k means [k]. */
export const checkNormalizedShape = (value, op) =>
  checkDims(typeof value === 'number' ? [value] : value, 'normalizedShape', op);

export function checkNumber(value, name, op, { fallback, min = 0, max = Infinity }) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw fail(TypeError, op, `${name} must be a number, got ${describe(value)}`);
  }
  if (!(value >= min && value <= max)) {
    const range = max === Infinity ? `a finite number >= ${min}` : `a number in [${min}, ${max}]`;
    throw fail(RangeError, op, `${name} must be ${range}, got ${value}`);
  }
  if (!Number.isFinite(value)) throw fail(RangeError, op, `${name} must be finite, got ${value}`);
  return value;
}

export function checkBoolean(value, name, op, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw fail(TypeError, op, `${name} must be true or false, got ${describe(value)}`);
  }
  return value;
}

/** Plain arrays must hold numbers only (NaN and Infinity are numbers). */
export function checkNumberArray(arr, name, op) {
  for (let i = 0; i < arr.length; i++) {
    if (typeof arr[i] !== 'number') {
      throw fail(TypeError, op, `${name}[${i}] must be a number, got ${describe(arr[i])}`);
    }
  }
}

const isNumericView = (v) =>
  ArrayBuffer.isView(v) && !(v instanceof DataView) && typeof v[0] !== 'bigint' &&
  !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);

/** Is `v` usable as float data: a numeric typed array or an array? */
export function checkFloatData(v, name, op) {
  if (isNumericView(v)) return;
  if (Array.isArray(v)) return checkNumberArray(v, name, op);
  throw fail(TypeError, op, `${name} must be a Float32Array or an array of numbers, got ${describe(v)}`);
}
