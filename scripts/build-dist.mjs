// Builds dist/ from the sources with esbuild (npm run build:dist):
//   dist/normlab.js          the library alone: one self-contained minified ES
//                            module with both wasm builds inlined (for CDNs)
//   dist/normlab-compare.js  the <normlab-compare> element with the library and
//                            the SIMD build: all that a first verdict needs, in
//                            one request; it exports the library too, so a page
//                            that loads only this file can still call configure()
//   dist/normlab-compare-more.js  what the element seldom needs: the training
//                            lab (view="train"), the scalar build (engines
//                            without SIMD128), the JS inflate (engines without
//                            DecompressionStream); the first file imports it,
//                            relative to its own URL, on first use
//   dist/normlab.cjs         the library for require() in Node
//   dist/normlab.d.cts       its types (src/normlab.d.ts, read as CommonJS)
//   dist/*.d.ts              the ES modules' types, re-exported from src/ and web/
// The output is reproducible and committed; tests/build.test.js rebuilds it
// into a temporary folder and compares bytes.
// Usage: node scripts/build-dist.mjs [OUT_DIR]   (default: dist)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRINGS } from '../web/lab/strings.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const common = {
  absWorkingDir: root, bundle: true, write: true, logLevel: 'warning', legalComments: 'none', charset: 'ascii',
};
const browserModule = { ...common, format: 'esm', platform: 'browser', target: 'es2022', minify: true };

export const MORE = 'normlab-compare-more.js';
// The lines of the sources that reach the seldom-needed parts (static there,
// for npm and every bundler: no dynamic import, which Rollup's output.file
// refuses), and what they become in the first file.
const SEAMS = {
  'src/loader.js': ['const later = async () => ({ SCALAR, SCALAR_BYTES, inflateRaw });'],
  'web/normlab-compare.js': [
    'const fullView = async () => ({ parsePieData, pieSection, featureTable, statsTables, valuesTable });',
    'const trainView = async () => ({ trainSection, trainEngine });',
  ],
};
const lazyLine = (line) => line.replace(/= async \(\) => .*$/, `= () => import('./${MORE}');`);
// What the second file exports: the names the seams' lines take.
const MORE_ENTRY = `export { parsePieData, pieSection } from './web/viz/pie.js';
export { featureTable, statsTables, valuesTable } from './web/viz/tables.js';
export { trainSection } from './web/viz/train-section.js';
export * as trainEngine from './src/train/race.js';
export { SCALAR, SCALAR_BYTES } from './src/wasm/builds.js';
export { inflateRaw } from './src/inflate.js';
`;

/** esbuild plugin: the seams' lines import the second file, which stays
 * external; web/lab/strings.js becomes `strings` (an object of the
 * catalogue's entries) when one is given. */
const splitSeams = (strings) => ({
  name: 'normlab-seams',
  setup(b) {
    if (strings) {
      b.onLoad({ filter: /[\\/]web[\\/]lab[\\/]strings\.js$/ }, () => ({ contents: `export const STRINGS = ${JSON.stringify(strings)};\n`, loader: 'js' }));
    }
    b.onResolve({ filter: new RegExp(`^\\./${MORE.replace(/\./g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const rel = relative(root, args.path).split(sep).join('/');
      if (!(rel in SEAMS)) return undefined;
      let text = readFileSync(args.path, 'utf8');
      for (const line of SEAMS[rel]) {
        const count = text.split(line).length - 1;
        if (count !== 1) throw new Error(`${rel}: the seam line \`${line}\` is there ${count} times, not once (scripts/build-dist.mjs)`);
        text = text.replace(line, lazyLine(line));
      }
      return { contents: text, loader: 'js' };
    });
  },
});

/**
 * The entries of the string catalogue that a bundle's code can name: every
 * key it spells out in quotes, and every key that starts like one of its
 * template literals (`layer.${kind}`).  The first file carries only these
 * (the whole catalogue, 84 KB of it, would be 40 % of the file: the page's
 * and the training lab's strings are most of it); the second file, whose
 * code names the rest, bundles the whole catalogue.  tests/packaging/cdn.test.js
 * checks that the two files draw every view as the sources do.
 */
function namedStrings(code) {
  const prefixes = [...code.matchAll(/`([a-z]+\.[a-z0-9_.]*)\$\{/g)].map((m) => m[1]);
  const quoted = new Set([...code.matchAll(/(['"`])([a-z]+\.[a-z0-9_.]+)\1/g)].map((m) => m[2]));
  return Object.fromEntries(Object.entries(STRINGS).filter(([key]) => quoted.has(key) || prefixes.some((p) => key.startsWith(p))));
}

export async function buildDist(outDir = join(root, 'dist')) {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  await build({ ...browserModule, entryPoints: ['src/normlab.js'], outfile: join(out, 'normlab.js') });
  const firstFile = (strings, write) => build({
    ...browserModule, outfile: join(out, 'normlab-compare.js'), metafile: true, write, plugins: [splitSeams(strings)],
    stdin: {
      contents: "export * from './src/normlab.js';\nexport * from './web/normlab-compare.js';\n",
      resolveDir: root, sourcefile: 'normlab-compare-entry.js',
    },
  });
  // Built once without the catalogue to see which strings its code names.
  const probe = await firstFile({}, false);
  const first = await firstFile(namedStrings(probe.outputFiles[0].text), true);
  const more = await build({
    ...browserModule, outfile: join(out, MORE), metafile: true,
    stdin: { contents: MORE_ENTRY, resolveDir: root, sourcefile: 'normlab-compare-more-entry.js' },
  });
  // The second file shares no state with the first: no loader (its caches
  // and settings), no element.  What both bundle is stateless code.
  const inputs = (result) => Object.values(result.metafile.outputs)
    .flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([path]) => path));
  for (const own of Object.keys(SEAMS)) {
    if (inputs(more).includes(own)) throw new Error(`${MORE} bundles ${own}, whose state must be the first file's alone`);
  }
  // It exports every name a seam's line gives.
  const exported = Object.values(more.metafile.outputs)[0].exports;
  for (const line of Object.values(SEAMS).flat()) {
    const missing = /\(\{ (.*) \}\)/.exec(line)[1].split(', ').filter((name) => !exported.includes(name));
    if (missing.length) throw new Error(`${MORE} does not export ${missing.join(', ')}, which \`${line}\` gives`);
  }
  for (const lazy of ['web/viz/train-section.js', 'web/viz/tables.js', 'web/viz/pie.js', 'src/inflate.js']) {
    if (inputs(first).includes(lazy)) throw new Error(`normlab-compare.js bundles ${lazy}, which belongs in ${MORE}`);
  }
  await build({
    ...common, entryPoints: ['src/normlab.js'], outfile: join(out, 'normlab.cjs'),
    format: 'cjs', platform: 'node', target: 'node20', minify: true,
    // import.meta.url (where relative wasmUrls and the package's own .wasm
    // files are resolved) is this file's URL, as in the ES module.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  copyFileSync(join(root, 'src/normlab.d.ts'), join(out, 'normlab.d.cts'));
  writeFileSync(join(out, 'normlab.d.ts'), "export * from '../src/normlab.js';\n");
  writeFileSync(join(out, 'normlab-compare.d.ts'),
    "export * from '../src/normlab.js';\nexport * from '../web/normlab-compare.js';\n");
  return { first: first.metafile, more: more.metafile };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDist(process.argv[2]);
