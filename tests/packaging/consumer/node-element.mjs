// Node, as a docs site's server build does it: import the element's module
// where there is no DOM; prints JSON of what it exports.
const element = await import('normlab/element');
console.log(JSON.stringify({
  exports: Object.keys(element).sort(),
  NormlabCompare: typeof element.NormlabCompare,
  customElements: typeof globalThis.customElements,
}));
