/**
 * The harness under plain Node: the lab folder read from disk into the harness's input. Used
 * in a worker thread by thread-fs.ts (the lab check), and in-process by tests that cannot hang.
 * Runs with Node's type stripping (no build step).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GradeResult } from '../../result.ts';
import { LABS_DIR, loadLab, type Lab } from '../../../catalog/catalog-fs.ts';
import { hostLab, processStrayErrors } from '../../harness/host.ts';
import { LEARNER_FILE, REFERENCE_FILE, TEST_FILE, type HarnessInput } from '../../harness/run-lab.ts';
import { supervise, type SessionEnd, type SessionEvents } from '../../supervise.ts';

/** labs/kit/*.ts by file name, as the worker bundles them. */
export function readKitSources(dir = join(LABS_DIR, 'kit')): Record<string, string> {
  const kit: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.ts')) kit[name] = readFileSync(join(dir, name), 'utf8');
  }
  return kit;
}

/** What the harness needs to grade `learnerPath` against the lab in `labDir`. */
export function harnessInputFor(labDir: string, learnerPath: string): { lab: Lab; input: Omit<HarnessInput, 'packages'> } {
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
  return {
    lab,
    input: {
      lab: { id: lab.meta.id, version: lab.meta.version, tasks: lab.meta.tasks, builtins: lab.meta.builtins },
      files,
      kit: readKitSources(existsSync(besideLab) ? besideLab : undefined),
      testTimeoutMs: lab.meta.test_time_limit_ms,
    },
  };
}

/** One harness session in this process (it cannot be stopped: a blocking test blocks us). */
export function hostInProcess(labDir: string, learnerPath: string, skip: ReadonlySet<string>, events: Partial<SessionEvents>, harden = false): Promise<SessionEnd> {
  const { input } = harnessInputFor(labDir, learnerPath);
  // A stray rejection or throw from learner code must not take the whole process down
  // (Node's default for an unhandled rejection); it is reported with the result instead.
  return hostLab({ ...input, skip, events, harden }, processStrayErrors(process));
}

/**
 * Grade in-process, supervised like every engine (a hung promise costs its test and the rest
 * of its task); for learner code known not to block (the engines' parity tests).
 */
export function gradeWithHarness(labDir: string, learnerPath: string): Promise<GradeResult> {
  const { lab } = harnessInputFor(labDir, learnerPath);
  return supervise(
    (skip, events) => ({ done: hostInProcess(labDir, learnerPath, skip, events), stop: () => {} }),
    { lab: lab.meta, engine: 'worker', testLimitMs: lab.meta.test_time_limit_ms, labLimitMs: lab.meta.time_limit_ms },
  ).result;
}
