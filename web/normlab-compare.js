// <normlab-compare>: the comparison as an embeddable element.
//   <script type="module" src=".../web/normlab-compare.js"></script>
//   <normlab-compare shape="2,3,4" layers="layer_norm:[4],instance_norm"></normlab-compare>
// Attributes: shape, layers, seed, values (random|uniform|ramp or the numbers
// themselves), lang (any en or zh tag: zh-CN, zh-Hans, ZH...; default: the host
// page's lang="..." if English or Chinese, else the browser's), pie-data (JSON),
// pie-title, view (compact|full|train; default compact), page-url (where "Open in
// normlab" points; see defaultPageUrl). view="train" shows the training lab's
// race instead (web/viz/train-section.js, compact), set by the attributes of
// web/lab/train-fields.js (dataset, noise, hidden, activation, norms, groups,
// batch-size, optimizer, lr, steps, seed, bn-stats); it trains when Start is pressed.
// Shadow DOM keeps the styles to itself, and they live in this module's imports
// (viz/viz-css.js, viz/element-css.js: a constructed stylesheet, nothing to
// fetch); the colours follow prefers-color-scheme and a host may set them
// (--normlab-* properties, ::part(); see viz/element-css.js); every element on
// a page shares one wasm instance (loadNormlab caches it, and honours
// configure()); a bad attribute shows an error inside the element and never
// throws into the host page; the layout follows the element's width.
// Safe to import in Node and in server builds (VitePress, Docusaurus, Astro):
// nothing here touches the DOM until an element is created, and the element
// is defined only where customElements exists.
import { loadNormlab } from '../src/core.js'; // the loader and ops, without the module classes
import {
  LANGS, LabError, VALUE_KINDS, defaultState, detectLang, encodeState, makeValues, parseLayers, parseShape, parseValues, t,
} from './lab/index.js';
import { h, fill } from './viz/dom.js';
import { parsePieData, pieSection } from './viz/pie.js';
import { TABLE_LIMIT, errorText, runExperiment } from './viz/experiment.js';
import { verdicts } from './viz/verdict.js';
import { codeBox } from './viz/code.js';
import { groupsSection } from './viz/groups-section.js';
import { featureTable, statsTables, valuesTable } from './viz/tables.js';
import { ELEMENT_CSS } from './viz/element-css.js';
import { VIZ_CSS } from './viz/viz-css.js';
import { parseSeed } from './lab/rng.js';
import { TRAIN_FIELDS, crossFieldProblems, defaultTrain } from './lab/train-fields.js';
import { trainSection } from './viz/train-section.js';
import * as trainEngine from '../src/train/race.js';

// What the compact view's verdict never needs (the full view's tables, the
// pie, the training lab's view and engine) is reached through fullView() and
// trainView(), static here; the single-file element (scripts/build-dist.mjs)
// replaces these two lines so that they come from its second file, when a
// view="full", a pie or a view="train" first asks.
const fullView = async () => ({ parsePieData, pieSection, featureTable, statsTables, valuesTable });
const trainView = async () => ({ trainSection, trainEngine });

const STYLES = VIZ_CSS + ELEMENT_CSS; // the page's shared report styles, then the element's own
const VIEWS = ['compact', 'full', 'train'];
// The training settings an attribute sets on view="train" (the sweep is the page's).
const TRAIN_ATTRS = TRAIN_FIELDS.filter((f) => f.name !== 'sweepExamples');
/** Below this width (px) the element is "narrow": grids one per row, the flow drawn vertically. */
export const NARROW_WIDTH = 600;

// One constructed stylesheet for every element of the document.
let sheet = null;
function elementStyles(root) {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(STYLES); }
    root.adoptedStyleSheets = [sheet];
    return [];
  }
  return [h('style', { text: STYLES })]; // older browsers
}

/** The full page's URL for an element module loaded from `moduleUrl`: the
 * index.html beside it when the module is served from the repository's web/
 * folder (the page is deployed there), else null (no link). A package from
 * npm (node_modules/, or a CDN's normlab@version/) ships no page, and a
 * bundle or the single-file build (dist/) has no page beside it: a link
 * there would be dead. The README names no public copy of the page to point
 * at instead; the page-url attribute sets one. */
export function defaultPageUrl(moduleUrl) {
  let url;
  try { url = new URL(moduleUrl); } catch { return null; }
  const path = url.pathname;
  if (!path.endsWith('/web/normlab-compare.js') || /\/node_modules\/|\/normlab@/.test(path)) return null;
  return new URL('./index.html', url).href;
}
const DEFAULT_PAGE = defaultPageUrl(import.meta.url);

/** Where "Open in normlab" points: the page-url attribute (resolved against
 * the host document; empty: no link; http and https only, so never a
 * javascript: link), else defaultPageUrl. */
function pageUrlOf(el) {
  const own = el.getAttribute('page-url');
  if (own == null) return DEFAULT_PAGE;
  if (!own.trim()) return null;
  let url = null;
  try { url = new URL(own.trim(), el.ownerDocument.baseURI); } catch { /* named below */ }
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new LabError('err.attr.page_url', { value: own.slice(0, 80) });
  return url.href;
}

