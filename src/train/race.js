// The training lab's experiments (issue 16), for the page and for Node alike
// (no DOM, no web/ imports): a race trains one network per normalization side
// by side, from the same initial weights on the same batches; a sweep trains
// each at several batch sizes for the same number of examples; runSliced runs
// either in slices short enough for a page's main thread. docs/training.md
// has the design and the figures.
import { mulberry32 } from '../rng.js';
import { BatchStream, DATASET_NAMES, gather, makeDataset } from './data.js';
import { ACTIVATIONS, crossEntropy, MLP, trainStep } from './mlp.js';
import { checkBackend, KERNEL_NORMS } from './norms.js';
import { Adam, SGD } from './optim.js';

// Chosen so that a learner sees the layers work within seconds (measured in
// docs/training.md): on circles every model learns (95-98 % test accuracy) in
// 500 steps, about 3 s of the page's race, and the sweep at SWEEP_EXAMPLES
// shows BatchNorm failing at batch 2 while the others stay flat; on two
// spirals this network stays near 70 % and the sweep shows no trend.
export const RACE_DEFAULTS = Object.freeze({
  dataset: 'circles',
  noise: 0.1,
  count: 400,
  testFraction: 0.25,
  hidden: Object.freeze([32, 32]),
  activation: 'relu',
  norms: Object.freeze(['none', 'batch_norm', 'layer_norm', 'group_norm', 'rms_norm']),
  groups: 4,
  batchSize: 32,
  optimizer: 'adam',
  lr: 0.01,
  steps: 500,
  seed: 1,
});

/** The sweep's examples per run by default: a multiple of every batch size it trains at, and about 10 s of sweep. */
export const SWEEP_EXAMPLES = 4096;

/** The sweep's batch sizes by default (Wu and He's Figure 1 in miniature). */
export const SWEEP_BATCH_SIZES = Object.freeze([2, 4, 8, 16, 32, 64]);

/** The hidden layers a race allows: how many, and how wide each. */
export const HIDDEN = Object.freeze({ minLayers: 1, maxLayers: 3, minUnits: 16, maxUnits: 64 });

/** The normalizations a race can train, by torch.nn.functional's names. */
export const NORM_CHOICES = ['none', ...KERNEL_NORMS];

/**
 * Why 'instance_norm' is refused, as torch 1.13 behaves (checked there):
 * nn.InstanceNorm1d(32) on a (32, 32) input returns what F.layer_norm(x, (32,))
 * returns, and with affine=True on (8, 32) it raises "weight should contain 8
 * elements not 32".
 */
export const INSTANCE_NORM_REASON = 'instance_norm does not apply to (N, C) features: InstanceNorm normalizes ' +
  'each channel of each sample over its spatial positions, and a hidden layer\'s (N, C) output has none. ' +
  'torch 1.13\'s nn.InstanceNorm1d(C) takes a 2-D input as one unbatched (C, L) sample, so on (N, C) it ' +
  'normalizes each sample over its C features (LayerNorm without weight and bias: choose layer_norm), and ' +
  'with affine=True it refuses any N other than C (its weight would be one per sample)';

export const OPTIMIZERS = {
  sgd: (params, lr) => new SGD(params, { lr, momentum: 0.9 }),
  adam: (params, lr) => new Adam(params, { lr }),
};

/** Each setting's check: (value, name) -> value, throwing TypeError (wrong kind) or RangeError (out of range). */
const oneOf = (choices) => (v, name) => {
  if (typeof v !== 'string') throw new TypeError(`${name} must be one of ${choices.join(', ')}, got ${show(v)}`);
  if (!choices.includes(v)) throw new RangeError(`${name} must be one of ${choices.join(', ')}, got ${v}`);
  return v;
};
const number = (min, max, { minOpen = false } = {}) => (v, name) => {
  const range = `${minOpen ? `> ${min}` : `from ${min}`} ${minOpen ? 'and <=' : 'to'} ${max}`;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${name} must be a number ${range}, got ${show(v)}`);
  if (v < min || (minOpen && v === min) || v > max) throw new RangeError(`${name} must be a number ${range}, got ${v}`);
  return v;
};
const whole = (min, max) => (v, name) => {
  if (!Number.isInteger(v)) throw new TypeError(`${name} must be a whole number from ${min} to ${max}, got ${show(v)}`);
  if (v < min || v > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${v}`);
  return v;
};

