// normlab's core: the loader and the ops, without the module classes (the
// page imports only this).  The ops mirror torch.nn.functional in camelCase;
// each checks its arguments (checks.js), copies what is not already in wasm
// memory (memory.js), runs one C kernel and copies the result out.  See
// normlab.d.ts for the API.

import {
  checkBoolean, checkDims, checkFloatData, checkNormalizedShape, checkNumber, checkOptions, describe, fail, fmtShape, product,
} from './checks.js';
import { Frame, Heap, WasmTensor, paramLength } from './memory.js';
import { setDefaultLookup } from './backend.js';
import BUILDS_BASE64, { SCALAR_BYTES, SIMD_BYTES } from './wasm/builds.js';
import { inflateRaw } from './inflate.js';

export { WasmTensor };

const FLT_EPSILON = 2 ** -23; // torch.finfo(torch.float32).eps, RMSNorm's default eps
const MAX_MEMORY = 2 ** 31; // -sMAXIMUM_MEMORY=2GB in build.sh
const MAX_ELEMENTS = 2 ** 28; // one tensor: 1 GiB of float32, so input and output both fit

// The smallest module that uses a v128 instruction: validates only where the
// engine has SIMD128 (the probe of wasm-feature-detect).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10,
  10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

const OPS = ['layerNorm', 'rmsNorm', 'groupNorm', 'instanceNorm', 'batchNorm'];

