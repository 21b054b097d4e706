import { z } from 'astro/zod';
import { DEFAULT_TEST_TIME_LIMIT_MS } from '../grading/timeouts.ts';

/** A task id or a lab slug: lowercase words joined by hyphens. */
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase letters, digits and single hyphens');

export const taskSchema = z.object({
  id: slug,
  title: z.string().min(3),
  /** Must equal the sum of the points of this task's tests (the lab check verifies it). */
  points: z.number().int().positive(),
});

export const labSchema = z
  .object({
    /** "<chapter>/<slug>", stable forever: saved work and progress are keyed by it. */
    id: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, '"<chapter>/<lab>"'),
    /** Bump when tasks or tests change in a way that changes scores. */
    version: z.number().int().positive(),
    title: z.string().min(3),
    chapter: slug,
    summary: z.string().min(10),
    difficulty: z.enum(['intro', 'core', 'stretch']),
    minutes: z.number().int().positive(),
    /** worker: graded in the page's worker too; node: needs Node (CLI and WebContainer only). */
    runtime: z.enum(['worker', 'node']),
    /** Wall-clock budget for one grade; the CLI and the page stop the run after it. */
    time_limit_ms: z.number().int().min(1000).max(120_000),
    /**
     * A test's own limit: one running longer is stopped and marked `timeout`, the rest of its
     * task is not run, and the other tasks are still graded.
     */
    test_time_limit_ms: z.number().int().min(100).max(60_000).default(DEFAULT_TEST_TIME_LIMIT_MS),
    tasks: z.array(taskSchema).min(1),
    /** Extra files of the lab folder the learner may read (shown as read-only tabs). */
    files: z.array(z.string().regex(/^[\w.-]+\.ts$/)).default([]),
    /**
     * Node built-ins the learner's file may import, as `node:<name>` (runtime: node labs only:
     * a lab about real sockets lists `node:dgram`). Provided files may use any.
     */
    builtins: z.array(z.string().regex(/^node:[a-z_]+(\/[a-z_]+)?$/, '"node:<module>"')).default([]),
  })
  .strict()
  .superRefine((lab, ctx) => {
    const [chapter] = lab.id.split('/');
    if (chapter !== lab.chapter) {
      ctx.addIssue({ code: 'custom', path: ['chapter'], message: `must match the id's chapter "${chapter}"` });
    }
    if (lab.builtins.length && lab.runtime !== 'node') {
      ctx.addIssue({ code: 'custom', path: ['builtins'], message: 'only a runtime: node lab may list Node built-ins (the page\'s worker has none)' });
    }
    const seen = new Set<string>();
    lab.tasks.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'id'], message: `duplicate task id "${t.id}"` });
      seen.add(t.id);
    });
  });

export type LabMeta = z.infer<typeof labSchema>;
export type LabTask = z.infer<typeof taskSchema>;

/** The files every lab folder has. */
export const LAB_FILES = ['lab.yaml', 'instructions.md', 'hints.md', 'starter.ts', 'reference.ts', 'grade.test.ts'] as const;
