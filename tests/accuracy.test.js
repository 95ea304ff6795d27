// The core accuracy promise: with unit weight and zero bias, the output stays
// within 1e-6 of a float64 computation on the same float32 input, even where
// torch's float32 kernels are far off (large offsets, constant rows).
import { test } from 'node:test';
import { assertClose, layerNormRef, loadBoth, normals } from './helpers.js';

const cases = [];
for (const n of [768, 16384, 1_000_000]) {
  cases.push([`1e4 + N(0,1), n=${n}`, n, (z) => 1e4 + z]);
  cases.push([`1e6 + N(0,1), n=${n}`, n, (z) => 1e6 + z]);
  cases.push([`1e6 + N(0,0.1), n=${n}`, n, (z) => 1e6 + 0.1 * z]);
  cases.push([`constant 1234, n=${n}`, n, () => 1234]);
  cases.push([`N(0,1), n=${n}`, n, (z) => z]);
}
cases.push(['[40000, 40001, 40002, 40003]', 4, (z, i) => 40000 + i]);

for (const [build, nl] of await loadBoth()) {
  test(`${build}: every mean-subtracting op within 1e-6 of float64 on adversarial rows`, () => {
    for (const [name, n, gen] of cases) {
      const z = normals(n, n);
      const x = Float32Array.from(z, gen);
      const want = layerNormRef(x, 1, n).y;
      const results = {
        layerNorm: nl.layerNorm({ data: x, shape: [n] }, [n]).data,
        groupNorm: nl.groupNorm({ data: x, shape: [1, 1, n] }, 1).data,
        instanceNorm: nl.instanceNorm({ data: x, shape: [1, 1, n] }).data,
        batchNorm: nl.batchNorm({ data: x, shape: [n, 1] }, null, null, { training: true }).data,
      };
      for (const [op, got] of Object.entries(results)) assertClose(got, want, { abs: 1e-6 }, `${build} ${op} on ${name}`);
    }
  });
}