class Normlab {
  #k;
  #heap;
  #preparing = false;

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
    if (!OPS.includes(op)) {
      throw fail(TypeError, 'prepare', `op must be one of ${OPS.join(', ')}, got ${describe(op)}`);
    }
    if (!(x instanceof WasmTensor)) {
      throw fail(TypeError, 'prepare', `x must be a WasmTensor (an array input would be copied at every call), ` +
        `got ${describe(x)}`);
    }
    this.#preparing = true;
    try {
      return this[op](x, ...rest);
    } finally {
      this.#preparing = false;
    }
  }

  layerNorm(x, normalizedShape, options) {
    const op = 'layerNorm';
    const o = checkOptions(options, ['weight', 'bias', 'eps', 'out', 'stats'], op);
    const t = this.#input(x, op);
    const ns = trailingShape(t.shape, normalizedShape, op);
    const n = product(ns);
    const rows = t.size === 0 ? product(t.shape.slice(0, t.shape.length - ns.length)) : t.size / n;
    const eps = checkNumber(o.eps, 'eps', op, { fallback: 1e-5 });
    const sameShape = (name) => (len) => `Expected ${name} to be of same shape as normalized_shape, ` +
      `but got ${name} of shape [${len}] and normalized_shape = ${fmtShape(ns)}`;
    const weight = this.#param(o.weight, n, 'weight', op, sameShape('weight'));
    const bias = this.#param(o.bias, n, 'bias', op, sameShape('bias'));
    return this.#run(op, t, o, rows, eps, (f, xp, yp, sp) => {
      const b = f.param(bias, n, 'bias');
      // The kernel takes a bias only with a weight: a lone bias gets unit weights.
      const w = weight == null && bias != null ? f.input(new Float32Array(n).fill(1), n, 'weight')
        : f.param(weight, n, 'weight');
      this.#k.nl_layer_norm(xp, yp, rows, n, w, b, eps, sp);
    });
  }

  rmsNorm(x, normalizedShape, options) {
    const op = 'rmsNorm';
    const o = checkOptions(options, ['weight', 'eps', 'out', 'stats'], op);
    const t = this.#input(x, op);
    const ns = trailingShape(t.shape, normalizedShape, op);
    const n = product(ns);
    const rows = t.size === 0 ? product(t.shape.slice(0, t.shape.length - ns.length)) : t.size / n;
    const eps = o.eps === null ? FLT_EPSILON : checkNumber(o.eps, 'eps', op, { fallback: FLT_EPSILON });
    const weight = this.#param(o.weight, n, 'weight', op, (len) => 'Expected weight to be of same shape as ' +
      `normalized_shape, but got weight of shape [${len}] and normalized_shape = ${fmtShape(ns)}`);
    return this.#run(op, t, o, rows, eps, (f, xp, yp, sp) => {
      this.#k.nl_rms_norm(xp, yp, rows, n, f.param(weight, n, 'weight'), eps, sp);
    });
  }

  groupNorm(x, numGroups, options) {
    const op = 'groupNorm';
    const o = checkOptions(options, ['weight', 'bias', 'eps', 'out', 'stats'], op);
    const t = this.#input(x, op);
    const [N, C, S] = channelLayout(t.shape, op);
    if (typeof numGroups !== 'number') {
      throw fail(TypeError, op, `numGroups must be a positive integer, got ${describe(numGroups)}`);
    }
    if (!Number.isInteger(numGroups) || numGroups < 1) {
      throw fail(RangeError, op, `numGroups must be a positive integer, got ${numGroups}`);
    }
    if (C % numGroups !== 0) {
      throw fail(RangeError, op, 'Expected number of channels in input to be divisible by num_groups, ' +
        `but got input of shape ${fmtShape(t.shape)} and num_groups=${numGroups}`);
    }
    // torch's _verify_batch_size on [N*C/G, G, *spatial].
    verifyMoreThanOne(N * (C / numGroups) * S, [N * C / numGroups, numGroups, ...t.shape.slice(2)],
      'value per channel', op);
    const eps = checkNumber(o.eps, 'eps', op, { fallback: 1e-5 });
    const perChannel = (name) => (len) => `Expected ${name} to be a vector of size equal to the number of ` +
      `channels in input, but got ${name} of shape [${len}] and input of shape ${fmtShape(t.shape)}`;
    const weight = this.#param(o.weight, C, 'weight', op, perChannel('weight'));
    const bias = this.#param(o.bias, C, 'bias', op, perChannel('bias'));
    return this.#run(op, t, o, N * numGroups, eps, (f, xp, yp, sp) => {
      this.#k.nl_group_norm(xp, yp, N, C, S, numGroups, f.param(weight, C, 'weight'),
        f.param(bias, C, 'bias'), eps, sp);
    });
  }

  instanceNorm(x, options) {
    const op = 'instanceNorm';
    const o = checkOptions(options, ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats',
      'momentum', 'eps', 'out', 'stats'], op);
    const t = this.#input(x, op);
    const [N, C, S] = channelLayout(t.shape, op);
    const useInputStats = checkBoolean(o.useInputStats, 'useInputStats', op, true);
    const momentum = checkNumber(o.momentum, 'momentum', op, { fallback: 0.1, max: 1 });
    const eps = checkNumber(o.eps, 'eps', op, { fallback: 1e-5 });
    if (useInputStats) verifyMoreThanOne(S, t.shape, 'spatial element', op);
    const { runningMean, runningVar } = checkRunning(this.#heap, o.runningMean, o.runningVar, C, op,
      !useInputStats && 'useInputStats is false');
    const weight = this.#param(o.weight, C, 'weight', op, shouldContain('weight', C));
    const bias = this.#param(o.bias, C, 'bias', op, shouldContain('bias', C));
    return this.#run(op, t, o, N * C, eps, (f, xp, yp, sp) => {
      const rm = f.param(runningMean, C, 'runningMean');
      const rv = f.param(runningVar, C, 'runningVar');
      this.#k.nl_instance_norm(xp, yp, N, C, S, f.param(weight, C, 'weight'), f.param(bias, C, 'bias'),
        rm, rv, useInputStats ? 1 : 0, momentum, eps, sp);
      this.#writeBack(runningMean, rm, C);
      this.#writeBack(runningVar, rv, C);
    });
  }

  batchNorm(x, runningMean, runningVar, options) {
    const op = 'batchNorm';
    const o = checkOptions(options, ['weight', 'bias', 'training', 'momentum', 'eps', 'out', 'stats'], op);
    const t = this.#input(x, op);
    const [N, C, S] = channelLayout(t.shape, op);
    const training = checkBoolean(o.training, 'training', op, false);
    const momentum = checkNumber(o.momentum, 'momentum', op, { fallback: 0.1, max: 1 });
    const eps = checkNumber(o.eps, 'eps', op, { fallback: 1e-5 });
    if (training) verifyMoreThanOne(N * S, t.shape, 'value per channel', op);
    const running = checkRunning(this.#heap, runningMean, runningVar, C, op, !training && 'training is false');
    const weight = this.#param(o.weight, C, 'weight', op, shouldContain('weight', C));
    const bias = this.#param(o.bias, C, 'bias', op, shouldContain('bias', C));
    return this.#run(op, t, o, C, eps, (f, xp, yp, sp) => {
      const rm = f.param(running.runningMean, C, 'runningMean');
      const rv = f.param(running.runningVar, C, 'runningVar');
      this.#k.nl_batch_norm(xp, yp, N, C, S, f.param(weight, C, 'weight'), f.param(bias, C, 'bias'),
        rm, rv, training ? 1 : 0, momentum, eps, sp);
      if (training) {
        this.#writeBack(running.runningMean, rm, C);
        this.#writeBack(running.runningVar, rv, C);
      }
    });
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

  /** A checked weight or bias, pinned before any malloc of the call can move it. */
  #param(...args) {
    return this.#heap.pin(checkParam(...args));
  }

  /** Run one kernel call with its scratch memory, then free it all (or, in
   * prepare, return the function that does). */
  #run(op, t, o, groups, eps, invoke) {
    const out = checkOut(this.#heap, o.out, t.size, op);
    const wantStats = checkBoolean(o.stats, 'stats', op, false);
    const heap = this.#heap;
    const run = () => {
      const frame = new Frame(heap, op);
      try {
        const xp = frame.input(t.value, t.size, 'x');
        // A plain input is our own copy, so the kernel may overwrite it in place.
        const yp = out instanceof WasmTensor ? out.ptrIn(heap, 'out', op)
          : t.value instanceof WasmTensor ? frame.alloc(t.size * 4, 'the output') : xp;
        const sp = wantStats ? frame.alloc(groups * 16, 'the statistics') : 0;
        // A group the kernel skips (an empty batch) reports NaN, not stale heap bytes.
        if (sp) heap.f64(sp, groups * 2).fill(NaN);
        if (t.size > 0) invoke(frame, xp, yp, sp); // an empty tensor: nothing to compute, buffers unchanged
        const stats = wantStats ? readStats(heap.f64(sp, groups * 2), eps) : undefined;
        if (out instanceof WasmTensor) return stats ? { data: out.data, shape: t.shape, stats } : out;
        const data = out ?? new Float32Array(t.size);
        data.set(heap.f32(yp, t.size));
        return stats ? { data, shape: t.shape, stats } : { data, shape: t.shape };
      } finally {
        frame.release();
      }
    };
    return this.#preparing ? run : run();
  }

  /** Copy updated running statistics back into the caller's array. */
  #writeBack(target, ptr, length) {
    if (target == null || target instanceof WasmTensor) return;
    const updated = this.#heap.f32(ptr, length);
    for (let i = 0; i < length; i++) target[i] = updated[i];
  }
}

