// The source document asks: is PyTorch's LayerNorm over only the last
// dimension the same as InstanceNorm?  These tests settle it with numbers, on
// both builds, through normlab's module classes (semantics §2 has torch's own
// figures): LayerNorm(L) on (N, C, L) equals InstanceNorm1d without affine;
// it does not equal InstanceNorm2d, which needs LayerNorm([H, W]); and with
// affine parameters the two differ, because the parameters live on different
// axes.  It also pins the document's two slips with torch's numbers.  Each
// claim is checked through the page too (web/lab: its layers, against the
// float64 reference, and the verdict it writes).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as lab from '../web/lab/index.js';
import {
  assertClose, assertTorch, instanceNormRef, layerNormRef, loadBoth, loadFixtures, makeModule, maxAbsDiff, numbers,
  random, tensorOf,
} from './helpers.js';

const builds = await loadBoth();
const doc = loadFixtures().question;

const SAME = 1e-6; // float32 rounding noise (torch: at most 4.8e-7)
const DIFFERENT = 0.1; // torch: 1.28 and more
const PAGE = { abs: 1e-5 }; // the page's layers against float64 and torch

const spec = (text) => lab.parseLayers(text)[0];
const keysOf = (cmp) => cmp.reasons.map((r) => r.key);

for (const [build, nl] of builds) {
  const rng = random(build === 'simd' ? 1 : 2);
  /** new cls(...args) on this build, run on x; returns the output data. */
  const run = (cls, args, x, options = {}) => makeModule(cls, args, options, nl).forward(x).data;
  const noAffine = { elementwiseAffine: false };
  /** The page's two layers (text as in a link) on tensor x: their runs and verdict. */
  const page = (textA, textB, x) => {
    const [a, b] = [spec(textA), spec(textB)];
    const [ra, rb] = [lab.runLayer(nl, a, x), lab.runLayer(nl, b, x)];
    return { ra, rb, cmp: lab.compare(ra, rb, a, b, x.shape) };
  };

  describe(`${build}: LayerNorm over the last dim vs InstanceNorm`, () => {
    for (const shape of [[2, 3, 4], [4, 3, 10], [2, 5, 17], [3, 2, 64], [1, 4, 129]]) {
      test(`LayerNorm(L) equals InstanceNorm1d(C) on ${JSON.stringify(shape)}`, () => {
        const [N, C, L] = shape;
        const x = rng.tensor(shape);
        const diff = maxAbsDiff(run('LayerNorm', [L], x, noAffine), run('InstanceNorm1d', [C], x));
        assert.ok(diff <= SAME, `max |diff| ${diff}`);

        // the page: both layers are the float64 reference, and its verdict says why they agree
        const { ra, rb, cmp } = page('layer_norm', 'instance_norm', x);
        const ref = layerNormRef(x.data, N * C, L);
        assertClose(ra.data, ref.y, PAGE, 'page LayerNorm vs float64');
        assertClose(rb.data, ref.y, PAGE, 'page InstanceNorm1d vs float64');
        // per-group stats in the library's order: (n, c) planes
        assert.equal(rb.stats.mean.length, N * C);
        assertClose(rb.stats.mean, ref.mean, { abs: 1e-6 }, 'page InstanceNorm1d stats.mean vs float64');
        assert.equal(cmp.identical, true);
        assert.ok(cmp.maxAbsDiff <= 1e-5);
        assert.equal(cmp.maxAbsDiff, Math.max(...cmp.diff));
        assert.equal(cmp.sameGroups, true);
        assert.equal(keysOf(cmp)[0], 'cmp.identical');
        assert.ok(keysOf(cmp).includes('cmp.same_groups'));
        assert.ok(keysOf(cmp).includes('cmp.param_only_one'), 'LayerNorm has a weight, InstanceNorm by default none');
        const reduces = cmp.reasons.filter((r) => r.key === 'cmp.reduces').map((r) => [r.params.module, r.params.axes, r.params.groupSize]);
        assert.deepEqual(reduces, [['LayerNorm', 'L', L], ['InstanceNorm1d', 'L', L]]);
      });
    }

    test('LayerNorm(L) equals InstanceNorm1d(C) on an unbatched (C, L) input', () => {
      const x = rng.tensor([3, 10]);
      const diff = maxAbsDiff(run('LayerNorm', [10], x, noAffine), run('InstanceNorm1d', [3], x));
      assert.ok(diff <= SAME, `max |diff| ${diff}`);
    });

    test('LayerNorm(W) does NOT equal InstanceNorm2d(C) on (N, C, H, W), unless H = 1', () => {
      for (const shape of [[4, 3, 5, 6], [2, 3, 1, 6]]) {
        const [N, C, H, W] = shape;
        const x = rng.tensor(shape);
        const diff = maxAbsDiff(run('LayerNorm', [W], x, noAffine), run('InstanceNorm2d', [C], x));
        if (H === 1) assert.ok(diff <= SAME, `H = 1: max |diff| ${diff}`);
        else assert.ok(diff > DIFFERENT, `max |diff| ${diff}: rows of W were expected to differ from HxW planes`);

        // the page: each layer is its float64 reference, and the verdict follows the difference
        const { ra, rb, cmp } = page('layer_norm', 'instance_norm', x);
        const refA = layerNormRef(x.data, N * C * H, W).y;
        const refB = instanceNormRef(x.data, [N, C, H * W]).y;
        assertClose(ra.data, refA, PAGE, 'page LayerNorm(W)');
        assertClose(rb.data, refB, PAGE, 'page InstanceNorm2d');
        const expected = maxAbsDiff(refA, refB);
        assert.ok(Math.abs(cmp.maxAbsDiff - expected) <= 1e-5, `${cmp.maxAbsDiff} vs ${expected}`);
        if (H === 1) {
          assert.equal(cmp.identical, true);
          assert.ok(keysOf(cmp).includes('cmp.only_because_size1'));
          assert.equal(cmp.reasons.find((r) => r.key === 'cmp.only_because_size1').params.axes, 'H = 1');
        } else {
          assert.ok(expected > DIFFERENT, 'the float64 reference says they differ');
          assert.equal(cmp.identical, false);
          assert.equal(cmp.sameGroups, false);
          assert.equal(keysOf(cmp)[0], 'cmp.different');
          assert.ok(keysOf(cmp).includes('cmp.different_groups'));
          assert.ok(!keysOf(cmp).includes('cmp.only_because_size1'));
        }
      }
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
        const { cmp } = page(`group_norm:${c}`, 'instance_norm', x);
        assert.equal(cmp.identical, true, 'the page: identical');
        assert.equal(cmp.sameGroups, true);
        assert.ok(keysOf(cmp).includes('cmp.param_only_one'));
      });
      test(`GroupNorm(1 group) equals LayerNorm([C, H, W]) on ${JSON.stringify(shape)}`, () => {
        const x = rng.tensor(shape);
        const diff = maxAbsDiff(run('GroupNorm', [1, c], x, { affine: false }),
          run('LayerNorm', [[c, h, w]], x, noAffine));
        assert.ok(diff <= SAME, `max |diff| ${diff}`);
        const { cmp } = page('group_norm', `layer_norm:${c}x${h}x${w}`, x);
        assert.equal(cmp.identical, true, 'the page: identical');
        assert.ok(keysOf(cmp).includes('cmp.param_axes_differ'), 'per channel vs per element');
        const params = cmp.reasons.find((r) => r.key === 'cmp.param_axes_differ').params;
        assert.deepEqual(params, { layerA: 'A', layerB: 'B', axesA: 'C', axesB: 'C, H, W' });
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

    test('random parameters on the page (rand=seed): differ, and the verdict says the parameters do it', () => {
      const x = rng.tensor([4, 3, 10]);
      const [a, b] = [spec('layer_norm:rand=1'), spec('instance_norm:affine:rand=2')];
      const { ra, rb, cmp } = page('layer_norm:rand=1', 'instance_norm:affine:rand=2', x);
      assert.equal(ra.weight.length, 10);
      assert.equal(rb.weight.length, 3);
      // y = normalized * weight[per axis] + bias[per axis], in float64
      assertClose(ra.data, layerNormRef(x.data, 12, 10, { weight: ra.weight, bias: ra.bias }).y, PAGE, 'LayerNorm with weight');
      assertClose(rb.data, instanceNormRef(x.data, [4, 3, 10], { weight: rb.weight, bias: rb.bias }).y, PAGE,
        'InstanceNorm with weight');
      assert.equal(cmp.identical, false);
      assert.equal(cmp.sameGroups, true);
      assert.ok(keysOf(cmp).includes('cmp.params_random'));
      assert.deepEqual(cmp.reasons.find((r) => r.key === 'cmp.param_axes_differ').params, { layerA: 'A', layerB: 'B', axesA: 'L', axesB: 'C' });
      // the page's own letters name the layers
      const labelled = lab.compare(ra, rb, a, b, x.shape, ['A', 'C']);
      assert.ok(labelled.reasons.filter((r) => r.params.layer).every((r) => ['A', 'C'].includes(r.params.layer)));
      assert.match(lab.t('en', 'cmp.param_axes_differ', labelled.reasons.find((r) => r.key === 'cmp.param_axes_differ').params), /^A’s .* C’s per C:/);
      // the same seed gives the same parameters: links reproduce them
      assert.deepEqual(lab.runLayer(nl, a, x).weight, ra.weight);
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
        assert.equal(doc.instanceNorm2dAffineError.message, 'weight should contain 2 elements not 3');
        const [head, tail] = doc.instanceNorm2dAffineError.message.split(' not ');
        for (const part of [head, `not ${tail}`]) {
          assert.ok(e.message.includes(part), `"${e.message}" lacks "${part}"`);
        }
        return true;
      });
    });

    test('the page on x: torch\'s numbers, its verdicts, and the InstanceNorm2d it builds from the shape', () => {
      const { shape } = x;
      const run1 = (text) => lab.runLayer(nl, spec(text), x).data;
      const verdict = (t1, t2) => page(t1, t2, x).cmp;
      const torch = (name) => numbers(doc[name].f64);
      // nn.LayerNorm(x.size()[1:]) is LayerNorm([3, 4]); it equals InstanceNorm2d,
      // which reads the 3-D tensor as one unbatched image with C = 2
      assertClose(run1('layer_norm:3x4'), torch('layerNormSize1'), PAGE, 'LayerNorm([3, 4])');
      assertClose(run1('instance_norm:dim=2'), torch('instanceNorm2dNoAffine'), PAGE, 'InstanceNorm2d');
      const same2d = verdict('layer_norm:3x4', 'instance_norm:dim=2');
      assert.equal(same2d.identical, true);
      assert.deepEqual(same2d.reasons.find((r) => r.key === 'cmp.unbatched').params,
        { layer: 'B', module: 'InstanceNorm2d', axes: 'C, H, W' });
      assert.equal(lab.pytorchCode(spec('instance_norm:dim=2'), shape), 'nn.InstanceNorm2d(2)');
      // the last dimension only equals InstanceNorm1d(3) on (N, C, L)
      assertClose(run1('instance_norm'), torch('layerNormLast'), PAGE, 'InstanceNorm1d vs torch LayerNorm(4)');
      assert.equal(verdict('layer_norm:4', 'instance_norm').identical, true);
      // LayerNorm([3, 4]) vs InstanceNorm1d(3): different, by torch's amount
      const diff = verdict('layer_norm:3x4', 'instance_norm');
      assert.equal(diff.identical, false);
      assert.ok(Math.abs(diff.maxAbsDiff - maxAbsDiff(torch('layerNormSize1'), torch('layerNormLast'))) <= 1e-5);
      // the document's nn.InstanceNorm2d(3, affine=True) fails in torch (C is 2);
      // the page takes num_features from the shape, so it builds InstanceNorm2d(2)
      assert.equal(lab.pytorchCode(spec('instance_norm:dim=2:affine'), shape), 'nn.InstanceNorm2d(2, affine=True)');
    });
  });
}
