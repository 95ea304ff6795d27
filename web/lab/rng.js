// Seeded input values, so a link reproduces the same tensor everywhere.
import { LabError } from './errors.js';
import { clipText, product } from './parse.js';
import { mulberry32, normals } from '../../src/rng.js';

export const VALUE_KINDS = ['random', 'uniform', 'ramp'];
export const MAX_SEED = 0xffffffff;

/** The one seed rule (links, the page's seed field, the element's seed
 * attribute): a whole number from 0 to 4294967295, digits only. */
export function parseSeed(text) {
  const s = String(text ?? '').trim();
  if (/^\d{1,10}$/.test(s) && Number(s) <= MAX_SEED) return Number(s);
  throw new LabError('err.seed', { value: clipText(s) });
}

// The one generator (src/rng.js, where the library's training code can reach it).
export { mulberry32, normals };

export function makeValues(kind, shape, seed) {
  const count = product(shape);
  if (kind === 'random') return normals(count, seed);
  if (kind === 'uniform') {
    const next = mulberry32(seed);
    return Float32Array.from({ length: count }, next);
  }
  if (kind === 'ramp') return Float32Array.from({ length: count }, (_, i) => i);
  throw new LabError('err.values.kind', { kind: String(kind) });
}
