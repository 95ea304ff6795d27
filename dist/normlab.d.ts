export * from '../src/normlab.js';
