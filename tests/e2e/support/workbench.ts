/** Driving the lab workbench in a page the way a learner does: open, type, run, read. */
import type { Locator, Page } from 'playwright-core';

export interface RunOutcome {
  status: string;
  score: number;
  /** From pressing Run to the report on screen, measured in the page. */
  reportMs: number;
}

export function labEmbed(page: Page, id: string): Locator {
  return page.locator(`netlabs-lab[lab="${id}"]`);
}

/** Press "Open lab" and wait for the workbench (editor included) to be there. */
export async function openLab(page: Page, id: string): Promise<Locator> {
  const embed = labEmbed(page, id);
  await embed.locator('[data-open]').click();
  const wb = embed.locator('.wb');
  await wb.locator('.cm-content').first().waitFor({ timeout: 30_000 });
  return wb;
}

/**
 * Replace the learner's file the way a learner pastes: select all with the keyboard, then a
 * paste event carrying the text (typing 25 KB key by key would take minutes).
 */
export async function setCode(page: Page, wb: Locator, code: string): Promise<void> {
  await wb.locator('[data-tab="learner.ts"]').click();
  const content = wb.locator('[data-panel="learner.ts"] .cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await content.evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, code);
}

/** The learner's file as saved in the browser (the editor renders only the lines in view). */
export async function savedCode(page: Page, id: string): Promise<string | undefined> {
  await page.waitForTimeout(600); // the save is debounced
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null')?.code, `netlabs:work:${id}`);
}

/** Press Run and wait for the report (a run ends in at most the lab's limit plus a margin). */
export async function run(wb: Locator, timeoutMs = 60_000): Promise<RunOutcome> {
  const before = (await wb.getAttribute('data-runs')) ?? '0';
  await wb.locator('.wb-run').click();
  await wb.page().waitForFunction(
    ([el, n]) => (el as HTMLElement).dataset.runs !== n && (el as HTMLElement).dataset.state === 'ready',
    [await wb.elementHandle(), before] as const,
    { timeout: timeoutMs },
  );
  return readOutcome(wb);
}

export async function readOutcome(wb: Locator): Promise<RunOutcome> {
  return wb.evaluate((el) => ({
    status: (el as HTMLElement).dataset.status ?? '',
    score: Number((el as HTMLElement).dataset.score),
    reportMs: Number((el as HTMLElement).dataset.reportMs),
  }));
}
