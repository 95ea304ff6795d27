// A loaded normlab instance (what loadNormlab gives): the ops, nl.tensor and
// nl.prepare.  Every op is one entry of the op table (ops.js) run by one
// path: #bind checks the call against its entry (checks.js) into a Call, and
// #run copies what is not already in wasm memory (memory.js), runs the C
// kernel and copies the result out.  An op binds and runs at once; nl.prepare
// binds once and returns the function that runs.  See normlab.d.ts for the API.

import { checkBoolean, checkDims, checkFloatData, checkNumber, checkOptions, describe, fail, fmtShape, product } from './checks.js';
import { Frame, Heap, WasmTensor, paramLength } from './memory.js';
import { ARGUMENTS, OPS, OP_NAMES, verifyMoreThanOne } from './ops.js';

const MAX_MEMORY = 2 ** 31; // -sMAXIMUM_MEMORY=2GB in build.sh
const MAX_ELEMENTS = 2 ** 28; // one tensor: 1 GiB of float32, so input and output both fit

/**
 * One checked call: every argument of every op by name (undefined where the
 * op has none), its input, layout and output.  One class for all ops, so that
 * every access below is a named access on one object shape, which V8 keeps
 * fast; a keyed `a[name]` in a loop, or an object per op, is not.
 */
class Call {
  constructor(plan) {
    this.plan = plan;
    this.normalizedShape = undefined;
    this.numGroups = undefined;
    this.weight = undefined;
    this.bias = undefined;
    this.runningMean = undefined;
    this.runningVar = undefined;
    this.training = undefined;
    this.useInputStats = undefined;
    this.momentum = undefined;
    this.eps = undefined;
    this.x = null; // the input: a WasmTensor or the (pinned) data
    this.shape = null;
    this.size = 0;
    this.L = null; // the op's layout (ops.js)
    this.fromInput = true; // the statistics come from x
    this.out = null;
    this.wantStats = false;
    this.argv = null; // a prepared call's own kernel arguments, its sizes and options filled once
  }
}

// Every name an op's entry uses, as a number, read and written through the
// switches of named accesses below: V8 keeps a named access on one object
// shape fast and a keyed `c[name]` in a loop it does not, and the page's CSP
// (no 'unsafe-eval') rules out generating an accessor per name.
// The arguments (ops.js ARGUMENTS):
const NORMALIZED_SHAPE = 0, NUM_GROUPS = 1, WEIGHT = 2, BIAS = 3, RUNNING_MEAN = 4, RUNNING_VAR = 5,
  TRAINING = 6, USE_INPUT_STATS = 7, MOMENTUM = 8, EPS = 9;
// the layout's sizes, a weight of ones where the kernel needs one, and the buffers #run places itself:
const ROWS = 10, N_ROW = 11, N_BATCH = 12, C_CHANNELS = 13, S_SPATIAL = 14, G_GROUPS = 15, WEIGHT_OR_ONES = 16,
  X = 17, Y = 18, STATS = 19;
const FIELD = {
  normalizedShape: NORMALIZED_SHAPE, numGroups: NUM_GROUPS, weight: WEIGHT, bias: BIAS, runningMean: RUNNING_MEAN,
  runningVar: RUNNING_VAR, training: TRAINING, useInputStats: USE_INPUT_STATS, momentum: MOMENTUM, eps: EPS,
  rows: ROWS, n: N_ROW, N: N_BATCH, C: C_CHANNELS, S: S_SPATIAL, G: G_GROUPS, weightOrOnes: WEIGHT_OR_ONES,
  x: X, y: Y, stats: STATS,
};
const isArgument = (field) => field <= EPS;
const isAddress = (field) => field === WEIGHT || field === BIAS || field === RUNNING_MEAN ||
  field === RUNNING_VAR || field === WEIGHT_OR_ONES;
const isPlaced = (field) => field >= X; // by #run itself: y depends on x and out