// A BCP-47 tag whose primary language the element speaks: en, en-GB, zh-CN, zh-Hans, ZH.
const speaks = (tag) => LANGS.includes(String(tag).trim().split(/[-_]/)[0].toLowerCase());
const ownLang = (el) => (el.getAttribute('lang') ?? '').trim();

/** en or zh: the element's own lang attribute, else the host page's language
 * (the nearest lang="..." around it, when it is English or Chinese), else the
 * browser's. An own lang that is neither (fr) falls back the same way; the
 * element then says that it is not available (readAttributes). */
function langOf(el) {
  if (speaks(ownLang(el))) return detectLang([ownLang(el)]);
  const around = el.parentElement?.closest('[lang]')?.getAttribute('lang') ?? '';
  return speaks(around) ? detectLang([around]) : detectLang(navigator.languages);
}

function readView(el) {
  const view = el.getAttribute('view');
  if (view == null) return 'compact';
  if (!VIEWS.includes(view.trim().toLowerCase())) throw new LabError('err.attr.view', { value: view.slice(0, 40) });
  return view.trim().toLowerCase();
}

/** The training settings of view="train" from the attributes (throws the first bad one's LabError). */
function readTrainAttributes(el) {
  const train = defaultTrain();
  for (const f of TRAIN_ATTRS) if (el.hasAttribute(f.attr)) train[f.name] = f.parse(el.getAttribute(f.attr));
  const problem = crossFieldProblems(train)[0];
  if (problem) throw problem.error;
  return train;
}

/** The element's attributes as a page state (throws LabError/Error on bad ones). */
function readAttributes(el) {
  const lang = langOf(el);
  if (ownLang(el) && !speaks(ownLang(el))) throw new LabError('err.attr.lang', { value: ownLang(el).slice(0, 40) });
  const view = readView(el);
  let shape = parseShape(el.getAttribute('shape') ?? '2,3,4');
  const layers = parseLayers(el.getAttribute('layers') ?? 'layer_norm,instance_norm');
  const seed = el.hasAttribute('seed') ? parseSeed(el.getAttribute('seed')) : 1;
  const values = (el.getAttribute('values') ?? 'random').trim();
  let data, kind = values, text = '';
  if (VALUE_KINDS.includes(values)) data = makeValues(values, shape, seed);
  else {
    ({ data, shape } = parseValues(values, shape));
    kind = 'custom'; text = values;
  }
  const pieAttr = el.getAttribute('pie-data');
  return {
    lang, shape, layers, seed, kind, text, data,
    pieData: pieAttr, // parsed by the render, with the pie's module (fullView)
    pieTitle: el.getAttribute('pie-title')?.trim() || null,
    full: view === 'full',
    page: pageUrlOf(el),
  };
}

// The ::part names a host page may style, by what the shared viz modules draw
// (the groups section and the link get theirs where the element builds them).
const PARTS = [['.verdict', 'verdict'], ['.error', 'error'], ['.code-box', 'code'], ['.pie-figure', 'pie']];
function nameParts(root) {
  for (const [selector, name] of PARTS) for (const x of root.querySelectorAll(selector)) x.part.add(name);
}

// Where there is no DOM (Node, a server build), the class still exists, so
// that `import { NormlabCompare }` works, but it is never defined or created.
const Base = globalThis.HTMLElement ?? class {};

class NormlabCompare extends Base {
  static get observedAttributes() {
    return [...new Set(['shape', 'layers', 'seed', 'values', 'lang', 'pie-data', 'pie-title', 'view', 'page-url', ...TRAIN_ATTRS.map((f) => f.attr)])];
  }