/** normalizedShape as a dim list that must match the trailing dims of x. */
function trailingShape(shape, normalizedShape, op) {
  const ns = checkNormalizedShape(normalizedShape, op);
  if (ns.length === 0) {
    throw fail(RangeError, op, 'Expected normalized_shape to be at least 1-dimensional, i.e., containing ' +
      'at least one element, but got normalized_shape = []');
  }
  const tail = shape.slice(shape.length - ns.length);
  if (shape.length < ns.length || tail.some((d, i) => d !== ns[i])) {
    throw fail(RangeError, op, `Given normalized_shape=${fmtShape(ns)}, expected input with shape ` +
      `[*, ${ns.join(', ')}], but got input of size${fmtShape(shape)}`);
  }
  return ns;
}

/** (N, C, *spatial) -> [N, C, prod(spatial)]. */
function channelLayout(shape, op) {
  if (shape.length < 2) {
    throw fail(RangeError, op, `expected input of shape (N, C, *) with at least 2 dimensions, ` +
      `got ${shape.length}D input of shape ${fmtShape(shape)}`);
  }
  return [shape[0], shape[1], product(shape.slice(2))];
}

function verifyMoreThanOne(count, size, what, op) {
  if (count === 1) {
    throw fail(RangeError, op, `Expected more than 1 ${what} when training, got input size ${fmtShape(size)}`);
  }
}

