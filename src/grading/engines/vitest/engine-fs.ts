/**
 * The CLI grading engine: real vitest in a child process with an outer wall-clock limit.
 * vitest cannot stop a synchronous endless loop (its testTimeout never fires), so the parent
 * kills the whole process group at the limit and reports a timeout.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { forbiddenImport } from '../../learner-imports.ts';
import { buildResult, cleanMessage, failedRun, type GradeResult, type RawTest } from '../../result.ts';
import { PROJECT_ROOT, type Lab } from '../../../catalog/catalog-fs.ts';
import type { ReporterOutput } from './result-reporter-fs.ts';
import { testTimeoutFor } from '../../timeouts.ts';

const CHILD = fileURLToPath(new URL('./child-fs.ts', import.meta.url));

/** Time vitest itself needs to start on a slow 2-core machine, added to the lab's budget. */
export const STARTUP_ALLOWANCE_MS = 15_000;

export interface GradeOptions {
  /** Overrides the lab's time_limit_ms (tests use this to keep timeout checks short). */
  timeLimitMs?: number;
  /** Overrides STARTUP_ALLOWANCE_MS (tests of the timeout path keep it short). */
  startupAllowanceMs?: number;
}

export interface GradeRun {
  result: GradeResult;
  /** Wall-clock time of the whole run, vitest start-up included. */
  elapsedMs: number;
}

export async function gradeWithVitest(lab: Lab, learnerFile: string, opts: GradeOptions = {}): Promise<GradeRun> {
  const learner = resolve(learnerFile);
  const info = lab.meta;
  const started = Date.now();
  // The submission's own folder too: a student's home directory must not reach the result.
  const roots = [PROJECT_ROOT, lab.dir, dirname(learner)];
  if (!existsSync(learner)) {
    return { result: failedRun(info, 'cli', 'error', `no such file: ${learnerFile}`), elapsedMs: 0 };
  }
  const forbidden = forbiddenImport(readFileSync(learner, 'utf8'), basename(learner));
  if (forbidden) return { result: failedRun(info, 'cli', 'error', forbidden), elapsedMs: 0 };
  const scratch = mkdtempSync(join(tmpdir(), 'netlabs-grade-'));
  const resultFile = join(scratch, `${randomUUID()}.json`);
  const limit = opts.timeLimitMs ?? info.time_limit_ms;
  const testTimeout = testTimeoutFor(limit);
  const allowance = opts.startupAllowanceMs ?? STARTUP_ALLOWANCE_MS;

  const child = spawn(process.execPath, [CHILD, lab.dir, learner, resultFile, String(testTimeout), info.files.join(',')], {
    cwd: PROJECT_ROOT,
    detached: true, // its own process group: killing -pid takes vitest's workers too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: process.env.CI ?? '' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  child.stdout.resume(); // learner output is ignored: the result comes from the file

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }, limit + allowance);
  await new Promise<void>((done) => child.once('close', () => done()));
  clearTimeout(timer);
  try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* group already gone */ }

  const elapsedMs = Date.now() - started;
  let output: ReporterOutput | undefined;
  if (!timedOut && existsSync(resultFile)) {
    try { output = JSON.parse(readFileSync(resultFile, 'utf8')) as ReporterOutput; } catch { output = undefined; }
  }
  rmSync(scratch, { recursive: true, force: true });

  if (!output) {
    const seconds = Math.round((limit + allowance) / 1000);
    const why = timedOut
      ? `Stopped after ${seconds} s (the lab's limit of ${Math.round(limit / 1000)} s plus ${allowance / 1000} s for the grader to start) without a result: an endless loop, or code far too slow.`
      : `The grader produced no result.${stderr ? ` ${cleanMessage(stderr, roots).split('\n').slice(-5).join('\n')}` : ''}`;
    return { result: failedRun(info, 'cli', 'timeout', why), elapsedMs };
  }
  const clean = (m: string) => cleanMessage(m, roots);
  if (output.tests.length === 0 && output.moduleErrors.length > 0) {
    const message = output.moduleErrors.map((m) => compileErrorLine(m) ?? `Failed while loading the tests and your module: ${clean(m)}`).join('\n\n');
    return { result: failedRun(info, 'cli', 'error', message), elapsedMs };
  }
  const raw: RawTest[] = output.tests.map((t) => ({
    ...t,
    message: t.message ? clean(t.message) : null,
    status: t.status,
  }));
  const result = buildResult(info, 'cli', raw);
  const extra = [...output.moduleErrors, ...output.unhandledErrors];
  if (extra.length) result.message = clean(extra.join('\n\n'));
  return { result, elapsedMs };
}

/**
 * vite's parser reports a syntax error as a code frame ("[PARSE_ERROR] Unexpected token" and
 * "╭─[ path/file.ts:2:13 ]"); learners want "file.ts:2:13: Unexpected token" first, then the frame.
 */
export function compileErrorLine(text: string): string | null {
  const plain = cleanMessage(text);
  const where = /╭─\[\s*([^\]\s]+):(\d+):(\d+)\s*\]/.exec(plain);
  const what = /\[(?:PARSE_ERROR|SyntaxError|ERROR)\]\s*(?:Error:\s*)?(.+)/.exec(plain);
  if (!where || !what) return null;
  const file = where[1]!.split(/[\\/]/).pop();
  const frame = plain.slice(where.index).split('\n').slice(1).filter((l) => /\d+ │|┬|╰/.test(l)).join('\n');
  return `${file}:${where[2]}:${where[3]}: ${what[1]!.trim()}${frame ? `\n${frame}` : ''}`;
}

