/**
 * The scripts mounted into the container: harness-main.ts (grading) and live-main.ts (a live
 * run), each bundled by Vite into a single file (everything inlined, like the worker), fetched
 * from the site's own assets when first needed.
 */
import { EngineUnavailableError } from '../types.ts';

export async function loadHarnessScript(): Promise<string> {
  const { default: url } = await import('./harness-main.ts?worker&url');
  return fetchScript(url, 'harness');
}

/** The live-run script (live-main.ts), bundled and fetched the same way. */
export async function loadLiveScript(): Promise<string> {
  const { default: url } = await import('./live-main.ts?worker&url');
  return fetchScript(url, 'live-run');
}

async function fetchScript(url: string, what: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new EngineUnavailableError(`${what} script not found (${response.status})`);
  const text = await response.text();
  // The dev server serves modules that import other modules over HTTP: node cannot run that.
  if (/^\s*import\s*(?:[^'"]*from\s*)?["']\//m.test(text)) {
    throw new EngineUnavailableError(`the container's ${what} script is only bundled by a production build (astro build)`);
  }
  return text;
}
