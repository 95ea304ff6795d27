// axe-core on the lab and on the example docs page (whose <normlab-compare>
// elements axe checks inside their open shadow roots): no violation of impact
// serious or critical, in English and Chinese, light and dark, with a layer
// error, with the results dimmed by a bad input, and at phone width. Text that
// axe leaves undecided (one letter, SVG text over a shape) is measured here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, embedsReady, axeViolations, axeReport, lowContrastText } from './helpers.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const LAB = '/web/?shape=2x3x4&layers=layer_norm,instance_norm';
// LayerNorm(5) cannot normalize a last dimension of 4: layer A shows an error.
const LAYER_ERROR = '/web/?shape=2x3x4&layers=layer_norm:5,instance_norm';
// Four layers: every group colour of the grids up to 6 groups, and the pie.
const FOUR = '/web/?shape=2x4x3&layers=group_norm:4,instance_norm,group_norm:2,rms_norm';
// Axe cannot judge these: the layer letters (one character), the grids', the flow's and the pie's SVG text.
const UNDECIDED = 'svg text, .layer-letter';

async function assertReadable(page, what) {
  const found = await axeViolations(page);
  assert.equal(found.length, 0, `${what}:\n${axeReport(found)}`);
  assert.deepEqual(await lowContrastText(page, UNDECIDED), [], `${what}: text below its contrast`);
}

const CASES = [
  ['the lab in English', `${LAB}&lang=en`, {}],
  ['the lab in Chinese', `${LAB}&lang=zh`, {}],
  ['the lab in English, dark', `${LAB}&lang=en`, { colorScheme: 'dark' }],
  ['the lab in Chinese, dark', `${LAB}&lang=zh`, { colorScheme: 'dark' }],
  ['four layers', `${FOUR}&lang=en`, {}],
  ['four layers, dark', `${FOUR}&lang=en`, { colorScheme: 'dark' }],
  ['the lab with a layer error', `${LAYER_ERROR}&lang=en`, {}],
  ['the lab with a layer error, Chinese, dark', `${LAYER_ERROR}&lang=zh`, { colorScheme: 'dark' }],
  ['the lab at 390 px', `${LAB}&lang=en`, { width: 390 }],
  ['the lab at 390 px, Chinese, dark', `${LAB}&lang=zh`, { width: 390, colorScheme: 'dark' }],
];

for (const [what, path, opts] of CASES) {
  test(`axe: ${what}: no serious or critical violation`, async () => {
    const page = await env.open(path, opts);
    await ready(page);
    await assertReadable(page, what);
    await page.close();
  });
}

test('axe: the benchmark table at 390 px, Chinese', async () => {
  const page = await env.open(`${LAB}&lang=zh`, { width: 390 });
  await ready(page);
  await page.click('#run-bench');
  await page.waitForSelector('#bench-body table.bench', { timeout: 30000 });
  await assertReadable(page, 'the benchmark table at 390 px');
  await page.close();
});

// The dimmed results are drawn through `filter: grayscale(1)`, which axe does
// not apply: the lowest contrast of their text after the filter (Chromium's
// grayscale weighs the sRGB channels by 0.2126, 0.7152, 0.0722), over the
// colours axe measured.
function contrastAfterGrayscale(page) {
  return page.evaluate(async () => {
    const r = await window.axe.run({ include: [['#verdict-body'], ['#groups-body'], ['#tables-body']] },
      { runOnly: ['color-contrast'], resultTypes: ['passes'] });
    const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    const gray = ([r, g, b]) => Array(3).fill(0.2126 * r + 0.7152 * g + 0.0722 * b);
    const lum = (c) => c.map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const rows = (r.passes[0]?.nodes || []).map((n) => n.any[0].data).filter((d) => d && d.fgColor)
      .map((d) => ({ margin: ratio(gray(rgb(d.fgColor)), gray(rgb(d.bgColor))) / parseFloat(d.expectedContrastRatio), ...d }));
    rows.sort((a, b) => a.margin - b.margin);
    return { count: rows.length, worst: rows[0] };
  });
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe: results dimmed by a bad shape (${colorScheme}) keep their contrast and say they are out of date`, async () => {
    const page = await env.open(`${LAB}&lang=en`, { colorScheme });
    await ready(page);
    await page.fill('#shape', '2,x');
    await page.waitForFunction(() => document.body.classList.contains('stale'));
    await assertReadable(page, `stale results, ${colorScheme}`);
    const { count, worst } = await contrastAfterGrayscale(page);
    assert.ok(count > 100, `axe measured the dimmed text (${count} nodes)`);
    assert.ok(worst.margin >= 1, `after grayscale: ${worst.fgColor} on ${worst.bgColor} is below ${worst.expectedContrastRatio}`);
    const note = page.locator('#verdict .stale-note');
    assert.equal(await note.isVisible(), true, 'a note says the results are out of date');
    assert.match(await note.textContent(), /last valid input/);
    await page.fill('#shape', '2,3,4');
    await page.waitForFunction(() => !document.body.classList.contains('stale'));
    assert.equal(await note.isVisible(), false, 'the note goes with the error');
    await page.close();
  });

  test(`axe: the example docs page and its embedded elements (${colorScheme})`, async () => {
    const page = await env.open('/web/example-docs.html', { colorScheme });
    await embedsReady(page);
    assert.ok(await page.locator('normlab-compare .verdict').count() >= 2, 'the embeds drew their verdicts');
    await assertReadable(page, `example docs, ${colorScheme}`);
    await page.close();
  });
}

test('the contrast check of undecided text finds light-on-light letters', async () => {
  const page = await env.open(`${LAB}&lang=en`);
  await ready(page);
  assert.deepEqual(await lowContrastText(page, UNDECIDED), []);
  await page.evaluate(() => { for (const el of document.querySelectorAll('.layer-letter')) el.style.background = '#86a8f5'; });
  const low = await lowContrastText(page, UNDECIDED);
  assert.deepEqual(low.map((l) => l.text), ['A', 'B']);
  assert.ok(low.every((l) => l.ratio < 3), JSON.stringify(low));
  await page.close();
});
