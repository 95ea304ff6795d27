// Shared set-up of the browser tests: the page's own server on a free port,
// headless Chromium through playwright-core, and page-error collection.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { start } from '../../web/serve.js';

export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Server + browser for one test file; call close() in after(). */
export async function setup() {
  const server = await start(0, { quiet: true });
  const base = `http://localhost:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), 'normlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS, headless: true,
    viewport: { width: 1280, height: 900 },
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    base, context,
    /** A new tab whose console errors and page errors are collected in `errors`. */
    /** colorScheme: 'light' or 'dark' emulates prefers-color-scheme before the page loads. */
    async open(path, { width = 1280, height = 900, locale, colorScheme } = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      page.errors = [];
      page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
      page.on('pageerror', (e) => page.errors.push(String(e)));
      if (colorScheme) await page.emulateMedia({ colorScheme });
      if (locale) await page.addInitScript((l) => Object.defineProperty(navigator, 'languages', { get: () => [l] }), locale);
      await page.goto(base + path);
      return page;
    },
    async close() {
      await context.close();
      await new Promise((r) => server.close(r));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Wait until the page has drawn a verdict (the wasm has loaded and run). */
export async function ready(page) {
  await page.waitForSelector('#verdict-body .verdict, #verdict-body .error', { timeout: 30000 });
}

/** Wait until every <normlab-compare> on the page shows a verdict or an error
 * (Playwright's CSS selectors pierce open shadow roots). */
export async function embedsReady(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('normlab-compare')].every(
    (el) => el.shadowRoot && el.shadowRoot.querySelector('.verdict, .error')), null, { timeout: 30000 });
}

/** Run axe-core on the whole page (it enters open shadow roots by default) and
 * return the violations of the given impacts, each with its id, impact, help
 * and the nodes (target selectors and axe's failure summary). axe is loaded
 * from this server's node_modules because the CSP (script-src 'self') refuses
 * an inline script. */
export async function axeViolations(page, impacts = ['serious', 'critical']) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ url: '/node_modules/axe-core/axe.min.js' });
  }
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.flat(), summary: n.failureSummary })) }));
  });
  return violations.filter((v) => impacts.includes(v.impact));
}

/** axe violations as readable lines: id, impact, and every node with axe's reason. */
export function axeReport(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}, ${v.nodes.length} node(s)\n`
    + v.nodes.map((n) => `  ${n.target.join(' >>> ')}: ${(n.summary || '').replace(/\s+/g, ' ').slice(0, 240)}`).join('\n')).join('\n');
}

/** Text that axe leaves undecided ("too short to determine", SVG text over a
 * shape): every element matching `selector` (in the document and in open shadow
 * roots) whose WCAG contrast against what is drawn under its centre is below
 * 4.5:1 (3:1 for large text: 24 px, or 18.66 px bold), as
 * { text, ratio, need, fg, bg }. The background is the first SVG shape's fill
 * or the HTML backgrounds (alpha-blended) under the text's centre. */
export function lowContrastText(page, selector) {
  return page.evaluate((sel) => {
    const parse = (c) => {
      const m = String(c).match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[,\s/]+/).filter(Boolean).map(Number);
      return [r / 255, g / 255, b / 255, a];
    };
    const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
    const lum = (c) => {
      const l = c.slice(0, 3).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    };
    const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('');
    const SHAPES = new Set(['rect', 'path', 'circle', 'ellipse', 'polygon']);
    function background(el) {
      el.scrollIntoView({ block: 'center', inline: 'center' }); // elementsFromPoint sees the viewport only
      const box = el.getBoundingClientRect();
      const stack = el.getRootNode().elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      // An HTML element's own background is under its text; an SVG text has none.
      if (!(el instanceof SVGElement) && stack[0] !== el) stack.unshift(el);
      const layers = [];
      for (const e of stack) {
        if (el instanceof SVGElement ? e === el || el.contains(e) : el.contains(e) && e !== el) continue;
        const css = getComputedStyle(e);
        const c = parse(SHAPES.has(e.localName) ? css.fill : css.backgroundColor);
        if (!c || c[3] === 0) continue;
        layers.push(c);
        if (c[3] === 1) break;
      }
      return layers.reduceRight((under, c) => over(c, under), [1, 1, 1, 1]);
    }
    const roots = [document, ...[...document.querySelectorAll('*')].map((e) => e.shadowRoot).filter(Boolean)];
    const low = [];
    for (const el of roots.flatMap((r) => [...r.querySelectorAll(sel)])) {
      const box = el.getBoundingClientRect();
      if (!el.textContent.trim() || box.width === 0) continue;
      const css = getComputedStyle(el);
      const bg = background(el);
      const fg = over(parse(el instanceof SVGElement ? css.fill : css.color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const m = el instanceof SVGElement ? el.getScreenCTM() : null;
      const px = parseFloat(css.fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
      const large = px >= 24 || (px >= 18.66 && Number(css.fontWeight) >= 700);
      const need = large ? 3 : 4.5;
      if (ratio < need) low.push({ text: el.textContent.trim().slice(0, 30), ratio: +ratio.toFixed(2), need, fg: hex(fg), bg: hex(bg), px: +px.toFixed(1) });
    }
    return low;
  }, selector);
}
