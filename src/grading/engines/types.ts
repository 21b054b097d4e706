/**
 * What the page sees of a grading engine, whichever it is: hand it the lab's files with the
 * learner's as `learner.ts`, get the one result format back (never a rejection for anything
 * the learner's code does).
 */
import type { Engine, GradeResult, LabInfo } from '../result.ts';

/** The lab folder's files by name: grade.test.ts, reference.ts, learner.ts and extra files. */
export type LabFiles = Readonly<Record<string, string>>;

export interface GradeOptions {
  /** The lab's time_limit_ms: the budget of a normal grade (see ../supervise.ts). */
  timeLimitMs: number;
  /** The lab's test_time_limit_ms: a test running longer is stopped; defaults to 3 s. */
  testTimeLimitMs?: number;
}

export interface LabRunner {
  readonly engine: Engine;
  grade(files: LabFiles, lab: LabInfo, options: GradeOptions): Promise<GradeResult>;
  /** Stop any run and free the engine's resources. */
  dispose(): void;
  /**
   * Stop the run in progress at the learner's request (a Stop button): its grade() rejects
   * with RunCancelledError and the engine is ready for the next run. Optional: an engine
   * that cannot stop a run early leaves it to the time limit.
   */
  cancel?(): void;
}

/** The learner stopped the run: nothing was graded. */
export class RunCancelledError extends Error {
  override name = 'RunCancelledError';
  constructor() { super('Stopped before the tests finished: nothing was graded.'); }
}

/** The engine cannot run here at all (as opposed to a run that failed): use another one. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

export { seconds } from '../timeouts.ts';
