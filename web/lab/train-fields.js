// The training lab's settings as one table (as tensorflow/playground's
// state.ts does): each field's name in the race's settings (src/train/race.js),
// its name in a link and on <normlab-compare view="train">, its default, how
// its text is read (a LabError naming the field on bad text) and written.
// The page's controls, the link (web/lab/state.js) and the element all go
// through this table, so a field is described once.
import { LabError } from './errors.js';
import { clipText } from './parse.js';
import { parseSeed } from './rng.js';
import { DATASET_NAMES } from '../../src/train/data.js';
import { HIDDEN, NORM_CHOICES, OPTIMIZERS, RACE_DEFAULTS, SWEEP_BATCH_SIZES, SWEEP_EXAMPLES } from '../../src/train/race.js';
import { ACTIVATIONS } from '../../src/train/mlp.js';

/** The normalizations a race can train, in torch's functional names, and the
 * one that is offered only to say why it does not apply: the engine's own
 * lists (src/train/), as are the activations, optimizers and bounds below, so
 * the page offers exactly what it trains. */
export const TRAIN_NORMS = NORM_CHOICES;
export const REFUSED_NORM = 'instance_norm';
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS);
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS);
/** BatchNorm's test accuracy on running statistics (eval) or on batch statistics (train). */
export const BN_STATS = ['eval', 'train'];
export { HIDDEN, SWEEP_BATCH_SIZES };

const clip = (s) => clipText(String(s ?? '').trim(), 30);

function choice(key, names) {
  return (text) => {
    const v = String(text ?? '').trim().toLowerCase();
    if (names.includes(v)) return v;
    throw new LabError(key, { value: clip(text), choices: names.join(', ') });
  };
}

// A plain decimal or exponent number ("0.01", "1e-3"), nothing else ("0x1", "", "1,5").
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function number(key, min, max, { above = false, integer = false } = {}) {
  return (text) => {
    const s = String(text ?? '').trim();
    const v = NUMBER.test(s) ? Number(s) : NaN;
    const inRange = above ? v > min : v >= min;
    if (Number.isFinite(v) && inRange && v <= max && (!integer || Number.isInteger(v))) return v;
    throw new LabError(key, { value: clip(text), min, max });
  };
}

function parseHidden(text) {
  const parts = String(text ?? '').trim().split(/\s*[,x×]\s*/i);
  const { minLayers, maxLayers, minUnits, maxUnits } = HIDDEN;
  const units = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (units.length < minLayers || units.length > maxLayers || units.some((u) => !(u >= minUnits && u <= maxUnits))) {
    throw new LabError('train.err_hidden', { value: clip(text), minLayers, maxLayers, minUnits, maxUnits });
  }
  return units;
}

