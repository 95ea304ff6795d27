// Pasted PyTorch code against torch 1.13: for every snippet of
// tests/fixtures/snippets.json (made by tests/fixtures/make_fixtures.py, which
// ran each one in torch), readTorchCode finds the same layers, and for each
// layer the page logic raises torch's exception word for word, or normalizes
// the same groups of elements as torch (from the Jacobian's sparsity) with
// torch's numbers (within 1e-5 of torch in float64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadNormlab } from '../src/normlab.js';
import { describe as describeLayer, groupOf, isLabError, layout, runLayer, readTorchCode } from '../web/lab/index.js';
import { SOURCE_CODE } from '../web/lab/source-doc.js';
import { f32, maxAbsDiff, numbers } from './helpers.js';

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/snippets.json', import.meta.url), 'utf8'));
const SNIPPETS = FIXTURE.snippets;

// Group labels in order of first appearance, so two partitions compare as arrays.
function canonical(ids) {
  const seen = new Map();
  return Array.from(ids, (id) => {
    if (!seen.has(id)) seen.set(id, seen.size);
    return seen.get(id);
  });
}

/** The page's partition: groupOf's groups, or every element alone in eval
 * with running statistics (nothing of this input is reduced). */
function pagePartition(spec, shape) {
  const info = describeLayer(spec, shape);
  const size = shape.reduce((a, b) => a * b, 1);
  if (info.runningStats === 'use') return Array.from({ length: size }, (_, i) => i);
  return canonical(groupOf(spec, shape));
}

const torchOf = (e) => ({ type: e.type, message: e.message });

test('the fixture table: at least 40 snippets, the document\'s first, pinned by torch 1.13', () => {
  assert.ok(SNIPPETS.length >= 40, `${SNIPPETS.length} snippets`);
  assert.match(FIXTURE.torch, /^1\.13/);
  assert.equal(SNIPPETS[0].name, 'source document');
  assert.equal(SNIPPETS[0].code.trim(), SOURCE_CODE.trim(), 'the page\'s preset is the fixture\'s document code');
  const outcomes = SNIPPETS.flatMap((s) => s.layers.map((l) => (l.construction ? 'construct' : l.forward ? 'forward' : 'groups')));
  for (const kind of ['construct', 'forward', 'groups']) assert.ok(outcomes.filter((o) => o === kind).length >= 10, kind);
});

for (const snippet of SNIPPETS) {
  test(`snippet "${snippet.name}": the page does what torch 1.13 does`, async () => {
    const nl = await loadNormlab();
    const prog = readTorchCode(snippet.code);
    assert.deepEqual(prog.problems, [], 'the reader reads every line');
    assert.deepEqual(prog.layers.map((l) => [l.name, l.line]), snippet.layers.map((l) => [l.name, l.line]), 'layers');
    if (snippet.x) {
      assert.deepEqual(prog.x.shape, snippet.x.shape, 'x shape');
      assert.equal(prog.x.dtype, snippet.x.dtype, 'x dtype');
      if (prog.x.data) assert.deepEqual(Array.from(prog.x.data), Array.from(f32(snippet.x.data)), 'x values');
    }
    snippet.layers.forEach((want, i) => {
      const got = prog.layers[i];
      const label = `${want.name} (line ${want.line})`;
      if (want.torch113) assert.deepEqual(got.torch113, want.torch113, `${label}: torch 1.13 has no RMSNorm`);
      if (want.construction) {
        assert.equal(got.spec, null, `${label}: no layer is built`);
        assert.deepEqual(torchOf(got.construction), want.construction, `${label}: construction`);
        assert.ok(got.construction.key, `${label}: a reason key`);
        return;
      }
      assert.equal(got.construction, null, `${label}: construction`);
      assert.equal(got.training, want.training, `${label}: train/eval`);
      const shape = snippet.x.shape;
      if (want.forward) {
        assert.deepEqual(torchOf(got.forward), want.forward, `${label}: layer(x)`);
        assert.ok(got.forward.key, `${label}: a reason key`);
        // The page logic itself raises it (dtype errors come from the reader).
        if (snippet.x.dtype === 'float32') {
          assert.throws(() => layout(got.spec, shape), (e) => {
            assert.ok(isLabError(e), String(e));
            assert.deepEqual(e.torch, want.forward, `${label}: layout()`);
            return true;
          });
          assert.throws(() => runLayer(nl, got.spec, { data: f32(snippet.x.data), shape }), (e) => isLabError(e) && e.torch.message === want.forward.message);
        }
        return;
      }
      assert.equal(got.forward, null, `${label}: runs`);
      assert.deepEqual(pagePartition(got.spec, shape), want.groups, `${label}: groups`);
      const result = runLayer(nl, got.spec, { data: f32(snippet.x.data), shape });
      const d = maxAbsDiff(result.data, numbers(want.output.f64));
      assert.ok(d <= 1e-5, `${label}: output differs from torch by ${d}`);
    });
  });
}

