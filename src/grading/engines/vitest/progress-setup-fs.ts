/**
 * A vitest setup file for the CLI engine, run inside vitest's fork with the lab's tests: it
 * writes each test's start and end to the progress file synchronously (vitest's own reports
 * travel in batches that a test blocking the fork would strand), skips the tests an earlier
 * session graded, and after a test times out skips the rest of its task, as the harness does.
 * Env: NETLABS_PROGRESS (the file), NETLABS_SKIP (a JSON file of testKeys).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import type { RawTest } from '../../result.ts';
import { quotedTestName, testKey, type ProgressEvent } from '../../supervise.ts';
import { TIMED_OUT, timeoutWording } from '../../timeouts.ts';
import { errorText } from './result-reporter-fs.ts';

interface TaskLike {
  name: string;
  /** Set on the file's own suite, which is no part of a test's path. */
  filepath?: string;
  suite?: TaskLike;
  file?: TaskLike;
  result?: { state?: string; startTime?: number; errors?: { message?: string; diff?: string }[] };
}

const progressFile = process.env.NETLABS_PROGRESS;
const skipFile = process.env.NETLABS_SKIP;
const graded = new Set<string>(skipFile ? (JSON.parse(readFileSync(skipFile, 'utf8')) as string[]) : []);
const hungIn = new Map<string, string>();

function write(line: ProgressEvent): void {
  if (progressFile) appendFileSync(progressFile, `${JSON.stringify(line)}\n`);
}

function pathOf(task: TaskLike): string[] {
  const names = [task.name];
  for (let s = task.suite; s && s !== task.file && s.filepath === undefined; s = s.suite) names.unshift(s.name);
  return names;
}

beforeEach(({ task, skip }) => {
  const path = pathOf(task as TaskLike);
  if (graded.has(testKey(path))) skip('graded earlier');
  const hung = hungIn.get(path[0] ?? '');
  if (hung !== undefined) skip(timeoutWording.notRun(hung));
  write({ event: 'started', path });
});

afterEach(({ task }) => {
  const t = task as TaskLike;
  const path = pathOf(t);
  const state = t.result?.state;
  if (state === 'skip') return;
  const errors = t.result?.errors ?? [];
  const message = state === 'fail' ? errors.map(errorText).join('\n\n') : null;
  if (message && TIMED_OUT.test(message)) hungIn.set(path[0] ?? '', quotedTestName(path));
  const test: RawTest = {
    path,
    status: state === 'fail' ? 'fail' : 'pass',
    message,
    duration_ms: t.result?.startTime ? Date.now() - t.result.startTime : 0,
  };
  write({ event: 'finished', test });
});
