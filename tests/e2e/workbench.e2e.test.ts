/**
 * The lab workbench in real Chromium, against the built site (npx astro build first), as a
 * learner uses it: read the DNS chapter, open the codec lab, run wrong code, the reference,
 * an endless loop and a syntax error, reload, and check what was kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLab, readLabFile } from '../../src/catalog/catalog-fs.ts';
import { DIST, requireChromium, useSitePage } from './support/site.ts';
import { labEmbed, openLab, run, savedCode, setCode } from './support/workbench.ts';
import { inlineScriptBytes, recordScripts, sum } from './support/script-bytes.ts';

const LAB = 'dns/message-codec';
const CHAPTER = '/chapters/dns/';
const enabled = requireChromium('lab workbench');
const lab = findLab(LAB);
const reference = readLabFile(lab, 'reference.ts');
const starter = readLabFile(lab, 'starter.ts');
const limitSeconds = lab.meta.time_limit_ms / 1000;
const total = lab.meta.tasks.reduce((n, t) => n + t.points, 0);

describe.runIf(enabled)('lab workbench (Chromium)', () => {
  const live = useSitePage();

  it('loads no workbench code with a chapter page until a lab is opened; the embed shows tasks and the CLI', async () => {
    const recorder = recordScripts(live.page);
    await live.page.goto(`${live.site.url}${CHAPTER}`, { waitUntil: 'networkidle' });
    const urls = [...(await recorder.stop()).keys()];
    expect(await labEmbed(live.page, LAB).count(), `the chapter must embed <Lab id="${LAB}" /> (the lab card with the loader)`).toBe(1);
    expect(urls.length, 'the loader is there').toBeGreaterThan(0);
    expect(urls.filter((u) => /workbench|worker|codemirror|xterm|webcontainer/.test(u))).toEqual([]);
    // The embed works without the workbench: tasks, points and the command line are on the page.
    const embed = labEmbed(live.page, LAB);
    await expect(embed.locator('.lab-card__tasks li').count()).resolves.toBe(lab.meta.tasks.length);
    await expect(embed.locator('.lab-card__cli').textContent()).resolves.toContain(`npm run lab -- grade ${LAB}`);
    await expect(embed.locator('[data-best]').textContent()).resolves.toBe('Not attempted yet');
  });

  it('keeps every chapter page within 3 KB of JavaScript (gzip) before a lab is opened', async () => {
    const chapters = readdirSync(join(DIST, 'chapters'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `/chapters/${d.name}/`);
    expect(chapters).toContain(CHAPTER);
    const other = await live.browser.context.newPage();
    try {
      for (const url of chapters) {
        const recorder = recordScripts(other);
        await other.goto(`${live.site.url}${url}`, { waitUntil: 'networkidle' });
        const bytes = sum(await recorder.stop()) + (await inlineScriptBytes(other));
        console.log(`${url}: ${bytes} B of JS (gzip) before opening a lab`);
        expect(bytes, url).toBeLessThanOrEqual(3 * 1024);
      }
    } finally {
      await other.close();
    }
  });

  it('opens the lab with the starter code, the instructions and the notes', async () => {
    const wb = await openLab(live.page, LAB);
    await expect(savedCode(live.page, LAB)).resolves.toBeUndefined(); // nothing saved before an edit
    await expect(wb.locator('[data-panel="learner.ts"] .cm-content').textContent()).resolves.toContain(starter.split('\n')[0]);
    await expect(wb.locator('.wb-notes').textContent()).resolves.toMatch(/does not|without checking/);
    await expect(wb.locator('.wb-notes').textContent()).resolves.toContain('practice');
    await wb.locator('[data-tab="instructions"]').click();
    await expect(wb.locator('[data-panel="instructions"] h4').count()).resolves.toBeGreaterThanOrEqual(lab.meta.tasks.length);
    await expect(wb.locator('[data-tab="reference.ts"]').textContent()).resolves.toContain('locked');
  });

  it('grades wrong code: a failing report that names the tasks, with expected vs received', async () => {
    const wb = labEmbed(live.page, LAB).locator('.wb');
    const outcome = await run(wb);
    expect(outcome.status).toBe('fail');
    expect(outcome.score).toBe(0);
    const report = wb.locator('.wb-report');
    for (const task of lab.meta.tasks) await expect(report.textContent()).resolves.toContain(task.title);
    await expect(report.locator('.wb-task.is-fail').count()).resolves.toBe(lab.meta.tasks.length);
    await expect(report.locator('.wb-test.is-fail').count()).resolves.toBeGreaterThan(0);
    await expect(report.locator('.wb-diff-exp').count()).resolves.toBeGreaterThan(0);
    await expect(report.locator('.wb-diff-got').count()).resolves.toBeGreaterThan(0);
    await expect(wb.locator('[role="status"]').first().textContent()).resolves.toMatch(/Score 0 of \d+ points/);
  });

  it('shows hints one at a time', async () => {
    const wb = labEmbed(live.page, LAB).locator('.wb');
    await wb.locator('.wb-task.is-fail .wb-task__help button').first().click();
    const first = wb.locator(`[data-panel="hints"] [data-task="${lab.meta.tasks[0]!.id}"]`);
    await expect(first.locator('li').count()).resolves.toBe(1);
    await first.locator('button').click();
    await expect(first.locator('li').count()).resolves.toBe(2);
  });

  it('grades the reference: full marks, and the reference tab opens', async () => {
    const wb = labEmbed(live.page, LAB).locator('.wb');
    await setCode(live.page, wb, reference);
    const outcome = await run(wb);
    expect(outcome).toMatchObject({ status: 'pass', score: total });
    await expect(wb.locator('.wb-banner--pass').textContent()).resolves.toContain('All tests pass');
    await expect(wb.locator('[data-tab="reference.ts"]').textContent()).resolves.toBe('reference.ts');
    await expect(labEmbed(live.page, LAB).locator('[data-best]').textContent()).resolves.toMatch(new RegExp(`^Best: ${total}/${total}, passed`));
  });

  it(`stops an endless loop after ${limitSeconds} s and the page keeps responding`, async () => {
    const wb = labEmbed(live.page, LAB).locator('.wb');
    await setCode(live.page, wb, `${starter}\nwhile (true) {}\n`);
    const running = run(wb, lab.meta.time_limit_ms + 30_000);
    await live.page.waitForFunction(() => document.querySelector('.wb')?.getAttribute('data-state') === 'running');
    // Meanwhile the page answers: typing reaches the editor, and a second Run says it waits.
    const t0 = Date.now();
    await live.page.locator('.wb [data-panel="learner.ts"] .cm-content').press('ControlOrMeta+End');
    await live.page.keyboard.type('// still typing');
    expect(await live.page.evaluate(() => 1 + 1)).toBe(2);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await expect(live.page.locator('.wb [data-panel="learner.ts"] .cm-content').textContent()).resolves.toContain('// still typing');
    await live.page.locator('.wb .wb-run').click({ force: true }); // aria-disabled, still clickable
    await expect.poll(() => live.page.locator('.wb p[role="status"]').textContent()).toContain('Already running');
    const outcome = await running;
    expect(outcome.status).toBe('timeout');
    await expect(wb.locator('.wb-banner--timeout').textContent()).resolves.toContain(`Stopped after ${limitSeconds} s`);
    // A run after the timeout works (a fresh worker).
    await setCode(live.page, wb, reference);
    await expect(run(wb)).resolves.toMatchObject({ status: 'pass', score: total });
  });

  it('stops an endless loop at once with Stop, grading nothing, and runs again after', async () => {
    const wb = labEmbed(live.page, LAB).locator('.wb');
    await setCode(live.page, wb, `${starter}\nwhile (true) {}\n`);
    const before = await wb.getAttribute('data-runs');
    await wb.locator('.wb-run').click();
    await live.page.waitForFunction(() => document.querySelector('.wb')?.getAttribute('data-state') === 'running');
    const stop = wb.locator('.wb-stop');
    await expect(stop.isVisible()).resolves.toBe(true);
    const t0 = Date.now();
    await stop.click();
    await expect.poll(() => wb.getAttribute('data-state')).toBe('ready');
    expect(Date.now() - t0).toBeLessThan(5_000);
    await expect(wb.locator('.wb-state').textContent()).resolves.toContain('Stopped: nothing was graded');
    await expect(stop.isHidden()).resolves.toBe(true);
    expect(await wb.getAttribute('data-runs')).toBe(before); // no new report
    await setCode(live.page, wb, reference);
    await expect(run(wb)).resolves.toMatchObject({ status: 'pass', score: total });
  });

  it('shows a syntax error as learner.ts:line:col, and the location moves the cursor there', async () => {
    const wb = labEmbed(live.page, LAB).locator('.wb');
    await setCode(live.page, wb, 'export const ok = 1;\nexport function broken( {\n  return 2;\n}\n');
    const outcome = await run(wb);
    expect(outcome.status).toBe('error');
    const loc = wb.locator('.wb-banner--error .wb-loc').first();
    const where = /^learner\.ts:(\d+):(\d+)$/.exec((await loc.textContent()) ?? '');
    expect(where, 'the error names learner.ts:line:col').not.toBeNull();
    expect(Number(where![1])).toBeGreaterThanOrEqual(2);
    await loc.click();
    const line = await live.page.evaluate(() => {
      const sel = getSelection();
      const lineEl = sel?.anchorNode && (sel.anchorNode instanceof Element ? sel.anchorNode : sel.anchorNode.parentElement)?.closest('.cm-line');
      return lineEl ? [...lineEl.parentElement!.children].indexOf(lineEl) + 1 : -1;
    });
    expect(line).toBe(Number(where![1]));
    expect(await live.page.evaluate(() => !!document.activeElement?.closest('.cm-content'))).toBe(true);
  });

  it('keeps the code and the best score across a reload', async () => {
    const wb = labEmbed(live.page, LAB).locator('.wb');
    await setCode(live.page, wb, `// edited before reload\n${reference}`);
    const before = await savedCode(live.page, LAB);
    await live.page.reload({ waitUntil: 'networkidle' });
    const embed = labEmbed(live.page, LAB);
    await expect(embed.locator('[data-best]').textContent()).resolves.toMatch(new RegExp(`^Best: ${total}/${total}, passed`));
    // The lab was open: it opens again with the saved code.
    await embed.locator('.wb .cm-content').first().waitFor();
    await expect(savedCode(live.page, LAB)).resolves.toBe(before);
    await expect(embed.locator('.wb [data-panel="learner.ts"] .cm-content').textContent()).resolves.toContain('edited before reload');
  });

  it('resets to the starter, and undoes the reset', async () => {
    const wb = labEmbed(live.page, LAB).locator('.wb');
    const mine = await savedCode(live.page, LAB);
    await wb.getByRole('button', { name: 'Reset to starter' }).click();
    await expect(savedCode(live.page, LAB)).resolves.toBe(starter);
    await wb.getByRole('button', { name: 'Undo reset' }).click();
    await expect(savedCode(live.page, LAB)).resolves.toBe(mine);
  });

  it('downloads the work as .ts, uploads a file, and exports and imports progress', async () => {
    const wb = labEmbed(live.page, LAB).locator('.wb');
    const mine = await savedCode(live.page, LAB);
    const [download] = await Promise.all([live.page.waitForEvent('download'), wb.getByRole('button', { name: 'Download .ts' }).click()]);
    expect(download.suggestedFilename()).toBe('message-codec.ts');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(mine);
    const [chooser] = await Promise.all([live.page.waitForEvent('filechooser'), wb.getByRole('button', { name: 'Upload .ts' }).click()]);
    await chooser.setFiles({ name: 'mine.ts', mimeType: 'text/plain', buffer: Buffer.from('export const uploaded = 1;\n') });
    await expect.poll(() => savedCode(live.page, LAB)).toBe('export const uploaded = 1;\n');
    await wb.getByRole('button', { name: 'Undo upload' }).click();
    await expect(savedCode(live.page, LAB)).resolves.toBe(mine);
    // Export, wipe, import: the best score and the code come back.
    const [exported] = await Promise.all([live.page.waitForEvent('download'), wb.getByRole('button', { name: 'Export progress' }).click()]);
    const file = readFileSync((await exported.path())!, 'utf8');
    expect(JSON.parse(file)).toMatchObject({ format: 'netlabs-progress', progress: { [LAB]: { score: total, passed: true } } });
    await live.page.evaluate(() => localStorage.clear());
    const [importer] = await Promise.all([live.page.waitForEvent('filechooser'), wb.getByRole('button', { name: 'Import progress' }).click()]);
    await importer.setFiles({ name: 'progress.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect.poll(() => labEmbed(live.page, LAB).locator('[data-best]').textContent()).toMatch(new RegExp(`^Best: ${total}/${total}`));
    await expect(savedCode(live.page, LAB)).resolves.toBe(mine);
  });

  it('loads at most 312 KB (gzip) of JavaScript for the workbench in worker mode, run included', async () => {
    const fresh = await live.browser.context.newPage();
    const recorder = recordScripts(live.browser.context);
    let recorded: Map<string, number>;
    try {
      await fresh.goto(`${live.site.url}${CHAPTER}`, { waitUntil: 'networkidle' });
      const wb = await openLab(fresh, LAB);
      await run(wb);
      await fresh.waitForLoadState('networkidle');
    } finally {
      recorded = await recorder.stop();
    }
    const sizes: Record<string, number> = {};
    for (const [url, bytes] of recorded) sizes[new URL(url).pathname.split('/').pop()!] = bytes;
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    console.log(`workbench, worker mode, JS gzip: ${total} B\n${JSON.stringify(sizes, null, 2)}`);
    expect(Object.keys(sizes).some((n) => /^worker/.test(n)), 'the grading worker is counted').toBe(true);
    expect(Object.keys(sizes).filter((n) => /xterm|webcontainer/.test(n))).toEqual([]);
    // 300 KB until the P2P labs' SHA-1 (@noble/hashes/legacy.js) joined the worker's packages.
    expect(total).toBeLessThanOrEqual(312 * 1024);
    await fresh.close();
  });

  it('says when the lab changed since the work was saved, and keeps the work', async () => {
    await live.page.evaluate((id) => {
      const key = `netlabs:work:${id}`;
      const work = JSON.parse(localStorage.getItem(key)!);
      localStorage.setItem(key, JSON.stringify({ ...work, version: 0, code: `${work.code}\n// v0` }));
      const progress = JSON.parse(localStorage.getItem('netlabs:progress')!);
      progress[id].version = 0;
      localStorage.setItem('netlabs:progress', JSON.stringify(progress));
    }, LAB);
    await live.page.reload({ waitUntil: 'networkidle' });
    const embed = labEmbed(live.page, LAB);
    await expect(embed.locator('[data-best]').textContent()).resolves.toContain('earlier version');
    const notice = embed.locator('[data-notice="version"]');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('version 0, now 1');
    await expect(savedCode(live.page, LAB)).resolves.toMatch(/\/\/ v0$/);
  });

  it('shows the progress of every lab on the home page', async () => {
    await live.page.goto(`${live.site.url}/`, { waitUntil: 'networkidle' });
    const panel = live.page.locator('netlabs-progress-io');
    await expect(panel.isVisible()).resolves.toBe(true);
    await expect(panel.locator(`netlabs-progress[lab="${LAB}"]`).textContent()).resolves.toMatch(/^Best: \d+\/\d+ on an earlier version/);
    const others = await panel.locator(`netlabs-progress:not([lab="${LAB}"])`).allTextContents();
    expect(others.every((t) => t === 'Not attempted yet')).toBe(true);
  });
});
