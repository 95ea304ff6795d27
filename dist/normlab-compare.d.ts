export * from '../src/normlab.js';
export * from '../web/normlab-compare.js';
