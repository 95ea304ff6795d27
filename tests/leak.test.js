// No leaks: 100,000 mixed calls on each build, good and bad (every op and
// backward op, plain arrays and WasmTensors, out, stats, running stats, module classes, errors
// thrown before and in the middle of a call, tensors too large for memory),
// and afterwards wasm memory has not grown and the allocator hands out the
// same address as after the first round.  Also: WasmTensor views stay valid,
// read afresh, after memory grows.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchNorm1d, GroupNorm, InstanceNorm2d } from '../src/normlab.js';
import {
  TOL, assertClose, batchNorm64, groupNorm64, layerNorm64, loadBoth, nextAddress, rmsNorm64, sample,
} from './helpers.js';

const CALLS_PER_BUILD = 100_000;

/**
 * The call mix: [name, good?, call(nl, s)] where s holds long-lived tensors,
 * modules and arrays.  A good call must not throw; a bad one must throw a
 * TypeError or RangeError.  Good calls return data checked on the first round.
 */
function callMix(other) {
  const x35 = { data: sample(35), shape: [5, 7] };
  const plain = { data: Array.from(sample(24, 2)), shape: [2, 4, 3] };
  return [
    ['layerNorm, plain array, weight, bias, stats', true, (nl) => nl.layerNorm(x35, 7, { weight: sample(7, 3), bias: sample(7, 4), stats: true })],
    ['layerNorm, WasmTensor in and out', true, (nl, s) => nl.layerNorm(s.x, 7, { out: s.y })],
    ['layerNorm in place', true, (nl, s) => nl.layerNorm(s.inPlace.set(x35.data), 7, { out: s.inPlace })],
    ['rmsNorm, out Float32Array', true, (nl, s) => nl.rmsNorm(x35, [7], { weight: s.w7, out: s.out35 })],
    ['groupNorm, array data, stats', true, (nl) => nl.groupNorm(plain, 2, { weight: sample(4, 5), stats: true })],
    ['groupNorm, WasmTensor weight', true, (nl, s) => nl.groupNorm(plain, 4, { weight: s.w4, bias: s.w4 })],
    ['instanceNorm, running stats', true, (nl, s) => nl.instanceNorm(plain, { runningMean: s.rm4, runningVar: s.rv4, momentum: 0 })],
    ['instanceNorm, running stats, eval', true, (nl, s) => nl.instanceNorm(plain, { runningMean: s.rm4, runningVar: s.rv4, useInputStats: false })],
    ['batchNorm training, WasmTensor running stats', true, (nl, s) => nl.batchNorm(s.bx, s.trm, s.trv, { training: true, momentum: 0, stats: true })],
    ['batchNorm eval, plain arrays', true, (nl) => nl.batchNorm(plain, [0, 1, 2, 3], [1, 2, 3, 4], { weight: [1, 2, 3, 4] })],
    ['BatchNorm1d module', true, (nl, s) => s.bn.forward(plain)],
    ['GroupNorm module', true, (nl, s) => s.gn.forward(plain)],
    ['InstanceNorm2d module, unbatched', true, (nl, s) => s.in2d.forward({ data: sample(12, 6), shape: [4, 3, 1] })],
    ['tensor made and freed', true, (nl) => { const t = nl.tensor([3, 5], sample(15)); const d = t.toArray(); t.free(); return { data: d }; }],
    ['empty batch', true, (nl, s) => s.bn.forward({ data: [], shape: [0, 4] })],
    ['layerNorm, prepared and run', true, (nl, s) => nl.prepare('layerNorm', s.x, 7, { out: s.y, stats: true })()],
    ['layerNormBackward, plain arrays, weight, bias, saved', true, (nl) => nl.layerNormBackward({ data: sample(35, 8), shape: [5, 7] },
      x35, 7, { weight: sample(7, 3), bias: sample(7, 4), saved: nl.layerNorm(x35, 7, { stats: true }).stats })],
    ['batchNormBackward, WasmTensors and outs', true, (nl, s) => nl.batchNormBackward(s.y, s.x, null, null,
      { training: true, weight: s.w7, gradInputOut: s.inPlace, gradWeightOut: s.out7 })],
    ['GroupNorm module backward', true, (nl, s) => s.gn.backward({ data: sample(24, 9), shape: [2, 4, 3] })],
    ['instanceNormBackward, prepared and run', true, (nl, s) => nl.prepare('instanceNormBackward', s.bx, s.bx,
      { runningMean: s.rm4, runningVar: s.rv4, useInputStats: false })()],
    // refused before any allocation
    ['bad: x.data holding a string', false, (nl) => nl.layerNorm({ data: [1, 'a', 3], shape: [3] }, 3)],
    ['bad: weight of the wrong length', false, (nl) => nl.layerNorm(x35, 7, { weight: sample(6) })],
    ['bad: numGroups not dividing C', false, (nl) => nl.groupNorm(plain, 3)],
    ['bad: eps NaN', false, (nl) => nl.rmsNorm(x35, 7, { eps: NaN })],
    ['bad: unknown option', false, (nl) => nl.batchNorm(plain, null, null, { trainning: true })],
    ['bad: eval without running stats', false, (nl) => nl.batchNorm(plain, null, null)],
    ['bad: module rank', false, (nl, s) => s.bn.forward({ data: sample(4), shape: [4] })],
    ['bad: tensor values of the wrong length', false, (nl) => nl.tensor([2, 2], [1, 2, 3])],
    ['bad: a freed x', false, (nl, s) => nl.layerNorm(s.freed, 7)],
    ['bad: prepare on a plain array', false, (nl) => nl.prepare('layerNorm', x35, 7)],
    ['bad: prepare on a freed x', false, (nl, s) => nl.prepare('layerNorm', s.freed, 7)],
    ['bad: gradOutput of another shape', false, (nl) => nl.layerNormBackward(plain, x35, 7)],
    ['bad: saved of the wrong length', false, (nl) => nl.layerNormBackward(x35, x35, 7, { saved: { mean: [0], var: [1] } })],
    // refused in the middle of a call, after the input copy was made
    ['bad: gradWeightOut of another instance', false, (nl) => nl.layerNormBackward(x35, x35, 7,
      { weight: sample(7), gradWeightOut: other.out7 })],
    ['bad: out of another instance', false, (nl) => nl.layerNorm(x35, 7, { out: other.out })],
    ['bad: weight of another instance', false, (nl) => nl.groupNorm(plain, 4, { weight: other.w4 })],
    ['bad: a freed bias', false, (nl, s) => nl.layerNorm(x35, 7, { weight: s.w7, bias: s.freedBias })],
    ['bad: statistics too large for memory', false, (nl) => nl.layerNorm({ data: [], shape: [2 ** 28, 0] }, [0], { stats: true })],
    // too large before anything is allocated
    ['bad: x over maxElements', false, (nl) => nl.instanceNorm({ data: [], shape: [2 ** 15, 2 ** 15, 2] })],
    ['bad: tensor over maxElements', false, (nl) => nl.tensor([nl.maxElements + 1])],
  ];
}

