// The layer registry: specs and their text form, how each reads a shape,
// its PyTorch code, and running it on the wasm kernels.
export { KINDS, defaultParams, normalizeSpec, parseLayers, formatLayers, formatLayer } from './specs.js';
export { layout, groupOf, describe } from './layout.js';
export { pytorchCode } from './pytorch-code.js';
export { runLayer } from './run-layer.js';
