// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Cross-origin isolation: the in-page WebContainer runner needs SharedArrayBuffer.
// Astro's top-level `server.headers` reaches pages in both `astro dev` and `astro preview`
// (`vite.server.headers` does not). Static hosts get the same headers from public/_headers.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// src/labs/ finds the labs folder from its own location (`new URL('../..', import.meta.url)`).
// Pages that read labs at build time are bundled into chunks under dist/, where that URL would
// point into dist/. Pin import.meta.url in those modules to their source file instead.
const labsSource = fileURLToPath(new URL('./src/labs/', import.meta.url));
function keepSourceUrl() {
  return {
    name: 'netlabs:labs-source-url',
    enforce: /** @type {const} */ ('pre'),
    /** @param {string} code @param {string} id */
    transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!file.startsWith(labsSource) || !file.endsWith('.ts') || !code.includes('import.meta.url')) return null;
      return { code: code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href)), map: null };
    },
  };
}

export default defineConfig({
  output: 'static',
  trailingSlash: 'ignore',
  integrations: [mdx()],
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
  vite: { plugins: [keepSourceUrl()] },
});
