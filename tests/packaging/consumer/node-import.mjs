// Node, ESM: import('normlab') and run the app's check; prints JSON.
import { checkLayerNorm } from './check.js';

const { loadNormlab } = await import('normlab');
console.log(JSON.stringify(await checkLayerNorm(loadNormlab)));
