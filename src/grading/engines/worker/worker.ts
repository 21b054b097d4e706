/**
 * The grading worker: receives a lab's files, runs the harness, posts the result back.
 * The page terminates it when a run exceeds the lab's time limit (a synchronous endless loop
 * cannot be stopped from inside).
 */
import { cleanMessage, failedRun } from '../../result.ts';
import { LAB_PACKAGES } from '../../harness/packages.ts';
import { withStrayErrors } from '../../harness/errors.ts';
import { runLab } from '../../harness/run-lab.ts';
import { KIT_SOURCES } from './kit-sources.ts';
import type { GradeReply, GradeRequest } from './protocol.ts';

/** The part of a dedicated worker's global scope used here (the DOM lib has no worker types). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<GradeRequest>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
  postMessage(message: GradeReply): void;
}

const scope = globalThis as unknown as WorkerScope;

// Errors learner code raises outside any test (a throw from a timer, an unawaited promise) go
// into the result; they must not reach the page as worker errors, which mean "grader broken".
let stray: unknown[] = [];
scope.addEventListener('error', (e) => {
  e.preventDefault();
  stray.push(e.error ?? new Error(e.message));
});
scope.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  stray.push(e.reason);
});

scope.addEventListener('message', async (event: MessageEvent<GradeRequest>) => {
  const { id, lab, files, testTimeoutMs } = event.data;
  let reply: GradeReply;
  stray = [];
  try {
    const result = await runLab({ lab, engine: 'worker', files, kit: KIT_SOURCES, packages: LAB_PACKAGES, testTimeoutMs });
    // Chromium reports an unhandled rejection in a task of its own, after the next timer: give
    // the last test's rejections two turns to arrive.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
    reply = { id, result: withStrayErrors(result, stray) };
  } catch (e) {
    reply = { id, result: failedRun(lab, 'worker', 'error', cleanMessage(`The grader failed: ${String(e)}`)) };
  }
  scope.postMessage(reply);
});
