/**
 * Accessibility in real Chromium: axe-core finds no violation of any impact on any page
 * of the book (home, chapters, guide), and on the open workbench with a report; and a lab can be opened, run and read
 * with the keyboard alone.
 */
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DIST, requireChromium, useSitePage } from './support/site.ts';
import { labEmbed, openLab, run } from './support/workbench.ts';

const LAB = 'dns/message-codec';
const CHAPTER = '/chapters/dns/';
const enabled = requireChromium('accessibility');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  })) as Violation[];
  // Every impact counts: a "minor" finding (an empty table header) is still a reader who cannot tell.
  return violations.map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** The home page, every chapter and guide page, the indexes and the glossary, from the built site. */
function bookPages(): string[] {
  const pages = ['/', '/chapters/', '/guide/', '/glossary/'];
  for (const section of ['chapters', 'guide']) {
    for (const d of readdirSync(join(DIST, section), { withFileTypes: true })) if (d.isDirectory()) pages.push(`/${section}/${d.name}/`);
  }
  // Each lab's instructions page: /labs/<chapter>/<lab>/.
  for (const chapter of readdirSync(join(DIST, 'labs'), { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const lab of readdirSync(join(DIST, 'labs', chapter.name), { withFileTypes: true })) if (lab.isDirectory()) pages.push(`/labs/${chapter.name}/${lab.name}/`);
  }
  return pages;
}

describe.runIf(enabled)('accessibility (Chromium, axe-core)', () => {
  const live = useSitePage();

  for (const scheme of ['light', 'dark'] as const) {
    it(`every page of the book (${scheme})`, async () => {
      await live.page.emulateMedia({ colorScheme: scheme });
      for (const path of bookPages()) {
        await live.page.goto(`${live.site.url}${path}`, { waitUntil: 'networkidle' });
        expect(await axeViolations(live.page), path).toEqual([]);
      }
    });

    it(`the open workbench with a failing report (${scheme})`, async () => {
      await live.page.emulateMedia({ colorScheme: scheme });
      await live.page.goto(`${live.site.url}${CHAPTER}`, { waitUntil: 'networkidle' });
      const wb = labEmbed(live.page, LAB).locator('.wb');
      if (!(await wb.count())) await openLab(live.page, LAB);
      await run(wb);
      expect(await axeViolations(live.page)).toEqual([]);
      for (const tab of ['instructions', 'hints', 'grade.test.ts', 'reference.ts']) {
        await wb.locator(`[data-tab="${tab}"]`).click();
        expect(await axeViolations(live.page), `tab ${tab}`).toEqual([]);
      }
      await wb.locator('[data-tab="learner.ts"]').click();
    });
  }

  it('opens, runs and reports a lab with the keyboard alone', async () => {
    const fresh = await live.browser.context.newPage();
    try {
      await fresh.emulateMedia({ colorScheme: 'light' });
      await fresh.goto(`${live.site.url}${CHAPTER}`, { waitUntil: 'networkidle' });
      const focusIs = (selector: string) => fresh.evaluate((s) => !!document.activeElement?.closest(s), selector);
      const tabTo = async (selector: string, limit = 400): Promise<void> => {
        for (let i = 0; i < limit; i++) {
          if (await focusIs(selector)) return;
          await fresh.keyboard.press('Tab');
        }
        throw new Error(`Tab never reached ${selector}`);
      };
      const open = `netlabs-lab[lab="${LAB}"] [data-open]`;
      await tabTo(open);
      // Focus is visible: an outline is drawn.
      const outline = await fresh.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).not.toBe('none');
      await fresh.keyboard.press('Enter');
      const wb = labEmbed(fresh, LAB).locator('.wb');
      await wb.locator('.cm-content').first().waitFor();
      await expect(fresh.locator(open).getAttribute('aria-expanded')).resolves.toBe('true');
      // Run is the next stop after the Open button.
      await tabTo(`netlabs-lab[lab="${LAB}"] .wb-run`, 3);
      await fresh.keyboard.press('Enter');
      await fresh.waitForFunction(() => document.querySelector('.wb')?.getAttribute('data-runs') === '1', undefined, { timeout: 60_000 });
      await expect.poll(() => fresh.locator('.wb p[role="status"]').textContent()).toMatch(/Score \d+ of \d+ points/);
      // Into the editor with Tab, type, and run with Ctrl+Enter.
      await tabTo(`netlabs-lab[lab="${LAB}"] [data-panel="learner.ts"] .cm-content`, 20);
      await fresh.keyboard.press('ControlOrMeta+End');
      await fresh.keyboard.type('\n// typed with the keyboard');
      await fresh.keyboard.press('ControlOrMeta+Enter');
      await fresh.waitForFunction(() => document.querySelector('.wb')?.getAttribute('data-runs') === '2', undefined, { timeout: 60_000 });
      // Tab leaves the editor (it never traps focus).
      await fresh.keyboard.press('Tab');
      expect(await focusIs('.cm-content')).toBe(false);
      // The report's tasks are disclosure widgets reachable by keyboard.
      await tabTo(`netlabs-lab[lab="${LAB}"] .wb-task > summary`, 40);
    } finally {
      await fresh.close();
    }
  });
});