/** Argument `field` of a Call or an options object. */
function get(a, field) {
  switch (field) {
    case NORMALIZED_SHAPE: return a.normalizedShape;
    case NUM_GROUPS: return a.numGroups;
    case WEIGHT: return a.weight;
    case BIAS: return a.bias;
    case RUNNING_MEAN: return a.runningMean;
    case RUNNING_VAR: return a.runningVar;
    case TRAINING: return a.training;
    case USE_INPUT_STATS: return a.useInputStats;
    case MOMENTUM: return a.momentum;
    case EPS: return a.eps;
    default: throw new Error(`api.js: field ${field} is no argument`);
  }
}

function set(c, field, value) {
  switch (field) {
    case NORMALIZED_SHAPE: c.normalizedShape = value; break;
    case NUM_GROUPS: c.numGroups = value; break;
    case WEIGHT: c.weight = value; break;
    case BIAS: c.bias = value; break;
    case RUNNING_MEAN: c.runningMean = value; break;
    case RUNNING_VAR: c.runningVar = value; break;
    case TRAINING: c.training = value; break;
    case USE_INPUT_STATS: c.useInputStats = value; break;
    case MOMENTUM: c.momentum = value; break;
    case EPS: c.eps = value; break;
    default: throw new Error(`api.js: field ${field} is no argument`);
  }
}

/** A kernel argument fixed when the call is checked: a size of the layout, or an option (a boolean as 0 or 1). */
function fixedArgument(c, field) {
  switch (field) {
    case ROWS: return c.L.rows;
    case N_ROW: return c.L.n;
    case N_BATCH: return c.L.N;
    case C_CHANNELS: return c.L.C;
    case S_SPATIAL: return c.L.S;
    case G_GROUPS: return c.L.G;
    case TRAINING: return c.training ? 1 : 0;
    case USE_INPUT_STATS: return c.useInputStats ? 1 : 0;
    case MOMENTUM: return c.momentum;
    case EPS: return c.eps;
    default: throw new Error(`api.js: field ${field} is no size or option of a kernel`);
  }
}

/** A kernel argument made at each run: the address of a parameter or running statistic in wasm memory (0: none). */
function address(c, field, frame) {
  const n = c.L.paramLength;
  switch (field) {
    case WEIGHT: return frame.param(c.weight, n, 'weight');
    case BIAS: return frame.param(c.bias, n, 'bias');
    case RUNNING_MEAN: return frame.param(c.runningMean, n, 'runningMean');
    case RUNNING_VAR: return frame.param(c.runningVar, n, 'runningVar');
    case WEIGHT_OR_ONES: // the forward kernel applies a bias only with a weight: a lone bias gets unit weights
      if (c.weight == null && c.bias != null) return frame.input(new Float32Array(n).fill(1), n, 'weight');
      return frame.param(c.weight, n, 'weight');
    default: throw new Error(`api.js: field ${field} is no address`);
  }
}

for (const name in ARGUMENTS) {
  if (!isArgument(FIELD[name])) throw new Error(`api.js: ops.js's argument '${name}' has no field`);
}

const indicesOf = (fields, which) => fields.flatMap((field, i) => (which(field) ? [i] : []));

/** How each op's entry is checked and run, worked out once from the table. */
const PLANS = Object.fromEntries(OP_NAMES.map((op, index) => {
  const entry = OPS[op];
  const [kernel, ...names] = entry.kernel;
  const fields = names.map((name) => {
    if (!(name in FIELD)) throw new Error(`ops.js: ${op}'s kernel argument '${name}' is none of api.js's`);
    return FIELD[name];
  });
  const fixed = (field) => !isAddress(field) && !isPlaced(field);
  const option = ([name, fallback]) => ({
    name, field: FIELD[name], fallback, kind: ARGUMENTS[name].kind,
    bounds: { fallback, min: 0, max: ARGUMENTS[name].max }, noneIsDefault: !!entry.noneIsDefault?.includes(name),
  });
  return [op, {
    op, index, entry, kernel,
    // kernel arguments start as a copy of this: cheaper than a new Array(n), and its elements are
    // doubles already (eps), so filling the copy never changes its elements' kind
    argv: names.map(() => 0.5),
    optionNames: [...Object.keys(entry.options), 'out', 'stats'],
    args: entry.args.map((name) => FIELD[name]),
    options: Object.entries(entry.options).map(option),
    hasWeight: 'weight' in entry.options,
    hasBias: 'bias' in entry.options,
    inputStats: entry.inputStats ?? null,
    fromInput: entry.inputStats ? FIELD[entry.inputStats.flag] : -1,
    // sizes and options: filled once for a prepared call, at each run of an op's own; addresses: at each run
    fixedAt: indicesOf(fields, fixed),
    fixed: fields.filter(fixed),
    addressAt: indicesOf(fields, isAddress),
    addresses: fields.filter(isAddress),
    at: { x: fields.indexOf(X), y: fields.indexOf(Y), stats: fields.indexOf(STATS) },
    // the running statistics' places: the kernel updates them when the statistics come from x
    runningAt: [RUNNING_MEAN, RUNNING_VAR].map((field) => fields.indexOf(field)).filter((i) => i >= 0),
  }];
}));

