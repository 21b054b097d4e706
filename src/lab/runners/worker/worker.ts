/**
 * The grading worker: receives a lab's files, runs the harness, posts the result back.
 * The page terminates it when a run exceeds the lab's time limit (a synchronous endless loop
 * cannot be stopped from inside).
 */
import { cleanMessage, failedRun } from '../../../grading/result.ts';
import { LAB_PACKAGES } from '../../harness/packages.ts';
import { runLab } from '../../harness/run-lab.ts';
import { KIT_SOURCES } from './kit-sources.ts';
import type { GradeReply, GradeRequest } from './protocol.ts';

/** The part of a dedicated worker's global scope used here (the DOM lib has no worker types). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<GradeRequest>) => void): void;
  addEventListener(type: 'error' | 'unhandledrejection', listener: (event: Event) => void): void;
  postMessage(message: GradeReply): void;
}

const scope = globalThis as unknown as WorkerScope;

// Errors learner code throws outside any test (a stray timer, an unawaited promise) must not
// reach the page as worker errors: those mean "the grader itself is broken".
scope.addEventListener('error', (e) => e.preventDefault());
scope.addEventListener('unhandledrejection', (e) => e.preventDefault());

scope.addEventListener('message', async (event: MessageEvent<GradeRequest>) => {
  const { id, lab, files, testTimeoutMs } = event.data;
  let reply: GradeReply;
  try {
    const result = await runLab({ lab, engine: 'worker', files, kit: KIT_SOURCES, packages: LAB_PACKAGES, testTimeoutMs });
    reply = { id, result };
  } catch (e) {
    reply = { id, result: failedRun(lab, 'worker', 'error', cleanMessage(`The grader failed: ${String(e)}`)) };
  }
  scope.postMessage(reply);
});
