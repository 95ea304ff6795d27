// The one string catalogue (web/lab/strings.js) and the one number formatter
// (web/lab/i18n.js): every key has English and Chinese with the same
// placeholders, every key the code uses exists, every key is used, the Chinese
// uses full-width punctuation, and the library's messages reach the Chinese
// page in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRINGS } from '../web/lab/strings.js';
import { formatNumber, libraryMessage, messages, t } from '../web/lab/i18n.js';
import { FLOAT32_EPS } from '../web/lab/constants.js';
import { KINDS } from '../web/lab/index.js';
import { DEFAULT_PIE } from '../web/viz/pie.js';
import { loadNormlab } from '../src/normlab.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEYS = Object.keys(STRINGS);
const AREAS = [...new Set(KEYS.map((k) => k.split('.')[0]))];
const holes = (s) => [...new Set(s.match(/\{\w+\}/g))].sort().join();

// Keys whose Chinese is rightly the same as the English (a name, not prose).
const SAME_IN_BOTH = new Set(['pie.nlp']);

// The keys the code builds instead of writing them out: `code` is the
// template as it stands in the code (it must still be there), `keys` every key
// it can produce (each must exist). A new template key must be added here.
const DYNAMIC = [
  { code: '`layer.${', keys: KINDS.map((k) => `layer.${k}`) },
  { code: '`pie.${', keys: DEFAULT_PIE.map(([k]) => `pie.${k}`) },
  { code: '`page.flow_${', keys: ['input', 'mean', 'std', 'normalize', 'output'].map((n) => `page.flow_${n}`) },
  { code: '`table.init.${', keys: ['initial', 'random'].map((n) => `table.init.${n}`) },
  { code: '`table.running.${', keys: ['none', 'update', 'use'].map((n) => `table.running.${n}`) },
  { code: '`layout.in${', keys: [1, 2, 3].flatMap((d) => ['batched', 'unbatched'].map((b) => `layout.in${d}d_${b}`)) },
];

