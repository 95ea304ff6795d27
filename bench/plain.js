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
