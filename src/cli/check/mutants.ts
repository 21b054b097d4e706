/**
 * Instructor mutants (labs/<chapter>/<lab>/mutants/*.ts): copies of the reference with one
 * realistic learner bug each. A lab's tests are only as good as the bugs they catch, so the
 * check grades every mutant and judges the tests by what they did to it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeResult } from '../../grading/result.ts';

/** Fewer than this and a lab's tests are unproven against the mistakes learners make. */
export const MIN_MUTANTS = 8;

export const MUTANTS_DIR = 'mutants';

/** The lab's mutant files, in name order (empty when the lab has no mutants folder). */
export function mutantFiles(labDir: string): string[] {
  const dir = join(labDir, MUTANTS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.endsWith('.ts')).sort().map((n) => join(dir, n));
}

/** What a mutant's first line says its bug is, or null when it does not say. */
export function mutantBug(source: string): string | null {
  const first = source.split('\n', 1)[0] ?? '';
  const m = /^\/\/\s*Bug:\s*(\S.*)$/.exec(first.trim());
  return m ? m[1]!.trim() : null;
}

export interface MutantVerdict {
  /** Tests that did not pass (failed or timed out): the tests that kill the mutant. */
  kills: number;
  /** Tests it passes: a mutant broken everywhere proves nothing. */
  passes: number;
  /** Problems that fail the check. */
  problems: string[];
  /** Weaknesses worth saying that do not fail the check. */
  warnings: string[];
}

/** Judges one mutant's grade in one engine. */
export function judgeMutant(name: string, engine: string, result: GradeResult): MutantVerdict {
  const kills = result.tests.filter((t) => t.status === 'fail' || t.status === 'timeout').length;
  const passes = result.tests.filter((t) => t.status === 'pass').length;
  const problems: string[] = [];
  const warnings: string[] = [];
  if (result.status === 'error' || result.tests.length === 0) {
    problems.push(`mutant ${name} does not run in the ${engine} engine (${result.status}): ${(result.message ?? '').split('\n')[0]}`);
  } else if (kills === 0) {
    problems.push(`mutant ${name} survives in the ${engine} engine: ${result.score}/${result.max_score}, no test catches its bug`);
  } else {
    if (passes === 0) problems.push(`mutant ${name} passes no test in the ${engine} engine: a mutant broken everywhere proves nothing`);
    if (kills === 1) warnings.push(`mutant ${name} is killed by one test only in the ${engine} engine`);
  }
  return { kills, passes, problems, warnings };
}

/** Problems with the set of mutants as a whole, before any is graded. */
export function mutantSetProblems(files: string[], minimum = MIN_MUTANTS): string[] {
  const problems: string[] = [];
  if (files.length < minimum) {
    problems.push(`${files.length} mutant(s) in ${MUTANTS_DIR}/; a lab needs at least ${minimum}, one realistic learner bug each`);
  }
  for (const f of files) {
    if (mutantBug(readFileSync(f, 'utf8')) === null) {
      problems.push(`${MUTANTS_DIR}/${f.split(/[\\/]/).pop()}: its first line must be "// Bug: <what the bug is>"`);
    }
  }
  return problems;
}
