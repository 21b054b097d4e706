import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { findLab, PROJECT_ROOT } from '../../catalog/catalog-fs.ts';
import { formatReport } from '../../grading/report.ts';
import { gradeWithVitest } from '../../grading/engines/vitest/engine-fs.ts';
import { typecheckLab } from '../check/typecheck.ts';
import { workFile } from '../workspace.ts';

export async function grade(ref: string, opts: { file?: string; json: boolean; timeLimitMs?: number; typecheck?: boolean }): Promise<number> {
  const lab = findLab(ref);
  const file = opts.file ?? workFile(lab);
  if (!opts.file && !existsSync(file)) {
    console.error(`Nothing to grade: ${relative(PROJECT_ROOT, file)} does not exist. Run: npm run lab -- start ${lab.meta.id}   (or pass --file F)`);
    return 2;
  }
  const { result } = await gradeWithVitest(lab, file, { timeLimitMs: opts.timeLimitMs });
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

/** A path for people: relative to the project when inside it, else as given. */
export function displayPath(file: string): string {
  const rel = relative(PROJECT_ROOT, file);
  return rel.startsWith('..') ? file : rel;
}
