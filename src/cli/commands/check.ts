/**
 * The lab check: proves a lab is sound before a learner meets it.
 * - lab.yaml valid; instructions and hints structured per task;
 * - grade.test.ts uses only the lab-test subset, and every top-level block is a task;
 * - starter and reference type-check against the tests;
 * - the reference scores 100% and the starter 0 on every task, in the CLI engine;
 * - every task has tests, every test a task, and task points equal the sum of test points;
 * - the worker harness (for worker labs) agrees with the CLI engine on both files;
 * - the reference's tests take at most half the lab's time limit;
 * - every instructor mutant (mutants/*.ts, at least MIN_MUTANTS) scores below 100% in every
 *   engine the lab runs in, and passes at least one test.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, relative } from 'node:path';
import { labDirs, loadLab, findLab, PROJECT_ROOT, type Lab } from '../../catalog/catalog-fs.ts';
import type { GradeResult } from '../../grading/result.ts';
import { gradeWithVitest } from '../../grading/engines/vitest/engine-fs.ts';
import { checkSubset } from '../check/subset.ts';
import { checkDocs } from '../check/docs.ts';
import { typecheckLab } from '../check/typecheck.ts';
import { compareEngines } from '../../grading/compare.ts';
import { gradeWithHarnessLimited } from '../../grading/engines/node/thread-fs.ts';
import { judgeMutant, MIN_MUTANTS, mutantFiles, mutantSetProblems } from '../check/mutants.ts';

export type HarnessGrade = (labDir: string, learnerPath: string) => Promise<GradeResult>;

export interface LabCheck {
  id: string;
  problems: string[];
  /** Weaknesses that do not fail the check (a mutant killed by one test only). */
  warnings: string[];
  summary: string;
  /** One line per mutant: its name and how many tests kill it in each engine. */
  mutants: string[];
  seconds: number;
}

export interface CheckOptions {
  harness?: HarnessGrade;
  /** Fewer mutants than this fail the check (MIN_MUTANTS; tests of the check's rules set it). */
  minMutants?: number;
}

