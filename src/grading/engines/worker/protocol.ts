/** Messages between the page and the grading worker. */
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
