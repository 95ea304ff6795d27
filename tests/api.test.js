// The public JavaScript API as normlab.d.ts describes it: the loader and its
// options, the in-memory path (WasmTensor, out), the stats option, running
// statistics updated in place, and the module classes' train/eval behaviour.
// Expected values come from the float64 reference (tests/reference64.js).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  BatchNorm1d, BatchNorm2d, GroupNorm, InstanceNorm1d, LayerNorm, RMSNorm, WasmTensor, loadNormlab,
} from '../src/normlab.js';
import {
  batchNorm64, expectClose, groupNorm64, instanceNorm64, layerNorm64, rmsNorm64, sample,
} from './reference64.js';

// Both builds are loaded before any suite starts (a describe() made while a test
// runs would nest inside it).
const builds = [[true, await loadNormlab({ simd: true })], [false, await loadNormlab({ simd: false })]];
const wasmFile = (simd) => new URL(`../wasm/${simd ? 'normlab' : 'normlab-scalar'}.wasm`, import.meta.url);

describe('loadNormlab', () => {
  test('simd: false loads the scalar build, simd: true the SIMD build', async () => {
    assert.equal((await loadNormlab({ simd: false })).simd, false);
    assert.equal((await loadNormlab({ simd: true })).simd, true);
  });

  test('the same options give the same (shared) instance; the default is SIMD where the engine has it', async () => {
    assert.equal(await loadNormlab({ simd: false }), await loadNormlab({ simd: false }));
    assert.equal(await loadNormlab(), await loadNormlab({ simd: true }));
    assert.equal(await loadNormlab({ simd: true, wasmUrl: wasmFile(true) }), await loadNormlab({ simd: true }),
      'the default file named explicitly is the same instance');
    assert.notEqual(await loadNormlab({ simd: false }), await loadNormlab({ simd: true }));
  });

  test('wasmUrl (a URL or a string) loads that file', async () => {
    const fromUrl = await loadNormlab({ simd: false, wasmUrl: wasmFile(false) });
    const fromString = await loadNormlab({ simd: false, wasmUrl: wasmFile(false).href });
    assert.equal(fromUrl, fromString);
    assert.equal(fromUrl.simd, false);
    const x = { data: sample(10), shape: [2, 5] };
    expectClose(fromUrl.layerNorm(x, 5).data, layerNorm64(x.data, x.shape, 5).data, 'layerNorm via wasmUrl');
  });

  test('wasmBinary (ArrayBuffer or Uint8Array) gives a private instance each time', async () => {
    const bytes = await readFile(wasmFile(true));
    const a = await loadNormlab({ wasmBinary: new Uint8Array(bytes) });
    const b = await loadNormlab({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) });
    assert.notEqual(a, b);
    assert.notEqual(a, await loadNormlab());
    const x = { data: sample(12, 2), shape: [3, 4] };
    for (const nl of [a, b]) expectClose(nl.groupNorm({ ...x, shape: [3, 4, 1] }, 2).data,
      groupNorm64(x.data, [3, 4, 1], 2).data, 'groupNorm via wasmBinary');
    // tensors do not cross instances
    assert.throws(() => b.layerNorm(a.tensor([3, 4]), 4), /^TypeError: layerNorm: x is a WasmTensor of another normlab instance$/);
  });

  test('a failed load rejects and may be retried', async () => {
    const missing = new URL('../wasm/no-such-file.wasm', import.meta.url);
    await assert.rejects(loadNormlab({ simd: false, wasmUrl: missing }), /ENOENT/);
    await assert.rejects(loadNormlab({ simd: false, wasmUrl: missing }), /ENOENT/, 'not a cached failure');
    await assert.rejects(loadNormlab({ wasmBinary: new Uint8Array([0, 97, 115, 109]) }), WebAssembly.CompileError);
  });

  const BAD_OPTIONS = [
    [{ simd: 'no' }, /^loadNormlab: simd must be true or false, got "no"$/],
    [{ simd: 0 }, /^loadNormlab: simd must be true or false, got 0$/],
    [{ SIMD: false }, /^loadNormlab: unknown option 'SIMD'; expected one of simd, wasmUrl, wasmBinary$/],
    [{ wasmbinary: new Uint8Array(8) }, /^loadNormlab: unknown option 'wasmbinary'/],
    [{ wasmBinary: 'normlab.wasm' }, /^loadNormlab: wasmBinary must be an ArrayBuffer or Uint8Array, got "normlab\.wasm"$/],
    [{ wasmBinary: [0, 97, 115, 109] }, /^loadNormlab: wasmBinary must be an ArrayBuffer or Uint8Array, got \[0, 97, 115, 109\]$/],
    [{ wasmUrl: 42 }, /^loadNormlab: wasmUrl must be a string or a URL, got 42$/],
    [{ wasmUrl: { href: 'x' } }, /^loadNormlab: wasmUrl must be a string or a URL, got an object$/],
    ['simd', /^loadNormlab: options must be an object, got "simd"$/],
    [[true], /^loadNormlab: options must be an object, got \[true\]$/],
  ];
  for (const [options, message] of BAD_OPTIONS) {
    test(`bad options ${JSON.stringify(options)} reject with a TypeError`, async () => {
      const loading = loadNormlab(options);
      assert.ok(loading instanceof Promise, 'a promise, not a synchronous throw');
      await assert.rejects(loading, (err) => err instanceof TypeError && message.test(err.message));
    });
  }

  test('an instance is frozen: simd and maxElements cannot be changed', async () => {
    const nl = await loadNormlab();
    assert.throws(() => { nl.simd = false; }, TypeError);
    assert.throws(() => { nl.maxElements = 1e12; }, TypeError);
    assert.equal(nl.maxElements, 2 ** 28);
  });
});

