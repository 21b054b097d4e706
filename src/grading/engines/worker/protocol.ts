/** Messages between the page and the grading worker. */
import type { LabInfo, RawTest } from '../../result.ts';
import type { SessionEnd } from '../../supervise.ts';

export interface GradeRequest {
  id: number;
  lab: LabInfo;
  files: Record<string, string>;
  testTimeoutMs: number;
  /** Tests an earlier session graded (testKey), not to be run again. */
  skip: string[];
}

/** As the run goes (so a test that hangs is known by name), then once at the end. */
export type GradeReply =
  | { id: number; event: 'collected'; paths: string[][] }
  | { id: number; event: 'started'; path: string[] }
  | { id: number; event: 'finished'; test: RawTest }
  | { id: number; event: 'end'; end: SessionEnd };
