// Runs one layer on the real wasm kernels and returns what the page shows.
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

function call(nl, kind, params, lay, x, weight, bias, running) {
  const { eps } = params;
  const data = x.data;
  const ncs = { data, shape: [lay.N, lay.C, lay.S] };
  switch (kind) {
    case 'layer_norm':
      return nl.layerNorm(x, lay.normalizedShape, { eps, weight, bias, stats: true });
    case 'rms_norm':
      return nl.rmsNorm(x, lay.normalizedShape, { eps: eps ?? undefined, weight, stats: true });
    case 'group_norm':
      return nl.groupNorm(ncs, lay.G, { eps, weight, bias, stats: true });
    case 'instance_norm':
      return nl.instanceNorm(ncs, {
        eps, weight, bias, momentum: params.momentum, stats: true,
        runningMean: running.mean, runningVar: running.var,
        useInputStats: runningStatsMode(params) !== 'use',
      });
    default:
      // momentum None is a cumulative average; on a module's first batch its
      // factor is 1/num_batches_tracked = 1.
      return nl.batchNorm(ncs, running.mean, running.var, {
        eps, weight, bias, momentum: params.momentum ?? 1, stats: true,
        training: runningStatsMode(params) !== 'use',
      });
  }
}

export function runLayer(nl, spec, tensor) {
  const { kind, params } = normalizeSpec(spec);
  const shape = tensor.shape.slice();
  const lay = layout(spec, shape); // raises whatever torch raises for this shape
  const info = describe(spec, shape);
  const { weight, bias } = affineParams(params, info.paramShape, kind !== 'rms_norm');
  const running = runningStatsMode(params) === 'none' ? { mean: null, var: null }
    : { mean: new Float32Array(lay.C), var: new Float32Array(lay.C).fill(1) };
  let result;
  try {
    result = call(nl, kind, params, lay, { data: tensor.data, shape }, weight, bias, running);
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
