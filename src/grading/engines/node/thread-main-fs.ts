/**
 * Harness sessions in a worker thread. The thread loads the harness when it starts and then
 * grades each request it is sent (module state is fresh per grade: the harness loads every file
 * anew, from a warm transpile cache); progress and the end go to the parent as messages.
 */
import { parentPort } from 'node:worker_threads';
import { sendEvents } from '../../supervise.ts';
import { hostInProcess } from './harness-fs.ts';

export interface ThreadRequest { id: number; labDir: string; learnerPath: string; skip: string[] }

parentPort!.on('message', async ({ id, labDir, learnerPath, skip }: ThreadRequest) => {
  const post = (message: object): void => parentPort!.postMessage({ id, ...message });
  // The thread is the harness's own realm: its built-ins are frozen before learner code runs.
  const end = await hostInProcess(labDir, learnerPath, new Set(skip), sendEvents(post), true);
  post({ event: 'end', end });
});
