/**
 * Byte budgets of the built site (gzip), checked without a browser: a change that raises one
 * says so, and why, in its note. Numbers: node scripts/build-budgets.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST, measure, pages } from '../../scripts/build-budgets.ts';

const KB = 1024;
const BUILT = existsSync(DIST);
const SKIP_MESSAGE = 'BUILD BUDGETS SKIPPED: no dist/ (run astro build first).';
if (!BUILT) {
  if (process.env.CI === 'true') throw new Error(`${SKIP_MESSAGE} Under CI nothing may be skipped.`);
  console.warn(`\n*** ${SKIP_MESSAGE}\n`);
}

/** Chapter pages: prose, diagrams and lab embeds; the workbench loads only on Open. */
const CHAPTER = { html: 80 * KB, css: 12 * KB, js: 3 * KB, workbench: 320 * KB, webcontainer: 400 * KB, containerScript: 160 * KB, liveScript: 120 * KB };
/** Pages without labs ship (almost) no JS. The home page's progress panel shares the 2 KB script of a lab embed. */
const PLAIN = { html: 12 * KB, css: 4 * KB, js: 1 * KB };
const HOME_JS = 2.5 * KB;
/** The search page runs the search: its own script (Pagefind itself loads after, from the index). */
const SEARCH_JS = 2 * KB;

describe.skipIf(!BUILT)('build budgets (gzip)', () => {
  const all = BUILT ? pages() : [];
  it('finds the pages', () => {
    expect(all).toContain('/index.html');
    expect(all.filter((p) => p.startsWith('/chapters/') && p !== '/chapters/index.html').length).toBeGreaterThanOrEqual(2);
  });
  it("loads the workbench's styles on Open, not with the page (the embed's few rules only)", () => {
    const chapters = all.filter((p) => p.startsWith('/chapters/') && p !== '/chapters/index.html');
    let withLabs = 0;
    for (const page of chapters) {
      const html = readFileSync(join(DIST, page), 'utf8');
      // A chapter whose labs are still to come embeds none and links no lab CSS at all.
      if (!html.includes('<netlabs-lab') && !html.includes('data-lab')) continue;
      withLabs++;
      // Linked stylesheets and inline <style>: Vite inlines a small CSS chunk instead of linking it.
      const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => readFileSync(join(DIST, m[1]!), 'utf8')).join('')
        + [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]!).join('');
      expect(css, page).toContain('.lab-embed__bar');
      expect(css, page).not.toContain('.wb-report');
      expect(css, page).not.toContain('--cm-keyword');
    }
    expect(withLabs).toBeGreaterThanOrEqual(2);
  });
  for (const page of all) {
    it(page, () => {
      const m = measure(page);
      const isChapter = m.workbench !== undefined;
      // A chapter page is prose and diagrams whether or not it embeds labs yet.
      const isChapterPage = /^\/chapters\/[^/]+\/index\.html$/.test(page);
      const budget = isChapter ? CHAPTER : isChapterPage ? { html: CHAPTER.html, css: CHAPTER.css, js: PLAIN.js } : { ...PLAIN, js: page === '/index.html' ? HOME_JS : page === '/search/index.html' ? SEARCH_JS : PLAIN.js };
      const over = Object.entries(budget)
        .filter(([key, limit]) => (m[key as keyof typeof m] as number) > limit)
        .map(([key, limit]) => `${key} ${((m[key as keyof typeof m] as number) / KB).toFixed(1)} KB > ${(limit / KB).toFixed(1)} KB`);
      expect(over).toEqual([]);
      if (isChapter) {
        // The numbers are real: the workbench and the grading worker were found and counted.
        expect(m.workbench!).toBeGreaterThan(100 * KB);
        expect(m.containerScript!).toBeGreaterThan(50 * KB);
        // The live-run script is its own download, fetched on Live run, and never counted in the workbench.
        expect(m.liveScript!).toBeGreaterThan(20 * KB);
      }
    });
  }
});