export class Normlab {
  #kernels; // each plan's C export, by plan.index
  #argv; // each plan's kernel arguments for an op's own call, reused while no call is running (#running 0)
  #running = 0;
  #heap;

  constructor(exports, simd) {
    this.#kernels = Object.values(PLANS).map((plan) => exports[plan.kernel]);
    this.#argv = Object.values(PLANS).map((plan) => plan.argv.slice());
    this.#heap = new Heap(exports, MAX_MEMORY);
    this.simd = simd;
    this.maxElements = MAX_ELEMENTS;
    Object.freeze(this);
  }

  tensor(shape, values) {
    return new WasmTensor(this.#heap, shape, values, MAX_ELEMENTS);
  }

  /**
   * The call nl[op](x, ...rest), checked now and run each time the returned
   * function is called, on the tensors' contents at that moment: for a loop
   * over the same WasmTensors, where the checks would otherwise cost more
   * than a small kernel.
   */
  prepare(op, x, ...rest) {
    if (!OP_NAMES.includes(op)) {
      throw fail(TypeError, 'prepare', `op must be one of ${OP_NAMES.join(', ')}, got ${describe(op)}`);
    }
    if (!(x instanceof WasmTensor)) {
      throw fail(TypeError, 'prepare', `x must be a WasmTensor (an array input would be copied at every call), ` +
        `got ${describe(x)}`);
    }
    const c = this.#bind(PLANS[op], x, rest[0], rest[1], rest[2]);
    c.argv = fixedArguments(c, c.plan.argv.slice());
    return () => this.#run(c);
  }

  // nl.layerNorm(x, normalizedShape, options), nl.groupNorm(x, numGroups, options), ...:
  // one method per op of the table, with the table's positional arguments
  // (at most two before the options), bound and run at once.
  static {
    for (const op of OP_NAMES) {
      const plan = PLANS[op];
      const method = { [op](x, r0, r1, r2) { return this.#run(this.#bind(plan, x, r0, r1, r2)); } }[op];
      Object.defineProperty(Normlab.prototype, op, { value: method, writable: true, configurable: true });
    }
  }

  /**
   * Check a call of plan's op (x, then the positional arguments r0.. and the
   * options) against its entry, in torch's order (x, its shape, the flags and
   * numbers, then the running statistics and the parameters, then out).
   */
  #bind(plan, x, r0, r1, r2) {
    const { op, entry } = plan;
    const c = new Call(plan);
    const nargs = plan.args.length;
    const o = checkOptions(nargs === 0 ? r0 : nargs === 1 ? r1 : r2, plan.optionNames, op);
    if (nargs > 0) set(c, plan.args[0], r0);
    if (nargs > 1) set(c, plan.args[1], r1);
    this.#input(c, x, op);
    const L = c.L = entry.layout(c.shape, c, op);
    for (let i = 0; i < plan.options.length; i++) {
      const p = plan.options[i];
      const value = get(o, p.field);
      if (p.kind === 'boolean') set(c, p.field, checkBoolean(value, p.name, op, p.fallback));
      else if (p.kind === 'number') {
        set(c, p.field, value === null && p.noneIsDefault ? p.fallback : checkNumber(value, p.name, op, p.bounds));
      } else set(c, p.field, value);
    }
    const inputStats = plan.inputStats;
    if (inputStats !== null) {
      c.fromInput = get(c, plan.fromInput);
      if (c.fromInput) verifyMoreThanOne(inputStats.count(L), c.shape, inputStats.what, op);
      checkRunning(this.#heap, c, L, op, !c.fromInput && `${inputStats.flag} is false`);
    }
    // pinned before any malloc of the call can move it
    if (plan.hasWeight) c.weight = this.#heap.pin(checkParam(c.weight, L, 'weight', op));
    if (plan.hasBias) c.bias = this.#heap.pin(checkParam(c.bias, L, 'bias', op));
    c.out = checkOut(this.#heap, o.out, c.size, op);
    c.wantStats = checkBoolean(o.stats, 'stats', op, false);
    return c;
  }

  /** Run one checked call: scratch memory, the kernel, the result, and everything freed. */
  #run(c) {
    const heap = this.#heap;
    const { plan, out, size } = c;
    const groups = c.L.groups;
    // An op's own call fills the instance's arguments; a call made while one runs (from a getter of an
    // array being copied) its own.
    const argv = c.argv ?? fixedArguments(c, this.#running === 0 ? this.#argv[plan.index] : plan.argv.slice());
    const frame = new Frame(heap, plan.op);
    this.#running += 1;
    try {
      const xp = frame.input(c.x, size, 'x');
      // A plain input is our own copy, so the kernel may overwrite it in place.
      const yp = out instanceof WasmTensor ? out.ptrIn(heap, 'out', plan.op)
        : c.x instanceof WasmTensor ? frame.alloc(size * 4, 'the output') : xp;
      const sp = c.wantStats ? frame.alloc(groups * 16, 'the statistics') : 0;
      // A group the kernel skips (an empty batch) reports NaN, not stale heap bytes.
      if (sp) heap.f64(sp, groups * 2).fill(NaN);
      if (size > 0) { // an empty tensor: nothing to compute, buffers unchanged
        const addresses = plan.addresses;
        for (let j = 0; j < addresses.length; j++) argv[plan.addressAt[j]] = address(c, addresses[j], frame);
        argv[plan.at.x] = xp;
        argv[plan.at.y] = yp;
        argv[plan.at.stats] = sp;
        call(this.#kernels[plan.index], argv);
        if (c.fromInput && plan.runningAt.length) {
          writeBack(heap, c.runningMean, argv[plan.runningAt[0]], c.L.paramLength);
          writeBack(heap, c.runningVar, argv[plan.runningAt[1]], c.L.paramLength);
        }
      }
      const stats = c.wantStats ? readStats(heap.f64(sp, groups * 2), c.eps) : undefined;
      if (out instanceof WasmTensor) return stats ? { data: out.data, shape: c.shape, stats } : out;
      const data = out ?? new Float32Array(size);
      data.set(heap.f32(yp, size));
      return stats ? { data, shape: c.shape, stats } : { data, shape: c.shape };
    } finally {
      frame.release();
      this.#running -= 1;
    }
  }

  /** Check x (a WasmTensor, or { data, shape } with matching length) into c. */
  #input(c, x, op) {
    if (x instanceof WasmTensor) {
      x.ptrIn(this.#heap, 'x', op);
      c.x = x;
      c.shape = x.shape;
      c.size = x.size;
      return;
    }
    if (x === null || typeof x !== 'object' || !('data' in x) || !('shape' in x)) {
      throw fail(TypeError, op, `x must be a tensor { data, shape } or a WasmTensor, got ${describe(x)}`);
    }
    const shape = checkDims(x.shape, 'x.shape', op);
    const size = product(shape);
    if (size > MAX_ELEMENTS) {
      throw fail(RangeError, op, `x.shape ${fmtShape(shape)} has ${size} elements; ` +
        `the most one tensor may have is ${MAX_ELEMENTS}`);
    }
    checkFloatData(x.data, 'x.data', op);
    if (x.data.length !== size) {
      throw fail(RangeError, op, `x.data has ${x.data.length} elements but x.shape ${fmtShape(shape)} ` +
        `needs ${size}`);
    }
    c.x = this.#heap.pin(x.data);
    c.shape = shape;
    c.size = size;
  }
}

/** The sizes and options of c's kernel arguments, into argv. */
function fixedArguments(c, argv) {
  const { fixed, fixedAt } = c.plan;
  for (let j = 0; j < fixed.length; j++) argv[fixedAt[j]] = fixedArgument(c, fixed[j]);
  return argv;
}

/** kernel(...argv) without the spread, which costs V8 about as much as the rest of a prepared call. */
function call(kernel, v) {
  switch (v.length) {
    case 7: return kernel(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    case 8: return kernel(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    case 10: return kernel(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    case 13: return kernel(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
    default: return kernel(...v);
  }
}

/** A weight, bias or running statistic of the layout's length, or none. */
function checkParam(value, L, name, op) {
  if (value == null) return null;
  const len = paramLength(value, name, op);
  if (len !== L.paramLength) throw fail(RangeError, op, L.paramMismatch(name, len, L));
  return value;
}

function checkRunning(heap, { runningMean, runningVar }, L, op, requiredBecause) {
  if ((runningMean == null) !== (runningVar == null)) {
    throw fail(TypeError, op, `runningMean and runningVar must be given together, got ` +
      `runningMean ${describe(runningMean)} and runningVar ${describe(runningVar)}`);
  }
  if (runningMean == null) {
    if (requiredBecause) throw fail(TypeError, op, `runningMean and runningVar are required when ${requiredBecause}`);
    return;
  }
  checkRunningStat(heap, runningMean, 'runningMean', L, op);
  checkRunningStat(heap, runningVar, 'runningVar', L, op);
}

function checkRunningStat(heap, value, name, L, op) {
  // Updated in place, so it must hold floats: an Int32Array would truncate the update.
  const holdsFloats = value instanceof WasmTensor || value instanceof Float32Array ||
    value instanceof Float64Array || Array.isArray(value);
  if (!holdsFloats) {
    throw fail(TypeError, op, `${name} must be a Float32Array, an array of numbers or a WasmTensor ` +
      `(updated in place), got ${describe(value)}`);
  }
  refuseWasmView(heap, value, name, op);
  checkParam(value, L, name, op);
}

/** What is written after the kernel ran cannot be a view of wasm memory: a malloc in the call may detach it. */
function refuseWasmView(heap, value, name, op) {
  if (heap.holds(value)) {
    throw fail(TypeError, op, `${name} is a view of wasm memory (a WasmTensor's data), which moves when memory ` +
      'grows; pass the WasmTensor itself');
  }
}

function checkOut(heap, out, size, op) {
  if (out === undefined || out === null) return null;
  if (!(out instanceof WasmTensor) && !(out instanceof Float32Array)) {
    throw fail(TypeError, op, `out must be a Float32Array or a WasmTensor, got ${describe(out)}`);
  }
  refuseWasmView(heap, out, 'out', op);
  const len = out instanceof WasmTensor ? out.size : out.length;
  if (len !== size) throw fail(RangeError, op, `out has ${len} elements but the result has ${size}`);
  return out;
}

/** Copy updated running statistics back into the caller's array (a WasmTensor was updated where it lives). */
function writeBack(heap, target, ptr, length) {
  if (target == null || target instanceof WasmTensor) return;
  const updated = heap.f32(ptr, length);
  for (let i = 0; i < length; i++) target[i] = updated[i];
}

function readStats(pairs, eps) {
  const groups = pairs.length / 2;
  const mean = new Float64Array(groups), variance = new Float64Array(groups), rstd = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    mean[g] = pairs[2 * g];
    variance[g] = pairs[2 * g + 1];
    rstd[g] = 1 / Math.sqrt(variance[g] + eps);
  }
  return { mean, var: variance, rstd };
}
