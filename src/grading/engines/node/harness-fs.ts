/**
 * The harness under plain Node, in-process: the lab check compares its result with vitest's.
 * Runs with Node's type stripping (no build step).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GradeResult } from '../../result.ts';
import { LABS_DIR, loadLab } from '../../../catalog/catalog-fs.ts';
import { withStrayErrors } from '../../harness/errors.ts';
import { LAB_PACKAGES } from '../../harness/packages.ts';
import { LEARNER_FILE, REFERENCE_FILE, TEST_FILE, runLab } from '../../harness/run-lab.ts';
import { testTimeoutFor } from '../../timeouts.ts';

/** labs/kit/*.ts by file name, as the worker bundles them. */
export function readKitSources(dir = join(LABS_DIR, 'kit')): Record<string, string> {
  const kit: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.ts')) kit[name] = readFileSync(join(dir, name), 'utf8');
  }
  return kit;
}

/** Grade `learnerPath` (reference.ts, starter.ts or a learner's file) with the in-page harness. */
export async function gradeWithHarness(labDir: string, learnerPath: string): Promise<GradeResult> {
  const lab = loadLab(resolve(labDir));
  const read = (name: string): string => readFileSync(join(lab.dir, name), 'utf8');
  const files: Record<string, string> = {
    [TEST_FILE]: read(TEST_FILE),
    [REFERENCE_FILE]: read(REFERENCE_FILE),
    [LEARNER_FILE]: readFileSync(resolve(learnerPath), 'utf8'),
  };
  for (const extra of lab.meta.files) files[extra] = read(extra);
  // The kit the test file's '../../kit' names, as vitest would load it.
  const besideLab = join(lab.dir, '..', '..', 'kit');
  // A stray rejection or throw from learner code must not take the whole process down
  // (Node's default for an unhandled rejection); it is reported with the result instead.
  const stray: unknown[] = [];
  const note = (e: unknown): void => void stray.push(e);
  process.on('unhandledRejection', note);
  process.on('uncaughtException', note);
  try {
    const result = await runLab({
      lab: { id: lab.meta.id, version: lab.meta.version, tasks: lab.meta.tasks },
      engine: 'worker',
      files,
      kit: readKitSources(existsSync(besideLab) ? besideLab : undefined),
      packages: LAB_PACKAGES,
      testTimeoutMs: testTimeoutFor(lab.meta.time_limit_ms),
    });
    await new Promise((resolve) => setTimeout(resolve, 0)); // let rejections of the last test surface
    return withStrayErrors(result, stray);
  } finally {
    process.off('unhandledRejection', note);
    process.off('uncaughtException', note);
  }
}
