/**
 * The harness script mounted into the container: harness-main.ts bundled by Vite into a
 * single file (everything inlined, like the worker), fetched from the site's own assets.
 */
import { EngineUnavailableError } from '../types.ts';

export async function loadHarnessScript(): Promise<string> {
  const { default: url } = await import('./harness-main.ts?worker&url');
  const response = await fetch(url);
  if (!response.ok) throw new EngineUnavailableError(`harness script not found (${response.status})`);
  const text = await response.text();
  // The dev server serves modules that import other modules over HTTP: node cannot run that.
  if (/^\s*import\s*(?:[^'"]*from\s*)?["']\//m.test(text)) {
    throw new EngineUnavailableError('the container harness is only bundled by a production build (astro build)');
  }
  return text;
}
