/**
 * The in-page worker engine, page side: one warm worker between runs; a run that passes the
 * lab's time limit is stopped by terminating the worker (the only way to stop a synchronous
 * endless loop) and a fresh worker is started for the next run.
 */
import { failedRun, type GradeResult, type LabInfo } from '../../result.ts';
import { testTimeoutFor } from '../../timeouts.ts';
import { RunCancelledError, seconds, type GradeOptions, type LabFiles, type LabRunner } from '../types.ts';
import type { GradeReply, GradeRequest } from './protocol.ts';

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
  let worker: Worker | undefined;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  /** Stops the run in flight, if any (set while a run is waiting for its reply). */
  let stopCurrent: (() => void) | undefined;

  const current = (): Worker => (worker ??= createWorker());

  function replace(): void {
    worker?.terminate();
    worker = createWorker(); // loads while the learner reads the report
  }

  function runOnce(files: LabFiles, lab: LabInfo, { timeLimitMs }: GradeOptions): Promise<GradeResult> {
    const w = current();
    const id = nextId++;
    return new Promise<GradeResult>((resolve, reject) => {
      const detach = (): void => {
        clearTimeout(timer);
        stopCurrent = undefined;
        w.removeEventListener('message', onMessage);
        w.removeEventListener('error', onError);
      };
      const finish = (result: GradeResult): void => {
        detach();
        resolve(result);
      };
      stopCurrent = () => {
        detach();
        replace();
        reject(new RunCancelledError());
      };
      const onMessage = (event: MessageEvent<GradeReply>): void => {
        if (event.data?.id !== id) return;
        // Errors outside any test mean learner code is still doing something (a timer, a
        // pending promise): start the next run in a clean worker rather than inherit it.
        if (event.data.result.message) replace();
        finish(event.data.result);
      };
      const onError = (event: ErrorEvent): void => {
        event.preventDefault();
        replace();
        finish(failedRun(lab, 'worker', 'error', `The grader could not run: ${event.message || 'the worker failed to start'}`));
      };
      const timer = setTimeout(() => {
        replace();
        finish(failedRun(lab, 'worker', 'timeout',
          `Stopped after ${seconds(timeLimitMs)}: the tests did not finish in the lab's time limit. An endless loop, or code far too slow?`));
      }, timeLimitMs);
      w.addEventListener('message', onMessage);
      w.addEventListener('error', onError);
      const request: GradeRequest = { id, lab, files: { ...files }, testTimeoutMs: testTimeoutFor(timeLimitMs) };
      w.postMessage(request);
    });
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
      stopCurrent?.();
    },
    dispose() {
      worker?.terminate();
      worker = undefined;
    },
  };
}
