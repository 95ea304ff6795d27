// How a layer reads a tensor of a given shape: which PyTorch module it is,
// what each axis means, and which elements share one set of statistics.
// Where torch 1.13 raises for this layer and shape, layout() raises too: a
// LabError with the reason (key, params) and torch's exception in `torch`,
// checked in torch's own order (Python checks, then ATen's). The messages are
// pinned by tests/fixtures/snippets.json (tests/snippets.test.js).
import { torchError } from './errors.js';
import { product } from './parse.js';
import { normalizeSpec } from './specs.js';

// Names of the axes of an (N, C, *spatial) tensor of each rank.
const NAMES = { 1: ['L'], 2: ['N', 'C'], 3: ['N', 'C', 'L'], 4: ['N', 'C', 'H', 'W'], 5: ['N', 'C', 'D', 'H', 'W'] };
const SPATIAL = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);
// Sizes as torch prints them: "2, 3, 4" (the reasons wrap them in brackets).
const dims = (shape) => shape.join(', ');
const torchSize = (shape) => `torch.Size([${dims(shape)}])`;

function rowLayout(kind, params, shape) {
  const ns = params.normalizedShape ?? [shape[shape.length - 1]];
  const k = ns.length;
  if (k === 0) {
    throw torchError('err.layer.ln_empty', {}, 'RuntimeError',
      'Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []');
  }
  if (k > shape.length || ns.some((d, i) => d !== shape[shape.length - k + i])) {
    throw torchError('err.layer.ln_shape', { normalizedShape: dims(ns), shape: dims(shape) }, 'RuntimeError',
      `Given normalized_shape=[${dims(ns)}], expected input with shape [*, ${dims(ns)}], but got input of size[${dims(shape)}]`);
  }
  const n = product(ns);
  return {
    module: kind === 'layer_norm' ? 'LayerNorm' : 'RMSNorm', batched: true,
    rows: product(shape) / n, n, normalizedShape: ns, axisNames: NAMES[shape.length],
    reducedAxes: range(shape.length - k, shape.length),
  };
}

// Where a layer keeps running statistics: 'none', 'update' (training) or 'use' (eval).
export function runningStatsMode(params) {
  if (params.trackRunningStats !== true) return 'none';
  return params.training ? 'update' : 'use';
}

// The parameter or buffer torch checks first whose size is num_features:
// running_mean (with track_running_stats), else weight (with affine).
function sizedBuffer(params) {
  if (params.trackRunningStats) return 'running_mean';
  return params.affine ? 'weight' : null;
}

// torch's instance_norm repeats weight and running stats once per sample and
// runs batch_norm on (1, N*C, *): its messages count N*C and N*num_features.
function instanceChecks(params, lay, shape) {
  const { N, C, S } = lay;
  const usesInput = runningStatsMode(params) !== 'use';
  if (usesInput && S === 1) {
    const size = lay.batched ? shape : [1, ...shape];
    throw torchError('err.layer.in_spatial', { size: dims(size) }, 'ValueError',
      `Expected more than 1 spatial element when training, got input size ${torchSize(size)}`);
  }
  if (params.momentum === null) {
    throw torchError('err.layer.in_momentum_none', {}, 'TypeError',
      "instance_norm(): argument 'momentum' (position 7) must be float, not NoneType");
  }
  const nf = params.numFeatures ?? C;
  const buffer = sizedBuffer(params);
  if (nf === C || buffer === null) return;
  const why = { module: lay.module, numFeatures: nf, C, axes: lay.axisNames.join(', '), rank: shape.length };
  const key = buffer === 'weight'
    ? (lay.batched ? 'err.layer.in_weight_batched' : 'err.layer.in_weight_unbatched')
    : (lay.batched ? 'err.layer.in_running_batched' : 'err.layer.in_running_unbatched');
  if (product(shape) > 0) {
    throw torchError(key, why, 'RuntimeError', `${buffer} should contain ${N * C} elements not ${N * nf}`);
  }
  // An empty input skips batch_norm's size checks; what fails then is the
  // weight's first element, or copying the averaged running stats back.
  if (params.affine && N * nf === 0) {
    throw torchError(key, why, 'IndexError', 'select(): index 0 out of range for tensor of size [0] at dimension 0');
  }
  if (params.trackRunningStats && nf !== C) {
    if (N * nf !== N * C) throw torchError(key, why, 'RuntimeError', `shape '[${N}, ${C}]' is invalid for input of size ${N * nf}`);
    if (C !== 1) {
      throw torchError(key, why, 'RuntimeError',
        `The size of tensor a (${nf}) must match the size of tensor b (${C}) at non-singleton dimension 0`);
    }
  }
}

