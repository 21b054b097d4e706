/**
 * The in-page worker engine, page side: one warm worker between runs, each run supervised
 * (../../supervise.ts): a test that blocks past its limit is stopped by terminating the worker
 * (the only way to stop a synchronous endless loop) and a fresh worker grades the tests left.
 */
import type { GradeResult, LabInfo } from '../../result.ts';
import { deliver, supervise, type SessionEnd, type StartSession } from '../../supervise.ts';
import { DEFAULT_TEST_TIME_LIMIT_MS } from '../../timeouts.ts';
import { RunCancelledError, type GradeOptions, type LabFiles, type LabRunner } from '../types.ts';
import type { GradeConnect, GradeReply, GradeRequest } from './protocol.ts';

export interface WorkerRunnerOptions {
  /** How to start the grading worker (tests and other bundlers may supply their own). */
  createWorker?: () => Worker;
}

export interface WorkerRunner extends LabRunner {
  /** Start the worker ahead of the first run (e.g. when the learner opens the lab). */
  warm(): void;
}

function defaultWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'netlabs-grader' });
}

export function createWorkerRunner(options: WorkerRunnerOptions = {}): WorkerRunner {
  const createWorker = options.createWorker ?? defaultWorker;
  let worker: { thread: Worker; port: MessagePort } | undefined;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  /** Stops the run in flight, if any. */
  let cancelCurrent: (() => void) | undefined;

  /** A worker and the private port its harness answers on (protocol.ts). */
  function start(): { thread: Worker; port: MessagePort } {
    const thread = createWorker();
    const { port1, port2 } = new MessageChannel();
    const connect: GradeConnect = { connect: port2 };
    thread.postMessage(connect, [port2]);
    port1.start();
    return { thread, port: port1 };
  }

  const current = (): { thread: Worker; port: MessagePort } => (worker ??= start());

  function stopWorker(): void {
    worker?.thread.terminate();
    worker?.port.close();
    worker = undefined;
  }

  function replace(): void {
    stopWorker();
    worker = start(); // loads while the learner reads the report
  }

  /** One session is one request to the warm worker; stopping it costs the worker. */
  const sessions = (files: LabFiles, lab: LabInfo, testTimeoutMs: number): StartSession => (skip, events) => {
    const { thread: w, port } = current();
    const id = nextId++;
    let settle!: (end: SessionEnd) => void;
    const done = new Promise<SessionEnd>((resolve) => { settle = resolve; });
    const detach = (): void => {
      port.removeEventListener('message', onMessage as EventListener);
      w.removeEventListener('error', onError);
    };
    const onMessage = (event: MessageEvent<GradeReply>): void => {
      const reply = event.data;
      if (reply?.id !== id) return;
      if (reply.event !== 'end') deliver(reply, events);
      else {
        detach();
        // Errors outside any test mean learner code is still doing something (a timer, a
        // pending promise): start the next run in a clean worker rather than inherit it.
        if (reply.end.kind === 'done' && reply.end.message) replace();
        settle(reply.end);
      }
    };
    const onError = (event: ErrorEvent): void => {
      event.preventDefault();
      detach();
      replace();
      settle({ kind: 'error', message: `The grader could not run: ${event.message || 'the worker failed to start'}` });
    };
    port.addEventListener('message', onMessage as EventListener);
    w.addEventListener('error', onError);
    const request: GradeRequest = { id, lab, files: { ...files }, testTimeoutMs, skip: [...skip] };
    port.postMessage(request);
    return {
      done,
      stop() {
        detach();
        replace();
      },
    };
  };

  async function runOnce(files: LabFiles, lab: LabInfo, opts: GradeOptions): Promise<GradeResult> {
    const testLimitMs = opts.testTimeLimitMs ?? DEFAULT_TEST_TIME_LIMIT_MS;
    const run = supervise(sessions(files, lab, testLimitMs), { lab, engine: 'worker', testLimitMs, labLimitMs: opts.timeLimitMs });
    cancelCurrent = () => run.cancel(new RunCancelledError());
    try {
      return await run.result;
    } finally {
      cancelCurrent = undefined;
    }
  }

  return {
    engine: 'worker',
    warm: () => void current(),
    grade(files, lab, opts) {
      // One run at a time: a second Run waits for the first.
      const run = queue.then(() => runOnce(files, lab, opts));
      queue = run.catch(() => undefined);
      return run;
    },
    cancel() {
      cancelCurrent?.();
    },
    dispose() {
      stopWorker();
    },
  };
}
