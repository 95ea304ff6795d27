// normlab: PyTorch-exact normalization layers on wasm kernels.
// The public entry: the loader and the functional ops (core.js) and the
// torch.nn-style module classes (modules.js).  Types: normlab.d.ts.
export * from './core.js';
export * from './modules.js';
