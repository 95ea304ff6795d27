// normlab from its tarball in a new user's app, built by each bundler with its
// plain configuration (no normlab-specific option, no copy step): esbuild,
// Vite (build and dev server), webpack 5 and Rollup + node-resolve. Each build
// is served on localhost (web/serve.js, under its strict CSP) and opened in
// Chromium: the app's LayerNorm (both wasm builds) against its own float64
// one, both elements' verdicts, and no failed request or console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setup } from '../browser/helpers.js';
import { start } from '../../web/serve.js';
import { assertConsumerPage, bin, stopServer, ensureBundlers, freshConsumer, run, sizes, watchedPage } from './helpers.js';

let env;
before(async () => {
  await ensureBundlers();
  env = await setup();
}, { timeout: 900_000 });
after(async () => { await env?.close(); });

/** Serve `dir` on a free port, open it, assert the consumer page, close both. */
async function checkServed(t, dir, where, build) {
  const server = await start(0, { quiet: true, root: dir });
  try {
    const page = await watchedPage(env.context);
    await page.goto(`http://localhost:${server.address().port}/`);
    await assertConsumerPage(page, where);
    await page.close();
  } finally {
    await stopServer(server);
  }
  const s = sizes(dir);
  t.diagnostic(`${where}: built in ${(build.ms / 1000).toFixed(1)} s; ${s.files} JS/wasm/CSS files, ${s.bytes} B, ${s.gzip} B gzip`);
}

/** The consumer's index.html into the build's output folder (for the bundlers that do not emit one). */
function copyIndex(app, transform = (html) => html) {
  writeFileSync(join(app, 'dist', 'index.html'), transform(readFileSync(join(app, 'index.html'), 'utf8')));
}

test('esbuild --bundle --platform=browser --format=esm', async (t) => {
  const app = await freshConsumer('esbuild');
  const build = await run(bin('esbuild'), ['main.js', '--bundle', '--platform=browser', '--format=esm', '--outdir=dist'], { cwd: app });
  copyIndex(app);
  await checkServed(t, join(app, 'dist'), 'esbuild', build);
});

test('vite build', async (t) => {
  const app = await freshConsumer('vite-build');
  const build = await run(bin('vite'), ['build'], { cwd: app });
  await checkServed(t, join(app, 'dist'), 'vite build', build);
});

test('webpack 5 (entry, output, mode production)', async (t) => {
  const app = await freshConsumer('webpack');
  const build = await run(bin('webpack'), [], { cwd: app });
  // webpack's output is a classic script.
  copyIndex(app, (html) => html.replace('<script type="module" src="./main.js">', '<script defer src="./main.js">'));
  await checkServed(t, join(app, 'dist'), 'webpack', build);
});

test('rollup -c with @rollup/plugin-node-resolve', async (t) => {
  const app = await freshConsumer('rollup');
  const build = await run(bin('rollup'), ['-c'], { cwd: app });
  copyIndex(app);
  await checkServed(t, join(app, 'dist'), 'rollup', build);
});

const freePort = () => new Promise((ok, fail) => {
  const s = createServer().listen(0, () => { const { port } = s.address(); s.close(() => ok(port)); }).on('error', fail);
});

test('the Vite dev server (with its dependency pre-bundling)', async () => {
  const app = await freshConsumer('vite-dev');
  const port = await freePort();
  // Its own process group, so that stopping it stops its workers too.
  const vite = spawn(bin('vite'), ['--port', String(port), '--strictPort', '--host', 'localhost'], {
    cwd: app, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  vite.stdout.on('data', (c) => { output += c; });
  vite.stderr.on('data', (c) => { output += c; });
  try {
    const base = `http://localhost:${port}/`;
    for (const deadline = Date.now() + 60_000; ;) {
      if (vite.exitCode != null) throw new Error(`vite exited (${vite.exitCode}):\n${output}`);
      if (await fetch(base).then((r) => r.ok, () => false)) break;
      if (Date.now() > deadline) throw new Error(`the Vite dev server did not answer within 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const page = await watchedPage(env.context);
    await page.goto(base);
    try {
      await assertConsumerPage(page, 'vite dev');
      // normlab came through Vite's dependency optimizer (the case that moved core.js away from its wasm).
      assert.ok(page.requests.some((u) => /\/node_modules\/\.vite\/deps\/normlab.*\.js/.test(u)), page.requests.join('\n'));
    } catch (e) {
      e.message += `\nvite's output:\n${output.trim().split('\n').slice(-30).join('\n')}`;
      throw e;
    }
    await page.close();
  } finally {
    try { process.kill(-vite.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
});
