// Types of `normlab/element` (web/normlab-compare.js): the <normlab-compare>
// custom element. Importing the module defines the element where
// customElements exists (a browser); in Node or a server build it defines
// nothing and the class is inert.

/** The element's attributes, all optional strings (README.md, "Embedding"). */
export interface NormlabCompareAttributes {
  /** Tensor shape, "2,3,4" or "2x3x4" (default 2,3,4). */
  shape?: string;
  /** The layers to compare, the page's layer text, e.g. "layer_norm:[4],instance_norm" (default layer_norm,instance_norm). */
  layers?: string;
  /** Seed of the random values (default 1); on view="train", of the data, the initial weights and the batches. */
  seed?: string;
  /** "random" (default), "uniform", "ramp", or the numbers themselves (nested JSON arrays or whitespace-separated). */
  values?: string;
  /** Any English or Chinese BCP-47 tag (en, en-GB, zh, zh-CN, zh-Hans); default: the host page's lang, else the browser's. */
  lang?: string;
  /** The pie chart's data as JSON, e.g. '{"NLP": 60, "Image processing": 25}'. */
  'pie-data'?: string;
  /** The title of a pie-data pie. */
  'pie-title'?: string;
  /** "compact" (default), "full", or "train": the training lab's race (the attributes below set it; Start trains). */
  view?: string;
  /** view="train": "spirals" (default), "circles", "xor" or "blobs". */
  dataset?: string;
  /** view="train": the data's noise, 0 to 0.5 (default 0.1). */
  noise?: string;
  /** view="train": hidden layer sizes, 1 to 3 of 16..64, e.g. "32,32" (default). */
  hidden?: string;
  /** view="train": "relu" (default) or "tanh". */
  activation?: string;
  /** view="train": the normalizations to race, e.g. "none,batch_norm,layer_norm,group_norm,rms_norm" (default). */
  norms?: string;
  /** view="train": GroupNorm's number of groups (default 4); must divide every hidden size. */
  groups?: string;
  /** view="train": 2 to 256 (default 32). */
  'batch-size'?: string;
  /** view="train": "adam" (default) or "sgd" (momentum 0.9). */
  optimizer?: string;
  /** view="train": the learning rate, above 0 and at most 1 (default 0.01). */
  lr?: string;
  /** view="train": training steps, 10 to 5000 (default 1000). */
  steps?: string;
  /** view="train": BatchNorm's test accuracy on "eval" (running, default) or "train" (batch) statistics. */
  'bn-stats'?: string;
  /** Where "Open in normlab" points (the full page; the experiment goes in its query); "" for no link. Default: defaultPageUrl(). */
  'page-url'?: string;
}

/** Below this width (px) the element lays itself out narrow (one grid per row). */
export declare const NARROW_WIDTH: number;

/** The full page's URL for an element module served from `moduleUrl`: the
 * index.html beside it when that is the repository's web/ folder, else null
 * (from npm, a CDN, a bundle or dist/ there is no page beside it). */
export declare function defaultPageUrl(moduleUrl: string): string | null;

/** <normlab-compare>: the comparison of normalization layers, computed by the
 * wasm library, as an embeddable element. Set it up with attributes
 * (NormlabCompareAttributes); the wasm follows normlab's configure(). */
export declare class NormlabCompare extends HTMLElement {
  static readonly observedAttributes: string[];
  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'normlab-compare': NormlabCompare;
  }
}
