// nl.prepare(op, x, ...args): the op's call checked once, run by the returned
// function on the tensors' contents at each call.  It must give exactly what
// the op gives, see new contents, update running statistics at each call,
// throw what the op throws when prepared, and refuse freed tensors at run time
// without harm to the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerNorm64, loadBoth, random } from './helpers.js';

const [[, simd], [, scalar]] = await loadBoth();

const fill = (n, seed, offset = 0) => {
  const u = random(seed).uniform;
  return Float32Array.from({ length: n }, () => u() * 4 - 1.5 + offset);
};

/** [op, shape, args after x, ending with the options (given the instance)]. */
const CALLS = [
  ['layerNorm', [8, 768], () => [[768], {}]],
  ['layerNorm', [5, 7], (nl) => [7, { weight: nl.tensor([7], fill(7, 1)), bias: fill(7, 2) }]],
  ['rmsNorm', [4, 64], () => [64, { weight: fill(64, 3) }]],
  ['groupNorm', [2, 6, 5], () => [3, { eps: 1e-3 }]],
  ['instanceNorm', [8, 256, 49], () => [{}]],
  ['batchNorm', [4, 3, 10], (nl) => [nl.tensor([3]), nl.tensor([3], [1, 1, 1]), { training: true, momentum: 0.5 }]],
];

for (const [name, nl] of [['simd', simd], ['scalar', scalar]]) {
  test(`${name}: a prepared call equals the op's own call, bit for bit, on the tensors' current contents`, () => {
    for (const [op, shape, argsOf] of CALLS) {
      const size = shape.reduce((a, b) => a * b);
      const x = nl.tensor(shape, fill(size, size));
      const y = nl.tensor(shape);
      const args = argsOf(nl);
      const last = args.length - 1;
      const run = nl.prepare(op, x, ...args.slice(0, last), { ...args[last], out: y });
      for (const offset of [0, 1000]) { // new contents: the run must read them
        x.set(fill(size, size + offset, offset));
        // The op's own call on the same state (running statistics as they are now).
        const stateBefore = args.filter((a) => a?.toArray).map((t) => t.toArray());
        const want = nl[op](x, ...args).data.slice();
        args.filter((a) => a?.toArray).forEach((t, i) => t.set(stateBefore[i]));
        assert.equal(run(), y, `${op}: returns out`);
        const got = y.data;
        for (let i = 0; i < size; i++) {
          assert.ok(Object.is(got[i], want[i]), `${name} ${op} [${shape}] offset ${offset} index ${i}: ${got[i]} vs ${want[i]}`);
        }
      }
      x.free();
      y.free();
    }
  });

  test(`${name}: a prepared batchNorm updates the running statistics at every call`, () => {
    const x = nl.tensor([4, 2, 3], fill(24, 9, 2));
    const rm = nl.tensor([2]), rv = nl.tensor([2], [1, 1]);
    const run = nl.prepare('batchNorm', x, rm, rv, { training: true, momentum: 0.5 });
    const mean = [0, 1].map((c) => {
      let s = 0;
      for (let n = 0; n < 4; n++) for (let i = 0; i < 3; i++) s += x.data[n * 6 + c * 3 + i];
      return s / 12;
    });
    run();
    run();
    // Two updates with momentum 0.5 from 0: 0.75 of the batch mean.
    mean.forEach((m, c) => assert.ok(Math.abs(rm.data[c] - 0.75 * m) < 1e-5, `channel ${c}: ${rm.data[c]} vs ${0.75 * m}`));
    [x, rm, rv].forEach((t) => t.free());
  });

  test(`${name}: prepare throws what the op throws, and refuses what it cannot prepare`, () => {
    const x = nl.tensor([2, 4], fill(8, 5));
    const opError = (() => { try { nl.layerNorm(x, [5]); } catch (e) { return e; } })();
    assert.throws(() => nl.prepare('layerNorm', x, [5]), (e) => e instanceof RangeError && e.message === opError.message);
    assert.throws(() => nl.prepare('softmax', x), (e) => e instanceof TypeError && /prepare: op must be one of layerNorm.*got "softmax"/.test(e.message));
    assert.throws(() => nl.prepare('layerNorm', { data: fill(8, 5), shape: [2, 4] }, 4),
      (e) => e instanceof TypeError && /prepare: x must be a WasmTensor .* got an object/.test(e.message));
    // A prepare that failed leaves the op unprepared: the next call runs at once.
    const direct = nl.layerNorm(x, 4);
    assert.ok(!(direct instanceof Function) && direct.data.length === 8);
    x.free();
  });

  test(`${name}: a prepared call on a freed tensor is a TypeError, and the module works normally afterwards`, () => {
    const x = nl.tensor([3, 5], fill(15, 6));
    const y = nl.tensor([3, 5]);
    const run = nl.prepare('layerNorm', x, 5, { out: y });
    y.free();
    assert.throws(run, (e) => e instanceof TypeError && /layerNorm: out is a WasmTensor that was freed/.test(e.message));
    x.free();
    assert.throws(run, (e) => e instanceof TypeError && /layerNorm: x is a WasmTensor that was freed/.test(e.message));
    const data = fill(15, 7);
    const got = nl.layerNorm({ data, shape: [3, 5] }, 5).data;
    const want = layerNorm64(data, [3, 5], 5).data;
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6));
  });
}
