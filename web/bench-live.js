// The page's small live benchmark (on request only): normlab SIMD vs scalar
// wasm vs a plain-JS two-pass implementation, on the current tensor.
import { loadNormlab } from '../src/core.js'; // the loader and ops, without the module classes
import { formatNumber, t } from './lab/index.js';
import { formatShapeTorch } from './lab/parse.js';
import { h } from './viz/dom.js';

// Plain JS, two passes per group (mean, then variance), float64 accumulation.
function jsNorm(x, y, groups, n, eps = 1e-5) {
  for (let g = 0; g < groups; g++) {
    const o = g * n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[o + i];
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) { const d = x[o + i] - mean; sq += d * d; }
    const r = 1 / Math.sqrt(sq / n + eps);
    for (let i = 0; i < n; i++) y[o + i] = (x[o + i] - mean) * r;
  }
}

/** Median time per call of fn, in ms, over 7 samples. Each sample runs batches
 * of 16 calls until at least 3 ms have passed, so the browser's coarse clock
 * (0.1 ms steps) and a stall during calibration cannot give a 0. */
function median(fn) {
  for (let r = 0; r < 50; r++) fn(); // warm up the JIT
  const times = [];
  let runs = 0;
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    let n = 0, t;
    do {
      for (let r = 0; r < 16; r++) fn();
      n += 16;
    } while ((t = performance.now()) - t0 < 3);
    times.push((t - t0) / n);
    runs += n;
  }
  times.sort((a, b) => a - b);
  return { ms: times[3], runs };
}

/** Both ops as (groups, n): LayerNorm over the last dim and InstanceNorm
 * over each (n, c) plane of (N, C, *) (unbatched (C, L) counts as N = 1). */
function ops(shape) {
  const size = shape.reduce((a, b) => a * b, 1), last = shape[shape.length - 1];
  const list = [{ name: 'LayerNorm', groups: size / last, n: last, run: (nl, x, y) => nl.layerNorm(x, last, { out: y, eps: 1e-5 }) }];
  if (shape.length >= 2) {
    const nc = shape.length === 2 ? [1, shape[0]] : shape.slice(0, 2);
    const ncs = [...nc, size / (nc[0] * nc[1])];
    list.push({ name: 'InstanceNorm', groups: nc[0] * nc[1], n: ncs[2], ncs,
      run: (nl, x, y) => nl.instanceNorm(x, { out: y, eps: 1e-5 }) });
  }
  return list;
}

export async function runLiveBench(shape, input) {
  const builds = [['page.bench_simd', await loadNormlab()], ['page.bench_scalar', await loadNormlab({ simd: false })]];
  const rows = [];
  for (const op of ops(shape)) {
    const opShape = op.ncs || shape;
    for (const [key, nl] of builds) {
      const x = nl.tensor(opShape, input), y = nl.tensor(opShape);
      rows.push({ op: op.name, impl: key, ...median(() => op.run(nl, x, y)) });
      x.free(); y.free();
      await new Promise((r) => setTimeout(r)); // let the page breathe between runs
    }
    const y = new Float32Array(input.length);
    rows.push({ op: op.name, impl: 'page.bench_js', ...median(() => jsNorm(input, y, op.groups, op.n)) });
  }
  return { shape, rows };
}

/** The results of runLiveBench as a table in `lang`. The results hold numbers
 * and keys only, so the page keeps them and calls this again after a
 * language switch. */
export function benchTable({ shape, rows }, lang) {
  const head = ['', t(lang, 'page.bench_col_impl'), t(lang, 'page.bench_col_median'), t(lang, 'page.bench_col_runs')];
  return h('div', null, h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t(lang, 'page.bench_title') }, h('table', { class: 'bench' },
    h('thead', null, h('tr', null, head.map((c) => h('th', { text: c })))),
    h('tbody', null, rows.map((r) => h('tr', null, h('td', { class: 'text', text: r.op }), h('td', { class: 'text', text: t(lang, r.impl) }),
      h('td', { text: `${formatNumber(r.ms * 1000, 3)} µs` }), h('td', { text: formatNumber(r.runs) })))))),
  h('p', { class: 'muted', text: t(lang, 'page.bench_note', { shape: formatShapeTorch(shape) }) }));
}
