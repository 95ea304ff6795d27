// Short groups (4 to 64 floats) through the ops, as the API calls them: the
// SIMD build takes them four at a time (the four_groups strategy of
// src/strategies.c; their statistics nl_statistic_of_fours in src/stats.c),
// first unshifted, which it trusts only while each group's mean lies within
// one standard deviation of zero; four groups that fail are summed again with
// per-group pivots, and the rest of the run stays shifted.  These tests lay
// out fours that take each of those turns -- centred, off-centre (mean 3.5
// std from zero), centred fours after an off-centre one, a large offset, a
// constant and a NaN (the exact path), values whose squares overflow or
// underflow float32 -- plus a tail of groups that is not a whole four, and
// check every group against the float64 reference, on both builds, through
// LayerNorm, InstanceNorm and RMSNorm (with and without weight) and
// GroupNorm.  Each strategy on its own: tests/strategies.test.js.
import { test } from 'node:test';
import { assertClose, loadBoth, random, TOL, groupNorm64, instanceNorm64, layerNorm64, rmsNorm64 } from './helpers.js';

const LENGTHS = [4, 5, 7, 16, 49, 63, 64];

const KIND_VALUE = {
  centred: (u) => u * 2 - 1,
  'off-centre': (u) => u + 0.5, // mean 1, std 0.29: 3.5 std from zero
  offset: (u) => 1e6 + u * 2 - 1,
  constant: () => 1234.5,
  huge: (u) => 1e20 * (u * 2 - 1), // squares overflow float32: the exact path
  tiny: (u) => 1e-25 * (u * 2 - 1), // squares underflow float32: the exact path
};

// Quads: all centred; one off-centre among centred (the unshifted verdict
// fails, the quad is redone shifted); centred again (still shifted); every
// hard case; then two groups outside any quad.
const KINDS = [
  'centred', 'centred', 'centred', 'centred',
  'centred', 'centred', 'off-centre', 'centred',
  'centred', 'centred', 'centred', 'centred',
  'offset', 'constant', 'nan', 'off-centre',
  'huge', 'tiny', 'centred', 'centred',
  'off-centre', 'centred',
];

function input(len, seed) {
  const u = random(seed).uniform;
  const x = new Float32Array(KINDS.length * len);
  KINDS.forEach((kind, k) => {
    for (let i = 0; i < len; i++) {
      x[k * len + i] = kind === 'nan' ? (i === len >> 1 ? NaN : u()) : KIND_VALUE[kind](u());
    }
  });
  return x;
}

/** A run of quads that are all off-centre: the shifted quads on their own. */
function offCentre(len, seed) {
  const u = random(seed).uniform;
  return Float32Array.from({ length: 8 * len }, () => u() + 3);
}

const STATS_TOL = { mean: { abs: 1e-6, rel: 1e-6 }, var: { abs: 1e-12, rel: 1e-6 } };

const [[, simd], [, scalar]] = await loadBoth();

for (const [name, nl] of [['simd', simd], ['scalar', scalar]]) {
  test(`${name}: layerNorm over short rows in mixed quads, each row as the float64 reference`, () => {
    for (const len of LENGTHS) {
      for (const x of [input(len, len), offCentre(len, 3 * len)]) {
        const shape = [x.length / len, len];
        const got = nl.layerNorm({ data: x, shape }, len, { stats: true });
        const want = layerNorm64(x, shape, len);
        const label = `${name} layerNorm [${shape}]`;
        assertClose(got.data, want.data, TOL.output64, label);
        assertClose(got.stats.mean, want.stats.mean, STATS_TOL.mean, `${label} mean`);
        assertClose(got.stats.var, want.stats.var, STATS_TOL.var, `${label} var`);
      }
    }
  });

  test(`${name}: layerNorm with weight and bias over short rows in mixed quads`, () => {
    for (const len of LENGTHS) {
      const x = input(len, 5 * len);
      const shape = [KINDS.length, len];
      const u = random(len).uniform;
      const weight = Float32Array.from({ length: len }, () => u() + 0.5);
      const bias = Float32Array.from({ length: len }, () => u() - 0.5);
      const got = nl.layerNorm({ data: x, shape }, len, { weight, bias });
      const want = layerNorm64(x, shape, len, { weight, bias });
      assertClose(got.data, want.data, { abs: 2e-6, rel: 1e-6 }, `${name} layerNorm affine [${shape}]`);
    }
  });

  test(`${name}: rmsNorm, with and without weight, over short rows in mixed quads`, () => {
    for (const len of LENGTHS) {
      const x = input(len, 7 * len);
      const shape = [KINDS.length, len];
      const u = random(3 * len).uniform;
      const weight = Float32Array.from({ length: len }, () => u() + 0.5);
      for (const o of [{}, { weight }]) {
        const got = nl.rmsNorm({ data: x, shape }, len, { ...o, stats: true });
        const want = rmsNorm64(x, shape, len, o);
        const label = `${name} rmsNorm [${shape}]${o.weight ? ' with weight' : ''}`;
        assertClose(got.data, want.data, { abs: 2e-6, rel: 1e-6 }, label);
        assertClose(got.stats.var, want.stats.var, STATS_TOL.var, `${label} mean square`);
      }
    }
  });

  test(`${name}: instanceNorm and groupNorm over short planes and groups in mixed quads`, () => {
    for (const len of LENGTHS) {
      const x = input(len, 9 * len);
      const shape = [2, KINDS.length / 2, len];
      const got = nl.instanceNorm({ data: x, shape }, { stats: true });
      const want = instanceNorm64(x, shape);
      assertClose(got.data, want.data, TOL.output64, `${name} instanceNorm [${shape}]`);
      assertClose(got.stats.var, want.stats.var, STATS_TOL.var, `${name} instanceNorm [${shape}] var`);
      // Per-channel weight and bias: the op's affine applied four planes at a time.
      const u = random(len).uniform;
      const C = shape[1];
      const weight = Float32Array.from({ length: C }, () => u() + 0.5);
      const bias = Float32Array.from({ length: C }, () => u() - 0.5);
      const a = nl.instanceNorm({ data: x, shape }, { weight, bias, stats: true });
      const wantA = instanceNorm64(x, shape, { weight, bias });
      assertClose(a.data, wantA.data, { abs: 2e-6, rel: 1e-6 }, `${name} instanceNorm affine [${shape}]`);
      assertClose(a.stats.mean, wantA.stats.mean, STATS_TOL.mean, `${name} instanceNorm affine [${shape}] mean`);
      // GroupNorm with one channel per group: the same groups, as GroupNorm lays them out.
      const g = nl.groupNorm({ data: x, shape }, KINDS.length / 2);
      assertClose(g.data, groupNorm64(x, shape, KINDS.length / 2).data, TOL.output64,
        `${name} groupNorm [${shape}]`);
    }
  });
}
