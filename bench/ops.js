// The benchmarked shapes, and for each operation how every implementation is
// called: normlab's API, the plain-JS reference, the ONNX model, and the
// (groups, n) layout the bandwidth bounds stream over.
import * as plain from './plain.js';
import { layerNormModel, instanceNormModel, groupNormModel, rmsNormModel } from './onnx-models.js';

export const EPS = 1e-5;

const product = (dims) => dims.reduce((a, b) => a * b, 1);

// x: (N, C, spatial...) -> N, C, S.
const ncs = (shape) => ({ N: shape[0], C: shape[1], S: product(shape.slice(2)) });
// x: (rows..., n) -> rows, n.
const rowsOf = (shape) => ({ rows: product(shape.slice(0, -1)), n: shape.at(-1) });

const OPS = {
  layerNorm: {
    paramLength: (shape) => shape.at(-1),
    groups: (shape) => rowsOf(shape),
    normlab: (nl, x, shape, w, b, out) => nl.layerNorm(x, [shape.at(-1)], { weight: w, bias: b, eps: EPS, out }),
    plain: (x, y, shape, w, b) => plain.layerNorm(x, y, rowsOf(shape).rows, shape.at(-1), w, b, EPS),
    onnx: (shape, w, b) => layerNormModel(shape, w, b, EPS),
  },
  instanceNorm: {
    paramLength: (shape) => shape[1],
    groups: (shape) => ({ rows: shape[0] * shape[1], n: ncs(shape).S }),
    normlab: (nl, x, shape, w, b, out) => nl.instanceNorm(x, { weight: w, bias: b, eps: EPS, out }),
    plain: (x, y, shape, w, b) => {
      const { N, C, S } = ncs(shape);
      plain.instanceNorm(x, y, N, C, S, w, b, EPS);
    },
    onnx: (shape, w, b) => instanceNormModel(shape, w, b, EPS),
  },
  groupNorm: {
    paramLength: (shape) => shape[1],
    groups: (shape, G) => ({ rows: shape[0] * G, n: (shape[1] / G) * ncs(shape).S }),
    normlab: (nl, x, shape, w, b, out, G) => nl.groupNorm(x, G, { weight: w, bias: b, eps: EPS, out }),
    plain: (x, y, shape, w, b, G) => {
      const { N, C, S } = ncs(shape);
      plain.groupNorm(x, y, N, C, S, G, w, b, EPS);
    },
    onnx: (shape, w, b, G) => groupNormModel(shape, G, w, b, EPS),
  },
  rmsNorm: {
    paramLength: (shape) => shape.at(-1),
    groups: (shape) => rowsOf(shape),
    hasBias: false,
    normlab: (nl, x, shape, w, _b, out) => nl.rmsNorm(x, [shape.at(-1)], { weight: w, eps: EPS, out }),
    plain: (x, y, shape, w) => plain.rmsNorm(x, y, rowsOf(shape).rows, shape.at(-1), w, EPS),
    onnx: (shape, w) => rmsNormModel(shape, w, EPS),
  },
};

/** The issue's shapes, in the order the tables list them. */
export const CASES = [
  ['layerNorm', [8, 768]],
  ['layerNorm', [4096, 768]],
  ['layerNorm', [64, 16384]],
  ['layerNorm', [512, 64]],
  ['instanceNorm', [1, 64, 128, 128]],
  ['instanceNorm', [8, 256, 7, 7]],
  ['instanceNorm', [16, 32, 1000]],
  ['instanceNorm', [1, 3, 512, 512]],
  ['groupNorm', [8, 256, 32, 32], 32],
  ['rmsNorm', [4096, 768]],
].map(([op, shape, numGroups]) => makeCase(op, shape, numGroups));

function makeCase(op, shape, numGroups) {
  const impl = OPS[op];
  const label = `${op} [${shape.join(',')}]${numGroups ? ` G=${numGroups}` : ''}`;
  // Bind the group count so every caller uses the same signature.
  return {
    op, shape, label, size: product(shape),
    paramLength: impl.paramLength(shape),
    hasBias: impl.hasBias ?? true,
    layout: impl.groups(shape, numGroups),
    normlab: (nl, x, w, b, out) => impl.normlab(nl, x, shape, w, b, out, numGroups),
    plain: (x, y, w, b) => impl.plain(x, y, shape, w, b, numGroups),
    onnx: (w, b) => impl.onnx(shape, w, b, numGroups),
  };
}
