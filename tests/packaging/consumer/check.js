// The app's own check of the library: a LayerNorm computed by normlab (with
// each of its wasm builds) against an independent float64 LayerNorm written
// here. Used by the browser app (main.js) and the Node scripts alike.
const ROWS = 3;
const N = 8;
const EPS = 1e-5;
// float32 inputs (the library takes float32), built from a formula, not a library.
const x = Float32Array.from({ length: ROWS * N }, (_, i) => Math.sin(i * 1.7) * 3 + i / 10);
const weight = Float32Array.from({ length: N }, (_, i) => 0.5 + i / 8);
const bias = Float32Array.from({ length: N }, (_, i) => i / 4 - 1);

/** LayerNorm over the last dim in float64: biased variance, as torch. */
export function layerNorm64(data, n, w, b, eps) {
  const y = new Float64Array(data.length);
  for (let r = 0; r < data.length / n; r++) {
    const row = Array.from(data.subarray(r * n, r * n + n));
    const mean = row.reduce((s, v) => s + v, 0) / n;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    const rstd = 1 / Math.sqrt(variance + eps);
    row.forEach((v, j) => { y[r * n + j] = (v - mean) * rstd * w[j] + b[j]; });
  }
  return y;
}

/** Runs the LayerNorm with the default build and with { simd: false }:
 * { runs: [{ simd, maxErr, output }] }, each maxErr against layerNorm64. */
export async function checkLayerNorm(loadNormlab) {
  const want = layerNorm64(x, N, weight, bias, EPS);
  const runs = [];
  for (const options of [{}, { simd: false }]) {
    const nl = await loadNormlab(options);
    const y = nl.layerNorm({ data: x, shape: [ROWS, N] }, [N], { weight, bias, eps: EPS });
    const maxErr = Math.max(...Array.from(y.data, (v, i) => Math.abs(v - want[i])));
    runs.push({ options, simd: nl.simd, maxErr, shape: y.shape, output: Array.from(y.data) });
  }
  return { runs };
}
