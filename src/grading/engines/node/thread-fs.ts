/**
 * The worker harness under Node, in worker threads, supervised like the page's worker: the
 * check must survive a lab whose starter, reference or mutant never returns, and grade it
 * the same way (a blocking test costs its task, and a fresh thread grades the rest).
 */
import { Worker } from 'node:worker_threads';
import type { GradeResult } from '../../result.ts';
import { loadLab } from '../../../catalog/catalog-fs.ts';
import { supervise, type SessionEnd, type StartSession } from '../../supervise.ts';

const MAIN = new URL('./thread-main-fs.ts', import.meta.url);

/** Starting a thread (type stripping the harness) is part of each session's budget. */
const THREAD_STARTUP_MS = 2_000;

type ThreadMessage =
  | { event: 'collected'; paths: string[][] }
  | { event: 'started'; path: string[] }
  | { event: 'finished'; test: import('../../result.ts').RawTest }
  | { event: 'end'; end: SessionEnd };

export function gradeWithHarnessLimited(labDir: string, learnerPath: string, limitMs?: number): Promise<GradeResult> {
  const lab = loadLab(labDir).meta;
  const start: StartSession = (skip, events) => {
    const worker = new Worker(MAIN, { workerData: { labDir, learnerPath, skip: [...skip] } });
    const done = new Promise<SessionEnd>((resolve) => {
      worker.on('message', (m: ThreadMessage) => {
        if (m.event === 'collected') events.collected(m.paths);
        else if (m.event === 'started') events.started(m.path);
        else if (m.event === 'finished') events.finished(m.test);
        else {
          resolve(m.end);
          void worker.terminate(); // a timer left by learner code must not keep it alive
        }
      });
      worker.once('error', (e) => resolve({ kind: 'error', message: `The harness failed: ${e.message}` }));
      worker.once('exit', () => resolve({ kind: 'error', message: 'The harness exited without a result.' }));
    });
    return { done, stop: () => void worker.terminate() };
  };
  return supervise(start, {
    lab,
    engine: 'worker',
    testLimitMs: lab.test_time_limit_ms,
    labLimitMs: limitMs ?? lab.time_limit_ms,
    startupMs: THREAD_STARTUP_MS,
  }).result;
}
