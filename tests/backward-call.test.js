// How a backward call reads its options: each name by [[Get]] (o.name), whatever the object is:
// spread objects (many calls, so V8 is past its first maps), inherited options and options that
// are getters of a class (not enumerable) all count, and give an options literal's bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBoth, random } from './helpers.js';

const [[, simd], [, scalar]] = await loadBoth();

const fill = (n, seed) => {
  const u = random(seed).uniform;
  return Float32Array.from({ length: n }, () => u() * 4 - 1.5);
};

/** [op, shape, the positional arguments after x, the op's parameter length]. */
const CALLS = [
  ['layerNorm', [6, 32], () => [[32]], 32],
  ['batchNorm', [4, 3, 5], () => [new Float32Array(3), new Float32Array(3).fill(1)], 3],
];

/** The same options, { weight, eps: 0.5, saved, gradInputOut } (and training for BatchNorm), made four ways. */
function optionsMadeAs(op, weight, saved, gradInputOut) {
  const flags = op === 'batchNorm' ? { training: true } : {};
  const params = { weight, eps: 0.5, ...flags };
  const outs = { saved, gradInputOut };
  class Options {
    get weight() { return weight; }
    get eps() { return 0.5; }
    get saved() { return saved; }
    get gradInputOut() { return gradInputOut; }
  }
  if (op === 'batchNorm') Object.defineProperty(Options.prototype, 'training', { get: () => true });
  return {
    literal: () => ({ weight, eps: 0.5, ...flags, saved, gradInputOut }),
    spread: () => ({ ...params, ...outs }),
    inherited: () => Object.create({ ...params, ...outs }),
    classGetters: () => new Options(),
  };
}

for (const [name, nl] of [['simd', simd], ['scalar', scalar]]) {
  test(`${name}: a backward call's options count however the object holds them (spread, inherited, getters)`, () => {
    for (const [op, shape, positional, n] of CALLS) {
      const size = shape.reduce((a, b) => a * b);
      const x = nl.tensor(shape, fill(size, 1)), dy = nl.tensor(shape, fill(size, 2));
      const weight = fill(n, 3);
      const flags = op === 'batchNorm' ? { training: true } : {};
      const saved = nl[op](x, ...positional().map((a) => a.slice()), { weight, eps: 0.5, ...flags, stats: true }).stats;
      const gradients = (made) => {
        const dx = nl.tensor(shape);
        const opts = optionsMadeAs(op, weight, saved, dx)[made];
        let r;
        for (let i = 0; i < 300; i++) r = nl[`${op}Backward`](dy, x, ...positional(), opts()); // past V8's first maps
        assert.equal(r.gradInput, dx, `${op} ${made}: gradInput is the WasmTensor out`);
        const out = { dx: dx.toArray(), dw: r.gradWeight.data };
        dx.free();
        return out;
      };
      const literal = gradients('literal');
      // eps 0.5 and the weight were read: without them the gradients differ
      const plain = nl[`${op}Backward`](dy, x, ...positional(), flags).gradInput.data;
      assert.notDeepEqual(literal.dx, plain, `${op}: the options change the gradient`);
      for (const made of ['spread', 'inherited', 'classGetters']) {
        assert.deepEqual(gradients(made), literal, `${op}: options made as ${made} give the literal's bits`);
      }
      x.free();
      dy.free();
    }
  });
}