function show(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return JSON.stringify(v);
  return v === null || typeof v !== 'object' ? String(v) : 'an object';
}

const CHECKS = {
  dataset: oneOf(DATASET_NAMES),
  noise: number(0, 0.5),
  count: whole(20, 10000),
  testFraction: number(0.05, 0.9),
  hidden(v, name) {
    const { minLayers, maxLayers, minUnits, maxUnits } = HIDDEN;
    if (!Array.isArray(v) || !v.every(Number.isInteger)) {
      throw new TypeError(`${name} must be an array of ${minLayers} to ${maxLayers} layer widths ` +
        `(whole numbers from ${minUnits} to ${maxUnits}), got ${show(v)}`);
    }
    if (v.length < minLayers || v.length > maxLayers || v.some((w) => w < minUnits || w > maxUnits)) {
      throw new RangeError(`${name} must be ${minLayers} to ${maxLayers} layer widths, each from ${minUnits} to ${maxUnits}, got ${show(v)}`);
    }
    return Object.freeze([...v]);
  },
  activation: oneOf(Object.keys(ACTIVATIONS)),
  norms(v, name) {
    if (!Array.isArray(v) || !v.every((n) => typeof n === 'string')) {
      throw new TypeError(`${name} must be an array of names from ${NORM_CHOICES.join(', ')}, got ${show(v)}`);
    }
    if (v.includes('instance_norm')) throw new RangeError(`${name}: ${INSTANCE_NORM_REASON}`);
    const bad = v.find((n) => !NORM_CHOICES.includes(n));
    if (bad !== undefined) throw new RangeError(`${name} must name normalizations from ${NORM_CHOICES.join(', ')}, got ${bad}`);
    if (v.length === 0) throw new RangeError(`${name} must name at least one normalization, got none`);
    const twice = v.find((n, i) => v.indexOf(n) !== i);
    if (twice !== undefined) throw new RangeError(`${name} must name each normalization once, got ${twice} twice`);
    return Object.freeze([...v]);
  },
  groups: whole(1, 64),
  batchSize: whole(2, 256),
  optimizer: oneOf(Object.keys(OPTIMIZERS)),
  lr: number(0, 1, { minOpen: true }),
  steps: whole(1, 100000),
  seed: whole(0, 0xffffffff),
};

/** The settings with defaults filled, checked; a TypeError or RangeError names the setting. */
export function checkRaceSettings(settings = {}) {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new TypeError(`settings must be an object, got ${show(settings)}`);
  }
  const unknown = Object.keys(settings).find((k) => !Object.hasOwn(RACE_DEFAULTS, k));
  if (unknown !== undefined) {
    throw new RangeError(`unknown setting ${unknown}; the settings are ${Object.keys(RACE_DEFAULTS).join(', ')}`);
  }
  const s = {};
  for (const name of Object.keys(RACE_DEFAULTS)) s[name] = CHECKS[name](settings[name] ?? RACE_DEFAULTS[name], name);
  if (s.norms.includes('group_norm')) {
    const odd = s.hidden.find((w) => w % s.groups !== 0);
    if (odd !== undefined) {
      throw new RangeError(`groups must divide every hidden size for group_norm, got groups ${s.groups} and hidden ${show(s.hidden)}`);
    }
  }
  const nTrain = Math.round(s.count * (1 - s.testFraction));
  if (s.count - nTrain < 1) throw new RangeError(`testFraction ${s.testFraction} of count ${s.count} leaves no test point`);
  return Object.freeze(s);
}

