// What `npm pack` ships: exactly what users need. The library (src/*.js and
// its wasm modules, types), the binaries, dist/, the docs-site plugins, LICENSE, and the element
// with the web/ modules it imports (its import graph, read by esbuild); none
// of the page's dev-only files (its server, the example docs page, the full
// page's own modules), no tests, no benchmarks, no C sources.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const packed = () => JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'],
  { cwd: root, encoding: 'utf8' }))[0].files.map((f) => f.path).sort();

/** The repository files an entry's import graph reaches. */
async function importGraph(entry) {
  const { metafile } = await build({ entryPoints: [entry], absWorkingDir: root, bundle: true, write: false,
    metafile: true, format: 'esm', platform: 'browser', logLevel: 'silent', outdir: 'unused' });
  return Object.keys(metafile.inputs);
}

test('npm pack ships the library, the binaries, dist/, the element and its imports, and nothing else', async () => {
  const files = packed();
  const ls = (dir, re) => readdirSync(join(root, dir)).filter((f) => re.test(f)).map((f) => `${dir}/${f}`);
  const web = (await importGraph('web/normlab-compare.js')).filter((f) => f.startsWith('web/'));
  const expected = [
    'LICENSE', 'README.md', 'package.json',
    ...ls('src', /\.js$/), ...ls('src/train', /\.js$/), ...ls('src/wasm', /\.js$/), 'src/normlab.d.ts',
    ...ls('wasm', /\.wasm$/), ...ls('dist', /./), ...ls('plugins', /\.(js|d\.ts)$/),
    ...web, 'web/normlab-compare.d.ts',
  ].sort();
  assert.deepEqual(files, expected, 'package.json "files" must list exactly these (the element\'s imports changed?)');
});

test('every file the exports map names is packed; the library alone reaches no web/ file', async () => {
  const files = new Set(packed());
  const targets = Object.values(pkg.exports).flatMap(function leaves(v) {
    return typeof v === 'string' ? [v] : Object.values(v).flatMap(leaves);
  });
  for (const target of targets) {
    const path = target.replace(/^\.\//, '');
    if (path.includes('*')) {
      const re = new RegExp(`^${path.replace('.', '\\.').replace('*', '[^/]+')}$`);
      assert.ok([...files].some((f) => re.test(f)), `nothing packed matches ${target}`);
    } else assert.ok(files.has(path), `${target} is named in exports but not packed`);
  }
  assert.deepEqual((await importGraph('src/normlab.js')).filter((f) => !f.startsWith('src/')), []);
});

test('sideEffects names only the element modules (the library alone reaches none, above); LICENSE is MIT', async () => {
  assert.deepEqual(pkg.sideEffects, ['./web/normlab-compare.js', './dist/normlab-compare.js']);
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  assert.match(license, /^MIT License\n\nCopyright \(c\) 2026 the normlab authors\n/);
  assert.equal(pkg.license, 'MIT');
});
