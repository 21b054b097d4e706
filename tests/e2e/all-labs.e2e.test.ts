/**
 * Every lab the page can grade (runtime: worker), through the page: open it where a chapter
 * embeds it, paste the reference solution, press Run, expect full marks. A lab that no chapter
 * embeds yet is opened through an embed added to a page that has the loader (and named in a
 * warning), so a new lab is proven in the browser before its chapter exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAllLabs, readLabFile } from '../../src/catalog/catalog-fs.ts';
import { DIST, launch, requireChromium, serveDist, type Browser, type Site } from './support/site.ts';
import { openLab, run, setCode } from './support/workbench.ts';

const enabled = requireChromium('every lab through the page');
const labs = loadAllLabs().filter((l) => l.meta.runtime === 'worker');

function htmlPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? htmlPages(path) : name.endsWith('.html') ? [path] : [];
  });
}

/** URL path of the built page that embeds each lab, and of any page with the loader. */
function embeddingPages(): { byLab: Map<string, string>; anyLoaderPage?: string } {
  const byLab = new Map<string, string>();
  let anyLoaderPage: string | undefined;
  for (const file of htmlPages(DIST)) {
    const html = readFileSync(file, 'utf8');
    const url = `/${relative(DIST, file).replace(/index\.html$/, '')}`;
    for (const m of html.matchAll(/<netlabs-lab\b[^>]*\blab="([^"]+)"/g)) {
      if (!byLab.has(m[1]!)) byLab.set(m[1]!, url);
      anyLoaderPage ??= url;
    }
  }
  return { byLab, anyLoaderPage };
}

let site: Site;
let browser: Browser;
let pages: ReturnType<typeof embeddingPages>;

describe.runIf(enabled)('every worker lab graded in the page: the reference gets full marks', () => {
  beforeAll(async () => {
    site = await serveDist();
    browser = await launch();
    pages = embeddingPages();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('has labs to grade', () => {
    expect(labs.length).toBeGreaterThan(0);
  });

  for (const lab of labs) {
    const { id } = lab.meta;
    const total = lab.meta.tasks.reduce((n, t) => n + t.points, 0);
    it(`${id}: ${total}/${total}`, { timeout: lab.meta.time_limit_ms * 2 + 60_000 }, async () => {
      const page: Page = await browser.context.newPage();
      try {
        let url = pages.byLab.get(id);
        if (!url) {
          console.warn(`*** ${id} is not embedded in any chapter yet: grading it through an embed added to ${pages.anyLoaderPage}`);
          url = pages.anyLoaderPage;
          expect(url, 'some page must embed a lab (so the loader is built)').toBeDefined();
        }
        await page.goto(`${site.url}${url}`);
        if (!pages.byLab.has(id)) {
          await page.evaluate(({ id, version }) => {
            const el = document.createElement('netlabs-lab');
            el.setAttribute('lab', id);
            el.setAttribute('version', String(version));
            el.innerHTML = '<div data-lab-bar hidden><button type="button" data-open><span data-label>Open lab</span></button><span data-best></span></div><div data-workbench hidden></div>';
            document.querySelector('main')!.prepend(el);
          }, { id, version: lab.meta.version });
        }
        const wb = await openLab(page, id);
        await setCode(page, wb, readLabFile(lab, 'reference.ts'));
        const outcome = await run(wb, lab.meta.time_limit_ms + 30_000);
        const failing = outcome.status === 'pass' ? [] : await wb.locator('.wb-test:not(.is-pass) .wb-test__name').allTextContents();
        expect({ status: outcome.status, score: outcome.score, failing }).toEqual({ status: 'pass', score: total, failing: [] });
        console.log(`${id}: ${outcome.score}/${total} in ${outcome.reportMs} ms`);
      } finally {
        await page.close();
      }
    });
  }
});
