// A loaded normlab instance (what loadNormlab gives): the ops, nl.tensor and
// nl.prepare.  Every op is one entry of the op table (ops.js) run by one
// path: #bind checks the call against its entry (checks.js) into a Call, and
// #run copies what is not already in wasm memory (memory.js), runs the C
// kernel and copies the result out.  An op binds and runs at once; nl.prepare
// binds once and returns the function that runs.  See normlab.d.ts for the API.

import { checkBoolean, checkDims, checkFloatData, checkNumber, checkOptions, describe, fail, fmtShape, product } from './checks.js';
import { Frame, Heap, WasmTensor, paramLength } from './memory.js';
import { ARGUMENTS, OPS, OP_NAMES, backwardName, verifyMoreThanOne } from './ops.js';

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
    this.gradOutput = null; // a backward call's: the upstream gradient, its outs, the forward's statistics
    this.gradInputOut = null;
    this.gradWeightOut = null;
    this.gradBiasOut = null;
    this.saved = null;
    this.blocks = null; // a backward call on plain arrays run in blocks (blocksOf), or null: in one piece
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
  X = 17, Y = 18, STATS = 19, GRAD_OUTPUT = 20, GRAD_INPUT = 21, SAVED = 22, GRAD_WEIGHT = 23, GRAD_BIAS = 24;
const FIELD = {
  normalizedShape: NORMALIZED_SHAPE, numGroups: NUM_GROUPS, weight: WEIGHT, bias: BIAS, runningMean: RUNNING_MEAN,
  runningVar: RUNNING_VAR, training: TRAINING, useInputStats: USE_INPUT_STATS, momentum: MOMENTUM, eps: EPS,
  rows: ROWS, n: N_ROW, N: N_BATCH, C: C_CHANNELS, S: S_SPATIAL, G: G_GROUPS, weightOrOnes: WEIGHT_OR_ONES,
  x: X, y: Y, stats: STATS, gradOutput: GRAD_OUTPUT, gradInput: GRAD_INPUT, saved: SAVED, gradWeight: GRAD_WEIGHT,
  gradBias: GRAD_BIAS,
};
const isArgument = (field) => field <= EPS;
const isAddress = (field) => field === WEIGHT || field === BIAS || field === RUNNING_MEAN ||
  field === RUNNING_VAR || field === WEIGHT_OR_ONES;
const isPlaced = (field) => field >= X; // by #run itself: y depends on x and out, gradInput on gradOutput

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

/** How a call of op's entry is checked and run (backward: nl.<op>Backward), worked out once from the table. */
function planOf(op, backward, index) {
  const entry = OPS[op];
  const [kernel, ...names] = backward ? entry.backward : entry.kernel;
  const name = backward ? backwardName(op) : op;
  const fields = names.map((arg) => {
    if (!(arg in FIELD)) throw new Error(`ops.js: ${name}'s kernel argument '${arg}' is none of api.js's`);
    return FIELD[arg];
  });
  const fixed = (field) => !isAddress(field) && !isPlaced(field);
  const option = ([arg, fallback]) => ({
    name: arg, field: FIELD[arg], fallback, kind: ARGUMENTS[arg].kind,
    bounds: { fallback, min: 0, max: ARGUMENTS[arg].max }, noneIsDefault: !!entry.noneIsDefault?.includes(arg),
  });
  const at = (field) => fields.indexOf(field);
  const blocks = backward ? BLOCKS[op] : null;
  return {
    op: name, index, entry, kernel, backward,
    blocks: blocks && { ...blocks, sizeAt: at(blocks.size) },
    // kernel arguments start as a copy of this: cheaper than a new Array(n), and its elements are
    // doubles already (eps), so filling the copy never changes its elements' kind
    argv: names.map(() => 0.5),
    optionNames: [...Object.keys(entry.options), ...(backward ? BACKWARD_OPTIONS : ['out', 'stats'])],
    args: entry.args.map((arg) => FIELD[arg]),
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
    at: {
      x: at(X), y: at(Y), stats: at(STATS), gradOutput: at(GRAD_OUTPUT), gradInput: at(GRAD_INPUT), saved: at(SAVED),
      gradWeight: at(GRAD_WEIGHT), gradBias: at(GRAD_BIAS),
    },
    // the running statistics' places: a forward kernel updates them when the statistics come from x
    runningAt: backward ? [] : [RUNNING_MEAN, RUNNING_VAR].map(at).filter((i) => i >= 0),
  };
}

