// Seeded 2-D toy datasets for the training lab, and the seeded batch order
// every model of a race shares. Same arguments, same numbers, everywhere: the
// one generator is the page's (web/lab/rng.js), so a link reproduces the data.
import { mulberry32, normals } from '../rng.js';

const TAU = 2 * Math.PI;

/**
 * The datasets: how many classes each has and where a point of class k lies,
 * given u, a source of uniform numbers in [0, 1). Points lie in about
 * [-1, 1]^2 before noise (the scale torch's default init suits).
 */
export const DATASETS = {
  // two arms, 1.75 turns each, radius growing from 0.05 to 1
  spirals: {
    classes: 2,
    point(k, u) {
      const t = u();
      const r = 0.05 + 0.95 * t;
      const angle = 1.75 * TAU * t + k * Math.PI;
      return [r * Math.cos(angle), r * Math.sin(angle)];
    },
  },
  // a disc of radius 0.5 inside a ring from 0.7 to 1
  circles: {
    classes: 2,
    point(k, u) {
      const r = k === 0 ? 0.5 * Math.sqrt(u()) : 0.7 + 0.3 * u();
      const angle = TAU * u();
      return [r * Math.cos(angle), r * Math.sin(angle)];
    },
  },
  // the four quadrants, 0.05 clear of the axes; class 1 where x * y < 0
  xor: {
    classes: 2,
    point(k, u) {
      const a = 0.05 + 0.95 * u();
      const b = 0.05 + 0.95 * u();
      const sx = u() < 0.5 ? -1 : 1;
      return [sx * a, (k === 0 ? sx : -sx) * b];
    },
  },
  // three round clusters (spread 0.15) centred 0.6 from the origin, 120 degrees apart
  blobs: {
    classes: 3,
    point(k, u) {
      const r = 0.15 * Math.sqrt(-2 * Math.log(1 - u()));
      const phi = TAU * u();
      const c = (k * TAU) / 3 + Math.PI / 2;
      return [0.6 * Math.cos(c) + r * Math.cos(phi), 0.6 * Math.sin(c) + r * Math.sin(phi)];
    },
  },
};

export const DATASET_NAMES = Object.keys(DATASETS);

function checkInteger(name, value, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) {
    const kind = Number.isInteger(value) ? RangeError : TypeError;
    throw new kind(`${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
}

function checkNumber(name, value, min, max) {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number from ${min} to ${max}, got ${String(value)}`);
  }
  if (value < min || value > max) throw new RangeError(`${name} must be from ${min} to ${max}, got ${value}`);
}

/** A uniform integer in [0, n) from a uniform number generator. */
const below = (next, n) => Math.floor(next() * n);

/** Shuffle a in place (Fisher-Yates). */
function shuffle(a, next) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = below(next, i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * A seeded dataset: `count` points (classes in turn, so balanced), each
 * coordinate plus N(0, noise^2), shuffled, the first
 * round(count * (1 - testFraction)) for training and the rest for testing.
 * Returns { name, classes, noise, seed, train, test }, where train and test are
 * { x: Float32Array (n, 2) row-major, y: Int32Array of class indices, count }.
 */
export function makeDataset(name, { count = 200, noise = 0.1, testFraction = 0.5, seed = 1 } = {}) {
  const spec = Object.hasOwn(DATASETS, name) ? DATASETS[name] : null;
  if (!spec) throw new RangeError(`dataset must be one of ${DATASET_NAMES.join(', ')}, got ${String(name)}`);
  checkInteger('count', count, 2, 100000);
  checkNumber('noise', noise, 0, 1);
  checkNumber('testFraction', testFraction, 0, 1);
  checkInteger('seed', seed, 0, 0xffffffff);

  const next = mulberry32(seed);
  const jitter = normals(2 * count, below(next, 2 ** 32)); // noise from its own stream
  const points = Array.from({ length: count }, (_, i) => {
    const k = i % spec.classes;
    const [px, py] = spec.point(k, next);
    return [Math.fround(px + noise * jitter[2 * i]), Math.fround(py + noise * jitter[2 * i + 1]), k];
  });
  shuffle(points, next);
  const nTrain = Math.round(count * (1 - testFraction));
  const set = (list) => ({
    x: Float32Array.from(list.flatMap(([px, py]) => [px, py])),
    y: Int32Array.from(list, (p) => p[2]),
    count: list.length,
  });
  return { name, classes: spec.classes, noise, seed, train: set(points.slice(0, nTrain)), test: set(points.slice(nTrain)) };
}

/**
 * The examples every model of a race sees, in order: a stream of shuffled
 * epochs over `count` examples, cut into batches of `batchSize` (an epoch
 * boundary may fall inside a batch, as in the fixture's torch runs). Made an
 * epoch at a time, as the batches are asked for, so a long race holds one
 * epoch, not its whole order; the same seed gives the same stream.
 */
export class BatchStream {
  constructor(count, batchSize, seed) {
    checkInteger('count', count, 1, 100000);
    checkInteger('batchSize', batchSize, 1, 100000);
    checkInteger('seed', seed, 0, 0xffffffff);
    this.count = count;
    this.batchSize = batchSize;
    this.seed = seed;
    this.reset();
  }

  /** Back to the first batch. */
  reset() {
    this.next = mulberry32(this.seed);
    this.epoch = Int32Array.from({ length: this.count }, (_, i) => i);
    this.at = this.count; // the next index's place in the epoch: a new epoch first
  }

  /** The next batch's indices, written into `into` (an Int32Array of batchSize). */
  take(into = new Int32Array(this.batchSize)) {
    for (let b = 0; b < this.batchSize; b++) {
      if (this.at === this.count) {
        shuffle(this.epoch, this.next);
        this.at = 0;
      }
      into[b] = this.epoch[this.at++];
    }
    return into;
  }
}

/** The first `steps` batches of a BatchStream, as one Int32Array of steps * batchSize indices. */
export function batchOrder(count, batchSize, steps, seed) {
  checkInteger('steps', steps, 0, 10000000);
  const stream = new BatchStream(count, batchSize, seed);
  const order = new Int32Array(steps * batchSize);
  for (let s = 0; s < steps; s++) stream.take(order.subarray(s * batchSize, (s + 1) * batchSize));
  return order;
}

/** The batch of `set` at indices[start, start + batchSize): { x, y, count }. */
export function gather(set, indices, start, batchSize) {
  const x = new Float32Array(2 * batchSize);
  const y = new Int32Array(batchSize);
  for (let b = 0; b < batchSize; b++) {
    const i = indices[start + b];
    x[2 * b] = set.x[2 * i];
    x[2 * b + 1] = set.x[2 * i + 1];
    y[b] = set.y[i];
  }
  return { x, y, count: batchSize };
}
