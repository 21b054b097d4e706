/**
 * npm run bench: the numbers the project tracks, printed as tables (and saved to
 * bench-results/bench.json). Timings are medians on this machine: compare ratios within one
 * run, never across machines.
 *
 *   site build time                     (median of --runs builds)
 *   lab check time, CLI grade time per lab (median of --runs grades of the reference)
 *   JS bytes (gzip) per chapter page: before opening a lab, after opening + one Run in worker
 *   mode, and after switching to WebContainer mode
 *   Run-to-report per lab in the worker, cold (fresh page) and warm (medians), in Chromium
 *   lab watch save-to-report per lab (warm thread; median of 5 saves)
 *   a grade where one test hangs (the hang fixture), CLI and the check's thread, wall clock
 *
 * Options: --runs N (default 3), --skip-build (use the existing dist/), --no-browser.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { loadAllLabs, loadLab, readLabFile, PROJECT_ROOT } from '../src/catalog/catalog-fs.ts';
import { gradeWithVitest } from '../src/grading/engines/vitest/engine-fs.ts';
import { gradeWithHarnessLimited } from '../src/grading/engines/node/thread-fs.ts';
import { watchLab } from '../src/cli/commands/watch.ts';
import { HAVE_CHROMIUM, launch, serveDist } from '../tests/e2e/support/site.ts';
import { openLab, run, setCode } from '../tests/e2e/support/workbench.ts';
import { inlineScriptBytes, recordScripts, sum } from '../tests/e2e/support/script-bytes.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'skip-build': { type: 'boolean', default: false },
    'no-browser': { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(values.runs));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
function table(head: string[], rows: (string | number)[][]): string {
  const all = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map((r) => line(r.map(String)))].join('\n');
}
function timed(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: PROJECT_ROOT, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
  return performance.now() - t0;
}

const out: Record<string, unknown> = { date: new Date().toISOString(), runs: RUNS };
const labs = loadAllLabs();

// 1. Site build.
if (!values['skip-build'] || !existsSync(join(PROJECT_ROOT, 'dist'))) {
  const builds = Array.from({ length: RUNS }, () => timed('npx', ['--no-install', 'astro', 'build']));
  out.build_ms = { median: median(builds), runs: builds };
  console.log(`\nSite build: ${secs(median(builds))} (median of ${RUNS})`);
}

// 2. Lab check and CLI grade times.
const checkMs = timed(process.execPath, ['src/cli/lab.ts', 'check']);
out.check_ms = checkMs;
console.log(`Lab check, all ${labs.length} labs: ${secs(checkMs)}`);
const gradeRows: (string | number)[][] = [];
const grades: Record<string, number> = {};
for (const lab of labs) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await gradeWithVitest(lab, join(lab.dir, 'reference.ts'))).elapsedMs);
  grades[lab.meta.id] = median(times);
  gradeRows.push([lab.meta.id, secs(median(times))]);
}
out.cli_grade_ms = grades;
console.log(`\nCLI grade of each reference (wall clock, vitest start-up included; median of ${RUNS})\n${table(['lab', 'grade time'], gradeRows)}`);

// 2b. lab watch: save to report, with the warm thread.
const watchRows: (string | number)[][] = [];
const watchMs: Record<string, { first: number; median: number }> = {};
for (const lab of labs) {
  const dir = mkdtempSync(join(tmpdir(), 'netlabs-bench-watch-'));
  const file = join(dir, 'learner.ts');
  const reference = readFileSync(join(lab.dir, 'reference.ts'), 'utf8');
  writeFileSync(file, reference);
  const times: number[] = [];
  let wake: () => void = () => {};
  const watcher = watchLab(lab, file, { print: () => {}, onGraded: (_r, ms) => { times.push(ms); wake(); } });
  await watcher.ready;
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 200)); // a person does not save twice in 200 ms
    const graded = new Promise<void>((r) => { wake = r; });
    writeFileSync(file, `${reference}\n// save ${i}\n`);
    await graded;
  }
  watcher.close();
  rmSync(dir, { recursive: true, force: true });
  watchMs[lab.meta.id] = { first: times[0]!, median: median(times.slice(1)) };
  watchRows.push([lab.meta.id, `${times[0]!.toFixed(0)} ms`, `${median(times.slice(1)).toFixed(0)} ms`]);
}
out.watch_ms = watchMs;
console.log(`\nlab watch: save to report (warm thread; first grade at start, then median of 5 saves)\n${table(['lab', 'first', 'save → report'], watchRows)}`);

// 2c. A grade where one test hangs: the fixture whose second task blocks or never settles.
{
  const hangDir = join(PROJECT_ROOT, 'tests/fixtures/labs/demo/hang');
  const hangLab = loadLab(hangDir);
  const rows: (string | number)[][] = [];
  const hang: Record<string, number> = {};
  for (const name of ['reference', 'blocks', 'never-settles']) {
    const file = name === 'reference' ? join(hangDir, 'reference.ts') : join(hangDir, 'learners', `${name}.ts`);
    const t0 = performance.now();
    const thread = await gradeWithHarnessLimited(hangDir, file);
    const threadMs = performance.now() - t0;
    const cli = await gradeWithVitest(hangLab, file);
    hang[`${name}_cli`] = cli.elapsedMs;
    hang[`${name}_thread`] = threadMs;
    rows.push([name, `${cli.result.score}/${cli.result.max_score}`, secs(cli.elapsedMs), `${thread.score}/${thread.max_score}`, secs(threadMs)]);
  }
  out.hang_ms = hang;
  console.log(`\nA grade where one test hangs (fixture demo/hang: test limit ${hangLab.meta.test_time_limit_ms} ms, 3 tasks)\n${table(['learner', 'cli score', 'cli time', 'thread score', 'thread time'], rows)}`);
}

// 3 and 4. In Chromium.
if (values['no-browser'] || !HAVE_CHROMIUM) {
  console.log(`\n${HAVE_CHROMIUM ? 'Browser numbers skipped (--no-browser).' : 'BROWSER NUMBERS SKIPPED: no Chromium (apt-get install chromium).'}`);
} else {
  const site = await serveDist();
  const browser = await launch();
  try {
    const chapters = readdirSync(join(PROJECT_ROOT, 'dist', 'chapters'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const byteRows: (string | number)[][] = [];
    const bytes: Record<string, Record<string, number>> = {};
    for (const chapter of chapters) {
      const lab = labs.find((l) => l.meta.chapter === chapter && l.meta.runtime === 'worker');
      const page = await browser.context.newPage();
      // Cumulative: one recorder per stage, each started at the page load.
      const stages = [recordScripts(browser.context), recordScripts(browser.context), recordScripts(browser.context)];
      await page.goto(`${site.url}/chapters/${chapter}/`, { waitUntil: 'networkidle' });
      const inlineBytes = await inlineScriptBytes(page);
      const row: Record<string, number> = { before: sum(await stages[0]!.stop()) + inlineBytes };
      if (lab) {
        const wb = await openLab(page, lab.meta.id);
        await run(wb, lab.meta.time_limit_ms + 30_000);
        await page.waitForLoadState('networkidle');
        row.worker = sum(await stages[1]!.stop()) + inlineBytes;
        await wb.locator('.wb-select').selectOption('webcontainer');
        await wb.locator('[data-notice="fallback"]').waitFor({ timeout: 90_000 }).catch(() => undefined);
        row.webcontainer = sum(await stages[2]!.stop()) + inlineBytes;
      } else {
        await Promise.all(stages.slice(1).map((s) => s.stop()));
      }
      await page.close();
      bytes[chapter] = row;
      byteRows.push([`/chapters/${chapter}/`, kb(row.before!), row.worker ? kb(row.worker) : '-', row.webcontainer ? kb(row.webcontainer) : '-']);
    }
    out.js_gzip_bytes = bytes;
    console.log(`\nJS per chapter page (gzip; cumulative; WebContainer offline falls back after its boot timeout)\n${table(['page', 'before opening', 'workbench, worker (after a Run)', '+ WebContainer mode'], byteRows)}`);

    const timingRows: (string | number)[][] = [];
    const timings: Record<string, { cold: number[]; warm: number[] }> = {};
    for (const lab of labs.filter((l) => l.meta.runtime === 'worker')) {
      const code = readLabFile(lab, 'reference.ts');
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const page: Page = await browser.context.newPage();
        await page.goto(`${site.url}/chapters/${lab.meta.chapter}/`);
        const wb = await openLab(page, lab.meta.id);
        await setCode(page, wb, code);
        const first = await run(wb, lab.meta.time_limit_ms + 30_000);
        if (first.status !== 'pass') throw new Error(`${lab.meta.id}: the reference did not pass in the page (${first.status})`);
        cold.push(first.reportMs);
        if (i === 0) for (let j = 0; j < Math.max(RUNS, 5); j++) warm.push((await run(wb, lab.meta.time_limit_ms + 30_000)).reportMs);
        await page.close();
      }
      timings[lab.meta.id] = { cold, warm };
      timingRows.push([lab.meta.id, `${median(cold)} ms`, `${median(warm)} ms`]);
    }
    out.run_to_report_ms = timings;
    console.log(`\nRun-to-report in the worker, reference solution (in-page clock; cold: first run in a fresh page, median of ${RUNS}; warm: median of later runs)\n${table(['lab', 'cold', 'warm'], timingRows)}`);
  } finally {
    await browser.close();
    await site.close();
  }
}

mkdirSync(join(PROJECT_ROOT, 'bench-results'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, 'bench-results', 'bench.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('\nSaved bench-results/bench.json');