/**
 * The seeds of an experiment's three random streams, from its one seed: the
 * data (makeDataset's own seed, so the page can show the same dataset), the
 * initial weights and the batch order (drawn from it, so they do not repeat
 * the data's stream).
 */
function seedsOf(seed) {
  const next = mulberry32(seed ^ 0x5eed5eed);
  return { data: seed, init: Math.floor(next() * 2 ** 32), batches: Math.floor(next() * 2 ** 32) };
}

/** What a race and a sweep share: the checked settings, the dataset and the way a model is made. */
class Experiment {
  constructor(nl, settings) {
    this.settings = checkRaceSettings(settings);
    for (const norm of this.settings.norms) if (norm !== 'none') checkBackend(nl, norm);
    this.nl = nl;
    const { dataset, count, noise, testFraction } = this.settings;
    this.seeds = seedsOf(this.settings.seed);
    this.dataset = makeDataset(dataset, { count, noise, testFraction, seed: this.seeds.data });
  }

  /** A fresh model for `norm` and its optimizer: the same initial Linear weights for every norm. */
  makeModel(norm) {
    const { hidden, activation, groups, optimizer, lr } = this.settings;
    const model = new MLP({
      sizes: [2, ...hidden, this.dataset.classes], activation, norm, normArgs: { nl: this.nl, numGroups: groups },
      seed: this.seeds.init,
    });
    return { norm, model, optimizer: OPTIMIZERS[optimizer](model.parameters(), lr) };
  }
}

/** The class of row r's largest logit (the first of equals, as torch's argmax). */
function argmax(logits, r, k) {
  let best = 0;
  for (let c = 1; c < k; c++) if (logits[r * k + c] > logits[r * k + best]) best = c;
  return best;
}

/**
 * The fraction of `set` the model classifies right, and its mean
 * cross-entropy, in the given mode (eval: BatchNorm on running statistics).
 */
export function evaluate(model, set, mode = { training: false }) {
  const logits = model.forward(set.x, set.count, mode);
  let right = 0;
  const k = model.classes;
  for (let r = 0; r < set.count; r++) if (argmax(logits, r, k) === set.y[r]) right += 1;
  const { loss } = crossEntropy(logits, set.y, [set.count, k]);
  return { accuracy: right / set.count, loss };
}

// batch statistics of the test set itself, leaving the running ones alone
const TRAIN_STATS = { training: true, updateRunningStats: false };

function checkCount(count) {
  if (!Number.isInteger(count)) throw new TypeError(`count must be a whole number of steps, got ${show(count)}`);
  if (count < 0) throw new RangeError(`count must be >= 0, got ${count}`);
}

/** The L2 norm of a Float32Array. */
function l2(a) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/**
 * The race: one model per chosen normalization, all from the same initial
 * Linear weights (the normalization layers' own start at torch's 1 and 0),
 * trained in step on the same batches. After every step the history records
 * each model's training loss (the batch's, before the update), its test
 * accuracy (eval mode), BatchNorm's test accuracy on train-mode batch
 * statistics, and each Linear layer's weight-gradient L2 norm.
 */
export class Race extends Experiment {
  constructor(nl, settings) {
    super(nl, settings);
    this.reset();
  }

  get done() {
    return this.step >= this.settings.steps;
  }

  /** Back to step 0 with the same initial weights and batches; a new, empty history. */
  reset() {
    const { norms, batchSize } = this.settings;
    this.step = 0;
    this.part = 0; // the next model to train in the current step
    this.pending = []; // the current step's records, until its last model is done
    this.batch = null;
    this.models = norms.map((norm) => this.makeModel(norm));
    this.batches = new BatchStream(this.dataset.train.count, batchSize, this.seeds.batches);
    this.indices = new Int32Array(batchSize);
    this.history = {
      steps: [],
      models: this.models.map(({ norm, model }) => ({
        norm,
        trainLoss: [],
        testAcc: [],
        testAccTrainStats: norm === 'batch_norm' ? [] : null,
        gradNorms: Object.fromEntries(model.linears.map((_, i) => [`linear${i}`, []])),
      })),
    };
  }

