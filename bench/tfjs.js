// tfjs-wasm's gradients for the backward benchmark (issue 15): tf.grad through
// tfjs's own LayerNorm and BatchNorm-in-training compositions (tfjs has no
// fused normalization or its gradient), on tfjs-backend-wasm, one thread.
// tf.grad runs the composition's forward and then its backward; tfjs cannot
// run the backward of a saved forward alone.
import { createRequire, register } from 'node:module';

/** The axes each composition normalizes over: LayerNorm's trailing normalizedShape, BatchNorm's all but C. */
const AXES = {
  layerNorm: (shape, args) => args.normalizedShape.map((_, i) => shape.length - args.normalizedShape.length + i),
  batchNorm: (shape) => [0, ...shape.slice(2).map((_, i) => i + 2)],
};

/** The shape weight and bias take to broadcast against x: normalizedShape, or [C, 1, ...] per channel. */
const PARAM_SHAPE = {
  layerNorm: (shape, args) => args.normalizedShape,
  batchNorm: (shape) => [shape[1], ...shape.slice(2).map(() => 1)],
};

/** Which ops have a tfjs composition here (the issue asks for LayerNorm and BatchNorm). */
export const TFJS_OPS = Object.keys(AXES);

/**
 * tfjs-core with its gradients and the wasm backend (SIMD, one thread), or null and why not.
 * tfjs-core ships the gradients only as ES modules that import their siblings without '.js', which
 * Node resolves through bench/tfjs-resolve.js (module.register, Node >= 20.6).
 */
export async function loadTfjs() {
  const none = (reason) => ({ tf: null, version: 'not measured', reason });
  if (typeof register !== 'function') return none(`Node ${process.version} has no module.register (needs >= 20.6)`);
  let tf, wasm;
  try {
    tf = await import('@tensorflow/tfjs-core');
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    if (e.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return none('@tensorflow/tfjs-core or @tensorflow/tfjs-backend-wasm is not installed (npm install brings both)');
  }
  register('./tfjs-resolve.js', import.meta.url);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const require = createRequire(import.meta.url);
  wasm.setWasmPaths(require.resolve('@tensorflow/tfjs-backend-wasm/package.json').replace(/package\.json$/, 'dist/'));
  wasm.setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) return none('tfjs-backend-wasm did not initialize');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { tf, version: `${tf.version_core} (wasm backend, ${simd ? 'SIMD' : 'no SIMD'}, 1 thread)`, reason: null };
}

/**
 * The tfjs variant of backward case c: tf.grad (tf.grads with weight and bias) of sum(f(x) * dy),
 * f(x) = (x - mean) * rsqrt(var + eps) [* w + b], mean and var from tf.moments over the op's axes.
 * Per call x and dy are copied in (tf.tensor) and the gradients out (dataSync), as the array API does.
 */
export function tfjsBackward(tf, c, { x, w, b }, dy, eps) {
  const axes = AXES[c.op](c.shape, c.args);
  const paramShape = PARAM_SHAPE[c.op](c.shape, c.args);
  const f = (xt, wt, bt) => {
    const { mean, variance } = tf.moments(xt, axes, true);
    const xhat = tf.mul(tf.sub(xt, mean), tf.rsqrt(tf.add(variance, eps)));
    return wt ? tf.add(tf.mul(xhat, wt), bt) : xhat;
  };
  const out = { gradInput: new Float32Array(x.length), gradWeight: w && new Float32Array(w.length),
    gradBias: b && new Float32Array(b.length) };
  return {
    run: () => {
      const grads = tf.tidy(() => {
        const dyt = tf.tensor(dy, c.shape);
        const loss = (xt, wt, bt) => tf.sum(tf.mul(f(xt, wt, bt), dyt));
        const xt = tf.tensor(x, c.shape);
        if (!w) return [tf.grad((xv) => loss(xv))(xt)];
        return tf.grads(loss)([xt, tf.tensor(w, paramShape), tf.tensor(b, paramShape)]);
      });
      grads.forEach((g, i) => out[['gradInput', 'gradWeight', 'gradBias'][i]].set(g.dataSync()));
      tf.dispose(grads);
    },
    output: () => out,
  };
}
