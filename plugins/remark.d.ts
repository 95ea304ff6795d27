// Types of `normlab/remark` (plugins/remark.js). Structural, so that they
// need no @types/mdast: any mdast tree fits.

/** An mdast node, as far as the plugin reads it. */
export interface MdastNodeLike {
  type: string;
  children?: MdastNodeLike[];
  lang?: string | null;
  value?: string;
  position?: unknown;
  data?: object;
}

/** The node that replaces one ```normlab code node: it carries the element
 * (or the error message) as data.hName / hProperties / hChildren. */
export declare function fenceNode(code: { value: string; position?: unknown }): MdastNodeLike;

/** unified().use(remarkNormlab): each ```normlab fence becomes a
 * <normlab-compare> element in HTML and MDX (or a visible error message). */
declare function remarkNormlab(): (tree: MdastNodeLike) => void;
export default remarkNormlab;
export { remarkNormlab };
