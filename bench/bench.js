// npm run bench: normlab (SIMD array API, SIMD in-memory, scalar) against
// plain JS, onnxruntime-web (wasm, one thread) and two bandwidth bounds, on
// the shapes of issue 4, in one interleaved run; then the backward passes
// (issue 15: normlab in memory and through the array API against plain JS and
// a bandwidth bound) on the same shapes and BatchNorm's.  Prints a markdown
// report and writes it to bench/results.md.
//
//   node bench/bench.js            full run (~1.5 minutes), writes bench/results.md
//   node bench/bench.js --quick    short smoke run (does not write results.md)
//   node bench/bench.js --check    only check that all variants agree (exit 1 if not)
//   --only=<text>                  only the shapes whose label contains <text> (backward
//                                  shapes are labelled "<op> [shape] backward")
//   --affine                       random weight and bias on every op (default: none,
//                                  as the issue's `nl.layerNorm(x, [768], {out: y})`);
//                                  writes bench/results-affine.md
//   --clock=cpu                    time by the process's CPU time instead of the
//                                  wall clock (for a machine busy with other jobs)
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { loadNormlab } from '../src/normlab.js';
import { BACKWARD_CASES, CASES } from './ops.js';
import { buildBackwardVariants, buildVariants, caseData, gradOutputOf } from './variants.js';
import { loadBound } from './bound.js';
import { timeInterleaved } from './timing.js';
import { renderBackwardReport, renderReport } from './report.js';
import { benchTraining } from './train.js';
import { loadTfjs } from './tfjs.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const checkOnly = args.includes('--check');
const only = args.find((a) => a.startsWith('--only='))?.slice(7);
const affine = args.includes('--affine');
const clock = args.find((a) => a.startsWith('--clock='))?.slice(8) ?? 'wall';
const settings = { clock, ...(quick ? { rounds: 3, sampleMs: 4 } : { rounds: 31, sampleMs: 20 }) };

// Largest |a - b|; Infinity when the lengths differ or any difference is NaN.
function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > max || Number.isNaN(d)) max = Number.isNaN(d) ? Infinity : d;
  }
  return max;
}

// normlab's statistics are float64 like plain JS's; ORT accumulates in float32.
const TOLERANCE = { ort: 1e-3, default: 1e-5 };

async function loadOrt() {
  try {
    const ort = await import('onnxruntime-web');
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    return { ort, version: ort.env.versions.web };
  } catch (e) {
    console.error(`onnxruntime-web not available (${e.message.split('\n')[0]}); run npm install. Skipping it.`);
    return { ort: null, version: 'not installed' };
  }
}

/** Runs every variant once and compares it with plain JS (by `diff`); returns diffs and errors. */
async function check(variants, reference, diff = maxAbsDiff) {
  const diffs = {};
  const errors = {};
  for (const v of variants) {
    if (!v.output || v.id === 'plain') continue;
    try {
      await v.run();
      diffs[v.id] = diff(v.output(), reference);
      if (!(diffs[v.id] <= (TOLERANCE[v.id] ?? TOLERANCE.default))) {
        errors[v.id] = `WRONG (max |diff| ${diffs[v.id]})`;
      }
    } catch (e) {
      errors[v.id] = `ERROR: ${e.message.split('\n')[0]}`;
    }
  }
  return { diffs, errors };
}

/** The result of case c: the variants that passed the check, timed interleaved (none with --check). */
async function checkAndTime(c, variants, { diffs, errors }) {
  const timed = checkOnly ? [] : variants.filter((v) => !errors[v.id]);
  const stats = await timeInterleaved(timed, settings);
  const times = Object.fromEntries(timed.map((v, i) => [v.id, stats[i].median]));
  const spreads = Object.fromEntries(timed.map((v, i) => [v.id, stats[i].spread]));
  return { c, times, spreads, diffs, errors };
}

async function benchCase(c, engines) {
  const data = caseData(c, affine);
  const reference = new Float32Array(c.size);
  c.plain(data.x, reference, data.w, data.b);
  let ortSession = null;
  if (engines.ort) {
    ortSession = await engines.ort.InferenceSession.create(c.onnx(data.ortW, data.ortB), { executionProviders: ['wasm'] });
  }
  const variants = buildVariants(c, { ...engines, ortSession }, data);
  try {
    return await checkAndTime(c, variants, await check(variants, reference));
  } finally {
    variants.forEach((v) => v.dispose?.());
    await ortSession?.release();
  }
}

/** |a - b| ≤ 1e-5 · max(1, max |ref|) per gradient: the scale of each gradient, as issue 15 measures. */
function gradientDiff(got, ref) {
  let worst = 0;
  for (const name of Object.keys(ref)) {
    if ((got[name] === null) !== (ref[name] === null)) return Infinity;
    if (ref[name] === null) continue;
    let scale = 1;
    for (const v of ref[name]) scale = Math.max(scale, Math.abs(v));
    worst = Math.max(worst, maxAbsDiff(got[name], ref[name]) / scale);
  }
  return worst;
}

