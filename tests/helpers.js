// Shared test helpers: both builds, the PyTorch fixtures, closeness checks,
// and the mapping from a fixture record to a normlab call.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as normlab from '../src/normlab.js';

/** [['simd', instance], ['scalar', instance]]: every test runs on both builds. */
export async function loadBoth() {
  const simd = await normlab.loadNormlab({ simd: true });
  const scalar = await normlab.loadNormlab({ simd: false });
  // Node 20 validates SIMD128, so both builds must really be there
  assert.equal(simd.simd, true, 'loadNormlab({simd: true}) loaded the SIMD build');
  assert.equal(scalar.simd, false, 'loadNormlab({simd: false}) loaded the scalar build');
  return [['simd', simd], ['scalar', scalar]];
}

// ---------- fixtures ----------

const NON_FINITE = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Fixture numbers: JSON has no NaN or Infinity, so they are stored as strings. */
export const numbers = (list) => list.map((v) => (typeof v === 'string' ? NON_FINITE[v] : v));
export const f32 = (list) => Float32Array.from(numbers(list));

let fixtures = null;
/** tests/fixtures/pytorch.json, written by tests/fixtures/make_fixtures.py. */
export function loadFixtures() {
  fixtures ??= JSON.parse(readFileSync(new URL('./fixtures/pytorch.json', import.meta.url), 'utf8'));
  return fixtures;
}

/** A fixture tensor {shape, data} as a normlab input. */
export const tensorOf = (t) => ({ shape: [...t.shape], data: f32(t.data) });

// ---------- closeness ----------

/**
 * Assert |actual[i] - expected[i]| <= max(abs, rel*|expected[i]|) + (slack?.[i] ?? 0)
 * for every i; NaN must meet NaN and an infinity the same infinity.
 * The failure message names the first bad index, the values and how many failed.
 */
export function assertClose(actual, expected, { abs = 0, rel = 0, slack = null } = {}, label = '') {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length}, expected ${expected.length}`);
  let bad = 0;
  let first = '';
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const err = Math.abs(a - e);
    const tol = Math.max(abs, rel * Math.abs(e)) + (slack ? slack[i] : 0);
    // non-finite expected values must be matched exactly; err <= tol is false for a NaN
    const ok = Number.isFinite(e) ? err <= tol : Object.is(a, e);
    if (!ok && bad++ === 0) {
      first = `index ${i}: got ${a}, expected ${e}` +
        (Number.isFinite(e) ? `, |diff| ${err.toExponential(3)} > tol ${tol.toExponential(3)}` : '');
    }
  }
  assert.ok(bad === 0, `${label}: ${bad} of ${expected.length} values out of tolerance; first at ${first}`);
}

/** The largest |a[i] - b[i]| (NaN if any pair has a NaN). */
export function maxAbsDiff(a, b) {
  assert.equal(a.length, b.length, 'maxAbsDiff: lengths differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d;
  }
  return m;
}

/**
 * Tolerances against torch.  normlab aims at float32 rounding of the exact
 * result, so it is held tightly to torch float64.  torch float32 is itself off
 * by up to |mean| * rstd * 2^-24 (semantics §6/§8), so against it the allowed
 * error is 1e-4 plus torch float32's own distance from float64.
 */
export const TOL = {
  output64: { abs: 1e-6, rel: 1e-6 }, // measured worst: 2.1e-7 (both builds)
  output32: { abs: 1e-4, rel: 1e-4 },
  // running stats live in float32 buffers: each update rounds to float32, so
  // after cancellation the error is an ulp of the O(1) statistics mixed, not of
  // the (possibly small) result
  running64: { abs: 1e-7, rel: 1e-6 },
  running32: { abs: 1e-6, rel: 1e-5 },
};

/** Compare values with a fixture pair {f32, f64} of torch results. */
export function assertTorch(actual, pair, label, kind = 'output') {
  const e64 = numbers(pair.f64);
  const e32 = numbers(pair.f32);
  assertClose(actual, e64, TOL[`${kind}64`], `${label} vs torch float64`);
  const gap = e32.map((v, i) => (Number.isFinite(v) && Number.isFinite(e64[i]) ? Math.abs(v - e64[i]) : 0));
  assertClose(actual, e32, { ...TOL[`${kind}32`], slack: gap }, `${label} vs torch float32`);
}

// ---------- fixture records -> normlab calls ----------

const OPTION_NAMES = {
  layerNorm: ['weight', 'bias', 'eps'],
  rmsNorm: ['weight', 'eps'],
  groupNorm: ['weight', 'bias', 'eps'],
  instanceNorm: ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps'],
  batchNorm: ['weight', 'bias', 'training', 'momentum', 'eps'],
};
const ARRAYS = ['weight', 'bias', 'runningMean', 'runningVar'];

/** Fixture args with the arrays as Float32Arrays (running stats are updated in place). */
export function argsOf(args) {
  const out = { ...args };
  for (const k of ARRAYS) if (Array.isArray(out[k])) out[k] = f32(out[k]);
  return out;
}

/** Call op on normlab instance nl with (already converted) args, as the fixture's torch call did. */
export function callOp(nl, op, x, args, extra = {}) {
  const options = { ...extra };
  for (const k of OPTION_NAMES[op]) if (k in args) options[k] = args[k];
  switch (op) {
    case 'layerNorm': return nl.layerNorm(x, args.normalizedShape, options);
    case 'rmsNorm': return nl.rmsNorm(x, args.normalizedShape, options);
    case 'groupNorm': return nl.groupNorm(x, args.numGroups, options);
    case 'instanceNorm': return nl.instanceNorm(x, options);
    case 'batchNorm': return nl.batchNorm(x, args.runningMean ?? null, args.runningVar ?? null, options);
    default: throw new Error(`unknown op ${op}`);
  }
}

/** new normlab[cls](...args, options) on backend nl; fixture options use JS names already. */
export function makeModule(cls, args, options, nl) {
  const Class = normlab[cls];
  assert.equal(typeof Class, 'function', `src/normlab.js exports no class ${cls}`);
  return new Class(...args, { ...options, backend: nl });
}

/**
 * Assert fn throws a TypeError or RangeError whose message names one of
 * `names` and contains every string of `contains`; torch's own error is shown
 * on failure.
 */
export function assertThrowsLike(fn, { names, contains, torch }, label) {
  let error = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  const was = `torch: ${torch.type}: ${torch.message}`;
  assert.ok(error, `${label}: did not throw (${was})`);
  assert.ok(error instanceof TypeError || error instanceof RangeError,
    `${label}: threw ${error?.constructor?.name}: ${error?.message}, not a TypeError or RangeError (${was})`);
  assert.ok(names.some((n) => error.message.includes(n)),
    `${label}: message "${error.message}" names none of ${names.join(', ')} (${was})`);
  for (const s of contains) {
    assert.ok(error.message.includes(s), `${label}: message "${error.message}" lacks "${s}" (${was})`);
  }
}

// ---------- deterministic random data ----------

/** A seeded generator (mulberry32) of uniform and normal float32 data. */
export function random(seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const fill = (n, f) => Float32Array.from({ length: n }, f);
  return {
    uniform,
    normal,
    /** A tensor of N(0,1) values. */
    tensor: (shape) => ({ shape: [...shape], data: fill(shape.reduce((a, b) => a * b, 1), normal) }),
    /** n values uniform in [lo, hi). */
    values: (n, lo, hi) => fill(n, () => lo + (hi - lo) * uniform()),
  };
}
