// The code box as the source document's reader meets it: the preset loads the
// document's snippet verbatim, and the page says what torch 1.13 does with
// each line (LayerNorm over [3, 4], 12 per group; InstanceNorm2d raises), in
// English and in Chinese; the box is parsed, never run; presets are history
// entries; downloads never offer a stale result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, ARTIFACTS } from './helpers.js';
import { SOURCE_CODE } from '../../web/lab/source-doc.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const report = (page) => page.$$eval('#code-report li.code-layer', (lis) => lis.map((li) => li.textContent));

async function openSourcePreset(lang) {
  const page = await env.open(`/web/?lang=${lang}`);
  await ready(page);
  await page.click('a.preset[data-i18n="page.preset_source"]');
  await page.waitForFunction(() => document.querySelectorAll('#code-report li.code-layer').length === 2);
  return page;
}

for (const [lang, groups, raises] of [
  ['en', /over dims 1 \(C\), 2 \(L\): 2 groups of 12 elements/, /PyTorch raises/],
  ['zh', /沿维度 1 \(C\), 2 \(L\) 归一化：共 2 组，每组 12 个元素/, /PyTorch 在这里抛出异常/],
]) {
  test(`${lang}: the source document's preset loads its code verbatim and shows what torch does with each line`, async () => {
    const page = await openSourcePreset(lang);
    assert.equal(await page.inputValue('#code'), SOURCE_CODE);
    const [ln, inorm] = await report(page);
    assert.match(ln, /nn\.LayerNorm\(x\.size\(\)\[1:\]\)/);
    assert.match(ln, groups, ln);
    assert.match(ln, /nn\.LayerNorm\(x\.size\(\)\[-1\]\)/, 'the corrected line is shown');
    assert.match(inorm, /nn\.InstanceNorm2d\(3, affine=True\)/);
    assert.match(inorm, raises, inorm);
    assert.match(inorm, /RuntimeError: weight should contain 2 elements not 3/);
    // The erroring layer stays in its place in the editors, shown as an error.
    const b = await page.textContent('.layer-row[data-layer="B"]');
    assert.match(b, /RuntimeError: weight should contain 2 elements not 3/, b);
    assert.deepEqual(page.errors, []);
    await page.screenshot({ path: `${ARTIFACTS}code-box-${lang}.png`, fullPage: true });
    await page.close();
  });
}

test('the corrected line can be compared, and then LayerNorm(4) and the document\'s LayerNorm differ', async () => {
  const page = await openSourcePreset('en');
  await page.click('#code-report .code-claim button');
  await page.waitForFunction(() => /LayerNorm\(\[4\]\)/.test(document.querySelector('#verdict-body')?.textContent));
  const verdict = await page.textContent('#verdict-body');
  assert.match(verdict, /Different/);
  await page.close();
});

test('the Back button after a preset returns to the state before it', async () => {
  const page = await env.open('/web/?shape=1x2x3x4&layers=layer_norm,group_norm:2&lang=en');
  await ready(page);
  await page.click('a.preset[data-i18n="page.preset_source"]');
  await page.waitForFunction(() => new URLSearchParams(location.search).has('code'));
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#shape').value === '1,2,3,4');
  assert.equal(await page.inputValue('#code'), '');
  await page.waitForFunction(() => /GroupNorm/.test(document.querySelector('#verdict-body').textContent));
  await page.close();
});

test('pasted markup and script in the code box are reported as unsupported lines, never run', async () => {
  const page = await env.open('/web/?lang=en');
  await ready(page);
  page.on('dialog', (d) => { page.errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.fill('#code', 'x = torch.rand(2, 3, 4)\n<img src=x onerror="alert(1)"><script>alert(2)</script>\n__import__("os").system("true")');
  await page.waitForFunction(() => document.querySelectorAll('#code-problems li').length >= 2);
  const problems = await page.$$eval('#code-problems li', (lis) => lis.map((li) => li.textContent));
  assert.ok(problems.some((p) => /2/.test(p)), problems.join('\n'));
  assert.equal(await page.$$eval('#code-problems img, #code-report img, script:not([src])', (els) => els.length), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('while the input fails, the downloads are disabled with the reason, and come back when it is fixed', async () => {
  const page = await env.open('/web/?lang=en');
  await ready(page);
  assert.ok(await page.getAttribute('#export-json', 'href'));
  await page.fill('#shape', '2,3,x');
  await page.waitForFunction(() => !document.querySelector('#export-json').hasAttribute('href'));
  assert.equal(await page.getAttribute('#export-csv', 'aria-disabled'), 'true');
  assert.match(await page.textContent('#export-note'), /error/);
  await page.fill('#shape', '2,3,4');
  await page.waitForFunction(() => document.querySelector('#export-json').hasAttribute('href'));
  assert.equal(await page.textContent('#export-note'), '');
  await page.close();
});