// The array API runs large Float32Array calls in blocks (src/api.js): it must give the bits of the
// in-memory call, which runs in one piece.
const SAME_BITS = { array: 'recomputed', arraySaved: 'memory' };

/** Backward variants whose gradients are not bit for bit those of their SAME_BITS variant: id -> message. */
function bitMismatches(variants) {
  const output = (id) => variants.find((v) => v.id === id).output();
  const errors = {};
  for (const [id, other] of Object.entries(SAME_BITS)) {
    const [a, b] = [output(id), output(other)];
    const same = Object.keys(b).every((k) => (a[k] === null ? b[k] === null
      : a[k].length === b[k].length && a[k].every((v, i) => Object.is(v, b[k][i]))));
    if (!same) errors[id] = `WRONG (not the same bits as ${other})`;
  }
  return errors;
}

/** The backward variants of case c: checked against plain JS (and SAME_BITS), then timed. */
async function benchBackwardCase(c, engines) {
  const data = caseData(c, affine);
  const variants = buildBackwardVariants(c, engines, data, gradOutputOf(c));
  try {
    const plainVariant = variants.find((v) => v.id === 'plain');
    plainVariant.run();
    const checked = await check(variants, plainVariant.output(), gradientDiff);
    if (!Object.keys(checked.errors).length) Object.assign(checked.errors, bitMismatches(variants));
    return await checkAndTime(c, variants, checked);
  } finally {
    variants.forEach((v) => v.dispose?.());
  }
}

async function main() {
  const [nl, nlScalar, bound, { ort, version }, tfjs] = await Promise.all([
    loadNormlab(), loadNormlab({ simd: false }), loadBound(), loadOrt(), loadTfjs(),
  ]);
  if (!nl.simd) console.error('warning: the SIMD build did not load; "SIMD" figures are scalar');
  if (!tfjs.tf) console.error(`tfjs-wasm skipped: ${tfjs.reason}`);
  const engines = { nl, nlScalar, bound, ort, tf: tfjs.tf };
  const cases = CASES.filter((c) => !only || c.label.includes(only));
  const results = [];
  const started = Date.now();
  const loadBefore = os.loadavg()[0];
  if (clock === 'wall' && loadBefore > os.cpus().length) {
    console.error(`note: load average ${loadBefore.toFixed(1)} on ${os.cpus().length} cores; ` +
      'wall-clock figures will be inflated (--clock=cpu leaves out time spent preempted)');
  }
  for (const c of cases) {
    const r = await benchCase(c, engines);
    const diffs = Object.entries(r.diffs).map(([id, d]) => `${id} ${d.toExponential(1)}`).join(', ');
    console.error(`${c.label}: max |diff| vs plain JS: ${diffs}${Object.keys(r.errors).length ? ` FAILED: ${JSON.stringify(r.errors)}` : ''}`);
    results.push(r);
  }
  const backward = [];
  for (const c of BACKWARD_CASES.filter((b) => !only || b.label.includes(only))) {
    const r = await benchBackwardCase(c, engines);
    const diffs = Object.entries(r.diffs).map(([id, d]) => `${id} ${d.toExponential(1)}`).join(', ');
    console.error(`${c.label}: max |diff| vs plain JS (of each gradient's scale): ${diffs}` +
      `${Object.keys(r.errors).length ? ` FAILED: ${JSON.stringify(r.errors)}` : ''}`);
    backward.push(r);
  }
  const failed = [...results, ...backward].some((r) => Object.keys(r.errors).length);
  if (checkOnly) {
    console.log(failed ? 'check FAILED'
      : `check passed: all variants agree on ${results.length} shapes and ${backward.length} backward shapes`);
    process.exitCode = failed ? 1 : 0;
    return;
  }
  const machine = {
    node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`, ort: version,
    tfjs: tfjs.tf ? tfjs.version : `not measured: ${tfjs.reason}`,
    settings: `${settings.rounds} interleaved rounds of ≥ ${settings.sampleMs} ms batches per variant, ` +
      `timed by the ${clock === 'cpu' ? "process's CPU time (user + system)" : 'wall clock'}; ` +
      `whole run ${((Date.now() - started) / 1000).toFixed(0)} s; load average (1 min) ` +
      `${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after.`,
  };
  const training = only ? '' : '\n\n' + await benchTraining(nl, { clock, ...(quick ? { rounds: 3, sampleMs: 10 } : {}) });
  const report = [results.length && renderReport(results, machine, affine),
    backward.length && renderBackwardReport(backward, machine, affine)].filter(Boolean).join('\n') + training;
  console.log(report);
  if (!quick && !only) writeFileSync(new URL(affine ? './results-affine.md' : './results.md', import.meta.url), report);
  process.exitCode = failed ? 1 : 0;
}

await main();