for (const [simd, nl] of builds) {
  const build = simd ? 'simd' : 'scalar';

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
      expectClose(y.data, want, 'out WasmTensor');
      expectClose(x.data, x0.data, 'x untouched');
      const plainIn = nl.tensor(x0.shape);
      assert.equal(nl.layerNorm(x0, 7, { out: plainIn }), plainIn, 'a plain x with a WasmTensor out');
      expectClose(plainIn.data, want, 'plain x, WasmTensor out');
      for (const t of [x, y, plainIn]) t.free();
    });

    test('in place: out === x', () => {
      const x = nl.tensor(x0.shape, x0.data);
      assert.equal(nl.layerNorm(x, 7, { out: x }), x);
      expectClose(x.data, want, 'layerNorm in place');
      const g = nl.tensor([3, 7, 1], x0.data);
      nl.groupNorm(g, 7, { out: g });
      expectClose(g.data, groupNorm64(x0.data, [3, 7, 1], 7).data, 'groupNorm in place');
      x.free();
      g.free();
    });

    test('out Float32Array: filled and returned as data; without out a fresh array', () => {
      const out = new Float32Array(21);
      const r = nl.layerNorm(x0, 7, { out });
      assert.equal(r.data, out);
      assert.deepEqual(r.shape, [3, 7]);
      expectClose(out, want, 'out Float32Array');
      const fresh = nl.layerNorm(x0, 7);
      assert.notEqual(fresh.data, x0.data, 'the input is never overwritten');
      expectClose(x0.data, sample(21, 3), 'input unchanged');
      const wx = nl.tensor(x0.shape, x0.data);
      const r2 = nl.layerNorm(wx, 7, { out: new Float32Array(21) });
      expectClose(r2.data, want, 'WasmTensor x, Float32Array out');
      wx.free();
    });

    test('a WasmTensor\'s data as a plain input works even when the call grows memory', () => {
      const n = 1 << 20; // the copy of x needs 4 MiB more than the heap has spare
      const t = nl.tensor([n], sample(n, 5));
      const bytes = t.data.buffer.byteLength;
      const big = nl.tensor([n]); // leave no room: the copy must grow memory
      const r = nl.rmsNorm({ data: t.data, shape: [n] }, n, { weight: t.data });
      const x = t.toArray();
      expectClose(r.data, rmsNorm64(x, [n], n, { weight: x }).data, 'x.data and weight as views of wasm memory');
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
        expectClose(got.data, want.data, `${what}: output`);
        for (const k of ['mean', 'var', 'rstd']) {
          assert.ok(got.stats[k] instanceof Float64Array, `${k} is a Float64Array`);
          assert.equal(got.stats[k].length, groups, `${k}: one per group`);
          // float32-level agreement: the kernels' statistics are not exact to float64 (about 1 float32 ulp)
          expectClose(got.stats[k], want.stats[k], `${what}: stats.${k}`, 1e-6);
        }
      });
    }
    test('stats with an out WasmTensor return { data: out.data, shape, stats }', () => {
      const t = x([2, 5], 8);
      const out = nl.tensor([2, 5]);
      const r = nl.layerNorm(t, 5, { out, stats: true });
      assert.deepEqual(r.shape, [2, 5]);
      expectClose(r.data, out.data, 'data is the out tensor\'s data');
      expectClose(r.stats.mean, layerNorm64(t.data, t.shape, 5).stats.mean, 'stats.mean', 1e-6);
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
        expectClose(rm, want.runningMean, `${kind}: runningMean`);
        expectClose(rv, want.runningVar, `${kind}: runningVar`);
      });
      test(`instanceNorm with ${kind}`, () => {
        const rm = make([0, 0, 0]), rv = make([1, 1, 1]);
        nl.instanceNorm(t, { runningMean: rm, runningVar: rv, momentum: 1 });
        const want = instanceNorm64(t.data, t.shape, { runningMean: [0, 0, 0], runningVar: [1, 1, 1], momentum: 1 });
        expectClose(rm, want.runningMean, `${kind}: runningMean`);
        expectClose(rv, want.runningVar, `${kind}: runningVar`);
      });
      test(`batchNorm eval leaves ${kind} alone`, () => {
        const rm = make([0.5, -1, 2]), rv = make([1, 2, 0.5]);
        const y = nl.batchNorm(t, rm, rv);
        expectClose(y.data, batchNorm64(t.data, t.shape, rm, rv).data, `${kind}: eval output`);
        assert.deepEqual([...rm], [0.5, -1, 2]);
        assert.deepEqual([...rv], [1, 2, 0.5]);
      });
    }
    test('WasmTensors as running stats', () => {
      const rm = nl.tensor([3]), rv = nl.tensor([3], [1, 1, 1]);
      nl.batchNorm(t, rm, rv, { training: true });
      const want = batchNorm64(t.data, t.shape, [0, 0, 0], [1, 1, 1], { training: true });
      expectClose(rm.data, want.runningMean, 'runningMean');
      expectClose(rv.data, want.runningVar, 'runningVar');
      rm.free();
      rv.free();
    });
    test('momentum 0 keeps, momentum 1 replaces', () => {
      const rm = [0.5, -1, 2], rv = [1, 2, 0.5];
      nl.batchNorm(t, rm, rv, { training: true, momentum: 0 });
      assert.deepEqual(rm, [0.5, -1, 2]);
      nl.batchNorm(t, rm, rv, { training: true, momentum: 1 });
      const want = batchNorm64(t.data, t.shape, [0, 0, 0], [0, 0, 0], { training: true, momentum: 1 });
      expectClose(rm, want.runningMean, 'momentum 1: the batch mean');
      expectClose(rv, want.runningVar, 'momentum 1: the unbiased batch var');
    });
  });

  describe(`${build}: module classes: defaults and train/eval`, () => {
    const t = { data: sample(30, 12), shape: [2, 3, 5] };
    test('a new module is in training mode; train()/eval() return it and switch', () => {
      for (const m of [new LayerNorm(5, { backend: nl }), new BatchNorm1d(3, { backend: nl }),
        new InstanceNorm1d(3, { backend: nl }), new GroupNorm(1, 3, { backend: nl }), new RMSNorm(5, { backend: nl })]) {
        assert.equal(m.training, true, `${m.constructor.name} starts in training`);
        assert.equal(m.eval(), m);
        assert.equal(m.training, false);
        assert.equal(m.train(), m);
        assert.equal(m.training, true);
        assert.equal(m.train(false).training, false);
      }
    });
    test('BatchNorm1d: train uses batch stats and updates the buffers, eval uses them', () => {
      const m = new BatchNorm1d(3, { backend: nl });
      assert.deepEqual([m.eps, m.momentum, m.affine, m.trackRunningStats], [1e-5, 0.1, true, true]);
      const train = batchNorm64(t.data, t.shape, [0, 0, 0], [1, 1, 1], { training: true });
      expectClose(m.forward(t).data, train.data, 'train output');
      expectClose(m.runningMean, train.runningMean, 'runningMean after one step');
      assert.equal(m.numBatchesTracked, 1);
      m.eval();
      const evalOut = batchNorm64(t.data, t.shape, m.runningMean, m.runningVar, {});
      expectClose(m.forward(t).data, evalOut.data, 'eval output uses the running stats');
      assert.equal(m.numBatchesTracked, 1, 'eval does not count');
    });
    test('BatchNorm momentum null: a cumulative average', () => {
      const m = new BatchNorm2d(3, { momentum: null, backend: nl });
      const a = { data: sample(24, 13), shape: [2, 3, 2, 2] }, b = { data: sample(24, 14), shape: [2, 3, 2, 2] };
      m.forward(a);
      m.forward(b);
      const ra = batchNorm64(a.data, a.shape, [0, 0, 0], [1, 1, 1], { training: true, momentum: 1 });
      const rb = batchNorm64(b.data, b.shape, [0, 0, 0], [1, 1, 1], { training: true, momentum: 1 });
      expectClose(m.runningMean, ra.runningMean.map((v, c) => (v + rb.runningMean[c]) / 2), 'mean of the two batch means');
      assert.equal(m.numBatchesTracked, 2);
    });
    test('BatchNorm1d without running stats uses batch stats in eval too', () => {
      const m = new BatchNorm1d(3, { trackRunningStats: false, backend: nl }).eval();
      assert.equal(m.runningMean, null);
      expectClose(m.forward(t).data, batchNorm64(t.data, t.shape, null, null, { training: true }).data, 'eval = batch stats');
    });
    test('InstanceNorm1d: no affine, no running stats by default; eval with tracking uses them', () => {
      const m = new InstanceNorm1d(3, { backend: nl });
      assert.deepEqual([m.affine, m.trackRunningStats, m.weight, m.runningMean], [false, false, null, null]);
      expectClose(m.eval().forward(t).data, instanceNorm64(t.data, t.shape).data, 'eval without tracking: input stats');
      const k = new InstanceNorm1d(3, { trackRunningStats: true, backend: nl });
      const step = instanceNorm64(t.data, t.shape, { runningMean: [0, 0, 0], runningVar: [1, 1, 1] });
      k.forward(t);
      expectClose(k.runningVar, step.runningVar, 'updated in training');
      assert.equal(k.numBatchesTracked, 0, 'InstanceNorm never counts');
      const evalOut = instanceNorm64(t.data, t.shape, { runningMean: k.runningMean, runningVar: k.runningVar, useInputStats: false });
      expectClose(k.eval().forward(t).data, evalOut.data, 'eval with tracking: running stats');
    });
    test('InstanceNorm1d on an unbatched (C, L) input', () => {
      const m = new InstanceNorm1d(3, { backend: nl });
      const u = { data: t.data.slice(0, 15), shape: [3, 5] };
      const y = m.forward(u);
      assert.deepEqual(y.shape, [3, 5]);
      expectClose(y.data, instanceNorm64(u.data, [1, 3, 5]).data, 'unbatched = a batch of one');
    });
    test('LayerNorm, GroupNorm, RMSNorm: affine parameters start as ones and zeros and are used', () => {
      const ln = new LayerNorm(5, { backend: nl });
      assert.deepEqual([...ln.weight, ...ln.bias], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
      ln.weight.set([1, 2, 3, 4, 5]);
      ln.bias.set([0, 0, 1, 0, -1]);
      expectClose(ln.forward(t).data, layerNorm64(t.data, t.shape, 5, { weight: ln.weight, bias: ln.bias }).data, 'LayerNorm affine');
      const rms = new RMSNorm([3, 5], { backend: nl });
      assert.equal(rms.eps, null, 'RMSNorm eps None: float32 machine epsilon at run time');
      expectClose(rms.forward(t).data, rmsNorm64(t.data, t.shape, [3, 5]).data, 'RMSNorm default eps');
      const gn = new GroupNorm(3, 3, { affine: false, backend: nl });
      assert.equal(gn.weight, null);
      expectClose(gn.forward(t).data, groupNorm64(t.data, t.shape, 3).data, 'GroupNorm without affine');
    });
  });
}
