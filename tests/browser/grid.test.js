// The groups grid in headless Chromium: the keys move the selection in the
// directions of the picture as drawn, one key press speaks through one live
// region, big tensors (600, 512 in one row) are drawn with readable cells that
// scroll in their own box, and a tensor without elements gets a notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ELEMENTS, t } from '../../web/lab/index.js';
import { DISPLAY_LIMIT, TABLE_LIMIT } from '../../web/viz/experiment.js';
import { setup, ready, ARTIFACTS } from './helpers.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const lab = (shape, extra = '') => `/web/?shape=${shape}&values=random&layers=layer_norm,instance_norm&lang=en${extra}`;
const grid = (layer = 'A') => `.groups-panel[data-layer="${layer}"] svg.groups-grid`;
const selectedIn = (page, layer = 'A') => page.$eval(`${grid(layer)} .cell.selected`, (c) => Number(c.dataset.index));

test('the grid is drawn up to the compute limit; the tables keep a lower limit', () => {
  assert.equal(DISPLAY_LIMIT, MAX_ELEMENTS);
  assert.equal(TABLE_LIMIT, 512);
});

// For every cell (every `every`th of a big grid) and every arrow key: the
// selection goes to the nearest cell drawn in that direction on the same line
// or column of the screen (measured from the cells' rectangles), or stays
// when there is none.
async function arrowsFollowThePicture(page, every) {
  return page.evaluate(([sel, every]) => {
    const svg = document.querySelector(sel);
    const cells = [...svg.querySelectorAll('.cell')];
    const box = cells.map((c) => { const r = c.querySelector('rect').getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; });
    const expect = (k, dx, dy) => {
      let best = k, dist = Infinity;
      box.forEach((b, q) => {
        const along = dx ? (b.x - box[k].x) * dx : (b.y - box[k].y) * dy;
        const across = dx ? Math.abs(b.y - box[k].y) : Math.abs(b.x - box[k].x);
        if (along > 1 && across < 1 && along < dist) { best = q; dist = along; }
      });
      return best;
    };
    const wrong = [];
    const keys = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
    cells.forEach((cell, k) => {
      if (k % every) return;
      for (const [key, [dx, dy]] of Object.entries(keys)) {
        cell.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        svg.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        const got = Number(svg.querySelector('.cell.selected').dataset.index), want = expect(k, dx, dy);
        if (got !== want) wrong.push(`${key} from ${k}: ${got}, drawn ${want}`);
      }
    });
    return { count: cells.length, wrong };
  }, [grid(), every]);
}

