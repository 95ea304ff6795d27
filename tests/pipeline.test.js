// Long groups through the ops (src/ops.c -> src/strategies.c), as the API
// calls them: with more than one group longer than 128 floats, LayerNorm
// without weight and InstanceNorm take a riding strategy (group g normalized
// in the loop that sums group g + 2, or g + 1 for groups of 4096 floats or
// more and for up to four groups); groups of 65 to 128 floats go in chunks;
// LayerNorm with weight takes the plain strategy.  Every kind of group the
// statistics treat differently sits next to the others -- centred near zero,
// a large offset (shifted sums, centred normalize), a misleading first four
// (the retry), a constant and a NaN (the exact path) -- at lengths around the
// 16-float steps and 256-float blocks of the summing loop, each checked
// against the float64 reference, in place too, on both builds.  Each strategy
// on its own, against the plain one: tests/strategies.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, loadBoth, random, TOL, instanceNorm64, layerNorm64 } from './helpers.js';

const LENGTHS = [65, 67, 127, 128, 129, 131, 768, 1003, 4099];

/** One group of `len` floats of the given kind. */
function group(kind, len, rand) {
  const g = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    const noise = rand() * 2 - 1;
    g[i] = kind === 'centred' ? noise
      : kind === 'offset' ? 1e6 + noise
      : kind === 'first-four' ? (i < 4 ? [-1, 1, -1, 1][i] : 5000 + noise) // pivot 0, then far off: retried
      : kind === 'constant' ? 1234.5
      : i === len >> 1 ? NaN : noise; // 'nan'
  }
  return g;
}

const KINDS = ['centred', 'offset', 'first-four', 'constant', 'nan', 'centred'];

function input(len, seed) {
  const rand = random(seed).uniform;
  const x = new Float32Array(KINDS.length * len);
  KINDS.forEach((kind, k) => x.set(group(kind, len, rand), k * len));
  return x;
}

const [[, simd], [, scalar]] = await loadBoth();

for (const [name, nl] of [['simd', simd], ['scalar', scalar]]) {
  test(`${name}: layerNorm over rows of mixed kinds, each row as the float64 reference`, () => {
    for (const len of LENGTHS) {
      const x = input(len, len);
      const shape = [KINDS.length, len];
      const got = nl.layerNorm({ data: x, shape }, len, { stats: true });
      const want = layerNorm64(x, shape, len);
      assertClose(got.data, want.data, TOL.output64, `${name} layerNorm [${shape}]`);
      assertClose(got.stats.mean, want.stats.mean, { abs: 1e-6, rel: 1e-6 }, `${name} layerNorm [${shape}] mean`);
      assertClose(got.stats.var, want.stats.var, { abs: 1e-12, rel: 1e-6 }, `${name} layerNorm [${shape}] var`);
    }
  });

  test(`${name}: layerNorm with weight (and bias) over rows of mixed kinds, as the float64 reference`, () => {
    for (const len of LENGTHS) {
      const x = input(len, 5 * len);
      const shape = [KINDS.length, len];
      const u = random(len).uniform;
      const weight = Float32Array.from({ length: len }, () => u() * 2 - 0.5);
      const bias = Float32Array.from({ length: len }, () => u() - 0.5);
      for (const o of [{ weight }, { weight, bias }]) {
        const got = nl.layerNorm({ data: x, shape }, len, o);
        const want = layerNorm64(x, shape, len, o);
        assertClose(got.data, want.data, { abs: 4e-6, rel: 1e-6 },
          `${name} layerNorm [${shape}] with weight${o.bias ? ' and bias' : ''}`);
      }
    }
  });

  test(`${name}: instanceNorm with weight and bias over planes of mixed kinds, as the float64 reference`, () => {
    for (const len of LENGTHS) {
      const x = input(len, 7 * len);
      const shape = [2, KINDS.length / 2, len];
      const weight = Float32Array.of(0.5, -2, 3);
      const bias = Float32Array.of(1, 0, -0.25);
      const got = nl.instanceNorm({ data: x, shape }, { weight, bias });
      const want = instanceNorm64(x, shape, { weight, bias });
      assertClose(got.data, want.data, { abs: 4e-6, rel: 1e-6 }, `${name} instanceNorm [${shape}]`);
    }
  });

  test(`${name}: in place (out === x) gives the same as into a separate tensor`, () => {
    for (const len of [129, 1003]) {
      const x = input(len, 3 * len);
      const shape = [1, KINDS.length, len];
      const want = layerNorm64(x, shape, len).data;
      const t = nl.tensor(shape, x);
      nl.layerNorm(t, len, { out: t });
      assertClose(t.data, want, TOL.output64, `${name} layerNorm in place [${shape}]`);
      t.data.set(x);
      nl.instanceNorm(t, { out: t });
      assertClose(t.data, instanceNorm64(x, shape).data, TOL.output64,
        `${name} instanceNorm in place [${shape}]`);
      t.free();
    }
  });

  test(`${name}: a row's result does not depend on its neighbours (pipelined vs one row)`, () => {
    for (const len of [67, 768, 4099]) {
      const x = input(len, 11 * len);
      const all = nl.layerNorm({ data: x, shape: [KINDS.length, len] }, len).data;
      for (let r = 0; r < KINDS.length; r++) {
        const one = nl.layerNorm({ data: x.subarray(r * len, (r + 1) * len), shape: [len] }, len).data;
        const slice = all.subarray(r * len, (r + 1) * len);
        for (let i = 0; i < len; i++) {
          assert.ok(Object.is(slice[i], one[i]), `${name} len ${len} row ${r} (${KINDS[r]}) index ${i}: ${slice[i]} vs ${one[i]}`);
        }
      }
    }
  });
}
