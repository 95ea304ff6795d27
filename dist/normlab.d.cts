// normlab: PyTorch-exact normalization layers in WebAssembly (SIMD128 or scalar).

/** A plain tensor: row-major float32 data and its shape. */
export interface Tensor {
  data: Float32Array;
  shape: number[];
}

/** Input tensors may carry a plain number array instead of a Float32Array. */
export interface TensorLike {
  data: Float32Array | ArrayLike<number>;
  shape: readonly number[];
}

/** Per-group statistics of a call: group g has mean[g] and biased var[g];
 * rstd[g] = 1 / sqrt(var[g] + eps).  Groups are, in order: LayerNorm/RMSNorm
 * rows (the leading dims), InstanceNorm (n, c) planes, GroupNorm (n, g) groups,
 * BatchNorm channels.  RMSNorm reports mean 0 and var = mean(x^2). */
export interface GroupStats {
  mean: Float64Array;
  var: Float64Array;
  rstd: Float64Array;
}

/** A tensor that lives in wasm memory: no copies when passed to an op.
 * Made by `nl.tensor(shape, values?)`, not by `new`; `x instanceof WasmTensor` works. */
export class WasmTensor {
  private constructor();
  readonly shape: number[];
  readonly size: number;
  /** A Float32Array view of the tensor in wasm memory. Memory growth detaches
   * old views: read `data` again after any call instead of keeping it. */
  readonly data: Float32Array;
  set(values: ArrayLike<number>): this;
  /** A copy of the data in a fresh Float32Array. */
  toArray(): Float32Array;
  free(): void;
  readonly freed: boolean;
}

/** Weight or bias: floats, or a WasmTensor (no copy). */
export type Param = Float32Array | ArrayLike<number> | WasmTensor | null | undefined;

/** Running statistics, updated in place: a Float32Array, Float64Array or
 * number[] (not an integer typed array, not a view of wasm memory), or a
 * WasmTensor. */
export type RunningStat = Float32Array | Float64Array | number[] | WasmTensor | null | undefined;

/** Where the output goes: a WasmTensor (no copy; may be x itself, for an
 * in-place call), a Float32Array of the right length that is not a view of
 * wasm memory (one copy, no allocation), or omitted (a fresh Float32Array). */
export type Out = WasmTensor | Float32Array;

/** Options are plain objects; an unknown option name is a TypeError. */
export interface CommonOptions {
  eps?: number;
  out?: Out;
  /** Also return the per-group mean/var/rstd. */
  stats?: boolean;
}

/** Ops return { data, shape } (plus stats when asked).  When `out` is a
 * WasmTensor and stats are not asked for, they return `out` itself. */
export interface Result extends Tensor {
  stats?: GroupStats;
}

/** A parameter's gradient goes here: a WasmTensor (returned itself) or a Float32Array of its length
 * that is not a view of wasm memory; only where the call has the parameter. */
export type GradOut = WasmTensor | Float32Array;

/** Options of every backward op beyond its forward op's (whose options, momentum included, it takes
 * unchanged; momentum does not enter the gradient).  Not `out` and `stats`. */
export interface BackwardOptions {
  /** Where gradInput goes (a WasmTensor may be gradOutput or x itself). */
  gradInputOut?: Out;
  gradWeightOut?: GradOut;
  gradBiasOut?: GradOut;
  /** The forward call's statistics (its result's `stats`, from `stats: true`): the kernel uses them
   * instead of recomputing them (the same gradients, bit for bit).  One mean and var per group. */
  saved?: { mean: ArrayLike<number>; var: ArrayLike<number> } | null;
}

/** What a backward op returns: torch's grad_input, weight.grad, bias.grad for that call, each null
 * where the call has no such parameter (gradInput never is).  A gradient written to a WasmTensor
 * given as its out is that tensor itself. */
export interface Gradients {
  gradInput: Tensor | WasmTensor;
  gradWeight: Tensor | WasmTensor | null;
  gradBias: Tensor | WasmTensor | null;
}

export interface Normlab {
  /** True when the SIMD128 build is loaded (as reported by the binary itself). */
  readonly simd: boolean;
  /** The largest number of float32 elements one tensor may have. */
  readonly maxElements: number;

