// The benchmarked calls, and for each how every implementation is called:
// normlab's API (through the op table, src/ops.js, which also gives the
// group layout the bandwidth bounds stream over and the parameter length),
// the plain-JS reference and the ONNX model; and the backward calls
// (BACKWARD_CASES): normlab's nl.<op>Backward and the plain-JS backward.
import * as plain from './plain.js';
import { layerNormModel, instanceNormModel, groupNormModel, rmsNormModel } from './onnx-models.js';
import { OPS, backwardName } from '../src/ops.js';

export const EPS = 1e-5;

const product = (dims) => dims.reduce((a, b) => a * b, 1);

/** The other implementations of each op, given the table's layout L (rows, n or N, C, S, G). */
const OTHERS = {
  layerNorm: {
    plain: (x, y, L, w, b) => plain.layerNorm(x, y, L.rows, L.n, w, b, EPS),
    onnx: (shape, L, w, b) => layerNormModel(shape, w, b, EPS),
  },
  instanceNorm: {
    plain: (x, y, L, w, b) => plain.instanceNorm(x, y, L.N, L.C, L.S, w, b, EPS),
    onnx: (shape, L, w, b) => instanceNormModel(shape, w, b, EPS),
  },
  groupNorm: {
    plain: (x, y, L, w, b) => plain.groupNorm(x, y, L.N, L.C, L.S, L.G, w, b, EPS),
    onnx: (shape, L, w, b) => groupNormModel(shape, L.G, w, b, EPS),
  },
  rmsNorm: {
    plain: (x, y, L, w) => plain.rmsNorm(x, y, L.rows, L.n, w, EPS),
    onnx: (shape, L, w) => rmsNormModel(shape, w, EPS),
  },
};

/** The plain-JS backward of each op, given the table's layout L. */
const PLAIN_BACKWARD = {
  layerNorm: (dy, x, dx, L, w, dw, db) => plain.layerNormBackward(dy, x, dx, L.rows, L.n, w, dw, db, EPS),
  rmsNorm: (dy, x, dx, L, w, dw) => plain.rmsNormBackward(dy, x, dx, L.rows, L.n, w, dw, EPS),
  groupNorm: (dy, x, dx, L, w, dw, db) => plain.groupNormBackward(dy, x, dx, L.N, L.C, L.S, L.G, w, dw, db, EPS),
  instanceNorm: (dy, x, dx, L, w, dw, db) => plain.instanceNormBackward(dy, x, dx, L.N, L.C, L.S, w, dw, db, EPS),
  batchNorm: (dy, x, dx, L, w, dw, db) => plain.batchNormBackward(dy, x, dx, L.N, L.C, L.S, w, dw, db, EPS),
};

/** The issue's shapes, in the order the tables list them: [op, shape, the op's positional arguments]. */
export const CASES = [
  ['layerNorm', [8, 768], { normalizedShape: [768] }],
  ['layerNorm', [4096, 768], { normalizedShape: [768] }],
  ['layerNorm', [64, 16384], { normalizedShape: [16384] }],
  ['layerNorm', [512, 64], { normalizedShape: [64] }],
  ['instanceNorm', [1, 64, 128, 128], {}],
  ['instanceNorm', [8, 256, 7, 7], {}],
  ['instanceNorm', [16, 32, 1000], {}],
  ['instanceNorm', [1, 3, 512, 512], {}],
  ['groupNorm', [8, 256, 32, 32], { numGroups: 32 }],
  ['rmsNorm', [4096, 768], { normalizedShape: [768] }],
].map(([op, shape, args]) => makeCase(op, shape, args));

/**
 * The backward's shapes: the forward's, and BatchNorm in training (batch
 * statistics; the running statistics are arguments of the call, not of its
 * gradient) on two convolutional shapes.
 */
export const BACKWARD_CASES = [
  ...CASES.map((c) => [c.op, c.shape, c.args]),
  ['batchNorm', [8, 256, 32, 32], { training: true }],
  ['batchNorm', [8, 256, 7, 7], { training: true }],
].map(([op, shape, args]) => makeBackwardCase(op, shape, args));

/** What every case has: its op, shape, label, parameter length and statistics' layout. */
function caseOf(op, shape, args) {
  const entry = OPS[op];
  const L = entry.layout(shape, args, op);
  return {
    op, shape, args, size: product(shape), L,
    label: `${op} [${shape.join(',')}]${args.numGroups ? ` G=${args.numGroups}` : ''}`,
    paramLength: L.paramLength,
    hasBias: 'bias' in entry.options,
    layout: { rows: L.groups, n: L.groupSize }, // the groups the statistics are taken over
  };
}

function makeCase(op, shape, args) {
  const c = caseOf(op, shape, args);
  const positional = OPS[op].args.map((name) => args[name]);
  const others = OTHERS[op];
  // Every caller uses the same signature; the options are those the op takes.
  return {
    ...c,
    normlab: c.hasBias ? (nl, x, w, b, out) => nl[op](x, ...positional, { weight: w, bias: b, eps: EPS, out })
      : (nl, x, w, _b, out) => nl[op](x, ...positional, { weight: w, eps: EPS, out }),
    plain: (x, y, w, b) => others.plain(x, y, c.L, w, b),
    onnx: (w, b) => others.onnx(shape, c.L, w, b),
  };
}

function makeBackwardCase(op, shape, args) {
  const c = caseOf(op, shape, args);
  const C = c.paramLength;
  // BatchNorm's positional running statistics (unchanged by a backward call)
  const running = { runningMean: new Float32Array(C), runningVar: new Float32Array(C).fill(1) };
  const positional = OPS[op].args.map((name) => args[name] ?? running[name]);
  const flags = op === 'batchNorm' ? { training: true } : {};
  const params = (w, b) => ({ weight: w, ...(c.hasBias ? { bias: b } : {}), eps: EPS, ...flags });
  return {
    ...c,
    label: `${c.label} backward`,
    /**
     * nl.<op>Backward(dy, x, ...) with the given options (o: the outs, `saved`). Object.assign, not a
     * spread: in V8 a spread's object gets a new map at every call, which costs each read of an option
     * (about 2-3 µs a call, measured), where an options literal at a call site keeps one.
     */
    normlab: (nl, dy, x, w, b, o) => nl[backwardName(op)](dy, x, ...positional, Object.assign({}, params(w, b), o)),
    /**
     * The statistics of the forward call (nl.<op>(x, ..., { stats: true })), which a backward call takes
     * as `saved`; on copies of the running statistics, which a forward in training updates.
     */
    forwardStats: (nl, x, w, b) => nl[op](x, ...positional.map((a) => (ArrayBuffer.isView(a) ? a.slice() : a)),
      { ...params(w, b), stats: true }).stats,
    plain: (dy, x, dx, w, dw, db) => PLAIN_BACKWARD[op](dy, x, dx, c.L, w, dw, db),
  };
}
