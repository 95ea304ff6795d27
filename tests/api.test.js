// The functional API as normlab.d.ts describes it, on both builds: the op
// table's methods and C exports, the in-memory path (WasmTensor, out), the
// stats option, and running statistics updated in place.  The loader is
// tests/loader.test.js's, the module classes tests/modules.test.js's.
// Expected values come from the float64 reference (tests/helpers.js).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { WasmTensor } from '../src/normlab.js';
import { OPS, OP_NAMES } from '../src/ops.js';
import {
  assertClose, batchNorm64, groupNorm64, instanceNorm64, layerNorm64, loadBoth, rmsNorm64, sample, wasmFile,
} from './helpers.js';

const builds = await loadBoth();
const TOL = { abs: 2e-6, rel: 2e-6 }; // float32 results against float64
// The kernels' statistics are float64 but not exact to float64 (about one float32 ulp).
const STATS_TOL = { abs: 1e-6, rel: 1e-6 };

for (const [build, nl] of builds) {
  describe(`${build}: the instance and the op table`, () => {
    test('every op of the table is a method; its C export takes the arguments the table names', async () => {
      const { instance } = await WebAssembly.instantiate(await readFile(wasmFile(build === 'simd')),
        { env: { emscripten_notify_memory_growth() {} } });
      for (const op of OP_NAMES) {
        assert.equal(typeof nl[op], 'function', `nl.${op}`);
        const [name, ...args] = OPS[op].kernel;
        assert.equal(typeof instance.exports[name], 'function', `${op}: the build exports ${name}`);
        assert.equal(instance.exports[name].length, args.length, `${op}: ${name} takes ${args.join(', ')}`);
      }
    });

  test('an instance is frozen: simd and maxElements cannot be changed', () => {
    assert.throws(() => { nl.simd = false; }, TypeError);
    assert.throws(() => { nl.maxElements = 1e12; }, TypeError);
    assert.equal(nl.maxElements, 2 ** 28);
  });
  });


  describe(`${build}: WasmTensor and out`, () => {
    const x0 = { data: sample(21, 3), shape: [3, 7] };
    const want = layerNorm64(x0.data, x0.shape, 7).data;

    test('nl.tensor: zero-filled or filled from values; shape is a copy; set, toArray, free', () => {
      const z = nl.tensor([2, 3]);
      assert.ok(z instanceof WasmTensor);
      assert.deepEqual([...z.data], [0, 0, 0, 0, 0, 0]);
      assert.equal(z.size, 6);
      z.shape.push(9);
      assert.deepEqual(z.shape, [2, 3], 'mutating the returned shape does not change the tensor');
      assert.equal(z.set([1, 2, 3, 4, 5, 6.5]), z, 'set returns the tensor');
      const copy = z.toArray();
      z.data[0] = 100;
      assert.deepEqual([...copy], [1, 2, 3, 4, 5, 6.5], 'toArray is a copy');
      assert.equal(z.freed, false);
      z.free();
      assert.equal(z.freed, true);
      z.free(); // twice is harmless
      const t = nl.tensor([2], new Float64Array([0.1, -2]));
      assert.deepEqual([...t.data], [Math.fround(0.1), -2]);
      t.free();
    });

    test('out WasmTensor: the result is written there and that tensor is returned', () => {
      const x = nl.tensor(x0.shape, x0.data), y = nl.tensor(x0.shape);
      assert.equal(nl.layerNorm(x, 7, { out: y }), y);
      assertClose(y.data, want, TOL, 'out WasmTensor');
      assertClose(x.data, x0.data, TOL, 'x untouched');
      const plainIn = nl.tensor(x0.shape);
      assert.equal(nl.layerNorm(x0, 7, { out: plainIn }), plainIn, 'a plain x with a WasmTensor out');
      assertClose(plainIn.data, want, TOL, 'plain x, WasmTensor out');
      for (const t of [x, y, plainIn]) t.free();
    });

    test('in place: out === x', () => {
      const x = nl.tensor(x0.shape, x0.data);
      assert.equal(nl.layerNorm(x, 7, { out: x }), x);
      assertClose(x.data, want, TOL, 'layerNorm in place');
      const g = nl.tensor([3, 7, 1], x0.data);
      nl.groupNorm(g, 7, { out: g });
      assertClose(g.data, groupNorm64(x0.data, [3, 7, 1], 7).data, TOL, 'groupNorm in place');
      x.free();
      g.free();
    });

    test('out Float32Array: filled and returned as data; without out a fresh array', () => {
      const out = new Float32Array(21);
      const r = nl.layerNorm(x0, 7, { out });
      assert.equal(r.data, out);
      assert.deepEqual(r.shape, [3, 7]);
      assertClose(out, want, TOL, 'out Float32Array');
      const fresh = nl.layerNorm(x0, 7);
      assert.notEqual(fresh.data, x0.data, 'the input is never overwritten');
      assertClose(x0.data, sample(21, 3), TOL, 'input unchanged');
      const wx = nl.tensor(x0.shape, x0.data);
      const r2 = nl.layerNorm(wx, 7, { out: new Float32Array(21) });
      assertClose(r2.data, want, TOL, 'WasmTensor x, Float32Array out');
      wx.free();
    });

    test('a WasmTensor\'s data as a plain input works even when the call grows memory', () => {
      const n = 1 << 20; // the copy of x needs 4 MiB more than the heap has spare
      const t = nl.tensor([n], sample(n, 5));
      const bytes = t.data.buffer.byteLength;
      const big = nl.tensor([n]); // leave no room: the copy must grow memory
      const r = nl.rmsNorm({ data: t.data, shape: [n] }, n, { weight: t.data });
      const x = t.toArray();
      assertClose(r.data, rmsNorm64(x, [n], n, { weight: x }).data, TOL, 'x.data and weight as views of wasm memory');
      assert.ok(t.data.buffer.byteLength > bytes, 'memory grew during the test (else it proves nothing)');
      t.free();
      big.free();
    });

    test('nl.tensor(shape, another tensor\'s data) copies even when the allocation grows memory', () => {
      const probe = nl.tensor([1]);
      const n = probe.data.buffer.byteLength / 4; // as large as all memory: the copy cannot fit in spare room
      probe.free();
      const a = nl.tensor([n], sample(n, 6));
      const bytes = a.data.buffer.byteLength;
      const b = nl.tensor([n], a.data);
      assert.ok(b.data.buffer.byteLength > bytes, 'memory grew (else this proves nothing)');
      assert.deepEqual(b.data, a.data);
      a.free();
      b.free();
    });

    test('an op result has the input shape as a fresh array', () => {
      const shape = [3, 7];
      const r = nl.layerNorm({ data: x0.data, shape }, [7]);
      assert.deepEqual(r.shape, shape);
      assert.notEqual(r.shape, shape);
    });
  });

  describe(`${build}: stats: mean, var and rstd per group`, () => {
    const eps = 1e-3;
    const x = (shape, seed) => ({ data: sample(shape.reduce((a, b) => a * b, 1), seed), shape });
    const CASES = [
      ['layerNorm: rows', x([4, 2, 5], 1), (t) => nl.layerNorm(t, [2, 5], { eps, stats: true }),
        (t) => layerNorm64(t.data, t.shape, [2, 5], { eps }), 4],
      ['rmsNorm: rows, mean 0 and var mean(x^2)', x([3, 9], 2), (t) => nl.rmsNorm(t, 9, { eps, stats: true }),
        (t) => rmsNorm64(t.data, t.shape, 9, { eps }), 3],
      ['groupNorm: (n, g)', x([2, 6, 3], 3), (t) => nl.groupNorm(t, 3, { eps, stats: true }),
        (t) => groupNorm64(t.data, t.shape, 3, { eps }), 6],
      ['instanceNorm: (n, c)', x([2, 3, 5], 4), (t) => nl.instanceNorm(t, { eps, stats: true }),
        (t) => instanceNorm64(t.data, t.shape, { eps }), 6],
      ['batchNorm training: channels', x([4, 3, 2], 5), (t) => nl.batchNorm(t, null, null, { training: true, eps, stats: true }),
        (t) => batchNorm64(t.data, t.shape, null, null, { training: true, eps }), 3],
      ['batchNorm eval: the running stats that normalized', x([4, 3, 2], 6),
        (t) => nl.batchNorm(t, [0.5, -1, 2], [4, 0.25, 1], { eps, stats: true }),
        (t) => batchNorm64(t.data, t.shape, [0.5, -1, 2], [4, 0.25, 1], { eps }), 3],
      ['instanceNorm with running stats, useInputStats false', x([2, 3, 5], 7),
        (t) => nl.instanceNorm(t, { runningMean: [1, 2, 3], runningVar: [2, 3, 4], useInputStats: false, eps, stats: true }),
        (t) => instanceNorm64(t.data, t.shape, { runningMean: [1, 2, 3], runningVar: [2, 3, 4], useInputStats: false, eps }), 6],
    ];
    for (const [what, t, run, ref, groups] of CASES) {
      test(what, () => {
        const got = run(t);
        const want = ref(t);
        assertClose(got.data, want.data, TOL, `${what}: output`);
        for (const k of ['mean', 'var', 'rstd']) {
          assert.ok(got.stats[k] instanceof Float64Array, `${k} is a Float64Array`);
          assert.equal(got.stats[k].length, groups, `${k}: one per group`);
          assertClose(got.stats[k], want.stats[k], STATS_TOL, `${what}: stats.${k}`);
        }
      });
    }
    test('stats with an out WasmTensor return { data: out.data, shape, stats }', () => {
      const t = x([2, 5], 8);
      const out = nl.tensor([2, 5]);
      const r = nl.layerNorm(t, 5, { out, stats: true });
      assert.deepEqual(r.shape, [2, 5]);
      assertClose(r.data, out.data, TOL, 'data is the out tensor\'s data');
      assertClose(r.stats.mean, layerNorm64(t.data, t.shape, 5).stats.mean, STATS_TOL, 'stats.mean');
      out.free();
    });
    test('no stats unless asked', () => {
      assert.equal(nl.layerNorm(x([2, 5], 9), 5).stats, undefined);
      assert.equal(nl.layerNorm(x([2, 5], 9), 5, { stats: false }).stats, undefined);
    });
  });

  describe(`${build}: running statistics are updated in place`, () => {
    const t = { data: sample(30, 11), shape: [2, 3, 5] };
    const KINDS = [
      ['plain arrays', (v) => [...v]],
      ['Float32Arrays', (v) => Float32Array.from(v)],
      ['Float64Arrays', (v) => Float64Array.from(v)],
    ];
    for (const [kind, make] of KINDS) {
      test(`batchNorm training with ${kind}`, () => {
        const rm = make([0.5, -1, 2]), rv = make([1, 2, 0.5]);
        nl.batchNorm(t, rm, rv, { training: true, momentum: 0.25 });
        const want = batchNorm64(t.data, t.shape, [0.5, -1, 2], [1, 2, 0.5], { training: true, momentum: 0.25 });
        assertClose(rm, want.runningMean, TOL, `${kind}: runningMean`);
        assertClose(rv, want.runningVar, TOL, `${kind}: runningVar`);
      });
      test(`instanceNorm with ${kind}`, () => {
        const rm = make([0, 0, 0]), rv = make([1, 1, 1]);
        nl.instanceNorm(t, { runningMean: rm, runningVar: rv, momentum: 1 });
        const want = instanceNorm64(t.data, t.shape, { runningMean: [0, 0, 0], runningVar: [1, 1, 1], momentum: 1 });
        assertClose(rm, want.runningMean, TOL, `${kind}: runningMean`);
        assertClose(rv, want.runningVar, TOL, `${kind}: runningVar`);
      });
      test(`batchNorm eval leaves ${kind} alone`, () => {
        const rm = make([0.5, -1, 2]), rv = make([1, 2, 0.5]);
        const y = nl.batchNorm(t, rm, rv);
        assertClose(y.data, batchNorm64(t.data, t.shape, rm, rv).data, TOL, `${kind}: eval output`);
        assert.deepEqual([...rm], [0.5, -1, 2]);
        assert.deepEqual([...rv], [1, 2, 0.5]);
      });
    }
    for (const [kind, make] of KINDS) {
      test(`instanceNorm on running statistics (useInputStats false) leaves ${kind} alone`, () => {
        // 0.1 and 0.3 are not float32 values: a write-back of the float32 buffer would change them
        const rm = make([0.1, -1, 2]), rv = make([1, 0.3, 0.5]);
        const y = nl.instanceNorm(t, { runningMean: rm, runningVar: rv, useInputStats: false });
        const want = instanceNorm64(t.data, t.shape, { runningMean: rm, runningVar: rv, useInputStats: false });
        assertClose(y.data, want.data, TOL, `${kind}: output on the running statistics`);
        assert.deepEqual([...rm], [...make([0.1, -1, 2])]);
        assert.deepEqual([...rv], [...make([1, 0.3, 0.5])]);
      });
    }
    test('WasmTensors as running stats', () => {
      const rm = nl.tensor([3]), rv = nl.tensor([3], [1, 1, 1]);
      nl.batchNorm(t, rm, rv, { training: true });
      const want = batchNorm64(t.data, t.shape, [0, 0, 0], [1, 1, 1], { training: true });
      assertClose(rm.data, want.runningMean, TOL, 'runningMean');
      assertClose(rv.data, want.runningVar, TOL, 'runningVar');
      rm.free();
      rv.free();
    });
    test('momentum 0 keeps, momentum 1 replaces', () => {
      const rm = [0.5, -1, 2], rv = [1, 2, 0.5];
      nl.batchNorm(t, rm, rv, { training: true, momentum: 0 });
      assert.deepEqual(rm, [0.5, -1, 2]);
      nl.batchNorm(t, rm, rv, { training: true, momentum: 1 });
      const want = batchNorm64(t.data, t.shape, [0, 0, 0], [0, 0, 0], { training: true, momentum: 1 });
      assertClose(rm, want.runningMean, TOL, 'momentum 1: the batch mean');
      assertClose(rv, want.runningVar, TOL, 'momentum 1: the unbiased batch var');
    });
  });
}
