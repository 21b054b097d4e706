/**
 * One way to stop a run at its limit, for every engine (CLI vitest, worker, WebContainer, the
 * check's Node thread), and the one wording of a timeout.
 *
 * An engine runs the lab's tests in a *session* (a vitest process, a worker, a thread) and tells
 * the supervisor as each test starts and finishes. A test still running past its own limit is
 * hung: the session is stopped (the only way to end a synchronous endless loop), the test is
 * recorded as `timeout` by name, the rest of its task is not run, and a new session grades the
 * tests not yet graded. One hang costs at most the rest of its task, never the other tasks.
 *
 * The limits and their wording are in timeouts.ts (the page reads them without this module).
 * Browser-safe: no Node imports here.
 */
import { parsePoints } from '../../labs/kit/points.ts';
import { buildResult, failedRun, type Engine, type GradeResult, type LabInfo, type RawTest } from './result.ts';
import { HANG_GRACE_MS, TIMED_OUT, timeoutWording } from './timeouts.ts';

/** A test's identity across sessions. */
export function testKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

/** What a session tells the supervisor while it runs (in any order the engine can manage). */
export interface SessionEvents {
  /** Every test of the file, in run order, once collected (lets the report list tests not run). */
  collected(paths: string[][]): void;
  started(path: string[]): void;
  finished(test: RawTest): void;
}

/** One SessionEvents call as it travels from an engine to the supervisor (a message, a line of a file). */
export type ProgressEvent =
  | { event: 'collected'; paths: string[][] }
  | { event: 'started'; path: string[] }
  | { event: 'finished'; test: RawTest };

/** The engine side: SessionEvents that send each call as a ProgressEvent. */
export function sendEvents(send: (e: ProgressEvent) => void): SessionEvents {
  return {
    collected: (paths) => send({ event: 'collected', paths }),
    started: (path) => send({ event: 'started', path }),
    finished: (test) => send({ event: 'finished', test }),
  };
}

/** The supervisor side: hand a ProgressEvent to `events`; anything else is ignored. */
export function deliver(e: Partial<ProgressEvent> | undefined, events: SessionEvents): void {
  if (e?.event === 'collected' && e.paths) events.collected(e.paths);
  else if (e?.event === 'started' && e.path) events.started(e.path);
  else if (e?.event === 'finished' && e.test) events.finished(e.test);
}

/**
 * For a progress file the engine appends ProgressEvent lines to: call it with the file's text
 * each time it is read; the complete lines not seen before are delivered, in order.
 */
export function progressFileReader(events: SessionEvents): (text: string) => void {
  let readUpTo = 0;
  return (text) => {
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of complete.slice(readUpTo).split('\n').filter(Boolean)) {
      let e: Partial<ProgressEvent> | undefined;
      try { e = JSON.parse(line) as Partial<ProgressEvent>; } catch { e = undefined; }
      deliver(e, events);
    }
    readUpTo = Math.max(readUpTo, complete.length);
  };
}

/** How a session ended on its own. */
export type SessionEnd =
  /** All tests it was given ran; `tests` (if the engine has a final list) is authoritative. */
  | { kind: 'done'; tests?: RawTest[]; message?: string | null }
  /** Nothing could be graded: the file did not compile or load, the engine failed. */
  | { kind: 'error'; message: string };

export interface Session {
  done: Promise<SessionEnd>;
  /** Stop at once (terminate the worker, kill the process group); `why` is for a terminal. */
  stop(why: string): void;
}

/** Start a session that runs every collected test except those in `skip` (by testKey). */
export type StartSession = (skip: ReadonlySet<string>, events: SessionEvents) => Session;

export interface SuperviseOptions {
  lab: LabInfo;
  engine: Engine;
  /** A test's own limit (lab.yaml test_time_limit_ms). */
  testLimitMs: number;
  /** The lab's time_limit_ms: the budget of a normal grade, load included. */
  labLimitMs: number;
  /** Time an engine needs to start (vitest, node in a container), added to each session's budget. */
  startupMs?: number;
  graceMs?: number;
}

export interface Supervised {
  result: Promise<GradeResult>;
  /** Stop now: `result` rejects with `reason`. */
  cancel(reason: Error): void;
}

/**
 * hung: a test ran past its limit (plus the grace); over: the lab's budget ran out, or the
 * session stalled outside any test (loading, or between tests) for as long.
 */
type Outcome = SessionEnd | { kind: 'hung'; path: string[] } | { kind: 'over'; running?: string[] };

