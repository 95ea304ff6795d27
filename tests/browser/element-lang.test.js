// <normlab-compare>'s lang and view attributes: every BCP-47 tag of Chinese
// gives Chinese, and a language or view it does not have is named in a
// message (in the fallback language), as other bad attributes are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, embedsReady } from './helpers.js';
import { hostPage } from './element-host.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const HAN = /[\u4e00-\u9fff]/;
const headline = (page, id) => page.locator(`normlab-compare#${id} .verdict .headline`).textContent();
const error = (page, id) => page.locator(`normlab-compare#${id} .error`).textContent();

test('lang="zh-CN", "zh-Hans", "ZH" and "zh_TW" give Chinese; "en-GB" and "EN" English, also inside a Chinese host', async () => {
  const page = await hostPage(env, `
    <normlab-compare id="cn" lang="zh-CN"></normlab-compare>
    <normlab-compare id="hans" lang="zh-Hans"></normlab-compare>
    <normlab-compare id="upper" lang="ZH"></normlab-compare>
    <normlab-compare id="tw" lang="zh_TW"></normlab-compare>
    <div lang="zh-CN"><normlab-compare id="gb" lang="en-GB"></normlab-compare><normlab-compare id="en" lang=" EN "></normlab-compare></div>`);
  await embedsReady(page);
  for (const id of ['cn', 'hans', 'upper', 'tw']) {
    assert.match(await headline(page, id), HAN, id);
    assert.equal(await page.locator(`normlab-compare#${id}`).evaluate((el) => el.shadowRoot.querySelector('.nl').lang), 'zh-Hans', id);
    // The "open in normlab" link carries the language on.
    assert.match(await page.locator(`normlab-compare#${id} .open-link a`).getAttribute('href'), /lang=zh/, id);
  }
  for (const id of ['gb', 'en']) assert.match(await headline(page, id), /^Identical/, id);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('lang="fr" shows that fr is not available, in the fallback language: English for an English browser, Chinese in a Chinese host', async () => {
  const page = await hostPage(env, `
    <normlab-compare id="fr" lang="fr"></normlab-compare>
    <div lang="zh-CN"><normlab-compare id="frzh" lang="fr-CA"></normlab-compare></div>`);
  await embedsReady(page);
  const en = await error(page, 'fr');
  assert.match(en, /^normlab-compare: lang="fr" is not available/);
  assert.match(en, /English \(en\) and Chinese \(zh/);
  const zh = await error(page, 'frzh');
  assert.match(zh, /^normlab-compare: lang="fr-CA" 不可用：/);
  assert.equal(await page.locator('normlab-compare#fr .verdict').count(), 0);
  assert.equal(await page.locator('normlab-compare#fr').evaluate((el) => el.shadowRoot.querySelector('.nl').lang), 'en');
  assert.deepEqual(page.errors, []);
  // A language it speaks replaces the message with the comparison.
  await page.locator('normlab-compare#fr').evaluate((el) => el.setAttribute('lang', 'zh-Hans'));
  await page.waitForSelector('normlab-compare#fr .verdict');
  assert.match(await headline(page, 'fr'), HAN);
  await page.close();
});

test('view="weird" shows a message naming the view and the ones there are; view="FULL" is full', async () => {
  const page = await hostPage(env, `
    <normlab-compare id="weird" view="weird"></normlab-compare>
    <normlab-compare id="weirdzh" view="weird" lang="zh"></normlab-compare>
    <normlab-compare id="full" view="FULL"></normlab-compare>`, { locale: 'en-US' });
  await embedsReady(page);
  assert.equal(await error(page, 'weird'), 'normlab-compare: view="weird" is not a view: use compact or full.');
  assert.match(await error(page, 'weirdzh'), /^normlab-compare: view="weird" 不是可用的视图：/);
  // The full view has the flow diagram and the tables; compact has neither.
  assert.equal(await page.locator('normlab-compare#full svg.flow').count(), 1);
  assert.ok(await page.locator('normlab-compare#full table').count() >= 2);
  assert.deepEqual(page.errors, []);
  await page.close();
});
