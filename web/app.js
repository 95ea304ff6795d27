// The normlab page: controls -> web/lab (parsing, layers, verdict, state) ->
// web/viz (drawing). No framework; user text only ever goes in via textContent.
import { loadNormlab } from '../src/core.js'; // the loader and ops, without the module classes
import {
  MAX_LAYERS, MIN_LAYERS, decodeState, detectLang, encodeState, makeValues, normalizeSpec,
  parseShape, parseValues, product, t, toCSV, toJSON, formatShape, formatShapeTorch, layersText, readTorchCode, parseSeed, warningText, torchText, float32Text, MAX_ELEMENTS,
} from './lab/index.js';
import { SOURCE_CODE } from './lab/source-doc.js';
import { defaultTrain } from './lab/train-fields.js';
import { h, fill } from './viz/dom.js';
import { tensorText } from './viz/tensor-text.js';
import { layerEditor } from './viz/layer-editor.js';
import { TABLE_LIMIT, errorText, letter, runExperiment } from './viz/experiment.js';
import { headlineText, verdicts } from './viz/verdict.js';
import { codeBox, pytorchSnippet } from './viz/code.js';
import { groupsSection } from './viz/groups-section.js';
import { codeReport } from './viz/code-reader.js';
import { featureTable, statsTables, valuesTable } from './viz/tables.js';
import { pieSection } from './viz/pie.js';
import { trainSection } from './viz/train-section.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const embed = params.get('embed') === '1';
const decoded = decodeState(location.search);
const state = decoded.state;
state.train ??= defaultTrain();
// Warnings about the link's fields, kept as keys so they follow a language
// switch, each dropped once the user edits its field.
let linkWarnings = decoded.warnings;
let lang = state.lang || detectLang(navigator.languages);
let nl = null;
let exp = null;
let groups = null;
let editors = [];
// The pasted code, read (never evaluated) by readTorchCode; codeStale: the
// editors were changed after it was read, so its report no longer applies.
let program = null;
let codeStale = false;
let bench = null; // the last benchmark's results, redrawn on a language switch
let trainLab = null; // the training section (web/viz/train-section.js), once its engine has loaded
const narrow = matchMedia('(max-width: 640px)');

const PRESETS = [
  ['page.preset_equal', '?shape=2x3x4&values=random&layers=layer_norm,instance_norm'],
  ['page.preset_w_vs_2d', '?shape=1x2x3x4&values=random&layers=layer_norm,instance_norm'],
  ['page.preset_hw_vs_2d', '?shape=1x2x3x4&values=random&layers=layer_norm:3x4,instance_norm'],
  ['page.preset_source', `?${new URLSearchParams({ code: SOURCE_CODE })}`],
  ['page.preset_affine', '?shape=2x3x4&values=random&layers=layer_norm:rand=1,instance_norm:affine=1:rand=2'],
  ['page.preset_gn', '?shape=2x4x3&values=random&layers=group_norm:4,instance_norm,group_norm:2'],
];

