/**
 * WebContainer mode without the outside world, in Chromium against the built site. Every
 * request to StackBlitz is answered here (never sent): refused at once, as a blocked or
 * unresolvable host is, or held without an answer, as a network that swallows packets does.
 * Refused: the workbench falls back to the worker within moments, says why, and Run grades.
 * Held: the boot's timeout decides; a Run pressed meanwhile shows one status, waits, and
 * reports the grading time apart from the wait. xterm and @webcontainer/api load only when the
 * mode is chosen.
 */
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireChromium, useSitePage } from './support/site.ts';
import { openLab, run } from './support/workbench.ts';

const LAB = 'dns/message-codec';
const STACKBLITZ = /^https:\/\/([\w-]+\.)*stackblitz\.(com|io)\//;
const enabled = requireChromium('WebContainer fallback');

describe.runIf(enabled)('WebContainer mode, StackBlitz refused (Chromium)', () => {
  const live = useSitePage();

  it('falls back to the worker at once with the reason, and Run still grades', { timeout: 120_000 }, async () => {
    await live.browser.context.route(STACKBLITZ, (route) => route.abort('blockedbyclient'));
    const scripts: string[] = [];
    live.page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await live.page.goto(`${live.site.url}/chapters/dns/`);
    expect(await live.page.evaluate(() => crossOriginIsolated)).toBe(true);
    const wb = await openLab(live.page, LAB);
    expect(scripts.filter((u) => /webcontainer-mode|xterm/.test(u))).toEqual([]);
    const t0 = Date.now();
    await wb.locator('.wb-select').selectOption('webcontainer');
    const notice = wb.locator('[data-notice="fallback"]');
    await notice.waitFor({ timeout: 60_000 });
    const fallbackMs = Date.now() - t0;
    console.log(`WebContainer fallback with StackBlitz refused: ${fallbackMs} ms`);
    // The probe's reason, not the 20 s timeout's: the page did not wait the boot out.
    await expect(notice.textContent()).resolves.toMatch(/could not start \(StackBlitz unreachable\)/);
    expect(fallbackMs).toBeLessThan(10_000);
    expect(scripts.some((u) => /webcontainer-mode/.test(u))).toBe(true);
    await expect.poll(() => live.page.locator('style#netlabs-xterm-css').count()).toBe(1);
    await expect(wb.locator('.wb-select').inputValue()).resolves.toBe('worker');
    await expect(wb.locator('.wb-select option[value="webcontainer"]').isDisabled()).resolves.toBe(true);
    await expect(wb.locator('.wb-terminal').isHidden()).resolves.toBe(true);
    const outcome = await run(wb);
    expect(outcome.status).toBe('fail'); // the starter, graded by the worker
    await expect(wb.locator('.wb-banner__meta').textContent()).resolves.toContain('in-page worker');
  });
});

describe.runIf(enabled)('WebContainer mode, StackBlitz silent (Chromium)', () => {
  const live = useSitePage();

  it('shows one status while a Run waits for the boot, and reports the wait apart from the grading', { timeout: 120_000 }, async () => {
    const held: Route[] = [];
    await live.browser.context.route(STACKBLITZ, (route) => void held.push(route));
    await live.page.goto(`${live.site.url}/chapters/dns/`);
    const wb = await openLab(live.page, LAB);
    await wb.locator('.wb-select').selectOption('webcontainer');
    await expect.poll(() => wb.getAttribute('data-state')).toBe('booting');
    await expect.poll(() => wb.locator('.wb-state').textContent()).toMatch(/Starting the WebContainer/);
    await expect(wb.locator('.wb-terminal').isVisible()).resolves.toBe(true);
    await expect.poll(() => wb.locator('.wb-terminal .xterm').count()).toBe(1);
    await wb.locator('.wb-run').click();
    // Sample the status line for 3 s: the boot's line only, never "Running the tests" over it.
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      seen.add((await wb.locator('.wb-state').textContent())!.replace(/\d+ s/, 'N s'));
      await live.page.waitForTimeout(100);
    }
    expect([...seen].filter((s) => !/^Starting the WebContainer/.test(s))).toEqual([]);
    expect([...seen].some((s) => /Your Run starts when it is ready/.test(s))).toBe(true);
    await expect(wb.getAttribute('data-state')).resolves.toBe('booting');
    // The boot times out (20 s); the Run then goes to the worker.
    await expect.poll(() => wb.getAttribute('data-runs'), { timeout: 60_000 }).toBe('1');
    await expect(wb.locator('[data-notice="fallback"]').textContent()).resolves.toMatch(/boot timed out/);
    const meta = (await wb.locator('.wb-banner__meta').textContent())!;
    expect(meta).toMatch(/Graded by the in-page worker in [\d.]+ (ms|s)\. Waited \d+\.\d s for the WebContainer to start before grading\./);
    const waited = Number(/Waited (\d+\.\d) s/.exec(meta)![1]);
    const runMs = Number(await wb.getAttribute('data-run-ms'));
    expect(waited).toBeGreaterThan(5);
    expect(runMs, 'the grading time excludes the wait').toBeLessThan(waited * 1000);
    for (const route of held) await route.abort().catch(() => {});
  });
});
