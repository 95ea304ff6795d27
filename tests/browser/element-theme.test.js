// <normlab-compare> on light and dark host pages: it follows
// prefers-color-scheme, and the --normlab-* properties and ::part()s that
// README.md documents change what they say; axe finds no serious contrast
// problem in either scheme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, embedsReady, axeViolations, axeReport, ARTIFACTS } from './helpers.js';
import { hostPage, hostStyles, contrast } from './element-host.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const BODY = `<normlab-compare id="a" view="full" shape="1,2,3,4"></normlab-compare>
  <normlab-compare id="bad" layers="layer_norm,nonsense_norm"></normlab-compare>`;

/** Computed colour and background of the element's own box. */
const boxColors = (page, id = 'a') => page.locator(`normlab-compare#${id}`).evaluate((el) => {
  const s = getComputedStyle(el.shadowRoot.querySelector('.nl-embed'));
  return { color: s.color, background: s.backgroundColor, scheme: s.colorScheme };
});

test('on a dark host page the element is dark: light text on a dark box, readable (axe)', async () => {
  const page = await hostPage(env, BODY, { colorScheme: 'dark', htmlLang: 'en', head: await hostStyles(env, 'body { background: #000; color: #eee; }'), width: 900 });
  await embedsReady(page);
  const c = await boxColors(page);
  assert.equal(c.background, 'rgb(26, 30, 37)');
  assert.equal(c.color, 'rgb(227, 231, 238)');
  assert.equal(c.scheme, 'dark');
  assert.ok(contrast(c.color, c.background) >= 7, `${c.color} on ${c.background}`);
  // The link and the error of a bad layer are light too.
  const link = await page.locator('normlab-compare#a .open-link a').evaluate((a) => getComputedStyle(a).color);
  assert.ok(contrast(link, c.background) >= 4.5, `link ${link}`);
  const err = await page.locator('normlab-compare#bad .error').first().evaluate((e) => getComputedStyle(e).color);
  assert.ok(contrast(err, (await boxColors(page, 'bad')).background) >= 4.5, `error ${err}`);
  await page.screenshot({ path: ARTIFACTS + 'element-dark.png', fullPage: true });
  assert.deepEqual(page.errors, []);
  const v = await axeViolations(page); // (axe's own probes log CSP refusals: checked before)
  assert.deepEqual(v, [], axeReport(v));
  await page.close();
});

test('on a light host page it keeps its light colours (axe: no serious violations)', async () => {
  const page = await hostPage(env, BODY, { colorScheme: 'light', htmlLang: 'en', width: 900 });
  await embedsReady(page);
  const c = await boxColors(page);
  assert.equal(c.background, 'rgb(255, 255, 255)');
  assert.equal(c.color, 'rgb(29, 36, 48)');
  await page.screenshot({ path: ARTIFACTS + 'element-light.png', fullPage: true });
  const v = await axeViolations(page);
  assert.deepEqual(v, [], axeReport(v));
  await page.close();
});

test('a host sets --normlab-* properties and ::part()s, in both schemes, and the computed styles follow', async () => {
  const css = `
    normlab-compare.themed { --normlab-bg: rgb(10, 20, 30); --normlab-fg: rgb(240, 230, 220); --normlab-accent: rgb(255, 200, 0);
      --normlab-radius: 0px; --normlab-font: Georgia, serif; --normlab-line: rgb(1, 2, 3); }
    normlab-compare.themed::part(body) { padding: 21px; }
    normlab-compare.themed::part(verdict) { outline: 3px solid rgb(0, 128, 255); }
    normlab-compare.themed::part(code) { margin-top: 17px; }
    normlab-compare.themed::part(groups) { opacity: 0.5; }
    normlab-compare.themed::part(pie) { border-top: 4px dashed rgb(9, 9, 9); }
    normlab-compare.themed::part(link) { font-size: 11px; }
    normlab-compare.themed::part(error) { text-decoration: underline; }`;
  for (const colorScheme of ['light', 'dark']) {
    const page = await hostPage(env, `<normlab-compare id="t" class="themed" view="full"></normlab-compare>
      <normlab-compare id="e" class="themed" shape="2,y"></normlab-compare>
      <normlab-compare id="plain" view="full"></normlab-compare>`, { colorScheme, head: await hostStyles(env, css) });
    await embedsReady(page);
    const got = await page.locator('normlab-compare#t').evaluate((el) => {
      const q = (sel) => getComputedStyle(el.shadowRoot.querySelector(sel));
      return {
        bg: q('.nl-embed').backgroundColor, fg: q('.nl-embed').color, radius: q('.nl-embed').borderTopLeftRadius,
        font: q('.nl-embed').fontFamily, border: q('.nl-embed').borderTopColor, padding: q('.nl-embed').paddingTop,
        link: q('.open-link a').color, outline: q('.verdict').outlineColor, code: q('.code-box').marginTop,
        groups: q('[part~="groups"]').opacity, pie: q('.pie-figure').borderTopStyle, linkSize: q('.open-link').fontSize,
        th: q('th').borderTopColor,
      };
    });
    assert.deepEqual(got, {
      bg: 'rgb(10, 20, 30)', fg: 'rgb(240, 230, 220)', radius: '0px', font: 'Georgia, serif', border: 'rgb(1, 2, 3)',
      padding: '21px', link: 'rgb(255, 200, 0)', outline: 'rgb(0, 128, 255)', code: '17px', groups: '0.5',
      pie: 'dashed', linkSize: '11px', th: 'rgb(1, 2, 3)',
    }, colorScheme);
    const err = await page.locator('normlab-compare#e .error').evaluate((e) => getComputedStyle(e).textDecorationLine);
    assert.equal(err, 'underline');
    // An element without the class keeps its own colours.
    const plain = await boxColors(page, 'plain');
    assert.equal(plain.background, colorScheme === 'dark' ? 'rgb(26, 30, 37)' : 'rgb(255, 255, 255)');
    if (colorScheme === 'dark') await page.screenshot({ path: ARTIFACTS + 'element-themed.png', fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});
