/**
 * Partial credit through a hang, in every engine: a learner whose second task hangs keeps the
 * first task's points, sees the hanging test as `timeout` by name and the rest of its task as
 * "not run", and still gets the third task graded. Three ways to hang: a loop that blocks the
 * thread, a promise that never settles, a microtask loop that starves every timer. The page's
 * engines are in runner-worker.test.ts and runner-webcontainer.test.ts (fakes whose thread is
 * stuck), and the real worker in Chromium in tests/e2e/worker-runner.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeWithVitest } from '../../src/grading/engines/vitest/engine-fs.ts';
import { gradeWithHarnessLimited } from '../../src/grading/engines/node/thread-fs.ts';
import { expectPartialCredit, lab, labDir, learner, neverSettled, stopped } from './hang-fixture.ts';

const STOPPED = stopped();
const NEVER_SETTLED = neverSettled();

// The bound the supervisor promises: a normal grade plus, per hang, the test's limit, the
// grace and one engine start. Generous here (a loaded 2-core machine); the bench measures it.
const BOUND_MS = 30_000;

describe('partial credit through a hang: the check\'s Node threads', () => {
  for (const [name, message] of [['blocks', STOPPED], ['never-settles', NEVER_SETTLED], ['starves-timers', STOPPED]] as const) {
    it(`keeps the other tasks when the second ${name}`, { timeout: BOUND_MS }, async () => {
      expectPartialCredit(await gradeWithHarnessLimited(labDir, learner(name)), message);
    });
  }
  it('ends as a timeout within the limit when the file hangs at import', { timeout: BOUND_MS }, async () => {
    const r = await gradeWithHarnessLimited(labDir, learner('hangs-at-import'), 1000);
    expect(r).toMatchObject({ status: 'timeout', score: 0, tests: [] });
    expect(r.message).toMatch(/^Stopped after 3 s: loading your file and the tests did not finish/);
  });
});

describe('partial credit through a hang: the CLI engine (vitest)', () => {
  for (const [name, message] of [['blocks', STOPPED], ['never-settles', NEVER_SETTLED], ['starves-timers', STOPPED]] as const) {
    it(`keeps the other tasks when the second ${name}`, { timeout: 60_000 }, async () => {
      const { result } = await gradeWithVitest(lab, learner(name));
      expectPartialCredit(result, message);
    });
  }
  it('ends as a timeout within the limit when the file hangs at import', { timeout: 60_000 }, async () => {
    const { result, elapsedMs } = await gradeWithVitest(lab, learner('hangs-at-import'), { timeLimitMs: 1000, startupAllowanceMs: 4000 });
    expect(result).toMatchObject({ status: 'timeout', score: 0, tests: [] });
    expect(result.message).toMatch(/^Stopped after 5 s: loading your file/);
    expect(elapsedMs).toBeLessThan(20_000);
  });
  it('the reference gets full marks and the fixture\'s learners differ from it only in the second task', { timeout: 60_000 }, async () => {
    const { result } = await gradeWithVitest(lab, join(labDir, 'reference.ts'));
    expect(result).toMatchObject({ status: 'pass', score: 7, max_score: 7 });
    const ref = readFileSync(join(labDir, 'reference.ts'), 'utf8');
    for (const name of ['blocks', 'never-settles', 'starves-timers']) {
      const text = readFileSync(learner(name), 'utf8');
      expect(text).toContain(ref.slice(0, ref.indexOf('\n\n')));
      expect(text).toContain('export function triple(n: number): number {\n  return 3 * n;\n}');
    }
  });
});
