// The implementations compared on every shape, and how each one gets its
// input and output buffers (which matters: on a VM the first touch of a fresh
// page costs ~10 us, so APIs that return fresh arrays pay for it every call).

import { mulberry32 } from '../src/rng.js';
import { TFJS_OPS, tfjsBackward } from './tfjs.js';
import { EPS } from './ops.js';

/** id -> column title and how its buffers are allocated (for the legend). */
export const VARIANTS = [
  { id: 'array', title: 'normlab array API',
    alloc: 'Float32Array in, `out` Float32Array given and reused: input copied into wasm memory and result copied out each call, no allocation' },
  { id: 'arrayFresh', title: 'normlab array API, fresh out',
    alloc: 'Float32Array in, no `out`: a fresh Float32Array result per call' },
  { id: 'memory', title: 'normlab in-memory',
    alloc: '`nl.tensor` WasmTensors for x and y (and weight, bias with --affine), made once and reused: no copies, no allocation' },
  { id: 'prepared', title: 'normlab in-memory, prepared',
    alloc: 'as in-memory, through `nl.prepare(op, x, ...)`: the arguments checked once, each call only runs the kernel' },
  { id: 'scalar', title: 'normlab scalar in-memory',
    alloc: 'as in-memory, on the scalar build (`loadNormlab({simd: false})`)' },
  { id: 'plain', title: 'plain JS',
    alloc: 'two-pass float64 statistics (bench/plain.js) writing into a reused Float32Array' },
  { id: 'ort', title: 'onnxruntime-web',
    alloc: 'wasm backend, 1 thread, session reused; per call a new ort.Tensor over the same Float32Array (ORT copies it into its heap) and a fresh output tensor' },
  { id: 'bound2', title: 'bound: read 2x, write 1x',
    alloc: 'bench/bound.wasm, SIMD: per group one summing pass and one scale-shift pass; buffers in its memory, reused' },
  { id: 'bound1', title: 'bound: read 1x, write 1x',
    alloc: 'bench/bound.wasm, SIMD: one scale-shift pass; buffers in its memory, reused' },
];

/** The backward's implementations: id -> column title and buffers, as VARIANTS. */
export const BACKWARD_VARIANTS = [
  { id: 'memory', title: 'normlab in-memory',
    alloc: '`nl.<op>Backward` on WasmTensors for gradOutput and x, with WasmTensor outs (`gradInputOut`, and ' +
      '`gradWeightOut`, `gradBiasOut` with --affine), made once and reused, and the forward call\'s statistics ' +
      '(`saved`: the `stats` of `nl.<op>(x, ..., { stats: true })`), as torch\'s backward takes the mean and rstd ' +
      'its forward saved' },
  { id: 'prepared', title: 'normlab in-memory, prepared',
    alloc: 'as in-memory (with `saved`), through `nl.prepare(\'<op>Backward\', ...)`' },
  { id: 'recomputed', title: 'normlab in-memory, statistics recomputed',
    alloc: 'as in-memory without `saved`: the kernel first recomputes the forward\'s statistics from x ' +
      '(a third read of x, which the bound does not make), except RMSNorm\'s, which its backward does not need' },
  { id: 'scalar', title: 'normlab scalar in-memory', alloc: 'as in-memory (with `saved`), on the scalar build' },
  { id: 'array', title: 'normlab array API',
    alloc: 'Float32Arrays in, reused Float32Array outs, no `saved` (statistics recomputed, as plain JS does): ' +
      'gradOutput and x copied into wasm memory, the gradients copied out each call' },
  { id: 'arraySaved', title: 'normlab array API, saved',
    alloc: 'as the array API, with the forward call\'s statistics (`saved`)' },
  { id: 'plain', title: 'plain JS',
    alloc: 'float64 two-pass statistics, then the sums and dx (bench/plain.js), into reused Float32Arrays' },
  { id: 'tfjs', title: 'tfjs-wasm tf.grad',
    alloc: '`tf.grad` (`tf.grads` with --affine) of sum(f(x) · dy) through tfjs\'s own ops, f(x) = (x − mean) · ' +
      'rsqrt(var + eps) (· w + b), mean and var from `tf.moments` over LayerNorm\'s last axes or BatchNorm\'s ' +
      'N and spatial axes: the composition\'s forward, then its backward; per call x and dy copied in (`tf.tensor`), ' +
      'the gradients copied out (`dataSync`), all disposed. LayerNorm and BatchNorm only, the compositions the issue names' },
  { id: 'bound', title: 'bound: read x, dy 2x, write dx 1x',
    alloc: 'bench/bound.wasm, SIMD: per group a pass summing dy and dy * x, then dx = a * dy + b * x + c; ' +
      'buffers in its memory, reused' },
];

