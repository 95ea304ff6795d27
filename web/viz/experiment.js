// One comparison run: every layer on the same tensor (through web/lab and the
// wasm kernels), each compared with the first and with a float64 computation
// of itself; its running statistics; and the facts of one group.
import { compare, describe, layout, normalizeSpec, pytorchCode, runLayer, t, isLabError } from '../lab/index.js';
import { largestDifference } from '../lab/compare.js';
import { FLOAT32_EPS } from '../lab/constants.js';
import { batchNormRef, groupNormRef, instanceNormRef, layerNormRef, rmsNormRef } from '../lab/reference64.js';

/** Tables and grids are drawn up to this many elements; the verdict and the
 * exports cover the whole tensor. */
export const DISPLAY_LIMIT = 4096; // grids: the compute limit, MAX_ELEMENTS of web/lab/parse.js
export const TABLE_LIMIT = 512; // the value and stats tables: one row per element is unreadable beyond
export const letter = (k) => String.fromCharCode(65 + k);

/** Text of a LabError (or any error) in `lang`. */
export function errorText(lang, e) {
  return isLabError(e) ? t(lang, e.key, e.params) : String(e && e.message || e);
}

// The running statistics of a freshly built module (zeros, ones), which
// runLayer starts every call from (docs/pytorch-semantics.md §3).
const freshRunning = (C) => ({ mean: new Float64Array(C), var: new Float64Array(C).fill(1) });

/** The float64 output of the layer's computation on `input`: the same
 * weight, bias, eps, momentum and starting running statistics as the wasm
 * call that made `result` (web/lab/run-layer.js), in web/lab/reference64.js. */
export function reference64(spec, lay, input, result) {
  const { kind, params } = normalizeSpec(spec);
  const { weight, bias } = result;
  const { eps } = params;
  const ncs = [lay.N, lay.C, lay.S];
  const mode = describe(spec, result.shape).runningStats;
  const running = mode === 'none' ? { mean: null, var: null } : freshRunning(lay.C);
  switch (kind) {
    case 'layer_norm': return layerNormRef(input, lay.rows, lay.n, { weight, bias, eps }).y;
    case 'rms_norm': return rmsNormRef(input, lay.rows, lay.n, { weight, eps: eps ?? FLOAT32_EPS }).y;
    case 'group_norm': return groupNormRef(input, ncs, lay.G, { weight, bias, eps }).y;
    case 'instance_norm':
      return instanceNormRef(input, ncs, { runningMean: running.mean, runningVar: running.var, weight, bias,
        useInputStats: mode !== 'use', momentum: params.momentum, eps }).y;
    default: // momentum None: on a module's first batch the factor is 1/num_batches_tracked = 1
      return batchNormRef(input, ncs, running.mean, running.var, { weight, bias, training: mode !== 'use',
        momentum: params.momentum ?? 1, eps }).y;
  }
}

/** The running statistics of a layer that keeps them, after its one call
 * (null for a layer without): { mode: 'update' | 'use', momentum, before:
 * { mean, var }, mean, var (after the call), numBatchesTracked, observed:
 * { mean, var } (what the update mixed in: the batch mean and UNBIASED
 * variance per channel; InstanceNorm's averaged over the batch), eps }.
 * torch: BatchNorm counts num_batches_tracked up in training, InstanceNorm
 * never does (docs/pytorch-semantics.md §4). */
export function runningStatsOf(l) {
  const mode = l.info.runningStats;
  if (mode === 'none') return null;
  const { mean, var: variance } = l.result.stats;
  const C = l.lay.C;
  const bn = l.spec.kind === 'batch_norm';
  const { momentum, eps } = normalizeSpec(l.spec).params;
  const out = {
    mode, momentum, before: freshRunning(C), mean: l.result.runningMean, var: l.result.runningVar,
    numBatchesTracked: bn && mode === 'update' ? 1 : 0, observed: null, eps,
  };
  if (mode === 'use') return out;
  // n: the elements behind one statistic; the unbiased variance is var * n / (n - 1).
  const n = bn ? l.lay.N * l.lay.S : l.lay.S;
  const planes = bn ? 1 : l.lay.N;
  if (n < 2 || planes < 1) return out;
  out.observed = { mean: new Float64Array(C), var: new Float64Array(C) };
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < planes; k++) {
      const g = bn ? c : k * C + c; // InstanceNorm's stats are per (n, c) plane
      out.observed.mean[c] += mean[g] / planes;
      out.observed.var[c] += (variance[g] * n) / (n - 1) / planes;
    }
  }
  return out;
}

/** Run every layer on the tensor and compare each with the first.
 * A layer that cannot take this shape gets { error } instead of a result.
 * Every layer that ran gets ref64 (its float64 output), error64 (the largest
 * |float32 output - float64 output|: float32 rounding on this input) and
 * running (runningStatsOf). */
export function runExperiment(nl, shape, input, specs) {
  const tensor = { data: input, shape };
  const layers = specs.map((spec, k) => {
    const label = letter(k);
    try {
      return { label, spec, code: pytorchCode(spec, shape), info: describe(spec, shape), lay: layout(spec, shape), result: runLayer(nl, spec, tensor) };
    } catch (error) {
      if (!isLabError(error)) throw error;
      return { label, spec, error };
    }
  });
  const ok = layers.filter((l) => l.result);
  for (const l of ok) {
    l.ref64 = reference64(l.spec, l.lay, input, l.result);
    l.error64 = largestDifference(l.result.data, l.ref64);
    l.running = runningStatsOf(l);
  }
  const pairs = ok.slice(1).map((b) => ({ a: ok[0], b,
    cmp: compare(ok[0].result, b.result, ok[0].spec, b.spec, shape, [ok[0].label, b.label], { ref64: [ok[0].ref64, b.ref64] }) }));
  return { shape, input, layers, ok, pairs };
}

function membersOf(groups, g) {
  const out = [];
  for (let i = 0; i < groups.length; i++) if (groups[i] === g) out.push(i);
  return out;
}

/** The eps a layer used (RMSNorm's None is float32's machine epsilon). */
export function epsOf(l) {
  return l.spec.params.eps ?? FLOAT32_EPS;
}

/** Group facts for element i of layer l: { g, members, x, y, mean, var, eps, rms }. */
export function groupFacts(exp, l, i) {
  const r = l.result, g = r.groups[i], members = membersOf(r.groups, g);
  return {
    g, members, x: members.map((q) => exp.input[q]), y: members.map((q) => r.data[q]),
    mean: r.stats.mean[g], var: r.stats.var[g], eps: epsOf(l), rms: l.spec.kind === 'rms_norm',
  };
}
