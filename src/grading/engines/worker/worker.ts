/**
 * The grading worker: receives a lab's files, runs the harness, posts each test's progress and
 * then the end back. The page terminates it when a test blocks past its limit (a synchronous
 * endless loop cannot be stopped from inside).
 */
import { hostLab, type StrayErrorSource } from '../../harness/host.ts';
import { sendEvents } from '../../supervise.ts';
import { KIT_SOURCES } from './kit-sources.ts';
import type { GradeConnect, GradeReply, GradeRequest } from './protocol.ts';

/** The part of a dedicated worker's global scope used here (the DOM lib has no worker types). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<GradeConnect>) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent<GradeConnect>) => void): void;
  addEventListener(type: 'error' | 'unhandledrejection', listener: (event: ErrorEvent | PromiseRejectionEvent) => void): void;
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

// The page's first message brings the port every request and reply travels on (protocol.ts);
// it stays in this closure, out of reach of the learner code the harness runs.
const connected = (event: MessageEvent<GradeConnect>): void => {
  const port = event.data?.connect;
  if (!port) return;
  scope.removeEventListener('message', connected);
  port.addEventListener('message', (e: MessageEvent<GradeRequest>) => void grade(e.data, (reply) => port.postMessage(reply)));
  port.start();
};
scope.addEventListener('message', connected);

async function grade(request: GradeRequest, post: (reply: GradeReply) => void): Promise<void> {
  const { id, lab, files, testTimeoutMs, skip } = request;
  const end = await hostLab({
    lab,
    files,
    kit: KIT_SOURCES,
    testTimeoutMs,
    skip: new Set(skip),
    events: sendEvents((e) => post({ id, ...e })),
    harden: true,
  }, strayErrors);
  post({ id, event: 'end', end });
}
