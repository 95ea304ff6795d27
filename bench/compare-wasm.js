// A/B of kernel builds: times the raw C exports of several normlab .wasm
// files (no JS API, no copies) on the benchmark's shapes, interleaved in one
// process with the read-2x-write-1x bound, so that a kernel change can be
// judged on a busy machine.  Prints the median per call and its ratio to the
// bound (the target: <= 1.5x).
//
//   node bench/compare-wasm.js old.wasm wasm/normlab.wasm [--only=<text>] [--quick] [--affine] [--clock=cpu]
//   node bench/compare-wasm.js wasm/normlab.wasm --strategies    every visiting strategy of
//       src/strategies.inc that applies to each shape, through nl_normalize_groups_with
// (--clock=cpu times by the process's CPU time, for a machine busy with other jobs)
import { readFile } from 'node:fs/promises';
import { CASES, EPS } from './ops.js';
import { caseData } from './variants.js';
import { loadBound } from './bound.js';
import { timeInterleaved } from './timing.js';

const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('--'));
const affine = args.includes('--affine'); // as bench.js: random weight and bias, else none
const only = args.find((a) => a.startsWith('--only='))?.slice(7);
const clock = args.find((a) => a.startsWith('--clock='))?.slice(8) ?? 'wall';
const settings = { clock, ...(args.includes('--quick') ? { rounds: 5, sampleMs: 5 } : { rounds: 21, sampleMs: 10 }) };
if (files.length === 0) {
  console.error('usage: node bench/compare-wasm.js a.wasm [b.wasm ...] [--only=<text>] [--quick]');
  process.exit(2);
}

async function instantiate(file) {
  const module = await WebAssembly.compile(await readFile(file));
  // Emscripten's standalone builds import only notification hooks: no-ops.
  const env = Object.fromEntries(WebAssembly.Module.imports(module).map((i) => [i.name, () => {}]));
  const { exports } = await WebAssembly.instantiate(module, { env });
  exports._initialize?.();
  return exports;
}

/** The raw C call of case c on buffers at x, y, w, b (see src/normlab.h). */
function rawCall(k, c, x, y, w, b) {
  const [N, C] = c.shape;
  const S = c.size / (N * C);
  switch (c.op) {
    case 'layerNorm': return () => k.nl_layer_norm(x, y, c.layout.rows, c.layout.n, w, b, EPS, 0);
    case 'rmsNorm': return () => k.nl_rms_norm(x, y, c.layout.rows, c.layout.n, w, EPS, 0);
    case 'instanceNorm': return () => k.nl_instance_norm(x, y, N, C, S, w, b, 0, 0, 1, 0.1, EPS, 0);
    case 'groupNorm': return () => k.nl_group_norm(x, y, N, C, S, c.layout.rows / N, w, b, EPS, 0);
    default: throw new Error(`no raw call for ${c.op}`);
  }
}

function place(k, values) {
  const ptr = k.malloc(Math.max(values.length, 1) * 4);
  new Float32Array(k.memory.buffer, ptr, values.length).set(values);
  return ptr;
}

const STRATEGIES = [...(await readFile(new URL('../src/strategies.inc', import.meta.url), 'utf8'))
  .matchAll(/^NL_STRATEGY\(\w+, "(\w+)"/gm)].map((m) => m[1]);

/** Case c's groups as nl_normalize_groups_with takes them, or null (BatchNorm: strided). */
function groupsOf(c, affine) {
  const [N, C] = c.shape;
  const S = c.size / (N * C);
  switch (c.op) {
    case 'layerNorm': return { statistic: 0, groups: c.layout.rows, len: c.layout.n, channels: 0, plane: 0 };
    case 'rmsNorm': return { statistic: 1, groups: c.layout.rows, len: c.layout.n, channels: 0, plane: 0 };
    case 'instanceNorm':
    case 'groupNorm': return { statistic: 0, groups: c.layout.rows, len: c.layout.n, channels: affine ? C : 0, plane: S };
    default: return null;
  }
}

const kernels = await Promise.all(files.map(instantiate));
if (args.includes('--strategies')) {
  for (const [f, k] of files.map((file, i) => [file, kernels[i]])) {
    console.log(`${f}: µs per call (ratio to the read-2x-write-1x bound); - where a strategy does not apply`);
    console.log(`${'shape'.padEnd(30)} ${STRATEGIES.map((n) => n.padStart(16)).join(' ')}`);
    const bound = await loadBound();
    for (const c of CASES.filter((cs) => !only || cs.label.includes(only))) {
      const g = groupsOf(c, affine);
      if (!g) continue;
      const data = caseData(c, affine);
      const [x, y, w, b] = [place(k, data.x), place(k, new Float32Array(c.size)),
        data.w ? place(k, data.w) : 0, data.b ? place(k, data.b) : 0];
      const run = (s) => () => k.nl_normalize_groups_with(s, g.statistic, x, y, g.groups, g.len, w, b, g.channels, g.plane, EPS, 0);
      const applies = STRATEGIES.map((_, s) => run(s)() === 1);
      const bd = bound.kernels(data.x, c.layout);
      const variants = [...STRATEGIES.flatMap((_, s) => (applies[s] ? [{ run: run(s) }] : [])), { run: bd.read2write1 }];
      const stats = await timeInterleaved(variants, settings);
      const boundMs = stats.at(-1).median;
      let next = 0;
      const cells = applies.map((a) => {
        if (!a) return '-'.padStart(16);
        const m = stats[next++].median;
        return `${(m * 1e3).toFixed(1)} (${(m / boundMs).toFixed(2)}x)`.padStart(16);
      });
      console.log(`${c.label.padEnd(30)} ${cells.join(' ')}`);
      [x, y, w, b].forEach((p) => p && k.free(p));
      bd.free();
    }
  }
  process.exit(0);
}
const bound = await loadBound();
for (const c of CASES.filter((cs) => !only || cs.label.includes(only))) {
  const data = caseData(c, affine);
  const buffers = kernels.map((k) => [k, place(k, data.x), place(k, new Float32Array(c.size)),
    data.w ? place(k, data.w) : 0, data.b ? place(k, data.b) : 0]);
  const b = bound.kernels(data.x, c.layout);
  const variants = [...buffers.map(([k, ...ptrs]) => ({ run: rawCall(k, c, ...ptrs) })), { run: b.read2write1 }];
  const stats = await timeInterleaved(variants, settings);
  const boundMs = stats.at(-1).median;
  const cells = files.map((f, i) => `${f.split('/').pop()} ${(stats[i].median * 1e3).toFixed(1)} µs (${(stats[i].median / boundMs).toFixed(2)}x)`);
  console.log(`${c.label.padEnd(30)} ${cells.join('  ')}  bound ${(boundMs * 1e3).toFixed(1)} µs`);
  buffers.forEach(([k, ...ptrs]) => ptrs.forEach((p) => p && k.free(p)));
  b.free();
}
