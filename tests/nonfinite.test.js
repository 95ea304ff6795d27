// NaN and ±Infinity in the data propagate exactly as in PyTorch (semantics §6):
// a NaN/±Inf anywhere in a normalization group makes every output of that
// group NaN and leaves the other groups alone; BatchNorm/InstanceNorm running
// mean becomes ±Inf (NaN for a NaN) and running var NaN; RMSNorm (torch >= 2.4,
// x * rsqrt(mean(x^2) + eps) * w) turns the finite elements of an Inf row into 0
// and the Inf itself into NaN.  On both builds, with the bad value at the start,
// the middle and the SIMD tail of odd-length rows.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TOL, assertClose, batchNorm64, groupNorm64, instanceNorm64, layerNorm64, loadBoth, rmsNorm64, sample,
} from './helpers.js';

// Loaded before any suite starts: a describe() made while a test runs would nest inside it.
const builds = await loadBoth();
const BAD_VALUES = [NaN, Infinity, -Infinity];
const LENGTHS = [7, 19, 37]; // odd: SIMD loops of 4 (and unrolled 8/16) leave a tail of 3 or 5

/**
 * One case per op and row length n: a shape, which flat indices form the
 * group that gets the bad value (in group order), and the call on normlab and
 * on the float64 reference.  Groups are 1 of 3 rows / planes / channels.
 */
function opsFor(n) {
  const w = (k) => sample(k, 9);
  const b = (k) => sample(k, 10);
  const span = (start, len) => Array.from({ length: len }, (_, i) => start + i);
  return [
    {
      op: 'layerNorm', shape: [3, n], group: span(n, n),
      run: (nl, x) => nl.layerNorm(x, n, { weight: w(n), bias: b(n), stats: true }),
      ref: (x) => layerNorm64(x.data, x.shape, n, { weight: w(n), bias: b(n) }),
    },
    {
      op: 'rmsNorm', shape: [3, n], group: span(n, n), rms: true,
      run: (nl, x) => nl.rmsNorm(x, [n], { weight: w(n), stats: true }),
      ref: (x) => rmsNorm64(x.data, x.shape, n, { weight: w(n) }),
    },
    {
      // groups of 2 channels: group (0, 1) is channels 2 and 3 of sample 0
      op: 'groupNorm', shape: [2, 4, n], group: span(2 * n, 2 * n),
      run: (nl, x) => nl.groupNorm(x, 2, { weight: w(4), bias: b(4), stats: true }),
      ref: (x) => groupNorm64(x.data, x.shape, 2, { weight: w(4), bias: b(4) }),
    },
    {
      // plane (1, 1); running stats of channel 1 take the batch average
      op: 'instanceNorm', shape: [2, 3, n], group: span(4 * n, n), channel: 1,
      run: (nl, x, rm, rv) => nl.instanceNorm(x, { runningMean: rm, runningVar: rv, weight: w(3), stats: true }),
      ref: (x, rm, rv) => instanceNorm64(x.data, x.shape, { runningMean: rm, runningVar: rv, weight: w(3) }),
    },
    {
      // channel 1 of (3, 3, n): three spans of n, 3n apart
      op: 'batchNorm', shape: [3, 3, n], group: [n, 4 * n, 7 * n].flatMap((s) => span(s, n)), channel: 1,
      run: (nl, x, rm, rv) => nl.batchNorm(x, rm, rv, { training: true, weight: w(3), bias: b(3), stats: true }),
      ref: (x, rm, rv) => batchNorm64(x.data, x.shape, rm, rv, { training: true, weight: w(3), bias: b(3) }),
    },
  ];
}

/** Positions inside the group: the first element, the middle of a span (the second, if any), the last (a SIMD tail). */
const positions = (group, n) => [0, (group.length > n ? n : 0) + (n >> 1), group.length - 1];

