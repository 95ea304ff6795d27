// The normlab page in headless Chromium: numbers, verdicts, links, errors,
// languages, the pie, and that pasted markup stays text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadNormlab } from '../../src/normlab.js';
import { makeValues } from '../../web/lab/index.js';
import { assertClose, layerNormRef } from '../helpers.js';
import { setup, ready, ARTIFACTS } from './helpers.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const cellNumbers = (page, selector) => page.$$eval(selector, (tds) => tds.map((td) => Number(td.textContent)));
/** Page cells within tol (absolute, and relative above 1) of the expected numbers. */
const close = (got, want, tol, what) => assertClose(got, want, { abs: tol, rel: tol }, what);

test('the tables show what the library and a float64 reference compute for the same input', async () => {
  const page = await env.open('/web/?shape=2x3x4&seed=5&values=random&layers=layer_norm,instance_norm');
  await ready(page);
  const x = makeValues('random', [2, 3, 4], 5);
  const nl = await loadNormlab();
  const ln = nl.layerNorm({ data: x, shape: [2, 3, 4] }, 4, { stats: true });
  const inorm = nl.instanceNorm({ data: x, shape: [2, 3, 4] });
  const ref = layerNormRef(x, x.length / 4, 4);
  close(await cellNumbers(page, 'table.values td.input'), Array.from(x), 5e-6, 'input');
  close(await cellNumbers(page, 'table.values td.out[data-layer="A"]'), Array.from(ln.data), 5e-6, 'LayerNorm vs library');
  close(await cellNumbers(page, 'table.values td.out[data-layer="B"]'), Array.from(inorm.data), 5e-6, 'InstanceNorm vs library');
  close(await cellNumbers(page, 'table.values td.out[data-layer="A"]'), Array.from(ref.y), 2e-5, 'LayerNorm vs float64');
  close(await cellNumbers(page, 'table.stats-A td.mean'), ref.mean, 5e-6, 'group means');
  close(await cellNumbers(page, 'table.stats-A td.var'), ref.var, 5e-6, 'group variances');
  await page.close();
});

