// The loader with zero configuration and with configure(): which instance
// loadNormlab() gives, which one the module classes run on (the default one,
// not the last loaded), and that the library bundles for the browser with a
// plain esbuild command and runs from dist/ (ESM and require); then
// loadNormlab's options: shared instances, wasmUrl, wasmBinary, failed loads
// and bad options.
// Expected values come from the float64 reference (tests/helpers.js).
// The tests run in order: the first needs a process where nothing is loaded yet.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as normlab from '../src/normlab.js';
import { assertClose, groupNorm64, layerNorm64, sample } from './helpers.js';

const { LayerNorm, configure, loadNormlab } = normlab;
const root = new URL('..', import.meta.url).pathname;
const wasmFile = (simd) => join(root, 'wasm', simd ? 'normlab.wasm' : 'normlab-scalar.wasm');
const x = { data: sample(8, 5), shape: [2, 4] };
const want = layerNorm64(x.data, x.shape, 4).data;
const TOL = { abs: 2e-6, rel: 2e-6 }; // float32 results against the float64 reference

/** Which instance a module without a backend runs on: a WasmTensor works only on its own instance. */
function runsOn(nl) {
  const t = nl.tensor(x.shape, x.data);
  try {
    assertClose(new LayerNorm(4).forward(t).data, want, TOL, 'LayerNorm(4) on the default instance');
    return true;
  } catch (err) {
    if (/WasmTensor of another normlab instance/.test(err.message)) return false;
    throw err;
  } finally {
    t.free();
  }
}

test('before the default instance has loaded, forward() says to load it (loading another build does not count)', async () => {
  await loadNormlab({ simd: false });
  assert.throws(() => new LayerNorm(4).forward(x),
    /^Error: normlab: the module classes run on the default instance: call `await loadNormlab\(\)`/);
});

test('loadNormlab(), loadNormlab({ simd: false }), loadNormlab(): new LayerNorm(4) runs on the SIMD build', async () => {
  const simd = await loadNormlab();
  const scalar = await loadNormlab({ simd: false });
  assert.equal(await loadNormlab(), simd);
  assert.equal(simd.simd, true);
  assert.equal(scalar.simd, false);
  assert.equal(runsOn(simd), true, 'the default instance is the SIMD one');
  assert.equal(runsOn(scalar), false, 'not the last loaded (scalar) one');
});

test('configure({ simd: false }): loadNormlab() and the module classes use the scalar build; configure({}) restores', async () => {
  const simd = await loadNormlab({ simd: true });
  configure({ simd: false });
  try {
    const nl = await loadNormlab();
    assert.equal(nl.simd, false);
    assert.equal(nl, await loadNormlab({ simd: false }), 'the same instance as asking for it');
    assert.equal(await loadNormlab({ simd: true }), simd, 'an option given wins over the setting');
    assert.equal(runsOn(nl), true);
    assert.equal(runsOn(simd), false);
  } finally {
    configure({});
  }
  assert.equal(await loadNormlab(), simd);
  assert.equal(runsOn(simd), true, 'back on the SIMD build');
});

test('the settings are read a microtask after the call: configure() right after an element started loading counts', async () => {
  const loading = loadNormlab(); // as <normlab-compare> does when its module is evaluated
  configure({ simd: false }); // the app's entry module, later in the same evaluation
  try {
    assert.equal((await loading).simd, false);
  } finally {
    configure({});
  }
});

test('configure({ wasmBinary }): loaded once, the default instance; an explicit wasmBinary stays private', async () => {
  const bytes = readFileSync(wasmFile(false));
  configure({ wasmBinary: bytes });
  try {
    const nl = await loadNormlab();
    assert.equal(nl.simd, false);
    assert.equal(await loadNormlab(), nl, 'once, not once per call');
    assert.notEqual(nl, await loadNormlab({ simd: false }), 'not the bundled scalar build');
    assert.notEqual(await loadNormlab({ wasmBinary: bytes }), nl, 'an explicit wasmBinary: a private instance');
    assert.equal(runsOn(nl), true);
    assertClose(nl.layerNorm(x, 4).data, want, TOL, 'layerNorm on the configured binary');
  } finally {
    configure({});
  }
  const simd = await loadNormlab();
  assert.equal(simd.simd, true);
  assert.equal(runsOn(simd), true);
});

