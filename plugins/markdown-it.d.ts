// Types of `normlab/markdown-it` (plugins/markdown-it.js). Structural, so that
// they need no @types/markdown-it: any markdown-it instance fits.

export interface NormlabMarkdownItOptions {
  /** The URL of the element's module: a <script type="module"> for it goes
   * before the first <normlab-compare> of each rendered document. */
  script?: string;
}

/** The part of a markdown-it instance the plugin uses. */
export interface MarkdownItLike {
  core: { ruler: { push(ruleName: string, rule: (state: any) => unknown): void } };
}

/** md.use(normlabMarkdownIt, options): each ```normlab fence becomes a
 * <normlab-compare> element (or a visible error message). */
declare function normlabMarkdownIt(md: MarkdownItLike, options?: NormlabMarkdownItOptions): void;
export default normlabMarkdownIt;
export { normlabMarkdownIt };
