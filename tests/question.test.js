// The source document asks: is PyTorch's LayerNorm over only the last
// dimension the same as InstanceNorm?  These tests settle it with numbers, on
// both builds, through normlab's module classes (semantics §2 has torch's own
// figures): LayerNorm(L) on (N, C, L) equals InstanceNorm1d without affine;
// it does not equal InstanceNorm2d, which needs LayerNorm([H, W]); and with
// affine parameters the two differ, because the parameters live on different
// axes.  It also pins the document's two slips with torch's numbers.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertTorch, loadBoth, loadFixtures, makeModule, maxAbsDiff, random, tensorOf,
} from './helpers.js';

const builds = await loadBoth();
const doc = loadFixtures().question;

const SAME = 1e-6; // float32 rounding noise (torch: at most 4.8e-7)
const DIFFERENT = 0.1; // torch: 1.28 and more

for (const [build, nl] of builds) {
  const rng = random(build === 'simd' ? 1 : 2);
  /** new cls(...args) on this build, run on x; returns the output data. */
  const run = (cls, args, x, options = {}) => makeModule(cls, args, options, nl).forward(x).data;
  const noAffine = { elementwiseAffine: false };

  describe(`${build}: LayerNorm over the last dim vs InstanceNorm`, () => {
    for (const shape of [[2, 3, 4], [4, 3, 10], [2, 5, 17], [3, 2, 64], [1, 4, 129]]) {
      test(`LayerNorm(L) equals InstanceNorm1d(C) on ${JSON.stringify(shape)}`, () => {
        const x = rng.tensor(shape);
        const diff = maxAbsDiff(run('LayerNorm', [shape[2]], x, noAffine), run('InstanceNorm1d', [shape[1]], x));
        assert.ok(diff <= SAME, `max |diff| ${diff}`);
      });
    }

    test('LayerNorm(L) equals InstanceNorm1d(C) on an unbatched (C, L) input', () => {
      const x = rng.tensor([3, 10]);
      const diff = maxAbsDiff(run('LayerNorm', [10], x, noAffine), run('InstanceNorm1d', [3], x));
      assert.ok(diff <= SAME, `max |diff| ${diff}`);
    });

    test('LayerNorm(W) does NOT equal InstanceNorm2d(C) on (N, C, H, W)', () => {
      const x = rng.tensor([4, 3, 5, 6]);
      const diff = maxAbsDiff(run('LayerNorm', [6], x, noAffine), run('InstanceNorm2d', [3], x));
      assert.ok(diff > DIFFERENT, `max |diff| ${diff}: rows of W were expected to differ from HxW planes`);
    });

    for (const shape of [[4, 3, 5, 6], [2, 3, 4, 4], [1, 2, 7, 9]]) {
      const [, c, h, w] = shape;
      test(`LayerNorm([H, W]) equals InstanceNorm2d(C) on ${JSON.stringify(shape)}`, () => {
        const x = rng.tensor(shape);
        const diff = maxAbsDiff(run('LayerNorm', [[h, w]], x, noAffine), run('InstanceNorm2d', [c], x));
        assert.ok(diff <= SAME, `max |diff| ${diff}`);
      });
      test(`GroupNorm(C groups) equals InstanceNorm2d(C) on ${JSON.stringify(shape)}`, () => {
        const x = rng.tensor(shape);
        const diff = maxAbsDiff(run('GroupNorm', [c, c], x, { affine: false }), run('InstanceNorm2d', [c], x));
        assert.ok(diff <= SAME, `max |diff| ${diff}`);
      });
      test(`GroupNorm(1 group) equals LayerNorm([C, H, W]) on ${JSON.stringify(shape)}`, () => {
        const x = rng.tensor(shape);
        const diff = maxAbsDiff(run('GroupNorm', [1, c], x, { affine: false }),
          run('LayerNorm', [[c, h, w]], x, noAffine));
        assert.ok(diff <= SAME, `max |diff| ${diff}`);
      });
    }
  });

  describe(`${build}: with affine parameters`, () => {
    /** LayerNorm(L) and InstanceNorm1d(C, affine) with the given parameter fills. */
    const pairWith = (fill) => {
      const x = rng.tensor([4, 3, 10]);
      const ln = makeModule('LayerNorm', [10], {}, nl);
      const inorm = makeModule('InstanceNorm1d', [3], { affine: true }, nl);
      for (const m of [ln, inorm]) fill(m);
      return maxAbsDiff(ln.forward(x).data, inorm.forward(x).data);
    };

    test('random parameters: LayerNorm(L) and InstanceNorm1d(C, affine) differ', () => {
      const diff = pairWith((m) => {
        m.weight.set(rng.values(m.weight.length, 0.5, 2));
        m.bias.set(rng.values(m.bias.length, -1, 1));
      });
      assert.ok(diff > DIFFERENT, `max |diff| ${diff}: (L,) and (C,) parameters were expected to differ`);
    });

    test('one uniform scalar affine (w = 1.7, b = -0.3) keeps them equal', () => {
      const diff = pairWith((m) => {
        m.weight.fill(1.7);
        m.bias.fill(-0.3);
      });
      assert.ok(diff <= 2 * SAME, `max |diff| ${diff}`);
    });
  });

  describe(`${build}: the document's example, x = torch.rand(2, 3, 4)`, () => {
    const x = tensorOf(doc.x);

    test('nn.LayerNorm(x.size()[1:]) normalizes over [3, 4], as torch does', () => {
      const y = run('LayerNorm', [x.shape.slice(1)], x);
      assertTorch(y, doc.layerNormSize1, 'LayerNorm([3, 4])');
      for (let n = 0; n < 2; n++) { // each sample's 12 elements form one group: mean 0
        const mean = y.subarray(12 * n, 12 * n + 12).reduce((a, b) => a + b) / 12;
        assert.ok(Math.abs(mean) <= SAME, `sample ${n}: mean ${mean}`);
      }
    });

    test('LayerNorm([3, 4]) differs from LayerNorm(4), the last dim only', () => {
      const last = run('LayerNorm', [4], x);
      assertTorch(last, doc.layerNormLast, 'LayerNorm(4)');
      const diff = maxAbsDiff(run('LayerNorm', [[3, 4]], x), last);
      assert.ok(diff > DIFFERENT, `max |diff| ${diff}`);
    });

    test('InstanceNorm2d(3) reads the 3-D x as unbatched (C = 2): equals LayerNorm([3, 4])', () => {
      const y = run('InstanceNorm2d', [3], x);
      assertTorch(y, doc.instanceNorm2dNoAffine, 'InstanceNorm2d(3)');
      const diff = maxAbsDiff(y, run('LayerNorm', [[3, 4]], x, noAffine));
      assert.ok(diff <= SAME, `max |diff| ${diff}`);
    });

    test(`InstanceNorm2d(3, affine=True) on x throws: torch says "${doc.instanceNorm2dAffineError.message}"`, () => {
      const m = makeModule('InstanceNorm2d', [3], { affine: true }, nl);
      assert.throws(() => m.forward(x), (e) => {
        assert.ok(e instanceof RangeError || e instanceof TypeError, `${e.constructor.name}: ${e.message}`);
        // torch's message in two parts: normlab may add words in between
        const [head, tail] = doc.instanceNorm2dAffineError.message.split(' not ');
        assert.equal(head, 'weight should contain 2 elements');
        for (const part of [head, `not ${tail}`]) {
          assert.ok(e.message.includes(part), `"${e.message}" lacks "${part}"`);
        }
        return true;
      });
    });
  });
}
