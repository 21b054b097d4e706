/**
 * Search in Chromium, as a reader uses it: type in the header's search box on a chapter, press
 * Enter, get results from the built Pagefind index, follow one and land on its section. Also
 * that the index holds the book's pages and nothing but their articles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, launch, requireChromium, serveDist, type Browser, type Site } from './support/site.ts';

const enabled = requireChromium('search') && existsSync(DIST);
let site: Site;
let browser: Browser;
let page: Page;

describe.runIf(enabled)('search (Chromium, Pagefind)', () => {
  beforeAll(async () => {
    site = await serveDist();
    browser = await launch();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('the build wrote an index of every chapter and guide page', () => {
    const entry = JSON.parse(readFileSync(join(DIST, 'pagefind', 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    const pages = Object.values(entry.languages).reduce((a, l) => a + l.page_count, 0);
    expect(pages).toBeGreaterThanOrEqual(2 + 3); // two chapters and the guide's pages
  });

  it('finds a term from a chapter page\'s search box and lands on the section', async () => {
    await page.goto(`${site.url}/chapters/quic/`);
    await page.fill('#site-search-q', 'serve-stale');
    await page.press('#site-search-q', 'Enter');
    await page.waitForURL(/\/search\/\?q=serve-stale/);
    const first = page.locator('#search-results li a').first();
    await first.waitFor();
    expect(await page.locator('#search-status').textContent()).toMatch(/page\(s\) for “serve-stale”/);
    const href = await first.getAttribute('href');
    expect(href).toMatch(/^\/chapters\/dns\/#[a-z0-9-]+$/);
    expect(await page.locator('#search-results li p mark').first().textContent()).toMatch(/serve-stale/i);
    await first.click();
    await page.waitForURL(/\/chapters\/dns\/#/);
    const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
    expect(await page.locator(`[id="${id}"]`).isVisible()).toBe(true);
  });

  it('indexes each lab\'s instructions as a page of their own, never its hints', async () => {
    const labPage = readFileSync(join(DIST, 'labs', 'quic', 'cubic', 'index.html'), 'utf8');
    const hints = readFileSync(join(DIST, '..', 'labs', 'quic', 'cubic', 'hints.md'), 'utf8');
    const firstHint = /### Hint 1\n([^\n]+)/.exec(hints)![1]!.slice(0, 40);
    expect(labPage).toContain('data-pagefind-body');
    expect(labPage).not.toContain(firstHint);
    await page.goto(`${site.url}/search/?q=cwnd_prior`);
    await page.locator('#search-results li a').first().waitFor();
    const hrefs = await page.locator('#search-results li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.some((h) => h?.startsWith('/labs/quic/cubic/'))).toBe(true);
  });

  it('"/" on a chapter page moves to the search box, but types a slash in a field', async () => {
    await page.goto(`${site.url}/chapters/dns/`);
    await page.locator('netlabs-lab').first().waitFor();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('site-search-q');
    await page.keyboard.type('a/b');
    expect(await page.inputValue('#site-search-q')).toBe('a/b');
  });

  it('says so when nothing matches, and the box keeps the query', async () => {
    await page.goto(`${site.url}/search/?q=ukulele`);
    await page.waitForFunction(() => /Nothing found|page\(s\)|index/.test(document.getElementById('search-status')?.textContent ?? ''), null, { timeout: 10_000 }).catch(() => {});
    expect(await page.locator('#search-status').textContent(), await page.locator('#search-results').innerHTML()).toBe('Nothing found for “ukulele”.');
    expect(await page.inputValue('#search-q')).toBe('ukulele');
    expect(await page.locator('#search-results li').count()).toBe(0);
  });
});
