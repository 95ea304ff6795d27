// A loaded normlab instance (what loadNormlab gives): the ops, nl.tensor and
// nl.prepare.  Every op is one entry of the op table (ops.js) run by one
// path: #bind checks the call against its entry (checks.js) and returns the
// function that copies what is not already in wasm memory (memory.js), runs
// the C kernel and copies the result out.  An op runs that function at once;
// nl.prepare returns it.  See normlab.d.ts for the API.

import { checkBoolean, checkDims, checkFloatData, checkNumber, checkOptions, describe, fail, fmtShape, product } from './checks.js';
import { Frame, Heap, WasmTensor, paramLength } from './memory.js';
import { ARGUMENTS, OPS, OP_NAMES, verifyMoreThanOne } from './ops.js';

const MAX_MEMORY = 2 ** 31; // -sMAXIMUM_MEMORY=2GB in build.sh
const MAX_ELEMENTS = 2 ** 28; // one tensor: 1 GiB of float32, so input and output both fit

// Kernel arguments that are addresses in wasm memory, made at each run (ops.js: `kernel`).
const POINTERS = new Set(['x', 'y', 'stats', 'weight', 'weightOrOnes', 'bias', 'runningMean', 'runningVar']);

/** What each op's entry asks for, worked out once: option names, the flags and
 * numbers to check, the kernel and where each of its arguments comes from. */
const PLANS = Object.fromEntries(OP_NAMES.map((op) => {
  const entry = OPS[op];
  const [kernel, ...names] = entry.kernel;
  const index = (kinds) => names.flatMap((name, i) => (kinds(name) ? [[i, name]] : []));
  return [op, {
    entry, kernel, arity: names.length,
    optionNames: [...Object.keys(entry.options), 'out', 'stats'],
    names: Object.fromEntries([...entry.args, ...Object.keys(entry.options)].map((name) => [name, undefined])),
    options: Object.entries(entry.options).map(([name, fallback]) => ({ name, fallback, ...ARGUMENTS[name] })),
    checkedParams: ['weight', 'bias'].filter((name) => name in entry.options),
    // the layout's sizes and the checked options: their places and names
    sizeAt: index((name) => !POINTERS.has(name)).map(([i]) => i),
    sizeNames: index((name) => !POINTERS.has(name)).map(([, name]) => name),
    fromLayout: index((name) => !POINTERS.has(name)).map(([, name]) => !(name in ARGUMENTS)),
    at: { x: names.indexOf('x'), y: names.indexOf('y'), stats: names.indexOf('stats') },
    // weight, bias and running statistics: their places and names
    paramAt: index((name) => POINTERS.has(name) && !['x', 'y', 'stats'].includes(name)).map(([i]) => i),
    paramNames: index((name) => POINTERS.has(name) && !['x', 'y', 'stats'].includes(name)).map(([, name]) => name),
    running: ['runningMean', 'runningVar'].map((name) => names.indexOf(name)).filter((i) => i >= 0),
  }];
}));

export class Normlab {
  #k;
  #heap;

  constructor(exports, simd) {
    this.#k = exports;
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
    return this.#bind(op, x, rest);
  }