  /** Train every model `count` more steps (fewer at the end); returns how many were taken. */
  advance(count) {
    checkCount(count);
    let taken = 0;
    for (; taken < count && !this.done; taken++) {
      do this.advancePart(); while (this.part !== 0);
    }
    return taken;
  }

  /**
   * One part of a step: the next model trained on the step's batch and
   * evaluated (the first part draws the batch). The history gets the step's
   * records, all models at once, when its last part is done, so that it never
   * holds half a step. Returns 1, or 0 when the race is done. runSliced takes
   * a race a part at a time, so that a slice need not hold all its models'
   * steps (five models at batch 256 take longer than a frame).
   */
  advancePart() {
    if (this.done) return 0;
    const n = this.settings.batchSize;
    if (this.part === 0) this.batch = gather(this.dataset.train, this.batches.take(this.indices), 0, n);
    const { model, optimizer, norm } = this.models[this.part];
    const loss = trainStep(model, optimizer, this.batch.x, this.batch.y, n);
    this.pending[this.part] = {
      loss,
      gradNorms: model.linears.map((l) => l2(l.gradWeight)),
      testAcc: evaluate(model, this.dataset.test).accuracy,
      testAccTrainStats: norm === 'batch_norm' ? evaluate(model, this.dataset.test, TRAIN_STATS).accuracy : null,
    };
    this.part += 1;
    if (this.part === this.models.length) {
      this.pending.forEach((r, m) => {
        const h = this.history.models[m];
        h.trainLoss.push(r.loss);
        r.gradNorms.forEach((g, i) => h.gradNorms[`linear${i}`].push(g));
        h.testAcc.push(r.testAcc);
        h.testAccTrainStats?.push(r.testAccTrainStats);
      });
      this.part = 0;
      this.step += 1;
      this.history.steps.push(this.step);
    }
    return 1;
  }

  /** [xmin, xmax, ymin, ymax]: the data's extent, 10 % of its width and height added on each side. */
  get extent() {
    const xs = [...this.dataset.train.x, ...this.dataset.test.x];
    const box = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < xs.length; i += 2) {
      box[0] = Math.min(box[0], xs[i]);
      box[1] = Math.max(box[1], xs[i]);
      box[2] = Math.min(box[2], xs[i + 1]);
      box[3] = Math.max(box[3], xs[i + 1]);
    }
    const px = 0.1 * (box[1] - box[0]) || 0.1;
    const py = 0.1 * (box[3] - box[2]) || 0.1;
    return [box[0] - px, box[1] + px, box[2] - py, box[3] + py];
  }

  /**
   * Model `modelIndex`'s decision regions over a resolution x resolution grid
   * of cell centres on `extent`, row-major with row 0 at the top (ymax): the
   * argmax class and its softmax probability, in eval mode.
   */
  regions(modelIndex, resolution) {
    if (!Number.isInteger(modelIndex)) throw new TypeError(`modelIndex must be a whole number, got ${show(modelIndex)}`);
    if (modelIndex < 0 || modelIndex >= this.models.length) {
      throw new RangeError(`modelIndex must be from 0 to ${this.models.length - 1}, got ${modelIndex}`);
    }
    whole(2, 256)(resolution, 'resolution');
    const extent = this.extent;
    const [x0, x1, y0, y1] = extent;
    const cells = resolution * resolution;
    const grid = new Float32Array(2 * cells);
    for (let r = 0; r < resolution; r++) {
      for (let c = 0; c < resolution; c++) {
        grid[2 * (r * resolution + c)] = x0 + ((c + 0.5) * (x1 - x0)) / resolution;
        grid[2 * (r * resolution + c) + 1] = y1 - ((r + 0.5) * (y1 - y0)) / resolution;
      }
    }
    const { model } = this.models[modelIndex];
    const logits = model.forward(grid, cells, { training: false });
    const k = model.classes;
    const classes = new Uint8Array(cells);
    const confidence = new Float32Array(cells);
    for (let i = 0; i < cells; i++) {
      const best = argmax(logits, i, k);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(logits[i * k + c] - logits[i * k + best]);
      classes[i] = best;
      confidence[i] = 1 / sum;
    }
    return { resolution, extent, classes, confidence };
  }
}

