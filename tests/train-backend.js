// TEMPORARY, until issue 15's backward ops (nl.layerNormBackward and the
// others) land in src/api.js: the backend the training layers (src/train/norms.js)
// are tested and benchmarked on. No Node imports, so that a browser test can
// load it too. Delete it, and its re-export in tests/helpers.js, with them.
import * as reference64 from '../web/lab/reference64.js';

/**
 * nl as the training layers call it: nl itself once it has issue 15's
 * backward ops. Until they land (TEMPORARY, remove with them): nl's forward
 * ops, and in place of each nl.*Backward the float64 reference's, rounded to
 * float32 and answering as the real op will ({ gradInput, gradWeight,
 * gradBias }, each { data, shape } or null).
 */
export function trainingBackend(nl) {
  if (typeof nl.layerNormBackward === 'function') return nl;
  const f32Grads = (r) => Object.fromEntries(Object.entries(r).map(([k, t]) =>
    [k, t && { data: Float32Array.from(t.data), shape: t.shape }]));
  return {
    simd: nl.simd,
    batchNorm: nl.batchNorm.bind(nl),
    layerNorm: nl.layerNorm.bind(nl),
    groupNorm: nl.groupNorm.bind(nl),
    rmsNorm: nl.rmsNorm.bind(nl),
    batchNormBackward: (g, x, rm, rv, o) => f32Grads(reference64.batchNormBackward64(g.data, x.data, x.shape, rm, rv, o)),
    layerNormBackward: (g, x, ns, o) => f32Grads(reference64.layerNormBackward64(g.data, x.data, x.shape, ns, o)),
    groupNormBackward: (g, x, G, o) => f32Grads(reference64.groupNormBackward64(g.data, x.data, x.shape, G, o)),
    rmsNormBackward: (g, x, ns, o) => f32Grads(reference64.rmsNormBackward64(g.data, x.data, x.shape, ns, o)),
  };
}
