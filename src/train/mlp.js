// A small multilayer perceptron with torch's float32 semantics: Linear, a
// normalization slot after each hidden Linear, ReLU or tanh, and softmax
// cross-entropy, forward and backward. Plain JavaScript: at the lab's sizes
// (2 -> 32 -> 32 -> classes, batches of 2 to 256) a step is a few hundred
// thousand flops, and loops over Float32Arrays run it thousands of times a
// second (docs/training.md has the measurement), so a wasm call would buy nothing.
//
// float32 semantics: every tensor torch would store is a Float32Array, so each
// op's result is rounded to float32 once, as torch's is. Inside a matrix
// product or a sum the terms add in float64 and round at the end: torch's
// BLAS order is its own, and the correctly rounded sum is as close to it as
// any float32 order. Where torch's elementwise formula rounds in between
// (log_softmax, the tanh gradient), this file rounds in the same places.
// docs/training.md lists the decisions.
import { mulberry32 } from '../rng.js';
import { KernelNorm, KERNEL_NORMS } from './norms.js';

const f32 = Math.fround;

/**
 * The activations, by name: y from the pre-activation v, and the gradient
 * from the upstream gradient g and the output y (torch's backward reads the
 * output for both).
 */
export const ACTIVATIONS = {
  relu: {
    forward: (v) => Math.max(v, 0), // NaN stays NaN, as torch's relu
    backward: (g, y) => (y <= 0 ? 0 : g), // threshold_backward(g, y, 0)
  },
  tanh: {
    forward: (v) => f32(Math.tanh(v)),
    // tanh_backward: g * (1 - y * y); torch's build fuses 1 - y * y (measured),
    // and y * y of a float32 is exact in a double, so one rounding here too
    backward: (g, y) => f32(g * f32(1 - y * y)),
  },
};

/**
 * A normalization layer in the slot after a hidden Linear layer: the contract
 * between the MLP and the layers built on normlab's kernels.
 *
 *   forward(x, [N, C], { training, updateRunningStats }) -> y   x and y are
 *       (N, C) row-major Float32Arrays; training says batch statistics (and a
 *       running-statistics update, unless updateRunningStats is false) or
 *       running ones, for BatchNorm; others ignore both. The layer may
 *       keep x (and its statistics) for backward; y may be a buffer it reuses.
 *   backward(gradOutput) -> gradInput       for the last forward's x; writes
 *       this.grads (overwrites, as after optimizer.zero_grad() and backward()).
 *   params: Float32Array[]   updated in place by the optimizer
 *   grads: Float32Array[]    the same lengths, in the same order
 *   paramNames: string[]     torch's names, in torch's order ('weight', 'bias')
 *   buffers: { [name]: Float32Array }   running statistics, if any
 */
export class NoNorm {
  constructor() {
    this.params = [];
    this.grads = [];
    this.paramNames = [];
    this.buffers = {};
  }

  forward(x) {
    return x;
  }

  backward(gradOutput) {
    return gradOutput;
  }
}

/**
 * The normalizations the MLP takes by name (torch.nn.functional's names), as
 * factories (features, index, normArgs) => layer; normArgs is the MLP's
 * ({ nl, numGroups } for the layers on normlab's kernels, norms.js).
 */
export const NORMS = {
  none: () => new NoNorm(),
  ...Object.fromEntries(KERNEL_NORMS.map((name) => [name, (features, index, args) => new KernelNorm(name, features, args)])),
};

/** torch.nn.Linear: weight (out, in), bias (out), y = x W^T + b. */
export class Linear {
  constructor(inFeatures, outFeatures) {
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Float32Array(outFeatures * inFeatures);
    this.bias = new Float32Array(outFeatures);
    this.gradWeight = new Float32Array(outFeatures * inFeatures);
    this.gradBias = new Float32Array(outFeatures);
    this.params = [this.weight, this.bias];
    this.grads = [this.gradWeight, this.gradBias];
    this.paramNames = ['weight', 'bias'];
    this.acc = new Float64Array(Math.max(inFeatures, outFeatures)); // float64 sums
    this.x = null;
    this.n = 0;
    this.y = new Float32Array(0);
    this.gradInput = new Float32Array(0);
  }

  /** torch's default init, kaiming_uniform_(a=sqrt(5)): U(-1/sqrt(in), 1/sqrt(in)) for weight and bias alike. */
  reset(next) {
    const bound = 1 / Math.sqrt(this.inFeatures);
    for (const p of this.params) for (let i = 0; i < p.length; i++) p[i] = f32(-bound + 2 * bound * next());
  }

