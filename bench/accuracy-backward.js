// The backward accuracy table: every hard-input record of
// tests/fixtures/grads.json (1e4 + N(0,1), 1e6 + N(0,0.1), constant groups,
// normalized_shape (1,) at 1e6), each gradient's error against torch's float64
// autograd on the same float32 inputs, as max|g - ref| / max(1, max|ref|), for
// normlab SIMD, normlab scalar, torch 1.13's float32 autograd (stored in the
// fixture) and, for LayerNorm, a naive float32 backward: the textbook formula
// on one-pass statistics (var = E[x^2] - E[x]^2) with float32 sums.
// Prints the table and writes bench/accuracy-backward.md; exits 1 if normlab
// is worse than torch float32 on any gradient.
//
//   /usr/bin/python3 tests/fixtures/make_fixtures.py   (only when the cases change)
//   node bench/accuracy-backward.js
import { readFileSync, writeFileSync } from 'node:fs';
import { loadNormlab } from '../src/normlab.js';
import { callBackward } from '../src/ops.js';
import { argsOf, tensorOf } from '../tests/helpers.js'; // fixture records -> calls, as the tests make them

const fixture = JSON.parse(readFileSync(new URL('../tests/fixtures/grads.json', import.meta.url), 'utf8'));
const GRADS = ['gradInput', 'gradWeight', 'gradBias'];
const f32 = (list) => Float32Array.from(list);

/** max|got - ref| / max(1, max|ref|): the scale of a gradient. */
function error(got, ref) {
  let worst = 0, scale = 1;
  for (let i = 0; i < ref.length; i++) {
    scale = Math.max(scale, Math.abs(ref[i]));
    worst = Math.max(worst, Math.abs(got[i] - ref[i]));
  }
  return worst / scale;
}

/** LayerNorm backward as commonly written, everything in float32 (Math.fround after each step). */
function naiveLayerNormBackward(dy, x, rows, n, w) {
  const r = Math.fround;
  const dx = new Float32Array(rows * n), dw = new Float32Array(n), db = new Float32Array(n);
  for (let i = 0; i < rows; i++) {
    let s = 0, s2 = 0;
    for (let j = 0; j < n; j++) { const v = x[i * n + j]; s = r(s + v); s2 = r(s2 + r(v * v)); }
    const mean = r(s / n);
    const rstd = r(1 / Math.sqrt(r(Math.max(0, r(r(s2 / n) - r(mean * mean))) + 1e-5)));
    let sg = 0, sgx = 0;
    const xhat = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      xhat[j] = r(r(x[i * n + j] - mean) * rstd);
      const g = r(dy[i * n + j] * w[j]);
      sg = r(sg + g);
      sgx = r(sgx + r(g * xhat[j]));
      dw[j] = r(dw[j] + r(dy[i * n + j] * xhat[j]));
      db[j] = r(db[j] + dy[i * n + j]);
    }
    for (let j = 0; j < n; j++) {
      const g = r(dy[i * n + j] * w[j]);
      dx[i * n + j] = r(rstd * r(r(g - r(sg / n)) - r(xhat[j] * r(sgx / n))));
    }
  }
  return { gradInput: dx, gradWeight: dw, gradBias: db };
}

const [simd, scalar] = await Promise.all([loadNormlab(), loadNormlab({ simd: false })]);
const fmt = (e) => (e === 0 ? '0' : e.toExponential(1));
const rows = [];
let worse = false;
for (const c of fixture.accuracy) {
  const run = (nl) => callBackward(nl, c.op, tensorOf(c.gradOutput), tensorOf(c.input), argsOf(c.args));
  const got = { simd: run(simd), scalar: run(scalar) };
  let naive = null;
  if (c.op === 'layerNorm') {
    const n = [c.args.normalizedShape].flat().reduce((a, b) => a * b, 1);
    naive = naiveLayerNormBackward(f32(c.gradOutput.data), f32(c.input.data), c.input.data.length / n, n,
      c.args.weight ? f32(c.args.weight) : new Float32Array(n).fill(1));
  }
  for (const g of GRADS) {
    const ref = c.expected[g];
    if (!ref) continue;
    const e = {
      simd: error(got.simd[g].data, ref.f64), scalar: error(got.scalar[g].data, ref.f64),
      torch: error(ref.f32, ref.f64), naive: naive ? error(naive[g], ref.f64) : null,
    };
    if (Math.max(e.simd, e.scalar) > Math.max(e.torch, 2e-6)) worse = true;
    rows.push(`| ${c.name} | ${g} | ${fmt(e.simd)} | ${fmt(e.scalar)} | ${fmt(e.torch)} | ${e.naive === null ? '–' : fmt(e.naive)} |`);
  }
}

const table = [
  '| input | gradient | normlab SIMD | normlab scalar | torch 1.13 float32 | naive float32 |',
  '|---|---|---|---|---|---|',
  ...rows,
].join('\n');
const report = `${[
  '# Backward accuracy (node bench/accuracy-backward.js)',
  '',
  "Error of each gradient against torch's float64 autograd on the same float32 inputs,",
  'max|g − ref| / max(1, max|ref|), on the hard inputs of tests/fixtures/grads.json.',
  'naive float32: the LayerNorm backward as commonly written, on one-pass statistics',
  '(var = E[x²] − E[x]²) with float32 sums.',
  '',
  '',
].join('\n')}${table}\n`;
console.log(report);
writeFileSync(new URL('./accuracy-backward.md', import.meta.url), report);
if (worse) {
  console.error('normlab is worse than torch float32 (and than 2e-6) on some gradient');
  process.exitCode = 1;
}
