// The default theme, and the element. normlab/element is safe to import in
// Node, so a plain import works in VitePress's server build too (it defines
// the element only in the browser).
import DefaultTheme from 'vitepress/theme';
import 'normlab/element';

export default DefaultTheme;
