// The float64 reference (web/lab/reference64.js) called the way normlab's ops
// are (a shape, normalizedShape, numGroups) and answering the way they do
// ({ data, stats: { mean, var, rstd }, runningMean, runningVar }), for the
// API, error, leak and non-finite tests; plus their comparison, sample data
// and a probe of the wasm heap.

export { batchNorm64, groupNorm64, instanceNorm64, layerNorm64, rmsNorm64 } from '../web/lab/reference64.js';

/**
 * Assert every |got[i] - want[i]| <= tol * (1 + |want[i]|); NaN must meet NaN
 * and an infinity the same infinity.  Throws an Error naming the first bad index.
 */
export function expectClose(got, want, label, tol = 2e-6) {
  if (got.length !== want.length) throw new Error(`${label}: length ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isFinite(want[i]) ? Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i]))
      : Object.is(got[i], want[i]);
    if (!ok) throw new Error(`${label}: index ${i}: got ${got[i]}, expected ${want[i]}`);
  }
}

/** n deterministic, irregular float32 values (no RNG needed for these tests). */
export const sample = (n, seed = 1) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 1.7 * seed) * 3 + ((i * seed) % 5) - 1);

/**
 * Where the allocator puts the next 64-byte tensor: the same before and after a
 * call if, and only if, the call gave back all it took (emmalloc reuses the
 * freed chunk first).  Read from the tensor's data view: no API exposes it.
 */
export function nextAddress(nl) {
  const probe = nl.tensor([16]);
  const at = probe.data.byteOffset;
  probe.free();
  return at;
}
