// Turns the measured medians into the markdown of bench/results.md: times
// and GB/s per variant, the ratios the issue sets targets for, and a line per
// missed target with the figures that explain it.
import { BACKWARD_VARIANTS, VARIANTS } from './variants.js';

const LARGE = 1 << 18; // elements (1 MiB of float32): "large" for the SIMD target

const fmtTime = (ms) => {
  const us = ms * 1e3;
  if (us >= 1e4) return `${(us / 1e3).toFixed(1)} ms`;
  return `${us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2)} µs`;
};
// Bytes moved: the input read once and the output written once.
const gbps = (size, ms) => (8 * size) / (ms * 1e6);
const fmtRatio = (r) => `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;

/** The targets of issue 4: [name, applies(case), value(times, case), ok(value)]. */
const TARGETS = [
  {
    name: 'array API vs onnxruntime-web', column: 'onnxruntime-web ÷ array API',
    goal: (c) => (c.op === 'layerNorm' ? 5 : 2.5),
    describe: (c) => `≥ ${c.op === 'layerNorm' ? 5 : 2.5}×`,
    value: (t) => t.ort / t.array, ok: (v, goal) => v >= goal,
    why: (t, c) => `the array API spends ${pct((t.array - t.memory) / t.array)} of its ${fmtTime(t.array)} ` +
      `outside the in-memory call (copying x in and y out); onnxruntime-web runs at ` +
      `${gbps(c.size, t.ort).toFixed(1)} GB/s, the read-once bound at ${gbps(c.size, t.bound1).toFixed(1)} GB/s`,
  },
  {
    name: 'in-memory API (prepared) vs read-2x-write-1x bound', column: 'prepared ÷ bound (read 2x)',
    goal: () => 1.5, describe: () => '≤ 1.5×',
    value: (t) => t.prepared / t.bound2, ok: (v, goal) => v <= goal,
    why: (t, c) => `${c.layout.rows} groups of ${c.layout.n} floats: in-memory, prepared ` +
      `${fmtTime(t.prepared)} (${(1e6 * t.prepared / c.layout.rows).toFixed(0)} ns per group; ` +
      `${fmtTime(t.memory)} through the op's own call) vs bound ` +
      `${fmtTime(t.bound2)} (${(1e6 * t.bound2 / c.layout.rows).toFixed(0)} ns per group)`,
  },
  {
    name: 'SIMD vs scalar (large shapes)', column: 'scalar ÷ SIMD',
    applies: (c) => c.size >= LARGE,
    goal: () => 2.5, describe: () => '≥ 2.5×',
    value: (t) => t.scalar / t.memory, ok: (v, goal) => v >= goal,
    why: (t, c) => `SIMD at ${gbps(c.size, t.memory).toFixed(1)} GB/s, scalar at ` +
      `${gbps(c.size, t.scalar).toFixed(1)} GB/s, the read-2x bound at ${gbps(c.size, t.bound2).toFixed(1)} GB/s`,
  },
  {
    name: 'in-memory LayerNorm [8,768] per call', column: 'in-memory time (op call / prepared)',
    applies: (c) => c.label === 'layerNorm [8,768]',
    goal: () => 2e-3, describe: () => '≤ 2 µs',
    value: (t) => Math.max(t.memory, t.prepared), ok: (v, goal) => v <= goal,
    format: (v, t) => `${fmtTime(t.memory)} / ${fmtTime(t.prepared)}`,
    why: (t, c) => `the read-2x bound takes ${fmtTime(t.bound2)}; in-memory runs at ` +
      `${gbps(c.size, t.memory).toFixed(1)} GB/s, the bound at ${gbps(c.size, t.bound2).toFixed(1)} GB/s`,
  },
];

const pct = (f) => `${(100 * f).toFixed(0)}%`;

/** Each target's verdict for one result, or null where it does not apply. */
function verdicts({ c, times }) {
  return TARGETS.map((target) => {
    if (target.applies && !target.applies(c)) return null;
    const value = target.value(times, c);
    if (!Number.isFinite(value)) return { target, value, met: false, text: 'n/a' };
    const met = target.ok(value, target.goal(c));
    const shown = (target.format ?? fmtRatio)(value, times);
    return { target, value, met, text: `${shown} ${met ? 'met' : '**missed**'} (${target.describe(c)})` };
  });
}

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i ? '---:' : ':---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/**
 * results: [{ c, times: {id: ms}, diffs: {id: max|diff|}, errors: {id: message} }]
 * machine: { node, cpus, cpuModel, date, ort, settings }
 */
