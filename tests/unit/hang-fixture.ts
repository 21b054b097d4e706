/**
 * The fixture lab tests/fixtures/labs/demo/hang and what every engine must report for it: a
 * learner whose second task hangs in that task's second test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { PROJECT_ROOT, loadLab } from '../../src/catalog/catalog-fs.ts';
import type { GradeResult } from '../../src/grading/result.ts';

export const labDir = join(PROJECT_ROOT, 'tests/fixtures/labs/demo/hang');
export const lab = loadLab(labDir);
export const learner = (name: string): string => join(labDir, 'learners', `${name}.ts`);

/** The lab's files as an in-page engine receives them, with `name` as the learner's file. */
export function pageFiles(name: string): Record<string, string> {
  const read = (file: string): string => readFileSync(join(labDir, file), 'utf8');
  return { 'grade.test.ts': read('grade.test.ts'), 'reference.ts': read('reference.ts'), 'learner.ts': readFileSync(learner(name), 'utf8') };
}

export function expectPartialCredit(r: GradeResult, hungMessage: RegExp): void {
  expect(r.status).toBe('fail');
  expect(r.tasks.map((t) => [t.id, t.score])).toEqual([['first', 2], ['second', 1], ['third', 2]]);
  expect(r.tests.map((t) => [t.task_id, t.name, t.status])).toEqual([
    ['first', 'doubles 2', 'pass'],
    ['first', 'doubles -3', 'pass'],
    ['second', 'counts down from 0', 'pass'],
    ['second', 'counts down from 3', 'timeout'],
    ['second', 'counts down from 10', 'skip'],
    ['third', 'triples 2', 'pass'],
    ['third', 'triples -1', 'pass'],
  ]);
  const [hung, notRun] = [r.tests[3]!, r.tests[4]!];
  expect(hung.message).toMatch(hungMessage);
  expect(notRun.message).toBe('not run: "counts down from 3" hung');
  expect(notRun.score).toBe(0);
}

/** The two wordings, for the fixture's 500 ms limit unless told. */
export const stopped = (ms = 500): RegExp => new RegExp(`^Test timed out in ${ms}ms: it was still running, so the grader stopped it`);
export const neverSettled = (ms = 500): RegExp => new RegExp(`^Test timed out in ${ms}ms: it never finished`);
