// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { slimSucrase } from './src/grading/engines/worker/slim-sucrase-fs.ts';
import { searchIndex } from './src/book/search-index-fs.ts';

// Cross-origin isolation: the in-page WebContainer runner needs SharedArrayBuffer.
// Astro's top-level `server.headers` reaches pages in both `astro dev` and `astro preview`
// (`vite.server.headers` does not). Static hosts get the same headers from public/_headers.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  output: 'static',
  trailingSlash: 'ignore',
  integrations: [mdx(), searchIndex()],
  server: { headers: isolationHeaders },
  markdown: {
    syntaxHighlight: 'shiki',
    shikiConfig: {
      // Dual themes as CSS variables (--shiki-light / --shiki-dark); src/styles picks one
      // with prefers-color-scheme, so code blocks follow the reader's colour scheme.
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      defaultColor: false,
      wrap: false,
    },
  },
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  // The grading worker carries sucrase; its Flow/JSX/ESM-output/source-map parts are never
  // used (TypeScript to CommonJS only), and leaving them out keeps worker mode in budget.
  vite: { worker: { plugins: () => [slimSucrase()] } },
});
