// Section numbers come from a CSS counter, so the sections ?embed=1 hides
// leave no gap: the embed reads 1., 2., 3., 4., not "3., 4., 6., 7.".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready } from './helpers.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const numbers = (page) => page.$$eval('main > section.card', (cards) => cards
  .filter((c) => getComputedStyle(c).display !== 'none')
  .map((c) => c.querySelector('h2'))
  .map((h2) => ({ text: h2.textContent, before: getComputedStyle(h2, '::before').content })));

for (const lang of ['en', 'zh']) {
  test(`${lang}: the embed's visible sections are numbered 1, 2, 3, ... without gaps`, async () => {
    const page = await env.open(`/web/?embed=1&lang=${lang}`);
    await ready(page);
    const hs = await numbers(page);
    assert.ok(hs.length >= 3, JSON.stringify(hs));
    for (const hd of hs) assert.doesNotMatch(hd.text, /^\d/, hd.text);
    // A hidden (display: none) section increments no counter, so every visible
    // heading numbered by the counter means no gaps.
    assert.ok(hs.every((hd) => /counter\(section\)/.test(hd.before)), JSON.stringify(hs));
    const visibleIds = await page.$$eval('main > section.card', (cards) => cards.filter((c) => getComputedStyle(c).display !== 'none').map((c) => c.id));
    assert.ok(!visibleIds.includes('tensor') && !visibleIds.includes('code-card'), visibleIds.join());
    await page.close();
  });
}

test('the full page numbers its sections from 1 to 10 (the training lab the 10th), the code box and the answer unnumbered', async () => {
  const page = await env.open('/web/?lang=en');
  await ready(page);
  const hs = await numbers(page);
  const numbered = hs.filter((hd) => /counter/.test(hd.before));
  assert.equal(numbered.length, 10, JSON.stringify(hs));
  assert.equal(hs.length, 12);
  await page.close();
});