  // nl.layerNorm(x, normalizedShape, options), nl.groupNorm(x, numGroups, options), ...:
  // one method per op of the table, with the table's positional arguments.
  static {
    for (const op of OP_NAMES) {
      const method = { [op](x, ...rest) { return this.#bind(op, x, rest)(); } }[op];
      Object.defineProperty(Normlab.prototype, op, { value: method, writable: true, configurable: true });
    }
  }

  /**
   * Check nl[op](x, ...rest) against the op's entry, in torch's order (x, its
   * shape, the flags and numbers, then the running statistics and the
   * parameters, then out), and return the function that runs it.
   */
  #bind(op, x, rest) {
    const plan = PLANS[op];
    const { entry } = plan;
    const o = checkOptions(rest[entry.args.length], plan.optionNames, op);
    const a = { ...plan.names }; // every argument by name, checked (one object shape per op: V8 keeps it fast)
    for (let i = 0; i < entry.args.length; i++) a[entry.args[i]] = rest[i];
    const t = this.#input(x, op);
    const L = entry.layout(t.shape, a, op);
    for (const { name, fallback, kind, max } of plan.options) {
      const value = o[name];
      if (kind === 'boolean') a[name] = checkBoolean(value, name, op, fallback);
      else if (kind === 'number') {
        a[name] = value === null && entry.noneIsDefault?.includes(name) ? fallback
          : checkNumber(value, name, op, { fallback, max });
      } else a[name] = value;
    }
    const fromInput = entry.inputStats ? a[entry.inputStats.flag] : true;
    if (entry.inputStats) {
      const { flag, count, what } = entry.inputStats;
      if (fromInput) verifyMoreThanOne(count(L), t.shape, what, op);
      checkRunning(this.#heap, a, L, op, !fromInput && `${flag} is false`);
    }
    // pinned before any malloc of the call can move it
    for (const name of plan.checkedParams) a[name] = this.#heap.pin(checkParam(a[name], L, name, op));
    const out = checkOut(this.#heap, o.out, t.size, op);
    const wantStats = checkBoolean(o.stats, 'stats', op, false);
    return this.#runner(op, plan, t, L, a, out, wantStats, fromInput);
  }

  /** The run of one checked call: scratch memory, the kernel, the result, and everything freed. */
  #runner(op, plan, t, L, a, out, wantStats, fromInput) {
    const heap = this.#heap;
    const kernel = this.#k[plan.kernel];
    // Sizes and options are fixed now (a boolean passes as 0 or 1); addresses are made at each run.
    const argv = new Array(plan.arity);
    for (let j = 0; j < plan.sizeAt.length; j++) {
      const name = plan.sizeNames[j];
      argv[plan.sizeAt[j]] = +(plan.fromLayout[j] ? L[name] : a[name]);
    }
    const { groups, paramLength } = L;
    return () => {
      const frame = new Frame(heap, op);
      try {
        const xp = frame.input(t.value, t.size, 'x');
        // A plain input is our own copy, so the kernel may overwrite it in place.
        const yp = out instanceof WasmTensor ? out.ptrIn(heap, 'out', op)
          : t.value instanceof WasmTensor ? frame.alloc(t.size * 4, 'the output') : xp;
        const sp = wantStats ? frame.alloc(groups * 16, 'the statistics') : 0;
        // A group the kernel skips (an empty batch) reports NaN, not stale heap bytes.
        if (sp) heap.f64(sp, groups * 2).fill(NaN);
        if (t.size > 0) { // an empty tensor: nothing to compute, buffers unchanged
          argv[plan.at.x] = xp;
          argv[plan.at.y] = yp;
          argv[plan.at.stats] = sp;
          for (let j = 0; j < plan.paramAt.length; j++) {
            argv[plan.paramAt[j]] = pointer(frame, plan.paramNames[j], a, paramLength);
          }
          call(kernel, argv);
          if (fromInput && plan.running.length) {
            writeBack(heap, a.runningMean, argv[plan.running[0]], paramLength);
            writeBack(heap, a.runningVar, argv[plan.running[1]], paramLength);
          }
        }
        const stats = wantStats ? readStats(heap.f64(sp, groups * 2), a.eps) : undefined;
        if (out instanceof WasmTensor) return stats ? { data: out.data, shape: t.shape, stats } : out;
        const data = out ?? new Float32Array(t.size);
        data.set(heap.f32(yp, t.size));
        return stats ? { data, shape: t.shape, stats } : { data, shape: t.shape };
      } finally {
        frame.release();
      }
    };
  }

  /** Check x: a WasmTensor, or { data, shape } with matching length. */
  #input(x, op) {
    if (x instanceof WasmTensor) {
      x.ptrIn(this.#heap, 'x', op);
      return { value: x, shape: x.shape, size: x.size };
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
    return { value: this.#heap.pin(x.data), shape, size };
  }
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

/** The address of a parameter or running statistic for the kernel (0: none). */
function pointer(frame, name, a, n) {
  if (name !== 'weightOrOnes') return frame.param(a[name], n, name);
  if (a.weight == null && a.bias != null) return frame.input(new Float32Array(n).fill(1), n, 'weight');
  return frame.param(a.weight, n, 'weight');
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
  if (runningMean == null && requiredBecause) {
    throw fail(TypeError, op, `runningMean and runningVar are required when ${requiredBecause}`);
  }
  for (const [value, name] of [[runningMean, 'runningMean'], [runningVar, 'runningVar']]) {
    // Updated in place, so it must hold floats: an Int32Array would truncate the update.
    const holdsFloats = value instanceof WasmTensor || value instanceof Float32Array ||
      value instanceof Float64Array || Array.isArray(value);
    if (value != null && !holdsFloats) {
      throw fail(TypeError, op, `${name} must be a Float32Array, an array of numbers or a WasmTensor ` +
        `(updated in place), got ${describe(value)}`);
    }
    refuseWasmView(heap, value, name, op);
    checkParam(value, L, name, op);
  }
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
