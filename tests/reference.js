// Moved to tests/helpers.js, the one place tests import from. This re-export
// stays only until bench/accuracy.js imports from there; then delete it.
export { batchNormRef, groupNormRef, instanceNormRef, layerNormRef, rmsNormRef } from './helpers.js';