for (const [shape, width, every] of [['2x3x4', 1280, 1], ['1x2x3x4', 1280, 1], ['8x3x5x5', 1280, 3], ['2x40', 768, 1], ['512', 390, 5]]) {
  test(`${shape} at ${width} px: every arrow key moves to the cell drawn next in its direction, or stays`, async () => {
    const page = await env.open(lab(shape), { width });
    await ready(page);
    const { count, wrong } = await arrowsFollowThePicture(page, every);
    assert.equal(count, shape.split('x').reduce((a, b) => a * b, 1));
    assert.deepEqual(wrong.slice(0, 10), []);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('2x3x4: ArrowDown from the bottom row of N=0 stays; Home/End and Ctrl+Home/End move along the row and the tensor', async () => {
  const page = await env.open(lab('2x3x4'));
  await ready(page);
  await page.locator(`${grid()} .cell[data-index="9"]`).click(); // [0,2,1]: the bottom row of N=0
  await page.keyboard.press('ArrowDown');
  assert.equal(await selectedIn(page), 9);
  await page.keyboard.press('ArrowRight');
  assert.equal(await selectedIn(page), 10);
  await page.keyboard.press('Home');
  assert.equal(await selectedIn(page), 8); // [0,2,0]
  await page.keyboard.press('End');
  assert.equal(await selectedIn(page), 11); // [0,2,3]
  await page.keyboard.press('ArrowRight');
  assert.equal(await selectedIn(page), 20); // [1,2,0]: N=1 is drawn to the right
  await page.keyboard.press('Control+Home');
  assert.equal(await selectedIn(page), 0);
  await page.keyboard.press('Control+End');
  assert.equal(await selectedIn(page), 23);
  // Every layer's grid and the values table follow the selection.
  assert.equal(await selectedIn(page, 'B'), 23);
  assert.equal(await page.locator('table.values tr.selected').getAttribute('data-index'), '23');
  assert.deepEqual(page.errors, []);
  await page.close();
});

// The live regions (aria-live, role=status/alert/log) whose text changed
// while `act` ran.
async function liveRegionsChangedBy(page, act) {
  await page.evaluate(() => {
    window.changedLive = new Set();
    window.liveObserver = new MutationObserver((records) => {
      for (const r of records) {
        const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        const region = node?.closest('[aria-live], [role="status"], [role="alert"], [role="log"]');
        if (region) window.changedLive.add(region);
      }
    });
    window.liveObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await act();
  return page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 50));
    window.liveObserver.disconnect();
    return [...window.changedLive].map((el) => el.textContent);
  });
}

for (const layers of ['layer_norm,instance_norm', 'layer_norm,instance_norm,group_norm:3,batch_norm']) {
  test(`one arrow key updates one live region, a hover none (${layers.split(',').length} layers)`, async () => {
    const page = await env.open(`/web/?shape=2x3x4&layers=${layers}&lang=en`);
    await ready(page);
    assert.equal(await page.locator('#groups-body [aria-live]').count(), 1);
    await page.locator(`${grid('B')}`).focus();
    const changed = await liveRegionsChangedBy(page, () => page.keyboard.press('ArrowRight'));
    assert.equal(changed.length, 1, changed.join('\n'));
    assert.match(changed[0], /^B: Element \[0,0,1\] is in group 0/);
    const hovered = await liveRegionsChangedBy(page, () => page.locator(`${grid('A')} .cell[data-index="7"]`).hover());
    assert.deepEqual(hovered, []);
    assert.equal(await selectedIn(page, 'A'), 7); // the hover did select
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

const cellSizes = (page) => page.$$eval(`${grid()} .cell rect`, (rs) => {
  const w = rs.map((r) => r.getBoundingClientRect().width);
  return { min: Math.min(...w), lines: new Set(rs.map((r) => Math.round(r.getBoundingClientRect().y))).size };
});

test('8x3x5x5 (600 elements) is drawn at 1280, 768 and 390 px with cells of 14 px or more, the page never scrolls sideways', async () => {
  for (const width of [1280, 768, 390]) {
    const page = await env.open(lab('8x3x5x5'), { width });
    await ready(page);
    assert.equal(await page.locator('#groups-body .notice').count(), 0, 'no limit notice');
    assert.equal(await page.locator(`${grid()} .cell`).count(), 600);
    assert.equal(await page.locator(`${grid('B')} .cell`).count(), 600);
    const { min, lines } = await cellSizes(page);
    assert.ok(min >= 14, `${width} px: cells of ${min} px`);
    assert.equal(lines, 8 * 5, 'N=0..7 drawn as rows of slices of 5 rows');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('a 1-D tensor of 512 wraps into 16 lines of 32 readable cells; at 390 px it scrolls in its box, and the keys keep the selection in view', async () => {
  for (const width of [1280, 390]) {
    const page = await env.open(lab('512'), { width });
    await ready(page);
    const { min, lines } = await cellSizes(page);
    assert.ok(min >= 14, `${width} px: cells of ${min} px`);
    assert.equal(lines, 16);
    assert.match(await page.locator('.groups-panel[data-layer="A"] p.muted').textContent(), /512 elements is drawn in lines of 32/);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width);
    if (width === 390) {
      const scroller = page.locator('.groups-panel[data-layer="A"] .grid-scroll');
      assert.ok(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth), 'the box scrolls');
      await page.locator(grid()).focus();
      await page.keyboard.press('End'); // the end of the row: 511, in the bottom right corner
      assert.equal(await selectedIn(page), 511);
      const inView = await page.evaluate((sel) => {
        const box = document.querySelector(sel).closest('.grid-scroll').getBoundingClientRect();
        const cell = document.querySelector(`${sel} .cell.selected rect`).getBoundingClientRect();
        return cell.left >= box.left - 1 && cell.right <= box.right + 1;
      }, grid());
      assert.ok(inView, 'the selected cell was scrolled into view');
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('axe: a grid that scrolls in its box is reachable by keyboard (scrollable-region-focusable)', async () => {
  const page = await env.open(lab('512'), { width: 390 });
  await ready(page);
  await page.addScriptTag({ url: '/node_modules/axe-core/axe.min.js' });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector('#groups'), { runOnly: ['scrollable-region-focusable'] });
    return { violations: r.violations.map((v) => v.nodes.map((n) => n.target.join(' '))), passes: r.passes.map((v) => v.nodes.length) };
  });
  assert.deepEqual(result.violations, []);
  assert.ok(result.passes.length === 1 && result.passes[0] >= 1, 'axe checked the scroll box');
  await page.close();
});

test('a tensor without elements (2x0x3) gets a short notice instead of a grid, in both languages', async () => {
  for (const lang of ['en', 'zh']) {
    const page = await env.open(`/web/?shape=2x0x3&layers=layer_norm,instance_norm&lang=${lang}`);
    await page.waitForSelector('#groups-body .notice', { timeout: 30000 });
    assert.equal(await page.locator('#groups-body .notice').textContent(), t(lang, 'page.empty_tensor', { shape: '[2, 0, 3]' }));
    assert.equal(await page.locator('#groups-body svg').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
  // The section itself, whatever the page around it does with such a tensor.
  const page = await env.open(lab('2x3x4'));
  await ready(page);
  const drawn = await page.evaluate(async () => {
    const { groupsSection } = await import('/web/viz/groups-section.js');
    const { groupsGrid } = await import('/web/viz/groups-grid.js');
    const info = { groupCount: 0, groupSize: 3, axisNames: ['N', 'C', 'L'], reducedNames: ['L'] };
    const l = { label: 'A', code: 'nn.LayerNorm([3])', spec: { kind: 'layer_norm', params: {} }, info, result: { groups: new Int32Array(0), data: new Float32Array(0) } };
    const section = groupsSection({ shape: [2, 0, 3], input: new Float32Array(0), ok: [l], layers: [l], pairs: [] }, 'en');
    const g = groupsGrid([2, 0, 3], new Int32Array(0), 0, { label: 'empty' });
    g.svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    g.select(0);
    return { text: section.el.textContent, selected: section.selection.i, cells: g.svg.querySelectorAll('.cell').length };
  });
  assert.deepEqual(drawn, { text: t('en', 'page.empty_tensor', { shape: '[2, 0, 3]' }), selected: -1, cells: 0 });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('screenshots of the groups section: 8x3x5x5, 512, 2x3x4, 1x2x3x4 at 1280, 768 and 390 px', async () => {
  for (const width of [1280, 768, 390]) {
    for (const shape of ['8x3x5x5', '512', '2x3x4', '1x2x3x4']) {
      const page = await env.open(lab(shape), { width });
      await ready(page);
      const { min } = await cellSizes(page);
      assert.ok(min >= 14, `${shape} at ${width} px: cells of ${min} px`);
      await page.locator('#groups').screenshot({ path: `${ARTIFACTS}grid-${shape}-${width}.png` });
      assert.deepEqual(page.errors, []);
      await page.close();
    }
  }
});
