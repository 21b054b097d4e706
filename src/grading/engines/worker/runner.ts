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
// The bundled worker's URL (Vite builds worker.ts and its imports into one file).
import WORKER_URL from './worker.ts?worker&url';

export interface WorkerRunnerOptions {
  /** How to start the grading worker (tests and other bundlers may supply their own). */
  createWorker?: () => Worker | Promise<Worker>;
}

export interface WorkerRunner extends LabRunner {
  /** Start the worker ahead of the first run (e.g. when the learner opens the lab). */
  warm(): void;
}

let script: Promise<string> | undefined;

/**
 * The worker's script, fetched once per page: every grading worker on it (each lab's, and each
 * fresh one after a hang) starts from the same blob rather than fetching 140 KB again.
 */
function workerScript(): Promise<string> {
  if (!script) {
    script = fetch(WORKER_URL)
      .then((r) => {
        if (!r.ok) throw new Error(`the grading worker could not be fetched (HTTP ${r.status})`);
        return r.blob();
      })
      .then((b) => URL.createObjectURL(new Blob([b], { type: 'text/javascript' })));
    script.catch(() => { script = undefined; }); // tried again by the next worker
  }
  return script;
}

async function defaultWorker(): Promise<Worker> {
  return new Worker(await workerScript(), { type: 'module', name: 'netlabs-grader' });
}

interface Started { thread: Worker; port: MessagePort }

export function createWorkerRunner(options: WorkerRunnerOptions = {}): WorkerRunner {
  const createWorker = options.createWorker ?? defaultWorker;
  let worker: Promise<Started> | undefined;
  /** The same worker once it has started. */
  let ready: Started | undefined;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  /** Stops the run in flight, if any. */
  let cancelCurrent: (() => void) | undefined;

  /** A worker and the private port its harness answers on (protocol.ts). */
  async function start(): Promise<Started> {
    const thread = await createWorker();
    const { port1, port2 } = new MessageChannel();
    const connect: GradeConnect = { connect: port2 };
    thread.postMessage(connect, [port2]);
    port1.start();
    return { thread, port: port1 };
  }

  function current(): Promise<Started> {
    if (!worker) {
      const starting = start();
      worker = starting;
      void starting.then((w) => { if (worker === starting) ready = w; }, () => {});
      // A worker that could not start is not kept: the next run tries again.
      starting.catch(() => { if (worker === starting) worker = undefined; });
    }
    return worker;
  }

  function stopWorker(): void {
    const stop = (w: Started): void => { w.thread.terminate(); w.port.close(); };
    // At once when it has started (a hang must stop now); else as soon as it has.
    if (ready) stop(ready);
    else void worker?.then(stop, () => {});
    worker = undefined;
    ready = undefined;
  }

  function replace(): void {
    stopWorker();
    void current(); // loads while the learner reads the report
  }

  /** One session is one request to the warm worker; stopping it costs the worker. */
  const sessions = (files: LabFiles, lab: LabInfo, testTimeoutMs: number): StartSession => (skip, events) => {
    const id = nextId++;
    let settle!: (end: SessionEnd) => void;
    const done = new Promise<SessionEnd>((resolve) => { settle = resolve; });
    let stopped = false;
    let detach = (): void => {};
    void current().then(({ thread: w, port }) => {
      if (stopped) return;
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
      detach = () => {
        port.removeEventListener('message', onMessage as EventListener);
        w.removeEventListener('error', onError);
      };
      port.addEventListener('message', onMessage as EventListener);
      w.addEventListener('error', onError);
      const request: GradeRequest = { id, lab, files: { ...files }, testTimeoutMs, skip: [...skip] };
      port.postMessage(request);
    }, (e: unknown) => {
      if (!stopped) settle({ kind: 'error', message: `The grader could not run: ${e instanceof Error ? e.message : String(e)}` });
    });
    return {
      done,
      stop() {
        stopped = true;
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
