/**
 * The CLI grading engine: real vitest in a child process, supervised (../../supervise.ts).
 * vitest cannot stop a synchronous endless loop (its testTimeout never fires), so when a test
 * runs past its limit the parent kills the whole process group, records that test as hung,
 * and starts vitest again for the tests left.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { refusedImport } from '../../learner-imports.ts';
import { cleanMessage, failedRun, type GradeResult, type RawTest } from '../../result.ts';
import { progressFileReader, supervise, type SessionEnd, type StartSession } from '../../supervise.ts';
import { PROJECT_ROOT, type Lab } from '../../../catalog/catalog-fs.ts';
import type { ReporterOutput } from './result-reporter-fs.ts';

const CHILD = fileURLToPath(new URL('./child-fs.ts', import.meta.url));

/** Time vitest itself needs to start on a slow 2-core machine, added to the lab's budget. */
export const STARTUP_ALLOWANCE_MS = 15_000;

export interface GradeOptions {
  /** Overrides the lab's time_limit_ms (tests use this to keep timeout checks short). */
  timeLimitMs?: number;
  /** Overrides the lab's test_time_limit_ms. */
  testTimeLimitMs?: number;
  /** Overrides STARTUP_ALLOWANCE_MS (tests of the timeout path keep it short). */
  startupAllowanceMs?: number;
  /** Draw the generated inputs from this seed instead of the book's (kit/random.ts); recorded in the result. */
  seed?: number;
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
  const refused = refusedImport(readFileSync(learner, 'utf8'), info.files, basename(learner), info.builtins);
  if (refused) return { result: failedRun(info, 'cli', 'error', refused), elapsedMs: 0 };
  const scratch = mkdtempSync(join(tmpdir(), 'netlabs-grade-'));
  const testLimitMs = opts.testTimeLimitMs ?? info.test_time_limit_ms;
  const clean = (m: string): string => cleanMessage(m, roots);
  let sessions = 0;

  /** One vitest process (its own process group, so killing it takes vitest's fork too). */
  const session: StartSession = (skip, events) => {
    const n = ++sessions;
    const resultFile = join(scratch, `${randomUUID()}.json`);
    const progressFile = join(scratch, `progress-${n}.jsonl`);
    const skipFile = join(scratch, `skip-${n}.json`);
    writeFileSync(skipFile, JSON.stringify([...skip]));
    writeFileSync(progressFile, '');
    const child = spawn(process.execPath, [CHILD, lab.dir, learner, resultFile, String(testLimitMs), info.files.join(','), info.builtins.join(',')], {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: process.env.CI ?? '', NETLABS_PROGRESS: progressFile, NETLABS_SKIP: skipFile, ...(opts.seed === undefined ? {} : { NETLABS_SEED: String(opts.seed) }) },
    });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
    child.stdout.resume(); // learner output is ignored: the result comes from the file
    const kill = (): void => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ } };

    // Messages from vitest's fork name paths of this machine: cleaned as the final result's are.
    const read = progressFileReader({ ...events, finished: (t) => events.finished({ ...t, message: t.message ? clean(t.message) : null }) });
    const poll = (): void => {
      try { read(readFileSync(progressFile, 'utf8')); } catch { /* not written yet */ }
    };
    const timer = setInterval(poll, PROGRESS_POLL_MS);

    const done = new Promise<SessionEnd>((settle) => {
      child.once('close', () => {
        clearInterval(timer);
        kill(); // vitest's fork, if learner code left it running
        poll();
        let output: ReporterOutput | undefined;
        if (existsSync(resultFile)) {
          try { output = JSON.parse(readFileSync(resultFile, 'utf8')) as ReporterOutput; } catch { output = undefined; }
        }
        settle(sessionEnd(output, stderr, clean));
      });
    });
    return { done, stop: () => { clearInterval(timer); kill(); } };
  };

  try {
    const result = await supervise(session, {
      lab: info,
      engine: 'cli',
      testLimitMs,
      labLimitMs: opts.timeLimitMs ?? info.time_limit_ms,
      startupMs: opts.startupAllowanceMs ?? STARTUP_ALLOWANCE_MS,
    }).result;
    return { result: opts.seed === undefined ? result : { ...result, seed: opts.seed >>> 0 }, elapsedMs: Date.now() - started };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** How often the progress file is read: a hang is noticed within this much of its limit. */
const PROGRESS_POLL_MS = 50;

function sessionEnd(output: ReporterOutput | undefined, stderr: string, clean: (m: string) => string): SessionEnd {
  if (!output) {
    return { kind: 'error', message: `The grader produced no result.${stderr ? ` ${clean(stderr).split('\n').slice(-5).join('\n')}` : ''}` };
  }
  if (output.tests.length === 0 && output.moduleErrors.length > 0) {
    return { kind: 'error', message: output.moduleErrors.map((m) => compileErrorLine(m) ?? (/^[\w.-]+:\d+:\d+: /.test(m) ? clean(m) : `Failed while loading the tests and your module: ${clean(m)}`)).join('\n\n') };
  }
  const tests: RawTest[] = output.tests.map((t) => ({ ...t, message: t.message ? clean(t.message) : null }));
  const extra = [...output.moduleErrors, ...output.unhandledErrors];
  return { kind: 'done', tests, message: extra.length ? clean(extra.join('\n\n')) : null };
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

