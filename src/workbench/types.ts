/**
 * What the site ships per lab (the JSON the workbench fetches when a lab is opened), and the
 * names the workbench uses. Browser-safe: no Node imports.
 */
import type { LabMeta, LabTask } from '../catalog/schema.ts';
import { LEARNER_FILE } from '../grading/lab-files.ts';
import type { LabInfo } from '../grading/result.ts';

/** lab.yaml as the schema reads it: the page gets all of it (nothing in it is secret). */
export type LabDataMeta = LabMeta;
export type LabDataTask = LabTask;

export interface LabDataHints {
  task: string;
  /** Progressive hints for the task, in order, as HTML. */
  hints: string[];
}

export interface LabData {
  meta: LabDataMeta;
  /** starter.ts, reference.ts, grade.test.ts and the extra files, by name. */
  files: Record<string, string>;
  /** instructions.md rendered to HTML (headings demoted to fit inside the page). */
  instructions: string;
  /** hints.md split per task, in the order of the lab's tasks. */
  hints: LabDataHints[];
}

/** The file the learner edits; the harness maps `./learner` to it. */
export const LEARNER = LEARNER_FILE;

/** Where the build puts a lab's data, relative to the site's base URL. */
export const labDataPath = (id: string): string => `labs/${id}.json`;

export function labInfo(meta: LabDataMeta): LabInfo {
  return { id: meta.id, version: meta.version, tasks: meta.tasks.map((t) => ({ id: t.id, title: t.title, points: t.points })) };
}
