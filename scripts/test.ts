/**
 * npm test: every check the project holds itself to, in order, with a summary.
 *   1. type-check (after astro sync)  4. build the site
 *   2. unit tests                    5. end-to-end tests in Chromium (against the build)
 *   3. the lab check (all labs)      6. peer tests against real servers on 127.0.0.1
 * Steps that need Chromium or a peer server skip loudly when it is missing; under CI=true
 * nothing may be skipped (the tests themselves enforce that). Each step has a time limit, a few
 * times what it takes on a 2-core machine: a step that runs over is stopped and named, rather
 * than a hung CI job that says nothing.
 */
import { spawnSync } from 'node:child_process';

interface Step { name: string; cmd: string; args: string[]; limitS: number }

const npx = (...args: string[]): Step['args'] => ['--no-install', ...args];
const steps: Step[] = [
  // astro sync writes .astro/types.d.ts (astro:content, import.meta.env, ?url imports): a clean
  // clone has none until then.
  { name: 'type-check: astro sync', cmd: 'npx', args: npx('astro', 'sync'), limitS: 120 },
  { name: 'type-check', cmd: 'npx', args: npx('tsc', '--noEmit', '-p', '.'), limitS: 300 },
  { name: 'unit tests', cmd: 'npx', args: npx('vitest', 'run', '--project', 'unit'), limitS: 420 },
  // The check's own budget is 10 minutes for every lab to come (issue: grading speed).
  { name: 'lab check', cmd: process.execPath, args: ['src/cli/lab.ts', 'check'], limitS: 600 },
  { name: 'site build', cmd: 'npx', args: npx('astro', 'build'), limitS: 300 },
  { name: 'e2e (Chromium)', cmd: 'npx', args: npx('vitest', 'run', '--project', 'e2e'), limitS: 900 },
  { name: 'peer tests', cmd: 'npx', args: npx('vitest', 'run', '--project', 'peers'), limitS: 600 },
];

const only = process.argv.slice(2);
const results: { name: string; ok: boolean; seconds: number; overLimit?: number }[] = [];
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  console.log(`\n=== ${step.name} (limit ${step.limitS} s) ===`);
  const t0 = Date.now();
  const r = spawnSync(step.cmd, step.args, { stdio: 'inherit', timeout: step.limitS * 1000, killSignal: 'SIGTERM' });
  const over = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (over) console.error(`\n*** ${step.name} ran over its limit of ${step.limitS} s and was stopped.`);
  results.push({ name: step.name, ok: r.status === 0 && !over, seconds: (Date.now() - t0) / 1000, overLimit: over ? step.limitS : undefined });
}
console.log('\n=== summary ===');
for (const r of results) {
  const why = r.overLimit ? `  (over its limit of ${r.overLimit} s)` : '';
  console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(22)} ${r.seconds.toFixed(1)} s${why}`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
