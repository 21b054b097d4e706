/**
 * `grade --extra-tests FILE`: an instructor's own tests, graded with the lab's. The file is
 * written like grade.test.ts (it imports './learner', './reference' and '../../kit', and puts
 * each test in a `task('<task id>', …)` of the lab), and its points add to its tasks' points.
 *
 * The lab is copied to a scratch folder whose grade.test.ts imports the book's tests and the
 * extra ones, so the CLI engine grades it unchanged (one vitest file, the same supervision,
 * partial credit through a hang). Before any submission, the reference is graded against the
 * extra tests alone: that gives their points per task, and refuses extra tests the reference
 * does not pass (they would mark correct work down).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABS_DIR, type Lab } from '../catalog/catalog-fs.ts';
import { checkSubset } from './check/subset.ts';
import { gradeWithVitest } from '../grading/engines/vitest/engine-fs.ts';

export const BOOK_TESTS = 'book.tests.ts';
export const EXTRA_TESTS = 'extra.tests.ts';

export interface ExtraTestsLab {
  /** The lab as graded: its folder in scratch, its tasks' points raised by the extra tests'. */
  lab: Lab;
  /** Points the extra tests add, by task id. */
  added: Record<string, number>;
  dispose(): void;
}

export async function withExtraTests(lab: Lab, extraFile: string): Promise<ExtraTestsLab | { error: string }> {
  if (!existsSync(extraFile)) return { error: `--extra-tests: no such file: ${extraFile}` };
  // The lab-test rules (the subset every engine runs, learner reached through withCopiedInputs).
  const subset = checkSubset(readFileSync(extraFile, 'utf8'), extraFile, { taskIds: lab.meta.tasks.map((t) => t.id), labFiles: lab.meta.files });
  if (subset.problems.length) {
    return { error: `--extra-tests: ${extraFile} breaks the lab-test rules:\n${subset.problems.map((p) => `  ${p.line}:${p.col} ${p.message}`).join('\n')}` };
  }
  const scratch = mkdtempSync(join(tmpdir(), 'netlabs-extra-'));
  const dispose = (): void => rmSync(scratch, { recursive: true, force: true });
  try {
    const [chapter, slug] = lab.meta.id.split('/') as [string, string];
    mkdirSync(join(scratch, 'labs', chapter), { recursive: true });
    symlinkSync(join(LABS_DIR, 'kit'), join(scratch, 'labs', 'kit'));
    const only = (tests: 'extra' | 'both'): Lab => {
      const dir = join(scratch, 'labs', chapter, `${slug}-${tests}`);
      mkdirSync(dir, { recursive: true });
      for (const f of readdirSync(lab.dir)) {
        if (f !== 'grade.test.ts' && statSync(join(lab.dir, f)).isFile()) copyFileSync(join(lab.dir, f), join(dir, f));
      }
      copyFileSync(join(lab.dir, 'grade.test.ts'), join(dir, BOOK_TESTS));
      writeFileSync(join(dir, EXTRA_TESTS), readFileSync(extraFile, 'utf8'));
      const imports = tests === 'both' ? [BOOK_TESTS, EXTRA_TESTS] : [EXTRA_TESTS];
      writeFileSync(join(dir, 'grade.test.ts'), `${imports.map((f) => `import './${f}';`).join('\n')}\n`);
      return { dir, meta: lab.meta };
    };

    // The reference against the extra tests alone: their points, and whether they are sound.
    const probe = only('extra');
    const generous = { ...lab.meta, tasks: lab.meta.tasks.map((t) => ({ ...t, points: 1_000_000 })) };
    const { result } = await gradeWithVitest({ ...probe, meta: generous }, join(probe.dir, 'reference.ts'));
    if (result.tests.length === 0) {
      dispose();
      return { error: `--extra-tests: the extra tests did not run against the reference: ${result.message ?? result.status}` };
    }
    const outside = result.tests.filter((t) => !lab.meta.tasks.some((task) => task.id === t.task_id));
    const failing = result.tests.filter((t) => t.status !== 'pass');
    if (outside.length || failing.length) {
      dispose();
      const lines = [
        ...outside.map((t) => `  "${t.name}" is outside the lab's tasks (${lab.meta.tasks.map((x) => x.id).join(', ')}): put it in task('<id>', …)`),
        ...failing.map((t) => `  the reference ${t.status === 'fail' ? 'fails' : `gets ${t.status} on`} "${t.task_id} > ${t.name}"${t.message ? `: ${t.message.split('\n', 1)[0]}` : ''}`),
      ];
      return { error: `--extra-tests: ${extraFile} is not sound:\n${lines.join('\n')}` };
    }
    const added: Record<string, number> = {};
    for (const t of result.tests) added[t.task_id] = (added[t.task_id] ?? 0) + t.max_score;
    const meta = { ...lab.meta, tasks: lab.meta.tasks.map((t) => ({ ...t, points: t.points + (added[t.id] ?? 0) })) };
    return { lab: { ...only('both'), meta }, added, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/**
 * Run `use` on the lab as graded: with the instructor's extra tests when a file is given (checked
 * once, removed after), the lab itself otherwise. Extra tests that are refused end it with exit
 * code 2, the reason on stderr.
 */
export async function withOptionalExtraTests(lab: Lab, extraFile: string | undefined, use: (graded: Lab) => Promise<number>): Promise<number> {
  if (!extraFile) return use(lab);
  const extra = await withExtraTests(lab, extraFile);
  if ('error' in extra) {
    console.error(extra.error);
    return 2;
  }
  try {
    return await use(extra.lab);
  } finally {
    extra.dispose();
  }
}