// Every file that may use a key: the page, the element, the lab logic, the
// library (not the catalogue itself).
function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(js|html)$/.test(name) ? [path] : [];
  });
}
const FILES = [...sources(join(ROOT, 'web')), ...sources(join(ROOT, 'src'))]
  .filter((f) => !f.endsWith(join('web', 'lab', 'strings.js')))
  .map((path) => ({ name: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

const area = `(?:${AREAS.join('|')})`;
// A whole quoted literal that is a key: 'err.shape.dim', "page.title" (also
// data-i18n="..."), `btn.run`.
const LITERAL = new RegExp(`(['"\`])(${area}\\.[A-Za-z0-9_.]*[A-Za-z0-9_])\\1`, 'g');
// A key passed to t() or LabError, whatever its area (a new area would not be in AREAS).
const CALL = /\b(?:t|LabError)\(\s*(?:[\w.]+,\s*)?(['"`])([a-z]+\.[A-Za-z0-9_.]*[A-Za-z0-9_])\1/g;
// A key built at run time: `area.…${…}` or 'area.…' + …
const BUILT = new RegExp(`\`${area}\\.[A-Za-z0-9_.]*\\$\\{|(['"])${area}\\.[A-Za-z0-9_.]*\\1\\s*\\+`, 'g');

function usedKeys() {
  const used = new Map(); // key -> first file that uses it
  for (const { name, text } of FILES) {
    for (const m of [...text.matchAll(LITERAL), ...text.matchAll(CALL)]) {
      // A file name (src="app.js") is not a key, unless the catalogue has it.
      if (/\.(js|css|html|svg|json|wasm)$/.test(m[2]) && !Object.hasOwn(STRINGS, m[2])) continue;
      if (!used.has(m[2])) used.set(m[2], name);
    }
  }
  return used;
}

test('catalogue: every key has English and Chinese, the same placeholders, and is sorted', () => {
  assert.ok(KEYS.length > 100, `only ${KEYS.length} keys`);
  for (const [key, texts] of Object.entries(STRINGS)) {
    assert.match(key, /^[a-z]+(\.[a-z0-9_]+)+$/, `${key}: not an area.key name`);
    assert.deepEqual(Object.keys(texts).sort(), ['en', 'zh'], `${key}: needs en and zh, nothing else`);
    for (const lang of ['en', 'zh']) {
      assert.equal(typeof texts[lang], 'string', `${key}.${lang}`);
      assert.ok(texts[lang].trim() !== '', `${key}.${lang} is empty`);
    }
    assert.equal(holes(texts.zh), holes(texts.en), `${key}: placeholders differ`);
    if (!SAME_IN_BOTH.has(key)) assert.notEqual(texts.zh, texts.en, `${key} is not translated`);
  }
  // Areas sorted, keys sorted within each area: the whole list is sorted.
  KEYS.forEach((key, i) => assert.ok(i === 0 || KEYS[i - 1] < key, `${key} is out of order (after ${KEYS[i - 1]})`));
  assert.deepEqual(Object.keys(messages.zh), KEYS);
});

test('every key the code uses exists, and every key is used', () => {
  const used = usedKeys();
  assert.ok(used.size > 100, `only ${used.size} keys found in the code`);
  const missing = [...used].filter(([key]) => !Object.hasOwn(STRINGS, key)).map(([key, file]) => `${file}: ${key}`);
  assert.deepEqual(missing, [], 'keys the code uses but the catalogue lacks');

  // Built keys: each template is one of DYNAMIC, still in the code, and every key it builds exists.
  const all = FILES.map((f) => f.text).join('\n');
  for (const { name, text } of FILES) {
    for (const m of text.matchAll(BUILT)) {
      assert.ok(DYNAMIC.some((d) => m[0].startsWith(d.code)), `${name} builds a key with ${m[0]}: list its keys in DYNAMIC`);
    }
  }
  for (const d of DYNAMIC) {
    assert.ok(all.includes(d.code), `no file builds ${d.code}…}\` any more: remove it from DYNAMIC`);
    const lacking = d.keys.filter((key) => !Object.hasOwn(STRINGS, key));
    assert.deepEqual(lacking, [], `${d.code}…}\` can build keys the catalogue lacks`);
    for (const key of d.keys) used.set(key, 'DYNAMIC');
  }
  const unused = KEYS.filter((k) => !used.has(k));
  assert.deepEqual(unused, [], `keys no file uses: ${unused.join(', ')}`);
});

// ---------- Chinese typography ----------

// Han characters, CJK and full-width punctuation, Chinese quotes.
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef“”‘’]/u;
const HAN = /\p{Script=Han}/u;

/** The half-width punctuation in a Chinese text that should be full-width,
 * as a list of "…context…" snippets. Code inside `backticks` is skipped;
 * placeholders count as neither Chinese nor code. */
function halfWidthProblems(zh) {
  const s = zh.replace(/`[^`]*`/g, (code) => '\0'.repeat(code.length));
  const at = (i) => s.slice(Math.max(0, i - 6), i + 7).replace(/\0+/g, '`…`');
  const problems = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i], prev = s[i - 1] ?? '', next = s[i + 1] ?? '';
    if (',:;?!'.includes(c)) {
      // Next to Chinese, or a prose comma/colon straight before a word
      // ("0,{layer}", "normlab:LayerNorm"); code writes "2,3" or "a, b".
      if (CJK.test(prev) || CJK.test(next) || /[A-Za-z{\p{Script=Han}]/u.test(next)) problems.push(at(i));
    } else if (c === '.' && HAN.test(prev)) {
      problems.push(at(i)); // a sentence ends with 。
    } else if (c === '(') {
      const close = s.indexOf(')', i);
      const inner = close < 0 ? s.slice(i + 1) : s.slice(i + 1, close);
      // An aside in Chinese, right after Chinese ("层归一化(LayerNorm)"), or
      // after a placeholder before Chinese ("{layer}({module})使用"; not a
      // call in quotes, “{name}(…)”).
      const after = close < 0 ? '' : s[close + 1] ?? '';
      if (CJK.test(inner) || CJK.test(prev) || (prev === '}' && HAN.test(after))) problems.push(at(i));
    } else if (c === ')' && CJK.test(next) && !s.slice(0, i).includes('(')) {
      problems.push(at(i));
    }
  }
  // Full-width parentheses come in pairs.
  if ((s.match(/（/g) || []).length !== (s.match(/）/g) || []).length) problems.push('unpaired （ ）');
  return problems;
}

test('halfWidthProblems finds half-width punctuation in Chinese text, and leaves code alone', () => {
  for (const bad of ['一致吗?', '试一试:每个', '一致,但', '层归一化(LayerNorm)', '{layer}({module})使用',
    'LayerNorm(最后一维)', '1 和 0,{layer} 的输出', 'normlab:LayerNorm', '(N, C, L):N 个样本', '（实际为 {got})', '没有给出任何层.']) {
    assert.notDeepEqual(halfWidthProblems(bad), [], bad);
  }
  for (const good of ['一致吗？', '形状为 (N, C, *)、至少 2 维', '例如 2,3,4 或 [[1, 2], [3, 4]]', '√(σ² + ε) = {std}',
    '请改成 `nn.LayerNorm(x.size()[-1])`：', '“{name}(…)”不是张量', 'normalized_shape=[{normalizedShape}] 要求', '{"NLP": 60} 的对象', 'x = torch.rand(...)、nn 中的层']) {
    assert.deepEqual(halfWidthProblems(good), [], good);
  }
});

test('Chinese texts use full-width punctuation next to Chinese, half-width in code', () => {
  const bad = Object.entries(STRINGS).map(([key, { zh }]) => [key, halfWidthProblems(zh)]).filter(([, p]) => p.length);
  assert.deepEqual(bad.map(([key, p]) => `${key}: ${p.join(' | ')}`), []);
  // And the English has no Chinese punctuation (a copy-paste slip).
  const fullWidth = KEYS.filter((key) => /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u.test(STRINGS[key].en));
  assert.deepEqual(fullWidth, [], 'English texts with Chinese characters or punctuation');
});

// ---------- numbers ----------

test('formatNumber: %g as PyTorch prints, exact integers in full, inf and nan', () => {
  // Expected strings: Python's '%.4g' % x (what torch's printing follows),
  // except that integers below 1e16 are shown in full.
  const cases = [
    [1e-5, '1e-05'], [0.001, '0.001'], [1e-4, '0.0001'], [1.5e-5, '1.5e-05'],
    [3.5762786865234375e-7, '3.576e-07'], [1.1920928955078125e-7, '1.192e-07'],
    [1.2844, '1.284'], [0.30000000000000004, '0.3'], [-2.5, '-2.5'], [9.99996, '10'],
    [12345.678, '1.235e+04'], [1234.5678, '1235'], [1e21 + 0.5, '1e+21'],
    [1000000, '1000000'], [4096, '4096'], [-600, '-600'], [2 ** 53, '9007199254740992'], [1e16, '1e+16'],
    [0, '0'], [-0, '0'], [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'],
  ];
  for (const [x, want] of cases) assert.equal(formatNumber(x), want, String(x));
  assert.equal(formatNumber(1.23456789, 6), '1.23457');
  assert.equal(formatNumber(-0.000123456789, 6), '-0.000123457');
  assert.equal(formatNumber(3.5762786865234375e-7, 2), '3.6e-07');
  assert.equal(formatNumber('x'), 'x');
});

test('t: numbers in messages have three digits and PyTorch spelling; placeholders; fallbacks', () => {
  const range = (got) => t('en', 'err.lib.range', { op: 'batchNorm', name: 'momentum', min: 0, max: 1, got });
  assert.equal(range(1e6), 'batchNorm: momentum must be a number in [0, 1], got 1000000');
  assert.equal(range(1.2844), 'batchNorm: momentum must be a number in [0, 1], got 1.28');
  assert.equal(range(1e-5), 'batchNorm: momentum must be a number in [0, 1], got 1e-05');
  assert.equal(range(-Infinity), 'batchNorm: momentum must be a number in [0, 1], got -inf');
  assert.equal(t('zh', 'err.lib.min', { op: 'layerNorm', name: 'eps', min: 0, got: -3.5762786865234375e-7 }),
    'layerNorm：eps 必须是不小于 0 的有限数，实际为 -3.58e-07');
  // Strings are left as they are; a missing placeholder stays visible.
  assert.equal(range('1e6'), 'batchNorm: momentum must be a number in [0, 1], got 1e6');
  assert.equal(t('en', 'err.lib.range', { op: 'x' }), 'x: {name} must be a number in [{min}, {max}], got {got}');
  // Another language falls back to English, an unknown key to itself.
  assert.equal(t('fr', 'err.lib.what_spatial'), 'spatial element');
  assert.equal(t('en', 'no.such.key'), 'no.such.key');
});

// ---------- the library's messages on the Chinese page ----------

test('the library messages the page can meet are shown in Chinese', async () => {
  const nl = await loadNormlab();
  const x = { data: new Float32Array(24), shape: [2, 3, 4] };
  const failures = [
    () => nl.layerNorm(x, [4], { eps: -1 }),
    () => nl.rmsNorm(x, [4], { eps: -0.5 }),
    () => nl.instanceNorm(x, { momentum: 2 }),
    () => nl.batchNorm(x, new Float32Array(3), new Float32Array(3), { momentum: -1 }),
    () => nl.instanceNorm(x, { weight: new Float32Array(2) }),
    () => nl.batchNorm(x, new Float32Array(3), new Float32Array(3), { bias: new Float32Array(4) }),
    () => nl.layerNorm(x, [3]),
    () => nl.groupNorm(x, 2),
    () => nl.batchNorm({ data: new Float32Array(3), shape: [1, 3] }, new Float32Array(3), new Float32Array(3), { training: true }),
    () => nl.instanceNorm({ data: new Float32Array(3), shape: [1, 3, 1] }),
  ];
  for (const f of failures) {
    let message;
    try { f(); } catch (e) { message = e.message; }
    assert.ok(message, `${f} did not throw`);
    // The English template gives back the library's message exactly: the patterns still fit it.
    assert.equal(libraryMessage('en', message), message);
    const zh = t('zh', 'err.library', { message });
    assert.match(zh, /^normlab 库拒绝了这次计算：\w+：\S/u, zh);
    assert.doesNotMatch(zh, /must|should|Expected|expected|got|but|when|以下为英文原文/, zh);
  }
  assert.equal(t('zh', 'err.library', { message: 'layerNorm: eps must be a finite number >= 0, got -1' }),
    'normlab 库拒绝了这次计算：layerNorm：eps 必须是不小于 0 的有限数，实际为 -1');
  assert.equal(t('zh', 'err.library', { message: 'instanceNorm: weight should contain 3 elements (one per channel) not 2' }),
    'normlab 库拒绝了这次计算：instanceNorm：weight 应有 3 个元素（每个通道一个），实际为 2 个');
  // As state.js passes it: String(error), with the kind of error in front.
  assert.equal(libraryMessage('zh', 'RangeError: instanceNorm: momentum must be a number in [0, 1], got 2'),
    'instanceNorm：momentum 必须是 [0, 1] 范围内的数，实际为 2');
  // A message without a Chinese rendering stays English, after a Chinese lead-in.
  const other = 'groupNorm: expected input of shape (N, C, *) with at least 2 dimensions, got 1D input of shape [3]';
  assert.equal(t('zh', 'err.library', { message: other }), `normlab 库拒绝了这次计算：（以下为英文原文）${other}`);
  assert.equal(t('en', 'err.library', { message: other }), `The normlab library refused: ${other}`);
});

// ---------- one RMSNorm eps ----------

test('FLOAT32_EPS is float32 machine epsilon, written once in web/', () => {
  assert.equal(FLOAT32_EPS, 1.1920928955078125e-7); // torch.finfo(torch.float32).eps
  assert.ok(Math.fround(1 + FLOAT32_EPS) > 1 && Math.fround(1 + FLOAT32_EPS / 2) === 1);
  const copies = FILES.filter((f) => f.name.startsWith('web') && /1\.1920928955078125e-0?7|2 \*\* -23|1\.192092\d*e-0?7/.test(f.text));
  assert.deepEqual(copies.map((f) => f.name), [join('web', 'lab', 'constants.js')]);
});