// A backward op's options beyond its forward op's: where each gradient goes, and the forward's statistics.
const BACKWARD_OPTIONS = ['gradInputOut', 'gradWeightOut', 'gradBiasOut', 'saved'];

/**
 * A backward call on Float32Arrays runs in blocks of whole groups: each block's x and gradOutput are
 * copied into scratch of one block, the kernel runs on them and the block's gradInput is copied out.
 * The kernel then reads what was just copied from the cache instead of main memory, and the call
 * needs wasm memory for one block instead of two whole tensors.  The kernel treats each group on
 * its own, so a block gives its groups' gradients bit for bit as one call does; gradWeight and
 * gradBias sum over every group a parameter meets, so where a block would split those sums (rows
 * and samples share their parameters) a call with a weight or bias runs in one piece.
 *   units   what a block is made of: LayerNorm's and RMSNorm's rows, the samples of GroupNorm and
 *           InstanceNorm, BatchNorm's channels (each N spans of S values, C·S apart)
 *   size    the kernel's size argument that counts the block's units
 */
const BLOCKS = {
  layerNorm: { units: 'rows', size: ROWS },
  rmsNorm: { units: 'rows', size: ROWS },
  groupNorm: { units: 'samples', size: N_BATCH },
  instanceNorm: { units: 'samples', size: N_BATCH },
  batchNorm: { units: 'channels', size: C_CHANNELS },
};
// Per block, of x and of gradOutput (gradInput is written over the gradOutput copy): with what the
// kernel keeps, within a core's L2 cache.  Tensors up to BLOCKS_FROM bytes stay in the caches
// anyway (blocks measured no faster there).
const BLOCK_BYTES = 1 << 17, BLOCKS_FROM = 1 << 20;

/** Every op's plan by its name (layerNorm, ..., layerNormBackward, ...); index: its place in the list. */
const PLANS = Object.fromEntries([...OP_NAMES.map((op) => [op, false]), ...OP_NAMES.map((op) => [op, true])]
  .map(([op, backward], index) => [backward ? backwardName(op) : op, planOf(op, backward, index)]));
