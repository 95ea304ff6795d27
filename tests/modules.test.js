// The module classes of src/normlab.js against torch.nn (fixtures): constructor
// defaults, training steps then eval with the running statistics (affine
// parameters, momentum None, unbatched inputs, no tracking), train()/eval(),
// and the errors torch's modules raise.  Which instance they run on:
// tests/loader.test.js.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertThrowsLike, assertTorch, f32, loadBoth, loadFixtures, makeModule, numbers, tensorOf,
} from './helpers.js';

const builds = await loadBoth();
const { defaults, modules, errors } = loadFixtures();
const label = (r) => `${r.cls}(${r.args.map((a) => JSON.stringify(a)).join(', ')}, ${JSON.stringify(r.options)})`;

/** A module attribute compared with torch's: arrays by value, the rest strictly. */
function assertAttr(m, name, expected) {
  const actual = m[name];
  if (Array.isArray(expected) && name !== 'normalizedShape') {
    assert.ok(actual instanceof Float32Array, `${name} is a Float32Array, got ${actual}`);
    assert.deepEqual(Array.from(actual), numbers(expected), name);
  } else {
    assert.deepEqual(actual, expected, name);
  }
}

for (const [build, nl] of builds) {
  describe(`${build}: constructor defaults as torch.nn`, () => {
    for (const d of defaults) {
      test(label(d), () => {
        const m = makeModule(d.cls, d.args, d.options, nl);
        for (const [name, value] of Object.entries(d.attrs)) assertAttr(m, name, value);
      });
    }
  });

  describe(`${build}: training steps then eval, as torch.nn`, () => {
    for (const r of modules) {
      test(r.name, () => {
        const m = makeModule(r.cls, r.args, r.options, nl);
        for (const [key, values] of Object.entries(r.params)) m[key].set(f32(values));
        r.steps.forEach((step, i) => {
          const mode = step.train ? 'train' : 'eval';
          assert.equal(step.train ? m.train() : m.eval(), m, `${mode}() returns the module`);
          const y = m.forward(tensorOf(step.input));
          const where = `step ${i} (${mode}, input ${JSON.stringify(step.input.shape)})`;
          assert.deepEqual(y.shape, step.input.shape, `${where}: output shape`);
          assertTorch(y.data, step.expected, `${where}: output`);
          if (step.runningMean) {
            assertTorch(m.runningMean, step.runningMean, `${where}: runningMean`, 'running');
            assertTorch(m.runningVar, step.runningVar, `${where}: runningVar`, 'running');
            assert.equal(m.numBatchesTracked, step.numBatchesTracked, `${where}: numBatchesTracked`);
          } else {
            assert.ok(m.runningMean == null, `${where}: no runningMean without trackRunningStats`);
          }
        });
      });
    }
  });

  describe(`${build}: train() and eval()`, () => {
    test('a new module is in training mode; train(mode) and eval() set it and return the module', () => {
      for (const [cls, args] of [['LayerNorm', [5]], ['RMSNorm', [5]], ['GroupNorm', [1, 3]], ['InstanceNorm1d', [3]],
        ['BatchNorm1d', [3]]]) {
        const m = makeModule(cls, args, {}, nl);
        assert.equal(m.training, true, `a new ${cls} is in training mode`);
        assert.equal(m.eval(), m);
        assert.equal(m.training, false);
        assert.equal(m.train(), m);
        assert.equal(m.training, true);
        assert.equal(m.train(false), m);
        assert.equal(m.training, false);
      }
    });

    // The last fixture step of a tracking BatchNorm is eval: the same module
    // switched back to train() must move its running stats again.
    test('switching back to train() resumes updating running stats', () => {
      const r = modules.find((k) => k.cls === 'BatchNorm2d' && k.options.momentum === undefined);
      const m = makeModule(r.cls, r.args, r.options, nl);
      for (const [key, values] of Object.entries(r.params)) m[key].set(f32(values));
      const [first, , , last] = r.steps;
      m.eval();
      m.forward(tensorOf(last.input));
      assert.deepEqual(Array.from(m.runningMean), [0, 0, 0], 'eval leaves running stats alone');
      assert.equal(m.numBatchesTracked, 0);
      m.train();
      const y = m.forward(tensorOf(first.input));
      assertTorch(y.data, first.expected, 'train output after eval');
      assertTorch(m.runningMean, first.runningMean, 'runningMean', 'running');
      assert.equal(m.numBatchesTracked, 1);
    });
  });

  describe(`${build}: module errors as torch raises them`, () => {
    for (const e of errors.filter((k) => k.cls)) {
      test(e.name, () => {
        assertThrowsLike(() => {
          const m = makeModule(e.cls, e.args, e.options, nl);
          if (e.input) m.forward(tensorOf(e.input)); // no input: the constructor must throw
        }, e, e.name);
      });
    }
  });
}
