// The training lab's race, sweep and scheduler (src/train/race.js): the same
// seeds give the same curves, however the run is sliced or paused; every
// model starts from the same weights and sees the same batches; the default
// race learns; the sweep's plan and results; bad settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchStream, gather } from '../src/train/data.js';
import { MLP, trainStep } from '../src/train/mlp.js';
import { Adam } from '../src/train/optim.js';
import {
  checkRaceSettings, evaluate, NORM_CHOICES, Race, RACE_DEFAULTS, runSliced, Sweep,
} from '../src/train/race.js';
import { loadBoth } from './helpers.js';

const [[, nl], [, scalar]] = await loadBoth();
const SHORT = { steps: 12, count: 80, batchSize: 8, hidden: [16, 16] };

test('the defaults are the contract\'s, and every normalization is a choice', () => {
  assert.deepEqual(checkRaceSettings({}), { ...RACE_DEFAULTS });
  assert.deepEqual(NORM_CHOICES, ['none', 'batch_norm', 'layer_norm', 'group_norm', 'rms_norm']);
  assert.deepEqual(RACE_DEFAULTS.norms, NORM_CHOICES);
});

test('same settings, same curves (on either build); another seed, other curves', () => {
  const a = new Race(nl, SHORT);
  const b = new Race(scalar, SHORT);
  assert.equal(a.advance(100), SHORT.steps, 'advance stops at the race\'s length');
  b.advance(SHORT.steps);
  assert.ok(a.done && b.done);
  assert.deepEqual(a.history.steps, Array.from({ length: SHORT.steps }, (_, i) => i + 1));
  // the two builds' kernels agree to float32 rounding, not bit for bit: same curves within 1e-5
  for (const [m, h] of a.history.models.entries()) {
    const o = b.history.models[m];
    assert.equal(h.norm, o.norm);
    h.trainLoss.forEach((v, i) => assert.ok(Math.abs(v - o.trainLoss[i]) <= 1e-5 * v, `${h.norm} step ${i + 1}`));
  }
  const again = new Race(nl, SHORT);
  again.advance(SHORT.steps);
  assert.deepEqual(again.history, a.history, 'same build, same seed: the same history, bit for bit');
  const other = new Race(nl, { ...SHORT, seed: 2 });
  other.advance(SHORT.steps);
  assert.notDeepEqual(other.history.models[0].trainLoss, a.history.models[0].trainLoss);
});

test('every model starts from the same Linear weights, its normalization at torch\'s init', () => {
  const race = new Race(nl, SHORT);
  const first = race.models[0].model.linears;
  for (const { norm, model } of race.models) {
    model.linears.forEach((l, i) => {
      assert.deepEqual(l.weight, first[i].weight, `${norm} linear${i}.weight`);
      assert.deepEqual(l.bias, first[i].bias, `${norm} linear${i}.bias`);
    });
    for (const layer of model.norms) {
      for (const [k, p] of layer.params.entries()) {
        assert.ok(p.every((v) => v === (layer.paramNames[k] === 'weight' ? 1 : 0)), `${norm} ${layer.paramNames[k]}`);
      }
      if (norm === 'batch_norm') {
        assert.ok(layer.buffers.running_mean.every((v) => v === 0) && layer.buffers.running_var.every((v) => v === 1));
      }
    }
  }
  assert.notDeepEqual(first[0].weight, new Race(nl, { ...SHORT, seed: 2 }).models[0].model.linears[0].weight);
});

test('each model\'s curves are the same whatever else races: the same batches, no shared state', () => {
  const all = new Race(nl, SHORT);
  all.advance(SHORT.steps);
  for (const h of all.history.models) {
    const alone = new Race(nl, { ...SHORT, norms: [h.norm] });
    alone.advance(SHORT.steps);
    assert.deepEqual(alone.history.models[0], h, `${h.norm} alone`);
  }
});