test('the verdict is "identical" for an equal pair and "different" for a different one', async () => {
  const page = await env.open('/web/?shape=2x3x4&layers=layer_norm,instance_norm&lang=en');
  await ready(page);
  const same = page.locator('.verdict').first();
  assert.equal(await same.getAttribute('data-identical'), 'true');
  assert.match(await same.locator('.headline').textContent(), /^Identical/);
  assert.ok(Number(await same.getAttribute('data-max-abs-diff')) <= 1e-6);

  await page.goto(`${env.base}/web/?shape=1x2x3x4&layers=layer_norm,instance_norm&lang=en`);
  await ready(page);
  const diff = page.locator('.verdict').first();
  assert.equal(await diff.getAttribute('data-identical'), 'false');
  const headline = await diff.locator('.headline').textContent();
  assert.match(headline, /^Different/);
  assert.ok(Number(await diff.getAttribute('data-max-abs-diff')) > 0.1);
  // The reasons name what each layer normalizes over.
  const reasons = await diff.locator('li').allTextContents();
  assert.ok(reasons.some((r) => /over W/.test(r)) && reasons.some((r) => /over H, W/.test(r)), reasons.join('\n'));
  // One grid cell per element, coloured by group: 6 groups for LayerNorm(W), 2 planes for InstanceNorm2d.
  assert.equal(await page.locator('.groups-panel[data-layer="A"] .cell').count(), 24);
  const groupsOf = (l) => page.$$eval(`.groups-panel[data-layer="${l}"] .cell`, (cs) => new Set(cs.map((c) => c.dataset.group)).size);
  assert.equal(await groupsOf('A'), 6);
  assert.equal(await groupsOf('B'), 2);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('selecting a cell shows its group\'s mean and std, and the flow uses them', async () => {
  const page = await env.open('/web/?shape=2x3x4&seed=3&values=random&layers=layer_norm,instance_norm&lang=en');
  await ready(page);
  await page.locator('.groups-panel[data-layer="A"] .cell[data-index="13"]').click();
  const x = makeValues('random', [2, 3, 4], 3);
  const ref = layerNormRef(x, x.length / 4, 4); // element 13 is in row 3
  const info = await page.locator('.groups-panel[data-layer="A"] .group-info').textContent();
  assert.match(info, /group 3/);
  assert.ok(info.includes(`μ = ${Number(ref.mean[3].toPrecision(4))}`), info);
  const flow = await page.locator('svg.flow').textContent();
  assert.ok(flow.includes(`= ${Number(ref.mean[3].toPrecision(4))}`), flow);
  assert.ok(flow.includes(`= ${Number(Math.sqrt(ref.var[3] + 1e-5).toPrecision(4))}`), flow);
  assert.equal(await page.locator('.groups-panel[data-layer="B"] .cell.in-group').count(), 4);
  assert.equal(await page.locator('table.values tr.selected').getAttribute('data-index'), '13');
  // The keyboard moves the selection too: one step right, then one row down.
  await page.locator('.groups-panel[data-layer="B"] svg.groups-grid').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('table.values tr.selected')?.dataset.index === '18');
  assert.match(await page.locator('.groups-panel[data-layer="A"] .group-info').textContent(), /\[1,1,2\] is in group 4/);
  await page.close();
});

test('the pie has three slices whose angles match 60/25/15', async () => {
  const page = await env.open('/web/');
  await ready(page);
  const angles = await page.$$eval('#pie-body svg.pie path.slice', (paths) => paths.map((p) => {
    const n = p.getAttribute('d').match(/-?\d+(\.\d+)?/g).map(Number);
    const [cx, cy, x0, y0, , , , large, , x1, y1] = n;
    const a = (x, y) => Math.atan2(x - cx, cy - y); // clockwise from 12 o'clock
    let d = (a(x1, y1) - a(x0, y0)) * 180 / Math.PI;
    if (d <= 0) d += 360;
    return { d, large };
  }));
  assert.equal(angles.length, 3);
  [216, 90, 54].forEach((want, i) => {
    assert.ok(Math.abs(angles[i].d - want) < 0.01, `slice ${i}: ${angles[i].d}`);
    assert.equal(angles[i].large, want > 180 ? 1 : 0);
  });
  const svg = page.locator('#pie-body svg.pie');
  assert.equal(await svg.getAttribute('role'), 'img');
  assert.ok((await svg.locator('title').first().textContent()).length > 0);
  assert.match(await svg.locator('desc').textContent(), /60/);
  assert.deepEqual(await page.locator('#pie-body svg .pie-pct').allTextContents(), ['60%', '25%', '15%']);
  await page.close();
});

test('a link reproduces the state: controls, layers and numbers', async () => {
  const page = await env.open('/web/?lang=en');
  await ready(page);
  await page.fill('#shape', '1,2,3,4');
  await page.selectOption('#values', 'uniform');
  await page.fill('#seed', '42');
  await page.selectOption('#layer-B-kind', 'group_norm');
  await page.fill('#layer-B-numGroups', '2');
  await page.waitForFunction(() => /GroupNorm\(2, 2\)/.test(document.querySelector('#verdict-body')?.textContent));
  const url = page.url();
  assert.match(url, /shape=1x2x3x4/);
  const cells = await page.$$eval('table.values td', (tds) => tds.map((td) => td.textContent));
  const copy = await env.open(new URL(url).pathname + new URL(url).search);
  await ready(copy);
  assert.equal(await copy.inputValue('#shape'), '1,2,3,4');
  assert.equal(await copy.inputValue('#values'), 'uniform');
  assert.equal(await copy.inputValue('#seed'), '42');
  assert.equal(await copy.inputValue('#layer-B-kind'), 'group_norm');
  assert.deepEqual(await copy.$$eval('table.values td', (tds) => tds.map((td) => td.textContent)), cells);
  await page.close(); await copy.close();
});

test('a malformed paste shows an error next to the field and the page computes again afterwards', async () => {
  const page = await env.open('/web/?lang=en');
  await ready(page);
  await page.fill('#shape', '2,3');
  await page.selectOption('#values', 'custom');
  await page.fill('#paste', '1, 2, abc, 4');
  await page.waitForFunction(() => document.querySelector('#paste-error').textContent.includes('abc'));
  // (A size of 0 is not a mistake: PyTorch takes zero-size tensors.)
  await page.fill('#shape', '2,x');
  await page.waitForFunction(() => document.querySelector('#shape-error').textContent.includes('x'));
  await page.fill('#shape', '2,3');
  await page.fill('#paste', '1 2 3 4 5 9');
  await page.waitForFunction(() => document.querySelector('#paste-error').textContent === ''
    && document.querySelectorAll('table.values td.input').length === 6);
  assert.deepEqual(await cellNumbers(page, 'table.values td.input'), [1, 2, 3, 4, 5, 9]);
  // A shape above the limit gets a message with the limit in it.
  await page.fill('#shape', '100,100');
  await page.waitForFunction(() => document.querySelector('#shape-error').textContent.includes('4096'));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the language follows navigator.languages and the switch changes the text', async () => {
  const page = await env.open('/web/', { locale: 'zh-CN' });
  await ready(page);
  assert.equal(await page.locator('#answer h2').textContent(), '简短的回答');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans');
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.querySelector('#answer h2').textContent === 'The short answer');
  const en = await page.locator('.verdict .headline').first().textContent();
  assert.match(en, /^Identical/);
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction((old) => document.querySelector('.verdict .headline').textContent !== old, en);
  assert.match(page.url(), /lang=zh/);
  assert.match(await page.locator('#groups h2').textContent(), /哪些元素一起归一化/);
  await page.close();
});

