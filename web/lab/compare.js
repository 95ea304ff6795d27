// The verdict on two layers run on the same input: identical or different,
// and why, in reasons the page renders with t(lang, key, params).
import { describe } from './layout.js';
import { normalizeSpec } from './specs.js';
import { FLOAT32_EPS } from './constants.js'; // RMSNorm's eps=None

export const SAME_TOLERANCE = 1e-5;

// |a - b| per element; NaN or the same infinity on both sides counts as equal.
function absDiff(a, b) {
  const diff = new Float32Array(a.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const same = Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]));
    const d = same ? 0 : Number.isFinite(a[i]) && Number.isFinite(b[i]) ? Math.abs(a[i] - b[i]) : Infinity;
    diff[i] = d;
    if (d > max) max = d;
  }
  return { diff, max };
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

function layerReasons(label, spec, info, shape) {
  const base = { layer: label, module: info.module };
  const out = [];
  if (info.runningStats === 'use') out.push({ key: 'cmp.running_stats', params: base });
  else {
    out.push({ key: 'cmp.reduces', params: { ...base, axes: info.reducedNames.join(', '), groupSize: info.groupSize, groupCount: info.groupCount } });
  }
  if (info.layoutKey.endsWith('_unbatched')) {
    out.push({ key: 'cmp.unbatched', params: { ...base, axes: info.axisNames.join(', ') } });
  }
  if (info.channelsPerGroup !== null) {
    out.push({ key: 'cmp.gn_channels', params: { ...base, perGroup: info.channelsPerGroup, channels: shape[1] } });
  }
  out.push(info.paramShape
    ? { key: 'cmp.params', params: { ...base, shape: `[${info.paramShape.join(', ')}]` } }
    : { key: 'cmp.no_params', params: base });
  if (spec.kind === 'rms_norm') out.push({ key: 'cmp.rms_no_mean', params: base });
  if (info.dependsOnBatch) out.push({ key: 'cmp.batch_dependent', params: base });
  return out;
}

const axisList = (info) => info.paramAxes.map((ax) => info.axisNames[ax]).join(', ');

// Weight and bias: at their initial values they change nothing; whether they
// could keep two layers equal depends on the axes they live on.
function paramReasons(infoA, infoB, [labelA, labelB]) {
  const inits = [infoA.paramInit, infoB.paramInit];
  if (inits.every((x) => x === null)) return [];
  const out = [{ key: inits.includes('random') ? 'cmp.params_random' : 'cmp.params_initial', params: {} }];
  if (infoA.paramAxes && infoB.paramAxes) {
    if (axisList(infoA) !== axisList(infoB)) {
      out.push({ key: 'cmp.param_axes_differ', params: { layerA: labelA, layerB: labelB, axesA: axisList(infoA), axesB: axisList(infoB) } });
    }
  } else {
    out.push({ key: 'cmp.param_only_one', params: { layer: infoA.paramAxes ? labelA : labelB } });
  }
  return out;
}

// labels: the names of the two layers in the reasons (the page's letters).
export function compare(resultA, resultB, specA, specB, shape, labels = ['A', 'B']) {
  const a = normalizeSpec(specA);
  const b = normalizeSpec(specB);
  const infoA = describe(a, shape);
  const infoB = describe(b, shape);
  const { diff, max } = absDiff(resultA.data, resultB.data);
  const identical = max <= SAME_TOLERANCE;
  const sameGroups = samePartition(resultA.groups, resultB.groups);

  const reasons = [{ key: identical ? 'cmp.identical' : 'cmp.different', params: { maxAbsDiff: max } }];
  reasons.push(...layerReasons(labels[0], a, infoA, shape), ...layerReasons(labels[1], b, infoB, shape));
  reasons.push({ key: sameGroups ? 'cmp.same_groups' : 'cmp.different_groups', params: {} });
  const size1 = sameGroups ? sizeOneAxes(infoA, infoB, shape) : null;
  if (size1) reasons.push({ key: 'cmp.only_because_size1', params: { axes: size1 } });
  reasons.push(...paramReasons(infoA, infoB, labels));
  const epsA = a.params.eps ?? FLOAT32_EPS;
  const epsB = b.params.eps ?? FLOAT32_EPS;
  if (epsA !== epsB) reasons.push({ key: 'cmp.eps_differs', params: { epsA, epsB } });
  if (hasNonFinite(resultA.data) || hasNonFinite(resultB.data)) reasons.push({ key: 'cmp.nonfinite', params: {} });
  if (identical && !sameGroups) reasons.push({ key: 'cmp.coincidence', params: {} });
  return { identical, maxAbsDiff: max, diff, sameGroups, reasons };
}
