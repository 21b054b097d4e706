/**
 * What JavaScript a page really loads, in gzip bytes: the one way the e2e budgets and
 * `npm run bench` count it. A file counts once per URL, whether the page, a dynamic import or a
 * worker fetched it (workers' scripts are not always typed "script", hence the URL test).
 */
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page, Response } from 'playwright-core';

const isScript = (r: Response): boolean =>
  r.request().resourceType() === 'script' || /\.m?js(\?|$)/.test(r.url()) || /javascript/.test(r.headers()['content-type'] ?? '');

export interface ScriptRecorder {
  /** Stop recording; gzip size per URL of every script loaded since the start. */
  stop(): Promise<Map<string, number>>;
}

export function recordScripts(target: Page | BrowserContext): ScriptRecorder {
  const bodies = new Map<string, Promise<Buffer | null>>();
  const onResponse = (r: Response): void => {
    if (isScript(r) && !bodies.has(r.url())) bodies.set(r.url(), r.body().catch(() => null));
  };
  target.on('response', onResponse);
  return {
    async stop() {
      target.off('response', onResponse);
      const sizes = new Map<string, number>();
      for (const [url, body] of bodies) {
        const b = await body;
        if (b) sizes.set(url, gzipSync(b).length);
      }
      return sizes;
    },
  };
}

/** Inline <script>s of the page (JSON data blocks aside), gzip bytes. */
export async function inlineScriptBytes(page: Page): Promise<number> {
  const inline = await page.$$eval('script:not([src])', (els) =>
    els.map((e) => e.textContent ?? '').filter((t) => t.trim() && !t.trim().startsWith('{')));
  return inline.reduce((n, t) => n + gzipSync(t).length, 0);
}

export const sum = (sizes: Map<string, number>): number => [...sizes.values()].reduce((a, b) => a + b, 0);
