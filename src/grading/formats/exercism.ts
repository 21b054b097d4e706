/**
 * Exercism's test-runner results.json, version 3 (exercism/docs: building/tooling/test-runners/
 * interface.md), from our result. What the spec asks and we do:
 * - status is pass | fail | error; `error` only when no test ran (a compile error, a hang while
 *   loading); a run stopped part-way with tests done is `fail`;
 * - a test's status is pass | fail | error: a timeout, and a test that was not run, are `error`
 *   ("did not return a value"), with a message saying which;
 * - task_id is the task's number (its position, as in instructions.md's "## N." headings);
 * - the top-level message only when status is error, at most 65,535 characters;
 * - test_code is the test's own code from grade.test.ts.
 * No per-test `output`: we capture no learner output (the spec limits it to 500 characters).
 * Exercism's runner exits 0 whatever the result; so does `grade --format exercism`.
 */
import type { GradeResult, TestStatus } from '../result.ts';
import type { FormatContext } from './context.ts';

export interface ExercismResults {
  version: 3;
  status: 'pass' | 'fail' | 'error';
  message?: string;
  tests?: ExercismTest[];
}

export interface ExercismTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  message?: string;
  test_code: string;
  task_id?: number;
}

export const EXERCISM_MESSAGE_LIMIT = 65_535;

export function toExercism(result: GradeResult, ctx: FormatContext): ExercismResults {
  if (result.tests.length === 0) {
    return { version: 3, status: 'error', message: cut(result.message ?? `${result.status}: no test ran`, EXERCISM_MESSAGE_LIMIT) };
  }
  const tests = result.tests.map((t): ExercismTest => {
    const status = testStatus(t.status);
    const position = ctx.taskIds.indexOf(t.task_id);
    return {
      name: t.name,
      status,
      ...(status === 'pass' ? {} : { message: testMessage(t.status, t.message) }),
      test_code: ctx.locate(t.name)?.code ?? '',
      ...(position >= 0 ? { task_id: position + 1 } : {}),
    };
  });
  return { version: 3, status: tests.every((t) => t.status === 'pass') && result.status === 'pass' ? 'pass' : 'fail', tests };
}

function testStatus(s: TestStatus): ExercismTest['status'] {
  return s === 'pass' ? 'pass' : s === 'fail' ? 'fail' : 'error';
}

function testMessage(status: TestStatus, message: string | null): string {
  if (status === 'timeout') return message ?? 'timed out';
  if (status === 'skip') return message ?? 'not run';
  return message ?? status;
}

/** Cut to `limit` characters, saying so. */
export function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = `\n… cut to ${limit} characters`;
  return text.slice(0, limit - note.length) + note;
}
