/**
 * Grades a folder of submissions one at a time (one .ts file or one folder per student),
 * writes one JSON result per student and a CSV of scores. A student whose code hangs or
 * crashes gets a timeout or error row; the run goes on.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { findLab, type Lab } from '../../catalog/catalog-fs.ts';
import { failedRun, type GradeResult } from '../../grading/result.ts';
import { gradeWithVitest } from '../../grading/engines/vitest/engine-fs.ts';
import { withOptionalExtraTests } from '../extra-tests.ts';

export interface Submission { student: string; file: string | null; problem?: string }

/** A folder submission holds learner.ts, or <lab-slug>.ts, or exactly one .ts file. */
export function findSubmissions(dir: string, lab: Lab): Submission[] {
  const slug = lab.meta.id.split('/')[1]!;
  const out: Submission[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const ts = readdirSync(path).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
      const pick = ['learner.ts', `${slug}.ts`].find((f) => ts.includes(f)) ?? (ts.length === 1 ? ts[0] : undefined);
      out.push(pick
        ? { student: name, file: join(path, pick) }
        : { student: name, file: null, problem: ts.length ? `several .ts files and no learner.ts: ${ts.join(', ')}` : 'no .ts file' });
    } else if (extname(name) === '.ts' && !name.endsWith('.d.ts')) {
      out.push({ student: basename(name, '.ts'), file: path });
    }
  }
  return out;
}

export function csvRow(values: (string | number)[]): string {
  return values.map((v) => {
    // A text cell starting with = + - @ would run as a formula in a spreadsheet: quote it.
    let s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
    if (/[",\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
    return s;
  }).join(',');
}

export async function gradeClass(ref: string, opts: { submissions: string; csv?: string; out?: string; timeLimitMs?: number; seed?: number; extraTests?: string }): Promise<number> {
  // The instructor's tests are checked against the reference once, before any student.
  return withOptionalExtraTests(findLab(ref), opts.extraTests, (lab) => gradeEach(lab, opts));
}

async function gradeEach(lab: Lab, opts: { submissions: string; csv?: string; out?: string; timeLimitMs?: number; seed?: number }): Promise<number> {
  const dir = resolve(opts.submissions);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`--submissions ${opts.submissions}: not a folder`);
    return 2;
  }
  const outDir = resolve(opts.out ?? join(dir, '..', `results-${lab.meta.id.replace('/', '-')}`));
  mkdirSync(outDir, { recursive: true });
  const subs = findSubmissions(dir, lab);
  const header = ['student', 'status', 'score', 'max_score', 'percent', ...lab.meta.tasks.map((t) => t.id), 'message'];
  const rows = [csvRow(header)];
  console.log(`Grading ${subs.length} submission(s) of ${lab.meta.id}, one at a time.`);
  for (const sub of subs) {
    let result: GradeResult;
    if (!sub.file) {
      result = failedRun(lab.meta, 'cli', 'error', sub.problem ?? 'no file');
    } else {
      result = (await gradeWithVitest(lab, sub.file, { timeLimitMs: opts.timeLimitMs, seed: opts.seed })).result;
    }
    writeFileSync(join(outDir, `${sub.student}.json`), JSON.stringify(result, null, 2) + '\n');
    const pct = result.max_score ? Math.round((1000 * result.score) / result.max_score) / 10 : 0;
    const firstLine = (result.message ?? '').split('\n')[0] ?? '';
    rows.push(csvRow([sub.student, result.status, result.score, result.max_score, pct, ...result.tasks.map((t) => t.score), firstLine]));
    console.log(`  ${sub.student.padEnd(24)} ${String(result.score).padStart(4)}/${result.max_score}  ${result.status}`);
  }
  const csv = resolve(opts.csv ?? join(outDir, 'scores.csv'));
  writeFileSync(csv, rows.join('\n') + '\n');
  console.log(`Results: ${outDir}\nCSV: ${csv}`);
  return 0;
}
