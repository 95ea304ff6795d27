// The float64 reference of every normlab op: the one the tests check the
// wasm kernels against (tests/helpers.js re-exports it) and the one the page
// measures float32 rounding with (error64 in web/viz/experiment.js). Pure, no
// DOM, independent of src/: written from docs/pytorch-semantics.md, the same
// algorithm as tests/c/reference.c. It corrects the mean with a second pass
// (mean += sum(x - mean) / n), so it stays exact to double rounding at
// offsets like 1e30 + tiny spread, which the fuzz test feeds it.
//
// Two forms of every op:
// - over a layout: x is (N, C, S) row-major; LayerNorm/RMSNorm take rows of n.
//   They return { y: Float64Array, mean, var } (per-group statistics, as the
//   kernels' stats) and, where updated, runningMean / runningVar.
// - called the way normlab's ops are (a shape, normalizedShape, numGroups):
//   layerNorm64 ... batchNorm64, answering as they do
//   ({ data, stats: { mean, var, rstd }, runningMean, runningVar }).
import { FLOAT32_EPS } from './constants.js';

/** Mean (sum / n, as torch: +Inf for a +Inf group) and biased variance of
 * `count` spans of `len` elements, span k starting at start + k * stride. */
function moments(x, start, len, count, stride) {
  const n = len * count;
  const sum = (shift) => {
    let s = 0;
    for (let k = 0; k < count; k++) for (let i = 0; i < len; i++) s += x[start + k * stride + i] - shift;
    return s;
  };
  let mean = sum(0) / n;
  if (Number.isFinite(mean)) mean += sum(mean) / n;
  let ss = 0;
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < len; i++) ss += (x[start + k * stride + i] - mean) ** 2;
  }
  return { mean, var: ss / n }; // a NaN or Inf anywhere makes var NaN
}

/** Collects y and the per-group statistics. */
class Output {
  constructor(size, groups) {
    this.y = new Float64Array(size);
    this.mean = new Float64Array(groups).fill(NaN);
    this.var = new Float64Array(groups).fill(NaN);
  }

  stat(g, m) {
    this.mean[g] = m.mean;
    this.var[g] = m.var;
  }

  /** y = (x - mean) / sqrt(var + eps) * w + b over len elements from start. */
  normalize(x, start, len, m, eps, w = 1, b = 0) {
    const rstd = 1 / Math.sqrt(m.var + eps);
    for (let i = start; i < start + len; i++) this.y[i] = (x[i] - m.mean) * rstd * w + b;
  }
}

const at = (p, i, dflt) => (p ? p[i] : dflt);

export function layerNormRef(x, rows, n, { weight = null, bias = null, eps = 1e-5 } = {}) {
  const out = new Output(rows * n, rows);
  for (let r = 0; r < rows && n > 0; r++) {
    const m = moments(x, r * n, n, 1, n);
    out.stat(r, m);
    for (let i = 0; i < n; i++) out.normalize(x, r * n + i, 1, m, eps, at(weight, i, 1), at(bias, i, 0));
  }
  return out;
}

export function rmsNormRef(x, rows, n, { weight = null, eps = FLOAT32_EPS } = {}) {
  const out = new Output(rows * n, rows);
  for (let r = 0; r < rows && n > 0; r++) {
    let ss = 0;
    for (let i = r * n; i < (r + 1) * n; i++) ss += x[i] * x[i];
    const m = { mean: 0, var: ss / n };
    out.stat(r, m);
    for (let i = 0; i < n; i++) out.normalize(x, r * n + i, 1, m, eps, at(weight, i, 1));
  }
  return out;
}

export function groupNormRef(x, [N, C, S], G, { weight = null, bias = null, eps = 1e-5 } = {}) {
  const out = new Output(N * C * S, N * G);
  const cpg = C / G;
  for (let n = 0; n < N && cpg * S > 0; n++) {
    for (let g = 0; g < G; g++) {
      const m = moments(x, (n * C + g * cpg) * S, cpg * S, 1, 0);
      out.stat(n * G + g, m);
      for (let c = g * cpg; c < (g + 1) * cpg; c++) {
        out.normalize(x, (n * C + c) * S, S, m, eps, at(weight, c, 1), at(bias, c, 0));
      }
    }
  }
  return out;
}

