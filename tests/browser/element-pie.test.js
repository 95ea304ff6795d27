// The pie (web/viz/pie.js, shared by the page and <normlab-compare>): the
// source document's numbers say where they come from, in both languages; a
// host's pie-data gets its own title (pie-title) and no such note; slices
// beyond the first palette get distinct colours; every label reads at 4.5:1
// or more on its slice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, embedsReady, axeViolations, axeReport, ARTIFACTS } from './helpers.js';
import { hostPage, contrast } from './element-host.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const NOTE_EN = /^As given in the source document’s illustration: these shares are not measured data\.$/;
const NOTE_ZH = /^数据取自原文档的插图，并非测量所得。$/;

/** Title (caption and SVG <title>), note, slice fills and label contrasts of the pie in `root`. */
const pieFacts = (locator) => locator.evaluate((root) => {
  const scope = root.shadowRoot || root;
  const hits = root.shadowRoot || document; // what elementsFromPoint answers in
  const fig = scope.querySelector('.pie-figure');
  fig.scrollIntoView();
  const labels = [...fig.querySelectorAll('text.pie-pct')].map((text) => {
    const path = text.previousElementSibling; // the label's own slice
    // What lies under the corners of the label's box: the label must read against its own slice only.
    const r = text.getBoundingClientRect();
    const under = [[r.left + 1, r.top + 1], [r.right - 1, r.top + 1], [r.left + 1, r.bottom - 1], [r.right - 1, r.bottom - 1]]
      .map(([x, y]) => hits.elementsFromPoint(x, y).find((e) => e.matches('path.slice'))?.getAttribute('fill') ?? 'none');
    return { text: text.textContent, fill: getComputedStyle(text).fill, slice: path.getAttribute('fill'), under };
  });
  return {
    caption: fig.querySelector('figcaption strong').textContent,
    svgTitle: fig.querySelector('svg > title').textContent,
    note: fig.querySelector('.pie-note')?.textContent ?? null,
    fills: [...fig.querySelectorAll('path.slice')].map((p) => p.getAttribute('fill')),
    labels,
  };
});

