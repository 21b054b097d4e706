/**
 * WebContainer mode with no network (as in these tests: every outside host fails to resolve):
 * boot() never settles, so after the boot timeout the workbench falls back to the worker,
 * says why, and Run still grades. xterm and @webcontainer/api load only when the mode is chosen.
 */
import { describe, expect, it } from 'vitest';
import { requireChromium, useSitePage } from './support/site.ts';
import { openLab, run } from './support/workbench.ts';

const LAB = 'dns/message-codec';
const enabled = requireChromium('WebContainer fallback');

describe.runIf(enabled)('WebContainer mode offline (Chromium)', () => {
  const live = useSitePage();

  it('falls back to the worker with the reason, and Run still grades', { timeout: 120_000 }, async () => {
    const scripts: string[] = [];
    live.page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await live.page.goto(`${live.site.url}/chapters/dns/`);
    expect(await live.page.evaluate(() => crossOriginIsolated)).toBe(true);
    const wb = await openLab(live.page, LAB);
    expect(scripts.filter((u) => /webcontainer-mode|xterm/.test(u))).toEqual([]);
    await wb.locator('.wb-select').selectOption('webcontainer');
    await expect.poll(() => wb.getAttribute('data-state')).toBe('booting');
    await expect.poll(() => wb.locator('.wb-state').textContent()).toMatch(/Starting the WebContainer/);
    await expect.poll(() => scripts.some((u) => /webcontainer-mode/.test(u))).toBe(true);
    await expect(wb.locator('.wb-terminal').isVisible()).resolves.toBe(true);
    // xterm is drawn with its stylesheet, and tells what it is doing.
    await expect.poll(() => live.page.locator('style#netlabs-xterm-css').count()).toBe(1);
    await expect.poll(() => wb.locator('.wb-terminal .xterm').count()).toBe(1);
    const notice = wb.locator('[data-notice="fallback"]');
    await notice.waitFor({ timeout: 60_000 });
    await expect(notice.textContent()).resolves.toMatch(/could not start \(boot timed out/);
    await expect(wb.locator('.wb-select').inputValue()).resolves.toBe('worker');
    await expect(wb.locator('.wb-select option[value="webcontainer"]').isDisabled()).resolves.toBe(true);
    await expect(wb.locator('.wb-terminal').isHidden()).resolves.toBe(true);
    const outcome = await run(wb);
    expect(outcome.status).toBe('fail'); // the starter, graded by the worker
    await expect(wb.locator('.wb-banner__meta').textContent()).resolves.toContain('in-page worker');
  });
});