/** Deterministic uniform numbers in [lo, hi), from normlab's one generator. */
export function uniform(length, seed, lo, hi) {
  const next = mulberry32(seed);
  return Float32Array.from({ length }, () => lo + (hi - lo) * next());
}

/**
 * The case's input and parameters.  affine: random weight and bias (bias null
 * where the op has none); otherwise w = b = null, and the ONNX model, which
 * requires them, gets weight 1 and bias 0 (ortW, ortB) for the same result.
 */
export function caseData(c, affine) {
  const x = uniform(c.size, 1, -1.5, 2.5); // a nonzero mean, as real activations have
  if (!affine) {
    return { x, w: null, b: null, ortW: new Float32Array(c.paramLength).fill(1),
      ortB: c.hasBias ? new Float32Array(c.paramLength) : null };
  }
  const w = uniform(c.paramLength, 2, 0.5, 1.5);
  const b = c.hasBias ? uniform(c.paramLength, 3, -0.5, 0.5) : null;
  return { x, w, b, ortW: w, ortB: b };
}

/** The backward case's upstream gradient, beside caseData's x, w and b: random, not uniform. */
export const gradOutputOf = (c) => uniform(c.size, 4, -1, 1);

/** `nl` with each op returning its prepared call (nl.prepare) instead of running. */
const preparer = (nl) => new Proxy({}, { get: (_, op) => (...args) => nl.prepare(op, ...args) });

/** normlab through WasmTensors that live in `nl`'s memory (prepared: through nl.prepare). */
function inMemory(c, nl, { x, w, b }, prepared = false) {
  const tx = nl.tensor(c.shape, x);
  const ty = nl.tensor(c.shape);
  const tw = w && nl.tensor([w.length], w);
  const tb = b && nl.tensor([b.length], b);
  return {
    run: prepared ? c.normlab(preparer(nl), tx, tw, tb, ty) : () => c.normlab(nl, tx, tw, tb, ty),
    output: () => ty.data,
    dispose: () => [tx, ty, tw, tb].forEach((t) => t?.free()),
  };
}

/**
 * Runnable variants for case `c`: { id, run, async?, output?, dispose? }.
 * output() returns the last result (bounds have none: they are not checked).
 * engines: { nl, nlScalar, ort, ortSession (null when unavailable), bound }.
 */
export function buildVariants(c, engines, data) {
  const { x, w, b } = data;
  const xt = { data: x, shape: c.shape };
  const yArray = new Float32Array(c.size);
  const yPlain = new Float32Array(c.size);
  let fresh = null;
  let ortOut = null;
  const bounds = engines.bound.kernels(x, c.layout);
  const list = [
    { id: 'array', run: () => c.normlab(engines.nl, xt, w, b, yArray), output: () => yArray },
    { id: 'arrayFresh', run: () => { fresh = c.normlab(engines.nl, xt, w, b).data; }, output: () => fresh },
    { id: 'memory', ...inMemory(c, engines.nl, data) },
    { id: 'prepared', ...inMemory(c, engines.nl, data, true) },
    { id: 'scalar', ...inMemory(c, engines.nlScalar, data) },
    { id: 'plain', run: () => c.plain(x, yPlain, w, b), output: () => yPlain },
    engines.ortSession && {
      id: 'ort', async: true,
      run: async () => {
        const { Y } = await engines.ortSession.run({ X: new engines.ort.Tensor('float32', x, c.shape) });
        ortOut = Y;
      },
      output: () => ortOut.data,
    },
    { id: 'bound2', run: bounds.read2write1, dispose: bounds.free },
    { id: 'bound1', run: bounds.read1write1 },
  ];
  return list.filter(Boolean);
}

