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

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median milliseconds per call for each variant (same order as given). */
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
  return samples.map(median);
}
