// How a layer reads a tensor of a given shape: which PyTorch module it is,
// what each axis means, and which elements share one set of statistics.
import { LabError } from './errors.js';
import { formatShape, product } from './parse.js';
import { normalizeSpec } from './specs.js';

// Names of the axes of an (N, C, *spatial) tensor of each rank.
const NAMES = { 1: ['L'], 2: ['N', 'C'], 3: ['N', 'C', 'L'], 4: ['N', 'C', 'H', 'W'], 5: ['N', 'C', 'D', 'H', 'W'] };
const SPATIAL = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);

function rowLayout(kind, params, shape) {
  const ns = params.normalizedShape ?? [shape[shape.length - 1]];
  const k = ns.length;
  if (k > shape.length || ns.some((d, i) => d !== shape[shape.length - k + i])) {
    throw new LabError('err.layer.ln_shape', { normalizedShape: formatShape(ns), shape: formatShape(shape) });
  }
  const n = product(ns);
  return {
    module: kind === 'layer_norm' ? 'LayerNorm' : 'RMSNorm', batched: true,
    rows: product(shape) / n, n, normalizedShape: ns, axisNames: NAMES[shape.length],
    reducedAxes: range(shape.length - k, shape.length),
  };
}

// InstanceNorm{d}d accepts (C, *spatial) unbatched or (N, C, *spatial).
// Without an explicit dim, a 3-D tensor is (N, C, L): the source document's case.
function instanceLayout(params, shape) {
  const r = shape.length;
  const dim = params.dim ?? { 2: 1, 3: 1, 4: 2, 5: 3 }[r];
  if (dim === undefined || (r !== dim + 1 && r !== dim + 2)) {
    const d = dim ?? 1; // only a 1-D tensor has no default dim
    throw new LabError('err.layer.in_rank', { module: `InstanceNorm${d}d`, want: `${d + 1}D / ${d + 2}D`, got: `${r}D` });
  }
  const module = `InstanceNorm${dim}d`;
  const batched = r === dim + 2;
  const lead = batched ? 2 : 1;
  return {
    module, batched, N: batched ? shape[0] : 1, C: shape[lead - 1], S: product(shape.slice(lead)),
    axisNames: [...(batched ? ['N'] : []), 'C', ...SPATIAL[dim]], reducedAxes: range(lead, r),
  };
}

// BatchNorm1d takes (N, C) or (N, C, L), 2d (N, C, H, W), 3d (N, C, D, H, W).
function batchLayout(params, shape) {
  const r = shape.length;
  const dim = params.dim ?? { 2: 1, 3: 1, 4: 2, 5: 3 }[r];
  const d = dim ?? 1; // only a 1-D tensor has no default dim
  const module = `BatchNorm${d}d`;
  const ok = d === 1 ? r === 2 || r === 3 : r === d + 2;
  if (dim === undefined || !ok) {
    throw new LabError('err.layer.bn_rank', { module, want: d === 1 ? '2D / 3D' : `${d + 2}D`, got: `${r}D` });
  }
  return {
    module, batched: true, N: shape[0], C: shape[1], S: product(shape.slice(2)),
    axisNames: NAMES[r], reducedAxes: [0, ...range(2, r)],
  };
}

function groupLayout(params, shape) {
  const r = shape.length;
  if (r < 2) throw new LabError('err.layer.gn_rank', { got: `${r}D` });
  const C = shape[1];
  const G = params.numGroups;
  if (C % G !== 0) throw new LabError('err.layer.gn_groups', { groups: G, channels: C });
  return {
    module: 'GroupNorm', batched: true, N: shape[0], C, S: product(shape.slice(2)), G,
    axisNames: NAMES[r], reducedAxes: G === C ? range(2, r) : [1, ...range(2, r)],
  };
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

// Where a layer keeps running statistics: 'none', 'update' (training) or 'use' (eval).
export function runningStatsMode(params) {
  if (params.trackRunningStats !== true) return 'none';
  return params.training ? 'update' : 'use';
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
  // The axes weight and bias live on: LayerNorm's trailing normalized_shape
  // axes, every other layer's channel axis.
  const paramAxes = !params.affine ? null
    : rowWise ? lay.reducedAxes.slice() : [kind === 'instance_norm' && !lay.batched ? 0 : 1];
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
    groupCount, groupSize, paramShape, paramAxes,
    paramInit: params.affine ? (params.randomAffine === null ? 'initial' : 'random') : null,
    dependsOnBatch: kind === 'batch_norm' && running !== 'use',
    runningStats: running,
    layoutKey: layoutKey(kind, lay),
    typicalUse: TYPICAL_USE[kind],
    nameKey: `layer.${kind}`,
  };
}
