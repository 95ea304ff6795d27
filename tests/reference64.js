// Moved to tests/helpers.js, the one place tests import from. This re-export
// stays only until api, loader, prepare, pipeline and short-groups tests import
// from there (expectClose(got, want, label, tol) becomes
// assertClose(got, want, TOL.ref64, label) for the default tol); then delete it.
import { assertClose } from './helpers.js';

export {
  batchNorm64, groupNorm64, instanceNorm64, layerNorm64, nextAddress, rmsNorm64, sample,
} from './helpers.js';

export const expectClose = (got, want, label, tol = 2e-6) => assertClose(got, want, { abs: tol, rel: tol }, label);
