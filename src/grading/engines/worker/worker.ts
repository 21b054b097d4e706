/**
 * The grading worker: receives a lab's files, runs the harness, posts each test's progress and
 * then the end back. The page terminates it when a test blocks past its limit (a synchronous
 * endless loop cannot be stopped from inside).
 */
import { hostLab, type StrayErrorSource } from '../../harness/host.ts';
import { sendEvents } from '../../supervise.ts';
import { KIT_SOURCES } from './kit-sources.ts';
import type { GradeReply, GradeRequest } from './protocol.ts';

/** The part of a dedicated worker's global scope used here (the DOM lib has no worker types). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<GradeRequest>) => void): void;
  addEventListener(type: 'error' | 'unhandledrejection', listener: (event: ErrorEvent | PromiseRejectionEvent) => void): void;
  postMessage(message: GradeReply): void;
}

const scope = globalThis as unknown as WorkerScope;

// Errors learner code raises outside any test (a throw from a timer, an unawaited promise) go
// into the result; they must never reach the page as worker errors, which mean "grader broken",
// not even between runs.
let noteStray: ((error: unknown) => void) | undefined;
const onStray = (e: ErrorEvent | PromiseRejectionEvent): void => {
  e.preventDefault();
  noteStray?.('reason' in e ? e.reason : (e.error ?? new Error(e.message)));
};
scope.addEventListener('error', onStray);
scope.addEventListener('unhandledrejection', onStray);
const strayErrors: StrayErrorSource = (note) => {
  noteStray = note;
  return () => { noteStray = undefined; };
};

scope.addEventListener('message', async (event: MessageEvent<GradeRequest>) => {
  const { id, lab, files, testTimeoutMs, skip } = event.data;
  const post = (reply: GradeReply): void => scope.postMessage(reply);
  const end = await hostLab({
    lab,
    files,
    kit: KIT_SOURCES,
    testTimeoutMs,
    skip: new Set(skip),
    events: sendEvents((e) => post({ id, ...e })),
  }, strayErrors);
  post({ id, event: 'end', end });
});
