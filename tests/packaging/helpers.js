// Shared set-up of the packaging tests (see README.md here):
// - the bundlers, installed by `npm ci` from the lockfile beside this file,
//   again only when the lockfile changes (tests/install.js);
// - fresh consumer projects (./consumer) with the package's `npm pack`
//   tarball installed (tests/install.js packs it once per content);
// - a command runner whose error carries the tool's own output;
// - a page watcher that collects failed requests, console errors and CSP violations.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { REPO, WORK, alive, installNormlab, npmCi, packNormlab, sha256, withLock } from '../install.js';

export const HERE = dirname(fileURLToPath(import.meta.url));
// WORK is inside tests/packaging, so a consumer finds the bundlers (and
// Rollup's config its plugin) in tests/packaging/node_modules, as in a real project.
export { REPO, WORK };
const TEMPLATE = join(HERE, 'consumer');

/** Run a command; resolves to { stdout, stderr, ms }. A non-zero exit or a
 * timeout rejects with an error that quotes the end of the tool's output. */
export function run(cmd, args, { cwd = REPO, timeout = 300_000, env = {} } = {}) {
  const t0 = Date.now();
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (e) => { clearTimeout(timer); fail(new Error(`${cmd}: ${e.message}`)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return ok({ stdout, stderr, ms: Date.now() - t0 });
      const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` after ${timeout / 1000} s` : ''}` : `exit ${code}`;
      const out = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
      fail(new Error(`\`${cmd} ${args.join(' ')}\` failed (${why}) in ${relative(REPO, cwd) || '.'}:\n${out}`));
    });
  });
}

/** The bundlers at the lockfile's versions in tests/packaging/node_modules. */
export function ensureBundlers() {
  try {
    npmCi(HERE);
  } catch (e) {
    throw new Error('packaging tests: cannot install the bundlers (npm ci in tests/packaging, which needs the npm ' +
      `registry). Nothing was skipped: these tests fail until it works.\n${e.message}`);
  }
}

/** A bundler's command in tests/packaging/node_modules/.bin. */
export const bin = (name) => join(HERE, 'node_modules', '.bin', name);

/** The consumer template with the tarball installed (npm install <tgz>),
 * made once per tarball and template; copied by freshConsumer(). */
function installedConsumer() {
  const { key } = packNormlab();
  const template = readdirSync(TEMPLATE).sort().flatMap((f) => [f, readFileSync(join(TEMPLATE, f))]);
  const dir = join(WORK, `consumer-${sha256(key, ...template).slice(0, 16)}`);
  const ready = () => existsSync(join(dir, 'node_modules', 'normlab', 'package.json'));
  if (ready()) return dir;
  return withLock('consumer', () => {
    if (ready()) return dir;
    for (const old of readdirSync(WORK).filter((f) => f.startsWith('consumer-'))) rmSync(join(WORK, old), { recursive: true, force: true });
    const tmp = `${dir}.tmp-${process.pid}`;
    cpSync(TEMPLATE, tmp, { recursive: true });
    // The package has no dependencies, so this needs no registry.
    installNormlab(tmp, { save: true });
    renameSync(tmp, dir);
    return dir;
  });
}

/** A fresh copy of the consumer project, normlab installed from the tarball,
 * at .work/apps/<name>-<pid> (left for a look after the run; copies older than
 * an hour whose process has ended are removed here). */
