// The code box's reader (web/lab/torch-code.js) on its own: what it reads
// from each supported line, where it stops (line and column), that pasted
// script is never run, and the size limits. What the layers then do is
// pinned against torch in tests/snippets.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MAX_CODE_CHARS, MAX_CODE_LINES, messages, readTorchCode, t } from '../web/lab/index.js';

const H = 'import torch\nimport torch.nn as nn\n';
const keys = (prog) => prog.problems.map((p) => [p.key, p.line, p.col]);

test('inputs: rand, randn, ones, zeros, arange, tensor; shapes as ints, tuples, lists, size=', () => {
  const x = (line) => readTorchCode(`${H}${line}\n`).x;
  assert.deepEqual([x('x = torch.rand(2, 3, 4)').values, x('x = torch.rand(2, 3, 4)').data], ['uniform', null]);
  assert.equal(x('x = torch.randn((2, 3))').values, 'random');
  assert.deepEqual(x('x = torch.randn([2, 3])').shape, [2, 3]);
  assert.deepEqual(x('x = torch.ones(size=(2, 2))').shape, [2, 2]);
  assert.deepEqual(Array.from(x('x = torch.ones(2, 2)').data), [1, 1, 1, 1]);
  assert.equal(x('x = torch.zeros(2, 2)').values, 'zeros');
  const ramp = x('x = torch.arange(24).reshape(2, 3, 4).float()');
  assert.deepEqual([ramp.values, ramp.dtype, ramp.shape, ramp.data[23]], ['ramp', 'float32', [2, 3, 4], 23]);
  assert.equal(x('x = torch.arange(24).reshape(2, 3, 4)').dtype, 'int64', 'an integer arange is Long, as in torch');
  assert.equal(x('x = torch.arange(24, dtype=torch.float32).view(2, -1)').shape[1], 12);
  const scaled = x('x = torch.arange(6).reshape(2, 3) / 2');
  assert.deepEqual([scaled.values, scaled.dtype, Array.from(scaled.data)], ['custom', 'float32', [0, 0.5, 1, 1.5, 2, 2.5]]);
  const lit = x('x = torch.tensor([[1.5, -2], [3, 4e-1]])');
  assert.deepEqual([lit.values, lit.dtype, lit.shape, Array.from(lit.data)], ['custom', 'float32', [2, 2], [1.5, -2, 3, Math.fround(0.4)]]);
  assert.equal(x('x = torch.tensor([[1, 2], [3, 4]])').dtype, 'int64');
  const multi = readTorchCode(`${H}x = torch.tensor([[1., 2.],\n                  [3., 4.]])  # two rows\n`);
  assert.deepEqual([multi.x.shape, multi.x.line, multi.problems], [[2, 2], 3, []]);
  const seeded = readTorchCode(`${H}torch.manual_seed(7)\nN, C = 2, 3\nx = torch.rand(N, C * 2)\n`);
  assert.deepEqual([seeded.seed, seeded.x.shape], [7, [2, 6]]);
});

