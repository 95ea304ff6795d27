// Module classes with torch.nn's constructor defaults.  They hold parameters
// and running statistics and call the functional ops; forward() follows the
// matching torch 1.13 Module.forward line by line.  backward(gradOutput) takes
// the gradient of the last forward() (its input, statistics and mode, kept by
// forward) and adds gradWeight and gradBias to what they hold, as torch adds
// to .grad; zeroGrad() sets them to null.
//
// Which instance a module runs on: the one given as `backend` when it was
// made (or set later: m.backend = nl), else the default instance, looked up
// at each forward(): what loadNormlab() with no options loads under the
// current configure() settings (loader.js), whichever other builds were
// loaded; forward() throws while it has not loaded.

import { defaultInstance } from './loader.js';
import { WasmTensor } from './memory.js';
import { OPS, callBackward, callOp } from './ops.js';
import {
  checkBoolean, checkNormalizedShape, checkNumber, checkOptions, describe, fail, fmtShape, product,
} from './checks.js';

const ones = (n) => new Float32Array(n).fill(1);

/** The module's fields that op takes (its positional arguments and options), as the call's record. */
function pick(module, op) {
  const record = {};
  for (const name of [...OPS[op].args, ...Object.keys(OPS[op].options)]) if (name in module) record[name] = module[name];
  return record;
}

class Module {
  constructor(backend) {
    // duck-typed, so that an instance of another copy of the library (an app that both imports and requires it) works
    if (backend != null && typeof backend.batchNorm !== 'function') {
      throw fail(TypeError, new.target.name, `backend must be a normlab instance (from loadNormlab), got ${describe(backend)}`);
    }
    this.training = true;
    this.backend = backend ?? null;
    this.gradWeight = null; // torch's weight.grad: null until a backward()
    this.gradBias = null;
    this.lastForward = null; // what backward() needs of the last forward(): { op, x, shape, record, stats }
  }

  /**
   * Run op on x (batched: `input`; `shape`: the shape forward() was given) with the arguments named
   * in `record`, keep what backward() needs, and return the output in the given shape.
   */
  run(op, x, input, record) {
    const y = callOp(this.nl, op, input, record, { stats: true });
    // a plain input is copied: the caller may reuse its buffer before backward()
    const kept = input instanceof WasmTensor ? input : { data: Float32Array.from(input.data), shape: y.shape };
    this.lastForward = { op, x: kept, shape: [...x.shape], record, stats: y.stats };
    return { data: y.data, shape: [...x.shape] };
  }

  /** The gradient of the last forward() for the upstream gradient gradOutput (of its output's shape):
   * returns gradInput; adds the parameters' gradients to gradWeight and gradBias. */
  backward(gradOutput) {
    const name = `${this.constructor.name}.backward`;
    const last = this.lastForward;
    if (last === null) throw fail(TypeError, name, 'call forward(x) first: backward() takes the gradient of the last forward()');
    const shape = gradOutput?.shape;
    if (shape && (shape.length !== last.shape.length || [...shape].some((d, i) => d !== last.shape[i]))) {
      throw fail(RangeError, name, `gradOutput.shape ${fmtShape([...shape])} must be the forward input's shape ` +
        `${fmtShape(last.shape)}`);
    }
    // an unbatched forward ran on a batch of one: so does its gradient
    const batched = last.x.shape.length === last.shape.length ? gradOutput : asBatchOfOne(gradOutput, name);
    const grads = callBackward(this.nl, last.op, batched, last.x, last.record, { saved: last.stats });
    this.gradWeight = accumulate(this.gradWeight, grads.gradWeight);
    this.gradBias = accumulate(this.gradBias, grads.gradBias);
    return { data: grads.gradInput.data, shape: [...last.shape] };
  }

  /** Forget the accumulated gradients (torch's zero_grad(), set_to_none as in torch >= 2.0). */
  zeroGrad() {
    this.gradWeight = null;
    this.gradBias = null;
  }

  train(mode = true) {
    this.training = checkBoolean(mode, 'mode', `${this.constructor.name}.train`, true);
    return this;
  }

  eval() { return this.train(false); }