function parseNorms(text) {
  const names = String(text ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new LabError('train.err_norms_empty');
  if (names.includes(REFUSED_NORM)) throw new LabError('train.err_instance_norm');
  const bad = names.find((n) => !TRAIN_NORMS.includes(n));
  if (bad) throw new LabError('train.err_norm', { value: clip(bad), choices: TRAIN_NORMS.join(', ') });
  if (new Set(names).size !== names.length) throw new LabError('train.err_norms_repeat');
  // The race's order, whatever order the text gives: the same colours and rows every time.
  return TRAIN_NORMS.filter((n) => names.includes(n));
}

// Every run of a sweep sees the same number of examples, so the number is a
// multiple of every batch size the sweep trains at (the largest, 64, is a multiple of the rest).
function parseSweepExamples(text) {
  const step = SWEEP_BATCH_SIZES.at(-1);
  const v = number('train.err_sweep', step, 65536, { integer: true })(text);
  if (v % step === 0) return v;
  throw new LabError('train.err_sweep', { value: clip(text), min: step, max: 65536 });
}

const list = (v) => v.join(',');

/**
 * The fields. name: the race's setting (or the page's, for bnStats and
 * sweepExamples); url: its name in a link; attr: its attribute on the
 * element's view="train"; label: its i18n key. The defaults are the race's
 * and the sweep's (RACE_DEFAULTS and SWEEP_EXAMPLES of src/train/race.js).
 */
export const TRAIN_FIELDS = [
  { name: 'dataset', url: 'dataset', attr: 'dataset', label: 'train.dataset', default: RACE_DEFAULTS.dataset, parse: choice('train.err_dataset', DATASET_NAMES), format: String },
  { name: 'noise', url: 'noise', attr: 'noise', label: 'train.noise', default: RACE_DEFAULTS.noise, parse: number('train.err_noise', 0, 0.5), format: String },
  { name: 'hidden', url: 'hidden', attr: 'hidden', label: 'train.hidden', default: RACE_DEFAULTS.hidden, parse: parseHidden, format: list },
  { name: 'activation', url: 'act', attr: 'activation', label: 'train.activation', default: RACE_DEFAULTS.activation, parse: choice('train.err_activation', ACTIVATION_NAMES), format: String },
  { name: 'norms', url: 'norms', attr: 'norms', label: 'train.norms', default: TRAIN_NORMS, parse: parseNorms, format: list },
  { name: 'groups', url: 'groups', attr: 'groups', label: 'train.groups', default: RACE_DEFAULTS.groups, parse: number('train.err_groups', 1, HIDDEN.maxUnits, { integer: true }), format: String },
  { name: 'batchSize', url: 'batch', attr: 'batch-size', label: 'train.batch_size', default: RACE_DEFAULTS.batchSize, parse: number('train.err_batch', 2, 256, { integer: true }), format: String },
  { name: 'optimizer', url: 'opt', attr: 'optimizer', label: 'train.optimizer', default: RACE_DEFAULTS.optimizer, parse: choice('train.err_optimizer', OPTIMIZER_NAMES), format: String },
  { name: 'lr', url: 'lr', attr: 'lr', label: 'train.lr', default: RACE_DEFAULTS.lr, parse: number('train.err_lr', 0, 1, { above: true }), format: String },
  { name: 'steps', url: 'steps', attr: 'steps', label: 'train.steps', default: RACE_DEFAULTS.steps, parse: number('train.err_steps', 10, 5000, { integer: true }), format: String },
  { name: 'seed', url: 'tseed', attr: 'seed', label: 'train.seed', default: RACE_DEFAULTS.seed, parse: parseSeed, format: String },
  { name: 'bnStats', url: 'bnstats', attr: 'bn-stats', label: 'train.bn_stats', default: 'eval', parse: choice('train.err_bn_stats', BN_STATS), format: String },
  { name: 'sweepExamples', url: 'sweep', attr: 'sweep-examples', label: 'train.sweep_examples', default: SWEEP_EXAMPLES, parse: parseSweepExamples, format: String },
];

export const TRAIN_FIELD = Object.fromEntries(TRAIN_FIELDS.map((f) => [f.name, f]));

const copy = (v) => (Array.isArray(v) ? v.slice() : v);

/** The default training settings (fresh arrays). */
export function defaultTrain() {
  return Object.fromEntries(TRAIN_FIELDS.map((f) => [f.name, copy(f.default)]));
}

/** True when `value` is the field's default (a link leaves it out). */
export function isDefault(field, value) {
  return field.format(value) === field.format(field.default);
}

/**
 * The checks between fields, which no one field's text can make: GroupNorm's
 * groups must divide every hidden size (only when GroupNorm races). Returns
 * [{ field, error }] (field: the name of the control the message goes next to).
 */
export function crossFieldProblems(train) {
  const problems = [];
  if (train.norms.includes('group_norm')) {
    const bad = train.hidden.find((units) => units % train.groups !== 0);
    if (bad !== undefined) {
      problems.push({ field: 'groups', error: new LabError('train.err_groups_divide', { groups: train.groups, units: bad }) });
    }
  }
  return problems;
}

/** The race's settings (src/train/race.js) for the page's training settings:
 * every field but the page's own (bnStats, sweepExamples); count and
 * testFraction are left to the race's defaults. */
export function raceSettings(train) {
  const { bnStats, sweepExamples, ...settings } = train;
  return { ...settings, hidden: settings.hidden.slice(), norms: settings.norms.slice() };
}