// InstanceNorm{d}d accepts (C, *spatial) unbatched or (N, C, *spatial).
// Without an explicit dim, a 3-D tensor is (N, C, L): the source document's case.
function instanceLayout(params, shape) {
  const r = shape.length;
  const dim = params.dim ?? { 2: 1, 3: 1, 4: 2, 5: 3 }[r];
  if (dim === undefined || (r !== dim + 1 && r !== dim + 2)) {
    const d = dim ?? 1; // only a 1-D tensor has no default dim
    throw torchError('err.layer.in_rank', { module: `InstanceNorm${d}d`, want: `${d + 1}D / ${d + 2}D`, got: `${r}D` },
      'ValueError', `expected ${d + 1}D or ${d + 2}D input (got ${r}D input)`);
  }
  const module = `InstanceNorm${dim}d`;
  const batched = r === dim + 2;
  const lead = batched ? 2 : 1;
  const lay = {
    module, batched, N: batched ? shape[0] : 1, C: shape[lead - 1], S: product(shape.slice(lead)),
    axisNames: [...(batched ? ['N'] : []), 'C', ...SPATIAL[dim]], reducedAxes: range(lead, r),
  };
  instanceChecks(params, lay, shape);
  return lay;
}

function batchChecks(params, lay, shape) {
  const { N, C, S } = lay;
  // torch normalizes with this batch's statistics unless eval has running ones
  if (runningStatsMode(params) !== 'use' && N * S === 1) {
    throw torchError('err.layer.bn_single', { size: dims(shape) }, 'ValueError',
      `Expected more than 1 value per channel when training, got input size ${torchSize(shape)}`);
  }
  const nf = params.numFeatures ?? C;
  const buffer = sizedBuffer(params);
  if (nf === C || buffer === null || product(shape) === 0) return; // an empty batch returns before the checks
  throw torchError(buffer === 'weight' ? 'err.layer.bn_weight' : 'err.layer.bn_running', { module: lay.module, numFeatures: nf, C },
    'RuntimeError', `${buffer} should contain ${C} elements not ${nf}`);
}

// BatchNorm1d takes (N, C) or (N, C, L), 2d (N, C, H, W), 3d (N, C, D, H, W).
function batchLayout(params, shape) {
  const r = shape.length;
  const dim = params.dim ?? { 2: 1, 3: 1, 4: 2, 5: 3 }[r];
  const d = dim ?? 1; // only a 1-D tensor has no default dim
  const module = `BatchNorm${d}d`;
  const ok = d === 1 ? r === 2 || r === 3 : r === d + 2;
  if (dim === undefined || !ok) {
    const want = d === 1 ? '2D or 3D' : `${d + 2}D`;
    throw torchError('err.layer.bn_rank', { module, want: d === 1 ? '2D / 3D' : `${d + 2}D`, got: `${r}D` },
      'ValueError', `expected ${want} input (got ${r}D input)`);
  }
  const lay = {
    module, batched: true, N: shape[0], C: shape[1], S: product(shape.slice(2)),
    axisNames: NAMES[r], reducedAxes: [0, ...range(2, r)],
  };
  batchChecks(params, lay, shape);
  return lay;
}

// What nn.GroupNorm(num_groups, num_channels) checks when it is built. With
// numChannels null the page builds GroupNorm(G, C) for the input's C.
function groupConstruction(params, C) {
  const channels = params.numChannels ?? C;
  if (channels !== undefined && channels % params.numGroups !== 0) {
    throw torchError('err.layer.gn_groups', { groups: params.numGroups, channels }, 'ValueError',
      'num_channels must be divisible by num_groups', 'construct');
  }
}

function groupLayout(params, shape) {
  const r = shape.length;
  const G = params.numGroups;
  groupConstruction(params, r >= 2 ? shape[1] : undefined);
  if (r < 2) {
    throw torchError('err.layer.gn_rank', { got: `${r}D` }, 'IndexError',
      'Dimension out of range (expected to be in range of [-1, 0], but got 1)');
  }
  const [N, C] = shape;
  // F.group_norm's Python check, on the list [N*C//G, G, *spatial]
  const list = [Math.floor((N * C) / G), G, ...shape.slice(2)];
  if (list[0] * product(shape.slice(2)) === 1) {
    throw torchError('err.layer.gn_single', { size: dims(list) }, 'ValueError',
      `Expected more than 1 value per channel when training, got input size [${dims(list)}]`);
  }
  if (C % G !== 0) {
    throw torchError('err.layer.gn_divisible', { groups: G, channels: C, shape: dims(shape) }, 'RuntimeError',
      `Expected number of channels in input to be divisible by num_groups, but got input of shape [${dims(shape)}] and num_groups=${G}`);
  }
  const channels = params.numChannels ?? C;
  if (params.affine && channels !== C) {
    throw torchError('err.layer.gn_weight', { numChannels: channels, channels: C, shape: dims(shape) }, 'RuntimeError',
      `Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [${channels}] and input of shape [${dims(shape)}]`);
  }
  return {
    module: 'GroupNorm', batched: true, N, C, S: product(shape.slice(2)), G,
    axisNames: NAMES[r], reducedAxes: G === C ? range(2, r) : [1, ...range(2, r)],
  };
}

