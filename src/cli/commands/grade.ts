import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findLab, PROJECT_ROOT, type Lab } from '../../catalog/catalog-fs.ts';
import { testLocator, toFormat, type Format, type FormatContext } from '../../grading/formats/index.ts';
import type { GradescopeVisibility } from '../../grading/formats/gradescope.ts';
import { withOptionalExtraTests } from '../extra-tests.ts';
import type { GradeResult } from '../../grading/result.ts';
import { formatReport } from '../../grading/report.ts';
import { gradeWithVitest } from '../../grading/engines/vitest/engine-fs.ts';
import { typecheckLab } from '../check/typecheck.ts';
import { workFile } from '../workspace.ts';

export interface GradeCommandOptions {
  file?: string;
  json: boolean;
  timeLimitMs?: number;
  typecheck?: boolean;
  /** Print only that ecosystem's document, and exit as its runners do (0 once graded). */
  format?: Format;
  visibility?: GradescopeVisibility;
  /** Fresh generated inputs: the kit draws them from this seed. */
  seed?: number;
  /** An instructor's test file, graded with the lab's (cli/extra-tests.ts). */
  extraTests?: string;
}

export async function grade(ref: string, opts: GradeCommandOptions): Promise<number> {
  const lab = findLab(ref);
  const file = opts.file ?? workFile(lab);
  if (!opts.file && !existsSync(file)) {
    console.error(`Nothing to grade: ${relative(PROJECT_ROOT, file)} does not exist. Run: npm run lab -- start ${lab.meta.id}   (or pass --file F)`);
    return 2;
  }
  return withOptionalExtraTests(lab, opts.extraTests, async (graded) => {
    const { result, elapsedMs } = await gradeWithVitest(graded, file, { timeLimitMs: opts.timeLimitMs, seed: opts.seed });
    return report(lab, file, result, elapsedMs, opts);
  });
}

/** The grade as the options ask: another grader's document, our JSON, or the readable report. */
function report(lab: Lab, file: string, result: GradeResult, elapsedMs: number, opts: GradeCommandOptions): number {
  if (opts.format) {
    const doc = toFormat(opts.format, result, formatContext(lab, file, opts.extraTests), { visibility: opts.visibility, executionTimeS: elapsedMs / 1000 });
    console.log(JSON.stringify(doc, null, 2));
    return 0;
  }
  // Types never change a score (the page cannot check them); they are reported beside it.
  const typeErrors = opts.typecheck ? typecheckLab(lab, file) : [];
  if (opts.json) console.log(JSON.stringify(opts.typecheck ? { ...result, type_errors: typeErrors } : result, null, 2));
  else {
    console.log(formatReport(result, displayPath(file), lab.meta.title));
    if (opts.typecheck) {
      console.log(typeErrors.length
        ? `\nType errors (they do not change the score):\n${typeErrors.map((e) => `  ${e}`).join('\n')}`
        : '\nType check: no errors.');
    }
  }
  return result.status === 'pass' ? 0 : 1;
}

/** What the other formats need from the lab: task order, test locations, the grade command. */
export function formatContext(lab: Lab, file: string, extraTests?: string): FormatContext {
  const testPath = join(lab.dir, 'grade.test.ts');
  const book = testLocator(readFileSync(testPath, 'utf8'));
  const more = extraTests ? testLocator(readFileSync(extraTests, 'utf8')) : () => null;
  return {
    taskIds: lab.meta.tasks.map((t) => t.id),
    testFile: displayPath(testPath),
    locate: (title) => {
      const mine = book(title);
      if (mine) return mine;
      const theirs = more(title);
      return theirs && { ...theirs, file: 'extra tests' };
    },
    command: `npm run lab -- grade ${lab.meta.id} --file ${displayPath(file)}${extraTests ? ' --extra-tests <the instructor\'s file>' : ''}`,
  };
}

/** A path for people: relative to the project when inside it, else as given. */
export function displayPath(file: string): string {
  const rel = relative(PROJECT_ROOT, file);
  return rel.startsWith('..') ? file : rel;
}
