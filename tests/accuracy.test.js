// The core accuracy promise: with unit weight and zero bias, the output stays
// within 1e-6 of a float64 computation on the same float32 input, even where
// torch's float32 kernels are far off (large offsets, constant rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab } from '../src/normlab.js';

// A seeded normal generator (mulberry32 + Box-Muller), independent of normlab.
function normals(seed) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** float64 LayerNorm of one row: two-pass mean and biased variance. */
function reference(x, eps) {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let sq = 0;
  for (const v of x) sq += (v - mean) ** 2;
  const rstd = 1 / Math.sqrt(sq / x.length + eps);
  return Float64Array.from(x, (v) => (v - mean) * rstd);
}

const cases = [];
for (const n of [768, 16384, 1_000_000]) {
  cases.push([`1e4 + N(0,1), n=${n}`, n, (r) => 1e4 + r()]);
  cases.push([`1e6 + N(0,1), n=${n}`, n, (r) => 1e6 + r()]);
  cases.push([`1e6 + N(0,0.1), n=${n}`, n, (r) => 1e6 + 0.1 * r()]);
  cases.push([`constant 1234, n=${n}`, n, () => 1234]);
  cases.push([`N(0,1), n=${n}`, n, (r) => r()]);
}
cases.push(['[40000, 40001, 40002, 40003]', 4, (r, i) => 40000 + i]);

for (const simd of [true, false]) {
  const build = simd ? 'simd' : 'scalar';
  test(`${build}: every mean-subtracting op within 1e-6 of float64 on adversarial rows`, async () => {
    const nl = await loadNormlab({ simd });
    for (const [name, n, gen] of cases) {
      const r = normals(n);
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = gen(r, i);
      const want = reference(x, 1e-5);
      const results = {
        layerNorm: nl.layerNorm({ data: x, shape: [n] }, [n]).data,
        groupNorm: nl.groupNorm({ data: x, shape: [1, 1, n] }, 1).data,
        instanceNorm: nl.instanceNorm({ data: x, shape: [1, 1, n] }).data,
        batchNorm: nl.batchNorm({ data: x, shape: [n, 1] }, null, null, { training: true }).data,
      };
      for (const [op, got] of Object.entries(results)) {
        let worst = 0, at = 0;
        for (let i = 0; i < n; i++) {
          const e = Math.abs(got[i] - want[i]);
          if (!(e <= worst)) { worst = e; at = i; }
        }
        assert.ok(worst <= 1e-6, `${build} ${op} on ${name}: error ${worst} at ${at} (got ${got[at]}, want ${want[at]})`);
      }
    }
  });
}