  forward(x, n) {
    const { inFeatures: I, outFeatures: O, weight: W, bias: b } = this;
    if (this.y.length !== n * O) this.y = new Float32Array(n * O);
    const y = this.y;
    for (let r = 0; r < n; r++) {
      const xr = r * I;
      for (let o = 0; o < O; o++) {
        const wo = o * I;
        let s = 0;
        for (let i = 0; i < I; i++) s += x[xr + i] * W[wo + i];
        y[r * O + o] = f32(s + b[o]);
      }
    }
    this.x = x;
    this.n = n;
    return y;
  }

  /** Writes gradWeight and gradBias; returns gradInput unless needInput is false (the first layer). */
  backward(dy, needInput = true) {
    const { inFeatures: I, outFeatures: O, weight: W, x, n, acc } = this;
    for (let o = 0; o < O; o++) {
      acc.fill(0, 0, I);
      let sb = 0;
      for (let r = 0; r < n; r++) {
        const g = dy[r * O + o];
        sb += g;
        const xr = r * I;
        for (let i = 0; i < I; i++) acc[i] += g * x[xr + i];
      }
      for (let i = 0; i < I; i++) this.gradWeight[o * I + i] = acc[i]; // rounds to float32
      this.gradBias[o] = sb;
    }
    if (!needInput) return null;
    if (this.gradInput.length !== n * I) this.gradInput = new Float32Array(n * I);
    const dx = this.gradInput;
    for (let r = 0; r < n; r++) {
      acc.fill(0, 0, I);
      for (let o = 0; o < O; o++) {
        const g = dy[r * O + o];
        const wo = o * I;
        for (let i = 0; i < I; i++) acc[i] += g * W[wo + i];
      }
      for (let i = 0; i < I; i++) dx[r * I + i] = acc[i];
    }
    return dx;
  }
}

/**
 * F.cross_entropy(logits, targets) with the mean over the batch: log_softmax
 * as torch's CPU kernel orders it, (x - max) - log(sum(exp(x - max))), then
 * the negated mean of the targets' log-probabilities. Returns { loss,
 * gradLogits }: the loss as torch's float32 scalar, and dloss/dlogits as
 * torch's backward computes it, g - exp(logp) * sum(g) with g = -1/N at the target.
 */
export function crossEntropy(logits, targets, [n, classes], gradLogits = new Float32Array(n * classes)) {
  let total = 0;
  const g = f32(-1 / n);
  for (let r = 0; r < n; r++) {
    const at = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (logits[at + c] > max) max = logits[at + c];
    let sum = 0;
    for (let c = 0; c < classes; c++) sum = f32(sum + f32(Math.exp(f32(logits[at + c] - max))));
    const logSum = f32(Math.log(sum));
    const t = targets[r];
    for (let c = 0; c < classes; c++) {
      const logp = f32(f32(logits[at + c] - max) - logSum);
      if (c === t) total += logp;
      // the upstream row sums to g (one nonzero); torch fuses the multiply-subtract
      gradLogits[at + c] = (c === t ? g : 0) - f32(Math.exp(logp)) * g;
    }
  }
  return { loss: f32(f32(-total) / n), gradLogits };
}

function checkSizes(sizes) {
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1 && s <= 4096)) {
    throw new TypeError(`sizes must be an array of at least 2 layer widths, whole numbers from 1 to 4096, got ${JSON.stringify(sizes)}`);
  }
}

/**
 * sizes[0] inputs -> hidden layers sizes[1..-2] -> sizes[-1] logits. Each
 * hidden layer is linear{i}, norm{i}, activation, named as torch's
 * nn.Sequential(OrderedDict(...)) of the same modules names them.
 *
 * Options: activation ('relu' | 'tanh'); norm: a name of NORMS or a factory
 * (features, index, normArgs) => NormLayer; normArgs: what the factory needs
 * besides (NORMS' kernel layers: { nl, numGroups }); seed: torch's default init drawn from
 * mulberry32(seed) in parameters() order (linear parameters only; a
 * normalization layer initializes its own); init: { name: values } to set
 * parameters instead (the PyTorch comparison gives torch's initial weights).
 */