const PLAN_NAMES = Object.keys(PLANS);

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
  prepare(op, ...call) {
    if (!PLAN_NAMES.includes(op)) {
      throw fail(TypeError, 'prepare', `op must be one of ${PLAN_NAMES.join(', ')}, got ${describe(op)}`);
    }
    const plan = PLANS[op];
    // a backward op: (gradOutput, x, ...rest)
    const [gradOutput, x, ...rest] = plan.backward ? call : [null, ...call];
    for (const [t, name] of plan.backward ? [[gradOutput, 'gradOutput'], [x, 'x']] : [[x, 'x']]) {
      if (!(t instanceof WasmTensor)) {
        throw fail(TypeError, 'prepare', `${name} must be a WasmTensor (an array input would be copied at every ` +
          `call), got ${describe(t)}`);
      }
    }
    const c = this.#bind(plan, gradOutput, x, rest[0], rest[1], rest[2]);
    c.argv = fixedArguments(c, c.plan.argv.slice());
    if (c.saved !== null) c.saved = { mean: Float64Array.from(c.saved.mean), var: Float64Array.from(c.saved.var) }; // read now
    return () => this.#run(c);
  }

  // nl.layerNorm(x, normalizedShape, options), nl.groupNorm(x, numGroups, options), ...,
  // nl.layerNormBackward(gradOutput, x, normalizedShape, options), ...: one method per op of the
  // table and one per backward, with the table's positional arguments (at most two before the
  // options), bound and run at once.
  static {
    for (const op of PLAN_NAMES) {
      const plan = PLANS[op];
      const method = plan.backward
        ? { [op](g, x, r0, r1, r2) { return this.#run(this.#bind(plan, g, x, r0, r1, r2)); } }[op]
        : { [op](x, r0, r1, r2) { return this.#run(this.#bind(plan, null, x, r0, r1, r2)); } }[op];
      Object.defineProperty(Normlab.prototype, op, { value: method, writable: true, configurable: true });
    }
  }

  /**
   * Check a call of plan's op (x, then the positional arguments r0.. and the
   * options) against its entry, in torch's order (x, its shape, the flags and
   * numbers, then the running statistics and the parameters, then out).
   */
  #bind(plan, gradOutput, x, r0, r1, r2) {
    const { op, entry } = plan;
    if (this.#kernels[plan.index] === undefined) { // a wasm file built before the backward kernels
      throw new Error(`${op}: this wasm build has no ${plan.kernel}; rebuild it with ./build.sh`);
    }
    const c = new Call(plan);
    const nargs = plan.args.length;
    const o = checkOptions(nargs === 0 ? r0 : nargs === 1 ? r1 : r2, plan.optionNames, op);
    if (nargs > 0) set(c, plan.args[0], r0);
    if (nargs > 1) set(c, plan.args[1], r1);
    c.x = this.#tensor(c, x, 'x', op);
    if (plan.backward) c.gradOutput = this.#tensor(c, gradOutput, 'gradOutput', op);
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
    if (plan.backward) {
      const params = L.paramLength;
      c.saved = checkSaved(this.#heap, o.saved, L.groups, op);
      c.gradInputOut = checkOut(this.#heap, o.gradInputOut, c.size, 'gradInputOut', op);
      c.gradWeightOut = checkOut(this.#heap, o.gradWeightOut, params, 'gradWeightOut', op, c.weight, 'weight');
      c.gradBiasOut = checkOut(this.#heap, o.gradBiasOut, params, 'gradBiasOut', op, c.bias, 'bias');
      c.blocks = blocksOf(c);
      return c;
    }
    c.out = checkOut(this.#heap, o.out, c.size, 'out', op);
    c.wantStats = checkBoolean(o.stats, 'stats', op, false);
    return c;
  }

  /** Run one checked call: scratch memory, the kernel, the result, and everything freed. */
  #run(c) {
    const heap = this.#heap;
    const { plan, size } = c;
    // An op's own call fills the instance's arguments; a call made while one runs (from a getter of an
    // array being copied) its own.
    const argv = c.argv ?? fixedArguments(c, this.#running === 0 ? this.#argv[plan.index] : plan.argv.slice());
    const frame = new Frame(heap, plan.op);
    this.#running += 1;
    try {
      if (c.blocks !== null) return this.#backwardInBlocks(c, argv, frame);
      const xp = frame.input(c.x, size, 'x');
      argv[plan.at.x] = xp;
      const addresses = plan.addresses;
      for (let j = 0; j < addresses.length; j++) argv[plan.addressAt[j]] = address(c, addresses[j], frame);
      return plan.backward ? this.#backward(c, argv, frame) : this.#forward(c, argv, frame, xp);
    } finally {
      frame.release();
      this.#running -= 1;
    }
  }

  /** The forward kernel on x at xp: y, the statistics if asked, the running statistics updated. */
  #forward(c, argv, frame, xp) {
    const heap = this.#heap;
    const { plan, out, size } = c;
    const groups = c.L.groups;
    // A plain input is our own copy, so the kernel may overwrite it in place.
    const yp = out instanceof WasmTensor ? out.ptrIn(heap, 'out', plan.op)
      : c.x instanceof WasmTensor ? frame.alloc(size * 4, 'the output') : xp;
    const sp = c.wantStats ? frame.alloc(groups * 16, 'the statistics') : 0;
    // A group the kernel skips (an empty batch) reports NaN, not stale heap bytes.
    if (sp) heap.f64(sp, groups * 2).fill(NaN);
    if (size > 0) { // an empty tensor: nothing to compute, buffers unchanged
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
  }

  /** The backward kernel: gradInput, and gradWeight and gradBias where the call has the parameter. */
  #backward(c, argv, frame) {
    const heap = this.#heap;
    const { plan, size, L } = c;
    const op = plan.op, n = L.paramLength;
    const gp = frame.input(c.gradOutput, size, 'gradOutput');
    // A plain gradOutput is our own copy, which the kernel may overwrite (dx may alias dy).
    const dxp = c.gradInputOut instanceof WasmTensor ? c.gradInputOut.ptrIn(heap, 'gradInputOut', op)
      : c.gradOutput instanceof WasmTensor ? frame.alloc(size * 4, 'gradInput') : gp;
    const gradParam = (has, out, name) => {
      if (!has) return 0;
      const ptr = out instanceof WasmTensor ? out.ptrIn(heap, `${name}Out`, op) : frame.alloc(n * 4, name);
      heap.f32(ptr, n).fill(0); // what an empty x gives; the kernel overwrites it otherwise
      return ptr;
    };
    const dwp = gradParam(c.weight != null, c.gradWeightOut, 'gradWeight');
    const dbp = gradParam(c.bias != null, c.gradBiasOut, 'gradBias');
    let sp = 0;
    if (c.saved !== null) sp = placeSaved(heap, c.saved, L.groups, frame);
    if (size > 0) {
      argv[plan.at.gradOutput] = gp;
      argv[plan.at.gradInput] = dxp;
      argv[plan.at.saved] = sp;
      argv[plan.at.gradWeight] = dwp;
      if (plan.at.gradBias >= 0) argv[plan.at.gradBias] = dbp;
      if (call(this.#kernels[plan.index], argv) !== 0) throw scratchError(heap, op);
    }
    return {
      gradInput: gradientOf(heap, c.gradInputOut, dxp, size, c.shape),
      ...parameterGradients(heap, c, dwp, dbp),
    };
  }

  /** The backward on Float32Arrays in blocks of whole groups (BLOCKS), through scratch for one block. */
  #backwardInBlocks(c, argv, frame) {
    const heap = this.#heap;
    const { plan, L, size } = c;
    const { per, units, unitSize } = c.blocks;
    const at = plan.at;
    const addresses = plan.addresses;
    for (let j = 0; j < addresses.length; j++) argv[plan.addressAt[j]] = address(c, addresses[j], frame);
    // BatchNorm's blocks are of channels: its parameters and running statistics go block by block
    const channels = plan.blocks.units === 'channels';
    const bases = channels ? plan.addressAt.map((i) => argv[i]) : null;
    const xp = frame.alloc(per * unitSize * 4, 'a block of x');
    const gp = frame.alloc(per * unitSize * 4, 'a block of gradOutput');
    const n = L.paramLength;
    const dwp = c.weight != null ? frame.alloc(n * 4, 'gradWeight') : 0; // only where a block keeps whole sums
    const dbp = c.bias != null ? frame.alloc(n * 4, 'gradBias') : 0;
    const groupsPerUnit = L.groups / units;
    const sp = c.saved === null ? 0 : placeSaved(heap, c.saved, L.groups, frame);
    const x = c.x, dy = c.gradOutput;
    const dx = c.gradInputOut ?? new Float32Array(size);
    // a block: `spans` runs of `run` values, `stride` apart in the tensor, packed in its scratch
    const spans = channels ? L.N : 1, stride = channels ? L.C * L.S : 0;
    const kernel = this.#kernels[plan.index];
    for (let u = 0; u < units; u += per) {
      const k = Math.min(per, units - u);
      const run = (k * unitSize) / spans;
      const first = channels ? u * L.S : u * unitSize;
      const xs = heap.f32(xp, k * unitSize), gs = heap.f32(gp, k * unitSize); // fresh: the kernel may grow memory
      for (let s = 0, from = first; s < spans; s++, from += stride) {
        xs.set(x.subarray(from, from + run), s * run);
        gs.set(dy.subarray(from, from + run), s * run);
      }
      argv[plan.blocks.sizeAt] = k;
      argv[at.x] = xp;
      argv[at.gradOutput] = gp;
      argv[at.gradInput] = gp;
      argv[at.saved] = sp && sp + 16 * u * groupsPerUnit;
      if (channels) {
        for (let j = 0; j < bases.length; j++) argv[plan.addressAt[j]] = bases[j] && bases[j] + 4 * u;
        argv[at.gradWeight] = dwp && dwp + 4 * u;
        argv[at.gradBias] = dbp && dbp + 4 * u;
      } else {
        argv[at.gradWeight] = 0;
        if (at.gradBias >= 0) argv[at.gradBias] = 0;
      }
      if (call(kernel, argv) !== 0) throw scratchError(heap, plan.op);
      const gradIn = heap.f32(gp, k * unitSize);
      for (let s = 0, from = first; s < spans; s++, from += stride) dx.set(gradIn.subarray(s * run, (s + 1) * run), from);
    }
    return {
      gradInput: { data: dx, shape: c.shape },
      ...parameterGradients(heap, c, dwp, dbp),
    };
  }

  /**
   * Check a tensor argument (a WasmTensor, or { data, shape } with matching length) and return what
   * is copied in: x sets the call's shape, which gradOutput must have.
   */
  #tensor(c, t, name, op) {
    let shape, size, value;
    if (t instanceof WasmTensor) {
      t.ptrIn(this.#heap, name, op);
      value = t;
      shape = t.shape;
      size = t.size;
    } else {
      if (t === null || typeof t !== 'object' || !('data' in t) || !('shape' in t)) {
        throw fail(TypeError, op, `${name} must be a tensor { data, shape } or a WasmTensor, got ${describe(t)}`);
      }
      shape = checkDims(t.shape, `${name}.shape`, op);
      size = product(shape);
      if (size > MAX_ELEMENTS) {
        throw fail(RangeError, op, `${name}.shape ${fmtShape(shape)} has ${size} elements; ` +
          `the most one tensor may have is ${MAX_ELEMENTS}`);
      }
      checkFloatData(t.data, `${name}.data`, op);
      if (t.data.length !== size) {
        throw fail(RangeError, op, `${name}.data has ${t.data.length} elements but ${name}.shape ${fmtShape(shape)} ` +
          `needs ${size}`);
      }
      value = this.#heap.pin(t.data);
    }
    if (name === 'x') {
      c.shape = shape;
      c.size = size;
    } else if (shape.length !== c.shape.length || shape.some((d, i) => d !== c.shape[i])) {
      throw fail(RangeError, op, `${name}.shape ${fmtShape(shape)} must be x's shape ${fmtShape(c.shape)}`);
    }
    return value;
  }
}

/** The shape of a weight (and of its gradient): LayerNorm's and RMSNorm's normalizedShape, else [C]. */
const paramShape = (L) => (L.normalizedShape ? [...L.normalizedShape] : [L.paramLength]);

/** A gradient the kernel wrote at ptr: its WasmTensor out, or copied into its array out or a new one; 0: none. */
function gradientOf(heap, out, ptr, length, shape) {
  if (ptr === 0) return null;
  if (out instanceof WasmTensor) return out;
  const data = out ?? new Float32Array(length);
  data.set(heap.f32(ptr, length));
  return { data, shape };
}

/** gradWeight and gradBias of backward call c, written by the kernel at dwp and dbp. */
function parameterGradients(heap, c, dwp, dbp) {
  const n = c.L.paramLength, shape = paramShape(c.L);
  return { gradWeight: gradientOf(heap, c.gradWeightOut, dwp, n, shape), gradBias: gradientOf(heap, c.gradBiasOut, dbp, n, shape) };
}

const scratchError = (heap, op) => fail(RangeError, op, 'the kernel\'s float64 scratch does not fit in wasm memory ' +
  `(at most ${heap.maxBytes} bytes in all)`);

/**
 * How backward call c runs in blocks (BLOCKS): { per, units, unitSize }, per units of unitSize values
 * in a block, or null: in one piece (inputs in wasm memory already or not Float32Arrays, a tensor the
 * caches hold, parameter sums a block would split, or one block would hold it all).
 */
function blocksOf(c) {
  const blocks = c.plan.blocks, L = c.L;
  if (!(c.x instanceof Float32Array) || !(c.gradOutput instanceof Float32Array) || c.size * 4 <= BLOCKS_FROM) return null;
  if (c.gradInputOut instanceof WasmTensor || c.gradWeightOut instanceof WasmTensor || c.gradBiasOut instanceof WasmTensor) {
    return null;
  }
  const channels = blocks.units === 'channels';
  if (!channels && (c.weight != null || c.bias != null)) return null;
  const units = blocks.units === 'rows' ? L.rows : channels ? L.C : L.N;
  const unitSize = units > 0 ? c.size / units : 0;
  if (unitSize === 0) return null;
  let per = Math.max(1, Math.floor(BLOCK_BYTES / 4 / unitSize));
  // short rows: blocks of whole fours, so the kernel's rows taken four at a time are the same fours
  if (blocks.units === 'rows' && per >= 4) per -= per % 4;
  return per < units ? { per, units, unitSize } : null;
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
    case 14: return kernel(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]);
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

/**
 * Where a result goes (out, or a backward's gradInputOut, gradWeightOut, gradBiasOut): none, or a
 * Float32Array or WasmTensor of the result's size.  A parameter's gradient only where the call has
 * the parameter (`param`, named `paramName`).
 */
function checkOut(heap, out, size, name, op, param, paramName) {
  if (out === undefined || out === null) return null;
  if (!(out instanceof WasmTensor) && !(out instanceof Float32Array)) {
    throw fail(TypeError, op, `${name} must be a Float32Array or a WasmTensor, got ${describe(out)}`);
  }
  if (paramName !== undefined && param == null) {
    throw fail(TypeError, op, `${name} is given but the call has no ${paramName}, so there is no such gradient`);
  }
  refuseWasmView(heap, out, name, op);
  const len = out instanceof WasmTensor ? out.size : out.length;
  if (len !== size) throw fail(RangeError, op, `${name} has ${len} elements but the result has ${size}`);
  return out;
}

/** The forward's statistics for a backward call ({ mean, var }, as a forward with stats: true gives), or none. */
function checkSaved(heap, saved, groups, op) {
  if (saved === undefined || saved === null) return null;
  if (typeof saved !== 'object' || !('mean' in saved) || !('var' in saved)) {
    throw fail(TypeError, op, `saved must be the forward's statistics { mean, var } (its result's stats), ` +
      `got ${describe(saved)}`);
  }
  checkSavedStat(saved.mean, 'saved.mean', groups, op);
  checkSavedStat(saved.var, 'saved.var', groups, op);
  // views of wasm memory pinned before any malloc of the call can detach them
  return heap.holds(saved.mean) || heap.holds(saved.var) ? { mean: heap.pin(saved.mean), var: heap.pin(saved.var) } : saved;
}

/** saved.mean or saved.var: float data of one value per group (named once: no string made per call). */
function checkSavedStat(value, name, groups, op) {
  checkFloatData(value, name, op);
  if (value.length !== groups) {
    throw fail(RangeError, op, `${name} has ${value.length} elements but the call has ${groups} groups of statistics`);
  }
}

/**
 * The forward's statistics in wasm memory as the kernel takes them, [2g] mean and [2g + 1] variance,
 * copied there from the caller's arrays: no array of its own per call (with large wasm memories in the
 * process, every new ArrayBuffer can cost a garbage collection).
 */
function placeSaved(heap, saved, groups, frame) {
  const sp = frame.alloc(groups * 16, 'the saved statistics');
  const pairs = heap.f64(sp, groups * 2);
  const { mean, var: variance } = saved;
  for (let g = 0; g < groups; g++) {
    pairs[2 * g] = mean[g];
    pairs[2 * g + 1] = variance[g];
  }
  return sp;
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