test('the race trains as a plain loop would: its batch stream, trainStep, Adam; its records are what they say', () => {
  const race = new Race(nl, { ...SHORT, norms: ['batch_norm'] });
  race.advance(SHORT.steps);
  const { train, test } = race.dataset;
  const model = new MLP({ sizes: [2, 16, 16, 2], norm: 'batch_norm', normArgs: { nl }, seed: race.seeds.init });
  const optimizer = new Adam(model.parameters(), { lr: RACE_DEFAULTS.lr });
  const stream = new BatchStream(train.count, SHORT.batchSize, race.seeds.batches);
  const losses = [];
  for (let s = 0; s < SHORT.steps; s++) {
    const batch = gather(train, stream.take(), 0, SHORT.batchSize);
    losses.push(trainStep(model, optimizer, batch.x, batch.y, SHORT.batchSize));
  }
  const h = race.history.models[0];
  assert.deepEqual(h.trainLoss, losses);
  const l2 = (a) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
  model.linears.forEach((l, i) => assert.equal(h.gradNorms[`linear${i}`].at(-1), l2(l.gradWeight), `linear${i}`));
  assert.deepEqual(Object.keys(h.gradNorms), ['linear0', 'linear1', 'linear2']);
  // eval mode on running statistics, and train-mode batch statistics that leave them alone
  const running = Float32Array.from(model.norms[0].buffers.running_mean);
  assert.equal(h.testAcc.at(-1), evaluate(model, test).accuracy);
  assert.equal(h.testAccTrainStats.at(-1), evaluate(model, test, { training: true, updateRunningStats: false }).accuracy);
  assert.deepEqual(model.norms[0].buffers.running_mean, running, 'the train-stats evaluation left the running mean alone');
  assert.deepEqual(race.models[0].model.norms[0].buffers.running_mean, running, 'the race\'s running statistics are the loop\'s');
  assert.equal(new Race(nl, { ...SHORT, norms: ['layer_norm'] }).history.models[0].testAccTrainStats, null);
});

test('advance in any pieces, or a part (one model) at a time, gives the history of one uninterrupted run; reset starts over', () => {
  const whole = new Race(nl, SHORT);
  whole.advance(SHORT.steps);
  const pieces = new Race(nl, SHORT);
  for (const k of [0, 1, 3, 2, 5, 7]) pieces.advance(k);
  assert.deepEqual(pieces.history, whole.history);
  const parts = new Race(nl, SHORT);
  assert.equal(parts.advancePart(), 1);
  assert.deepEqual([parts.step, parts.part, parts.history.models[0].trainLoss], [0, 1, []], 'no half step in the history');
  assert.equal(parts.advance(1), 1, 'advance finishes the step begun');
  assert.deepEqual([parts.step, parts.part], [1, 0]);
  while (parts.advancePart() === 1);
  assert.deepEqual(parts.history, whole.history);
  assert.equal(pieces.advance(5), 0, 'nothing after the end');
  pieces.reset();
  assert.equal(pieces.step, 0);
  assert.deepEqual(pieces.history.steps, []);
  pieces.advance(SHORT.steps);
  assert.deepEqual(pieces.history, whole.history, 'after reset: the same run again');
});

test('runSliced: sliced, paused and resumed, the same history as an uninterrupted run', async () => {
  const settings = { ...SHORT, steps: 40 };
  const whole = new Race(nl, settings);
  whole.advance(settings.steps);

  const race = new Race(nl, settings);
  const seen = [];
  let run = null;
  let paused = false;
  run = runSliced(race, {
    budgetMs: 1,
    onSlice(task) {
      seen.push(task.step);
      const { steps, models } = task.history;
      assert.ok(models.every((h) => h.trainLoss.length === steps.length && h.testAcc.length === steps.length),
        'between slices the history holds whole steps');
      if (!paused && task.step >= 10) {
        paused = true;
        run.pause();
        assert.equal(run.running, false);
        setTimeout(() => run.resume(), 20);
      }
    },
  });
  assert.equal(run.running, true);
  assert.equal(await run.done, 'done');
  assert.ok(paused, 'it was paused');
  assert.ok(seen.length > 1, `more than one slice (${seen.length})`);
  assert.ok(seen.every((s, i) => i === 0 || s >= seen[i - 1]), 'the steps only grow');
  assert.deepEqual(race.history, whole.history);
});

test('runSliced: stop ends it early; an error in a slice rejects done', async () => {
  const race = new Race(nl, { ...SHORT, steps: 1000 });
  const run = runSliced(race, { budgetMs: 1, onSlice: (t) => t.step >= 3 && run.stop() });
  assert.equal(await run.done, 'stopped');
  assert.ok(race.step >= 3 && race.step < 1000);
  const failing = runSliced({ done: false, advance() { throw new Error('boom'); } });
  await assert.rejects(failing.done, /boom/);
  assert.throws(() => runSliced({}), { name: 'TypeError', message: /task must be an object with advance/ });
  assert.throws(() => runSliced(race, { budgetMs: 0 }), { name: 'RangeError', message: /budgetMs must be a number > 0/ });
});

