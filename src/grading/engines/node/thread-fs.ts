/**
 * The worker harness under Node, in worker threads, supervised like the page's worker: the
 * check must survive a lab whose starter, reference or mutant never returns, and grade it
 * the same way (a blocking test costs its task, and a fresh thread grades the rest).
 */
import { Worker } from 'node:worker_threads';
import type { GradeResult } from '../../result.ts';
import { loadLab } from '../../../catalog/catalog-fs.ts';
import { deliver, supervise, type ProgressEvent, type SessionEnd, type StartSession } from '../../supervise.ts';
import type { ThreadRequest } from './thread-main-fs.ts';

const MAIN = new URL('./thread-main-fs.ts', import.meta.url);

/** Starting a thread (type stripping the harness) is part of each session's budget. */
const THREAD_STARTUP_MS = 2_000;

type ThreadMessage = { id: number } & (ProgressEvent | { event: 'end'; end: SessionEnd });

/**
 * A warm thread kept between grades (for `lab watch`), as the page keeps its worker: it is
 * reused after a clean session and replaced, at once and ahead of the next grade, after one
 * that was stopped or left errors outside any test (learner code may still be running there).
 */
export class WarmThreads {
  #idle: Worker | undefined;
  take(): Worker {
    const thread = this.#idle ?? startThread();
    this.#idle = undefined;
    return thread;
  }
  /** Give a thread back after its session: kept when clean, else replaced. */
  release(thread: Worker, clean: boolean): void {
    if (clean && !this.#idle) {
      thread.unref();
      this.#idle = thread;
      return;
    }
    void thread.terminate();
    this.warm();
  }
  /** Start the thread now (before the first grade). */
  warm(): void {
    this.#idle ??= startThread();
  }
  dispose(): void {
    void this.#idle?.terminate();
    this.#idle = undefined;
  }
}

let nextRequest = 1;

function startThread(): Worker {
  const thread = new Worker(MAIN);
  thread.unref(); // an idle thread must not keep the process alive
  return thread;
}

export function gradeWithHarnessLimited(labDir: string, learnerPath: string, limitMs?: number, warm?: WarmThreads): Promise<GradeResult> {
  const lab = loadLab(labDir).meta;
  const start: StartSession = (skip, events) => {
    const worker = warm?.take() ?? startThread();
    worker.ref();
    const id = nextRequest++;
    let ended = false;
    const release = (clean: boolean): void => {
      if (ended) return;
      ended = true;
      worker.removeAllListeners('message');
      worker.removeAllListeners('error');
      worker.removeAllListeners('exit');
      if (warm) warm.release(worker, clean);
      else void worker.terminate(); // a timer left by learner code must not keep it alive
    };
    const done = new Promise<SessionEnd>((resolve) => {
      worker.on('message', (m: ThreadMessage) => {
        if (m.id !== id) return;
        if (m.event !== 'end') deliver(m, events);
        else {
          release(m.end.kind === 'done' && !m.end.message);
          resolve(m.end);
        }
      });
      worker.once('error', (e) => { release(false); resolve({ kind: 'error', message: `The harness failed: ${e.message}` }); });
      worker.once('exit', () => { release(false); resolve({ kind: 'error', message: 'The harness exited without a result.' }); });
    });
    const request: ThreadRequest = { id, labDir, learnerPath, skip: [...skip] };
    worker.postMessage(request);
    return { done, stop: () => release(false) };
  };
  return supervise(start, {
    lab,
    engine: 'worker',
    testLimitMs: lab.test_time_limit_ms,
    labLimitMs: limitMs ?? lab.time_limit_ms,
    startupMs: THREAD_STARTUP_MS,
  }).result;
}
