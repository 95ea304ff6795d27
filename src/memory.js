// Wasm memory: tensors that live there (WasmTensor) and the scratch buffers
// of one call (Frame).  Memory can grow during any malloc, which detaches every
// Float32Array over the old buffer, so views are always made fresh from
// `memory.buffer` at the moment of use and never cached.

import { checkDims, checkFloatData, fail, fmtShape, product } from './checks.js';

export class Heap {
  constructor(exports, maxBytes) {
    this.memory = exports.memory;
    this.malloc = exports.malloc;
    this.free = exports.free;
    this.maxBytes = maxBytes;
    // Frees the memory of a WasmTensor that was dropped without free().
    this.finalizer = new FinalizationRegistry((ptr) => this.free(ptr));
  }

  /** malloc that throws a RangeError instead of returning NULL. */
  alloc(bytes, what, op) {
    const ptr = bytes <= this.maxBytes ? this.malloc(Math.max(bytes, 8)) : 0;
    if (!ptr) {
      throw fail(RangeError, op, `${what} needs ${bytes} bytes, more than wasm memory can hold ` +
        `(at most ${this.maxBytes} bytes in all)`);
    }
    return ptr;
  }

  /** Is `value` a view of this wasm memory (detached when memory grows)? */
  holds(value) { return ArrayBuffer.isView(value) && value.buffer === this.memory.buffer; }

  /** An input that may be such a view (a WasmTensor's .data), copied before any malloc of the call can detach it. */
  pin(value) { return this.holds(value) ? value.slice() : value; }

  f32(ptr, length) { return new Float32Array(this.memory.buffer, ptr, length); }
  f64(ptr, length) { return new Float64Array(this.memory.buffer, ptr, length); }
}

/** A float32 tensor in wasm memory.  Ops read and write it without copies. */
export class WasmTensor {
  #heap;
  #ptr;
  #size;
  #shape;

  constructor(heap, shape, values, maxElements) {
    const op = 'tensor';
    shape = checkDims(shape, 'shape', op);
    const size = product(shape);
    if (size > maxElements) {
      throw fail(RangeError, op, `shape ${fmtShape(shape)} has ${size} elements; ` +
        `the most one tensor may have is ${maxElements}`);
    }
    if (values !== undefined) {
      checkFloatData(values, 'values', op);
      if (values.length !== size) {
        throw fail(RangeError, op, `values has ${values.length} elements but shape ${fmtShape(shape)} needs ${size}`);
      }
    }
    values = heap.pin(values); // another tensor's .data would be detached if this malloc grows memory
    this.#heap = heap;
    this.#shape = shape;
    this.#size = size;
    this.#ptr = heap.alloc(size * 4, `a tensor of shape ${fmtShape(shape)}`, op);
    const view = heap.f32(this.#ptr, size);
    if (values === undefined) view.fill(0); else view.set(values);
    heap.finalizer.register(this, this.#ptr, this);
  }

  get shape() { return [...this.#shape]; }
  get size() { return this.#size; }
  get freed() { return this.#ptr === 0; }

  /** The heap this tensor lives in, and its address (for the ops). */
  ptrIn(heap, name, op) {
    if (this.#ptr === 0) throw fail(TypeError, op, `${name} is a WasmTensor that was freed`);
    if (heap !== this.#heap) throw fail(TypeError, op, `${name} is a WasmTensor of another normlab instance`);
    return this.#ptr;
  }

  get data() {
    if (this.#ptr === 0) throw new TypeError('WasmTensor.data: the tensor was freed');
    return this.#heap.f32(this.#ptr, this.#size);
  }

  set(values) {
    checkFloatData(values, 'values', 'WasmTensor.set');
    if (values.length !== this.#size) {
      throw new RangeError(`WasmTensor.set: values has ${values.length} elements, the tensor has ${this.#size}`);
    }
    this.data.set(values);
    return this;
  }

  toArray() { return this.data.slice(); }

  free() {
    if (this.#ptr === 0) return;
    this.#heap.finalizer.unregister(this);
    this.#heap.free(this.#ptr);
    this.#ptr = 0;
  }
}

/** The scratch memory of one call: every buffer is freed by release(). */
export class Frame {
  constructor(heap, op) {
    this.heap = heap;
    this.op = op;
    this.owned = null; // made on the first alloc: calls on WasmTensors allocate nothing
  }

  alloc(bytes, what) {
    const ptr = this.heap.alloc(bytes, what, this.op);
    (this.owned ??= []).push(ptr);
    return ptr;
  }

  /** Address of float data in wasm memory: a WasmTensor's own, or a copy. */
  input(value, length, name) {
    if (value instanceof WasmTensor) return value.ptrIn(this.heap, name, this.op);
    const ptr = this.alloc(length * 4, name);
    this.heap.f32(ptr, length).set(value);
    return ptr;
  }

  /** Optional parameter: 0 (NULL) when absent. */
  param(value, length, name) {
    return value == null ? 0 : this.input(value, length, name);
  }

  release() {
    if (this.owned) for (const ptr of this.owned) this.heap.free(ptr);
    this.owned = null;
  }
}

/** Length of a parameter (WasmTensor or array), for the shape checks. */
export function paramLength(value, name, op) {
  if (value instanceof WasmTensor) return value.size;
  checkFloatData(value, name, op);
  return value.length;
}