// ---- static text ----
function translatePage() {
  document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : 'en';
  document.title = t(lang, 'app.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(lang, el.dataset.i18n, { max: MAX_ELEMENTS });
  $('lang').value = lang;
}

// ---- the tensor ----
function readTensor() {
  for (const id of ['shape-error', 'paste-error', 'seed-error']) $(id).textContent = '';
  let shape;
  try { shape = parseShape($('shape').value); } catch (e) { $('shape-error').textContent = errorText(lang, e); return null; }
  const kind = $('values').value;
  $('paste-field').hidden = kind !== 'custom';
  $('seed').closest('.seed-box').hidden = kind === 'ramp' || kind === 'custom';
  if (kind === 'custom') {
    try {
      const parsed = parseValues($('paste').value, shape);
      state.text = $('paste').value;
      if (formatShape(parsed.shape) !== formatShape(shape)) $('shape').value = parsed.shape.join(',');
      return { shape: parsed.shape, data: parsed.data };
    } catch (e) { $('paste-error').textContent = errorText(lang, e); return null; }
  }
  try { state.seed = parseSeed($('seed').value); } catch (e) { $('seed-error').textContent = errorText(lang, e); return null; }
  return { shape, data: makeValues(kind, shape, state.seed) };
}

// ---- the pasted PyTorch code ----
// Reads the box (parsed, never evaluated) and puts the x and the layers it
// builds into the tensor and layer editors, so the page computes what the
// code computes; the report then says, line by line, what torch does.
function readCode() {
  const text = $('code').value;
  state.code = text;
  codeStale = false;
  program = text.trim() ? readTorchCode(text) : null;
  drawCodeProblems();
  if (!program) return;
  const { x } = program;
  if (x) {
    state.shape = x.shape.slice();
    if (program.seed !== null) state.seed = program.seed;
    if (x.data) { state.values = 'custom'; state.text = Array.from(x.data, float32Text).join(' '); } else state.values = x.values;
  }
  const specs = program.layers.filter((l) => l.spec).map((l) => l.spec);
  if (specs.length) state.layers = specs.slice(0, MAX_LAYERS);
  fillControls();
  drawLayers();
}

// Lines the reader does not support, each with its line and column, next to the box.
function drawCodeProblems() {
  fill($('code-problems'), program ? program.problems.map((p) => h('li', { text: t(lang, p.key, p.params) })) : null);
}

// The editors were changed by hand: the code's report no longer applies.
function editedByHand() {
  if (program) codeStale = true;
}

// Each layer of the code with the experiment's run of it (null for a layer
// whose construction raised, or beyond MAX_LAYERS).
function codeRows() {
  let j = 0;
  return program.layers.map((layer) => ({ layer, ran: layer.spec && j < MAX_LAYERS ? exp.layers[j++] : null }));
}

function drawCode() {
  fill($('code-report'), program && exp ? codeReport(codeRows(), program, exp, lang, {
    stale: codeStale,
    onUseCorrected(layer) {
      // Beside the line it corrects; with MAX_LAYERS already, in the last place.
      const k = exp.layers.findIndex((l) => l.spec === layer.spec);
      const at = Math.min(k < 0 ? state.layers.length : k + 1, MAX_LAYERS - 1);
      state.layers.splice(at, state.layers.length >= MAX_LAYERS ? 1 : 0, layer.claim.correctedSpec);
      editedByHand(); drawLayers(); update();
    },
    onReadAgain() { readCode(); update(); },
  }) : null);
}

// ---- the layers ----
function drawLayers() {
  editors = state.layers.map((spec, k) => layerEditor(spec, letter(k), {
      lang, canRemove: state.layers.length > MIN_LAYERS,
      onChange(next) {
        const kindChanged = next.kind !== state.layers[k].kind;
        state.layers[k] = next;
        editedByHand(); dropWarnings('layers');
        if (kindChanged) drawLayers();
        update();
      },
      onRemove() { state.layers.splice(k, 1); editedByHand(); drawLayers(); update(); },
  }));
  fill($('layer-list'), editors.map((ed) => ed.el));
  $('add-layer').hidden = state.layers.length >= MAX_LAYERS;
}

// Each layer's PyTorch line, or why it cannot run: torch's own exception
// (where torch raises too) above the reason in the user's language.
function layerError(e) {
  return h('div', { class: 'error', role: 'alert' },
    e.torch ? h('code', { class: 'exception', text: torchText(e.torch) }) : null,
    h('p', { text: errorText(lang, e) }));
}

function showLayerCode() {
  exp.layers.forEach((l, k) => editors[k]?.showCode(l.error ? layerError(l.error)
    : codeBox(l.code, lang, t(lang, 'page.copy_name_layer', { layer: l.label }))));
}

// ---- exports ----
const blobUrls = {};
function setDownload(id, text, type) {
  if (blobUrls[id]) URL.revokeObjectURL(blobUrls[id]);
  blobUrls[id] = URL.createObjectURL(new Blob([text], { type }));
  $(id).href = blobUrls[id];
  $(id).removeAttribute('aria-disabled');
  $('export-note').textContent = '';
}

// While the current input fails there is nothing true to export: the links
// are disabled with the reason, rather than offering the last good result.
function disableDownloads() {
  for (const id of ['export-json', 'export-csv']) {
    if (blobUrls[id]) URL.revokeObjectURL(blobUrls[id]);
    delete blobUrls[id];
    $(id).removeAttribute('href');
    $(id).setAttribute('aria-disabled', 'true');
  }
  $('export-note').textContent = t(lang, 'page.export_disabled');
}

// HTML attribute text for a snippet the user pastes into their own page.
const attr = (name, value) => ` ${name}="${String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`;

function embedSnippets() {
  const values = state.values === 'custom' ? attr('values', state.text.trim())
    : (state.values === 'random' ? '' : attr('values', state.values)) + (state.values === 'ramp' ? '' : attr('seed', state.seed));
  const base = new URL('.', location.href).href;
  return [
    `<script type="module" src="${base}normlab-compare.js"></script>\n<normlab-compare${attr('shape', state.shape.join(','))}${attr('layers', layersText(state.layers))}${values}></normlab-compare>`,
    `<iframe${attr('src', `${base}index.html${encodeState(state)}&embed=1`)} title="normlab" width="100%" height="720"></iframe>`,
  ];
}

// The element selected in a grid is also marked in the values table.
function markRow(i) {
  for (const tr of document.querySelectorAll('table.values tr.selected')) tr.classList.remove('selected');
  document.querySelector(`table.values tr[data-index="${i}"]`)?.classList.add('selected');
}

// ---- compute and draw ----
function update() {
  if (!nl) return;
  const tensor = readTensor();
  if (!tensor) { document.body.classList.add('stale'); disableDownloads(); return; }
  document.body.classList.remove('stale');
  state.shape = tensor.shape;
  state.values = $('values').value;
  try {
    exp = runExperiment(nl, tensor.shape, tensor.data, state.layers);
  } catch (e) { // a library failure, not a bad input: say so and keep the last result
    $('warnings').textContent = errorText(lang, e);
    return;
  }
  saveUrl();
  draw();
}

// The link holds the code only while the editors still show what it builds.
function link() {
  return encodeState(codeStale ? { ...state, code: '' } : state) + (embed ? '&embed=1' : '');
}

function saveUrl() {
  history.replaceState(null, '', link() + location.hash); // the section a link points at stays in it
}

// ---- link warnings ----
function drawWarnings() {
  $('warnings').textContent = linkWarnings.map((w) => warningText(lang, w)).join(' ');
}

function dropWarnings(field) {
  const before = linkWarnings.length;
  linkWarnings = linkWarnings.filter((w) => w.field !== field);
  if (linkWarnings.length !== before) drawWarnings();
}

function draw() {
  $('tensor-preview').textContent = tensorText(exp.input, exp.shape);
  showLayerCode();
  const size = product(exp.shape);
  // A function: the same notice goes into several sections, and a node has one parent.
  const empty = () => h('p', { class: 'notice', text: t(lang, 'page.empty_tensor', { shape: formatShapeTorch(exp.shape) }) });
  // An empty tensor has nothing to compare: no verdict rather than a vacuous "Identical".
  fill($('verdict-body'), size === 0 ? empty() : verdicts(exp, lang));
  // The verdict in one line next to the controls, so an edit shows its effect at once.
  fill($('quick-verdict'), size === 0 ? null : exp.pairs.map((p) => h('a', { href: '#verdict', class: p.cmp.identical ? 'same' : 'different',
    text: `${t(lang, 'page.pair', { a: p.a.label, b: p.b.label })}${t(lang, 'page.colon')}${headlineText(p.cmp, lang)}` })));
  const ok = exp.ok.length > 0;
  // The grids draw every tensor the page computes; the values table, one row
  // per element, stops at TABLE_LIMIT.
  const tableNotice = size > TABLE_LIMIT ? h('p', { class: 'notice', text: t(lang, 'page.display_limit', { limit: TABLE_LIMIT, size }) }) : null;
  groups = size > 0 && ok ? groupsSection(exp, lang, { vertical: narrow.matches, onSelect: markRow }) : null;
  fill($('groups-body'), size === 0 ? empty() : groups && groups.el);
  fill($('tables-body'), size === 0 ? empty() : tableNotice || (ok ? h('div', { class: 'tables-grid' }, valuesTable(exp, lang), h('div', { class: 'stats-col' }, statsTables(exp, lang))) : null));
  fill($('features-body'), ok ? featureTable(exp, lang) : null);
  if (groups) markRow(groups.selection.i);
  fill($('pie-body'), pieSection(lang));
  drawCode();
  if (ok) {
    setDownload('export-json', toJSON(exp), 'application/json');
    setDownload('export-csv', toCSV(exp), 'text/csv');
    $('export-json').download = `normlab-${formatShape(exp.shape)}.json`;
    $('export-csv').download = `normlab-${formatShape(exp.shape)}.csv`;
    fill($('snippet'), codeBox(pytorchSnippet(exp, lang), lang, t(lang, 'page.copy_name_snippet')));
  } else disableDownloads();
  fill($('embed-code'), embedSnippets().map((c, k) => codeBox(c, lang, t(lang, k ? 'page.copy_name_iframe' : 'page.copy_name_element'))));
}

// ---- wiring ----
function fillControls() {
  $('code').value = state.code || '';
  $('shape').value = state.shape.join(',');
  $('values').value = state.values;
  $('seed').value = state.seed;
  $('paste').value = state.text || '';
}

// Puts a link's state into the page (a preset, or Back/Forward).
function applySearch(search) {
  const next = decodeState(search);
  Object.assign(state, { train: defaultTrain() }, next.state, { lang: state.lang });
  trainLab?.reload(state.train);
  linkWarnings = next.warnings;
  drawWarnings();
  fillControls();
  readCode();
  drawLayers(); update();
}

// A preset is a link (it can be opened in a new tab) applied in place, with
// a history entry of its own, so Back returns to what was there before.
function applyPreset(e, search) {
  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
  e.preventDefault();
  history.replaceState(null, '', link());
  history.pushState(null, '', search + (embed ? '&embed=1' : ''));
  applySearch(search);
  $(search.includes('code=') ? 'code-card' : 'verdict').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function controls() {
  fillControls();
  let timer = 0;
  const soon = () => { clearTimeout(timer); timer = setTimeout(update, 150); };
  for (const id of ['shape', 'seed', 'paste']) {
    $(id).addEventListener('input', () => { editedByHand(); dropWarnings(id === 'paste' ? 'data' : id); soon(); });
  }
  let codeTimer = 0;
  $('code').addEventListener('input', () => {
    clearTimeout(codeTimer);
    codeTimer = setTimeout(() => { dropWarnings('code'); readCode(); update(); }, 250);
  });
  addEventListener('popstate', () => applySearch(location.search));
  $('values').addEventListener('change', () => {
    editedByHand(); dropWarnings('values');
    if ($('values').value === 'custom' && !$('paste').value.trim() && exp) {
      $('paste').value = Array.from(exp.input, (v) => +v.toFixed(4)).join(' ');
    }
    update();
  });
  $('new-seed').addEventListener('click', () => { $('seed').value = (Math.random() * 1e6) | 0; update(); });
  $('add-layer').addEventListener('click', () => {
    state.layers.push(normalizeSpec({ kind: ['group_norm', 'rms_norm', 'batch_norm'][state.layers.length - 2] || 'layer_norm' }));
    editedByHand(); drawLayers(); update();
  });
  $('lang').addEventListener('change', () => {
    lang = state.lang = $('lang').value;
    translatePage(); drawWarnings(); drawLayers();
    trainLab?.setLang(lang);
    if (bench) fill($('bench-body'), bench.benchTable(bench.results, lang));
    drawCodeProblems();
    update(); // redraws, and rewrites the messages next to the fields
    if (document.body.classList.contains('stale') && exp) { draw(); saveUrl(); }
  });
  $('copy-link').addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(location.href); $('copy-link').textContent = t(lang, 'page.copied'); } catch { prompt('', location.href); }
    setTimeout(() => { $('copy-link').textContent = t(lang, 'btn.copy_link'); }, 1500);
  });
  $('run-bench').addEventListener('click', async () => {
    if (!exp) return;
    $('run-bench').disabled = true;
    fill($('bench-body'), h('p', { text: t(lang, 'page.bench_running') }));
    try {
      const { runLiveBench, benchTable } = await import('./bench-live.js');
      const results = await runLiveBench(exp.shape, exp.input);
      bench = { results, benchTable };
      fill($('bench-body'), benchTable(results, lang));
    } catch (e) { fill($('bench-body'), h('p', { class: 'error', text: errorText(lang, e) })); }
    $('run-bench').disabled = false;
  });
  const presets = document.querySelector('.presets');
  for (const [key, search] of PRESETS) {
    presets.append(h('a', { href: search, class: 'preset', 'data-i18n': key, text: t(lang, key), on: { click: (e) => applyPreset(e, search) } }));
  }
  narrow.addEventListener('change', () => { if (exp) draw(); trainLab?.setNarrow(narrow.matches); });
}