/**
 * The batch-size sweep (Wu and He's Figure 1 in miniature): every chosen
 * normalization at every batch size, each run a fresh model from the same
 * initial weights trained on `examples` examples (examples / batchSize
 * steps; every norm at one batch size sees the same batches), then its test
 * error in eval mode (BatchNorm on running statistics) and its loss on the
 * whole training set, also in eval mode.
 */
export class Sweep extends Experiment {
  constructor(nl, settings, { batchSizes = SWEEP_BATCH_SIZES, examples = SWEEP_EXAMPLES } = {}) {
    super(nl, settings);
    if (!Array.isArray(batchSizes) || !batchSizes.every(Number.isInteger)) {
      throw new TypeError(`batchSizes must be an array of whole numbers from 2 to 256, got ${show(batchSizes)}`);
    }
    if (batchSizes.length === 0 || batchSizes.some((b) => b < 2 || b > 256)) {
      throw new RangeError(`batchSizes must be 1 or more whole numbers from 2 to 256, got ${show(batchSizes)}`);
    }
    whole(2, 10000000)(examples, 'examples');
    const odd = batchSizes.find((b) => examples % b !== 0);
    if (odd !== undefined) {
      throw new RangeError(`examples must be a multiple of every batch size (each run sees the same number), got ${examples} and batch size ${odd}`);
    }
    this.batchSizes = Object.freeze([...batchSizes]);
    this.examples = examples;
    // the plan, in order: each batch size, each norm at it
    this.runs = Object.freeze(batchSizes.flatMap((batchSize) => this.settings.norms.map((norm) => Object.freeze({
      norm, batchSize, steps: examples / batchSize,
    }))));
    this.totalSteps = this.runs.reduce((s, r) => s + r.steps, 0);
    this.reset();
  }

  get done() {
    return this.runIndex >= this.runs.length;
  }

  get progress() {
    return this.stepsDone / this.totalSteps;
  }

  /** The run in progress: { norm, batchSize, steps, step }, or null when done. */
  get current() {
    return this.done ? null : { ...this.runs[this.runIndex], step: this.runStep };
  }

  reset() {
    this.results = [];
    this.runIndex = 0;
    this.stepsDone = 0;
    this.#start();
  }

  #start() {
    this.runStep = 0;
    this.active = null;
    if (this.done) return;
    const { norm, batchSize } = this.runs[this.runIndex];
    this.active = this.makeModel(norm);
    this.batches = new BatchStream(this.dataset.train.count, batchSize, this.seeds.batches);
    this.indices = new Int32Array(batchSize);
  }

  /** `count` training steps of the current run (fewer where it ends); returns how many were taken. */
  advance(count) {
    checkCount(count);
    if (this.done) return 0;
    const run = this.runs[this.runIndex];
    const { model, optimizer } = this.active;
    const taken = Math.min(count, run.steps - this.runStep);
    for (let s = 0; s < taken; s++) {
      const batch = gather(this.dataset.train, this.batches.take(this.indices), 0, run.batchSize);
      trainStep(model, optimizer, batch.x, batch.y, run.batchSize);
    }
    this.runStep += taken;
    this.stepsDone += taken;
    if (this.runStep === run.steps) {
      const test = evaluate(model, this.dataset.test);
      const train = evaluate(model, this.dataset.train);
      this.results.push({ norm: run.norm, batchSize: run.batchSize, testError: 1 - test.accuracy, trainLoss: train.loss });
      this.runIndex += 1;
      this.#start();
    }
    return taken;
  }
}

