// The page's own wiring of what web/lab gives it: link warnings follow the
// language and go once their field is fixed; the shape hint names the compute
// limit; every Copy button has its own accessible name; "A vs B" is
// translated; the benchmark table follows a language switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready } from './helpers.js';
import { MAX_ELEMENTS } from '../../web/lab/index.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

test('a link warning is re-rendered in the new language, and goes when its field is edited', async () => {
  const page = await env.open('/web/?shape=2xq&lang=en');
  await ready(page);
  const en = await page.textContent('#warnings');
  assert.match(en, /2xq/);
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction((before) => document.querySelector('#warnings').textContent !== before, en);
  const zh = await page.textContent('#warnings');
  assert.match(zh, /2xq/);
  assert.match(zh, /[\u4e00-\u9fff]/, zh);
  await page.fill('#shape', '2,3,4');
  await page.waitForFunction(() => document.querySelector('#warnings').textContent === '');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the shape hint names the compute limit in both languages', async () => {
  const page = await env.open('/web/?lang=en');
  await ready(page);
  assert.match(await page.textContent('#shape-hint'), new RegExp(`${MAX_ELEMENTS}`));
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction((max) => /个元素/.test(document.querySelector('#shape-hint').textContent)
    && document.querySelector('#shape-hint').textContent.includes(String(max)), MAX_ELEMENTS);
  await page.close();
});

test('every Copy button has a distinct accessible name', async () => {
  const page = await env.open('/web/?shape=2x4x3&layers=group_norm:4,instance_norm,group_norm:2&lang=en');
  await ready(page);
  const names = await page.$$eval('.code-box button', (bs) => bs.map((b) => b.getAttribute('aria-label') || b.textContent));
  assert.ok(names.length >= 5, names.join(' | ')); // three layers, the snippet, two embed snippets
  assert.equal(new Set(names).size, names.length, names.join(' | '));
  await page.close();
});

test('the quick verdict says "A 与 B" in Chinese, not "A vs B"', async () => {
  const page = await env.open('/web/?lang=zh');
  await ready(page);
  const quick = await page.textContent('#quick-verdict');
  assert.match(quick, /A 与 B：/);
  assert.doesNotMatch(quick, /vs/);
  await page.close();
});

test('the benchmark table, once run, follows a language switch', async () => {
  const page = await env.open('/web/?shape=2x3x4&lang=en');
  await ready(page);
  await page.click('#run-bench');
  await page.waitForSelector('#bench-body table', { timeout: 120000 });
  const en = await page.textContent('#bench-body thead');
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction((before) => document.querySelector('#bench-body thead')?.textContent !== before, en);
  assert.match(await page.textContent('#bench-body thead'), /[\u4e00-\u9fff]/);
  await page.close();
});
