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
    async open(path, { width = 1280, height = 900, locale } = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      page.errors = [];
      page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
      page.on('pageerror', (e) => page.errors.push(String(e)));
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