test('the element\'s default pie carries the source note in English and Chinese; pie-data gets pie-title and no note', async () => {
  const page = await hostPage(env, `
    <normlab-compare id="en" view="full"></normlab-compare>
    <normlab-compare id="zh" view="full" lang="zh-CN"></normlab-compare>
    <normlab-compare id="own" pie-data='{"Vision": 1, "Text": 3}' pie-title="Our models by task"></normlab-compare>
    <normlab-compare id="untitled" pie-data='[["a", 1], ["b", 2]]'></normlab-compare>
    <normlab-compare id="zhown" lang="zh" pie-data='{"视觉": 1}'></normlab-compare>`, { htmlLang: 'en' });
  await embedsReady(page);
  const en = await pieFacts(page.locator('normlab-compare#en'));
  assert.equal(en.caption, 'Where LayerNorm and InstanceNorm are used');
  assert.match(en.note, NOTE_EN);
  const zh = await pieFacts(page.locator('normlab-compare#zh'));
  assert.equal(zh.caption, 'LayerNorm 与 InstanceNorm 的应用场景');
  assert.match(zh.note, NOTE_ZH);
  const own = await pieFacts(page.locator('normlab-compare#own'));
  assert.deepEqual([own.caption, own.svgTitle, own.note], ['Our models by task', 'Our models by task', null]);
  const untitled = await pieFacts(page.locator('normlab-compare#untitled'));
  assert.deepEqual([untitled.caption, untitled.note], ['Pie chart of the given data', null]);
  assert.deepEqual([(await pieFacts(page.locator('normlab-compare#zhown'))).caption], ['所给数据的饼图']);
  // The SVG is named by its title and the description, which lists the slices.
  const desc = await page.locator('normlab-compare#own svg.pie desc').textContent();
  assert.equal(desc, 'Vision: 1, Text: 3');
  // Changing pie-title re-renders.
  await page.locator('normlab-compare#own').evaluate((el) => el.setAttribute('pie-title', 'Renamed'));
  await page.waitForFunction(() => document.querySelector('#own').shadowRoot.querySelector('figcaption strong')?.textContent === 'Renamed');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('up to 24 slices all get distinct colours, and every label is at least 4.5:1 on its slice (light and dark)', async () => {
  const many = (n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, 1 + (i % 3)])));
  for (const colorScheme of ['light', 'dark']) {
    const page = await hostPage(env, `
      <normlab-compare id="p12" pie-data='${many(12)}' pie-title="Twelve"></normlab-compare>
      <normlab-compare id="p24" pie-data='${many(24)}' pie-title="Twenty-four"></normlab-compare>
      <normlab-compare id="doc" view="full"></normlab-compare>`, { colorScheme, htmlLang: 'en', width: 800 });
    await embedsReady(page);
    for (const [id, n] of [['p12', 12], ['p24', 24], ['doc', 3]]) {
      const f = await pieFacts(page.locator(`normlab-compare#${id}`));
      assert.equal(f.fills.length, n, id);
      assert.equal(new Set(f.fills.map((c) => c.toLowerCase())).size, n, `${id}: ${f.fills}`);
      // Labels only where they fit: the document's three, the 12.5% slices of the twelve, none of 6.3% or less.
      assert.equal(f.labels.length, { doc: 3, p12: 4, p24: 0 }[id], id);
      for (const l of f.labels) {
        assert.ok(contrast(l.fill, l.slice) >= 4.5, `${id} ${l.text}: ${l.fill} on ${l.slice} is ${contrast(l.fill, l.slice).toFixed(2)}:1`);
        assert.deepEqual(l.under, [l.slice, l.slice, l.slice, l.slice], `${id} ${l.text} spills out of its slice`);
      }
    }
    if (colorScheme === 'light') await page.screenshot({ path: ARTIFACTS + 'element-pies.png', fullPage: true });
    assert.deepEqual(page.errors, []);
    const v = await axeViolations(page);
    assert.deepEqual(v, [], axeReport(v));
    await page.close();
  }
});

test('bad pie-data is named in the element\'s language', async () => {
  const page = await hostPage(env, `
    <normlab-compare id="neg" pie-data='{"a": -1}'></normlab-compare>
    <normlab-compare id="str" pie-data='"NLP"' lang="zh"></normlab-compare>
    <normlab-compare id="zero" pie-data='{"a": 0}'></normlab-compare>
    <normlab-compare id="nolabel" pie-data='[["", 1]]' lang="zh"></normlab-compare>`, { htmlLang: 'en' });
  await embedsReady(page);
  const err = (id) => page.locator(`normlab-compare#${id} .error`).textContent();
  assert.equal(await err('neg'), 'normlab-compare: The pie slice “a” needs a number ≥ 0 (got -1).');
  assert.match(await err('str'), /^normlab-compare: pie-data 必须是.*（实际为 string）。$/);
  assert.equal(await err('zero'), 'normlab-compare: pie-data needs at least one value greater than 0.');
  assert.match(await err('nolabel'), /第 1 个扇区没有/);
  await page.close();
});

test('the page\'s pie says it is the source document\'s illustration, in English and after switching to Chinese', async () => {
  const page = await env.open('/web/?lang=en');
  await ready(page);
  const en = await pieFacts(page.locator('#pie-body'));
  assert.match(en.note, NOTE_EN);
  for (const l of en.labels) assert.ok(contrast(l.fill, l.slice) >= 4.5, `${l.text}: ${contrast(l.fill, l.slice).toFixed(2)}:1`);
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => /数据取自/.test(document.querySelector('#pie-body .pie-note')?.textContent ?? ''));
  assert.match((await pieFacts(page.locator('#pie-body'))).note, NOTE_ZH);
  assert.deepEqual(page.errors, []);
  await page.close();
});