test('layers: constructors, shapes from x, keywords, train/eval, applications, prints', () => {
  const prog = readTorchCode(`${H}x = torch.rand(2, 3, 4)
a = nn.LayerNorm(x.shape[-2:], eps=1e-6)
b = torch.nn.InstanceNorm1d(x.size(1), affine=True, momentum=None)
c = nn.BatchNorm1d(3).eval()
d = nn.GroupNorm(num_groups=1, num_channels=3, affine=False)
c.train()
d.eval()
y = a(x)
print(b(x))
c(x)
print("done", y)
`);
  assert.deepEqual(prog.problems, []);
  const [a, b, c, d] = prog.layers;
  assert.deepEqual([a.name, a.line, a.col, a.code], ['a', 4, 5, 'nn.LayerNorm(x.shape[-2:], eps=1e-6)']);
  assert.deepEqual(a.spec.params.normalizedShape, [3, 4]);
  assert.equal(a.spec.params.eps, 1e-6);
  assert.deepEqual([b.spec.params.numFeatures, b.spec.params.affine, b.spec.params.momentum], [3, true, null]);
  assert.equal(b.forward.type, 'TypeError', 'InstanceNorm with momentum=None raises when applied in 1.13');
  assert.deepEqual([c.code, c.training, c.spec.params.training], ['nn.BatchNorm1d(3).eval()', true, true], 'eval(), then train() before the call');
  assert.deepEqual([d.spec.params.numGroups, d.spec.params.numChannels, d.spec.params.affine], [1, 3, false]);
  assert.deepEqual(prog.layers.map((l) => l.applied), [true, true, true, false]);
  assert.deepEqual(prog.prints.map((p) => p.line), [11, 13]);
  assert.equal(prog.prints[1].text, 'print("done", y)');
  const imported = readTorchCode('from torch import nn\nimport torch\nx = torch.rand(2, 3)\nm = nn.BatchNorm1d(3)\nm.train(False)\nm(x)\n');
  assert.equal(imported.layers[0].training, false);
});

test('a doctest paste (>>> prompts and printed output) reads as its code', () => {
  const prog = readTorchCode('>>> import torch\n>>> x = torch.ones(2, 2)\n>>> m = torch.nn.LayerNorm(2)\n>>> m(x)\n'
    + 'tensor([[0., 0.],\n        [0., 0.]], grad_fn=<NativeLayerNormBackward0>)\n');
  assert.deepEqual(prog.problems, []);
  assert.deepEqual([prog.layers[0].line, prog.layers[0].col, prog.layers[0].applied], [3, 9, true]);
});

test('unsupported code: a problem naming the line, the column and what', () => {
  const cases = [
    [`${H}x = torch.rand(2, 3)\nwith torch.no_grad():\n    y = 1\n`, [['code.unsupported', 4, 1], ['code.unsupported', 5, 5]]],
    [`${H}x = torch.rand(2, 3\n`, [['code.syntax', 3, 15]]],
    ['import numpy as np\n', [['code.unsupported', 1, 1]]],
    [`${H}x = torch.rand(2, 3)；\n`, [['code.syntax', 3, 21]]],
    [`${H}x = torch.rand(2, 3)\nx.fill_(1)\n`, [['code.unsupported', 4, 3]]],
    [`${H}x = torch.rand(2, 3)\ny = nn.Dropout(0.1)\n`, [['code.unsupported', 4, 8]]],
    [`${H}x = torch.rand(2, 3)\nm = nn.LayerNorm(3)\nz = m(x * 2)\n`, [['code.unsupported', 5, 9]]],
    [`${H}x = torch.rand(2, 3)\nw = torch.rand(3)\n`, [['code.second_input', 4, 1]]],
    [`${H}x = torch.rand(100, 100)\n`, [['code.x_too_big', 3, 11]]],
    [`${H}x = torch.rand(2, 3)\nm = nn.LayerNorm(3)\nm(x_typo)\n`, [['code.unknown_name', 5, 3]]],
    [`${H}x = torch.tensor([[1, 2], [3]])\n`, [['code.bad_value', 3, 11]]],
    [`${H}x = torch.rand(2, 3, dtype=torch.float64)\n`, [['code.unsupported', 3, 22]]],
    [`${H}x = torch.arange(5).reshape(2, 3)\n`, [['code.torch_raises', 3, 21]]],
  ];
  for (const [code, want] of cases) assert.deepEqual(keys(readTorchCode(code)), want, code);
  // Lines after a problem are still read.
  const after = readTorchCode(`${H}x = torch.rand(2, 3)；\nx = torch.rand(2, 3)\nm = nn.LayerNorm(3)\n`);
  assert.deepEqual([after.x.shape, after.layers.length], [[2, 3], 1]);
  // The messages name line and column in both languages and list what is supported.
  const p = readTorchCode('x = foo.bar(1)\ny = 2 +\n').problems;
  for (const lang of ['en', 'zh']) {
    for (const { key, params } of p) {
      const text = t(lang, key, params);
      assert.ok(Object.hasOwn(messages[lang], key), key);
      assert.ok(text.includes(String(params.line)) && text.includes(String(params.col)) && !text.includes('{'), text);
    }
  }
  const text = t('en', 'code.unsupported', readTorchCode('import os\n').problems[0].params);
  assert.match(text, /Line 1, column 1: “import os” is not supported\..*nn\.LayerNorm/);
});