  get nl() {
    const nl = this.backend ?? defaultInstance();
    if (!nl) {
      throw new Error('normlab: the module classes run on the default instance: call `await loadNormlab()` ' +
        '(no options; configure() sets which build) before forward(), or pass { backend }');
    }
    return nl;
  }
}

/** .grad += grad, in float32 as torch adds (null: no such parameter). */
function accumulate(sum, grad) {
  if (grad === null) return sum;
  if (sum === null) return Float32Array.from(grad.data);
  for (let i = 0; i < sum.length; i++) sum[i] += grad.data[i];
  return sum;
}

/** An integer count >= min: numGroups >= 1; sizes may be 0, as in torch (empty tensors, semantics §6). */
function countOf(value, name, op, min) {
  const expected = min === 0 ? 'a non-negative integer' : 'a positive integer';
  if (typeof value !== 'number') throw fail(TypeError, op, `${name} must be ${expected}, got ${describe(value)}`);
  if (!Number.isSafeInteger(value) || value < min) throw fail(RangeError, op, `${name} must be ${expected}, got ${value}`);
  return value;
}

/** The shared start of LayerNorm and RMSNorm: options, normalized_shape, eps
 * (read by the subclass's rule), and the elementwise weight. */
class ElementwiseNorm extends Module {
  constructor(op, normalizedShape, options, readEps) {
    const o = checkOptions(options, ['eps', 'elementwiseAffine', 'backend'], op);
    super(o.backend);
    this.normalizedShape = checkNormalizedShape(normalizedShape, op);
    this.eps = readEps(o.eps, op);
    const affine = checkBoolean(o.elementwiseAffine, 'elementwiseAffine', op, true);
    this.weight = affine ? ones(product(this.normalizedShape)) : null;
  }
}

export class LayerNorm extends ElementwiseNorm {
  constructor(normalizedShape, options) {
    super('LayerNorm', normalizedShape, options,
      (eps, op) => checkNumber(eps, 'eps', op, { fallback: OPS.layerNorm.options.eps }));
    this.bias = this.weight ? new Float32Array(this.weight.length) : null;
  }

  forward(x) { return this.run('layerNorm', x, x, pick(this, 'layerNorm')); }
}

/** torch >= 2.4's nn.RMSNorm; eps null means float32 machine epsilon. */
export class RMSNorm extends ElementwiseNorm {
  constructor(normalizedShape, options) {
    super('RMSNorm', normalizedShape, options, (eps, op) => (eps == null ? null : checkNumber(eps, 'eps', op, {})));
  }

  forward(x) { return this.run('rmsNorm', x, x, pick(this, 'rmsNorm')); } // eps null: the default
}

export class GroupNorm extends Module {
  constructor(numGroups, numChannels, options) {
    const op = 'GroupNorm';
    const o = checkOptions(options, ['eps', 'affine', 'backend'], op);
    super(o.backend);
    this.numGroups = countOf(numGroups, 'numGroups', op, 1);
    this.numChannels = countOf(numChannels, 'numChannels', op, 0);
    if (numChannels % numGroups !== 0) {
      throw fail(RangeError, op, `num_channels must be divisible by num_groups, got numChannels=${numChannels} ` +
        `and numGroups=${numGroups}`);
    }
    this.eps = checkNumber(o.eps, 'eps', op, { fallback: OPS.groupNorm.options.eps });
    this.affine = checkBoolean(o.affine, 'affine', op, true);
    this.weight = this.affine ? ones(numChannels) : null;
    this.bias = this.affine ? new Float32Array(numChannels) : null;
  }

  forward(x) { return this.run('groupNorm', x, x, pick(this, 'groupNorm')); }
}

