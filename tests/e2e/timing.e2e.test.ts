/**
 * Run-to-report time of the DNS codec lab in the worker, measured in the page (from pressing
 * Run to the report on screen): cold (the first run in a freshly loaded page) and warm (later
 * runs), medians of 5. Written to bench-results/run-to-report.json for `npm run bench`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLab, readLabFile } from '../../src/labs/catalog.ts';
import { ROOT, launch, requireChromium, serveDist, type Browser, type Site } from './support/site.ts';
import { openLab, run, setCode } from './support/workbench.ts';

const LAB = 'dns/message-codec';
const RUNS = 5;
const enabled = requireChromium('run-to-report timings');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

let site: Site;
let browser: Browser;

describe.runIf(enabled)('run-to-report timings (Chromium, worker)', () => {
  beforeAll(async () => {
    site = await serveDist();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it(`cold and warm medians of ${RUNS} runs`, { timeout: 600_000 }, async () => {
    const lab = findLab(LAB);
    const results: Record<string, { cold: number[]; warm: number[] }> = {};
    for (const [name, code] of [['reference', readLabFile(lab, 'reference.ts')], ['starter', readLabFile(lab, 'starter.ts')]] as const) {
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const page = await browser.context.newPage();
        await page.goto(`${site.url}/chapters/dns/`);
        const wb = await openLab(page, LAB);
        await setCode(page, wb, code);
        cold.push((await run(wb)).reportMs);
        if (i === 0) for (let j = 0; j < RUNS; j++) warm.push((await run(wb)).reportMs);
        await page.close();
      }
      results[name] = { cold, warm };
    }
    const summary = Object.fromEntries(
      Object.entries(results).map(([k, v]) => [k, { cold_median_ms: median(v.cold), warm_median_ms: median(v.warm), cold_ms: v.cold, warm_ms: v.warm }]),
    );
    console.log(`run-to-report, ${LAB}, worker:\n${JSON.stringify(summary, null, 2)}`);
    mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench-results', 'run-to-report.json'), `${JSON.stringify({ lab: LAB, engine: 'worker', ...summary }, null, 2)}\n`);
    // Generous bounds: these catch a broken runner (e.g. a fresh worker per run), not a slow machine.
    expect(summary.reference!.warm_median_ms).toBeLessThan(lab.meta.time_limit_ms / 2);
    expect(summary.starter!.warm_median_ms).toBeLessThan(lab.meta.time_limit_ms / 4);
  });
});