/** Run on normlab and float64 with x, compare everything, and check the §6 rules. */
function check(nl, c, x, badAt, bad, label) {
  const running = () => (c.channel === undefined ? [] : [new Float32Array(3), new Float32Array([1, 1, 1])]);
  const [rm, rv] = running();
  const got = c.run(nl, x, rm, rv);
  const want = c.ref(x, ...running());
  assertClose(got.data, want.data, TOL.ref64, `${label}: output vs float64`);
  assertClose(got.stats.mean, want.stats.mean, TOL.ref64, `${label}: stats.mean vs float64`);
  assertClose(got.stats.var, want.stats.var, TOL.ref64, `${label}: stats.var vs float64`);
  // The rules themselves, stated without the reference:
  const inGroup = new Set(c.group);
  for (let i = 0; i < x.data.length; i++) {
    const y = got.data[i];
    if (!inGroup.has(i)) {
      assert.ok(Number.isFinite(y), `${label}: output ${i} outside the group must stay finite, got ${y}`);
    } else if (c.rms && !Number.isNaN(bad) && !badAt.has(i)) {
      assert.ok(y === 0, `${label}: RMSNorm element ${i} of an Inf row must be 0, got ${y}`);
    } else {
      assert.ok(Number.isNaN(y), `${label}: output ${i} of the group must be NaN, got ${y}`);
    }
  }
  if (rm) {
    const ch = c.channel;
    const mean = bad; // the mean is sum / n: +Inf for a +Inf, NaN for a NaN
    assert.ok(Object.is(rm[ch], mean), `${label}: runningMean[${ch}] must be ${mean}, got ${rm[ch]}`);
    assert.ok(Number.isNaN(rv[ch]), `${label}: runningVar[${ch}] must be NaN, got ${rv[ch]}`);
    assertClose(rm, want.runningMean, TOL.ref64, `${label}: runningMean vs float64`);
    assertClose(rv, want.runningVar, TOL.ref64, `${label}: runningVar vs float64`);
  }
}

for (const [build, nl] of builds) {
  describe(`${build}: NaN and ±Inf propagate as in torch`, () => {
    for (const n of LENGTHS) {
      for (const c of opsFor(n)) {
        const size = c.shape.reduce((a, b) => a * b, 1);
        test(`${c.op}, rows of ${n}: one NaN/+Inf/-Inf at the start, middle or tail of a group`, () => {
          for (const bad of BAD_VALUES) {
            for (const p of positions(c.group, n)) {
              const data = sample(size, n);
              assert.ok(p < c.group.length, `position ${p} lies inside the group`);
              data[c.group[p]] = bad;
              check(nl, c, { data, shape: c.shape }, new Set([c.group[p]]), bad, `${c.op} n=${n} ${bad} at ${p}`);
            }
          }
        });
        test(`${c.op}, rows of ${n}: a group entirely +Inf is NaN, the rest exact`, () => {
          const data = sample(size, n + 1);
          for (const i of c.group) data[i] = Infinity;
          // every element is an Inf: RMSNorm gives Inf * 0 = NaN throughout, as the others do
          check(nl, c, { data, shape: c.shape }, new Set(c.group), Infinity, `${c.op} n=${n} all +Inf`);
        });
      }
    }
  });
}

// With running statistics (BatchNorm eval, InstanceNorm useInputStats false) the
// normalization is elementwise: a NaN/±Inf spoils only its own output, which is
// (x - mean) * rstd * w + b: NaN, or an infinity with the sign of x * w.
for (const [build, nl] of builds) {
  describe(`${build}: NaN and ±Inf with running statistics stay where they are`, () => {
    const rm = [0.5, -1, 2], rv = [4, 0.25, 1], w = [1, -2, 0.5], b = [0, 1, -1];
    for (const n of LENGTHS) {
      const shape = [2, 3, n];
      const EVAL = [
        ['batchNorm eval', (x) => nl.batchNorm(x, rm, rv, { weight: w, bias: b }).data,
          (x) => batchNorm64(x.data, shape, rm, rv, { weight: w, bias: b }).data],
        ['instanceNorm with running stats', (x) => nl.instanceNorm(x, { runningMean: rm, runningVar: rv, useInputStats: false, weight: w, bias: b }).data,
          (x) => instanceNorm64(x.data, shape, { runningMean: rm, runningVar: rv, useInputStats: false, weight: w, bias: b }).data],
      ];
      for (const [what, run, ref] of EVAL) {
        test(`${what}, rows of ${n}`, () => {
          for (const bad of BAD_VALUES) {
            for (const at of [n, n + (n >> 1), 2 * n - 1, 5 * n + 2]) { // channel 1 (w < 0), channel 2 (w > 0)
              const x = { data: sample(6 * n, n), shape };
              x.data[at] = bad;
              const y = run(x);
              const c = Math.floor(at / n) % 3;
              const expected = Number.isNaN(bad) ? NaN : Math.sign(bad * w[c]) * Infinity;
              assert.ok(Object.is(y[at], expected), `${what}: ${bad} at ${at} gives ${y[at]}, expected ${expected}`);
              assertClose(y, ref(x), TOL.ref64, `${what}: ${bad} at ${at} vs float64`);
              assert.equal(y.filter((v) => !Number.isFinite(v)).length, 1, `${what}: only the element itself is spoiled`);
            }
          }
        });
      }
    }
  });
}