  #body;
  #queued = false;
  #generation = 0;
  #layout = null; // 'narrow' or 'wide': the width the last render was laid out for
  #groups = null; // the last groups section, whose selection a re-layout keeps
  #train = null; // view="train": the training section, stopped when replaced or disconnected
  // The width (clientWidth) as the ResizeObserver last read it, where layout
  // is up to date: a render reads this rather than force a layout of the
  // host page (tens of ms on a first load), and reads clientWidth only before
  // the observer's first report.  A width that crosses NARROW_WIDTH lays the
  // element out again.
  #width = null;
  #resize = new ResizeObserver(() => {
    this.#width = this.clientWidth;
    if (this.#layout && this.#layoutNow() !== this.#layout) this.#schedule();
  });

  constructor() {
    super();
    this.#body = h('div', { class: 'nl nl-embed', part: 'body' }, h('p', { class: 'muted', text: '…' }));
    const root = this.attachShadow({ mode: 'open' });
    root.append(...elementStyles(root), this.#body);
  }

  connectedCallback() { this.#resize.observe(this); this.#schedule(); }
  disconnectedCallback() { this.#resize.disconnect(); this.#width = null; this.#train?.stop(); }
  attributeChangedCallback() { if (this.isConnected) this.#schedule(); }

  #widthNow() { return this.#width ?? this.clientWidth; }
  #layoutNow() { return this.#widthNow() < NARROW_WIDTH ? 'narrow' : 'wide'; }

  // Several attribute changes in one task give one render.
  #schedule() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      const generation = ++this.#generation;
      this.#render(generation).catch((e) => this.#fail(e, generation));
    });
  }

  #fail(e, generation) {
    if (generation !== this.#generation) return;
    const lang = langOf(this);
    fill(this.#body, h('p', { class: 'error', role: 'alert', part: 'error', text: `normlab-compare: ${errorText(lang, e)}` }));
    this.#body.lang = lang === 'zh' ? 'zh-Hans' : 'en';
  }

  async #render(generation) {
    this.#train?.stop();
    this.#train = null;
    if (readView(this) === 'train') return this.#renderTrain(generation);
    const a = readAttributes(this);
    const [nl, more] = await Promise.all([loadNormlab(), a.full || a.pieData != null ? fullView() : null]);
    if (generation !== this.#generation) return; // a newer render is under way
    const pie = a.pieData == null ? null : more.parsePieData(a.pieData);
    const exp = runExperiment(nl, a.shape, a.data, a.layers);
    const lang = a.lang;
    const state = { shape: exp.shape, seed: a.seed, values: a.kind, text: a.text, layers: a.layers, lang };
    const layout = this.#layoutNow();
    const parts = [
      verdicts(exp, lang),
      exp.layers.filter((l) => l.error).map((l) => h('p', { class: 'error', text: `${l.label}: ${errorText(lang, l.error)}` })),
      exp.ok.length ? codeBox(exp.ok.map((l) => `${l.label.toLowerCase()} = ${l.code}`).join('\n'), lang, t(lang, 'page.copy_name_layers')) : null,
    ];
    const kept = this.#groups?.selection;
    this.#groups = null;
    if (exp.ok.length) { // the grids draw every tensor the lab computes (DISPLAY_LIMIT)
      this.#groups = groupsSection(exp, lang, { showFlow: a.full, vertical: layout === 'narrow' });
      if (kept && kept.i < exp.input.length && kept.layer < exp.ok.length) this.#groups.select(kept.i, kept.layer);
      this.#groups.el.part.add('groups');
      parts.push(this.#groups.el);
    }
    if (exp.ok.length && a.full) {
      parts.push(exp.input.length <= TABLE_LIMIT
        ? h('div', { class: 'tables-grid' }, more.valuesTable(exp, lang), h('div', null, more.statsTables(exp, lang)))
        : h('p', { class: 'notice', text: t(lang, 'page.display_limit', { limit: TABLE_LIMIT, size: exp.input.length }) }));
      parts.push(more.featureTable(exp, lang));
    }
    if (a.full || pie) parts.push(more.pieSection(lang, { data: pie, title: a.pieTitle, id: `pie-${generation}` }));
    if (a.page) parts.push(openLink(a.page, state, lang));
    fill(this.#body, parts);
    nameParts(this.#body);
    this.#body.lang = lang === 'zh' ? 'zh-Hans' : 'en';
    this.#body.dataset.layout = layout;
    this.#layout = layout;
  }

  // view="train": a compact race (the page's training section, without its
  // controls and sweep) on the same engine, set by the attributes.
  async #renderTrain(generation) {
    const lang = langOf(this);
    if (ownLang(this) && !speaks(ownLang(this))) throw new LabError('err.attr.lang', { value: ownLang(this).slice(0, 40) });
    const train = readTrainAttributes(this);
    const page = pageUrlOf(this);
    const [nl, view] = await Promise.all([loadNormlab(), trainView()]);
    if (generation !== this.#generation) return;
    const width = this.#widthNow(); // 0 while hidden: drawn wide
    this.#train = view.trainSection({ lang, train, engine: view.trainEngine, nl, compact: true, id: `train-${generation}`, narrow: width > 0 && width < NARROW_WIDTH });
    const state = { ...defaultState(), train, lang };
    fill(this.#body, this.#train.el, page ? openLink(page, state, lang, 'train.open_full', 'train') : null);
    nameParts(this.#body);
    this.#body.lang = lang === 'zh' ? 'zh-Hans' : 'en';
    this.#layout = null; // the race lays itself out by CSS: a resize must not restart it
  }
}

/** "Open in normlab": the full page with this experiment in its query
 * (replacing any query page-url has; its #fragment stays last). */
function openLink(page, state, lang, key = 'page.open_full', section = '') {
  const url = new URL(page);
  url.search = encodeState(state);
  if (section) url.hash = section; // the page scrolls to that section (web/app.js)
  return h('p', { class: 'muted open-link', part: 'link' }, h('a', { href: url.href, target: '_blank', rel: 'noopener', text: t(lang, key) }));
}

if (globalThis.customElements && !customElements.get('normlab-compare')) customElements.define('normlab-compare', NormlabCompare);
export { NormlabCompare };
