/**
 * The limits a grade runs under, and the one wording of each kind of timeout. Kept apart from
 * the supervisor and the harness so the page and the result format can use them alone.
 */

/** A test's own limit when lab.yaml gives no `test_time_limit_ms`. */
export const DEFAULT_TEST_TIME_LIMIT_MS = 3_000;

/**
 * How long past its limit a test may still run before its session is stopped: an engine's own
 * timeout (vitest's testTimeout, the harness's) ends a hung promise at the limit and says so;
 * only a test that blocks its thread needs stopping from outside.
 */
export const HANG_GRACE_MS = 1_000;

/** The one wording of every kind of timeout a learner can meet. */
export const timeoutWording = {
  /** A test whose promise never settled; vitest's own first words, so both engines agree. */
  testTimedOut: (limitMs: number): string =>
    `Test timed out in ${limitMs}ms: it never finished (a promise that never settles, or a virtual clock that never advances?).`,
  /** A test that blocked its thread and had to be stopped from outside. */
  testStopped: (limitMs: number): string =>
    `Test timed out in ${limitMs}ms: it was still running, so the grader stopped it (an endless loop, or code far too slow?).`,
  /** The tests of a task after one that hung. */
  notRun: (hungTest: string): string => `not run: ${hungTest} hung`,
  /** Nothing could be graded: loading the learner's file (or the tests) did not finish. */
  loadStopped: (limitMs: number): string =>
    `Stopped after ${seconds(limitMs)}: loading your file and the tests did not finish (an endless loop at the top level of your file?).`,
  /** The whole run went past the lab's time limit, test by test slow but none hung. */
  labStopped: (limitMs: number): string =>
    `Stopped after ${seconds(limitMs)}: the tests did not finish in the lab's time limit (code far too slow?). Tests not reached are marked "not run".`,
  notReached: 'not run: the lab\'s time limit ran out',
  /** The test running when the lab's budget ran out. */
  cutShort: 'stopped while running: the lab\'s time limit ran out',
} as const;

/** vitest's and the harness's message for a test that ran out of time starts so. */
export const TIMED_OUT = /^Test timed out in (\d+)ms/;

/** "20 s" for a limit in ms. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** vitest's defaults for hooks, used by the harness when no limit is given. */
export const DEFAULT_HOOK_TIMEOUT_MS = 10_000;
