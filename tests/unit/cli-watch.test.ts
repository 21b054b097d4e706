/**
 * `lab watch`: a save is graded again with a warm engine and the report printed; a save that
 * hangs a test still ends with a report; closing leaves nothing running.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, loadLab } from '../../src/catalog/catalog-fs.ts';
import type { GradeResult } from '../../src/grading/result.ts';
import { watchLab, type Watcher } from '../../src/cli/commands/watch.ts';
import { lab as hangLab, learner as hangLearner } from './hang-fixture.ts';

const checksum = loadLab(join(PROJECT_ROOT, 'tests/fixtures/labs/demo/checksum'));
let dir = '';
let watcher: Watcher | undefined;

afterEach(() => {
  watcher?.close();
  watcher = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Watch `file` and collect each grade; `next()` resolves with the following one. */
function start(lab: typeof checksum, file: string) {
  const graded: { result: GradeResult; ms: number }[] = [];
  const printed: string[] = [];
  let wake: (() => void) | undefined;
  watcher = watchLab(lab, file, {
    print: (t) => printed.push(t),
    onGraded: (result, ms) => { graded.push({ result, ms }); wake?.(); },
  });
  const next = (count: number): Promise<{ result: GradeResult; ms: number }> =>
    new Promise((resolve) => {
      const check = (): void => { if (graded.length >= count) resolve(graded[count - 1]!); else wake = check; };
      check();
    });
  return { graded, printed, next };
}

describe('lab watch', () => {
  it('grades at start, then again on each save, with the report printed', { timeout: 30_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'netlabs-watch-'));
    const file = join(dir, 'learner.ts');
    copyFileSync(join(checksum.dir, 'starter.ts'), file);
    const { printed, next } = start(checksum, file);
    await watcher!.ready;
    expect((await next(1)).result.score).toBe(0);
    writeFileSync(file, readFileSync(join(checksum.dir, 'reference.ts')));
    const second = await next(2);
    expect(second.result).toMatchObject({ status: 'pass', score: 3, max_score: 3 });
    expect(printed.join('\n')).toMatch(/Score: 3\/3 \(100%\) — pass/);
    expect(printed.at(-1)).toMatch(/^\nGraded in \d+ ms .*\nWatching .*learner\.ts: save to grade again · g: full grade with vitest · q: quit$/);
    const full = await watcher!.fullGrade();
    expect(full).toMatchObject({ engine: 'cli', status: 'pass', score: 3 });
  });

  it('reports a save that hangs a test, and keeps watching', { timeout: 30_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'netlabs-watch-'));
    const file = join(dir, 'learner.ts');
    copyFileSync(join(hangLab.dir, 'reference.ts'), file);
    const { next } = start(hangLab, file);
    expect((await next(1)).result.score).toBe(7);
    copyFileSync(hangLearner('blocks'), file);
    const hung = await next(2);
    expect(hung.result.score).toBe(5);
    expect(hung.result.tests.find((t) => t.status === 'timeout')?.name).toBe('counts down from 3');
    copyFileSync(join(hangLab.dir, 'reference.ts'), file);
    expect((await next(3)).result.score).toBe(7);
  });
});