test('pasted markup is shown as text and never runs', async () => {
  const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const page = await env.open(`/web/?shape=${encodeURIComponent(evil)}&layers=${encodeURIComponent(evil)}&lang=en`);
  await ready(page);
  await page.selectOption('#values', 'custom');
  await page.fill('#paste', evil);
  await page.fill('#shape', evil);
  await page.waitForFunction(() => document.querySelector('#paste-error').textContent.length > 0
    || document.querySelector('#shape-error').textContent.length > 0);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('img').count(), 0);
  assert.ok((await page.locator('#warnings').textContent()).includes('<img'), 'the bad link is reported as text');
  await page.close();
});

test('JSON and CSV downloads hold the experiment', async () => {
  const page = await env.open('/web/?shape=2x3x4&layers=layer_norm,instance_norm&values=ramp');
  await ready(page);
  // The CSP keeps fetch() away from blob: URLs; download them as a user would.
  const download = async (sel) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(sel)]);
    return readFileSync(await dl.path(), 'utf8');
  };
  const doc = JSON.parse(await download('#export-json'));
  assert.deepEqual(doc.shape, [2, 3, 4]);
  assert.deepEqual(doc.input.slice(0, 4), [0, 1, 2, 3]);
  assert.equal(doc.identical, true);
  const csv = await download('#export-csv');
  assert.equal(csv.trim().split(/\r?\n/).length, 25);
  await page.close();
});

