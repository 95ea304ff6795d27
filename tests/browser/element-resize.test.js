// <normlab-compare> lays itself out again when its container (not the window)
// changes width across NARROW_WIDTH: one groups grid per row and the flow
// diagram in fewer boxes a row when narrow, side by side and wider when wide,
// keeping the selected element.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, embedsReady, ARTIFACTS } from './helpers.js';
import { hostPage } from './element-host.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** The element's layout as drawn: its data-layout, the flow's boxes per row, and the panels' tops. */
const drawn = (page) => page.locator('normlab-compare#r').evaluate((el) => {
  const root = el.shadowRoot;
  return {
    layout: root.querySelector('.nl-embed').dataset.layout,
    columns: Number(root.querySelector('svg.flow').dataset.columns),
    tops: [...root.querySelectorAll('.groups-panel')].map((p) => Math.round(p.getBoundingClientRect().top)),
    info: root.querySelector('.group-info').textContent,
  };
});
const sideBySide = (d) => d.tops.length === 2 && d.tops[0] === d.tops[1];

test('resizing the container switches the layout both ways, with the window unchanged, and keeps the selection', async () => {
  const page = await hostPage(env, `<div id="box" style="width: 900px"><normlab-compare id="r" view="full" shape="1,2,3,4"></normlab-compare></div>`,
    { width: 1280, csp: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'" });
  await embedsReady(page);
  let d = await drawn(page);
  assert.equal(d.layout, 'wide');
  assert.ok(d.columns >= 3, `${d.columns} boxes a row`);
  assert.ok(sideBySide(d), `tops ${d.tops}`);
  // Select element [0,1,2,3] (the 24th cell) in the first grid.
  await page.locator('normlab-compare#r .groups-grid').first().locator('.cell').nth(23).click();
  assert.match((await drawn(page)).info, /\[0,1,2,3\]/);

  await page.locator('#box').evaluate((b) => { b.style.width = '450px'; });
  await page.waitForFunction(() => document.querySelector('#r').shadowRoot.querySelector('.nl-embed').dataset.layout === 'narrow');
  d = await drawn(page);
  assert.ok(d.columns <= 2, `${d.columns} boxes a row`);
  assert.ok(d.tops[1] > d.tops[0], `stacked: tops ${d.tops}`);
  assert.match(d.info, /\[0,1,2,3\]/);
  await page.screenshot({ path: ARTIFACTS + 'element-narrow.png', fullPage: true });

  await page.locator('#box').evaluate((b) => { b.style.width = '800px'; });
  await page.waitForFunction(() => document.querySelector('#r').shadowRoot.querySelector('.nl-embed').dataset.layout === 'wide');
  d = await drawn(page);
  assert.ok(d.columns >= 3, `${d.columns} boxes a row`);
  assert.ok(sideBySide(d), `tops ${d.tops}`);
  assert.equal(page.viewportSize().width, 1280);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a width change within one layout does not render again', async () => {
  const page = await hostPage(env, `<div id="box" style="width: 900px"><normlab-compare id="r" view="full" shape="1,2,3,4"></normlab-compare></div>`,
    { csp: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'" });
  await embedsReady(page);
  const before = await page.locator('normlab-compare#r').evaluate((el) => { const v = el.shadowRoot.querySelector('.verdict'); v.dataset.mark = '1'; return v.dataset.mark; });
  assert.equal(before, '1');
  await page.locator('#box').evaluate((b) => { b.style.width = '700px'; });
  await page.waitForTimeout(300);
  assert.equal(await page.locator('normlab-compare#r').evaluate((el) => el.shadowRoot.querySelector('.verdict').dataset.mark), '1');
  await page.close();
});
