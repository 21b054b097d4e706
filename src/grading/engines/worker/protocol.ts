/**
 * Messages between the page and the grading worker. The page's first message hands the worker
 * a MessagePort of its own; every request and reply after it travels on that port. Learner
 * code in the worker can call the global postMessage, but the page never reads that channel,
 * and the port lives only in the worker's closure: a result arrives from the harness or not at all.
 */
import type { LabInfo } from '../../result.ts';
import type { ProgressEvent, SessionEnd } from '../../supervise.ts';

export interface GradeRequest {
  id: number;
  lab: LabInfo;
  files: Record<string, string>;
  testTimeoutMs: number;
  /** Tests an earlier session graded (testKey), not to be run again. */
  skip: string[];
}

/** As the run goes (so a test that hangs is known by name), then once at the end. */
export type GradeReply = ({ id: number } & ProgressEvent) | { id: number; event: 'end'; end: SessionEnd };

/** The page's first message to a new worker. */
export interface GradeConnect {
  connect: MessagePort;
}
