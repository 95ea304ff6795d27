// The verdict on two layers run on the same input: identical or different,
// and why, in reasons the page renders with t(lang, key, params).
import { describe } from './layout.js';
import { normalizeSpec } from './specs.js';
import { FLOAT32_EPS } from './constants.js'; // RMSNorm's eps=None

export const SAME_TOLERANCE = 1e-5;

// |a - b|; NaN or the same infinity on both sides counts as equal.
function elementDiff(a, b) {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  return Number.isFinite(a) && Number.isFinite(b) ? Math.abs(a - b) : Infinity;
}

function absDiff(a, b) {
  const diff = new Float32Array(a.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    diff[i] = elementDiff(a[i], b[i]);
    if (diff[i] > max) max = diff[i];
  }
  return { diff, max };
}

/** The largest |a[i] - b[i]|, as the verdict counts it (0 for empty arrays):
 * e.g. a float32 output against its float64 reference. */
export function largestDifference(a, b) {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, elementDiff(a[i], b[i]));
  return max;
}

// Whether two group labellings split the elements into the same sets.
function samePartition(ga, gb) {
  const ab = new Map();
  const ba = new Map();
  for (let i = 0; i < ga.length; i++) {
    if ((ab.get(ga[i]) ?? gb[i]) !== gb[i] || (ba.get(gb[i]) ?? ga[i]) !== ga[i]) return false;
    ab.set(ga[i], gb[i]);
    ba.set(gb[i], ga[i]);
  }
  return true;
}

const hasNonFinite = (data) => data.some((v) => !Number.isFinite(v));

// Axes reduced by one layer and not the other; the groups can still match
// when every such axis has size 1 ("the same only because H = 1").
function sizeOneAxes(infoA, infoB, shape) {
  const a = new Set(infoA.reducedAxes);
  const b = new Set(infoB.reducedAxes);
  const only = [...new Set([...a, ...b])].filter((ax) => a.has(ax) !== b.has(ax)).sort((x, y) => x - y);
  if (only.length === 0 || only.some((ax) => shape[ax] !== 1)) return null;
  return only.map((ax) => `${infoA.axisNames[ax] ?? infoB.axisNames[ax]} = 1`).join(', ');
}

// What a layer with running statistics does with them (docs/pytorch-semantics.md §4):
// in eval it normalizes with them; in training it updates them.
function runningReasons(spec, info, base) {
  if (info.runningStats === 'use') {
    return [{ key: 'cmp.running_stats', params: { ...base, channels: info.channels } },
      { key: 'cmp.running_fresh', params: base }];
  }
  if (info.runningStats !== 'update') return [];
  const { momentum } = spec.params;
  if (spec.kind === 'instance_norm') return [{ key: 'cmp.running_update_in', params: { ...base, momentum } }];
  if (momentum === null) return [{ key: 'cmp.running_update_cumulative', params: base }];
  return [{ key: 'cmp.running_update', params: { ...base, momentum } }];
}

function paramsReason(info, base) {
  if (!info.paramShape) return { key: 'cmp.no_params', params: base };
  const shape = `[${info.paramShape.join(', ')}]`;
  return { key: info.paramNames.includes('bias') ? 'cmp.params' : 'cmp.params_weight', params: { ...base, shape } };
}

function layerReasons(label, spec, info, shape) {
  const base = { layer: label, module: info.module };
  const out = [];
  if (info.runningStats === 'use') out.push(...runningReasons(spec, info, base));
  else {
    out.push({ key: 'cmp.reduces', params: { ...base, axes: info.reducedNames.join(', '), groupSize: info.groupSize, groupCount: info.groupCount } });
  }
  if (info.layoutKey.endsWith('_unbatched')) {
    out.push({ key: 'cmp.unbatched', params: { ...base, axes: info.axisNames.join(', ') } });
  }
  if (info.channelsPerGroup !== null) {
    out.push({ key: 'cmp.gn_channels', params: { ...base, perGroup: info.channelsPerGroup, channels: shape[1] } });
  }
  out.push(paramsReason(info, base));
  if (spec.kind === 'rms_norm') out.push({ key: 'cmp.rms_no_mean', params: base });
  if (info.dependsOnBatch) out.push({ key: 'cmp.batch_dependent', params: base });
  if (info.runningStats === 'update') out.push(...runningReasons(spec, info, base));
  return out;
}

const axisList = (info) => info.paramAxes.map((ax) => info.axisNames[ax]).join(', ');

/** Dims as torch's dim= argument takes them: 2, or (1, 2). */
export const torchDims = (axes) => (axes.length === 1 ? String(axes[0]) : `(${axes.join(', ')})`);

// The two layers' parameter axes, compared by position in the tensor: the
// same name can be two axes (an unbatched InstanceNorm's C is dim 0, the
// others' dim 1), and then the reason names the dims too.
function paramAxesReason(infoA, infoB, labelA, labelB) {
  if (infoA.paramAxes.join() === infoB.paramAxes.join()) return [];
  const params = { layerA: labelA, layerB: labelB, axesA: axisList(infoA), axesB: axisList(infoB) };
  const namesA = infoA.paramAxes.map((ax) => infoA.axisNames[ax]);
  const clash = infoB.paramAxes.some((ax) => namesA.includes(infoB.axisNames[ax]) && !infoA.paramAxes.includes(ax))
    || params.axesA === params.axesB;
  if (!clash) return [{ key: 'cmp.param_axes_differ', params }];
  return [{ key: 'cmp.param_axes_differ_dims', params: { ...params, dimsA: torchDims(infoA.paramAxes), dimsB: torchDims(infoB.paramAxes) } }];
}

