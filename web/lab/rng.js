// Seeded input values, so a link reproduces the same tensor everywhere.
import { LabError } from './errors.js';
import { clipText, product } from './parse.js';

export const VALUE_KINDS = ['random', 'uniform', 'ramp'];
export const MAX_SEED = 0xffffffff;

/** The one seed rule (links, the page's seed field, the element's seed
 * attribute): a whole number from 0 to 4294967295, digits only. */
export function parseSeed(text) {
  const s = String(text ?? '').trim();
  if (/^\d{1,10}$/.test(s) && Number(s) <= MAX_SEED) return Number(s);
  throw new LabError('err.seed', { value: clipText(s) });
}

// mulberry32: a small 32-bit PRNG with a full period; good enough for a demo.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
export function normals(count, seed) {
  const next = mulberry32(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const phi = 2 * Math.PI * next();
    out[i] = r * Math.cos(phi);
    if (i + 1 < count) out[i + 1] = r * Math.sin(phi);
  }
  return out;
}

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
