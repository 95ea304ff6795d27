// Builds dist/ from the sources with esbuild (npm run build:dist):
//   dist/normlab.js          the library alone: one self-contained minified ES
//                            module with both wasm builds inlined (for CDNs)
//   dist/normlab-compare.js  the same plus the <normlab-compare> element; it
//                            exports the library too, so a page that loads only
//                            this file can still call configure()
//   dist/normlab.cjs         the library for require() in Node
//   dist/normlab.d.cts       its types (src/normlab.d.ts, read as CommonJS)
//   dist/*.d.ts              the ES modules' types, re-exported from src/ and web/
// The output is reproducible and committed; tests/build.test.js rebuilds it
// into a temporary folder and compares bytes.
// Usage: node scripts/build-dist.mjs [OUT_DIR]   (default: dist)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const common = {
  absWorkingDir: root, bundle: true, write: true, logLevel: 'warning', legalComments: 'none', charset: 'ascii',
};
const browserModule = { ...common, format: 'esm', platform: 'browser', target: 'es2022', minify: true };

export async function buildDist(outDir = join(root, 'dist')) {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  await build({ ...browserModule, entryPoints: ['src/normlab.js'], outfile: join(out, 'normlab.js') });
  await build({
    ...browserModule, outfile: join(out, 'normlab-compare.js'),
    stdin: {
      contents: "export * from './src/normlab.js';\nexport * from './web/normlab-compare.js';\n",
      resolveDir: root, sourcefile: 'normlab-compare-entry.js',
    },
  });
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
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDist(process.argv[2]);
