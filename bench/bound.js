// Loads bench/bound.wasm (built from bound.c by build-bound.sh): the two
// bandwidth bounds and the backward's, run on buffers that live in its own
// wasm memory.
import { readFile } from 'node:fs/promises';

export async function loadBound() {
  const bytes = await readFile(new URL('./bound.wasm', import.meta.url));
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: { emscripten_notify_memory_growth: () => {} },
  });
  const wasm = instance.exports;
  wasm._initialize();

  /** Copies `values` into a fresh buffer; returns its byte address. */
  function place(values) {
    const ptr = wasm.malloc(values.length * 4);
    if (!ptr) throw new Error('bound.wasm: out of memory');
    new Float32Array(wasm.memory.buffer, ptr, values.length).set(values);
    return ptr;
  }

  /** The two bounds over `x` laid out as `groups` spans of `n` floats. */
  function kernels(x, { rows: groups, n }) {
    const xp = place(x);
    const yp = place(new Float32Array(x.length));
    return {
      read2write1: () => wasm.read2_write1(xp, yp, groups, n),
      read1write1: () => wasm.read1_write1(xp, yp, x.length),
      free: () => { wasm.free(xp); wasm.free(yp); },
    };
  }

  /** The backward's bound over `x` and `dy` laid out as `groups` spans of `n` floats. */
  function backwardKernel(x, dy, { rows: groups, n }) {
    const [xp, dyp, dxp] = [x, dy, new Float32Array(x.length)].map(place);
    return {
      run: () => wasm.backward_read2_write1(xp, dyp, dxp, groups, n),
      free: () => [xp, dyp, dxp].forEach((p) => wasm.free(p)),
    };
  }
  return { kernels, backwardKernel };
}