test('the default race: the loss falls for every normalization within its default steps', () => {
  const race = new Race(nl, {});
  race.advance(RACE_DEFAULTS.steps);
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  for (const h of race.history.models) {
    const first = mean(h.trainLoss.slice(0, 50));
    const last = mean(h.trainLoss.slice(-50));
    assert.ok(last < 0.85 * first, `${h.norm}: mean loss of the first 50 steps ${first.toFixed(3)}, of the last 50 ${last.toFixed(3)}`);
    assert.ok(h.testAcc.at(-1) > 0.6, `${h.norm}: test accuracy ${h.testAcc.at(-1)} above chance (0.5)`);
  }
});

test('regions: the eval-mode argmax over a grid on the data\'s extent, row 0 at the top', () => {
  const race = new Race(nl, SHORT);
  race.advance(SHORT.steps);
  const r = race.regions(1, 7);
  const [x0, x1, y0, y1] = r.extent;
  const xs = [...race.dataset.train.x, ...race.dataset.test.x];
  const px = xs.filter((_, i) => i % 2 === 0);
  const py = xs.filter((_, i) => i % 2 === 1);
  const pad = (lo, hi) => 0.1 * (hi - lo);
  assert.ok(Math.abs(x0 - (Math.min(...px) - pad(Math.min(...px), Math.max(...px)))) < 1e-12);
  assert.ok(Math.abs(y1 - (Math.max(...py) + pad(Math.min(...py), Math.max(...py)))) < 1e-12);
  assert.equal(r.classes.length, 49);
  assert.equal(r.confidence.length, 49);
  const { model } = race.models[1];
  for (const [row, col] of [[0, 0], [0, 6], [6, 0], [3, 5]]) {
    const x = Float32Array.from([x0 + ((col + 0.5) * (x1 - x0)) / 7, y1 - ((row + 0.5) * (y1 - y0)) / 7]);
    const logits = model.forward(x, 1, { training: false });
    const best = logits[1] > logits[0] ? 1 : 0;
    assert.equal(r.classes[row * 7 + col], best, `cell (${row}, ${col})`);
    const p = 1 / (1 + Math.exp(logits[1 - best] - logits[best]));
    assert.ok(Math.abs(r.confidence[row * 7 + col] - p) < 1e-6, `confidence of cell (${row}, ${col})`);
  }
  assert.throws(() => race.regions(5, 7), { name: 'RangeError', message: /modelIndex must be from 0 to 4, got 5/ });
  assert.throws(() => race.regions(0, 1), { name: 'RangeError', message: /resolution must be a whole number from 2 to 256, got 1/ });
});

test('the sweep: every norm at every batch size, examples / batchSize steps each, from the race\'s init and batches', () => {
  const settings = { ...SHORT, norms: ['none', 'batch_norm', 'group_norm'] };
  const sweep = new Sweep(nl, settings, { batchSizes: [2, 4, 8], examples: 32 });
  assert.deepEqual(sweep.runs.map((r) => [r.norm, r.batchSize, r.steps]), [
    ['none', 2, 16], ['batch_norm', 2, 16], ['group_norm', 2, 16],
    ['none', 4, 8], ['batch_norm', 4, 8], ['group_norm', 4, 8],
    ['none', 8, 4], ['batch_norm', 8, 4], ['group_norm', 8, 4],
  ]);
  assert.equal(sweep.progress, 0);
  const taken = [];
  while (!sweep.done) taken.push(sweep.advance(5));
  // a run's last advance stops at its end: 16 = 5 + 5 + 5 + 1, 8 = 5 + 3, 4
  assert.deepEqual(taken, [5, 5, 5, 1, 5, 5, 5, 1, 5, 5, 5, 1, 5, 3, 5, 3, 5, 3, 4, 4, 4]);
  assert.equal(sweep.progress, 1);
  assert.equal(sweep.advance(1), 0);
  assert.deepEqual(sweep.results.map((r) => [r.norm, r.batchSize]), sweep.runs.map((r) => [r.norm, r.batchSize]));
  for (const r of sweep.results) {
    // the same run as a race of that batch size and length: same init, same batches
    const race = new Race(nl, { ...settings, norms: [r.norm], batchSize: r.batchSize, steps: 32 / r.batchSize });
    race.advance(race.settings.steps);
    const { model } = race.models[0];
    assert.equal(r.testError, 1 - evaluate(model, race.dataset.test).accuracy, `${r.norm} at ${r.batchSize}`);
    assert.equal(r.trainLoss, evaluate(model, race.dataset.train).loss, `${r.norm} at ${r.batchSize}`);
  }
  sweep.reset();
  assert.deepEqual([sweep.results, sweep.progress, sweep.current.step], [[], 0, 0]);
  assert.throws(() => new Sweep(nl, settings, { batchSizes: [2, 3], examples: 32 }),
    { name: 'RangeError', message: /examples must be a multiple of every batch size .* got 32 and batch size 3/ });
  assert.throws(() => new Sweep(nl, settings, { batchSizes: [1] }), { name: 'RangeError', message: /batchSizes must be/ });
  assert.throws(() => new Sweep(nl, settings, { batchSizes: '2' }), { name: 'TypeError', message: /batchSizes must be an array/ });
});

