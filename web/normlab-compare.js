// <normlab-compare>: the comparison as an embeddable element.
//   <script type="module" src=".../web/normlab-compare.js"></script>
//   <normlab-compare shape="2,3,4" layers="layer_norm:[4],instance_norm"></normlab-compare>
// Attributes: shape, layers, seed, values (random|uniform|ramp or the numbers
// themselves), lang (en|zh; default: the host page's lang="..." if English or
// Chinese, else the browser's), pie-data (JSON), view (compact|full; default compact).
// Shadow DOM keeps the styles to itself; every element on a page shares one
// wasm instance (loadNormlab caches it); a bad attribute shows an error inside
// the element and never throws into the host page.
import { loadNormlab } from '../src/core.js'; // the loader and ops, without the module classes
import {
  LANGS, VALUE_KINDS, detectLang, encodeState, makeValues, parseLayers, parseShape, parseValues, t,
} from './lab/index.js';
import { h, fill } from './viz/dom.js';
import { parsePieData, pieSection } from './viz/pie.js';
import { DISPLAY_LIMIT, errorText, runExperiment } from './viz/experiment.js';
import { verdicts } from './viz/verdict.js';
import { codeBox } from './viz/code.js';
import { groupsSection } from './viz/groups-section.js';
import { featureTable, statsTables, valuesTable } from './viz/tables.js';

const STYLES = new URL('./viz/viz.css', import.meta.url).href;
const PAGE = new URL('./index.html', import.meta.url).href;

function readSeed(text) {
  if (text == null) return 1;
  if (!/^\s*\d{1,10}\s*$/.test(text) || Number(text) > 0xffffffff) throw new Error(`seed="${text.slice(0, 20)}" must be a whole number from 0 to 4294967295`);
  return Number(text);
}

/** en or zh: the element's own lang attribute, else the host page's language
 * (the nearest lang="..." around it, when it is English or Chinese), else the browser's. */
function langOf(el) {
  const own = el.getAttribute('lang');
  if (LANGS.includes(own)) return own;
  const around = el.parentElement?.closest('[lang]')?.getAttribute('lang') ?? '';
  return /^(en|zh)/i.test(around) ? detectLang([around]) : detectLang(navigator.languages);
}

/** The element's attributes as a page state (throws LabError/Error on bad ones). */
function readAttributes(el) {
  const lang = langOf(el);
  let shape = parseShape(el.getAttribute('shape') ?? '2,3,4');
  const layers = parseLayers(el.getAttribute('layers') ?? 'layer_norm,instance_norm');
  const seed = readSeed(el.getAttribute('seed'));
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
    pie: pieAttr == null ? null : parsePieData(pieAttr),
    full: el.getAttribute('view') === 'full',
  };
}

class NormlabCompare extends HTMLElement {
  static get observedAttributes() { return ['shape', 'layers', 'seed', 'values', 'lang', 'pie-data', 'view']; }

  #body;
  #queued = false;
  #generation = 0;

  constructor() {
    super();
    this.#body = h('div', { class: 'nl nl-embed', part: 'body' }, h('p', { class: 'muted', text: '…' }));
    this.attachShadow({ mode: 'open' }).append(h('link', { rel: 'stylesheet', href: STYLES }), this.#body);
  }

  connectedCallback() { this.#schedule(); }
  attributeChangedCallback() { if (this.isConnected) this.#schedule(); }

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
    fill(this.#body, h('p', { class: 'error', role: 'alert', text: `normlab-compare: ${errorText(lang, e)}` }));
  }

  async #render(generation) {
    const a = readAttributes(this);
    const nl = await loadNormlab();
    if (generation !== this.#generation) return; // a newer render is under way
    const exp = runExperiment(nl, a.shape, a.data, a.layers);
    const lang = a.lang;
    const state = { shape: exp.shape, seed: a.seed, values: a.kind, text: a.text, layers: a.layers, lang };
    const parts = [
      verdicts(exp, lang),
      exp.layers.filter((l) => l.error).map((l) => h('p', { class: 'error', text: `${l.label}: ${errorText(lang, l.error)}` })),
      exp.ok.length ? codeBox(exp.ok.map((l) => `${l.label.toLowerCase()} = ${l.code}`).join('\n'), lang) : null,
    ];
    if (exp.ok.length && exp.input.length <= DISPLAY_LIMIT) {
      parts.push(groupsSection(exp, lang, { showFlow: a.full, vertical: this.clientWidth < 600 }).el);
      if (a.full) parts.push(h('div', { class: 'tables-grid' }, valuesTable(exp, lang), h('div', null, statsTables(exp, lang))), featureTable(exp, lang));
    } else if (exp.ok.length) {
      parts.push(h('p', { class: 'notice', text: t(lang, 'page.display_limit', { limit: DISPLAY_LIMIT, size: exp.input.length }) }));
    }
    if (a.full || a.pie) parts.push(pieSection(lang, a.pie, `pie-${generation}`));
    parts.push(h('p', { class: 'muted open-link' }, h('a', { href: PAGE + encodeState(state), target: '_blank', rel: 'noopener', text: t(lang, 'page.open_full') })));
    fill(this.#body, parts);
    this.#body.lang = lang === 'zh' ? 'zh-Hans' : 'en';
  }
}

if (!customElements.get('normlab-compare')) customElements.define('normlab-compare', NormlabCompare);
export { NormlabCompare };
