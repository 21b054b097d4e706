/** One harness session in a worker thread: progress and the end go to the parent as messages. */
import { parentPort, workerData } from 'node:worker_threads';
import { hostInProcess } from './harness-fs.ts';

const { labDir, learnerPath, skip } = workerData as { labDir: string; learnerPath: string; skip: string[] };
const post = (message: unknown): void => parentPort!.postMessage(message);
const end = await hostInProcess(labDir, learnerPath, new Set(skip), {
  collected: (paths) => post({ event: 'collected', paths }),
  started: (path) => post({ event: 'started', path }),
  finished: (test) => post({ event: 'finished', test }),
});
post({ event: 'end', end });
