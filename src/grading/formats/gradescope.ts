/**
 * Gradescope's autograder results.json (Gradescope's "Autograder Specifications"): written to
 * /autograder/results/results.json by run_autograder. One entry per test of ours, with its
 * points; status passed | failed (a timeout or a test not run is failed, and its output says
 * which); tags carry the task id and `number` the task's position ("2.3": task 2, third test),
 * which Gradescope sorts by. `score` is the total, so Gradescope need not add it up; a run that
 * graded nothing still writes a file, with score 0 and the reason in `output`.
 */
import type { GradeResult } from '../result.ts';
import type { FormatContext } from './context.ts';

export const GRADESCOPE_VISIBILITIES = ['hidden', 'after_due_date', 'after_published', 'visible'] as const;
export type GradescopeVisibility = (typeof GRADESCOPE_VISIBILITIES)[number];

export interface GradescopeResults {
  score: number;
  output: string;
  execution_time?: number;
  visibility?: GradescopeVisibility;
  stdout_visibility?: GradescopeVisibility;
  tests: GradescopeTest[];
}

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  tags: string[];
  visibility: GradescopeVisibility;
}

export interface GradescopeOptions {
  /** Applied to every test: `hidden` keeps tests out of sight until the instructor says. */
  visibility?: GradescopeVisibility;
  /** Seconds the whole grade took. */
  executionTimeS?: number;
}

export function toGradescope(result: GradeResult, ctx: FormatContext, opts: GradescopeOptions = {}): GradescopeResults {
  const visibility = opts.visibility ?? 'visible';
  const seen = new Map<string, number>();
  const tests = result.tests.map((t): GradescopeTest => {
    const n = (seen.get(t.task_id) ?? 0) + 1;
    seen.set(t.task_id, n);
    const task = ctx.taskIds.indexOf(t.task_id) + 1;
    const why = t.status === 'timeout' ? 'timed out' : t.status === 'skip' ? 'not run' : t.status === 'error' ? 'error' : '';
    return {
      name: t.name,
      number: `${task}.${n}`,
      score: t.score,
      max_score: t.max_score,
      status: t.status === 'pass' ? 'passed' : 'failed',
      output: t.message ?? why,
      tags: [t.task_id],
      visibility,
    };
  });
  const summary = `${result.lab} (version ${result.lab_version}): ${result.score}/${result.max_score}, ${result.status}`;
  return {
    score: result.score,
    output: result.message ? `${summary}\n${result.message}` : summary,
    ...(opts.executionTimeS === undefined ? {} : { execution_time: Math.round(opts.executionTimeS) }),
    visibility,
    stdout_visibility: 'hidden',
    tests,
  };
}
