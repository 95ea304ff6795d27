// The normalization layers of the MLP's slot (mlp.js), on normlab's kernels:
// the forward pass is nl.batchNorm / nl.layerNorm / nl.groupNorm / nl.rmsNorm,
// the backward pass the matching nl.*Backward of issue 15 (the upstream
// gradient first, then the forward call's own arguments; it returns {
// gradInput, gradWeight, gradBias }). Each layer is torch's module for (N, C)
// features with its default init (weight 1, bias 0) and eps:
//
//   batch_norm  nn.BatchNorm1d(C): batch statistics in training, with the
//               running statistics updated (momentum 0.1); running ones in eval
//   layer_norm  nn.LayerNorm(C): each sample over its C features
//   group_norm  nn.GroupNorm(numGroups, C): each sample over groups of C / numGroups features
//   rms_norm    nn.RMSNorm(C) of torch >= 2.4 (eps None: float32's eps), weight only
//
// One description per layer (LAYERS): which parameters it has, and its forward
// and backward calls. The layer copies x, which its backward reads; the
// kernels write y, gradInput and the parameters' gradients into the layer's
// own arrays (out, gradInputOut, gradWeightOut, gradBiasOut).

/** Each layer's parameters (torch's names and order), buffers, and its two calls on nl. */
const LAYERS = {
  batch_norm: {
    params: ['weight', 'bias'],
    running: true,
    // updateRunningStats false: batch statistics without touching the running ones
    // (torch: a BatchNorm in train mode with track_running_stats off), for the
    // race's test accuracy on train-mode statistics
    forward: (nl, x, l, { training, updateRunningStats }, out) => {
      const running = !training || updateRunningStats !== false;
      return nl.batchNorm(x, running ? l.runningMean : null, running ? l.runningVar : null,
        { weight: l.weight, bias: l.bias, training, momentum: 0.1, out });
    },
    backward: (nl, g, x, l, { training }, outs) => nl.batchNormBackward(g, x, l.runningMean, l.runningVar,
      { weight: l.weight, bias: l.bias, training, ...outs }),
  },
  layer_norm: {
    params: ['weight', 'bias'],
    forward: (nl, x, l, _, out) => nl.layerNorm(x, [l.features], { weight: l.weight, bias: l.bias, out }),
    backward: (nl, g, x, l, _, outs) => nl.layerNormBackward(g, x, [l.features], { weight: l.weight, bias: l.bias, ...outs }),
  },
  group_norm: {
    params: ['weight', 'bias'],
    forward: (nl, x, l, _, out) => nl.groupNorm(x, l.numGroups, { weight: l.weight, bias: l.bias, out }),
    backward: (nl, g, x, l, _, outs) => nl.groupNormBackward(g, x, l.numGroups, { weight: l.weight, bias: l.bias, ...outs }),
  },
  rms_norm: {
    params: ['weight'],
    forward: (nl, x, l, _, out) => nl.rmsNorm(x, [l.features], { weight: l.weight, out }),
    backward: (nl, g, x, l, _, outs) => nl.rmsNormBackward(g, x, [l.features], { weight: l.weight, ...outs }),
  },
};

/** The normalizations on normlab's kernels, by torch.nn.functional's name. */
export const KERNEL_NORMS = Object.keys(LAYERS);

/** The nl methods a layer calls: its forward op and that op's backward. */
export const OPS_OF = {
  batch_norm: ['batchNorm', 'batchNormBackward'],
  layer_norm: ['layerNorm', 'layerNormBackward'],
  group_norm: ['groupNorm', 'groupNormBackward'],
  rms_norm: ['rmsNorm', 'rmsNormBackward'],
};

/** A TypeError unless nl has every method the layer `name` calls. */
export function checkBackend(nl, name) {
  const missing = OPS_OF[name].filter((m) => typeof nl?.[m] !== 'function');
  if (missing.length) {
    throw new TypeError(`nl must be a loaded normlab instance with ${OPS_OF[name].join(' and ')} ` +
      `(for ${name}), got ${nl === null || typeof nl !== 'object' ? String(nl) : `one without ${missing.join(', ')}`}`);
  }
}

/**
 * A normalization layer for the MLP's slot (the interface is mlp.js's NoNorm):
 * `name` one of KERNEL_NORMS, `features` C, `nl` a loaded normlab instance,
 * numGroups for group_norm.
 */
export class KernelNorm {
  constructor(name, features, { nl, numGroups = null } = {}) {
    if (!Object.hasOwn(LAYERS, name)) {
      throw new RangeError(`name must be one of ${KERNEL_NORMS.join(', ')}, got ${String(name)}`);
    }
    checkBackend(nl, name);
    const spec = LAYERS[name];
    if (name === 'group_norm' && !(Number.isInteger(numGroups) && numGroups >= 1 && features % numGroups === 0)) {
      const kind = Number.isInteger(numGroups) ? RangeError : TypeError;
      throw new kind(`numGroups must be a whole number that divides the ${features} features, got ${String(numGroups)}`);
    }
    this.name = name;
    this.spec = spec;
    this.nl = nl;
    this.features = features;
    this.numGroups = numGroups;
    this.weight = new Float32Array(features).fill(1);
    this.bias = spec.params.includes('bias') ? new Float32Array(features) : null;
    this.params = spec.params.map((p) => this[p]);
    this.grads = this.params.map(() => new Float32Array(features));
    this.paramNames = [...spec.params];
    this.runningMean = spec.running ? new Float32Array(features) : null;
    this.runningVar = spec.running ? new Float32Array(features).fill(1) : null;
    this.buffers = spec.running ? { running_mean: this.runningMean, running_var: this.runningVar } : {};
    // x (kept for backward), y and gradInput per batch size: a race alternates a
    // training batch with the test set, and would otherwise reallocate them every step
    this.scratch = new Map();
    this.x = null; // the last forward's input, { data, shape }
    this.gradInput = null;
    this.mode = null;
  }

  forward(x, [N, C], mode = {}) {
    let b = this.scratch.get(N);
    if (!b) {
      b = { x: { data: new Float32Array(N * C), shape: [N, C] }, y: new Float32Array(N * C), gradInput: new Float32Array(N * C) };
      this.scratch.set(N, b);
    }
    b.x.data.set(x.subarray(0, N * C));
    this.x = b.x;
    this.gradInput = b.gradInput;
    this.mode = { training: mode.training ?? true, updateRunningStats: mode.updateRunningStats };
    return this.spec.forward(this.nl, this.x, this, this.mode, b.y).data;
  }

  backward(gradOutput) {
    const g = { data: gradOutput, shape: this.x.shape };
    const outs = { gradInputOut: this.gradInput, gradWeightOut: this.grads[0] };
    if (this.bias) outs.gradBiasOut = this.grads[1];
    this.spec.backward(this.nl, g, this.x, this, this.mode, outs);
    return this.gradInput;
  }
}
