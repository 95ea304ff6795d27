// A minimal Docusaurus site that uses normlab's remark plugin, as a new
// user's would: the plugin in the docs' remarkPlugins and the element loaded
// by a client module. Nothing normlab-specific beyond that. The test builds it
// into a folder outside the repository (--out-dir).
import normlab from 'normlab/remark';

export default {
  title: 'normlab in Docusaurus',
  url: 'http://localhost',
  baseUrl: '/',
  favicon: 'favicon.svg',
  onBrokenLinks: 'throw',
  clientModules: ['./src/normlab.js'],
  presets: [['classic', { docs: { routeBasePath: '/', remarkPlugins: [normlab] }, blog: false, pages: false }]],
};