/** torch's update: (1 - momentum) * running + momentum * observed. */
const update = (running, momentum, observed) => (1 - momentum) * running + momentum * observed;

export function instanceNormRef(x, [N, C, S], {
  runningMean = null, runningVar = null, weight = null, bias = null, useInputStats = true,
  momentum = 0.1, eps = 1e-5,
} = {}) {
  const out = new Output(N * C * S, N * C);
  if (runningMean && useInputStats) {
    out.runningMean = Float64Array.from(runningMean);
    out.runningVar = Float64Array.from(runningVar);
  }
  for (let c = 0; c < C; c++) {
    let meanSum = 0;
    let varSum = 0;
    for (let n = 0; n < N; n++) {
      const start = (n * C + c) * S;
      const m = useInputStats ? moments(x, start, S, 1, 0) : { mean: runningMean[c], var: runningVar[c] };
      if (S > 0 || !useInputStats) out.stat(n * C + c, m);
      out.normalize(x, start, S, m, eps, at(weight, c, 1), at(bias, c, 0));
      meanSum += m.mean;
      varSum += (m.var * S) / (S - 1); // unbiased
    }
    // the batch average of the per-plane statistics; nothing when S == 0
    if (out.runningMean && N > 0 && S > 0) {
      out.runningMean[c] = update(runningMean[c], momentum, meanSum / N);
      out.runningVar[c] = update(runningVar[c], momentum, varSum / N);
    }
  }
  return out;
}

export function batchNormRef(x, [N, C, S], runningMean, runningVar, {
  weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5,
} = {}) {
  const out = new Output(N * C * S, C);
  if (runningMean && training) {
    out.runningMean = Float64Array.from(runningMean);
    out.runningVar = Float64Array.from(runningVar);
  }
  for (let c = 0; c < C; c++) {
    if (training && N * S === 0) continue; // empty batch: running stats unchanged
    const m = training ? moments(x, c * S, S, N, C * S) : { mean: runningMean[c], var: runningVar[c] };
    out.stat(c, m);
    for (let n = 0; n < N; n++) out.normalize(x, (n * C + c) * S, S, m, eps, at(weight, c, 1), at(bias, c, 0));
    if (out.runningMean) {
      out.runningMean[c] = update(runningMean[c], momentum, m.mean);
      out.runningVar[c] = update(runningVar[c], momentum, (m.var * N * S) / (N * S - 1));
    }
  }
  return out;
}

// ---- called the way normlab's ops are ----

const prod = (dims) => dims.reduce((a, b) => a * b, 1);

/** [N, C, S] of an (N, C, *spatial) shape. */
const ncs = (shape) => [shape[0], shape[1], prod(shape.slice(2))];

/** [rows, n] of a shape normalized over its trailing `normalizedShape`. */
function rowsOf(shape, normalizedShape) {
  const ns = [normalizedShape].flat();
  return [prod(shape.slice(0, shape.length - ns.length)), prod(ns)];
}

function result(ref, eps) {
  return {
    data: ref.y,
    stats: { mean: ref.mean, var: ref.var, rstd: ref.var.map((v) => 1 / Math.sqrt(v + eps)) },
    runningMean: ref.runningMean,
    runningVar: ref.runningVar,
  };
}

export const layerNorm64 = (x, shape, normalizedShape, o = {}) =>
  result(layerNormRef(x, ...rowsOf(shape, normalizedShape), o), o.eps ?? 1e-5);

export const rmsNorm64 = (x, shape, normalizedShape, o = {}) =>
  result(rmsNormRef(x, ...rowsOf(shape, normalizedShape), o), o.eps ?? FLOAT32_EPS);

