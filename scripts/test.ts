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
import { spawn } from 'node:child_process';

interface Step { name: string; cmd: string; args: string[]; limitS: number }

const npx = (...args: string[]): Step['args'] => ['--no-install', ...args];
const steps: Step[] = [
  // astro sync writes .astro/types.d.ts (astro:content, import.meta.env, ?url imports): a clean
  // clone has none until then.
  { name: 'type-check: astro sync', cmd: 'npx', args: npx('astro', 'sync'), limitS: 120 },
  { name: 'type-check', cmd: 'npx', args: npx('tsc', '--noEmit', '-p', '.'), limitS: 300 },
  { name: 'unit tests', cmd: 'npx', args: npx('vitest', 'run', '--project', 'unit'), limitS: 420 },
  // The check grades every mutant of every lab in both engines: 14 labs and about 260 mutants
  // now. Its budget was 10 minutes (issue: grading speed); it took 487-600 s for 12 labs on a
  // loaded 2-core machine, so the limit is 20 minutes until the check itself gets faster.
  { name: 'lab check', cmd: process.execPath, args: ['src/cli/lab.ts', 'check'], limitS: 1200 },
  { name: 'site build', cmd: 'npx', args: npx('astro', 'build'), limitS: 300 },
  { name: 'e2e (Chromium)', cmd: 'npx', args: npx('vitest', 'run', '--project', 'e2e'), limitS: 900 },
  { name: 'peer tests', cmd: 'npx', args: npx('vitest', 'run', '--project', 'peers'), limitS: 600 },
];

const only = process.argv.slice(2);
const results: { name: string; ok: boolean; seconds: number; overLimit?: number; failures: string[] }[] = [];
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  console.log(`\n=== ${step.name} (limit ${step.limitS} s) ===`);
  const t0 = Date.now();
  const r = await runStep(step);
  if (r.over) console.error(`\n*** ${step.name} ran over its limit of ${step.limitS} s and was stopped.`);
  const ok = r.status === 0 && !r.over;
  results.push({
    name: step.name, ok, seconds: (Date.now() - t0) / 1000,
    overLimit: r.over ? step.limitS : undefined, failures: ok ? [] : failureLines(r.output),
  });
}
console.log('\n=== summary ===');
for (const r of results) {
  const why = r.overLimit ? `  (over its limit of ${r.overLimit} s)` : '';
  console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(22)} ${r.seconds.toFixed(1)} s${why}`);
}
// A CI log is often read from its end: repeat what failed there, so the summary names the test.
for (const r of results.filter((x) => !x.ok && x.failures.length)) {
  console.log(`\n=== what failed in ${r.name} ===`);
  for (const line of r.failures) console.log(line);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);

/** Runs one step with its output shown live and kept, and stops it at its limit. */
function runStep(step: Step): Promise<{ status: number | null; over: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { stdio: ['inherit', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    const keep = (out: NodeJS.WriteStream) => (b: Buffer) => { out.write(b); chunks.push(b.toString()); };
    child.stdout.on('data', keep(process.stdout));
    child.stderr.on('data', keep(process.stderr));
    let over = false;
    const timer = setTimeout(() => { over = true; child.kill('SIGTERM'); }, step.limitS * 1000);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, over, output: chunks.join('') }); });
  });
}

/**
 * The lines that say what failed: vitest's "Failed Tests" block (up to its summary), the lab
 * check's failing rows, tsc's errors. At most 120 lines, colours stripped.
 */
function failureLines(output: string): string[] {
  const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const start = lines.findIndex((l) => /Failed Tests? \d+|Failed Suites? \d+/.test(l));
  if (start < 0) return lines.filter((l) => /\b(FAIL|fail|error|Error)\b|×|✗/.test(l)).slice(0, 120);
  const end = lines.findIndex((l, i) => i > start && /^\s*Test Files\s/.test(l));
  return lines.slice(start, end < 0 ? undefined : end + 1).slice(0, 120);
}
