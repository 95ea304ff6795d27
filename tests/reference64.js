// An independent float64 reference of every normlab op, written from the
// formulas of the PyTorch semantics (§1-§4, §9), for the API/error/leak tests.
// Each op is "which elements form a group" + "which channel an element uses";
// two-pass mean and biased variance per group, y = (x - mean) / sqrt(var + eps)
// * w + b.  NaN and Inf propagate through the plain float64 arithmetic the way
// torch's do (§6): an Inf makes mean = Inf and var = NaN.

const prod = (dims) => dims.reduce((a, b) => a * b, 1);

/** [N, C, S] of an (N, C, *spatial) shape. */
const ncs = (shape) => [shape[0], shape[1], prod(shape.slice(2))];

function moments(x, members) {
  let sum = 0;
  for (const i of members) sum += x[i];
  const mean = sum / members.length;
  let sq = 0;
  for (const i of members) sq += (x[i] - mean) ** 2;
  return { mean, var: sq / members.length };
}

const range = (start, length) => Array.from({ length }, (_, k) => start + k);

/** Indices of channel c of an (N, C, S) tensor: N spans of S. */
const channelMembers = (N, C, S, c) => Array.from({ length: N }, (_, n) => range((n * C + c) * S, S)).flat();

/**
 * y for `groups` (index lists) normalized by `stats[g]` ({mean, var}), the
 * element i scaled by weight[channel(i)] and shifted by bias[channel(i)].
 */
function normalize(x, groups, stats, channel, { weight, bias, eps }) {
  const y = new Float64Array(x.length);
  groups.forEach((members, g) => {
    const rstd = 1 / Math.sqrt(stats[g].var + eps);
    for (const i of members) {
      const c = channel(i);
      y[i] = (x[i] - stats[g].mean) * rstd * (weight ? weight[c] : 1) + (bias ? bias[c] : 0);
    }
  });
  return y;
}

const asStats = (list) => ({
  mean: Float64Array.from(list, (s) => s.mean),
  var: Float64Array.from(list, (s) => s.var),
  rstd: null, // filled by result()
});

function result(y, statList, eps, extra = {}) {
  const stats = asStats(statList);
  stats.rstd = stats.var.map((v) => 1 / Math.sqrt(v + eps));
  return { data: y, stats, ...extra };
}

/** torch's update: momentum * observed + (1 - momentum) * running. */
const updated = (running, observed, momentum) =>
  Float64Array.from(running, (r, c) => momentum * observed[c] + (1 - momentum) * r);

export function layerNorm64(x, shape, normalizedShape, { weight = null, bias = null, eps = 1e-5 } = {}) {
  const n = prod([normalizedShape].flat());
  const rows = prod(shape.slice(0, shape.length - [normalizedShape].flat().length));
  const groups = Array.from({ length: rows }, (_, r) => range(r * n, n));
  const stats = groups.map((m) => moments(x, m));
  return result(normalize(x, groups, stats, (i) => i % n, { weight, bias, eps }), stats, eps);
}

/** torch >= 2.4: x * rsqrt(mean(x^2) + eps) * w; stats report mean 0, var mean(x^2). */
export function rmsNorm64(x, shape, normalizedShape, { weight = null, eps = 2 ** -23 } = {}) {
  const n = prod([normalizedShape].flat());
  const rows = x.length / n;
  const y = new Float64Array(x.length);
  const stats = [];
  for (let r = 0; r < rows; r++) {
    let sq = 0;
    for (let k = 0; k < n; k++) sq += x[r * n + k] ** 2;
    const ms = sq / n;
    const rstd = 1 / Math.sqrt(ms + eps);
    for (let k = 0; k < n; k++) y[r * n + k] = x[r * n + k] * rstd * (weight ? weight[k] : 1);
    stats.push({ mean: 0, var: ms });
  }
  return result(y, stats, eps);
}

export function groupNorm64(x, shape, G, { weight = null, bias = null, eps = 1e-5 } = {}) {
  const [N, C, S] = ncs(shape);
  const len = (C / G) * S;
  const groups = Array.from({ length: N * G }, (_, g) => range(g * len, len));
  const stats = groups.map((m) => moments(x, m));
  return result(normalize(x, groups, stats, (i) => Math.floor(i / S) % C, { weight, bias, eps }), stats, eps);
}

export function instanceNorm64(x, shape, {
  runningMean = null, runningVar = null, weight = null, bias = null, useInputStats = true,
  momentum = 0.1, eps = 1e-5,
} = {}) {
  const [N, C, S] = ncs(shape);
  const groups = Array.from({ length: N * C }, (_, g) => range(g * S, S));
  const stats = useInputStats ? groups.map((m) => moments(x, m))
    : groups.map((_, g) => ({ mean: runningMean[g % C], var: runningVar[g % C] }));
  const extra = {};
  if (useInputStats && runningMean) {
    // the batch average of each plane's mean and unbiased variance (§4)
    const avg = (f) => Float64Array.from({ length: C }, (_, c) => {
      let s = 0;
      for (let n = 0; n < N; n++) s += f(stats[n * C + c]);
      return s / N;
    });
    extra.runningMean = updated(runningMean, avg((s) => s.mean), momentum);
    extra.runningVar = updated(runningVar, avg((s) => (s.var * S) / (S - 1)), momentum);
  }
  return result(normalize(x, groups, stats, (i) => Math.floor(i / S) % C, { weight, bias, eps }), stats, eps, extra);
}

export function batchNorm64(x, shape, runningMean, runningVar, {
  weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5,
} = {}) {
  const [N, C, S] = ncs(shape);
  const groups = Array.from({ length: C }, (_, c) => channelMembers(N, C, S, c));
  const stats = training ? groups.map((m) => moments(x, m))
    : groups.map((_, c) => ({ mean: runningMean[c], var: runningVar[c] }));
  const extra = {};
  if (training && runningMean && N * S > 0) {
    const count = N * S;
    extra.runningMean = updated(runningMean, stats.map((s) => s.mean), momentum);
    extra.runningVar = updated(runningVar, stats.map((s) => (s.var * count) / (count - 1)), momentum);
  }
  return result(normalize(x, groups, stats, (i) => Math.floor(i / S) % C, { weight, bias, eps }), stats, eps, extra);
}

/**
 * Assert every |got[i] - want[i]| <= tol * (1 + |want[i]|); NaN must meet NaN
 * and an infinity the same infinity.  Returns nothing; throws an Error naming
 * the first bad index.
 */
export function expectClose(got, want, label, tol = 2e-6) {
  if (got.length !== want.length) throw new Error(`${label}: length ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isFinite(want[i]) ? Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i]))
      : Object.is(got[i], want[i]);
    if (!ok) throw new Error(`${label}: index ${i}: got ${got[i]}, expected ${want[i]}`);
  }
}

/** n deterministic, irregular float32 values (no RNG needed for these tests). */
export const sample = (n, seed = 1) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 1.7 * seed) * 3 + ((i * seed) % 5) - 1);