test('configure({ wasmUrl }): loadNormlab() loads that file; a simd or wasmUrl given replaces it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'normlab-url-'));
  copyFileSync(wasmFile(false), join(dir, 'scalar.wasm'));
  configure({ wasmUrl: pathToFileURL(join(dir, 'scalar.wasm')) });
  try {
    const nl = await loadNormlab();
    assert.equal(nl.simd, false, 'the build is the one in the file');
    assert.equal(runsOn(nl), true);
    const scalar = await loadNormlab({ simd: false });
    assert.equal(scalar.simd, false);
    assert.notEqual(scalar, nl, '{ simd: false } asks for the bundled scalar build, not the configured file');
    assert.equal((await loadNormlab({ simd: true })).simd, true, '{ simd: true } gets SIMD whatever the file holds');
    assert.equal(await loadNormlab({ wasmUrl: pathToFileURL(wasmFile(true)) }), await loadNormlab({ simd: true }),
      "an explicit wasmUrl of the package's own file is the bundled SIMD build");
    await assert.rejects(loadNormlab({ wasmUrl: pathToFileURL(join(dir, 'missing.wasm')) }), /ENOENT/);
  } finally {
    configure({});
  }
});

for (const [options, message] of [
  [{ simd: 'no' }, /^configure: simd must be true or false, got "no"$/],
  [{ wasmurl: 'x.wasm' }, /^configure: unknown option 'wasmurl'; expected one of simd, wasmUrl, wasmBinary$/],
  [{ wasmBinary: [0, 97, 115, 109] }, /^configure: wasmBinary must be an ArrayBuffer or Uint8Array, got \[0, 97, 115, 109\]$/],
  [{ wasmUrl: 42 }, /^configure: wasmUrl must be a string or a URL, got 42$/],
  ['scalar', /^configure: options must be an object, got "scalar"$/],
]) {
  test(`configure(${JSON.stringify(options)}) throws a TypeError and keeps the settings`, async () => {
    configure({ simd: false });
    try {
      assert.throws(() => configure(options), (err) => err instanceof TypeError && message.test(err.message));
      assert.equal((await loadNormlab()).simd, false, 'the earlier settings still hold');
    } finally {
      configure({});
    }
  });
}