async function main() {
  if (embed) document.body.classList.add('embed');
  translatePage();
  drawWarnings();
  controls();
  readCode();
  drawLayers();
  try {
    nl = await loadNormlab();
  } catch (e) {
    $('status').textContent = t(lang, 'page.load_failed', { message: String(e && e.message || e) });
    return;
  }
  $('status').hidden = true;
  $('build-info').textContent = `wasm: ${nl.simd ? 'SIMD128' : 'scalar'}`;
  update();
  if (!embed) await startTraining(); // the iframe form shows the comparison only
}

// The training lab: its engine (src/train/race.js) is loaded once the
// comparison is on screen. Its controls edit state.train; the link follows.
async function startTraining() {
  let engine;
  try {
    engine = await import('../src/train/race.js');
  } catch (e) {
    fill($('train-body'), h('p', { class: 'error', role: 'alert', text: t(lang, 'train.load_failed', { message: String(e && e.message || e) }) }));
    return;
  }
  trainLab = trainSection({
    lang, train: state.train, engine, nl, id: 'train', narrow: narrow.matches,
    onChange(train, field) { dropWarnings(field); saveUrl(); },
  });
  fill($('train-body'), trainLab.el);
  // A link to #train (the element's "open this race") lands before the section has grown.
  if (location.hash === '#train') $('train').scrollIntoView();
}

main();