export async function freshConsumer(name) {
  const base = installedConsumer();
  const apps = join(WORK, 'apps');
  mkdirSync(apps, { recursive: true });
  for (const old of readdirSync(apps)) {
    const pid = Number(old.match(/-(\d+)$/)?.[1]);
    const age = Date.now() - statSync(join(apps, old)).mtimeMs;
    if (!pid || (!alive(pid) && age > 3600_000)) rmSync(join(apps, old), { recursive: true, force: true });
  }
  const dir = join(apps, `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(base, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Stop a server now: Chromium keeps preconnected sockets open, which
 * server.close() alone would wait for (up to Node's 5 min request timeout). */
export function stopServer(server) {
  return new Promise((r) => { server.close(r); server.closeAllConnections(); });
}

/** Bytes and gzip bytes of the files below `dir` whose names match `pattern`. */
export function sizes(dir, pattern = /\.(m?js|wasm|css)$/) {
  let bytes = 0, gzip = 0, files = 0;
  for (const f of readdirSync(dir, { recursive: true })) {
    const path = join(dir, f);
    if (!pattern.test(f) || !statSync(path).isFile()) continue;
    const body = readFileSync(path);
    bytes += body.length; gzip += gzipSync(body, { level: 9 }).length; files += 1;
  }
  return { files, bytes, gzip };
}

// The one 404 not counted: the browser's own guess at /favicon.ico (the pages name no icon).
const isFavicon = (url) => { try { return new URL(url).pathname === '/favicon.ico'; } catch { return false; } };

/** A new tab whose problems are collected in page.problems: console errors,
 * page errors, failed requests, HTTP errors (>= 400; but a /favicon.ico 404) and CSP violations;
 * page.requests lists every URL it asked for. */
export async function watchedPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.requests = [];
  page.on('request', (r) => page.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' && !isFavicon(m.location().url)) page.problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e}`));
  page.on('requestfailed', (r) => page.problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400 && !isFavicon(r.url())) page.problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.exposeFunction('__normlabCsp', (v) => page.problems.push(`CSP violation: ${v}`));
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation',
    (e) => window.__normlabCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`)));
  return page;
}

/** Poll fn in the page until it returns a truthy value (which is returned);
 * fails at once on a problem, or after `timeout` ms, naming `what` and the problems. */
export async function waitInPage(page, fn, what, timeout = 60_000) {
  for (const deadline = Date.now() + timeout; ;) {
    if (page.problems.length) throw new Error(`while waiting for ${what}:\n${page.problems.join('\n')}`);
    const value = await page.evaluate(fn).catch(() => null); // a navigation (Vite's reload) may interrupt
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} after ${timeout / 1000} s at ${page.url()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** What every <normlab-compare> on the page shows, once each has a verdict or an error:
 * [{ id, identical, error, links, styled }]. */
export async function embeds(page) {
  await waitInPage(page, () => {
    const els = [...document.querySelectorAll('normlab-compare')];
    return els.length && els.every((el) => el.shadowRoot?.querySelector('.verdict, .error'));
  }, 'a verdict in every <normlab-compare>');
  return page.$$eval('normlab-compare', (els) => els.map((el) => {
    const root = el.shadowRoot;
    const sheets = [...root.adoptedStyleSheets, ...[...root.querySelectorAll('style')].map((s) => s.sheet)];
    return {
      id: el.id,
      identical: root.querySelector('.verdict')?.dataset.identical ?? null,
      error: root.querySelector('.error')?.textContent ?? null,
      // Styles from the element's JS; a relative <link> breaks once bundled.
      links: root.querySelectorAll('link[rel=stylesheet]').length,
      styled: sheets.reduce((n, s) => n + (s?.cssRules.length ?? 0), 0) > 0,
    };
  }));
}

/** The consumer app's result (consumer/check.js), asserted: both wasm builds
 * loaded and each LayerNorm within float32 rounding of the app's float64 one. */
export function assertLayerNorm(result, where) {
  assert.equal(result.error, undefined, `${where}: the app's normlab call failed:\n${result.error}`);
  assert.deepEqual(result.runs.map((r) => r.simd), [true, false], `${where}: the default build is SIMD, { simd: false } the scalar one`);
  for (const r of result.runs) {
    assert.deepEqual(r.shape, [3, 8], where);
    assert.ok(r.maxErr < 1e-5, `${where}, simd=${r.simd}: max error ${r.maxErr} against float64`);
  }
}

/** The consumer page (consumer/index.html) asserted: the library's numbers,
 * both elements' verdicts with the element's own styles, and no problem. */
export async function assertConsumerPage(page, where) {
  assertLayerNorm(await waitInPage(page, () => window.normlabResult, "the app's LayerNorm"), where);
  assert.deepEqual(await embeds(page), [
    { id: 'equal', identical: 'true', error: null, links: 0, styled: true },
    { id: 'different', identical: 'false', error: null, links: 0, styled: true },
  ], where);
  assert.deepEqual(page.problems, [], where);
}