export async function checkLab(lab: Lab, opts: CheckOptions = {}): Promise<LabCheck> {
  const harness = opts.harness ?? gradeWithHarnessLimited;
  const started = Date.now();
  const { meta, dir } = lab;
  const rel = relative(PROJECT_ROOT, dir);
  const problems: string[] = [];
  const taskIds = meta.tasks.map((t) => t.id);

  problems.push(...checkDocs(readFileSync(join(dir, 'instructions.md'), 'utf8'), readFileSync(join(dir, 'hints.md'), 'utf8'), taskIds));

  const subset = checkSubset(readFileSync(join(dir, 'grade.test.ts'), 'utf8'), 'grade.test.ts', { taskIds, labFiles: meta.files });
  problems.push(...subset.problems.map((p) => `${rel}/grade.test.ts:${p.line}:${p.col}: ${p.message}`));
  for (const id of taskIds) if (!subset.taskBlocks.includes(id)) problems.push(`task "${id}" has no task("${id}") block in grade.test.ts`);

  for (const which of ['starter.ts', 'reference.ts']) {
    const errors = typecheckLab(lab, join(dir, which));
    problems.push(...errors.slice(0, 10).map((e) => `type error (learner = ${which}): ${e}`));
    if (errors.length > 10) problems.push(`… and ${errors.length - 10} more type errors with learner = ${which}`);
  }

  const ref = await gradeWithVitest(lab, join(dir, 'reference.ts'));
  const starter = await gradeWithVitest(lab, join(dir, 'starter.ts'));
  const r = ref.result;
  const s = starter.result;

  if (r.status !== 'pass' || r.score !== r.max_score) {
    problems.push(`reference scores ${r.score}/${r.max_score} (${r.status})${r.message ? `: ${r.message.split('\n')[0]}` : ''}`);
    for (const t of r.tests.filter((t) => t.status !== 'pass').slice(0, 5)) problems.push(`  reference fails "${t.task_id} > ${t.name}": ${(t.message ?? '').split('\n')[0]}`);
  }
  if (s.status === 'error' || s.status === 'timeout') problems.push(`starter does not run: ${s.status}: ${(s.message ?? '').split('\n')[0]}`);
  for (const t of s.tests.filter((t) => t.status === 'pass')) problems.push(`starter passes "${t.task_id} > ${t.name}": every test must fail on the starter`);

  // Test ↔ task mapping and points, from what the tests really reported.
  for (const t of r.tests) if (!taskIds.includes(t.task_id)) problems.push(`test "${t.task_id} > ${t.name}" is outside any task of lab.yaml`);
  for (const task of meta.tasks) {
    const mine = r.tests.filter((t) => t.task_id === task.id);
    const sum = mine.reduce((a, t) => a + t.max_score, 0);
    if (mine.length === 0) problems.push(`task "${task.id}" has no tests`);
    else if (sum !== task.points) problems.push(`task "${task.id}": lab.yaml says ${task.points} points, its tests are worth ${sum}`);
  }

  // Half the limit: correct code must not time out on a machine slower than this one.
  const testMs = r.tests.reduce((a, t) => a + t.duration_ms, 0);
  if (testMs > meta.time_limit_ms / 2) problems.push(`reference tests took ${Math.round(testMs)} ms, over half the lab's time_limit_ms ${meta.time_limit_ms}`);
  // A third of a test's own limit: a correct test must never be taken for a hung one.
  for (const t of r.tests.filter((t) => t.duration_ms > meta.test_time_limit_ms / 3)) {
    problems.push(`reference test "${t.task_id} > ${t.name}" took ${Math.round(t.duration_ms)} ms, over a third of test_time_limit_ms ${meta.test_time_limit_ms}`);
  }

  let engines = 'cli only (runtime: node)';
  if (meta.runtime === 'worker') {
    for (const [name, cli] of [['reference.ts', r], ['starter.ts', s]] as const) {
      const w = await harness(dir, join(dir, name));
      problems.push(...compareEngines(cli, w).map((p) => `${name}: ${p}`));
    }
    engines = 'cli = worker';
  }
  const files = mutantFiles(dir);
  problems.push(...mutantSetProblems(files, opts.minMutants ?? MIN_MUTANTS));
  const warnings: string[] = [];
  const mutants = await inPool(files, availableParallelism(), async (file) => {
    const name = basename(file, '.ts');
    const cli = (await gradeWithVitest(lab, file)).result;
    const graded: [string, GradeResult][] = [['cli', cli]];
    if (meta.runtime === 'worker') {
      const w = await harness(dir, file);
      graded.push(['worker', w]);
      problems.push(...compareEngines(cli, w).map((p) => `mutant ${name}: ${p}`));
    }
    const counts = graded.map(([engine, res]) => {
      const v = judgeMutant(name, engine, res);
      problems.push(...v.problems);
      warnings.push(...v.warnings);
      return `${engine} ${res.score}/${res.max_score}, killed by ${v.kills} of ${res.tests.length} tests`;
    });
    return `${name}: ${counts.join('; ')}`;
  });
  const summary = `reference ${r.score}/${r.max_score}, starter ${s.score}/${s.max_score}, ${engines}, ${files.length} mutants`;
  return { id: meta.id, problems, warnings, summary, mutants, seconds: (Date.now() - started) / 1000 };
}

/** Maps `items` through `work`, at most `size` at a time, keeping their order. */
async function inPool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, lane));
  return out;
}

export async function check(ref: string | undefined): Promise<number> {
  let labs: Lab[] = [];
  const loadProblems: string[] = [];
  if (ref) labs = [findLab(ref)];
  else {
    for (const d of labDirs()) {
      try { labs.push(loadLab(d)); } catch (e) { loadProblems.push((e as Error).message); }
    }
  }
  for (const p of loadProblems) console.log(`FAIL ${p}`);
  let failed = loadProblems.length;
  const started = Date.now();
  for (const lab of labs) {
    const res = await checkLab(lab);
    if (res.problems.length === 0) console.log(`ok   ${res.id}: ${res.summary} (${res.seconds.toFixed(1)} s)`);
    else {
      failed++;
      for (const p of res.problems) console.log(`FAIL ${res.id}: ${p}`);
    }
    for (const m of res.mutants) console.log(`       mutant ${m}`);
    for (const w of res.warnings) console.log(`warn ${res.id}: ${w}`);
  }
  const total = labs.length + loadProblems.length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(failed ? `\n${failed} of ${total} lab(s) failed the check (${seconds} s).` : `\nAll ${total} lab(s) pass the check (${seconds} s).`);
  return failed ? 1 : 0;
}
