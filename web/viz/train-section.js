// The training lab, for the page (controls, race, gradient norms, sweep) and
// for <normlab-compare view="train"> (compact: the race alone). The settings
// are web/lab/train-fields.js's; the training is src/train/race.js's (passed
// in as `engine`, so the page loads it when the section is shown), run in
// slices by its runSliced so that the page never blocks for long. A slice asks
// for a redraw, which the next animation frame makes, updating the plots in
// place (train-plots.js).
import { h, fill, fmt } from './dom.js';
import { t } from '../lab/i18n.js';
import { errorText } from './experiment.js';
import {
  ACTIVATION_NAMES, BN_STATS, OPTIMIZER_NAMES, REFUSED_NORM, SWEEP_BATCH_SIZES, TRAIN_FIELD, TRAIN_NORMS,
  crossFieldProblems, raceSettings,
} from '../lab/train-fields.js';
import { DATASET_NAMES } from '../../src/train/data.js';
import { CHART_WIDTH, lineChart, normSwatch, regionsView } from './train-plots.js';

const NORM_LABEL = {
  none: 'train.norm_none', batch_norm: 'train.norm_batch', layer_norm: 'train.norm_layer',
  group_norm: 'train.norm_group', rms_norm: 'train.norm_rms', instance_norm: 'train.norm_instance',
};
const CHOICE_LABEL = {
  spirals: 'train.ds_spirals', circles: 'train.ds_circles', xor: 'train.ds_xor', blobs: 'train.ds_blobs',
  relu: 'train.act_relu', tanh: 'train.act_tanh', sgd: 'train.opt_sgd', adam: 'train.opt_adam',
  eval: 'train.bn_eval', train: 'train.bn_train',
};
// The regions of one model cost a forward pass over RESOLUTION^2 points (about
// 5 ms at 24, measured in Chromium): one model per task, never all in one.
const REGIONS_RESOLUTION = 24;
const REGIONS_EVERY_MS = 150; // while training: the next model's regions, at most this often
// runSliced's budget per slice (its default is 12 ms): a slice's task is this
// plus at most one step's overrun (the default race's step: ~5 ms); the
// redraw is a task of its own.
const SLICE_MS = 8;
const CURVES_EVERY_MS = 100; // while training: the curves redrawn at most this often (each redraw is also a repaint)
const TABLES_EVERY_MS = 1000; // the table view, while it is open and the race runs
const TABLE_ROWS = 10; // sampled steps in the table view (and the first)
const SMOOTHING = 0.9; // the curves of per-batch numbers: an exponential moving average over about 10 steps

// The smoothed copy of a history array (which only grows, or is replaced on a
// reset), extended where it was left: TensorBoard's debiased moving average,
// so that the first steps are not pulled towards 0.
const smoothCache = new WeakMap();
function smoothed(values) {
  let c = smoothCache.get(values);
  if (!c) smoothCache.set(values, c = { out: [], avg: 0 });
  for (let i = c.out.length; i < values.length; i++) {
    c.avg = SMOOTHING * c.avg + (1 - SMOOTHING) * values[i];
    c.out.push(c.avg / (1 - SMOOTHING ** (i + 1)));
  }
  return c.out;
}

/**
 * opts: { lang, train (the settings, edited in place), engine ({ Race, Sweep,
 * runSliced }), nl, compact, onChange(train, url) (after a control's edit;
 * url: the field's link name), id (the prefix of its element ids), narrow (a
 * phone's width: charts drawn for it) }.
 * Returns { el, setLang(lang), setNarrow(narrow), stop(), reload(train) }.
 */