const shouldContain = (name, C) => (len) => `${name} should contain ${C} elements (one per channel) not ${len}`;

function checkParam(value, length, name, op, mismatch) {
  if (value == null) return null;
  const len = paramLength(value, name, op);
  if (len !== length) throw fail(RangeError, op, mismatch(len));
  return value;
}

function checkRunning(heap, runningMean, runningVar, C, op, requiredBecause) {
  if ((runningMean == null) !== (runningVar == null)) {
    throw fail(TypeError, op, `runningMean and runningVar must be given together, got ` +
      `runningMean ${describe(runningMean)} and runningVar ${describe(runningVar)}`);
  }
  if (runningMean == null && requiredBecause) {
    throw fail(TypeError, op, `runningMean and runningVar are required when ${requiredBecause}`);
  }
  for (const [value, name, torchName] of [[runningMean, 'runningMean', 'running_mean'],
    [runningVar, 'runningVar', 'running_var']]) {
    // Updated in place, so it must hold floats: an Int32Array would truncate the update.
    const holdsFloats = value instanceof WasmTensor || value instanceof Float32Array ||
      value instanceof Float64Array || Array.isArray(value);
    if (value != null && !holdsFloats) {
      throw fail(TypeError, op, `${name} must be a Float32Array, an array of numbers or a WasmTensor ` +
        `(updated in place), got ${describe(value)}`);
    }
    refuseWasmView(heap, value, name, op);
    checkParam(value, C, name, op, shouldContain(torchName, C));
  }
  return { runningMean, runningVar };
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

// ---- loading ----
// The two builds ship as one JS module (src/wasm/builds.js: the .wasm bytes
// deflated together, as base64; see scripts/wasm-modules.mjs), imported
// statically: every bundler inlines it and Node imports it, so the default
// needs no URL, no fetch, no copy step, no code-split chunk (which Rollup's
// output.file refuses, and which costs a round trip in series) and no
// Node-only import.  wasmUrl/wasmBinary serve those who host the .wasm themselves.
let bundledBytes = null; // { true: SIMD build, false: scalar build }, inflated at the first bundled load
function bundled(simd) {
  if (!bundledBytes) {
    const both = inflateRaw(fromBase64(BUILDS_BASE64), SIMD_BYTES + SCALAR_BYTES);
    bundledBytes = { true: both.subarray(0, SIMD_BYTES), false: both.subarray(SIMD_BYTES) };
  }
  return bundledBytes[simd];
}

// In Node, the package's own .wasm files named by wasmUrl are the bundled
// builds (one instance each; a browser fetches what it is told, to save the
// base64).  The base is a variable so that bundlers do not take this for an
// asset reference and copy the files.
const MODULE_URL = import.meta.url;
const OWN_FILES = { true: '../wasm/normlab.wasm', false: '../wasm/normlab-scalar.wasm' };

const loads = new Map(); // key -> Promise<Normlab>: one instance per distinct source
const loaded = new Map(); // key -> Normlab, once loaded: what the module classes can use synchronously
let settings = {}; // configure()'s, checked
let settingsVersion = 0; // a configured wasmBinary is its own source, once per configure() call
let defaultKeyCache = null; // [settingsVersion, key]

/** True where the engine validates wasm SIMD128. */
export const simdSupported = () => WebAssembly.validate(SIMD_PROBE);

/**
 * The settings that every loadNormlab() starts from (the element's included):
 * options it is not given come from here.  Replaces earlier settings;
 * configure({}) restores the defaults.
 */
export function configure(options) {
  settings = { ...checkLoadOptions(options, 'configure') };
  settingsVersion += 1;
}

export async function loadNormlab(options) {
  const own = checkLoadOptions(options, 'loadNormlab');
  // Read the settings a microtask later: an app's configure() that runs right
  // after `import 'normlab/element'` (whose elements start loading at once) counts.
  await null;
  const source = resolveSource(own, 'loadNormlab');
  if (source.key === null) return instantiate(await source.bytes());
  if (!loads.has(source.key)) {
    const loading = source.bytes().then(instantiate);
    loading.then((nl) => loaded.set(source.key, nl), () => loads.delete(source.key)); // a failed load may be retried
    loads.set(source.key, loading);
  }
  return loads.get(source.key);
}

/** The default instance: what loadNormlab() with no options loads under the
 * current settings, or null while it has not loaded. */
function defaultInstance() {
  if (defaultKeyCache?.[0] !== settingsVersion) defaultKeyCache = [settingsVersion, resolveSource({}, 'normlab').key];
  return loaded.get(defaultKeyCache[1]) ?? null;
}
setDefaultLookup(defaultInstance);

function checkLoadOptions(options, op) {
  const o = checkOptions(options, ['simd', 'wasmUrl', 'wasmBinary'], op);
  checkBoolean(o.simd, 'simd', op, undefined);
  if (o.wasmBinary != null && !(o.wasmBinary instanceof ArrayBuffer) && !ArrayBuffer.isView(o.wasmBinary)) {
    throw fail(TypeError, op, `wasmBinary must be an ArrayBuffer or Uint8Array, got ${describe(o.wasmBinary)}`);
  }
  if (o.wasmUrl != null && typeof o.wasmUrl !== 'string' && !(o.wasmUrl instanceof URL)) {
    throw fail(TypeError, op, `wasmUrl must be a string or a URL, got ${describe(o.wasmUrl)}`);
  }
  return o;
}

/**
 * Where the bytes come from, and the cache key of that source (null: a
 * private instance).  Options given win over the settings: a wasmUrl or
 * wasmBinary given replaces the configured source, and so does a simd given
 * alone (it asks for that bundled build, which a configured file may not be).
 */
function resolveSource(own, op) {
  const simd = own.simd ?? settings.simd ?? simdSupported();
  if (simd && !simdSupported()) {
    throw new Error(`${op}: this engine has no wasm SIMD128; use loadNormlab({ simd: false }) or configure({ simd: false })`);
  }
  const ownSource = own.wasmBinary != null || own.wasmUrl != null || own.simd !== undefined;
  const { wasmBinary, wasmUrl } = ownSource ? own : settings;
  if (wasmBinary != null) {
    return { key: ownSource ? null : `configured#${settingsVersion}`, bytes: async () => wasmBinary };
  }
  if (wasmUrl != null) {
    const url = new URL(String(wasmUrl), globalThis.location?.href ?? MODULE_URL);
    const bundled = url.protocol !== 'file:' ? undefined
      : [true, false].find((s) => new URL(OWN_FILES[s], MODULE_URL).href === url.href);
    if (bundled === undefined) return { key: `url|${url.href}`, bytes: () => readBytes(url) };
    return bundledSource(bundled);
  }
  return bundledSource(simd);
}

const bundledSource = (simd) => ({ key: `bundled|${simd}`, bytes: async () => bundled(simd) });

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function readBytes(url) {
  // Node's fetch cannot read file: URLs.  getBuiltinModule (Node >= 20.16)
  // reads them without an import that browser bundlers would have to resolve.
  const fs = url.protocol === 'file:' ? globalThis.process?.getBuiltinModule?.('node:fs/promises') : undefined;
  if (fs) return fs.readFile(url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`loadNormlab: cannot fetch ${url.href}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function instantiate(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: { emscripten_notify_memory_growth() {} }, // views are made fresh at each use
  });
  instance.exports._initialize?.();
  // The binary says which build it is, so wasmBinary/wasmUrl cannot mislabel it.
  return new Normlab(instance.exports, instance.exports.nl_build_simd() === 1);
}