  layerNorm(x: TensorLike | WasmTensor, normalizedShape: number | readonly number[],
            options?: CommonOptions & { weight?: Param; bias?: Param }): Result;
  instanceNorm(x: TensorLike | WasmTensor, options?: CommonOptions & {
    runningMean?: RunningStat; runningVar?: RunningStat; weight?: Param; bias?: Param;
    useInputStats?: boolean; momentum?: number }): Result;
  groupNorm(x: TensorLike | WasmTensor, numGroups: number,
            options?: CommonOptions & { weight?: Param; bias?: Param }): Result;
  /** Default eps: float32 machine epsilon (1.1920928955078125e-7), as torch >= 2.4. */
  rmsNorm(x: TensorLike | WasmTensor, normalizedShape: number | readonly number[],
          options?: CommonOptions & { weight?: Param }): Result;
  batchNorm(x: TensorLike | WasmTensor, runningMean: RunningStat, runningVar: RunningStat,
            options?: CommonOptions & { weight?: Param; bias?: Param; training?: boolean; momentum?: number }): Result;

  // The backward ops: the upstream gradient (x's shape) first, then the forward op's own arguments.
  layerNormBackward(gradOutput: TensorLike | WasmTensor, x: TensorLike | WasmTensor,
                    normalizedShape: number | readonly number[],
                    options?: BackwardOptions & { weight?: Param; bias?: Param; eps?: number }): Gradients;
  rmsNormBackward(gradOutput: TensorLike | WasmTensor, x: TensorLike | WasmTensor,
                  normalizedShape: number | readonly number[],
                  options?: BackwardOptions & { weight?: Param; eps?: number | null }): Gradients;
  groupNormBackward(gradOutput: TensorLike | WasmTensor, x: TensorLike | WasmTensor, numGroups: number,
                    options?: BackwardOptions & { weight?: Param; bias?: Param; eps?: number }): Gradients;
  /** useInputStats false: on the running statistics (then required), read and not updated. */
  instanceNormBackward(gradOutput: TensorLike | WasmTensor, x: TensorLike | WasmTensor,
                       options?: BackwardOptions & { runningMean?: RunningStat; runningVar?: RunningStat;
                         weight?: Param; bias?: Param; useInputStats?: boolean; momentum?: number; eps?: number }): Gradients;
  /** training false (the default): on the running statistics (then required), read and not updated. */
  batchNormBackward(gradOutput: TensorLike | WasmTensor, x: TensorLike | WasmTensor,
                    runningMean: RunningStat, runningVar: RunningStat,
                    options?: BackwardOptions & { weight?: Param; bias?: Param; training?: boolean;
                      momentum?: number; eps?: number }): Gradients;

  /** Allocate a tensor in wasm memory (zero-filled, or filled from `values`). */
  tensor(shape: readonly number[], values?: ArrayLike<number>): WasmTensor;

  /** The call nl[op](x, ...rest), checked now (throwing what the op would
   * throw); the returned function runs it on the tensors' contents at each
   * call, without the checks.  x must be a WasmTensor.  Weight, bias and
   * running statistics given as arrays are read at each call.  A backward
   * op takes (gradOutput, x, ...), both WasmTensors; its `saved` is read now. */
  prepare<K extends OpName>(op: K, x: WasmTensor, ...rest: OpRest<K>): () => ReturnType<Normlab[K]>;
  prepare<K extends BackwardOpName>(op: K, gradOutput: WasmTensor, x: WasmTensor,
                                    ...rest: BackwardRest<K>): () => Gradients;
}

/** The ops of the op table (src/ops.js), each a method of Normlab. */
export type OpName = 'layerNorm' | 'rmsNorm' | 'groupNorm' | 'instanceNorm' | 'batchNorm';
/** The arguments of op K after x. */
export type OpRest<K extends OpName> = Parameters<Normlab[K]> extends [unknown, ...infer R] ? R : never;
/** The backward ops, nl.<op>Backward. */
export type BackwardOpName = `${OpName}Backward`;
/** The arguments of backward op K after gradOutput and x. */
export type BackwardRest<K extends BackwardOpName> =
  Parameters<Normlab[K]> extends [unknown, unknown, ...infer R] ? R : never;