test('the document\'s snippet: the claims in its comments', () => {
  const prog = readTorchCode(SOURCE_CODE);
  const [ln, inorm] = prog.layers;
  assert.equal(prog.x.values, 'uniform');
  assert.deepEqual(ln.spec.params.normalizedShape, [3, 4]);
  assert.equal(ln.claim.key, 'code.claim_last_dim');
  assert.equal(ln.claim.corrected, 'nn.LayerNorm(x.size()[-1])');
  assert.deepEqual(ln.claim.correctedSpec.params.normalizedShape, [4]);
  assert.equal(ln.claim.params.count, 2);
  // The corrected line normalizes the last dimension only: torch's LayerNorm(4) groups.
  const last = SNIPPETS.find((s) => s.name === 'LayerNorm shapes from x').layers.find((l) => l.name === 'last');
  assert.deepEqual(pagePartition(ln.claim.correctedSpec, [2, 3, 4]), last.groups);

  assert.equal(inorm.code, 'nn.InstanceNorm2d(3, affine=True)');
  assert.equal(inorm.comment, '3 是通道数');
  assert.equal(inorm.forward.message, 'weight should contain 2 elements not 3');
  assert.equal(inorm.forward.key, 'err.layer.in_weight_unbatched');
  assert.deepEqual({ C: inorm.forward.params.C, numFeatures: inorm.forward.params.numFeatures, axes: inorm.forward.params.axes },
    { C: 2, numFeatures: 3, axes: 'C, H, W' });
  assert.equal(inorm.claim.key, 'code.claim_channels_unbatched');
  assert.equal(inorm.claim.corrected, 'nn.InstanceNorm1d(3, affine=True)');
  assert.equal(inorm.claim.params.C, 2);
  // InstanceNorm1d(3) reads (2, 3, 4) as (N, C=3, L): torch's InstanceNorm1d(10) docs groups, scaled: planes of L.
  const planes = pagePartition(inorm.claim.correctedSpec, [2, 3, 4]);
  assert.deepEqual(planes, Array.from({ length: 24 }, (_, i) => Math.floor(i / 4)));
  // No claim where the comment is right.
  const right = readTorchCode('import torch\nx = torch.rand(2, 3, 4)\nln = torch.nn.LayerNorm(x.shape[-1])  # normalize over the last dimension\n');
  assert.equal(right.layers[0].claim, null);
  const en = readTorchCode('import torch\nimport torch.nn as nn\nx = torch.rand(2, 3, 4)\nm = nn.InstanceNorm2d(3, affine=True)  # 3 channels\n');
  assert.equal(en.layers[0].claim.key, 'code.claim_channels_unbatched');
  const zh = readTorchCode('import torch\nimport torch.nn as nn\nx = torch.rand(2, 3, 4)\nln = nn.LayerNorm([3, 4])  # 在最后一维上归一化\n');
  assert.equal(zh.layers[0].claim.corrected, 'nn.LayerNorm(x.size()[-1])');
});
