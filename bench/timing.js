// Interleaved timing: every variant is calibrated to a batch of calls lasting
// about `sampleMs`, then the variants take turns, one batch each, for
// `rounds` rounds (starting with a different variant each round), so clock
// drift, thermal state and GC pressure fall on all of them alike.  The result
// per variant is the median over rounds of the time per call.

import { performance } from 'node:perf_hooks';

async function timeBatch(variant, reps) {
  const { run } = variant;
  const t0 = performance.now();
  if (variant.async) for (let i = 0; i < reps; i++) await run();
  else for (let i = 0; i < reps; i++) run();
  return (performance.now() - t0) / reps;
}

/** Smallest power-of-two batch lasting >= sampleMs; the doubling also warms up. */
async function calibrate(variant, sampleMs) {
  let reps = 1;
  for (;;) {
    const perCall = await timeBatch(variant, reps);
    if (perCall * reps >= sampleMs) return reps;
    reps = perCall > 0 ? Math.max(reps * 2, Math.ceil(sampleMs / perCall / 2)) : reps * 2;
  }
}

/** The q-quantile (0..1) of values, interpolating between neighbours. */
function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

/**
 * For each variant (same order as given): { median, spread }, the median
 * milliseconds per call and the interquartile range over rounds relative to
 * it (a measure of how much the machine's load moved the figure).
 */
export async function timeInterleaved(variants, { rounds, sampleMs }) {
  const reps = [];
  for (const v of variants) reps.push(await calibrate(v, sampleMs));
  const samples = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + r) % variants.length;
      samples[i].push(await timeBatch(variants[i], reps[i]));
    }
  }
  return samples.map((v) => {
    const median = quantile(v, 0.5);
    return { median, spread: (quantile(v, 0.75) - quantile(v, 0.25)) / median };
  });
}
