// Training speed for the training lab (issue 16: at least 200 steps/s for the
// default network at batch size 32): one training step (forward, backward,
// Adam) of the race's default network, 2 -> 32 -> 32 -> 2 on its default
// dataset, for each normalization; and one step of the default race (all five
// models, each with its per-step test evaluation). Interleaved timing, as the
// kernels' benchmark (timing.js).
//
//   node bench/train.js           full run (~10 s), prints a markdown table
//   node bench/train.js --quick   short run
//   --clock=cpu                   time by the process's CPU time (a busy machine)
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { loadNormlab } from '../src/normlab.js';
import { BatchStream, gather } from '../src/train/data.js';
import { trainStep } from '../src/train/mlp.js';
import { Race, RACE_DEFAULTS } from '../src/train/race.js';
import { timeInterleaved } from './timing.js';

const BATCHES = 64; // distinct batches cycled through, drawn as the race draws them

/** A timed variant per normalization: one training step of that norm's model in the default race. */
function stepVariants(nl) {
  const race = new Race(nl, {});
  const { train } = race.dataset;
  const stream = new BatchStream(train.count, RACE_DEFAULTS.batchSize, race.seeds.batches);
  const batches = Array.from({ length: BATCHES }, () => gather(train, stream.take(), 0, RACE_DEFAULTS.batchSize));
  const variants = race.models.map(({ norm, model, optimizer }) => {
    let i = 0;
    return {
      id: norm,
      run() {
        const b = batches[i++ % BATCHES];
        trainStep(model, optimizer, b.x, b.y, RACE_DEFAULTS.batchSize);
      },
    };
  });
  // the whole race, reset before it ends so that every call is a step
  let whole = new Race(nl, {});
  variants.push({
    id: 'race step (all five, with evaluation)',
    run() {
      if (whole.done) whole = new Race(nl, {});
      whole.advance(1);
    },
  });
  return variants;
}

/** The markdown table of steps per second, and what it was measured on. */
export async function benchTraining(nl, { rounds = 15, sampleMs = 40, clock = 'wall' } = {}) {
  const variants = stepVariants(nl);
  const loadBefore = os.loadavg()[0];
  const stats = await timeInterleaved(variants, { rounds, sampleMs, clock });
  const rows = variants.map((v, i) => {
    const perStep = stats[i].median;
    return `| ${v.id} | ${(1000 / perStep).toFixed(0)} | ${(perStep * 1000).toFixed(0)} | ${(100 * stats[i].spread).toFixed(0)} % |`;
  });
  return [
    '### Training steps per second (bench/train.js)',
    '',
    `The race's default network (2 -> ${RACE_DEFAULTS.hidden.join(' -> ')} -> 2, ReLU, Adam) at batch size ` +
      `${RACE_DEFAULTS.batchSize}, ${nl.simd ? 'SIMD' : 'scalar'} build; target: at least 200 steps/s (issue 16).`,
    '',
    '| normalization | steps/s | µs per step | spread (IQR) |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}; ${rounds} ` +
      `interleaved rounds of ≥ ${sampleMs} ms, ${clock === 'cpu' ? 'CPU' : 'wall'} clock; load average (1 min) ` +
      `${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after.`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const clock = args.find((a) => a.startsWith('--clock='))?.slice(8) ?? 'wall';
  const nl = await loadNormlab();
  console.log(await benchTraining(nl, { clock, ...(quick ? { rounds: 3, sampleMs: 10 } : {}) }));
}
