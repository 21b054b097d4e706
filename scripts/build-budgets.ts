/**
 * Byte budgets of the built site, read from dist/ without a browser (as Starlight's size-limit
 * job does): what each page loads before anyone clicks, and what the workbench adds on Open in
 * each engine mode, gzip-compressed file by file, as a browser would fetch them.
 *   node scripts/build-budgets.ts   prints the table (after astro build)
 * tests/e2e/build-budgets.e2e.test.ts holds the budgets.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export const DIST = join(import.meta.dirname, '..', 'dist');

const gz = (text: string | Buffer): number => gzipSync(text, { level: 9 }).length;

/** Every built page (index.html files and 404.html), by its path on the site. */
export function pages(dist = DIST): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) { if (name !== '_astro' && name !== 'pagefind') walk(full); }
      else if (name.endsWith('.html')) out.push(`/${relative(dist, full)}`);
    }
  };
  walk(dist);
  return out.sort();
}

/** The files a JS module pulls in: static imports always; dynamic imports when asked. */
function imports(code: string, dynamic: boolean): string[] {
  const found = new Set<string>();
  // The minifier quotes with ', " or ` alike.
  for (const m of code.matchAll(/(?:from|import)\s*["'`]([^"'`]+\.js)["'`]/g)) found.add(m[1]!);
  if (dynamic) {
    for (const m of code.matchAll(/import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g)) found.add(m[1]!);
    // Vite's preload map, a worker's URL, the container's harness script: files fetched later.
    for (const m of code.matchAll(/["'`](?:\.\/|\/_astro\/|_astro\/)([\w.-]+\.(?:js|mjs|css))["'`]/g)) found.add(`./${m[1]}`);
  }
  return [...found];
}

/** The closure of `entries` (site paths like /_astro/x.js) over static (and optionally dynamic) imports. */
export function closure(entries: string[], dynamic: boolean, dist = DIST): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const path = queue.pop()!;
    if (seen.has(path)) continue;
    const file = join(dist, path);
    if (!existsSync(file)) continue;
    seen.add(path);
    if (!path.endsWith('.js')) continue;
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    for (const spec of imports(readFileSync(file, 'utf8'), dynamic)) {
      queue.push(spec.startsWith('/') ? spec : `${dir}${spec.replace(/^\.\//, '')}`);
    }
  }
  return seen;
}

export interface PageBytes {
  page: string;
  html: number;
  css: number;
  /** JS loaded with the page: module scripts, their static imports, inline scripts. */
  js: number;
  /** On Open, worker mode: the workbench's chunks (JS and CSS), the grading worker. */
  workbench?: number;
  /** On Open, then WebContainer mode chosen: the above plus the WebContainer chunks. */
  webcontainer?: number;
  /** The harness script fetched once a WebContainer has booted, to be run by node inside it. */
  containerScript?: number;
  /** The live-run script WebContainer mode fetches when Live run is pressed (labs with a live run). */
  liveScript?: number;
}

const sumGz = (paths: Iterable<string>, dist: string): number => {
  let total = 0;
  for (const p of paths) total += gz(readFileSync(join(dist, p)));
  return total;
};

export function measure(page: string, dist = DIST): PageBytes {
  const html = readFileSync(join(dist, page), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  const inline = [...html.matchAll(/<script(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).filter((t) => t.trim());
  const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
  const onLoad = closure(scripts, false, dist);
  const result: PageBytes = {
    page,
    html: gz(html),
    css: sumGz(styles, dist),
    js: sumGz(onLoad, dist) + inline.reduce((a, t) => a + gz(t), 0),
  };
  if (html.includes('data-lab') || html.includes('<netlabs-lab')) {
    const all = closure(scripts, true, dist);
    const workbench = [...all].filter((p) => !onLoad.has(p));
    const isContainer = (p: string): boolean => /webcontainer|xterm|harness-main|live-main/i.test(p);
    // The bundled scripts themselves (large, everything inlined), not the tiny modules naming
    // their URLs. Vite names them harness-main-<hash>.js and live-main-<hash>.js; a hash may hold
    // "-" and "_".
    const isScript = (p: string): boolean => /harness-main-[\w-]+\.js$/.test(p);
    const isLive = (p: string): boolean => /live-main-[\w-]+\.js$/.test(p);
    result.workbench = sumGz(workbench.filter((p) => !isContainer(p)), dist);
    result.webcontainer = sumGz(workbench.filter((p) => !isScript(p) && !isLive(p)), dist);
    result.containerScript = sumGz(workbench.filter(isScript), dist);
    result.liveScript = sumGz(workbench.filter(isLive), dist);
  }
  return result;
}

if (import.meta.main) {
  const kb = (b: number | undefined): string => (b === undefined ? '-' : `${(b / 1024).toFixed(1)} KB`);
  console.log('page | HTML | CSS | JS on load | + workbench (worker) | + WebContainer mode | container script');
  for (const page of pages()) {
    const m = measure(page);
    console.log(`${m.page} | ${kb(m.html)} | ${kb(m.css)} | ${kb(m.js)} | ${kb(m.workbench)} | ${kb(m.webcontainer)} | ${kb(m.containerScript)} | ${kb(m.liveScript)}`);
  }
}
