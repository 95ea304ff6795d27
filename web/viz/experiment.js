// One comparison run: every layer on the same tensor (through web/lab and the
// wasm kernels), each compared with the first; and the facts of one group.
import { compare, describe, layout, pytorchCode, runLayer, t, isLabError } from '../lab/index.js';

/** Tables and grids are drawn up to this many elements; the verdict and the
 * exports cover the whole tensor. */
export const DISPLAY_LIMIT = 512;
export const letter = (k) => String.fromCharCode(65 + k);

/** Text of a LabError (or any error) in `lang`. */
export function errorText(lang, e) {
  return isLabError(e) ? t(lang, e.key, e.params) : String(e && e.message || e);
}

/** Run every layer on the tensor and compare each with the first.
 * A layer that cannot take this shape gets { error } instead of a result. */
export function runExperiment(nl, shape, input, specs) {
  const tensor = { data: input, shape };
  const layers = specs.map((spec, k) => {
    const label = letter(k);
    try {
      return { label, spec, code: pytorchCode(spec, shape), info: describe(spec, shape), lay: layout(spec, shape), result: runLayer(nl, spec, tensor) };
    } catch (error) {
      if (!isLabError(error)) throw error;
      return { label, spec, error };
    }
  });
  const ok = layers.filter((l) => l.result);
  const pairs = ok.slice(1).map((b) => ({ a: ok[0], b, cmp: compare(ok[0].result, b.result, ok[0].spec, b.spec, shape, [ok[0].label, b.label]) }));
  return { shape, input, layers, ok, pairs };
}

function membersOf(groups, g) {
  const out = [];
  for (let i = 0; i < groups.length; i++) if (groups[i] === g) out.push(i);
  return out;
}

/** The eps a layer used (RMSNorm's None is float32's machine epsilon). */
export function epsOf(l) {
  return l.spec.params.eps ?? 1.1920928955078125e-7;
}

/** Group facts for element i of layer l: { g, members, x, y, mean, var, eps, rms }. */
export function groupFacts(exp, l, i) {
  const r = l.result, g = r.groups[i], members = membersOf(r.groups, g);
  return {
    g, members, x: members.map((q) => exp.input[q]), y: members.map((q) => r.data[q]),
    mean: r.stats.mean[g], var: r.stats.var[g], eps: epsOf(l), rms: l.spec.kind === 'rms_norm',
  };
}
