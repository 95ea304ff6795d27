// The library without the module classes, for the page and the element
// (which import only this): the loader (loader.js) and WasmTensor.  The ops
// are methods of the instance loadNormlab gives (api.js), each described once
// in the op table (ops.js).  src/normlab.js adds the module classes.
export { configure, loadNormlab, simdSupported } from './loader.js';
export { WasmTensor } from './memory.js';