/** Long-lived state of the calls: tensors, modules, running stats. */
function stateFor(nl) {
  const freed = nl.tensor([5, 7]);
  freed.free();
  const freedBias = nl.tensor([7]);
  freedBias.free();
  return {
    x: nl.tensor([5, 7], sample(35)), y: nl.tensor([5, 7]), inPlace: nl.tensor([5, 7]), out35: new Float32Array(35),
    out7: nl.tensor([7]),
    w7: nl.tensor([7], sample(7, 7)), w4: nl.tensor([4], [1, 2, 3, 4]), rm4: new Float32Array(4), rv4: new Float32Array(4).fill(1),
    bx: nl.tensor([2, 4, 3], sample(24, 2)), trm: nl.tensor([4]), trv: nl.tensor([4], [1, 1, 1, 1]),
    bn: new BatchNorm1d(4, { backend: nl }), gn: new GroupNorm(2, 4, { backend: nl }),
    in2d: new InstanceNorm2d(4, { backend: nl }), freed, freedBias,
  };
}

function runOnce(nl, s, [name, good, call]) {
  try {
    const r = call(nl, s);
    if (!good) assert.fail(`${name}: did not throw`);
    return r;
  } catch (err) {
    if (good || !(err instanceof TypeError || err instanceof RangeError)) throw err;
    return null;
  }
}