test('pasted script and HTML are never run: they are problems', () => {
  globalThis.pwned = false;
  const hostile = [
    '<script>globalThis.pwned = true</script>',
    "__import__('os').system('touch /tmp/pwned')",
    'eval("globalThis.pwned = true")',
    "exec('import os')",
    "Function('globalThis.pwned = true')()",
    'x = (lambda: 1)()',
    'import os\nos.system("ls")',
    'x = torch.rand(2).__class__.__init__.__globals__',
    'constructor = 1\n__proto__ = {}\ntoString()',
    '`${globalThis.pwned = true}`',
    "import torch\nx = torch.rand(2, 3)\nprint(x, eval('1'))",
  ];
  for (const code of hostile) {
    const prog = readTorchCode(code);
    assert.equal(globalThis.pwned, false, code);
    if (!code.startsWith('import torch\n')) assert.ok(prog.problems.length > 0, `no problem for ${code}`);
    assert.deepEqual(prog.layers, []);
  }
  assert.equal(Object.prototype.polluted, undefined);
  // The reader has no way to run text: no eval, no Function, no dynamic import.
  const src = readFileSync(new URL('../web/lab/torch-code.js', import.meta.url), 'utf8')
    .replace(/'[^'\n]*'|"[^"\n]*"|`[^`\n]*`/g, "''").replace(/\/\/.*$/gm, '');
  assert.doesNotMatch(src, /\beval\s*\(|\bFunction\s*\(|\bnew\s+Function\b|\bimport\(|setTimeout|setInterval|innerHTML/);
});

test('size limits: characters and lines, each a clear problem', () => {
  const long = readTorchCode(`${H}# ${'a'.repeat(MAX_CODE_CHARS)}\n`);
  assert.deepEqual(keys(long), [['code.too_long', 1, 1]]);
  assert.equal(long.problems[0].params.max, 20000);
  const many = readTorchCode(`${H}${'\n'.repeat(MAX_CODE_LINES)}`);
  assert.deepEqual(keys(many), [['code.too_many_lines', MAX_CODE_LINES + 1, 1]]);
  assert.equal(MAX_CODE_LINES, 200);
  assert.deepEqual(readTorchCode(`${H}${'\n'.repeat(MAX_CODE_LINES - 4)}`).problems, [], 'up to the limit is fine');
  // Never a throw, whatever comes.
  for (const junk of [null, undefined, 42, '', ')))', '"""', "'", '\\', '\u0000', 'x = ' + '['.repeat(500) + ']'.repeat(500)]) {
    assert.doesNotThrow(() => readTorchCode(junk), String(junk).slice(0, 20));
  }
});

test('RMSNorm: torch 1.13 has none; the page computes it as torch 2.4', () => {
  const prog = readTorchCode(`${H}x = torch.rand(2, 3, 4)\nrms = nn.RMSNorm(4, eps=None)\n`);
  const [rms] = prog.layers;
  assert.deepEqual(rms.torch113, { type: 'AttributeError', message: "module 'torch.nn' has no attribute 'RMSNorm'" });
  assert.deepEqual(rms.notes, [{ key: 'code.rms_torch24', params: { name: 'rms' } }]);
  assert.equal(rms.spec.kind, 'rms_norm');
  assert.equal(rms.spec.params.eps, null);
  assert.equal(rms.construction, null);
});
