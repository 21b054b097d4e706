/**
 * End-to-end support: serve the built site (dist/) on 127.0.0.1 with the headers the hosting
 * config sets (COOP/COEP, so the page is cross-origin isolated as in production), and launch
 * Debian's Chromium through playwright-core with nothing outside 127.0.0.1 reachable.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const DIST = join(ROOT, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
};

/** The headers of public/_headers' "/*" block (the production hosts send the same). */
export function hostHeaders(): Record<string, string> {
  const text = readFileSync(join(ROOT, 'public', '_headers'), 'utf8');
  const headers: Record<string, string> = {};
  let inAll = false;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line) && !line.startsWith('#')) inAll = line.trim() === '/*';
    const m = /^\s+([\w-]+):\s*(.+)$/.exec(line);
    if (inAll && m) headers[m[1]!] = m[2]!.trim();
  }
  return headers;
}

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** A static server for dist/ (directory URLs serve index.html; unknown paths 404.html). */
export async function serveDist(dir = DIST): Promise<Site> {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`${dir} has no index.html: build the site first (npx astro build)`);
  }
  const headers = hostHeaders();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    let status = 200;
    if (!existsSync(file)) {
      status = 404;
      file = join(dir, '404.html');
    }
    const body = existsSync(file) ? readFileSync(file) : Buffer.from('not found');
    res.writeHead(status, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** Call at the top of a test file: warns loudly (or, under CI=true, fails) without Chromium. */
export function requireChromium(what: string): boolean {
  if (HAVE_CHROMIUM) return true;
  const message = `E2E TESTS SKIPPED (${what}): no Chromium at ${CHROMIUM}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`;
  if (process.env.CI === 'true') throw new Error(`${message} Under CI=true nothing may be skipped.`);
  console.warn(`\n${'*'.repeat(80)}\n*** ${message}\n${'*'.repeat(80)}\n`);
  return false;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Nothing leaves the machine: every host but 127.0.0.1 fails to resolve.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile (its own localStorage), closed and removed by close(). */
export async function launch(options: { width?: number; height?: number; colorScheme?: 'light' | 'dark'; isMobile?: boolean } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'netlabs-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
    isMobile: options.isMobile,
    hasTouch: options.isMobile,
    deviceScaleFactor: 1,
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface SitePage {
  site: Site;
  browser: Browser;
  page: Page;
}

/**
 * The built site served and Chromium open with one page, for the describe block this is called
 * in: started in its beforeAll, closed in its afterAll. The fields are filled once it has run.
 */
export function useSitePage(options: Parameters<typeof launch>[0] = {}): SitePage {
  const live = {} as SitePage;
  beforeAll(async () => {
    live.site = await serveDist();
    live.browser = await launch(options);
    live.page = live.browser.context.pages()[0] ?? (await live.browser.context.newPage());
  });
  afterAll(async () => {
    await live.browser?.close();
    await live.site?.close();
  });
  return live;
}