export function trainSection({ lang, train, engine, nl, compact = false, onChange = () => {}, id = 'train', narrow = false }) {
  const el = h('div', { class: ['train', compact && 'compact'] });
  const errors = new Map(); // field name -> LabError of its control's text
  const typed = {}; // field name -> the text last typed in its control (kept across a language switch)
  let race = null, runner = null;
  let sweep = null, sweepRunner = null;
  let ctl = null; // the controls of the last render: { inputs, errors } by field name
  let v = null; // the race's views of the last render
  let raceBox = null;
  let lastRegions = 0, nextRegion = 0, lastTables = 0, lastCurves = 0;
  const staleRegions = new Set(); // models whose regions are out of date while no race runs
  let regionsTimer = 0;
  let timer = 0;
  let engineError = null; // what the race refused, if it did (a bad setting the fields let through)

  const label = (name) => t(lang, TRAIN_FIELD[name].label);
  const chartWidth = () => CHART_WIDTH[narrow ? 'narrow' : 'wide'];
  const normName = (norm) => t(lang, NORM_LABEL[norm]);
  const announce = (key, params) => { if (v) v.live.textContent = t(lang, key, params); };
  // A list in the language's punctuation ("a, b, c"; "a、b、c"), for the plots' descriptions.
  const list = (items) => new Intl.ListFormat(lang, { type: 'conjunction', style: 'narrow' }).format(items);
  const sentences = (parts) => parts.join(lang === 'zh' ? '' : ' '); // Chinese sets no space after 。

  // ---- settings ----
  // What stops the sweep (every field), or with forRace the race (all but the
  // sweep's own field); the checks between fields once each field reads.
  function problems(forRace = false) {
    const list = [...errors].filter(([field]) => !(forRace && field === 'sweepExamples')).map(([field, error]) => ({ field, error }));
    return list.some((p) => p.field !== 'sweepExamples') ? list : [...list, ...crossFieldProblems(train)];
  }

  function edited(name, text, { now = false } = {}) {
    const f = TRAIN_FIELD[name];
    typed[name] = text;
    try { train[name] = f.parse(text); errors.delete(name); } catch (e) { errors.set(name, e); }
    showErrors();
    onChange(train, f.url);
    if (name === 'bnStats') { redraw({ full: true }); return; }
    if (name === 'sweepExamples') { resetSweep(); return; }
    // The race on the old settings stops at once; the new one is made when the typing pauses.
    clearTimeout(timer);
    runner?.stop(); runner = null; race = null;
    drawButtons();
    if (now) newRace(); else timer = setTimeout(newRace, 250);
  }

  function showErrors() {
    if (!ctl) return;
    const shown = new Map(problems().map((p) => [p.field, p.error]));
    for (const [name, p] of Object.entries(ctl.errors)) {
      const e = shown.get(name);
      p.textContent = e ? errorText(lang, e) : '';
      ctl.inputs[name]?.setAttribute('aria-invalid', e ? 'true' : 'false');
    }
    if (v?.sweep) drawSweep();
  }

  // ---- the race ----
  function newRace() {
    runner?.stop(); runner = null;
    resetSweep();
    race = null;
    if (problems(true).length === 0) {
      try { race = new engine.Race(nl, raceSettings(train)); engineError = null; } catch (e) { engineError = e; }
    }
    if (v) renderRace();
  }

  function toggleRun() {
    if (!race) return;
    if (runner?.running) { runner.pause(); announce('train.said_paused', { step: race.step }); }
    else if (runner && !race.done) { sweepRunner?.pause(); runner.resume(); announce('train.said_resumed', { step: race.step }); }
    else {
      if (race.done) { race.reset(); lastRegions = 0; }
      sweepRunner?.pause();
      const own = runner = engine.runSliced(race, { budgetMs: SLICE_MS, onSlice: () => { if (runner === own) redrawSoon(); } });
      own.done.then(() => {
        if (runner !== own || !race.done) return;
        redraw({ full: true });
        announce('train.said_done', { steps: race.step });
      }, (e) => { // the engine failed mid-race: say so where the race is, and stop there
        if (runner !== own) return;
        engineError = e;
        if (v) v.engineError.textContent = errorText(lang, e);
        redraw({ full: true });
      });
      announce('train.said_started');
    }
    redraw({ full: true });
    if (v?.sweep) drawSweep(); // a sweep the race paused says so
  }

  function resetRace() {
    runner?.stop(); runner = null;
    if (race) { race.reset(); lastRegions = 0; }
    renderRace();
    announce('train.said_reset');
  }

  // ---- the sweep ----
  function resetSweep() {
    sweepRunner?.stop(); sweepRunner = null; sweep = null;
    if (v?.sweep) drawSweep();
  }

  function toggleSweep() {
    if (problems().length) return;
    if (sweepRunner?.running) { sweepRunner.pause(); drawSweep(); announce('train.said_sweep_paused'); return; }
    if (runner?.running) runner.pause();
    if (sweepRunner && !sweep.done) { sweepRunner.resume(); drawSweep(); drawButtons(); announce('train.said_sweep_resumed'); return; }
    try {
      sweep = new engine.Sweep(nl, raceSettings(train), { batchSizes: SWEEP_BATCH_SIZES, examples: train.sweepExamples });
    } catch (e) { v.sweep.error.textContent = errorText(lang, e); return; }
    const own = sweepRunner = engine.runSliced(sweep, { budgetMs: SLICE_MS, onSlice: () => { if (sweepRunner === own) redrawSoon(drawSweep); } });
    own.done.then(() => { if (sweepRunner === own && sweep.done) { drawSweep(); announce('train.said_sweep_done'); } },
      (e) => { if (sweepRunner === own && v?.sweep) { v.sweep.error.textContent = errorText(lang, e); drawSweep(); } });
    announce('train.said_sweep_started');
    drawSweep();
    redraw({ full: true });
  }

  // ---- building the views ----
  function control(name, input, hint) {
    const errorP = h('p', { class: 'error', id: `${id}-${name}-error`, role: 'alert' });
    input.id = `${id}-${name}`;
    input.setAttribute('aria-describedby', `${id}-${name}-error${hint ? ` ${id}-${name}-hint` : ''}`);
    ctl.inputs[name] = input;
    ctl.errors[name] = errorP;
    return h('div', { class: 'field train-field' },
      h('label', { for: input.id, text: label(name) }), input,
      hint ? h('span', { class: 'hint', id: `${id}-${name}-hint`, text: hint }) : null, errorP);
  }

  function select(name, choices) {
    return control(name, h('select', { on: { change: (e) => edited(name, e.target.value, { now: true }) } },
      choices.map((c) => h('option', { value: c, selected: train[name] === c, text: t(lang, CHOICE_LABEL[c]) }))));
  }

  function text(name, hint, attrs = {}) {
    const f = TRAIN_FIELD[name];
    return control(name, h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', ...attrs,
      value: typed[name] ?? f.format(train[name]),
      on: { input: (e) => edited(name, e.target.value) } }), hint);
  }

  function normBoxes() {
    const errorP = h('p', { class: 'error', id: `${id}-norms-error`, role: 'alert' });
    ctl.errors.norms = errorP;
    const chosen = new Set(typed.norms !== undefined ? typed.norms.split(',') : train.norms);
    const boxes = [...TRAIN_NORMS, REFUSED_NORM].map((norm) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: norm, checked: chosen.has(norm), 'aria-describedby': errorP.id,
        on: { change: () => {
          edited('norms', [...el.querySelectorAll(`input[name="${id}-norms"]:checked`)].map((b) => b.value).join(','), { now: true });
        } }, name: `${id}-norms` }),
      norm === REFUSED_NORM ? null : normSwatch(norm), ' ', normName(norm)));
    return h('fieldset', { class: 'field train-norms' }, h('legend', { text: label('norms') }), boxes, errorP);
  }

  function controls() {
    return h('div', { class: 'train-controls' },
      h('div', { class: 'train-group' }, h('h3', { text: t(lang, 'train.data_title') }),
        select('dataset', DATASET_NAMES),
        text('noise', t(lang, 'train.hint_noise')),
        text('seed', t(lang, 'train.hint_seed'), { inputmode: 'numeric' })),
      h('div', { class: 'train-group' }, h('h3', { text: t(lang, 'train.network_title') }),
        text('hidden', t(lang, 'train.hint_hidden'), { inputmode: 'text' }),
        select('activation', ACTIVATION_NAMES),
        normBoxes(),
        text('groups', t(lang, 'train.hint_groups'), { inputmode: 'numeric' })),
      h('div', { class: 'train-group' }, h('h3', { text: t(lang, 'train.training_title') }),
        text('batchSize', t(lang, 'train.hint_batch'), { inputmode: 'numeric' }),
        select('optimizer', OPTIMIZER_NAMES),
        text('lr', t(lang, 'train.hint_lr')),
        text('steps', t(lang, 'train.hint_steps'), { inputmode: 'numeric' })));
  }

  function legend(norms) {
    return h('ul', { class: 'legend train-legend', 'aria-label': t(lang, 'train.legend') },
      norms.map((norm) => h('li', null, normSwatch(norm), ' ', normName(norm))));
  }

  function bnToggle() {
    const name = `${id}-bnstats`;
    const hint = h('span', { class: 'hint', text: t(lang, 'train.hint_bn_stats') });
    return h('fieldset', { class: 'train-bn' }, h('legend', { text: label('bnStats') }),
      BN_STATS.map((value) => h('label', { class: 'check' },
        h('input', { type: 'radio', name, value, checked: train.bnStats === value, on: { change: () => edited('bnStats', value) } }),
        ' ', t(lang, CHOICE_LABEL[value]))), hint);
  }

  // Everything, in the current language: the controls once, then the race's views.
  function render() {
    ctl = { inputs: {}, errors: {} };
    raceBox = h('div', { class: 'train-race' });
    fill(el, compact ? null : h('p', { class: 'train-intro', text: t(lang, 'train.intro') }), compact ? null : controls(), raceBox);
    renderRace();
  }

  // The race's views (a new race may race other norms: new series, new panels).
  function renderRace() {
    const norms = race ? race.settings.norms : train.norms;
    v = {};
    v.live = h('p', { class: 'train-live', role: 'status' });
    v.engineError = h('p', { class: 'error', role: 'alert', text: engineError ? errorText(lang, engineError) : '' });
    v.run = h('button', { type: 'button', class: 'train-run', on: { click: toggleRun } });
    v.reset = h('button', { type: 'button', class: 'train-reset', text: t(lang, 'train.reset'), on: { click: resetRace } });
    v.step = h('span', { class: 'train-step' });
    v.loss = lineChart({
      title: t(lang, 'train.chart_loss_title'), xLabel: t(lang, 'train.axis_step'),
      panels: [{ yLabel: t(lang, 'train.axis_loss') }, { yLabel: t(lang, 'train.axis_accuracy'), fixed: [0, 1] }],
      series: norms.map((norm) => ({ norm })), panelHeight: compact ? 110 : 140, width: chartWidth(),
    });
    v.regions = norms.map((norm, m) => {
      const view = regionsView({ title: t(lang, 'train.regions_of', { norm: normName(norm) }) });
      if (race) view.setPoints(race.dataset.train);
      const caption = h('figcaption', null, normSwatch(norm), ' ', normName(norm), h('span', { class: 'train-acc' }));
      return { view, caption, fig: h('figure', { class: 'train-region', 'data-norm': norm, 'data-model': m }, view.el, caption) };
    });
    v.grads = null;
    v.tables = h('div', { class: 'train-tables' });
    v.details = h('details', { class: 'train-numbers', on: { toggle: () => drawTables() } },
      h('summary', { text: t(lang, 'train.numbers') }), v.tables);
    v.gradBox = h('div', { class: 'train-grads' });
    const hasBn = norms.includes('batch_norm');
    const parts = [
      h('div', { class: 'train-buttons' }, v.run, v.reset, v.step), v.engineError, v.live,
      legend(norms),
      h('div', { class: 'train-main' },
        h('div', { class: 'train-curves' }, h('h3', { text: t(lang, 'train.race_title') }),
          h('p', { class: 'hint', text: t(lang, 'train.loss_hint') }),
          h('figure', { class: 'train-figure' }, v.loss.el), !compact && hasBn ? bnToggle() : null),
        h('div', { class: 'train-regions-box' }, h('h3', { text: t(lang, 'train.regions_title') }),
          h('p', { class: 'hint', text: t(lang, 'train.regions_hint') }),
          h('div', { class: 'train-regions-row' }, v.regions.map((r) => r.fig)))),
    ];
    if (!compact) {
      parts.push(h('h3', { text: t(lang, 'train.grads_title') }), h('p', { class: 'hint', text: t(lang, 'train.grads_hint') }), v.gradBox);
      parts.push(sweepView(norms));
    }
    parts.push(v.details);
    fill(raceBox, parts);
    showErrors();
    lastRegions = 0;
    redraw({ full: true });
    if (v.sweep) drawSweep();
  }

  function sweepView(norms) {
    const progressLabel = h('span', { id: `${id}-sweep-progress-label`, text: t(lang, 'train.sweep_progress') });
    v.sweep = {
      button: h('button', { type: 'button', class: 'train-sweep-run', on: { click: toggleSweep } }),
      reset: h('button', { type: 'button', class: 'train-sweep-reset', text: t(lang, 'train.sweep_reset'), on: { click: () => resetSweep() } }),
      progress: h('progress', { max: 1, value: 0, 'aria-labelledby': progressLabel.id }),
      error: h('p', { class: 'error', role: 'alert' }),
      chart: lineChart({
        title: t(lang, 'train.chart_sweep_title'), xLabel: t(lang, 'train.axis_batch'), xLog2: true,
        panels: [{ yLabel: t(lang, 'train.axis_error') }], series: norms.map((norm) => ({ norm })), panelHeight: 170, width: chartWidth(),
      }),
      norms,
    };
    const sw = v.sweep;
    return h('section', { class: 'train-sweep', 'aria-labelledby': `${id}-sweep-title` },
      h('h3', { id: `${id}-sweep-title`, text: t(lang, 'train.sweep_title') }),
      h('p', { class: 'hint', text: t(lang, 'train.sweep_hint', { sizes: SWEEP_BATCH_SIZES.join(', ') }) }),
      h('div', { class: 'train-buttons' }, sw.button, sw.reset, control('sweepExamples', h('input', {
        type: 'text', inputmode: 'numeric', autocomplete: 'off', value: TRAIN_FIELD.sweepExamples.format(train.sweepExamples),
        on: { input: (e) => edited('sweepExamples', e.target.value) } }))),
      h('p', { class: 'train-progress' }, progressLabel, ' ', sw.progress),
      sw.error, legend(norms), h('figure', { class: 'train-figure' }, sw.chart.el));
  }

  // ---- drawing ----
  const accuracyOf = (h0) => (train.bnStats === 'train' && h0.testAccTrainStats ? h0.testAccTrainStats : h0.testAcc);

  function drawRegion(m) {
    const r = v.regions[m];
    if (!r || !race) return;
    r.view.set(race.regions(m, REGIONS_RESOLUTION));
    const h0 = race.history.models[m];
    const acc = h0.testAcc.at(-1);
    r.caption.lastChild.textContent = acc === undefined ? '' : `${t(lang, 'train.acc_short', { acc: fmt(acc * 100, 3) })}`;
    r.view.describe(t(lang, 'train.regions_desc', { step: race.step, acc: acc === undefined ? '—' : fmt(acc * 100, 3) }));
  }

  function drawButtons() {
    if (!v) return;
    const running = Boolean(runner?.running);
    const state = !race ? 'off' : running ? 'running' : race.done ? 'done' : race.step > 0 ? 'paused' : 'ready';
    v.run.dataset.state = state;
    v.run.disabled = !race;
    v.reset.disabled = !race;
    v.run.textContent = t(lang, { off: 'train.start', ready: 'train.start', running: 'train.pause', paused: 'train.resume', done: 'train.again' }[state]);
    v.step.textContent = race ? t(lang, 'train.step_of', { step: race.step, steps: race.settings.steps }) : '';
  }

  function drawGrads() {
    const layers = Object.keys(race.history.models[0]?.gradNorms ?? {});
    const key = layers.join();
    if (!v.grads || v.grads.key !== key) {
      const chart = lineChart({
        title: t(lang, 'train.chart_grads_title'), xLabel: t(lang, 'train.axis_step'),
        panels: layers.map((layer) => ({ yLabel: t(lang, 'train.axis_grad', { layer }), log: true })),
        series: race.settings.norms.map((norm) => ({ norm })), panelHeight: 90, gap: 24, width: chartWidth(),
      });
      v.grads = { key, layers, chart };
      fill(v.gradBox, h('figure', { class: 'train-figure' }, chart.el));
    }
    const xs = race.history.steps;
    race.history.models.forEach((h0, j) => v.grads.layers.forEach((layer, k) => v.grads.chart.set(k, j, xs, smoothed(h0.gradNorms[layer]))));
    v.grads.chart.draw([0, race.settings.steps]);
    v.grads.chart.describe(sentences([t(lang, 'train.grads_desc', { step: race.step, layers: list(layers) }),
      ...race.history.models.map((h0) => t(lang, 'train.grads_model', { norm: normName(h0.norm),
        values: list(layers.map((l) => fmt(smoothed(h0.gradNorms[l]).at(-1) ?? NaN, 3))) }))]));
  }

  // Every model's regions, one per task (after a reset, a pause, a new race, a language switch).
  function allRegions() {
    for (let m = 0; m < v.regions.length; m++) staleRegions.add(m);
    const next = () => {
      regionsTimer = 0;
      if (runner?.running || !race) { staleRegions.clear(); return; } // the round robin of redraw() takes over
      const [m] = staleRegions;
      if (m === undefined) return;
      staleRegions.delete(m);
      drawRegion(m);
      regionsTimer = setTimeout(next, 0);
    };
    if (!regionsTimer) regionsTimer = setTimeout(next, 0);
  }

  // After a slice: the redraw waits for the next frame, so that training and
  // drawing are separate tasks (each well under 50 ms) and a hidden tab draws nothing.
  let frame = 0;
  const pending = new Set();
  function redrawSoon(draw = redraw) {
    pending.add(draw);
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const draws = [...pending];
      pending.clear();
      for (const d of draws) d();
    });
  }

  /** Called after every slice: the curves and the step (at most every CURVES_EVERY_MS), one model's
   * regions (at most every REGIONS_EVERY_MS); full: now, and every model's regions soon. */
  function redraw({ full = false } = {}) {
    if (!v) return;
    const now = performance.now();
    if (!full && runner?.running && race && !race.done && now - lastCurves < CURVES_EVERY_MS) return;
    lastCurves = now;
    drawButtons();
    if (!race) return;
    const xs = race.history.steps;
    race.history.models.forEach((h0, j) => { v.loss.set(0, j, xs, smoothed(h0.trainLoss)); v.loss.set(1, j, xs, accuracyOf(h0)); });
    v.loss.draw([0, race.settings.steps]);
    v.loss.describe(sentences([t(lang, 'train.loss_desc', { step: race.step, steps: race.settings.steps }),
      ...race.history.models.map((h0) => t(lang, 'train.model_summary', { norm: normName(h0.norm),
        loss: fmt(smoothed(h0.trainLoss).at(-1) ?? NaN, 3), acc: fmt((accuracyOf(h0).at(-1) ?? NaN) * 100, 3) }))]));
    if (!compact) drawGrads();
    if (full) { allRegions(); lastRegions = now; }
    else if (now - lastRegions >= REGIONS_EVERY_MS) {
      // A task of its own: the forward pass over the grid is the redraw's costliest part.
      const m = nextRegion;
      setTimeout(() => { if (v?.regions[m]) drawRegion(m); }, 0);
      nextRegion = (nextRegion + 1) % v.regions.length;
      lastRegions = now;
    }
    if (!v.details.open) return;
    if (!runner?.running || full) drawTables();
    // while training: in a frame of its own, so that its layout and the curves' repaint do not add up in one task
    // (the first rows at once: the view said "nothing trained yet" a second into the race)
    else if (now - lastTables >= TABLES_EVERY_MS || !shownTables?.bodies.length) { lastTables = now; redrawSoon(drawTables); }
  }

  function drawSweep() {
    const sw = v.sweep;
    if (!sw) return;
    const running = Boolean(sweepRunner?.running);
    const state = !sweep ? 'ready' : running ? 'running' : sweep.done ? 'done' : 'paused';
    sw.button.dataset.state = state;
    sw.button.disabled = problems().length > 0;
    sw.button.textContent = t(lang, { ready: 'train.sweep_run', running: 'train.sweep_pause', paused: 'train.sweep_resume', done: 'train.sweep_again' }[state]);
    sw.progress.value = sweep ? sweep.progress : 0;
    const results = sweep ? sweep.results : [];
    sw.norms.forEach((norm, j) => {
      const mine = results.filter((r) => r.norm === norm);
      sw.chart.set(0, j, mine.map((r) => r.batchSize), mine.map((r) => r.testError));
    });
    sw.chart.draw([SWEEP_BATCH_SIZES[0], SWEEP_BATCH_SIZES.at(-1)]);
    sw.chart.describe(results.length === 0 ? t(lang, 'train.sweep_empty')
      : sentences(sw.norms.map((norm) => t(lang, 'train.sweep_model', { norm: normName(norm), points: list(results.filter((r) => r.norm === norm)
        .map((r) => t(lang, 'train.sweep_point', { batch: r.batchSize, error: fmt(r.testError * 100, 3) }))) }))));
    if (state === 'done' || !running) drawTables();
  }

  // ---- the table view: every plot's numbers ----
  function tableView({ caption, head, rows }) {
    return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
      h('table', { class: 'train-table' }, h('caption', { text: caption }),
        h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col', text: c })))),
        h('tbody', null, rows.map((r) => h('tr', null, r.map((c, k) => (k === 0 ? h('th', { scope: 'row', text: c }) : h('td', { text: c }))))))));
  }

  // The tables as they are shown, by the shape they were built with: while a
  // race runs, a redraw only changes the cells' text (building ~400 new cells
  // a second, and restyling them, made the frame's task pass 50 ms).
  let shownTables = null;
  const shapeOf = (specs) => specs.map((t) => [t.caption, ...t.head, t.rows.length].join('\u0001')).join('\u0002');

  function showTables(specs) {
    const shape = shapeOf(specs);
    if (shownTables?.shape === shape && shownTables.box === v.tables) {
      specs.forEach((t, i) => t.rows.forEach((row, r) => row.forEach((text, k) => {
        const cell = shownTables.bodies[i].rows[r].cells[k];
        if (cell.textContent !== text) cell.textContent = text;
      })));
      return;
    }
    const views = specs.map(tableView);
    fill(v.tables, views.length ? views : h('p', { class: 'hint', text: t(lang, 'train.numbers_empty') }));
    shownTables = { shape, box: v.tables, bodies: views.map((w) => w.querySelector('tbody')) };
  }

  // The table's rows: step 1 and every tenth of the race's steps, those not
  // reached yet shown as "—". The same rows from the first step to the last,
  // so that while the race runs a redraw only changes the text of the cells
  // of the rows it has reached since.
  function sampledRows() {
    const total = race.settings.steps;
    const rows = new Set([0]);
    for (let k = 1; k <= TABLE_ROWS; k++) rows.add(Math.max(0, Math.round((k * total) / TABLE_ROWS) - 1));
    return [...rows].sort((a, b) => a - b);
  }

  function drawTables() {
    if (!v || !v.details.open) return;
    lastTables = performance.now();
    const specs = [];
    const num = (x) => (x === undefined ? '—' : fmt(x)); // a step not reached yet
    if (race && race.history.steps.length) {
      const models = race.history.models;
      const rows = sampledRows();
      specs.push({ caption: t(lang, 'train.chart_loss_title'),
        head: [t(lang, 'train.axis_step'), ...models.flatMap((m) => [t(lang, 'train.col_loss', { norm: normName(m.norm) }), t(lang, 'train.col_acc', { norm: normName(m.norm) })])],
        rows: rows.map((i) => [String(i + 1), ...models.flatMap((m) => [num(smoothed(m.trainLoss)[i]), num(accuracyOf(m)[i])])]) });
      if (!compact) {
        const layers = Object.keys(models[0].gradNorms);
        specs.push({ caption: t(lang, 'train.chart_grads_title'),
          head: [t(lang, 'train.axis_step'), ...models.flatMap((m) => layers.map((l) => `${normName(m.norm)} ${l}`))],
          rows: rows.map((i) => [String(i + 1), ...models.flatMap((m) => layers.map((l) => num(smoothed(m.gradNorms[l])[i])))]) });
      }
      specs.push({ caption: t(lang, 'train.regions_title'), head: [t(lang, 'train.col_model'), t(lang, 'train.col_test_acc')],
        rows: models.map((m) => [normName(m.norm), fmt(m.testAcc.at(-1))]) });
    }
    if (v.sweep && sweep && sweep.results.length) {
      const norms = v.sweep.norms;
      specs.push({ caption: t(lang, 'train.chart_sweep_title'), head: [t(lang, 'train.axis_batch'), ...norms.map((n) => t(lang, 'train.col_error', { norm: normName(n) }))],
        rows: SWEEP_BATCH_SIZES.map((b) => [String(b), ...norms.map((n) => {
          const r = sweep.results.find((x) => x.norm === n && x.batchSize === b);
          return r ? fmt(r.testError) : '—';
        })]) });
    }
    showTables(specs);
  }

  newRace();
  if (!v) render();
  return {
    el,
    setLang(next) { lang = next; render(); },
    setNarrow(next) { if (next !== narrow) { narrow = next; renderRace(); } },
    /** Stops the race and the sweep (the page's settings changed from outside, or the element left the page). */
    stop() { runner?.pause(); sweepRunner?.pause(); drawButtons(); if (v?.sweep) drawSweep(); },
    /** New settings (Back/Forward, a preset): a fresh race on them, edited in place from then on. */
    reload(next) { train = next; errors.clear(); for (const k of Object.keys(typed)) delete typed[k]; newRace(); render(); },
  };
}