/** Shared state of InstanceNorm and BatchNorm (torch's _NormBase). */
class NormBase extends Module {
  constructor(numFeatures, options, defaults) {
    const op = new.target.name;
    const o = checkOptions(options, ['eps', 'momentum', 'affine', 'trackRunningStats', 'backend'], op);
    super(o.backend);
    const { eps, momentum } = OPS[defaults.op].options;
    this.numFeatures = countOf(numFeatures, 'numFeatures', op, 0);
    this.eps = checkNumber(o.eps, 'eps', op, { fallback: eps });
    this.momentum = o.momentum === null ? null : checkNumber(o.momentum, 'momentum', op, { fallback: momentum, max: 1 });
    this.affine = checkBoolean(o.affine, 'affine', op, defaults.affine);
    this.trackRunningStats = checkBoolean(o.trackRunningStats, 'trackRunningStats', op, defaults.trackRunningStats);
    this.weight = this.affine ? ones(numFeatures) : null;
    this.bias = this.affine ? new Float32Array(numFeatures) : null;
    this.runningMean = this.trackRunningStats ? new Float32Array(numFeatures) : null;
    this.runningVar = this.trackRunningStats ? ones(numFeatures) : null;
    this.numBatchesTracked = 0;
  }

  /** torch's "expected 2D or 3D input (got 4D input)". */
  checkRank(x, ranks) {
    const shape = x?.shape;
    if (!Array.isArray(shape)) return; // the functional op reports a malformed x
    if (!ranks.includes(shape.length)) {
      const expected = ranks.map((r) => `${r}D`).join(' or ');
      throw fail(RangeError, this.constructor.name, `expected ${expected} input (got ${shape.length}D input)`);
    }
  }
}

class InstanceNorm extends NormBase {
  constructor(numFeatures, options) {
    super(numFeatures, options, { op: 'instanceNorm', affine: false, trackRunningStats: false });
  }

  forward(x) {
    const op = this.constructor.name;
    const batchedRank = this.constructor.spatialDims + 2;
    this.checkRank(x, [batchedRank - 1, batchedRank]);
    if (this.momentum === null) {
      throw fail(TypeError, op, "instance_norm(): argument 'momentum' (position 7) must be float, not NoneType");
    }
    // a malformed x (no shape array) goes on to instanceNorm, which says what is wrong
    const unbatched = Array.isArray(x?.shape) && x.shape.length === batchedRank - 1;
    const input = unbatched ? asBatchOfOne(x, op) : x;
    return this.run('instanceNorm', x, input, {
      runningMean: this.runningMean, runningVar: this.runningVar, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum, eps: this.eps,
    });
  }
}

/** (C, *) viewed as (1, C, *): the same data, a batch of one. */
function asBatchOfOne(x, op) {
  if (x instanceof WasmTensor) {
    throw fail(TypeError, op, `an unbatched input must be a plain tensor { data, shape }, got a ` +
      `WasmTensor of shape ${fmtShape(x.shape)}; allocate it as ${fmtShape([1, ...x.shape])} instead`);
  }
  return { data: x.data, shape: [1, ...x.shape] };
}

export class InstanceNorm1d extends InstanceNorm { static spatialDims = 1; }
export class InstanceNorm2d extends InstanceNorm { static spatialDims = 2; }
export class InstanceNorm3d extends InstanceNorm { static spatialDims = 3; }

class BatchNorm extends NormBase {
  constructor(numFeatures, options) {
    super(numFeatures, options, { op: 'batchNorm', affine: true, trackRunningStats: true });
  }

  forward(x) {
    this.checkRank(x, this.constructor.ranks);
    const bnTraining = this.training || this.runningMean === null;
    const useRunning = !this.training || this.trackRunningStats;
    const counting = this.training && this.trackRunningStats;
    let momentum = this.momentum ?? 0;
    if (counting) {
      this.numBatchesTracked += 1;
      momentum = this.momentum ?? 1 / this.numBatchesTracked; // null: cumulative average
    }
    try {
      return this.run('batchNorm', x, x, {
        runningMean: useRunning ? this.runningMean : null, runningVar: useRunning ? this.runningVar : null,
        weight: this.weight, bias: this.bias, training: bnTraining, momentum, eps: this.eps,
      });
    } catch (err) {
      if (counting) this.numBatchesTracked -= 1; // a refused call changes nothing
      throw err;
    }
  }
}

export class BatchNorm1d extends BatchNorm { static ranks = [2, 3]; }
export class BatchNorm2d extends BatchNorm { static ranks = [4]; }
export class BatchNorm3d extends BatchNorm { static ranks = [5]; }
