// Interleaved timing: every variant is calibrated to a batch of calls lasting
// about `sampleMs`, then the variants take turns, one batch each, for
// `rounds` rounds (starting with a different variant each round), so clock
// drift, thermal state and GC pressure fall on all of them alike.  The result
// per variant is the median over rounds of the time per call.
//
// Two clocks: 'wall' (performance.now) and 'cpu' (the process's user+system
// CPU time).  On a machine shared with other jobs the CPU clock leaves out
// the time the bench sat preempted, which otherwise inflates every figure.

import { performance } from 'node:perf_hooks';

const CLOCKS = {
  wall: () => performance.now(),
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e3;
  },
};

async function timeBatch(variant, reps, clock) {
  const { run } = variant;
  const now = CLOCKS[clock];
  const t0 = now();
  if (variant.async) for (let i = 0; i < reps; i++) await run();
  else for (let i = 0; i < reps; i++) run();
  return (now() - t0) / reps;
}

/** Smallest batch lasting >= sampleMs; the doubling also warms up. */
async function calibrate(variant, sampleMs, clock) {
  let reps = 1;
  for (;;) {
    const perCall = await timeBatch(variant, reps, clock);
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
export async function timeInterleaved(variants, { rounds, sampleMs, clock = 'wall' }) {
  if (!CLOCKS[clock]) throw new Error(`unknown clock ${clock}: use wall or cpu`);
  const reps = [];
  for (const v of variants) reps.push(await calibrate(v, sampleMs, clock));
  const samples = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + r) % variants.length;
      samples[i].push(await timeBatch(variants[i], reps[i], clock));
    }
  }
  return samples.map((v) => {
    const median = quantile(v, 0.5);
    return { median, spread: (quantile(v, 0.75) - quantile(v, 0.25)) / median };
  });
}
