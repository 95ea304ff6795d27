// Every visiting strategy of src/strategies.inc on both wasm builds, through
// the export nl_normalize_groups_with (src/normlab.h): on every statistic and
// affine, at lengths around each vector (4), unroll (8, 16), chunk (64, 128)
// and sum-block (256) step and group counts around the four-group step, on
// groups of every kind the statistics treat differently side by side.
//   - stats bit for bit those of the plain strategy, except where the
//     four-wide statistic of short groups sums in another order (SIMD build);
//     there within 1e-5 of the float64 variance;
//   - y bit for bit the plain strategy's wherever the stats are, and within
//     tolerance of the float64 reference everywhere.
// tests/c/test_strategies.c checks the same natively under the sanitizers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertClose, groupNormRef, layerNormRef, random, rmsNormRef, wasmFile } from './helpers.js';

const STRATEGIES = [...readFileSync(new URL('../src/strategies.inc', import.meta.url), 'utf8')
  .matchAll(/^NL_STRATEGY\(\w+, "(\w+)"/gm)].map((m) => m[1]);
const SHORT_SPAN = 64; // src/groups.h NL_SHORT_SPAN
const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 48, 49, 63, 64, 65, 127, 128, 129, 255, 256, 257, 513, 1003, 4097];
const GROUPS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 66];
const EPS = 1e-5;

// One group of each kind, in turn: centred, off-centre, a large offset, a
// misleading first four (the pivot retried), a constant and a NaN (the exact
// path), squares that overflow and underflow float32, a mean within one
// standard deviation of zero.
const KINDS = [
  (u) => u * 2 - 1, (u) => u + 3, (u) => 1e6 + 0.2 * u - 0.1,
  (u, i) => (i < 4 ? [-1, 1, -1, 1][i] : 5000 + u), () => 1234.5,
  (u, i, len) => (i === len >> 1 ? NaN : u), (u) => 1e20 * (u * 2 - 1), (u) => 1e-25 * (u * 2 - 1), (u) => u,
];

const AFFINES = ['none', 'w', 'w+b', 'per channel', 'per channel, 2 planes'];

async function instantiate(simd) {
  const module = await WebAssembly.compile(readFileSync(wasmFile(simd)));
  const env = Object.fromEntries(WebAssembly.Module.imports(module).map((i) => [i.name, () => {}]));
  const { exports } = await WebAssembly.instantiate(module, { env });
  exports._initialize?.();
  return exports;
}

const sameBits = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

for (const simd of [true, false]) {
  const build = simd ? 'simd' : 'scalar';
  test(`${build}: every strategy against the plain one and float64`, async () => {
    const k = await instantiate(simd);
    assert.equal(k.nl_build_simd(), simd ? 1 : 0);
    assert.equal(k.nl_normalize_groups_with(STRATEGIES.length, 0, 0, 0, 1, 4, 0, 0, 0, 0, EPS, 0), -1,
      'one strategy more than strategies.inc lists does not exist');
    const ran = STRATEGIES.map(() => 0);
    const rand = random(7).uniform;
    for (const statistic of [0, 1]) {
      for (const affine of AFFINES) {
        if (statistic === 1 && affine !== 'none' && affine !== 'w') continue; // RMSNorm's affines
        for (const len of LENGTHS) {
          for (const groups of GROUPS) {
            const planes = affine.endsWith('2 planes') ? 2 : 1;
            const perChannel = affine.startsWith('per channel');
            if (len * groups > 70000 || (perChannel && groups % 3) || len % planes) continue;
            const n = len * groups, channels = 3 * planes, plane = len / planes;
            const x = Float32Array.from({ length: n }, (_, i) => KINDS[Math.floor(i / len) % KINDS.length](rand(), i % len, len));
            const np = perChannel ? channels : len;
            const w = affine === 'none' ? null : Float32Array.from({ length: np }, () => 0.5 + rand());
            const b = affine === 'w+b' || perChannel ? Float32Array.from({ length: np }, () => rand() - 0.5) : null;
            const ref = statistic ? rmsNormRef(x, groups, len, { weight: w, eps: EPS })
              : perChannel ? groupNormRef(x, [groups / 3, channels, plane], 3, { weight: w, bias: b, eps: EPS })
                : layerNormRef(x, groups, len, { weight: w, bias: b, eps: EPS });
            const f32 = (a) => { const p = k.malloc(Math.max(a?.length ?? 0, 1) * 4); if (a) new Float32Array(k.memory.buffer, p, a.length).set(a); return p; };
            const px = f32(x), py = f32(new Float32Array(n)), pw = w ? f32(w) : 0, pb = b ? f32(b) : 0;
            const ps = k.malloc(16 * groups);
            const call = (s) => {
              const r = k.nl_normalize_groups_with(s, statistic, px, py, groups, len, pw, pb,
                perChannel ? channels : 0, plane, EPS, ps);
              return r === 1 && { y: new Float32Array(k.memory.buffer, py, n).slice(), stats: new Float64Array(k.memory.buffer, ps, 2 * groups).slice() };
            };
            const plain = call(0);
            assert.ok(plain, 'the plain strategy applies to every layout');
            STRATEGIES.forEach((name, s) => {
              const got = s === 0 ? plain : call(s);
              if (!got) return;
              ran[s]++;
              const label = `${build} ${name}, ${statistic ? 'mean square' : 'moments'}, ${groups} groups of ${len}, affine ${affine}`;
              const fourWide = simd && len >= 4 && len <= SHORT_SPAN &&
                (name === 'four_groups' || (name === 'chunks' && statistic === 0));
              for (let g = 0; g < groups; g++) {
                const own = fourWide && g < Math.floor(groups / 4) * 4;
                const [mean, v] = [got.stats[2 * g], got.stats[2 * g + 1]];
                if (!own) {
                  assert.ok(sameBits(mean, plain.stats[2 * g]) && sameBits(v, plain.stats[2 * g + 1]), `${label}: group ${g}'s stats are the plain strategy's`);
                  for (let i = g * len; i < (g + 1) * len; i++) {
                    if (!sameBits(got.y[i], plain.y[i])) assert.fail(`${label}: y[${i}] = ${got.y[i]}, the plain strategy's ${plain.y[i]}`);
                  }
                } else if (Number.isFinite(ref.var[g])) {
                  assertClose([v], [ref.var[g]], { rel: 1e-5 }, `${label}: group ${g}'s four-wide variance`);
                }
                const tol = own ? { abs: 2e-5, rel: 1e-5 } : { abs: 4e-6, rel: 2e-6 }; // rel: up to 1.3e-6 on the misleading first four
                assertClose(got.y.subarray(g * len, (g + 1) * len), ref.y.subarray(g * len, (g + 1) * len), tol, `${label}: group ${g} vs float64`);
              }
            });
            for (const p of [px, py, pw, pb, ps]) if (p) k.free(p);
          }
        }
      }
    }
    STRATEGIES.forEach((name, s) => {
      if (name === 'four_groups' && !simd) assert.equal(ran[s], 0, 'four_groups is SIMD only');
      else assert.ok(ran[s] > 100, `${build}: ${name} ran on ${ran[s]} layouts`);
    });
  });
}
