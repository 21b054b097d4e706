/**
 * The workbench as a keyboard user and a phone user meet it, in Chromium against the built
 * site: focus goes into the workbench after a keyboard Open; two labs on one page fetch the
 * grading worker's script once; at 390 px the file tabs keep to one row and the lab card's
 * commands fit the card.
 */
import { describe, expect, it } from 'vitest';
import { requireChromium, useSitePage } from './support/site.ts';
import { findLab, readLabFile } from '../../src/catalog/catalog-fs.ts';
import { labEmbed, openLab, run, setCode } from './support/workbench.ts';

const enabled = requireChromium('workbench focus, shared worker and phone layout');
const CHAPTER = '/chapters/dns/';

describe.runIf(enabled)('workbench at 1280 px (Chromium)', () => {
  const live = useSitePage();

  it('keeps the focus on "Open lab" while it loads, then puts it on Run and says so', async () => {
    const page = live.page;
    await page.goto(`${live.site.url}${CHAPTER}`);
    const embed = labEmbed(page, 'dns/message-codec');
    const open = embed.locator('[data-open]');
    await open.focus();
    // Sample where the focus is on every frame from the key press until Run has it: on a fast
    // machine the load can finish before a single later check runs, so a check after the fact
    // would race the loader.
    await page.evaluate(() => {
      const log: string[] = [];
      (window as unknown as { focusLog: string[] }).focusLog = log;
      const sample = (): void => {
        const el = document.activeElement;
        const name = el?.matches('[data-open]') ? 'open' : el?.classList.contains('wb-run') ? 'run' : (el?.tagName.toLowerCase() ?? 'none');
        if (log[log.length - 1] !== name) log.push(name);
        if (name !== 'run') requestAnimationFrame(sample);
      };
      sample();
    });
    await page.keyboard.press('Enter');
    await embed.locator('.wb .cm-content').first().waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('wb-run');
    // While the workbench loaded the button kept the focus (a disabled one would drop it to
    // <body>), and then the focus went straight to Run.
    await expect.poll(() => page.evaluate(() => (window as unknown as { focusLog: string[] }).focusLog)).toEqual(['open', 'run']);
    await expect.poll(() => embed.locator('.wb [role="status"]').textContent()).toMatch(/lab is open/);
    // And Enter, pressed again where the focus now is, runs the tests.
    await page.keyboard.press('Enter');
    await expect.poll(() => embed.locator('.wb').getAttribute('data-runs'), { timeout: 60_000 }).toBe('1');
  });

  it('fetches the grading worker once for two labs on one page, restarts included', async () => {
    const page = await live.browser.context.newPage();
    const workerFetches: string[] = [];
    page.on('request', (r) => { if (/\/worker-[\w-]+\.js$/.test(new URL(r.url()).pathname)) workerFetches.push(r.url()); });
    try {
      await page.goto(`${live.site.url}${CHAPTER}`);
      const codec = await openLab(page, 'dns/message-codec');
      await run(codec);
      const stub = await openLab(page, 'dns/stub-resolver');
      await run(stub);
      // Stop an endless loop: the worker is terminated and a fresh one starts, from the same script.
      const starter = readLabFile(findLab('dns/message-codec'), 'starter.ts');
      await setCode(page, codec, `${starter}\nwhile (true) {}\n`);
      await codec.locator('.wb-run').click();
      await expect.poll(() => codec.getAttribute('data-state')).toBe('running');
      await codec.locator('.wb-stop').click();
      await expect.poll(() => codec.getAttribute('data-state')).toBe('ready');
      await setCode(page, codec, starter);
      await expect(run(codec)).resolves.toMatchObject({ status: 'fail' });
      expect(workerFetches).toHaveLength(1);
    } finally {
      await page.close();
    }
  });
});

describe.runIf(enabled)('workbench at 390 px (Chromium)', () => {
  const live = useSitePage({ width: 390, height: 844, isMobile: true });

  it("fits a phone: the lab card's commands inside the card, the file tabs on one row", async () => {
    const page = live.page;
    await page.goto(`${live.site.url}${CHAPTER}`);
    const embed = labEmbed(page, 'dns/httpdns-client'); // the lab with the most tabs
    const card = await embed.locator('.lab-card').boundingBox();
    const cli = embed.locator('.lab-card__cli pre');
    const box = await cli.boundingBox();
    const overflow = await cli.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow, 'the command block scrolls or cuts its text').toBeLessThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(card!.x + card!.width);
    const wb = await openLab(page, 'dns/httpdns-client');
    const rows = await wb.locator('[role="tab"]').evaluateAll((tabs) => new Set(tabs.map((t) => Math.round(t.getBoundingClientRect().top))).size);
    expect(rows).toBeLessThanOrEqual(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // A tab beyond the row's edge is scrolled into view when chosen.
    const last = wb.locator('[role="tab"]').last();
    await last.click();
    const [tab, list] = [await last.boundingBox(), await wb.locator('[role="tablist"]').boundingBox()];
    expect(tab!.x + tab!.width).toBeLessThanOrEqual(list!.x + list!.width + 1);
  });
});