/** Every gradient a backward variant computes, for the check against plain JS. */
const gradients = (dx, dw, db) => ({ gradInput: dx, gradWeight: dw, gradBias: db });

/**
 * normlab's backward on WasmTensors in `nl`'s memory, writing into WasmTensor outs; saved: with the
 * statistics of `nl`'s own forward call.
 */
function backwardInMemory(c, nl, { x, w, b }, dy, { prepared = false, saved = true } = {}) {
  const [tdy, tx] = [dy, x].map((v) => nl.tensor(c.shape, v));
  const [tw, tb] = [w, b].map((v) => v && nl.tensor([v.length], v));
  const tdx = nl.tensor(c.shape);
  const [tdw, tdb] = [w, b].map((v) => v && nl.tensor([v.length]));
  const o = {
    gradInputOut: tdx, ...(tdw ? { gradWeightOut: tdw } : {}), ...(tdb ? { gradBiasOut: tdb } : {}),
    ...(saved ? { saved: c.forwardStats(nl, tx, tw, tb) } : {}),
  };
  return {
    run: prepared ? c.normlab(preparer(nl), tdy, tx, tw, tb, o) : () => c.normlab(nl, tdy, tx, tw, tb, o),
    output: () => gradients(tdx.data, tdw?.data ?? null, tdb?.data ?? null),
    dispose: () => [tdy, tx, tw, tb, tdx, tdw, tdb].forEach((t) => t?.free()),
  };
}

/** normlab's backward through the array API: Float32Arrays in, reused Float32Array outs. */
function backwardArray(c, nl, { x, w, b }, dy, saved) {
  const sized = (v) => v && new Float32Array(v.length);
  const [dx, dw, db] = [x, w, b].map(sized);
  const o = {
    gradInputOut: dx, ...(w ? { gradWeightOut: dw } : {}), ...(b ? { gradBiasOut: db } : {}),
    ...(saved ? { saved: c.forwardStats(nl, { data: x, shape: c.shape }, w, b) } : {}),
  };
  const [tdy, tx] = [dy, x].map((data) => ({ data, shape: c.shape }));
  return { run: () => c.normlab(nl, tdy, tx, w, b, o), output: () => gradients(dx, dw, db) };
}

/** Runnable backward variants for backward case `c`, as buildVariants'; output() gives the gradients. */
export function buildBackwardVariants(c, engines, data, dy) {
  const { x, w, b } = data;
  const sized = (v) => v && new Float32Array(v.length);
  const [dxPlain, dwPlain, dbPlain] = [x, w, b].map(sized);
  const bound = engines.bound.backwardKernel(x, dy, c.layout);
  return [
    { id: 'memory', ...backwardInMemory(c, engines.nl, data, dy) },
    { id: 'prepared', ...backwardInMemory(c, engines.nl, data, dy, { prepared: true }) },
    { id: 'recomputed', ...backwardInMemory(c, engines.nl, data, dy, { saved: false }) },
    { id: 'scalar', ...backwardInMemory(c, engines.nlScalar, data, dy) },
    { id: 'array', ...backwardArray(c, engines.nl, data, dy, false) },
    { id: 'arraySaved', ...backwardArray(c, engines.nl, data, dy, true) },
    { id: 'plain', run: () => c.plain(dy, x, dxPlain, w, dwPlain, dbPlain), output: () => gradients(dxPlain, dwPlain, dbPlain) },
    engines.tf && TFJS_OPS.includes(c.op) && { id: 'tfjs', ...tfjsBackward(engines.tf, c, data, dy, EPS) },
    { id: 'bound', run: bound.run, dispose: bound.free },
  ].filter(Boolean);
}
