// The five ops, each described once: what the API checks and runs (api.js),
// what the module classes default to (modules.js), how the tests call an op
// from a fixture record, what the benchmark lays out and how the page runs a
// layer all read this table.  One entry per op:
//
//   torch       torch.nn.functional's name (also the page's layer kind) and the torch.nn classes
//   args        the positional arguments after x, in order
//   options     the op's options (every op also takes `out` and `stats`) with their
//               defaults, in the order checked and listed in "unknown option" errors;
//               null: none.  What a name means is the same in every op (ARGUMENTS).
//   noneIsDefault  options torch accepts as None, meaning the default
//   inputStats  the flag that says the statistics come from x (torch's `training`,
//               `use_input_stats`): then x needs more than one value per statistic
//               and the running statistics are updated; without it they are required
//   layout      (shape, a, op) -> the group layout: the kernel's sizes (rows, n or N, C, S, G),
//               `groups` (statistics reported, one per group), `groupSize`, `paramLength`
//               (of weight, bias, running statistics) and `paramMismatch(name, len, L)`
//               (torch's message for a wrong length); throws what torch throws for a bad shape
//   kernel      the C export and its arguments by name: pointers (x, y, weight, bias,
//               runningMean, runningVar, stats), the layout's sizes and the checked options
//
//   backward    the C export of the op's backward (nl.<op>Backward: the upstream gradient first,
//               then the forward op's own arguments, checked as the forward checks them) and its
//               arguments: gradOutput, x and gradInput; `saved`, the forward's statistics (two
//               doubles per group, or 0: recomputed); gradWeight and gradBias (0: no such parameter).
//               Momentum is accepted and does not enter the gradient.

import { checkNormalizedShape, describe, fail, fmtShape, product } from './checks.js';

/** torch.finfo(torch.float32).eps: RMSNorm's default eps (torch >= 2.4). */
export const FLT_EPSILON = 2 ** -23;

/** What an argument name means, the same in every op: its kind and torch's name for it. */
export const ARGUMENTS = {
  normalizedShape: { kind: 'shape', torch: 'normalized_shape' },
  numGroups: { kind: 'count', torch: 'num_groups' },
  weight: { kind: 'param', torch: 'weight' }, // floats of paramLength, or none
  bias: { kind: 'param', torch: 'bias' },
  runningMean: { kind: 'running', torch: 'running_mean' }, // floats of paramLength, updated in place
  runningVar: { kind: 'running', torch: 'running_var' },
  training: { kind: 'boolean', torch: 'training' },
  useInputStats: { kind: 'boolean', torch: 'use_input_stats' },
  momentum: { kind: 'number', max: 1, torch: 'momentum' },
  eps: { kind: 'number', max: Infinity, torch: 'eps' },
};