// Weight and bias: at their initial values they change nothing; whether they
// could keep two layers equal depends on the axes they live on.
function paramReasons(infoA, infoB, [labelA, labelB]) {
  const inits = [infoA.paramInit, infoB.paramInit];
  if (inits.every((x) => x === null)) return [];
  const out = [{ key: inits.includes('random') ? 'cmp.params_random' : 'cmp.params_initial', params: {} }];
  if (infoA.paramAxes && infoB.paramAxes) {
    out.push(...paramAxesReason(infoA, infoB, labelA, labelB));
  } else {
    const info = infoA.paramAxes ? infoA : infoB;
    const key = info.paramNames.includes('bias') ? 'cmp.param_only_one' : 'cmp.param_only_one_weight';
    out.push({ key, params: { layer: infoA.paramAxes ? labelA : labelB } });
  }
  return out;
}

// The A-B difference beside float32 rounding. ref64: both layers' float64
// outputs (web/viz/experiment.js); error64 is how far the farther of the two
// float32 outputs is from its own, diff64 how far apart the float64 outputs are.
function precision(max, identical, resultA, resultB, ref64) {
  const out = { error64: null, diff64: null, reasons: [] };
  // A zero-size tensor (torch accepts them): nothing to be equal or round.
  if (resultA.data.length === 0) return { ...out, reasons: [{ key: 'cmp.empty', params: {} }] };
  if (max === 0) out.reasons.push({ key: 'cmp.exact', params: {} });
  if (!ref64) return out;
  out.error64 = [largestDifference(resultA.data, ref64[0]), largestDifference(resultB.data, ref64[1])];
  out.diff64 = largestDifference(ref64[0], ref64[1]);
  const error64 = Math.max(...out.error64);
  if (max === 0 || !identical) out.reasons.push({ key: 'cmp.rounding_scale', params: { error64 } });
  else if (out.diff64 <= error64) out.reasons.push({ key: 'cmp.rounding', params: { error64 } });
  else out.reasons.push({ key: 'cmp.below_tolerance', params: { tolerance: SAME_TOLERANCE, error64, diff64: out.diff64 } });
  return out;
}

/** Reasons that belong in the verdict's headline, after the first one: how
 * the difference compares with float32 rounding. */
export const HEADLINE_KEYS = ['cmp.empty', 'cmp.exact', 'cmp.rounding', 'cmp.rounding_scale', 'cmp.below_tolerance'];

// NaN and Infinity (docs/pytorch-semantics.md §6): a group with one is all NaN
// where a mean is subtracted; RMSNorm turns an infinity into NaN at its place
// and 0 elsewhere in the group; running statistics act element by element.
function nonFiniteReasons(specs, infos, labels) {
  const kindOf = (k) => (infos[k].runningStats === 'use' ? 'running' : specs[k].kind === 'rms_norm' ? 'rms' : 'group');
  const kinds = [0, 1].map(kindOf);
  const out = kinds.includes('group') ? [{ key: 'cmp.nonfinite', params: {} }] : [];
  kinds.forEach((kind, k) => {
    const params = { layer: labels[k], module: infos[k].module };
    if (kind === 'rms') out.push({ key: 'cmp.nonfinite_rms', params });
    if (kind === 'running') out.push({ key: 'cmp.nonfinite_running', params });
  });
  return out;
}

// labels: the names of the two layers in the reasons (the page's letters).
// options.ref64: [float64 output of A, of B] (web/viz/experiment.js), so the
// verdict can set the difference beside float32 rounding.
export function compare(resultA, resultB, specA, specB, shape, labels = ['A', 'B'], options = {}) {
  const a = normalizeSpec(specA);
  const b = normalizeSpec(specB);
  const infoA = describe(a, shape);
  const infoB = describe(b, shape);
  const { diff, max } = absDiff(resultA.data, resultB.data);
  const identical = max <= SAME_TOLERANCE;
  const sameGroups = samePartition(resultA.groups, resultB.groups);

  const scale = precision(max, identical, resultA, resultB, options.ref64);
  const reasons = [{ key: identical ? 'cmp.identical' : 'cmp.different', params: { maxAbsDiff: max } }, ...scale.reasons];
  reasons.push(...layerReasons(labels[0], a, infoA, shape), ...layerReasons(labels[1], b, infoB, shape));
  // A layer in eval with running statistics computes no mean or variance over
  // any group of this input: the group reasons would not be true of it.
  const fromInput = infoA.runningStats !== 'use' && infoB.runningStats !== 'use';
  if (fromInput) reasons.push({ key: sameGroups ? 'cmp.same_groups' : 'cmp.different_groups', params: {} });
  const size1 = sameGroups && fromInput ? sizeOneAxes(infoA, infoB, shape) : null;
  if (size1) reasons.push({ key: 'cmp.only_because_size1', params: { axes: size1 } });
  reasons.push(...paramReasons(infoA, infoB, labels));
  const epsA = a.params.eps ?? FLOAT32_EPS;
  const epsB = b.params.eps ?? FLOAT32_EPS;
  if (epsA !== epsB) reasons.push({ key: 'cmp.eps_differs', params: { epsA, epsB } });
  if (hasNonFinite(resultA.data) || hasNonFinite(resultB.data)) reasons.push(...nonFiniteReasons([a, b], [infoA, infoB], labels));
  if (identical && !sameGroups && fromInput) reasons.push({ key: 'cmp.coincidence', params: {} });
  return { identical, maxAbsDiff: max, diff, sameGroups, error64: scale.error64, diff64: scale.diff64, reasons };
}
