// A minimal VitePress site that uses normlab's markdown-it plugin, as a
// new user's would: `md.use(normlab)` and, VitePress's own requirement for
// any custom element, Vue told that <normlab-compare> is not a Vue component.
// The test sets the output and cache folders (outside the repository).
import { defineConfig } from 'vitepress';
import normlab from 'normlab/markdown-it';

export default defineConfig({
  title: 'normlab in VitePress',
  head: [['link', { rel: 'icon', href: '/favicon.svg' }]], // (a site without one gets a /favicon.ico 404)
  outDir: process.env.NORMLAB_VITEPRESS_OUT || '.vitepress/dist',
  cacheDir: process.env.NORMLAB_VITEPRESS_CACHE || '.vitepress/cache',
  markdown: { config: (md) => md.use(normlab) },
  vue: { template: { compilerOptions: { isCustomElement: (tag) => tag === 'normlab-compare' } } },
});
