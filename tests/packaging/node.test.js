// normlab from its tarball in Node, from a consumer project: import('normlab')
// and require('normlab') each run the app's LayerNorm check (both wasm builds
// against its float64 one); import('normlab/element') does not throw where
// there is no DOM (the server build of a VitePress, Docusaurus or Astro site)
// and exports the element's class.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertLayerNorm, freshConsumer, run } from './helpers.js';

let app;
const node = async (script) => JSON.parse((await run(process.execPath, [script], { cwd: app, timeout: 60_000 })).stdout);

before(async () => { app = await freshConsumer('node'); }, { timeout: 300_000 });

test("import('normlab') in Node ESM", async () => {
  assertLayerNorm(await node('node-import.mjs'), 'node import');
});

test("require('normlab') in Node CommonJS", async () => {
  assertLayerNorm(await node('node-require.cjs'), 'node require');
});

test("import('normlab/element') in Node does not throw, defines nothing and exports NormlabCompare", async () => {
  const got = await node('node-element.mjs');
  assert.equal(got.customElements, 'undefined');
  assert.ok(got.exports.includes('NormlabCompare'), `exports: ${got.exports}`);
  assert.equal(got.NormlabCompare, 'function');
});