export class MLP {
  constructor({ sizes = [2, 32, 32, 2], activation = 'relu', norm = 'none', normArgs = {}, seed = 1, init = null } = {}) {
    checkSizes(sizes);
    if (!Object.hasOwn(ACTIVATIONS, activation)) {
      throw new RangeError(`activation must be one of ${Object.keys(ACTIVATIONS).join(', ')}, got ${String(activation)}`);
    }
    const makeNorm = typeof norm === 'function' ? norm : Object.hasOwn(NORMS, norm) ? NORMS[norm] : null;
    if (!makeNorm) {
      throw new RangeError(`norm must be one of ${Object.keys(NORMS).join(', ')} or a function (features, index, normArgs) => layer, got ${String(norm)}`);
    }
    this.sizes = [...sizes];
    this.activationName = activation;
    this.activation = ACTIVATIONS[activation];
    this.linears = [];
    this.norms = [];
    this.outputs = []; // the activations' outputs, kept for backward
    this.preGrads = []; // the gradients at the activations' inputs
    for (let i = 0; i + 1 < sizes.length; i++) {
      this.linears.push(new Linear(sizes[i], sizes[i + 1]));
      if (i + 2 < sizes.length) {
        this.norms.push(makeNorm(sizes[i + 1], i, normArgs));
        this.outputs.push(new Float32Array(0));
        this.preGrads.push(new Float32Array(0));
      }
    }
    const next = mulberry32(seed);
    for (const l of this.linears) l.reset(next);
    if (init) this.setParameters(init);
  }

  get classes() {
    return this.sizes[this.sizes.length - 1];
  }

  /** [{ name, data, grad }] in torch's named_parameters() order: what an optimizer steps. */
  parameters() {
    const list = [];
    const add = (prefix, layer) => layer.params.forEach((data, k) => {
      list.push({ name: `${prefix}.${layer.paramNames[k]}`, data, grad: layer.grads[k] });
    });
    this.linears.forEach((l, i) => {
      add(`linear${i}`, l);
      if (i < this.norms.length) add(`norm${i}`, this.norms[i]);
    });
    return list;
  }

  /** Set parameters by name from arrays of numbers; every name must exist and every length match. */
  setParameters(values) {
    const byName = new Map(this.parameters().map((p) => [p.name, p]));
    for (const [name, v] of Object.entries(values)) {
      const p = byName.get(name);
      if (!p) throw new RangeError(`init has no parameter named ${name}; the parameters are ${[...byName.keys()].join(', ')}`);
      if (v?.length !== p.data.length) {
        throw new RangeError(`init.${name} must have ${p.data.length} values, got ${v?.length}`);
      }
      p.data.set(v);
    }
  }

  /**
   * Logits (n, classes) for x (n, sizes[0]). The mode goes to the
   * normalization layers: training, and for BatchNorm updateRunningStats
   * (default: training; false gives batch statistics that leave the running
   * ones alone).
   */
  forward(x, n, mode = { training: true }) {
    const { forward: act } = this.activation;
    let h = x;
    for (let i = 0; i < this.linears.length; i++) {
      h = this.linears[i].forward(h, n);
      if (i === this.norms.length) break;
      const width = this.sizes[i + 1];
      h = this.norms[i].forward(h, [n, width], mode);
      if (this.outputs[i].length !== n * width) this.outputs[i] = new Float32Array(n * width);
      const out = this.outputs[i];
      for (let k = 0; k < n * width; k++) out[k] = act(h[k]);
      h = out;
    }
    return h;
  }

  /** Every parameter's gradient (overwritten) from dloss/dlogits of the last forward. */
  backward(gradLogits) {
    const { backward: dact } = this.activation;
    let g = gradLogits;
    for (let i = this.linears.length - 1; i >= 0; i--) {
      g = this.linears[i].backward(g, i > 0);
      if (i === 0) break;
      const y = this.outputs[i - 1];
      if (this.preGrads[i - 1].length !== g.length) this.preGrads[i - 1] = new Float32Array(g.length);
      const d = this.preGrads[i - 1];
      for (let k = 0; k < g.length; k++) d[k] = dact(g[k], y[k]);
      g = this.norms[i - 1].backward(d);
    }
  }
}

/**
 * One training step on a batch, as torch's zero_grad(); loss = F.cross_entropy(
 * model(x), y); loss.backward(); optimizer.step(). Returns the loss (before the update).
 */
export function trainStep(model, optimizer, x, y, n) {
  const logits = model.forward(x, n, { training: true });
  const { loss, gradLogits } = crossEntropy(logits, y, [n, model.classes]);
  model.backward(gradLogits);
  optimizer.step();
  return loss;
}
