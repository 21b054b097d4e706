/**
 * npm test: every check the project holds itself to, in order, with a summary.
 *   1. type-check (after astro sync)  4. build the site
 *   2. unit tests                    5. end-to-end tests in Chromium (against the build)
 *   3. the lab check (all labs)      6. peer tests against real servers on 127.0.0.1
 * Steps that need Chromium or a peer server skip loudly when it is missing; under CI=true
 * nothing may be skipped (the tests themselves enforce that).
 */
import { spawnSync } from 'node:child_process';

interface Step { name: string; cmd: string; args: string[] }

const npx = (...args: string[]): Step['args'] => ['--no-install', ...args];
const steps: Step[] = [
  // astro sync writes .astro/types.d.ts (astro:content, import.meta.env, ?url imports): a clean
  // clone has none until then.
  { name: 'type-check: astro sync', cmd: 'npx', args: npx('astro', 'sync') },
  { name: 'type-check', cmd: 'npx', args: npx('tsc', '--noEmit', '-p', '.') },
  { name: 'unit tests', cmd: 'npx', args: npx('vitest', 'run', '--project', 'unit') },
  { name: 'lab check', cmd: process.execPath, args: ['src/cli/lab.ts', 'check'] },
  { name: 'site build', cmd: 'npx', args: npx('astro', 'build') },
  { name: 'e2e (Chromium)', cmd: 'npx', args: npx('vitest', 'run', '--project', 'e2e') },
  { name: 'peer tests', cmd: 'npx', args: npx('vitest', 'run', '--project', 'peers') },
];

const only = process.argv.slice(2);
const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  console.log(`\n=== ${step.name} ===`);
  const t0 = Date.now();
  const r = spawnSync(step.cmd, step.args, { stdio: 'inherit' });
  results.push({ name: step.name, ok: r.status === 0, seconds: (Date.now() - t0) / 1000 });
}
console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(16)} ${r.seconds.toFixed(1)} s`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
