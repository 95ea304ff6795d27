// The benchmarked calls, and for each how every implementation is called:
// normlab's API (through the op table, src/ops.js, which also gives the
// group layout the bandwidth bounds stream over and the parameter length),
// the plain-JS reference and the ONNX model.
import * as plain from './plain.js';
import { layerNormModel, instanceNormModel, groupNormModel, rmsNormModel } from './onnx-models.js';
import { OPS } from '../src/ops.js';

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

function makeCase(op, shape, args) {
  const entry = OPS[op];
  const L = entry.layout(shape, args, op);
  const positional = entry.args.map((name) => args[name]);
  const hasBias = 'bias' in entry.options;
  const others = OTHERS[op];
  // Every caller uses the same signature; the options are those the op takes.
  return {
    op, shape, size: product(shape),
    label: `${op} [${shape.join(',')}]${args.numGroups ? ` G=${args.numGroups}` : ''}`,
    paramLength: L.paramLength,
    hasBias,
    layout: { rows: L.groups, n: L.groupSize }, // the groups the statistics are taken over
    normlab: hasBias ? (nl, x, w, b, out) => nl[op](x, ...positional, { weight: w, bias: b, eps: EPS, out })
      : (nl, x, w, _b, out) => nl[op](x, ...positional, { weight: w, eps: EPS, out }),
    plain: (x, y, w, b) => others.plain(x, y, L, w, b),
    onnx: (w, b) => others.onnx(shape, L, w, b),
  };
}
