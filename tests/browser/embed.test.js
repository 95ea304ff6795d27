// <normlab-compare> and the iframe form: the example documentation page under
// its strict CSP, bad attributes, pie-data, and one shared wasm instance.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, embedsReady, ARTIFACTS } from './helpers.js';
import { hostPage as hostPageOf } from './element-host.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const hostPage = (body, opts) => hostPageOf(env, body, opts);

test('the example documentation page renders both embeds under its strict CSP, with no console errors', async () => {
  const page = await env.open('/web/example-docs.html', { width: 1000 });
  await embedsReady(page);
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  const equal = page.locator('normlab-compare#equal .verdict');
  const different = page.locator('normlab-compare#different .verdict');
  assert.equal(await equal.getAttribute('data-identical'), 'true');
  assert.equal(await different.getAttribute('data-identical'), 'false');
  assert.match(await different.locator('.pair').textContent(), /InstanceNorm2d/);
  // Styles stay in the shadow root: the host page's <p> are untouched.
  assert.equal(await page.locator('normlab-compare#equal .groups-grid').count(), 2);
  await page.screenshot({ path: ARTIFACTS + 'example-docs.png', fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the example documentation page in dark mode: a dark page, dark elements, and the page\'s own accent on the styled one', async () => {
  const page = await env.open('/web/example-docs.html', { width: 1000, colorScheme: 'dark' });
  await embedsReady(page);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(17, 20, 24)');
  const box = (id) => page.locator(`normlab-compare#${id}`).evaluate((el) => {
    const s = getComputedStyle(el.shadowRoot.querySelector('.nl-embed'));
    const link = getComputedStyle(el.shadowRoot.querySelector('.open-link a'));
    const verdict = getComputedStyle(el.shadowRoot.querySelector('.verdict'));
    return { bg: s.backgroundColor, fg: s.color, link: link.color, radius: verdict.borderTopLeftRadius };
  });
  assert.deepEqual(await box('equal'), { bg: 'rgb(26, 30, 37)', fg: 'rgb(227, 231, 238)', link: 'rgb(143, 176, 247)', radius: '8px' });
  assert.deepEqual(await box('styled'), { bg: 'rgb(26, 30, 37)', fg: 'rgb(227, 231, 238)', link: 'rgb(190, 149, 255)', radius: '0px' });
  // The styled one speaks Chinese (lang="zh-CN") and shows the host's own pie under its title, without the source note.
  assert.match(await page.locator('normlab-compare#styled .verdict .headline').textContent(), /[\u4e00-\u9fff]/);
  assert.equal(await page.locator('normlab-compare#styled figcaption strong').textContent(), '本站示例：按任务统计的模型');
  assert.equal(await page.locator('normlab-compare#styled .pie-note').count(), 0);
  await page.screenshot({ path: ARTIFACTS + 'example-docs-dark.png', fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('bad attributes show an error inside the element and never throw into the host page', async () => {
  const page = await hostPage(`
    <normlab-compare id="a" shape="2,y"></normlab-compare>
    <normlab-compare id="b" layers="nonsense_norm"></normlab-compare>
    <normlab-compare id="c" pie-data="{not json" view="full"></normlab-compare>
    <normlab-compare id="d" shape="2,3" values="1 2 3"></normlab-compare>
    <normlab-compare id="e" layers="&lt;img src=x onerror=window.__pwned=1&gt;"></normlab-compare>
    <normlab-compare id="ok" shape="2,3,4" lang="zh"></normlab-compare>`);
  await embedsReady(page);
  for (const id of ['a', 'b', 'c', 'd', 'e']) {
    const text = await page.locator(`normlab-compare#${id} .error`).textContent();
    assert.match(text, /^normlab-compare: /, id);
  }
  assert.match(await page.locator('normlab-compare#a .error').textContent(), /“y”/);
  assert.match(await page.locator('normlab-compare#c .error').textContent(), /pie-data/);
  assert.ok((await page.locator('normlab-compare#e .error').textContent()).includes('<img'));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('normlab-compare#ok .verdict').getAttribute('data-identical'), 'true');
  assert.match(await page.locator('normlab-compare#ok .grid-hint, normlab-compare#ok .hint').first().textContent(), /[\u4e00-\u9fff]/);
  assert.deepEqual(page.errors, []);
  // Fixing an attribute re-renders the element.
  await page.locator('normlab-compare#a').evaluate((el) => el.setAttribute('shape', '2,3,4'));
  await page.waitForSelector('normlab-compare#a .verdict');
  await page.close();
});

test('pie-data replaces the pie, the host page\'s language is inherited, and all elements share one wasm download', async () => {
  const page = await hostPage(`
    <normlab-compare id="p" view="full" pie-data='{"Vision": 1, "Text": 3}'></normlab-compare>
    <div lang="zh-CN"><p><normlab-compare id="q" shape="1,2,3,4"></normlab-compare></p></div>
    <normlab-compare id="r" shape="4,3,10" layers="ln,in"></normlab-compare>
    <normlab-compare id="big" shape="8,8,9"></normlab-compare>
    <normlab-compare id="bigfull" shape="8,8,9" view="full"></normlab-compare>`);
  await embedsReady(page);
  const labels = await page.$$eval('normlab-compare#p', ([el]) => [...el.shadowRoot.querySelectorAll('svg.pie path.slice')].map((p) => p.dataset.label));
  assert.deepEqual(labels, ['Vision', 'Text']);
  assert.deepEqual(await page.locator('normlab-compare#p .pie-pct').allTextContents(), ['25%', '75%']);
  assert.match(await page.locator('normlab-compare#q .verdict .headline').textContent(), /[\u4e00-\u9fff]/);
  assert.match(await page.locator('normlab-compare#r .verdict .headline').textContent(), /^Identical/);
  // 576 elements: the grids are drawn; the full view's tables stop at 512 and say so.
  assert.equal(await page.locator('normlab-compare#big .groups-grid').count(), 2);
  assert.equal(await page.locator('normlab-compare#big .notice').count(), 0);
  assert.match(await page.locator('normlab-compare#bigfull .notice').textContent(), /512.*576/);
  assert.equal(await page.locator('normlab-compare#bigfull table.features').count(), 1);
  // The wasm comes as a .wasm file or in its JS module (src/wasm/builds.js): once either way.
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => /\.wasm$|\/wasm\/builds\.js$/.test(e.name)).length);
  assert.equal(wasm, 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the iframe form (?embed=1) shows the comparison without the editing controls', async () => {
  const page = await env.open('/web/?embed=1&shape=1x2x3x4&layers=layer_norm:3x4,instance_norm&lang=en', { width: 600 });
  await ready(page);
  assert.equal(await page.locator('.verdict').first().getAttribute('data-identical'), 'true');
  assert.equal(await page.locator('#tensor').isVisible(), false);
  assert.equal(await page.locator('#groups').isVisible(), true);
  assert.match(page.url(), /embed=1/);
  await page.screenshot({ path: ARTIFACTS + 'embed-iframe.png', fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the page\'s embed snippet, pasted into a host page, shows the same comparison', async () => {
  const page = await env.open('/web/?shape=1x2x3x4&values=ramp&layers=layer_norm:3x4,instance_norm&lang=en');
  await ready(page);
  const snippet = await page.locator('#embed-code pre').first().textContent();
  assert.match(snippet, /<normlab-compare shape="1,2,3,4" layers="layer_norm:3x4,instance_norm" values="ramp"><\/normlab-compare>/);
  const host = await hostPage(snippet.split('\n')[1]);
  await embedsReady(host);
  assert.equal(await host.locator('normlab-compare .verdict').getAttribute('data-identical'), 'true');
  assert.equal(await host.locator('normlab-compare .verdict .pair').textContent(),
    await page.locator('.verdict .pair').first().textContent());
  await page.close(); await host.close();
});
