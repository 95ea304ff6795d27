// The one place tests import their tools from: both builds, the float64
// reference, the random generator, closeness checks, the PyTorch fixtures, and
// the mapping from a fixture record to a normlab call.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as normlab from '../src/normlab.js';
import { ARGUMENTS, callOp } from '../src/ops.js';
import { mulberry32, normals } from '../web/lab/rng.js';

// The float64 reference of every op, the one the page uses too. Two forms:
// over a layout (layerNormRef ... batchNormRef: x is (N, C, S) row-major,
// LayerNorm/RMSNorm take rows of n; they return { y, mean, var }), and called
// the way normlab's ops are (layerNorm64 ... batchNorm64: a shape,
// normalizedShape, numGroups; they return { data, stats, runningMean, runningVar }).
// The backward of each over a layout: layerNormBackwardRef ... batchNormBackwardRef
// (dy first, then the forward's layout arguments) -> { gradInput, gradWeight, gradBias }.
export {
  batchNormRef, groupNormRef, instanceNormRef, layerNormRef, rmsNormRef,
  batchNorm64, groupNorm64, instanceNorm64, layerNorm64, rmsNorm64,
  batchNormBackwardRef, groupNormBackwardRef, instanceNormBackwardRef, layerNormBackwardRef, rmsNormBackwardRef,
} from '../web/lab/reference64.js';
export { mulberry32, normals };

// ---------- both builds ----------

/** The committed wasm file of a build. */
export const wasmFile = (simd) => new URL(`../wasm/${simd ? 'normlab' : 'normlab-scalar'}.wasm`, import.meta.url);

/**
 * [['simd', instance], ['scalar', instance]]: every kernel test runs on both.
 * fresh: private instances made from the wasm files' bytes (their own heap and
 * tensors), instead of the shared ones loadNormlab gives.
 */
export async function loadBoth({ fresh = false } = {}) {
  const load = async (simd) => normlab.loadNormlab(fresh ? { simd, wasmBinary: await readFile(wasmFile(simd)) } : { simd });
  const simd = await load(true);
  const scalar = await load(false);
  // Node 20 validates SIMD128, so both builds must really be there
  assert.equal(simd.simd, true, 'loadNormlab({simd: true}) loaded the SIMD build');
  assert.equal(scalar.simd, false, 'loadNormlab({simd: false}) loaded the scalar build');
  return [['simd', simd], ['scalar', scalar]];
}

/**
 * Where the allocator puts the next 64-byte tensor: the same before and after a
 * call if, and only if, the call gave back all it took (emmalloc reuses the
 * freed chunk first).  Read from the tensor's data view: no API exposes it.
 */
export function nextAddress(nl) {
  const probe = nl.tensor([16]);
  const at = probe.data.byteOffset;
  probe.free();
  return at;
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

let gradFixtures = null;
/** tests/fixtures/grads.json (torch.autograd's gradients), written by tests/fixtures/make_fixtures.py. */
export function loadGradFixtures() {
  gradFixtures ??= JSON.parse(readFileSync(new URL('./fixtures/grads.json', import.meta.url), 'utf8'));
  return gradFixtures;
}

/** A fixture tensor {shape, data} as a normlab input. */
export const tensorOf = (t) => ({ shape: [...t.shape], data: f32(t.data) });

// ---------- closeness ----------

export const FLT_MAX = 3.4028234663852886e38;

/**
 * The one closeness rule: |actual - expected| <= tol; NaN must meet NaN and an
 * infinity the same infinity; a float32 result may round to an infinity of the
 * expected sign where expected + tol reaches past FLT_MAX.
 */
export function isClose(actual, expected, tol) {
  if (!Number.isFinite(expected)) return Object.is(actual, expected);
  if (Number.isNaN(actual)) return false;
  if (!Number.isFinite(actual)) return Math.sign(actual) === Math.sign(expected) && Math.abs(expected) + tol >= FLT_MAX;
  return Math.abs(actual - expected) <= tol;
}

/**
 * Assert isClose(actual[i], expected[i], max(abs, rel*|expected[i]|) + (slack?.[i] ?? 0))
 * for every i.  The failure message names the first bad index, the values and
 * how many failed.
 */
export function assertClose(actual, expected, { abs = 0, rel = 0, slack = null } = {}, label = '') {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length}, expected ${expected.length}`);
  let bad = 0;
  let first = '';
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const tol = Math.max(abs, rel * Math.abs(e)) + (slack ? slack[i] : 0);
    if (!isClose(a, e, tol) && bad++ === 0) {
      first = `index ${i}: got ${a}, expected ${e}` +
        (Number.isFinite(e) ? `, |diff| ${Math.abs(a - e).toExponential(3)} > tol ${tol.toExponential(3)}` : '');
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
  // against the float64 reference on small everyday inputs (API, errors, leaks, non-finite)
  ref64: { abs: 2e-6, rel: 2e-6 },
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

// The op table says which names are positional and which are options.
const ARRAYS = Object.keys(ARGUMENTS).filter((k) => ['param', 'running'].includes(ARGUMENTS[k].kind));
export { callOp };

/** Fixture args with the arrays as Float32Arrays (running stats are updated in place). */
export function argsOf(args) {
  const out = { ...args };
  for (const k of ARRAYS) if (Array.isArray(out[k])) out[k] = f32(out[k]);
  return out;
}

/** A fixture module (class, args, options) as the lab's spec. */
export function specOfModule({ cls, args, options }) {
  const d = Number(cls.match(/(\d)d$/)?.[1] ?? 0);
  const params = { eps: options.eps, affine: options.elementwiseAffine ?? options.affine, momentum: options.momentum,
    trackRunningStats: options.trackRunningStats };
  if (cls === 'LayerNorm' || cls === 'RMSNorm') {
    return { kind: cls === 'LayerNorm' ? 'layer_norm' : 'rms_norm', params: { ...params, normalizedShape: [args[0]].flat() } };
  }
  if (cls === 'GroupNorm') return { kind: 'group_norm', params: { ...params, numGroups: args[0] } };
  return { kind: cls.startsWith('Instance') ? 'instance_norm' : 'batch_norm', params: { ...params, dim: d } };
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

/**
 * A seeded stream of test data, drawn from the page's generator
 * (web/lab/rng.js: mulberry32 uniforms, Box-Muller normals).
 */
export function random(seed) {
  const uniform = mulberry32(seed);
  const int = (n) => Math.floor(uniform() * n);
  /** n N(0,1) float32 values, each call new ones. */
  const gauss = (n) => normals(n, int(2 ** 32));
  return {
    uniform,
    int,
    gauss,
    /** One element of list. */
    pick: (list) => list[int(list.length)],
    /** A tensor of N(0,1) values. */
    tensor: (shape) => ({ shape: [...shape], data: gauss(shape.reduce((a, b) => a * b, 1)) }),
    /** n values uniform in [lo, hi). */
    values: (n, lo, hi) => Float32Array.from({ length: n }, () => lo + (hi - lo) * uniform()),
  };
}

/** n N(0,1) float32 values, the same for the same (n, seed): fixed inputs. */
export const sample = (n, seed = 1) => normals(n, seed);