// Two private instances per build: the memory of the first holds only what this
// test puts there; the second owns the foreign tensors.  Loaded before any suite
// starts (a describe() made while a test runs would nest inside it).
const [mine, others] = [await loadBoth({ fresh: true }), await loadBoth({ fresh: true })];
const builds = mine.map(([build, nl], i) => [build, nl, others[i][1]]);

for (const [build, nl, other] of builds) {
  const foreign = { out: other.tensor([5, 7]), w4: other.tensor([4]), out7: other.tensor([7]) };

  describe(`${build}: memory`, () => {
    test(`${CALLS_PER_BUILD} mixed good and bad calls leak nothing`, () => {
      const mix = callMix(foreign);
      const s = stateFor(nl);
      // first round: every call once, and the good results checked
      const first = mix.map((c) => runOnce(nl, s, c));
      const at = (prefix) => mix.findIndex(([name]) => name.startsWith(prefix));
      const times = (prefix) => Math.floor((CALLS_PER_BUILD - 1 - at(prefix)) / mix.length) + 1;
      assertClose(first[0].data, layerNorm64(sample(35), [5, 7], 7, { weight: sample(7, 3), bias: sample(7, 4) }).data, TOL.ref64, 'first round: layerNorm');
      assertClose(first[1].data, layerNorm64(sample(35), [5, 7], 7).data, TOL.ref64, 'first round: layerNorm on WasmTensors');
      assertClose(first[3].data, rmsNorm64(sample(35), [5, 7], 7, { weight: sample(7, 7) }).data, TOL.ref64, 'first round: rmsNorm');
      assertClose(first[4].data, groupNorm64(sample(24, 2), [2, 4, 3], 2, { weight: sample(4, 5) }).data, TOL.ref64, 'first round: groupNorm');
      const bytes = s.x.data.buffer.byteLength;
      const top = nextAddress(nl);
      let refused = 0;
      for (let i = mix.length; i < CALLS_PER_BUILD; i++) {
        if (runOnce(nl, s, mix[i % mix.length]) === null) refused++;
      }
      assert.ok(refused > CALLS_PER_BUILD / 3, `about half the calls were refused (${refused})`);
      assert.equal(s.x.data.buffer.byteLength, bytes, 'wasm memory did not grow after the first round');
      assert.equal(nextAddress(nl), top, 'the allocator is where it was after the first round: nothing leaked');
      // and the last results are still right
      assertClose(runOnce(nl, s, mix[1]).data, layerNorm64(sample(35), [5, 7], 7).data, TOL.ref64, 'after: layerNorm on WasmTensors');
      const bx = sample(24, 2);
      assertClose(runOnce(nl, s, mix[8]).data, batchNorm64(bx, [2, 4, 3], null, null, { training: true }).data, TOL.ref64, 'after: batchNorm');
      assert.deepEqual([...s.trm.data], [0, 0, 0, 0], 'momentum 0 kept the WasmTensor running mean');
      assert.equal(s.bn.numBatchesTracked, times('BatchNorm1d module') + times('empty batch'),
        'every good training batch counted once, every refused one not at all');
    });

    test('WasmTensor data read afresh stays valid after memory grows; ops on it still work', () => {
      const values = sample(9, 8);
      const small = nl.tensor([3, 3], values);
      const oldView = small.data;
      const bytes = oldView.buffer.byteLength;
      const big = nl.tensor([1 << 23]); // 32 MiB: more than the heap has spare
      assert.ok(small.data.buffer.byteLength > bytes, 'memory grew');
      assert.equal(oldView.length, 0, 'a view kept from before the growth is detached (why .data must be re-read)');
      assert.deepEqual([...small.data], [...values], 'the data itself is intact');
      assertClose(nl.layerNorm(small, 3).data, layerNorm64(values, [3, 3], 3).data, TOL.ref64, 'an op on the tensor');
      nl.layerNorm(small, 3, { out: small });
      assertClose(small.data, layerNorm64(values, [3, 3], 3).data, TOL.ref64, 'in place on the tensor');
      big.data[big.size - 1] = 7; // the far end of the new memory is writable
      assert.equal(big.data[big.size - 1], 7);
      big.free();
      small.free();
    });
  });
}