/** What building the spec's module raises in torch before it sees any input
 * (nn.GroupNorm(4, 6)); nothing for the other layers. Throws a LabError. */
export function checkConstruction(spec) {
  const { kind, params } = normalizeSpec(spec);
  if (kind === 'group_norm' && params.numChannels !== null) groupConstruction(params);
}

export function layout(spec, shape) {
  const { kind, params } = normalizeSpec(spec);
  if (kind === 'layer_norm' || kind === 'rms_norm') return rowLayout(kind, params, shape);
  if (kind === 'instance_norm') return instanceLayout(params, shape);
  if (kind === 'batch_norm') return batchLayout(params, shape);
  return groupLayout(params, shape);
}

// Group id of every element, in the order the library reports statistics:
// LayerNorm rows, InstanceNorm (n, c) planes, GroupNorm (n, g), BatchNorm c.
export function groupOf(spec, shape) {
  const { kind } = normalizeSpec(spec);
  const lay = layout(spec, shape);
  const size = product(shape);
  const ids = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    if (kind === 'layer_norm' || kind === 'rms_norm') ids[i] = Math.floor(i / lay.n);
    else {
      const plane = Math.floor(i / lay.S); // n * C + c
      if (kind === 'instance_norm') ids[i] = plane;
      else if (kind === 'batch_norm') ids[i] = plane % lay.C;
      else ids[i] = Math.floor(plane / lay.C) * lay.G + Math.floor((plane % lay.C) / (lay.C / lay.G));
    }
  }
  return ids;
}

const TYPICAL_USE = {
  layer_norm: 'use.layer_norm', instance_norm: 'use.instance_norm', group_norm: 'use.group_norm',
  rms_norm: 'use.rms_norm', batch_norm: 'use.batch_norm',
};

function layoutKey(kind, lay) {
  if (kind === 'instance_norm') return `layout.in${lay.module.slice(-2, -1)}d_${lay.batched ? 'batched' : 'unbatched'}`;
  if (kind === 'batch_norm') return 'layout.batch_norm';
  if (kind === 'group_norm') return 'layout.group_norm';
  return 'layout.layer_norm';
}

// The facts of the feature table.
export function describe(spec, shape) {
  const { kind, params } = normalizeSpec(spec);
  const lay = layout(spec, shape);
  const running = runningStatsMode(params);
  const rowWise = kind === 'layer_norm' || kind === 'rms_norm';
  let groupCount; let groupSize; let paramShape = null;
  // The channel axis: 0 of an unbatched InstanceNorm input, else 1.
  const channelAxis = rowWise ? null : kind === 'instance_norm' && !lay.batched ? 0 : 1;
  // The axes weight (and bias) live on: LayerNorm's and RMSNorm's trailing
  // normalized_shape axes, every other layer's channel axis.
  const paramAxes = !params.affine ? null : rowWise ? lay.reducedAxes.slice() : [channelAxis];
  if (rowWise) {
    [groupCount, groupSize] = [lay.rows, lay.n];
    paramShape = params.affine ? lay.normalizedShape.slice() : null;
  } else {
    const g = kind === 'instance_norm' ? [lay.N * lay.C, lay.S]
      : kind === 'batch_norm' ? [lay.C, lay.N * lay.S] : [lay.N * lay.G, (lay.C / lay.G) * lay.S];
    [groupCount, groupSize] = g;
    paramShape = params.affine ? [lay.C] : null;
  }
  // In eval with running statistics nothing is reduced over this input.
  const reducedAxes = running === 'use' ? [] : lay.reducedAxes;
  return {
    module: lay.module,
    axisNames: lay.axisNames.slice(),
    reducedAxes: reducedAxes.slice(),
    reducedNames: reducedAxes.map((a) => lay.axisNames[a]),
    channelsPerGroup: kind === 'group_norm' ? lay.C / lay.G : null,
    channelAxis, channels: rowWise ? null : lay.C,
    groupCount, groupSize, paramShape, paramAxes,
    // torch's parameters: RMSNorm has a weight only (torch >= 2.4), the others
    // a weight and a bias (docs/pytorch-semantics.md §2, §9).
    paramNames: !params.affine ? [] : kind === 'rms_norm' ? ['weight'] : ['weight', 'bias'],
    paramInit: params.affine ? (params.randomAffine === null ? 'initial' : 'random') : null,
    dependsOnBatch: kind === 'batch_norm' && running !== 'use',
    runningStats: running,
    // In eval with running statistics the input's layout decides nothing but
    // the channel of each element.
    layoutKey: running === 'use' ? 'layout.running_eval' : layoutKey(kind, lay),
    typicalUse: TYPICAL_USE[kind],
    nameKey: `layer.${kind}`,
  };
}
