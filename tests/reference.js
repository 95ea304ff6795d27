// The float64 reference of every normlab op, for tests/fuzz.test.js and the
// other kernel tests: web/lab/reference64.js, the one reference the page uses
// too (layout: x is (N, C, S) row-major; LayerNorm/RMSNorm take rows of n).
export { batchNormRef, groupNormRef, instanceNormRef, layerNormRef, rmsNormRef } from '../web/lab/reference64.js';
