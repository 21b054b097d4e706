/**
 * Search in Chromium, as a reader uses it: type in the header's search box on a chapter, press
 * Enter, get results from the built Pagefind index, follow one and land on its section. Also
 * that the index holds the book's pages and nothing but their articles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST, requireChromium, useSitePage } from './support/site.ts';
import { pages } from '../../scripts/build-budgets.ts';

const enabled = requireChromium('search') && existsSync(DIST);
describe.runIf(enabled)('search (Chromium, Pagefind)', () => {
  const live = useSitePage();

  it('the build wrote an index of every article: chapters, guide pages and lab instructions', () => {
    const entry = JSON.parse(readFileSync(join(DIST, 'pagefind', 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    const indexed = Object.values(entry.languages).reduce((a, l) => a + l.page_count, 0);
    const articles = pages().filter((p) => readFileSync(join(DIST, p), 'utf8').includes('data-pagefind-body'));
    expect(articles.filter((p) => p.startsWith('/chapters/')).length).toBeGreaterThanOrEqual(2);
    expect(articles.filter((p) => p.startsWith('/labs/')).length).toBeGreaterThanOrEqual(6);
    expect(indexed).toBe(articles.length);
  });

  it('finds a term from a chapter page\'s search box and lands on the section', async () => {
    await live.page.goto(`${live.site.url}/chapters/quic/`);
    await live.page.fill('#site-search-q', 'serve-stale');
    await live.page.press('#site-search-q', 'Enter');
    await live.page.waitForURL(/\/search\/\?q=serve-stale/);
    const first = live.page.locator('#search-results li a').first();
    await first.waitFor();
    expect(await live.page.locator('#search-status').textContent()).toMatch(/page\(s\) for “serve-stale”/);
    const href = await first.getAttribute('href');
    expect(href).toMatch(/^\/chapters\/dns\/#[a-z0-9-]+$/);
    expect(await live.page.locator('#search-results li p mark').first().textContent()).toMatch(/serve-stale/i);
    await first.click();
    await live.page.waitForURL(/\/chapters\/dns\/#/);
    const id = decodeURIComponent(new URL(live.page.url()).hash.slice(1));
    expect(await live.page.locator(`[id="${id}"]`).isVisible()).toBe(true);
  });

  it('indexes each lab\'s instructions as a page of their own, never its hints', async () => {
    const labPage = readFileSync(join(DIST, 'labs', 'quic', 'cubic', 'index.html'), 'utf8');
    const hints = readFileSync(join(DIST, '..', 'labs', 'quic', 'cubic', 'hints.md'), 'utf8');
    const firstHint = /### Hint 1\n([^\n]+)/.exec(hints)![1]!.slice(0, 40);
    expect(labPage).toContain('data-pagefind-body');
    expect(labPage).not.toContain(firstHint);
    await live.page.goto(`${live.site.url}/search/?q=cwnd_prior`);
    await live.page.locator('#search-results li a').first().waitFor();
    const hrefs = await live.page.locator('#search-results li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.some((h) => h?.startsWith('/labs/quic/cubic/'))).toBe(true);
  });

  it('"/" on a chapter page moves to the search box, but types a slash in a field', async () => {
    await live.page.goto(`${live.site.url}/chapters/dns/`);
    await live.page.locator('netlabs-lab').first().waitFor();
    await live.page.keyboard.press('/');
    expect(await live.page.evaluate(() => document.activeElement?.id)).toBe('site-search-q');
    await live.page.keyboard.type('a/b');
    expect(await live.page.inputValue('#site-search-q')).toBe('a/b');
  });

  it('says so when nothing matches, and the box keeps the query', async () => {
    // Pagefind shortens an unknown word to a prefix it knows, so an English nonsense word matches
    // the chapters' one-letter tokens (KRPC's `q`); letters the book never uses match nothing.
    await live.page.goto(`${live.site.url}/search/?q=${encodeURIComponent('щъыэ')}`);
    await live.page.waitForFunction(() => /Nothing found|page\(s\)|index/.test(document.getElementById('search-status')?.textContent ?? ''), null, { timeout: 10_000 }).catch(() => {});
    expect(await live.page.locator('#search-status').textContent(), await live.page.locator('#search-results').innerHTML()).toBe('Nothing found for “щъыэ”.');
    expect(await live.page.inputValue('#search-q')).toBe('щъыэ');
    expect(await live.page.locator('#search-results li').count()).toBe(0);
  });
});
