// Runs one layer on the real wasm kernels and returns what the page shows.
import { OPS, callOp, opOfTorch } from '../../src/ops.js';
import { LabError, isLabError } from './errors.js';
import { product } from './parse.js';
import { normals } from './rng.js';
import { normalizeSpec } from './specs.js';
import { describe, groupOf, layout, runningStatsMode } from './layout.js';

// Weight and bias as a freshly built PyTorch module has them (ones, zeros),
// or seeded normal values when the spec asks for random ones.
function affineParams(params, paramShape, hasBias) {
  if (!paramShape) return { weight: null, bias: null };
  const n = product(paramShape);
  if (params.randomAffine === null) {
    return { weight: new Float32Array(n).fill(1), bias: hasBias ? new Float32Array(n) : null };
  }
  const r = normals(2 * n, params.randomAffine);
  return { weight: r.slice(0, n), bias: hasBias ? r.slice(n) : null };
}

// The layer's call through the op table (src/ops.js): op is given the
// arguments it takes of these.
function call(nl, op, params, lay, x, weight, bias, running) {
  const fromInput = runningStatsMode(params) !== 'use'; // else eval on the running statistics
  // LayerNorm and RMSNorm take x as it is, the others (N, C, *) as (N, C, S): an
  // unbatched InstanceNorm input as a batch of one.
  const input = lay.normalizedShape ? x : { data: x.data, shape: [lay.N, lay.C, lay.S] };
  return callOp(nl, op, input, {
    normalizedShape: lay.normalizedShape, numGroups: lay.G, eps: params.eps, weight, bias,
    runningMean: running.mean, runningVar: running.var, useInputStats: fromInput, training: fromInput,
    // momentum None is a cumulative average; on a BatchNorm module's first
    // batch its factor is 1/num_batches_tracked = 1.
    momentum: op === 'batchNorm' ? params.momentum ?? 1 : params.momentum,
  }, { stats: true });
}

export function runLayer(nl, spec, tensor) {
  const { kind, params } = normalizeSpec(spec);
  const shape = tensor.shape.slice();
  const lay = layout(spec, shape); // raises whatever torch raises for this shape
  const info = describe(spec, shape);
  const op = opOfTorch(kind);
  const { weight, bias } = affineParams(params, info.paramShape, 'bias' in OPS[op].options);
  const running = runningStatsMode(params) === 'none' ? { mean: null, var: null }
    : { mean: new Float32Array(lay.C), var: new Float32Array(lay.C).fill(1) };
  let result;
  try {
    result = call(nl, op, params, lay, { data: tensor.data, shape }, weight, bias, running);
  } catch (e) {
    if (isLabError(e)) throw e;
    throw new LabError('err.library', { message: String(e?.message ?? e) });
  }
  return {
    data: Float32Array.from(result.data), shape,
    stats: result.stats,
    groups: groupOf(spec, shape),
    weight, bias,
    runningMean: running.mean, runningVar: running.var,
  };
}