export function renderReport(results, machine, affine) {
  const ids = VARIANTS.map((v) => v.id).filter((id) => results.some((r) => id in r.times || id in r.errors));
  const title = (id) => VARIANTS.find((v) => v.id === id).title;
  const cell = (r, id) => {
    if (r.errors[id]) return `**${r.errors[id]}**`;
    const ms = r.times[id];
    return ms === undefined ? '–' : `${fmtTime(ms)} · ${gbps(r.c.size, ms).toFixed(1)} GB/s`;
  };
  const timesTable = table(['shape', ...ids.map(title)], results.map((r) => [r.c.label, ...ids.map((id) => cell(r, id))]));

  const allVerdicts = results.map((r) => ({ r, v: verdicts(r) }));
  const fmtDiff = (d) => (d === undefined ? '–' : d.toExponential(1));
  const ratioTable = table(
    ['shape', ...TARGETS.map((t) => t.column), 'max |diff| vs plain JS: normlab / ORT'],
    allVerdicts.map(({ r, v }) => [
      r.c.label, ...v.map((x) => x?.text ?? ''),
      `${fmtDiff(Math.max(...['array', 'memory', 'prepared', 'scalar'].map((id) => r.diffs[id] ?? 0)))} / ${fmtDiff(r.diffs.ort)}`,
    ]),
  );
  const misses = allVerdicts.flatMap(({ r, v }) => v.filter((x) => x && !x.met).map((x) =>
    `- ${r.c.label}: ${x.target.name} ${x.text} — ${Number.isFinite(x.value) ? x.target.why(r.times, r.c) : 'not measured'}`));

  const spreads = results.flatMap((r) => Object.entries(r.spreads ?? {}).map(([id, x]) => ({ x, where: `${title(id)}, ${r.c.label}` })))
    .sort((a, b) => a.x - b.x);
  const spreadLine = spreads.length ? `Spread of the rounds (interquartile range ÷ median) per figure: ` +
    `median ${pct(spreads[spreads.length >> 1].x)}, largest ${pct(spreads.at(-1).x)} (${spreads.at(-1).where}).` : '';

  return [
    '# normlab benchmark results',
    '',
    `Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, ${machine.date}; ` +
      `onnxruntime-web ${machine.ort}. ${machine.settings} ${spreadLine}`,
    '',
    'Median time per call, and GB/s counting the input read once plus the output written once ' +
      '(4 bytes each per element). Every variant computes the same normalization (eps 1e-5) and was ' +
      'checked against plain JS before timing. ' + (affine
      ? 'With random weight and bias (RMSNorm: weight) on every op (`--affine`).'
      : 'Without weight and bias, as the issue\'s `nl.layerNorm(x, [768], {out: y})`; the ONNX models, ' +
        'which require them, get weight 1 and bias 0. `node bench/bench.js --affine` measures random ' +
        'weight and bias (bench/results-affine.md).'),
    '',
    timesTable,
    '',
    '## Targets',
    '',
    ratioTable,
    '',
    misses.length ? ['Missed targets, with the figures behind them:', '', ...misses].join('\n') : 'All targets met.',
    '',
    '## How each variant gets its buffers',
    '',
    ...VARIANTS.filter((v) => ids.includes(v.id)).map((v) => `- **${v.title}**: ${v.alloc}.`),
    '',
  ].join('\n');
}

/** Issue 15's targets for the backward: [column, goal, value(times), ok]. */
const BACKWARD_TARGETS = [
  { column: 'in-memory (saved) ÷ bound', describe: '≤ 1.5×', value: (t) => t.memory / t.bound, ok: (v) => v <= 1.5 },
  { column: 'prepared ÷ bound', describe: null, value: (t) => t.prepared / t.bound },
  { column: 'recomputed ÷ bound', describe: null, value: (t) => t.recomputed / t.bound },
  { column: 'plain JS ÷ array API', describe: '≥ 5×', value: (t) => t.plain / t.array, ok: (v) => v >= 5 },
  { column: 'plain JS ÷ array API, saved', describe: null, value: (t) => t.plain / t.arraySaved },
  { column: 'tfjs-wasm ÷ array API', describe: '> 1×', value: (t) => t.tfjs / t.array, ok: (v) => v > 1, needs: 'tfjs' },
  { column: 'scalar ÷ SIMD (in-memory)', describe: null, value: (t) => t.scalar / t.memory },
];

/** The backward section: times per variant and the ratios issue 15 sets targets for. */
export function renderBackwardReport(results, machine, affine) {
  const ids = BACKWARD_VARIANTS.map((v) => v.id).filter((id) => results.some((r) => id in r.times || id in r.errors));
  const title = (id) => BACKWARD_VARIANTS.find((v) => v.id === id).title;
  const cell = (r, id) => (r.errors[id] ? `**${r.errors[id]}**` : r.times[id] === undefined ? '–' : fmtTime(r.times[id]));
  const ratio = (r, t) => {
    if (t.needs && !(t.needs in r.times || t.needs in r.errors)) return '–'; // not run on this shape
    const v = t.value(r.times);
    if (!Number.isFinite(v)) return 'n/a';
    return t.ok ? `${fmtRatio(v)} ${t.ok(v) ? 'met' : '**missed**'} (${t.describe})` : fmtRatio(v);
  };
  const worst = (r) => Math.max(...Object.values(r.diffs), 0).toExponential(1);
  return [
    '## Backward passes (issue 15)',
    '',
    `${machine.settings} Median time per call of the gradients of each shape's forward call ` +
      `(eps 1e-5; BatchNorm in training, on its batch statistics), with a random upstream gradient in [-1, 1); ` +
      (affine ? 'with random weight and bias, so gradWeight and gradBias too. '
        : 'without weight and bias, so only gradInput. ') +
      'Every variant was checked against the plain-JS float64 backward before timing (worst |diff| relative ' +
      'to each gradient\'s max(1, max |value|)). tfjs-core and tfjs-backend-wasm: ' +
      `${machine.tfjs}; a dash: no tfjs composition of that op measured.`,
    '',
    table(['shape', ...ids.map(title)], results.map((r) => [r.c.label, ...ids.map((id) => cell(r, id))])),
    '',
    table(['shape', ...BACKWARD_TARGETS.map((t) => t.column), 'max |diff| vs plain JS'],
      results.map((r) => [r.c.label, ...BACKWARD_TARGETS.map((t) => ratio(r, t)), worst(r)])),
    '',
    ...BACKWARD_VARIANTS.filter((v) => ids.includes(v.id)).map((v) => `- **${v.title}**: ${v.alloc}.`),
    '',
  ].join('\n');
}