export const OPS = {
  layerNorm: {
    torch: { functional: 'layer_norm', modules: ['LayerNorm'] },
    args: ['normalizedShape'],
    options: { weight: null, bias: null, eps: 1e-5 },
    layout: (shape, a, op) => rowLayout(shape, a.normalizedShape, op),
    // The kernel applies a bias only with a weight: a lone bias gets unit weights (weightOrOnes).
    kernel: ['nl_layer_norm', 'x', 'y', 'rows', 'n', 'weightOrOnes', 'bias', 'eps', 'stats'],
    backward: ['nl_layer_norm_backward', 'gradOutput', 'x', 'gradInput', 'rows', 'n', 'weight', 'eps', 'saved',
      'gradWeight', 'gradBias'],
  },
  rmsNorm: {
    torch: { functional: 'rms_norm', modules: ['RMSNorm'] },
    args: ['normalizedShape'],
    options: { weight: null, eps: FLT_EPSILON },
    noneIsDefault: ['eps'],
    layout: (shape, a, op) => rowLayout(shape, a.normalizedShape, op),
    kernel: ['nl_rms_norm', 'x', 'y', 'rows', 'n', 'weight', 'eps', 'stats'],
    backward: ['nl_rms_norm_backward', 'gradOutput', 'x', 'gradInput', 'rows', 'n', 'weight', 'eps', 'saved',
      'gradWeight'],
  },
  groupNorm: {
    torch: { functional: 'group_norm', modules: ['GroupNorm'] },
    args: ['numGroups'],
    options: { weight: null, bias: null, eps: 1e-5 },
    layout: groupLayout,
    kernel: ['nl_group_norm', 'x', 'y', 'N', 'C', 'S', 'G', 'weight', 'bias', 'eps', 'stats'],
    backward: ['nl_group_norm_backward', 'gradOutput', 'x', 'gradInput', 'N', 'C', 'S', 'G', 'weight', 'eps', 'saved',
      'gradWeight', 'gradBias'],
  },
  instanceNorm: {
    torch: { functional: 'instance_norm', modules: ['InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d'] },
    args: [],
    options: {
      runningMean: null, runningVar: null, weight: null, bias: null, useInputStats: true, momentum: 0.1, eps: 1e-5,
    },
    inputStats: { flag: 'useInputStats', count: (L) => L.S, what: 'spatial element' },
    layout: (shape, a, op) => channelLayout(shape, op, 'planes'), // a group per (n, c) plane
    kernel: ['nl_instance_norm', 'x', 'y', 'N', 'C', 'S', 'weight', 'bias', 'runningMean', 'runningVar',
      'useInputStats', 'momentum', 'eps', 'stats'],
    // the running statistics even when useInputStats: a forward that updates them takes the plain strategy
    backward: ['nl_instance_norm_backward', 'gradOutput', 'x', 'gradInput', 'N', 'C', 'S', 'weight', 'runningMean',
      'runningVar', 'useInputStats', 'eps', 'saved', 'gradWeight', 'gradBias'],
  },
  batchNorm: {
    torch: { functional: 'batch_norm', modules: ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d'] },
    args: ['runningMean', 'runningVar'],
    options: { weight: null, bias: null, training: false, momentum: 0.1, eps: 1e-5 },
    inputStats: { flag: 'training', count: (L) => L.N * L.S, what: 'value per channel' },
    layout: (shape, a, op) => channelLayout(shape, op, 'channels'), // a group per channel, over the batch
    kernel: ['nl_batch_norm', 'x', 'y', 'N', 'C', 'S', 'weight', 'bias', 'runningMean', 'runningVar',
      'training', 'momentum', 'eps', 'stats'],
    backward: ['nl_batch_norm_backward', 'gradOutput', 'x', 'gradInput', 'N', 'C', 'S', 'weight', 'runningMean',
      'runningVar', 'training', 'eps', 'saved', 'gradWeight', 'gradBias'],
  },
};

export const OP_NAMES = Object.keys(OPS);

/** nl.<op>Backward: the name of op's backward. */
export const backwardName = (op) => `${op}Backward`;
export const BACKWARD_NAMES = OP_NAMES.map(backwardName);

/** The op whose torch.nn.functional name (the page's layer kind) is `name`. */
export const opOfTorch = (name) => OP_NAMES.find((op) => OPS[op].torch.functional === name);

/**
 * nl[op](x, ...) called with the arguments named in `record` (a fixture's
 * args, a module's fields, a page layer's settings): the positional ones in
 * order, and as options those of the op's option names that `record` has,
 * over `extra` (out, stats).  Other names in `record` are ignored.
 */
export const callOp = (nl, op, x, record, extra = {}) => nl[op](x, ...argumentsOf(op, record, extra));

/** nl[op + 'Backward'](gradOutput, x, ...), with the arguments named in `record` as callOp takes them. */
export const callBackward = (nl, op, gradOutput, x, record, extra = {}) =>
  nl[backwardName(op)](gradOutput, x, ...argumentsOf(op, record, extra));

function argumentsOf(op, record, extra) {
  const { args, options } = OPS[op];
  const given = { ...extra };
  for (const name in options) if (name in record) given[name] = record[name];
  return [...args.map((name) => record[name]), given];
}

// ---- group layouts ----
// Each a plain object literal, made in one go: a layout is made at every call.

/** LayerNorm, RMSNorm: rows of the n = prod(normalizedShape) trailing elements; parameters per element. */
function rowLayout(shape, normalizedShape, op) {
  const ns = checkNormalizedShape(normalizedShape, op);
  if (ns.length === 0) {
    throw fail(RangeError, op, 'Expected normalized_shape to be at least 1-dimensional, i.e., containing ' +
      'at least one element, but got normalized_shape = []');
  }
  const lead = shape.length - ns.length; // plain loops: this runs at every call
  let matches = lead >= 0;
  for (let i = 0; matches && i < ns.length; i++) matches = shape[lead + i] === ns[i];
  if (!matches) {
    throw fail(RangeError, op, `Given normalized_shape=${fmtShape(ns)}, expected input with shape ` +
      `[*, ${ns.join(', ')}], but got input of size${fmtShape(shape)}`);
  }
  let n = 1, rows = 1;
  for (let i = 0; i < ns.length; i++) n *= ns[i];
  for (let i = 0; i < lead; i++) rows *= shape[i];
  return { rows, n, groups: rows, groupSize: n, paramLength: n, normalizedShape: ns, paramMismatch: elementMismatch };
}

function elementMismatch(name, len, L) {
  return `Expected ${name} to be of same shape as normalized_shape, ` +
    `but got ${name} of shape [${len}] and normalized_shape = ${fmtShape(L.normalizedShape)}`;
}

/** (N, C, *spatial) as N, C, S = prod(spatial); parameters per channel; groups: 'planes' or 'channels'. */
function channelLayout(shape, op, groups) {
  checkChannels(shape, op);
  const N = shape[0], C = shape[1], S = product(shape, 2);
  const planes = groups === 'planes';
  return {
    N, C, S, groups: planes ? N * C : C, groupSize: planes ? S : N * S, paramLength: C,
    paramMismatch: channelMismatch,
  };
}

function checkChannels(shape, op) {
  if (shape.length < 2) {
    throw fail(RangeError, op, `expected input of shape (N, C, *) with at least 2 dimensions, ` +
      `got ${shape.length}D input of shape ${fmtShape(shape)}`);
  }
}

function channelMismatch(name, len, L) {
  return `${ARGUMENTS[name].torch} should contain ${L.C} elements (one per channel) not ${len}`;
}

/** GroupNorm: numGroups groups of C/G channels per sample. */
function groupLayout(shape, { numGroups }, op) {
  checkChannels(shape, op);
  const N = shape[0], C = shape[1], S = product(shape, 2);
  if (typeof numGroups !== 'number') {
    throw fail(TypeError, op, `numGroups must be a positive integer, got ${describe(numGroups)}`);
  }
  if (!Number.isInteger(numGroups) || numGroups < 1) {
    throw fail(RangeError, op, `numGroups must be a positive integer, got ${numGroups}`);
  }
  if (C % numGroups !== 0) {
    throw fail(RangeError, op, 'Expected number of channels in input to be divisible by num_groups, ' +
      `but got input of shape ${fmtShape(shape)} and num_groups=${numGroups}`);
  }
  // torch's _verify_batch_size on [N*C/G, G, *spatial]: always, GroupNorm's statistics always come from x.
  if (N * (C / numGroups) * S === 1) {
    verifyMoreThanOne(1, [N * C / numGroups, numGroups, ...shape.slice(2)], 'value per channel', op);
  }
  return {
    N, C, S, G: numGroups, groups: N * numGroups, groupSize: (C / numGroups) * S, paramLength: C, shape,
    paramMismatch: groupMismatch,
  };
}

function groupMismatch(name, len, L) {
  return `Expected ${name} to be a vector of size equal to the number of ` +
    `channels in input, but got ${name} of shape [${len}] and input of shape ${fmtShape(L.shape)}`;
}

/** torch's _verify_batch_size / _verify_spatial_size: statistics of one value are refused. */
export function verifyMoreThanOne(count, size, what, op) {
  if (count === 1) {
    throw fail(RangeError, op, `Expected more than 1 ${what} when training, got input size ${fmtShape(size)}`);
  }
}