export function supervise(start: StartSession, options: SuperviseOptions): Supervised {
  const { lab, engine, testLimitMs, labLimitMs, startupMs = 0, graceMs = HANG_GRACE_MS } = options;
  const records = new Map<string, RawTest>();
  let order: string[][] = [];
  const hungIn = new Map<string, string>(); // task id → name of the test that hung
  let cancelled: Error | undefined;
  let stopCurrent: (() => void) | undefined;
  // The lab's budget, grown by what each hang costs (its limit, the grace, a restart).
  let deadline = Date.now() + labLimitMs + startupMs;
  let loaded = false;
  const extendBudget = (): void => { deadline += testLimitMs + graceMs + startupMs; };

  function runSession(): Promise<Outcome> {
    const skip = new Set(records.keys());
    for (const path of order) if (hungIn.has(path[0]!)) skip.add(testKey(path));
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      let running: string[] | undefined;
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      let overall: ReturnType<typeof setTimeout> | undefined;
      const finish = (outcome: Outcome, stop: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        clearTimeout(overall);
        stopCurrent = undefined;
        if (stop) session.stop(stopReason(outcome));
        resolve(outcome);
      };
      const arm = (ms: number): void => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => finish(running ? { kind: 'hung', path: running } : { kind: 'over' }, true), ms);
      };
      const session = start(skip, {
        collected(paths) {
          if (settled) return;
          loaded = true;
          if (order.length === 0) order = paths.map((p) => [...p]);
        },
        started(path) {
          if (settled) return;
          loaded = true;
          running = [...path];
          arm(testLimitMs + graceMs);
        },
        finished(test) {
          if (settled) return;
          running = undefined;
          const key = testKey(test.path);
          if (!skip.has(key)) records.set(key, test);
          if (isTimeout(test)) {
            hungIn.set(test.path[0] ?? '', quotedTestName(test.path));
            extendBudget(); // the engine's own timeout spent the test's limit
          }
          // Between two tests only the engine's own bookkeeping runs; a hook that blocks there
          // is caught by the same limit.
          arm(testLimitMs + graceMs);
        },
      });
      stopCurrent = () => finish({ kind: 'over' }, true);
      arm(labLimitMs + startupMs); // loading: the learner's file and the tests
      const checkBudget = (): void => {
        const left = deadline - Date.now();
        if (left > 0) overall = setTimeout(checkBudget, left);
        else finish({ kind: 'over', running }, true);
      };
      checkBudget();
      session.done.then(
        (end) => {
          if (end.kind === 'done') for (const t of end.tests ?? []) {
            const key = testKey(t.path);
            if (!skip.has(key)) records.set(key, t);
          }
          finish(end, false);
        },
        (e: unknown) => finish({ kind: 'error', message: `The grader failed: ${String(e)}` }, false),
      );
    });
  }

  const result = (async (): Promise<GradeResult> => {
    let message: string | null = null;
    let status: 'timeout' | undefined;
    let overTime = false;
    for (;;) {
      const outcome = await runSession();
      if (cancelled) throw cancelled;
      if (outcome.kind === 'done') {
        message = outcome.message ?? null;
        break;
      }
      if (outcome.kind === 'error') {
        if (records.size === 0) return failedRun(lab, engine, 'error', outcome.message);
        message = outcome.message;
        break;
      }
      if (outcome.kind === 'hung') {
        const name = quotedTestName(outcome.path);
        records.set(testKey(outcome.path), { path: outcome.path, status: 'timeout', message: timeoutWording.testStopped(testLimitMs), duration_ms: testLimitMs });
        hungIn.set(outcome.path[0] ?? '', name);
        extendBudget();
        continue;
      }
      if (!loaded) return failedRun(lab, engine, 'timeout', timeoutWording.loadStopped(labLimitMs + startupMs));
      // Past the lab's budget, or stuck outside any test: keep what was graded.
      if (outcome.running) {
        records.set(testKey(outcome.running), { path: outcome.running, status: 'timeout', message: timeoutWording.cutShort, duration_ms: 0 });
      }
      status = 'timeout';
      overTime = true;
      message = timeoutWording.labStopped(labLimitMs);
      break;
    }
    return buildResult(lab, engine, assemble(overTime), { status, message });
  })();

  function assemble(overTime: boolean): RawTest[] {
    const raw: RawTest[] = [];
    const listed = new Set<string>();
    for (const path of order) {
      const key = testKey(path);
      listed.add(key);
      const record = records.get(key);
      const hung = hungIn.get(path[0]!);
      if (record) raw.push(record);
      else if (hung) raw.push({ path, status: 'skip', message: timeoutWording.notRun(hung), duration_ms: 0 });
      else raw.push({ path, status: 'skip', message: overTime ? timeoutWording.notReached : 'not run', duration_ms: 0 });
    }
    // Tests the engine reported but never listed (an engine without a collected event).
    for (const [key, record] of records) if (!listed.has(key)) raw.push(record);
    return raw;
  }

  return {
    result,
    cancel(reason) {
      cancelled = reason;
      stopCurrent?.();
    },
  };
}

function stopReason(outcome: Outcome): string {
  if (outcome.kind === 'hung') return `Stopped: ${quotedTestName(outcome.path)} was still running after its limit.`;
  return 'Stopped: the time limit ran out.';
}

/** One session's end as a result, when nothing needs supervising (a summary, a unit test). */
export function resultOf(lab: LabInfo, engine: Engine, end: SessionEnd): GradeResult {
  return end.kind === 'error'
    ? failedRun(lab, engine, 'error', end.message)
    : buildResult(lab, engine, end.tests ?? [], { message: end.message ?? null });
}

/** The test's name as the report shows it: no task id, no points. */
export function quotedTestName(path: readonly string[]): string {
  return `"${parsePoints(path.slice(1).join(' > ') || path.join(' > ')).name}"`;
}

function isTimeout(test: RawTest): boolean {
  return test.status === 'timeout' || (test.status === 'fail' && !!test.message && TIMED_OUT.test(test.message));
}