// ---- the scheduler ----

/** The next macrotask: a MessageChannel message where there is one (no 4 ms clamp, as setTimeout has in browsers), else setTimeout(0). */
function macrotask() {
  if (typeof MessageChannel === 'undefined') {
    return { post: (fn) => setTimeout(fn, 0), close() {} };
  }
  const channel = new MessageChannel();
  let pending = null;
  channel.port1.onmessage = () => {
    const fn = pending;
    pending = null;
    fn?.();
  };
  return {
    post(fn) {
      pending = fn;
      channel.port2.postMessage(0);
    },
    // an open port keeps Node's event loop alive, so it is closed when nothing is scheduled
    close() {
      channel.port1.close();
    },
  };
}

const now = () => globalThis.performance?.now() ?? Date.now();

/**
 * Run task.advance in slices of at most budgetMs each, one slice per
 * macrotask, so that the page stays responsive: within a slice, units are
 * taken one at a time while the time measured for the last one says the next
 * still fits (a slice takes at least one). A unit is task.advancePart() where
 * the task has it (a Race: one model's part of a step), else advance(1). The results are the
 * same however the run is sliced or paused: a task's steps depend on nothing
 * but its own state. onSlice(task) is called after each slice.
 *
 * Returns { pause(), resume(), stop(), running, done }: done is a Promise
 * that resolves to 'done' when the task is done or 'stopped' after stop(),
 * and rejects with the error if advance or onSlice throws.
 */
export function runSliced(task, { budgetMs = 12, onSlice = null } = {}) {
  if (task === null || typeof task !== 'object' || typeof task.advance !== 'function') {
    throw new TypeError(`task must be an object with advance(count) and done, such as a Race or a Sweep, got ${show(task)}`);
  }
  number(0, 1000, { minOpen: true })(budgetMs, 'budgetMs');
  if (onSlice !== null && typeof onSlice !== 'function') {
    throw new TypeError(`onSlice must be a function or null, got ${show(onSlice)}`);
  }
  // a race's unit is a part of a step (one model), anything else's a step
  const unit = typeof task.advancePart === 'function' ? () => task.advancePart() : () => task.advance(1);
  let state = 'running'; // 'running' | 'paused' | 'finished'
  let scheduled = null;
  let perUnit = 0; // ms, the latest measurement
  let settle;
  const done = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });

  const finish = (outcome, error) => {
    state = 'finished';
    scheduled?.close();
    scheduled = null;
    if (error) settle.reject(error);
    else settle.resolve(outcome);
  };

  const slice = () => {
    if (state !== 'running') return;
    try {
      const start = now();
      let elapsed = 0;
      do {
        const t = now();
        if (unit() === 0) break;
        perUnit = now() - t;
        elapsed = now() - start;
      } while (!task.done && elapsed + perUnit <= budgetMs);
      onSlice?.(task);
    } catch (error) {
      finish(null, error);
      return;
    }
    if (task.done) finish('done');
    else if (state === 'running') schedule();
  };

  const schedule = () => {
    scheduled ??= macrotask();
    scheduled.post(slice);
  };

  const control = {
    pause() {
      if (state !== 'running') return;
      state = 'paused';
      scheduled?.close();
      scheduled = null;
    },
    resume() {
      if (state !== 'paused') return;
      state = 'running';
      schedule();
    },
    stop() {
      if (state !== 'finished') finish('stopped');
    },
    get running() {
      return state === 'running';
    },
    get paused() {
      return state === 'paused';
    },
    done,
  };
  if (task.done) finish('done');
  else schedule();
  return control;
}
