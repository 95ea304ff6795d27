// <normlab-compare>: its styles come with its modules (no stylesheet request,
// styled from the moment it is created), and "Open in normlab" points at the
// page-url attribute, at the page beside the module by default, or nowhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, embedsReady } from './helpers.js';
import { hostPage } from './element-host.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('the element is styled with every .css request refused, and from the moment it is created', async () => {
  const css = [];
  const refuse = (route) => { css.push(route.request().url()); return route.abort(); };
  await env.context.route('**/*.css', refuse);
  const page = await hostPage(env, '<normlab-compare id="a"></normlab-compare>');
  await embedsReady(page);
  const styled = await page.locator('normlab-compare#a').evaluate((el) => {
    const root = el.shadowRoot;
    const verdict = getComputedStyle(root.querySelector('.verdict'));
    // A second element, measured synchronously right after it is attached: no paint without styles.
    const fresh = document.createElement('normlab-compare');
    document.body.append(fresh);
    const box = getComputedStyle(fresh.shadowRoot.querySelector('.nl-embed'));
    return {
      links: root.querySelectorAll('link').length, sheets: root.adoptedStyleSheets.length,
      verdictRadius: verdict.borderTopLeftRadius, verdictBorder: verdict.borderLeftWidth,
      freshBorder: box.borderTopWidth, freshRadius: box.borderTopLeftRadius, host: getComputedStyle(fresh).display,
    };
  });
  assert.deepEqual(styled, { links: 0, sheets: 1, verdictRadius: '8px', verdictBorder: '5px', freshBorder: '1px', freshRadius: '10px', host: 'block' });
  assert.deepEqual(css, []);
  assert.deepEqual(page.errors, []);
  await page.close();
  await env.context.unroute('**/*.css', refuse);
});

test('"Open in normlab": the page beside the module by default, page-url when given, no link for page-url=""', async () => {
  const page = await hostPage(env, `
    <normlab-compare id="def" shape="2,3"></normlab-compare>
    <normlab-compare id="abs" shape="2,3" page-url="https://example.org/normlab/?old=1#top"></normlab-compare>
    <normlab-compare id="rel" shape="2,3" page-url="../docs/lab.html"></normlab-compare>
    <normlab-compare id="none" shape="2,3" page-url=""></normlab-compare>
    <normlab-compare id="bad" shape="2,3" page-url="http://[oops"></normlab-compare>
    <normlab-compare id="js" shape="2,3" page-url="javascript:alert(1)"></normlab-compare>`);
  await embedsReady(page);
  const href = (id) => page.locator(`normlab-compare#${id} .open-link a`).getAttribute('href');
  assert.equal(await href('def'), `${env.base}/web/index.html?shape=2x3&seed=1&values=random&layers=layer_norm,instance_norm&lang=en`);
  assert.equal(await href('abs'), 'https://example.org/normlab/?shape=2x3&seed=1&values=random&layers=layer_norm,instance_norm&lang=en#top');
  assert.equal(await href('rel'), `${env.base}/docs/lab.html?shape=2x3&seed=1&values=random&layers=layer_norm,instance_norm&lang=en`);
  assert.equal(await page.locator('normlab-compare#none .open-link').count(), 0);
  assert.equal(await page.locator('normlab-compare#none .verdict').count(), 1);
  assert.match(await page.locator('normlab-compare#bad .error').textContent(), /page-url="http:\/\/\[oops" is not a web address \(http or https\)/);
  assert.match(await page.locator('normlab-compare#js .error').textContent(), /page-url="javascript:alert\(1\)" is not a web address/);
  assert.equal(await page.locator('normlab-compare#js a').count(), 0);
  // The default link really opens the page with the experiment.
  const full = await env.context.newPage();
  await full.goto(await href('def'));
  await full.waitForSelector('#verdict-body .verdict');
  assert.match(await full.inputValue('#shape'), /^2[x,]3$/);
  await full.close();
  assert.deepEqual(page.errors, []);
  await page.close();
});