export interface LoadOptions {
  /** false forces the scalar build; default: SIMD where the engine validates it. */
  simd?: boolean;
  /** Where to fetch a .wasm you host yourself (default: none; the builds are
   * bundled as JS modules). A relative URL is resolved against the page. */
  wasmUrl?: string | URL;
  /** The .wasm bytes themselves (takes precedence over wasmUrl). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Load (once per distinct source) and return a normlab instance.  Options
 * not given come from configure(); a wasmUrl or wasmBinary given replaces the
 * configured source, and so does a simd given alone (that bundled build).  With a wasmUrl or wasmBinary the build is the one in
 * that file (`nl.simd` says which).  Without options this is the default
 * instance, the one the module classes run on. */
export function loadNormlab(options?: LoadOptions): Promise<Normlab>;

/** The settings every later loadNormlab() starts from, the <normlab-compare>
 * element's included.  Replaces earlier settings; configure({}) restores the
 * defaults.  Call it before the first load (a call in the same synchronous
 * module evaluation as `import 'normlab/element'` still counts). */
export function configure(options?: LoadOptions): void;

/** True where the engine validates wasm SIMD128 (then the SIMD build is the default). */
export function simdSupported(): boolean;

// ---- Module classes with torch.nn's constructor defaults ----
// forward() runs on the instance given as `backend` (in the constructor's
// options, or set later), or else on the default instance, looked up at each
// forward(): what `loadNormlab()` with no options loads under configure()'s
// settings (call `await loadNormlab()` first; loading other builds does not
// change it; before it has loaded, forward() throws and says so).

declare abstract class Module {
  training: boolean;
  /** The instance this module runs on; null: the default instance. */
  backend: Normlab | null;
  /** torch's weight.grad and bias.grad: null until a backward() (and where there is no such
   * parameter); each backward() adds to them, in float32, as torch adds to .grad. */
  gradWeight: Float32Array | null;
  gradBias: Float32Array | null;
  train(mode?: boolean): this;
  eval(): this;
  /** Keeps what backward() needs: x (a plain x copied; a WasmTensor x by reference, so do not change
   * it before backward()), its statistics and the mode. */
  forward(x: TensorLike | WasmTensor): Tensor;
  /** The gradient of the last forward(): gradOutput of its output's shape; returns gradInput (of x's
   * shape) and adds to gradWeight and gradBias.  Throws before any forward(). */
  backward(gradOutput: TensorLike | WasmTensor): Tensor;
  /** gradWeight and gradBias back to null (torch's zero_grad(), set_to_none). */
  zeroGrad(): void;
}

export class LayerNorm extends Module {
  constructor(normalizedShape: number | readonly number[],
              options?: { eps?: number; elementwiseAffine?: boolean; backend?: Normlab });
  normalizedShape: number[]; eps: number; weight: Float32Array | null; bias: Float32Array | null;
}
export class RMSNorm extends Module {
  constructor(normalizedShape: number | readonly number[],
              options?: { eps?: number | null; elementwiseAffine?: boolean; backend?: Normlab });
  normalizedShape: number[]; eps: number | null; weight: Float32Array | null;
}
export class GroupNorm extends Module {
  /** numChannels >= 0 and divisible by numGroups >= 1. */
  constructor(numGroups: number, numChannels: number,
              options?: { eps?: number; affine?: boolean; backend?: Normlab });
  numGroups: number; numChannels: number; eps: number; weight: Float32Array | null; bias: Float32Array | null;
}
interface NormOptions { eps?: number; momentum?: number | null; affine?: boolean; trackRunningStats?: boolean; backend?: Normlab }
declare abstract class NormBase extends Module {
  /** numFeatures >= 0 (0 is allowed, as in torch). */
  constructor(numFeatures: number, options?: NormOptions);
  numFeatures: number; eps: number; momentum: number | null; affine: boolean; trackRunningStats: boolean;
  weight: Float32Array | null; bias: Float32Array | null;
  runningMean: Float32Array | null; runningVar: Float32Array | null; numBatchesTracked: number;
}
/** affine=false, trackRunningStats=false by default; (C,L) or (N,C,L). */
export class InstanceNorm1d extends NormBase {}
/** (C,H,W) or (N,C,H,W). */
export class InstanceNorm2d extends NormBase {}
/** (C,D,H,W) or (N,C,D,H,W). */
export class InstanceNorm3d extends NormBase {}
/** affine=true, trackRunningStats=true by default; (N,C) or (N,C,L); momentum null = cumulative average. */
export class BatchNorm1d extends NormBase {}
/** (N,C,H,W). */
export class BatchNorm2d extends NormBase {}
/** (N,C,D,H,W). */
export class BatchNorm3d extends NormBase {}
