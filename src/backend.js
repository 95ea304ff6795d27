// The instance the module classes run on when none is given: the most
// recently loaded one.  Kept apart so modules.js need not import normlab.js.
let last = null;

export const setDefaultBackend = (nl) => { last = nl; };

export function defaultBackend() {
  if (!last) throw new Error('normlab: call `await loadNormlab()` before forward(), or pass { backend }');
  return last;
}