test('bad settings: a TypeError or RangeError naming the setting', () => {
  const cases = [
    [{ dataset: 'moons' }, RangeError, /^dataset must be one of spirals, circles, xor, blobs, got moons/],
    [{ dataset: 3 }, TypeError, /^dataset must be one of/],
    [{ noise: 0.6 }, RangeError, /^noise must be a number from 0 to 0.5, got 0.6/],
    [{ noise: '0.1' }, TypeError, /^noise must be a number/],
    [{ count: 10 }, RangeError, /^count must be a whole number from 20 to 10000, got 10/],
    [{ testFraction: 1 }, RangeError, /^testFraction must be a number from 0.05 to 0.9, got 1/],
    [{ hidden: [32, 8] }, RangeError, /^hidden must be 1 to 3 layer widths, each from 16 to 64, got \[32,8\]/],
    [{ hidden: [16, 16, 16, 16] }, RangeError, /^hidden must be 1 to 3 layer widths/],
    [{ hidden: 32 }, TypeError, /^hidden must be an array/],
    [{ activation: 'gelu' }, RangeError, /^activation must be one of relu, tanh, got gelu/],
    [{ norms: ['batch_norm', 'dropout'] }, RangeError, /^norms must name normalizations from none, batch_norm/],
    [{ norms: [] }, RangeError, /^norms must name at least one/],
    [{ norms: ['none', 'none'] }, RangeError, /^norms must name each normalization once, got none twice/],
    [{ norms: 'none' }, TypeError, /^norms must be an array/],
    [{ groups: 3 }, RangeError, /^groups must divide every hidden size for group_norm, got groups 3 and hidden \[32,32\]/],
    [{ groups: 0 }, RangeError, /^groups must be a whole number from 1 to 64, got 0/],
    [{ batchSize: 1 }, RangeError, /^batchSize must be a whole number from 2 to 256, got 1/],
    [{ batchSize: 512 }, RangeError, /^batchSize must be a whole number from 2 to 256, got 512/],
    [{ batchSize: 2.5 }, TypeError, /^batchSize must be a whole number/],
    [{ optimizer: 'rmsprop' }, RangeError, /^optimizer must be one of sgd, adam, got rmsprop/],
    [{ lr: 0 }, RangeError, /^lr must be a number > 0 and <= 1, got 0/],
    [{ lr: NaN }, TypeError, /^lr must be a number/],
    [{ steps: 0 }, RangeError, /^steps must be a whole number from 1 to 100000, got 0/],
    [{ seed: -1 }, RangeError, /^seed must be a whole number from 0 to 4294967295, got -1/],
    [{ speed: 2 }, RangeError, /^unknown setting speed; the settings are dataset, noise/],
  ];
  for (const [settings, kind, message] of cases) {
    assert.throws(() => checkRaceSettings(settings), { name: kind.name, message }, JSON.stringify(settings));
  }
  assert.throws(() => checkRaceSettings(null), { name: 'TypeError', message: /^settings must be an object, got null/ });
  // groups that do not divide are fine when group_norm does not race
  assert.equal(checkRaceSettings({ groups: 3, norms: ['layer_norm'] }).groups, 3);
  assert.throws(() => new Race({}, {}), { name: 'TypeError', message: /nl must be a loaded normlab instance with batchNorm and batchNormBackward/ });
  assert.throws(() => new Race(nl, {}).advance(-1), { name: 'RangeError', message: /count must be >= 0, got -1/ });
  assert.throws(() => new Race(nl, {}).advance(1.5), { name: 'TypeError', message: /count must be a whole number/ });
});

test('instance_norm is refused with the reason it does not apply to (N, C) features', () => {
  assert.throws(() => checkRaceSettings({ norms: ['none', 'instance_norm'] }), {
    name: 'RangeError',
    message: /^norms: instance_norm does not apply to \(N, C\) features: InstanceNorm normalizes each channel of each sample over its spatial positions.*nn\.InstanceNorm1d\(C\) takes a 2-D input as one unbatched \(C, L\) sample.*LayerNorm without weight and bias/,
  });
});