export const groupNorm64 = (x, shape, numGroups, o = {}) =>
  result(groupNormRef(x, ncs(shape), numGroups, o), o.eps ?? 1e-5);

export const instanceNorm64 = (x, shape, o = {}) => result(instanceNormRef(x, ncs(shape), o), o.eps ?? 1e-5);

export const batchNorm64 = (x, shape, runningMean, runningVar, o = {}) =>
  result(batchNormRef(x, ncs(shape), runningMean, runningVar, o), o.eps ?? 1e-5);

// ---- backward: the gradients torch.autograd gives for the same call ----
//
// Every op normalizes sets of elements (a row, a group, a plane, a channel
// over the batch) with a mean and an rstd, then scales by a weight and shifts
// by a bias, y = xhat * w + b, xhat = (x - mean) * rstd. Given dy = dL/dy and
// g = dy * w, over each set of n elements (as llm.c's layernorm_backward):
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat))
//   dw = sum dy * xhat,  db = sum dy  (summed over every set the parameter meets)
// The mean(g) term is there because mean depends on x, the xhat * mean(g *
// xhat) term because var does; a statistic that does not depend on x drops
// its term: RMSNorm's "mean" is 0 (dx = rstd * (g - xhat * mean(g * xhat)),
// xhat = x * rstd), and running statistics (BatchNorm eval, InstanceNorm with
// useInputStats false) give dx = rstd * g. Momentum and the running-statistics
// update do not enter the gradient. The mean and var are the forward
// reference's (its two-pass mean), so xhat is centered exactly.

/** Collects the gradients: null where the call has no such parameter. */
class Grads {
  constructor(size, { weight = null, bias = null }) {
    this.gradInput = new Float64Array(size);
    this.gradWeight = weight ? new Float64Array(weight.length) : null;
    this.gradBias = bias ? new Float64Array(bias.length) : null;
  }

  /**
   * One normalized set: spans [start, len, p] of x, p the index of the
   * spans' weight and bias; `terms` says which statistics depend on x:
   * 'mean+var' (input statistics), 'var' (RMSNorm), 'none' (running ones).
   */
  set(x, dy, spans, mean, rstd, weight, terms) {
    let n = 0;
    let sumG = 0;
    let sumGXhat = 0;
    for (const [start, len, p] of spans) {
      const w = at(weight, p, 1);
      for (let i = start; i < start + len; i++) {
        const xhat = (x[i] - mean) * rstd;
        n += 1;
        sumG += dy[i] * w;
        sumGXhat += dy[i] * w * xhat;
        if (this.gradWeight) this.gradWeight[p] += dy[i] * xhat;
        if (this.gradBias) this.gradBias[p] += dy[i];
      }
    }
    const meanG = terms === 'mean+var' ? sumG / n : 0;
    const meanGXhat = terms === 'none' ? 0 : sumGXhat / n;
    for (const [start, len, p] of spans) {
      const w = at(weight, p, 1);
      for (let i = start; i < start + len; i++) {
        const xhat = (x[i] - mean) * rstd;
        this.gradInput[i] = rstd * (dy[i] * w - meanG - xhat * meanGXhat);
      }
    }
  }
}

const rstdOf = (v, eps) => 1 / Math.sqrt(v + eps);

/** The spans of a LayerNorm/RMSNorm row: one element each, its own parameter. */
const rowSpans = (r, n) => Array.from({ length: n }, (_, i) => [r * n + i, 1, i]);

export function layerNormBackwardRef(dy, x, rows, n, o = {}) {
  const { weight = null, eps = 1e-5 } = o;
  const f = layerNormRef(x, rows, n, o);
  const out = new Grads(rows * n, o);
  for (let r = 0; r < rows && n > 0; r++) {
    out.set(x, dy, rowSpans(r, n), f.mean[r], rstdOf(f.var[r], eps), weight, 'mean+var');
  }
  return out;
}