test('the loader has no Node-only import and no asset URL for bundlers to rewrite', () => {
  for (const file of readdirSync(join(root, 'src')).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(root, 'src', file), 'utf8');
    assert.doesNotMatch(text, /(import\s*\(|from\s*)\s*['"]node:/, `src/${file} imports a node: module`);
    assert.doesNotMatch(text, /new URL\([^)]*import\.meta\.url\)/, `src/${file} has a new URL(…, import.meta.url)`);
    assert.doesNotMatch(text, /\bfetch\(\s*new URL/, `src/${file} fetches a URL of its own`);
  }
});

/** Bundle app.js with a plain esbuild command (esbuild's own stdout/stderr: warnings) into dir. */
function esbuild(app, args) {
  const dir = mkdtempSync(join(tmpdir(), 'normlab-esbuild-'));
  writeFileSync(join(dir, 'app.js'), app);
  const log = execFileSync(join(root, 'node_modules/.bin/esbuild'),
    ['app.js', '--bundle', '--platform=browser', '--format=esm', '--log-level=warning', ...args],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { dir, log };
}

const APP = `import { loadNormlab, LayerNorm } from ${JSON.stringify(join(root, 'src/normlab.js'))};
const nl = await loadNormlab();
const scalar = await loadNormlab({ simd: false });
const x = ${JSON.stringify({ data: Array.from(x.data), shape: x.shape })};
console.log(JSON.stringify({ simd: nl.simd, scalar: scalar.simd, y: Array.from(new LayerNorm(4).forward(x).data),
  ys: Array.from(scalar.layerNorm(x, 4).data) }));
`;

/** Run a script and check what APP prints. */
function checkRun(file) {
  const r = JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' }));
  assert.equal(r.simd, true);
  assert.equal(r.scalar, false);
  assertClose(r.y, want, TOL, 'LayerNorm(4) in the bundle');
  assertClose(r.ys, want, TOL, 'scalar layerNorm in the bundle');
}

test('esbuild --bundle --platform=browser --format=esm: builds with no warning, and the bundle computes', () => {
  const { dir, log } = esbuild(APP, ['--outfile=out.mjs']);
  assert.equal(log, '', 'esbuild printed nothing');
  const text = readFileSync(join(dir, 'out.mjs'), 'utf8');
  assert.doesNotMatch(text, /(import\s*\(|require\s*\()\s*['"]node:/, 'no node: module in a browser bundle');
  checkRun(join(dir, 'out.mjs')); // nothing in it is Node-specific, so Node can run it
});

test('with --splitting, the app is still one file: the builds are a static import, no chunk to wait for', () => {
  const { dir, log } = esbuild(APP, ['--splitting', '--outdir=out', '--out-extension:.js=.mjs']);
  assert.equal(log, '');
  assert.deepEqual(readdirSync(join(dir, 'out')), ['app.mjs']);
  // Both builds are in it: the builds module's payloads themselves (not a size, which the library's own
  // code moves).
  const builds = readFileSync(join(root, 'src/wasm/builds.js'), 'utf8');
  const bundle = readFileSync(join(dir, 'out/app.mjs'), 'utf8');
  for (const name of ['SIMD', 'SCALAR']) {
    const payload = new RegExp(`^export const ${name} = '([A-Za-z0-9+/=]*)';$`, 'm').exec(builds)[1];
    assert.ok(payload.length > 1000 && bundle.includes(payload), `app.mjs holds the builds module's ${name} payload`);
  }
  checkRun(join(dir, 'out/app.mjs'));
});

test('without DecompressionStream (Firefox < 113, Safari < 16.4), the bundled builds unpack through src/inflate.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'normlab-no-stream-'));
  writeFileSync(join(dir, 'app.mjs'), `delete globalThis.DecompressionStream;\n${APP}`);
  checkRun(join(dir, 'app.mjs'));
});

test('dist/normlab.js is self-contained (no import of any file) and computes, on both builds', () => {
  const text = readFileSync(join(root, 'dist/normlab.js'), 'utf8');
  assert.doesNotMatch(text, /\bimport\s*\(|\bimport\s*["'{*]|\bfrom\s*["'][./]/, 'dist/normlab.js imports nothing');
  const app = APP.replace(JSON.stringify(join(root, 'src/normlab.js')), JSON.stringify(join(root, 'dist/normlab.js')));
  const dir = mkdtempSync(join(tmpdir(), 'normlab-dist-'));
  writeFileSync(join(dir, 'app.mjs'), app);
  checkRun(join(dir, 'app.mjs'));
});

test("require('normlab') is dist/normlab.cjs: the same exports as the ES module, and it computes", async () => {
  const require = createRequire(import.meta.url);
  const cjs = require('normlab');
  assert.equal(require.resolve('normlab'), join(root, 'dist/normlab.cjs'));
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(normlab).sort());
  const nl = await cjs.loadNormlab();
  assert.equal(nl.simd, true);
  assertClose(nl.layerNorm(x, 4).data, want, TOL, 'layerNorm via require');
  assertClose(new cjs.LayerNorm(4).forward(x).data, want, TOL, 'LayerNorm(4) via require: its own default instance');
  assert.equal((await cjs.loadNormlab({ wasmUrl: pathToFileURL(wasmFile(false)) })).simd, false,
    'wasmUrl resolves the package files from dist/ too');
});

test("the CommonJS build is for Node only: a browser bundle's require('normlab') gets the ES module", async () => {
  const { build } = await import('esbuild');
  const resolved = async (platform) => {
    const { metafile } = await build({ stdin: { contents: "require('normlab');", resolveDir: root },
      bundle: true, write: false, metafile: true, platform, format: 'esm', logLevel: 'silent' });
    return Object.keys(metafile.inputs).filter((f) => /^(src|dist)\/normlab\./.test(f));
  };
  assert.deepEqual(await resolved('browser'), ['src/normlab.js']);
  assert.deepEqual(await resolved('node'), ['dist/normlab.cjs']);
});

describe('loadNormlab: options, sharing, failures', () => {
  test('the same options give the same (shared) instance; the default is SIMD where the engine has it', async () => {
    assert.equal(await loadNormlab({ simd: false }), await loadNormlab({ simd: false }));
    assert.equal(await loadNormlab(), await loadNormlab({ simd: true }));
    assert.equal(await loadNormlab({ simd: true, wasmUrl: wasmFile(true) }), await loadNormlab({ simd: true }),
      'the default file named explicitly is the same instance');
    assert.notEqual(await loadNormlab({ simd: false }), await loadNormlab({ simd: true }));
  });

  test('wasmUrl (a URL or a string) loads that file', async () => {
    const fromUrl = await loadNormlab({ simd: false, wasmUrl: wasmFile(false) });
    const fromString = await loadNormlab({ simd: false, wasmUrl: pathToFileURL(wasmFile(false)).href });
    assert.equal(fromUrl, fromString);
    assert.equal(fromUrl.simd, false);
    const x = { data: sample(10), shape: [2, 5] };
    assertClose(fromUrl.layerNorm(x, 5).data, layerNorm64(x.data, x.shape, 5).data, TOL, 'layerNorm via wasmUrl');
  });

  test('wasmBinary (ArrayBuffer or Uint8Array) gives a private instance each time', async () => {
    const bytes = readFileSync(wasmFile(true));
    const a = await loadNormlab({ wasmBinary: new Uint8Array(bytes) });
    const b = await loadNormlab({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) });
    assert.notEqual(a, b);
    assert.notEqual(a, await loadNormlab());
    const x = { data: sample(12, 2), shape: [3, 4] };
    for (const nl of [a, b]) assertClose(nl.groupNorm({ ...x, shape: [3, 4, 1] }, 2).data, groupNorm64(x.data, [3, 4, 1], 2).data, TOL, 'groupNorm via wasmBinary');
    // tensors do not cross instances
    assert.throws(() => b.layerNorm(a.tensor([3, 4]), 4), /^TypeError: layerNorm: x is a WasmTensor of another normlab instance$/);
  });

  test('a failed load rejects and may be retried', async () => {
    const missing = pathToFileURL(join(root, 'wasm/no-such-file.wasm'));
    await assert.rejects(loadNormlab({ simd: false, wasmUrl: missing }), /ENOENT/);
    await assert.rejects(loadNormlab({ simd: false, wasmUrl: missing }), /ENOENT/, 'not a cached failure');
    await assert.rejects(loadNormlab({ wasmBinary: new Uint8Array([0, 97, 115, 109]) }), WebAssembly.CompileError);
  });

  const BAD_OPTIONS = [
    [{ simd: 'no' }, /^loadNormlab: simd must be true or false, got "no"$/],
    [{ simd: 0 }, /^loadNormlab: simd must be true or false, got 0$/],
    [{ SIMD: false }, /^loadNormlab: unknown option 'SIMD'; expected one of simd, wasmUrl, wasmBinary$/],
    [{ wasmbinary: new Uint8Array(8) }, /^loadNormlab: unknown option 'wasmbinary'/],
    [{ wasmBinary: 'normlab.wasm' }, /^loadNormlab: wasmBinary must be an ArrayBuffer or Uint8Array, got "normlab\.wasm"$/],
    [{ wasmBinary: [0, 97, 115, 109] }, /^loadNormlab: wasmBinary must be an ArrayBuffer or Uint8Array, got \[0, 97, 115, 109\]$/],
    [{ wasmUrl: 42 }, /^loadNormlab: wasmUrl must be a string or a URL, got 42$/],
    [{ wasmUrl: { href: 'x' } }, /^loadNormlab: wasmUrl must be a string or a URL, got an object$/],
    ['simd', /^loadNormlab: options must be an object, got "simd"$/],
    [[true], /^loadNormlab: options must be an object, got \[true\]$/],
  ];
  for (const [options, message] of BAD_OPTIONS) {
    test(`bad options ${JSON.stringify(options)} reject with a TypeError`, async () => {
      const loading = loadNormlab(options);
      assert.ok(loading instanceof Promise, 'a promise, not a synchronous throw');
      await assert.rejects(loading, (err) => err instanceof TypeError && message.test(err.message));
    });
  }
});