// Everything a reader uses (selects, buttons, inputs, code, tables, presets)
// that pokes out of the viewport or out of its card without being inside a
// scroll container; every select too narrow for its widest option; every Copy
// button drawn over its code. Returns readable lines, [] when all is well.
function cutThings(page) {
  return page.evaluate(() => {
    const problems = [];
    const name = (el) => `${el.localName}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} "${(el.textContent || el.value || '').trim().slice(0, 30)}"`;
    const scroller = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (/auto|scroll/.test(getComputedStyle(p).overflowX)) return p;
      }
      return null;
    };
    const inside = (r, box) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
    const vw = { left: 0, right: document.documentElement.clientWidth };
    for (const el of document.querySelectorAll('select, button, input, textarea, pre, table, a.preset, h1, h2, .verdict, .notice')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || el.closest('[hidden]')) continue;
      const sc = scroller(el);
      const box = sc ? sc.getBoundingClientRect() : el.closest('.card')?.getBoundingClientRect() || vw;
      // In a scroll container its content may extend: the container itself must fit.
      const outer = sc ? box : r;
      if (!inside(outer, vw)) problems.push(`${name(sc || el)} leaves the viewport: ${outer.left.toFixed(0)}..${outer.right.toFixed(0)}`);
      const card = (sc || el).closest('.card');
      if (card && !inside(outer, card.getBoundingClientRect())) problems.push(`${name(sc || el)} leaves its card`);
    }
    for (const sel of document.querySelectorAll('select')) {
      if (sel.getBoundingClientRect().width === 0) continue;
      // Its width with nothing constraining it: the widest option, the padding and the arrow.
      const probe = sel.cloneNode(true);
      probe.removeAttribute('id');
      Object.assign(probe.style, { position: 'absolute', width: 'auto', minWidth: '0', maxWidth: 'none', flex: 'none', visibility: 'hidden' });
      sel.after(probe);
      const need = probe.getBoundingClientRect().width;
      probe.remove();
      const has = sel.getBoundingClientRect().width;
      if (need > has + 0.5) problems.push(`${name(sel)} cuts its options: needs ${need.toFixed(0)} px, has ${has.toFixed(0)}`);
    }
    for (const box of document.querySelectorAll('.code-box')) {
      const pre = box.querySelector('pre').getBoundingClientRect(), btn = box.querySelector('button').getBoundingClientRect();
      const overlap = btn.left < pre.right && btn.right > pre.left && btn.top < pre.bottom && btn.bottom > pre.top;
      if (overlap) problems.push(`the Copy button of ${name(box.querySelector('pre'))} is drawn over the code`);
    }
    return problems;
  });
}

