/** Messages between the page and the grading worker. */
import type { GradeResult, LabInfo } from '../../result.ts';

export interface GradeRequest {
  id: number;
  lab: LabInfo;
  files: Record<string, string>;
  testTimeoutMs: number;
}

export interface GradeReply {
  id: number;
  result: GradeResult;
}