export function rmsNormBackwardRef(dy, x, rows, n, o = {}) {
  const { weight = null, eps = FLOAT32_EPS } = o;
  const f = rmsNormRef(x, rows, n, o);
  const out = new Grads(rows * n, o);
  for (let r = 0; r < rows && n > 0; r++) {
    out.set(x, dy, rowSpans(r, n), 0, rstdOf(f.var[r], eps), weight, 'var');
  }
  return out;
}

export function groupNormBackwardRef(dy, x, [N, C, S], G, o = {}) {
  const { weight = null, eps = 1e-5 } = o;
  const f = groupNormRef(x, [N, C, S], G, o);
  const out = new Grads(N * C * S, o);
  const cpg = C / G;
  for (let n = 0; n < N && cpg * S > 0; n++) {
    for (let g = 0; g < G; g++) {
      const spans = [];
      for (let c = g * cpg; c < (g + 1) * cpg; c++) spans.push([(n * C + c) * S, S, c]);
      out.set(x, dy, spans, f.mean[n * G + g], rstdOf(f.var[n * G + g], eps), weight, 'mean+var');
    }
  }
  return out;
}

export function instanceNormBackwardRef(dy, x, [N, C, S], o = {}) {
  const { weight = null, eps = 1e-5, useInputStats = true } = o;
  const f = instanceNormRef(x, [N, C, S], o);
  const out = new Grads(N * C * S, o);
  for (let n = 0; n < N && S > 0; n++) {
    for (let c = 0; c < C; c++) {
      const k = n * C + c;
      out.set(x, dy, [[k * S, S, c]], f.mean[k], rstdOf(f.var[k], eps), weight, useInputStats ? 'mean+var' : 'none');
    }
  }
  return out;
}

export function batchNormBackwardRef(dy, x, [N, C, S], runningMean, runningVar, o = {}) {
  const { weight = null, eps = 1e-5, training = false } = o;
  const f = batchNormRef(x, [N, C, S], runningMean, runningVar, o);
  const out = new Grads(N * C * S, o);
  for (let c = 0; c < C && N * S > 0; c++) {
    const spans = Array.from({ length: N }, (_, n) => [(n * C + c) * S, S, c]);
    out.set(x, dy, spans, f.mean[c], rstdOf(f.var[c], eps), weight, training ? 'mean+var' : 'none');
  }
  return out;
}

// ---- backward, called the way normlab's ops are ----
// (gradOutput, x, shape, then the forward wrapper's arguments) ->
// { gradInput, gradWeight, gradBias }, each { data, shape } or null; the
// parameters' gradients have torch's parameter shapes (LayerNorm and RMSNorm:
// normalizedShape; the others: [C]).

function gradients(g, shape, paramShape) {
  const param = (data) => data && { data, shape: paramShape };
  return {
    gradInput: { data: g.gradInput, shape: [...shape] }, gradWeight: param(g.gradWeight), gradBias: param(g.gradBias),
  };
}

export const layerNormBackward64 = (gradOutput, x, shape, normalizedShape, o = {}) => gradients(
  layerNormBackwardRef(gradOutput, x, ...rowsOf(shape, normalizedShape), o), shape, [normalizedShape].flat());

export const rmsNormBackward64 = (gradOutput, x, shape, normalizedShape, o = {}) => gradients(
  rmsNormBackwardRef(gradOutput, x, ...rowsOf(shape, normalizedShape), o), shape, [normalizedShape].flat());

export const groupNormBackward64 = (gradOutput, x, shape, numGroups, o = {}) =>
  gradients(groupNormBackwardRef(gradOutput, x, ncs(shape), numGroups, o), shape, [shape[1]]);

export const instanceNormBackward64 = (gradOutput, x, shape, o = {}) =>
  gradients(instanceNormBackwardRef(gradOutput, x, ncs(shape), o), shape, [shape[1]]);

export const batchNormBackward64 = (gradOutput, x, shape, runningMean, runningVar, o = {}) =>
  gradients(batchNormBackwardRef(gradOutput, x, ncs(shape), runningMean, runningVar, o), shape, [shape[1]]);