test('screenshots at 1280, 768 and 390 px, light and dark, en and zh: no horizontal scrolling, nothing cut', async () => {
  const views = [
    [1280, 'en', 'light', 'page-desktop.png'], [768, 'en', 'light', 'page-tablet.png'], [390, 'en', 'light', 'page-phone.png'],
    [1280, 'zh', 'dark', 'page-desktop-zh-dark.png'], [768, 'zh', 'dark', 'page-tablet-zh-dark.png'], [390, 'zh', 'dark', 'page-phone-zh-dark.png'],
  ];
  for (const [width, lang, colorScheme, name] of views) {
    // Three layers: the remove buttons are shown too.
    const page = await env.open(`/web/?lang=${lang}&shape=2x3x4&layers=layer_norm,instance_norm,group_norm:3`, { width, colorScheme });
    await ready(page);
    const what = `${width} px, ${lang}, ${colorScheme}`;
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width, `${what}: the page scrolls sideways`);
    assert.deepEqual(await cutThings(page), [], what);
    await page.screenshot({ path: ARTIFACTS + name, fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('the layout check finds a select too narrow for its options and a Copy button over the code', async () => {
  const page = await env.open('/web/?lang=en&shape=2x3x4&layers=layer_norm,instance_norm', { width: 390 });
  await ready(page);
  assert.deepEqual(await cutThings(page), []);
  await page.evaluate(() => {
    document.querySelector('#layer-B-kind').style.maxWidth = '120px';
    const btn = document.querySelector('.code-box button');
    Object.assign(btn.style, { position: 'absolute', right: '0' });
    btn.closest('.code-box').style.position = 'relative';
  });
  const found = (await cutThings(page)).join('\n');
  assert.match(found, /select#layer-B-kind.* cuts its options/);
  assert.match(found, /Copy button .* is drawn over the code/);
  await page.close();
});

test('the Chinese title never leaves "吗？" alone on its last line, from 320 to 1400 px', async () => {
  const page = await env.open('/web/?lang=zh', { width: 1280 });
  await ready(page);
  const lastLine = () => page.evaluate(() => {
    const text = document.querySelector('.top h1').firstChild;
    const top = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getClientRects()[0].top; };
    const tops = Array.from(text.data, (_, i) => top(i));
    const last = tops[tops.length - 1];
    return text.data.slice(tops.findIndex((t) => Math.abs(t - last) < 2)).trim();
  });
  assert.match(await page.locator('.top h1').textContent(), /吗[?？]$/);
  const alone = [];
  for (let width = 320; width <= 1400; width += 10) {
    await page.setViewportSize({ width, height: 900 });
    const line = await lastLine();
    if ([...line].length <= 2) alone.push(`${width} px: "${line}"`);
  }
  assert.deepEqual(alone, []);
  await page.close();
});

test('above the table limit the tables give way to a message with the limit; the grids and the verdict stay', async () => {
  const page = await env.open('/web/?shape=8x8x9&lang=en');
  await ready(page);
  assert.match(await page.locator('#tables-body .notice').textContent(), /512.*576|576.*512/);
  assert.equal(await page.locator('table.values').count(), 0);
  assert.equal(await page.locator('.groups-panel[data-layer="A"] .cell').count(), 576);
  assert.equal(await page.locator('.verdict').first().getAttribute('data-identical'), 'true');
  await page.close();
});

test('the live benchmark runs only on request and reports both builds and plain JS', async () => {
  const page = await env.open('/web/?shape=2x3x4&lang=en');
  await ready(page);
  assert.equal(await page.locator('#bench-body table').count(), 0);
  await page.click('#run-bench');
  await page.waitForSelector('#bench-body table.bench', { timeout: 30000 });
  const impls = await page.$$eval('#bench-body tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(impls, ['normlab, SIMD128 wasm', 'normlab, scalar wasm', 'plain JavaScript, two passes'].flatMap((x) => [x]).concat(
    ['normlab, SIMD128 wasm', 'normlab, scalar wasm', 'plain JavaScript, two passes']));
  const times = await page.$$eval('#bench-body tbody tr td:nth-child(3)', (tds) => tds.map((td) => parseFloat(td.textContent)));
  assert.ok(times.every((x) => x > 0 && Number.isFinite(x)), times.join());
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('layers can be added up to four and removed down to two; each extra layer is compared with A', async () => {
  const page = await env.open('/web/?shape=2x4x3&lang=en');
  await ready(page);
  await page.click('#add-layer');
  await page.waitForFunction(() => document.querySelectorAll('.verdict').length === 2);
  assert.match(await page.locator('.verdict').nth(1).locator('.pair').textContent(), /C = nn\.GroupNorm/);
  await page.click('#add-layer');
  await page.waitForFunction(() => document.querySelectorAll('.verdict').length === 3);
  assert.equal(await page.locator('#add-layer').isVisible(), false);
  assert.equal(await page.locator('table.values th').filter({ hasText: '|A − D|' }).count(), 1);
  await page.click('.layer-row[data-layer="B"] button.remove');
  await page.click('.layer-row[data-layer="B"] button.remove');
  await page.waitForFunction(() => document.querySelectorAll('.layer-row').length === 2);
  assert.equal(await page.locator('.layer-row button.remove').count(), 0);
  // A nested list sets the shape.
  await page.selectOption('#values', 'custom');
  await page.fill('#paste', '[[1, 2], [3, 5]]');
  await page.waitForFunction(() => document.querySelector('#shape').value === '2,2');
  assert.deepEqual(page.errors, []);
  await page.close();
});
