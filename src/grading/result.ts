/**
 * The one result format every grading engine produces (CLI, worker, WebContainer): netlabs's
 * own document, named by `schema`. It borrows ideas from Exercism's results.json and
 * Gradescope's scores but is neither; formats/ writes each of those (and GitHub Classroom's)
 * from it, true to their specs.
 * Browser-safe: no Node imports here.
 */
import { parsePoints } from '../../labs/kit/points.ts';
import { TIMED_OUT, timeoutWording } from './timeouts.ts';

/** Bump the number when a field changes meaning or goes away. */
export const RESULT_SCHEMA = 'netlabs/result@1';

export type RunStatus = 'pass' | 'fail' | 'error' | 'timeout';
export type TestStatus = 'pass' | 'fail' | 'error' | 'timeout' | 'skip';
export type Engine = 'cli' | 'worker' | 'webcontainer';

export interface TestResult {
  name: string;
  task_id: string;
  status: TestStatus;
  message: string | null;
  score: number;
  max_score: number;
  duration_ms: number;
}

export interface TaskResult {
  id: string;
  title: string;
  score: number;
  max_score: number;
}

export interface GradeResult {
  schema: typeof RESULT_SCHEMA;
  lab: string;
  lab_version: number;
  engine: Engine;
  status: RunStatus;
  /** Why the run as a whole failed to grade (compile error, timeout), else null. */
  message: string | null;
  score: number;
  max_score: number;
  tasks: TaskResult[];
  tests: TestResult[];
  /** Present when an instructor drew fresh inputs (`grade --seed N`): the seed they were drawn from. */
  seed?: number;
}

/** What an engine observed for one test, before scoring. */
export interface RawTest {
  /** Describe titles then the test title; the first is the task id. */
  path: string[];
  /** 'timeout': the engine stopped the test from outside (see supervise.ts). */
  status: 'pass' | 'fail' | 'skip' | 'timeout';
  message?: string | null;
  duration_ms?: number;
}

/** The part of lab.yaml grading needs. */
export interface LabInfo {
  id: string;
  version: number;
  tasks: { id: string; title: string; points: number }[];
  /** lab.yaml `builtins:` of a runtime: node lab: the Node modules its learner file may import. */
  builtins?: readonly string[];
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * Messages go to learners and CI logs: no colour codes, no absolute paths of the grading
 * machine (a path under `roots` becomes relative; any other absolute path keeps its last part).
 */
export function cleanMessage(text: string, roots: string[] = []): string {
  let out = text.replace(ANSI, '');
  for (const root of roots.filter(Boolean).sort((a, b) => b.length - a.length)) {
    out = out.split(root.endsWith('/') ? root : `${root}/`).join('');
  }
  out = out.replace(/file:\/\/\/?[^\s)'"]*\/([^\s/)'"]+)/g, '$1');
  out = out.replace(/(^|[\s('"])\/(?:[\w.@+-]+\/)+([\w.@+-]+)/g, '$1$2');
  return out.trim();
}

export function buildResult(
  lab: LabInfo,
  engine: Engine,
  raw: RawTest[],
  opts: { status?: RunStatus; message?: string | null } = {},
): GradeResult {
  const taskIds = new Set(lab.tasks.map((t) => t.id));
  const tests: TestResult[] = raw.map((t) => {
    const [taskId = '', ...rest] = t.path;
    const parsed = parsePoints(rest.join(' > '));
    const name = parsed.name;
    // A test outside the lab's tasks earns nothing (the check reports such tests to authors).
    const points = taskIds.has(taskId) ? parsed.points : 0;
    // vitest (and the harness, which copies its wording) fails a test that runs out of time
    // with "Test timed out in Nms": that is a timeout, not a wrong answer.
    const timedOut = t.status === 'timeout' || (t.status === 'fail' && !!t.message && TIMED_OUT.test(t.message));
    return {
      name,
      task_id: taskId,
      status: timedOut ? 'timeout' : t.status,
      message: t.message ? ownTimeoutWording(t.message) : null,
      score: t.status === 'pass' ? points : 0,
      max_score: points,
      duration_ms: Math.round((t.duration_ms ?? 0) * 100) / 100,
    };
  });
  const tasks: TaskResult[] = lab.tasks.map((task) => {
    const mine = tests.filter((t) => t.task_id === task.id);
    return {
      id: task.id,
      title: task.title,
      // Never above the task's points, whatever tests were reported.
      score: Math.min(task.points, sum(mine.map((t) => t.score))),
      max_score: task.points,
    };
  });
  const max_score = sum(lab.tasks.map((t) => t.points));
  const score = sum(tasks.map((t) => t.score));
  let status: RunStatus = opts.status ?? (score === max_score && tests.every((t) => t.status === 'pass' || t.status === 'skip') ? 'pass' : 'fail');
  if (!opts.status && tests.length === 0) status = 'error';
  return {
    schema: RESULT_SCHEMA,
    lab: lab.id,
    lab_version: lab.version,
    engine,
    status,
    message: opts.message ?? null,
    score,
    max_score,
    tasks,
    tests,
  };
}

/**
 * The one rule for "this task is done", for every report (text and page): all its points, and
 * none of its tests failed, timed out or errored (a test skipped in the file does not count).
 */
export function taskComplete(result: Pick<GradeResult, 'tasks' | 'tests'>, taskId: string): boolean {
  const task = result.tasks.find((t) => t.id === taskId);
  if (!task || task.score !== task.max_score) return false;
  return result.tests.every((t) => t.task_id !== taskId || t.status === 'pass' || t.status === 'skip');
}

/** A run that produced no test results at all (did not compile, did not finish). */
export function failedRun(lab: LabInfo, engine: Engine, status: 'error' | 'timeout', message: string): GradeResult {
  return buildResult(lab, engine, [], { status, message });
}

/** vitest's advice to raise the timeout is for test authors; learners read ours. */
function ownTimeoutWording(message: string): string {
  return message.replace(VITEST_TIMEOUT, (_, ms: string) => timeoutWording.testTimedOut(Number(ms)));
}
const VITEST_TIMEOUT = /^Test timed out in (\d+)ms\.\nIf this is a long-running test, pass a timeout value[^\n]*/;

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
