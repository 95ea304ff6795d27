// The flow diagram (web/viz/flow.js) in headless Chromium: its text stays at
// 12 px or more on screen at every page width, 700-768 px included (where it
// used to shrink to 7 px), it re-lays out when the width changes, and nothing
// of it is cut at 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, ARTIFACTS } from './helpers.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const LAB = '/web/?shape=2x3x4&values=random&layers=layer_norm,instance_norm';

// Let a ResizeObserver re-layout run: two animation frames.
const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

// The smallest on-screen font size of the flow's text (its CSS size times the
// svg's scale), and whatever of it is cut: a text outside its box, a box
// outside the svg's view box, the svg outside the window.
function measure(page, selector = '#groups-body svg.flow') {
  return page.evaluate((sel) => {
    const svg = document.querySelector(sel);
    const scale = svg.getScreenCTM().a;
    const texts = [...svg.querySelectorAll('text')];
    const minFont = Math.min(...texts.map((el) => scale * parseFloat(getComputedStyle(el).fontSize)));
    const vb = svg.viewBox.baseVal, cut = [];
    const inside = (a, b) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
    for (const box of svg.querySelectorAll('.flow-box')) {
      const rect = box.querySelector('rect').getBBox();
      if (!inside(rect, vb)) cut.push(`box outside the view box: ${JSON.stringify(rect)}`);
      for (const text of box.querySelectorAll('text')) {
        if (!inside(text.getBBox(), rect)) cut.push(`"${text.textContent}" outside its box`);
      }
    }
    const r = svg.getBoundingClientRect();
    if (r.left < 0 || r.right > document.documentElement.clientWidth) cut.push(`svg ${r.left}..${r.right}`);
    return { minFont, cut, columns: Number(svg.dataset.columns), scrollWidth: document.documentElement.scrollWidth, boxes: svg.querySelectorAll('.flow-box').length };
  }, selector);
}

for (const lang of ['en', 'zh']) {
  test(`the flow's text is 12 px or more on screen from 390 to 1280 px, and nothing is cut (${lang})`, async () => {
    for (const width of [1280, 1024, 800, 768, 740, 720, 700, 640, 480, 390]) {
      const page = await env.open(`${LAB}&lang=${lang}`, { width });
      await ready(page);
      await settle(page);
      const m = await measure(page);
      assert.equal(m.boxes, 5);
      assert.ok(m.minFont >= 12, `${width} px: text at ${m.minFont.toFixed(2)} px (${m.columns} boxes a row)`);
      assert.deepEqual(m.cut, [], `${width} px`);
      assert.equal(m.scrollWidth, width, `${width} px: the page scrolls sideways`);
      if (width === 768 || width === 390) await page.locator('#groups .flow-section').screenshot({ path: `${ARTIFACTS}flow-${lang}-${width}.png` });
      assert.deepEqual(page.errors, []);
      await page.close();
    }
  });
}

test('the flow re-lays out when the window narrows and widens again', async () => {
  const page = await env.open(`${LAB}&lang=en`, { width: 1280 });
  await ready(page);
  await settle(page);
  const wide = await measure(page);
  await page.setViewportSize({ width: 720, height: 900 });
  await settle(page);
  const narrow = await measure(page);
  assert.ok(narrow.columns < wide.columns, `${wide.columns} then ${narrow.columns} boxes a row`);
  assert.ok(narrow.minFont >= 12, `720 px after a resize: ${narrow.minFont}`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await settle(page);
  assert.equal((await measure(page)).columns, wide.columns);
  // The numbers stay those of the selected group after a re-layout.
  await page.locator('.groups-panel[data-layer="A"] .cell[data-index="13"]').click();
  await page.setViewportSize({ width: 720, height: 900 });
  await settle(page);
  assert.match(await page.locator('#groups-body svg.flow').textContent(), /n = 4/);
  assert.match(await page.locator('#groups-body .flow-section p').textContent(), /group 3/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('long numbers (tiny variances, RMSNorm\'s eps) stay inside their boxes', async () => {
  const page = await env.open(`${LAB}&lang=en`, { width: 768 });
  await ready(page);
  await page.evaluate(async () => {
    const { flowDiagram } = await import('/web/viz/flow.js');
    const labels = { input: 'Input tensor', mean: 'Mean', std: 'Standard deviation', normalize: 'Normalize', output: 'Output tensor', title: 'flow' };
    const x = [-1.2345e-5, 2.3456e-5, -3.4567e-5, 4.5678e-5];
    for (const [rms, columns] of [[false, 3], [true, 1]]) {
      const g = { x, y: x.map((v) => v * -12345.6), mean: -1.2345e-5, var: 1.23456e-9, eps: 1.1920928955078125e-7, rms };
      const svg = flowDiagram(g, labels, { columns });
      svg.id = `long-${rms}`;
      document.querySelector('#groups-body').prepend(svg);
    }
  });
  for (const id of ['long-false', 'long-true']) {
    const m = await measure(page, `#${id}`);
    assert.deepEqual(m.cut, [], id);
    assert.ok(m.minFont >= 12, `${id}: ${m.minFont}`);
  }
  await page.close();
});
