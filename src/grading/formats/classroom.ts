/**
 * GitHub Classroom's runner result, read by classroom-resources/autograding-grading-reporter@v1:
 * the reporter base64-decodes env `<STEP ID>_RESULTS` and reads
 * `{version: 1, status, max_score, tests: [{name, status, score, message, test_code, filename,
 * line_no, duration}]}`.
 *
 * How the reporter counts, and why the entries are points: the total sent to Classroom is
 * max_score and the sum of every `tests[].score`, whatever a test's status; its console table
 * instead gives (passing entries / entries) × max_score. Both agree for every score only when
 * each entry is worth one point, so each task becomes one entry per point ("The header: point 3
 * of 5"), its first `score` points passing. A failing entry's message names the task's failing
 * tests. The reporter fails the job on status fail or error; it would not on `timeout`, so a
 * run stopped part-way is `fail`.
 */
import type { GradeResult } from '../result.ts';
import type { FormatContext } from './context.ts';

export interface ClassroomResults {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: ClassroomTest[];
}

export interface ClassroomTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  score: number;
  message: string;
  test_code: string;
  filename: string;
  line_no: number;
  /** Milliseconds (the reporter does not read it; the task's total rides on its first point). */
  duration: number;
}

export function toClassroom(result: GradeResult, ctx: FormatContext): ClassroomResults {
  const status: ClassroomResults['status'] =
    result.tests.length === 0 ? 'error' : result.status === 'pass' ? 'pass' : 'fail';
  const tests: ClassroomTest[] = [];
  for (const task of result.tasks) {
    const own = result.tests.filter((t) => t.task_id === task.id);
    const failing = own.filter((t) => t.status !== 'pass');
    const why = result.tests.length === 0
      ? result.message ?? `${result.status}: no test ran`
      : failing.map((t) => `${t.status === 'skip' ? 'not run' : t.status}: ${t.name}${t.message ? `: ${firstLine(t.message)}` : ''}`).join('\n');
    const where = ctx.locate(task.id);
    const duration = Math.round(own.reduce((a, t) => a + t.duration_ms, 0));
    for (let point = 1; point <= task.max_score; point++) {
      const earned = point <= task.score;
      tests.push({
        name: `${task.title}: point ${point} of ${task.max_score}`,
        status: earned ? 'pass' : result.tests.length === 0 ? 'error' : 'fail',
        score: earned ? 1 : 0,
        message: earned ? '' : why,
        test_code: ctx.command,
        filename: where?.file ?? ctx.testFile,
        line_no: where?.line ?? 0,
        duration: point === 1 ? duration : 0,
      });
    }
  }
  return { version: 1, status, max_score: result.max_score, tests };
}

const firstLine = (text: string): string => text.split('\n', 1)[0]!;
