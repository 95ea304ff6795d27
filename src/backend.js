// The instance the module classes run on when none is given: the default one,
// which loadNormlab() with no options loads under configure()'s settings (not
// whichever instance was loaded last).  core.js provides the lookup; kept
// apart so that modules.js need not import the loader.
let lookup = () => null;

export const setDefaultLookup = (fn) => { lookup = fn; };

export function defaultBackend() {
  const nl = lookup();
  if (!nl) {
    throw new Error('normlab: the module classes run on the default instance: call `await loadNormlab()` ' +
      '(no options; configure() sets which build) before forward(), or pass { backend }');
  }
  return nl;
}
