// Plain-JavaScript reference implementations, written the way one would
// without wasm: a two-pass mean/variance per group in float64 (JS numbers),
// then one pass writing y.  They write into a caller-given output `y`, so the
// benchmark times the arithmetic, not allocation.  They also serve as the
// reference the other variants are checked against.
//
// Layouts are row-major; N = batch, C = channels, S = product of spatial dims.

/** Mean and biased variance of x[start .. start+n), two passes. */
function moments(x, start, n) {
  const end = start + n;
  let sum = 0;
  for (let i = start; i < end; i++) sum += x[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = start; i < end; i++) {
    const d = x[i] - mean;
    sq += d * d;
  }
  return { mean, variance: sq / n };
}

/** y = (x - mean) * rstd * w + b over one span, with scalar w and b. */
function normalizeSpan(x, y, start, n, mean, rstd, w, b) {
  const scale = rstd * w;
  for (let i = start, end = start + n; i < end; i++) y[i] = (x[i] - mean) * scale + b;
}

/** LayerNorm over the last n elements of each row; w, b: n elements or null. */
export function layerNorm(x, y, rows, n, w, b, eps) {
  for (let r = 0, start = 0; r < rows; r++, start += n) {
    const { mean, variance } = moments(x, start, n);
    const rstd = 1 / Math.sqrt(variance + eps);
    if (!w) normalizeSpan(x, y, start, n, mean, rstd, 1, 0);
    else for (let i = 0; i < n; i++) y[start + i] = (x[start + i] - mean) * rstd * w[i] + (b ? b[i] : 0);
  }
}

/** GroupNorm on (N, C, S) with G groups; w, b: C elements or null. */
export function groupNorm(x, y, N, C, S, G, w, b, eps) {
  const perGroup = C / G;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const start = (n * C + g * perGroup) * S;
      const { mean, variance } = moments(x, start, perGroup * S);
      const rstd = 1 / Math.sqrt(variance + eps);
      for (let k = 0; k < perGroup; k++) {
        const c = g * perGroup + k;
        normalizeSpan(x, y, start + k * S, S, mean, rstd, w ? w[c] : 1, b ? b[c] : 0);
      }
    }
  }
}

/** InstanceNorm on (N, C, S): GroupNorm with one channel per group. */
export function instanceNorm(x, y, N, C, S, w, b, eps) {
  groupNorm(x, y, N, C, S, C, w, b, eps);
}

/** RMSNorm: y = x / sqrt(mean(x^2) + eps) * w per row of n; w: n elements or null. */
export function rmsNorm(x, y, rows, n, w, eps) {
  for (let r = 0, start = 0; r < rows; r++, start += n) {
    let sq = 0;
    for (let i = start; i < start + n; i++) sq += x[i] * x[i];
    const rstd = 1 / Math.sqrt(sq / n + eps);
    if (!w) normalizeSpan(x, y, start, n, 0, rstd, 1, 0);
    else for (let i = 0; i < n; i++) y[start + i] = x[start + i] * rstd * w[i];
  }
}

// Backward passes, float64, written out plainly: per set of values
// normalized by one mean and rstd (xhat = (x - mean) * rstd, g = dy * w),
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)),  dw = sum dy * xhat,  db = sum dy.
// Every set here uses its own batch statistics (training mode).  dx is written; dw, db
// (or null) are overwritten with the sums over every set they meet, summed in float64.

/**
 * The backward over one set: `spans` runs of `len` values, the first at `start`, `stride` apart.
 * The weight: w[k] for the run's k-th value (perElement), else w[c0 + s * cStep] for run s.
 */
function setBackward(dy, x, dx, set, w, dw, db, eps, centered) {
  const { start, spans, len, stride, perElement, c0, cStep } = set;
  const n = spans * len;
  let sum = 0;
  for (let s = 0; s < spans; s++) for (let k = 0, i = start + s * stride; k < len; k++, i++) sum += x[i];
  const mean = centered ? sum / n : 0;
  let sq = 0;
  for (let s = 0; s < spans; s++) for (let k = 0, i = start + s * stride; k < len; k++, i++) sq += (x[i] - mean) ** 2;
  const rstd = 1 / Math.sqrt(sq / n + eps);
  let sumG = 0, sumGXhat = 0;
  for (let s = 0; s < spans; s++) {
    for (let k = 0, i = start + s * stride; k < len; k++, i++) {
      const p = perElement ? k : c0 + s * cStep;
      const xhat = (x[i] - mean) * rstd;
      const g = dy[i] * (w ? w[p] : 1);
      sumG += g;
      sumGXhat += g * xhat;
      if (dw) dw[p] += dy[i] * xhat;
      if (db) db[p] += dy[i];
    }
  }
  const meanG = centered ? sumG / n : 0, meanGXhat = sumGXhat / n;
  for (let s = 0; s < spans; s++) {
    for (let k = 0, i = start + s * stride; k < len; k++, i++) {
      const p = perElement ? k : c0 + s * cStep;
      const xhat = (x[i] - mean) * rstd;
      dx[i] = rstd * (dy[i] * (w ? w[p] : 1) - meanG - xhat * meanGXhat);
    }
  }
}

/** The backward over `sets` into dw, db (float64 sums, then stored). */
function setsBackward(dy, x, dx, sets, w, dw, db, eps, centered) {
  const [dw64, db64] = [dw, db].map((a) => a && new Float64Array(a.length));
  for (const set of sets) setBackward(dy, x, dx, set, w, dw64, db64, eps, centered);
  dw?.set(dw64);
  db?.set(db64);
}

const rowSets = (rows, n) => Array.from({ length: rows }, (_, r) => ({ start: r * n, spans: 1, len: n, stride: n, perElement: true }));

/** LayerNorm's backward over rows of n; w, dw, db: n elements or null. */
export function layerNormBackward(dy, x, dx, rows, n, w, dw, db, eps) {
  setsBackward(dy, x, dx, rowSets(rows, n), w, dw, db, eps, true);
}

/** RMSNorm's backward (no mean) over rows of n; w, dw: n elements or null. */
export function rmsNormBackward(dy, x, dx, rows, n, w, dw, eps) {
  setsBackward(dy, x, dx, rowSets(rows, n), w, dw, null, eps, false);
}

/** GroupNorm's backward on (N, C, S) with G groups; w, dw, db: C elements or null. */
export function groupNormBackward(dy, x, dx, N, C, S, G, w, dw, db, eps) {
  const perGroup = C / G;
  const sets = Array.from({ length: N * G }, (_, k) => ({ start: k * perGroup * S, spans: perGroup, len: S, stride: S,
    perElement: false, c0: (k % G) * perGroup, cStep: 1 }));
  setsBackward(dy, x, dx, sets, w, dw, db, eps, true);
}

/** InstanceNorm's backward on its own statistics: GroupNorm's with one channel per group. */
export function instanceNormBackward(dy, x, dx, N, C, S, w, dw, db, eps) {
  groupNormBackward(dy, x, dx, N, C, S, C, w, dw, db, eps);
}

/** BatchNorm's backward in training (batch statistics) on (N, C, S): a set per channel over the batch. */
export function batchNormBackward(dy, x, dx, N, C, S, w, dw, db, eps) {
  const sets = Array.from({ length: C }, (_, c) => ({ start: c * S, spans: N, len: S, stride: C * S, perElement: false,
    c0: c, cStep: 0 }));
  setsBackward(dy, x, dx, sets, w, dw, db, eps, true);
}
