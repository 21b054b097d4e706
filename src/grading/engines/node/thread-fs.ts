/**
 * The worker harness under Node, in a worker thread with a wall-clock limit: like the page,
 * the check must survive a lab whose starter or reference never returns.
 */
import { Worker } from 'node:worker_threads';
import { failedRun, type GradeResult } from '../../result.ts';
import { loadLab } from '../../../catalog/catalog-fs.ts';

const MAIN = new URL('./thread-main-fs.ts', import.meta.url);

export function gradeWithHarnessLimited(labDir: string, learnerPath: string, limitMs?: number): Promise<GradeResult> {
  const lab = loadLab(labDir).meta;
  const limit = limitMs ?? lab.time_limit_ms;
  return new Promise((resolve) => {
    const worker = new Worker(MAIN, { workerData: { labDir, learnerPath } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(failedRun(lab, 'worker', 'timeout', `Stopped after ${Math.round(limit / 1000)} s: an endless loop, or code far too slow.`));
    }, limit);
    worker.once('message', (result: GradeResult) => { clearTimeout(timer); void worker.terminate(); resolve(result); });
    worker.once('error', (e) => { clearTimeout(timer); resolve(failedRun(lab, 'worker', 'error', `The harness failed: ${e.message}`)); });
  });
}
