// Loading: which wasm build, from where, once per distinct source; and the
// default instance, the one the module classes run on when they are given
// no backend.  No side effects on other modules: modules.js asks for the
// default instance (defaultInstance) when it runs.

import { checkBoolean, checkOptions, describe, fail } from './checks.js';
import { Normlab } from './api.js';
import { SCALAR, SCALAR_BYTES, SIMD, SIMD_BYTES } from './wasm/builds.js';
import { inflateRaw } from './inflate.js';

// The smallest module that uses a v128 instruction: validates only where the
// engine has SIMD128 (the probe of wasm-feature-detect).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10,
  10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

// The two builds ship as one JS module (src/wasm/builds.js: each .wasm
// deflated, as base64; see scripts/wasm-modules.mjs), imported statically:
// every bundler inlines it and Node imports it, so the default needs no URL,
// no fetch, no copy step, no code-split chunk (which Rollup's output.file
// refuses) and no Node-only import.  wasmUrl/wasmBinary serve those who host
// the .wasm themselves.
// What a first result seldom needs (the scalar build: engines without SIMD128;
// the JS inflate: engines without DecompressionStream) is reached through
// later(), static here; the single-file element (scripts/build-dist.mjs)
// replaces this one line so that they come from its second file, on first use.
const later = async () => ({ SCALAR, SCALAR_BYTES, inflateRaw });
const bundledBytes = {}; // simd -> Promise of that build's bytes, inflated at its first bundled load
function bundled(simd) {
  bundledBytes[simd] ??= (simd ? Promise.resolve([SIMD, SIMD_BYTES]) : later().then((l) => [l.SCALAR, l.SCALAR_BYTES]))
    .then(([base64, size]) => inflate(fromBase64(base64), size))
    .catch((e) => { delete bundledBytes[simd]; throw e; }); // a failed second file may be retried
  return bundledBytes[simd];
}

// The engine's own DecompressionStream where it has 'deflate-raw' (Chrome 103,
// Firefox 113, Safari 16.4, Node 21.2 and 20.12): a cold JS inflate of 50 KB
// costs tens of ms on a page's first load, native a few.  src/inflate.js
// everywhere else.
async function inflate(bytes, size) {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const out = new Uint8Array(await new Response(stream).arrayBuffer());
    if (out.length === size) return out;
  } catch { /* no DecompressionStream, or no 'deflate-raw' in it */ }
  return (await later()).inflateRaw(bytes, size);
}

// In Node, the package's own .wasm files named by wasmUrl are the bundled
// builds (one instance each; a browser fetches what it is told).  The base is a variable so that bundlers do not take this for an
// asset reference and copy the files.
const MODULE_URL = import.meta.url;
const OWN_FILES = { true: '../wasm/normlab.wasm', false: '../wasm/normlab-scalar.wasm' };

const loads = new Map(); // key -> Promise<Normlab>: one instance per distinct source
const loaded = new Map(); // key -> Normlab, once loaded: what the module classes can use synchronously
let settings = {}; // configure()'s, checked
let settingsVersion = 0; // a configured wasmBinary is its own source, once per configure() call
let defaultKeyCache = null; // [settingsVersion, key]

/** True where the engine validates wasm SIMD128. */
export const simdSupported = () => WebAssembly.validate(SIMD_PROBE);

/**
 * The settings that every loadNormlab() starts from (the element's included):
 * options it is not given come from here.  Replaces earlier settings;
 * configure({}) restores the defaults.
 */
export function configure(options) {
  settings = { ...checkLoadOptions(options, 'configure') };
  settingsVersion += 1;
}

export async function loadNormlab(options) {
  const own = checkLoadOptions(options, 'loadNormlab');
  // Read the settings a microtask later: an app's configure() that runs right
  // after `import 'normlab/element'` (whose elements start loading at once) counts.
  await null;
  const source = resolveSource(own, 'loadNormlab');
  if (source.key === null) return instantiate(await source.bytes());
  if (!loads.has(source.key)) {
    const loading = source.bytes().then(instantiate);
    loading.then((nl) => loaded.set(source.key, nl), () => loads.delete(source.key)); // a failed load may be retried
    loads.set(source.key, loading);
  }
  return loads.get(source.key);
}

/** The default instance: what loadNormlab() with no options loads under the
 * current settings (not whichever instance was loaded last), or null while it
 * has not loaded. */
export function defaultInstance() {
  if (defaultKeyCache?.[0] !== settingsVersion) defaultKeyCache = [settingsVersion, resolveSource({}, 'normlab').key];
  return loaded.get(defaultKeyCache[1]) ?? null;
}

function checkLoadOptions(options, op) {
  const o = checkOptions(options, ['simd', 'wasmUrl', 'wasmBinary'], op);
  checkBoolean(o.simd, 'simd', op, undefined);
  if (o.wasmBinary != null && !(o.wasmBinary instanceof ArrayBuffer) && !ArrayBuffer.isView(o.wasmBinary)) {
    throw fail(TypeError, op, `wasmBinary must be an ArrayBuffer or Uint8Array, got ${describe(o.wasmBinary)}`);
  }
  if (o.wasmUrl != null && typeof o.wasmUrl !== 'string' && !(o.wasmUrl instanceof URL)) {
    throw fail(TypeError, op, `wasmUrl must be a string or a URL, got ${describe(o.wasmUrl)}`);
  }
  return o;
}

/**
 * Where the bytes come from, and the cache key of that source (null: a
 * private instance).  Options given win over the settings: a wasmUrl or
 * wasmBinary given replaces the configured source, and so does a simd given
 * alone (it asks for that bundled build, which a configured file may not be).
 */
function resolveSource(own, op) {
  const simd = own.simd ?? settings.simd ?? simdSupported();
  if (simd && !simdSupported()) {
    throw new Error(`${op}: this engine has no wasm SIMD128; use loadNormlab({ simd: false }) or configure({ simd: false })`);
  }
  const ownSource = own.wasmBinary != null || own.wasmUrl != null || own.simd !== undefined;
  const { wasmBinary, wasmUrl } = ownSource ? own : settings;
  if (wasmBinary != null) {
    return { key: ownSource ? null : `configured#${settingsVersion}`, bytes: async () => wasmBinary };
  }
  if (wasmUrl != null) {
    const url = new URL(String(wasmUrl), globalThis.location?.href ?? MODULE_URL);
    const bundled = url.protocol !== 'file:' ? undefined
      : [true, false].find((s) => new URL(OWN_FILES[s], MODULE_URL).href === url.href);
    if (bundled === undefined) return { key: `url|${url.href}`, bytes: () => readBytes(url) };
    return bundledSource(bundled);
  }
  return bundledSource(simd);
}

const bundledSource = (simd) => ({ key: `bundled|${simd}`, bytes: () => bundled(simd) });

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function readBytes(url) {
  // Node's fetch cannot read file: URLs.  getBuiltinModule (Node >= 20.16)
  // reads them without an import that browser bundlers would have to resolve.
  const fs = url.protocol === 'file:' ? globalThis.process?.getBuiltinModule?.('node:fs/promises') : undefined;
  if (fs) return fs.readFile(url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`loadNormlab: cannot fetch ${url.href}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function instantiate(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: { emscripten_notify_memory_growth() {} }, // views are made fresh at each use
  });
  instance.exports._initialize?.();
  // The binary says which build it is, so wasmBinary/wasmUrl cannot mislabel it.
  return new Normlab(instance.exports, instance.exports.nl_build_simd() === 1);
}
