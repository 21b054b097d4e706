/**
 * `lab watch <lab>`: re-grade the learner's file on every save, the way rustlings works. The
 * engine is the harness in a worker thread (supervised, so a hang costs only its task) with a
 * spare thread always started ahead: a save is graded without any start-up. `g` runs the full
 * vitest grade (the one marks come from); `q` or Ctrl-C leaves.
 */
import { existsSync, watch as watchDir, type FSWatcher } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { findLab, PROJECT_ROOT, type Lab } from '../../catalog/catalog-fs.ts';
import { formatReport } from '../../grading/report.ts';
import type { GradeResult } from '../../grading/result.ts';
import { gradeWithHarnessLimited, WarmThreads } from '../../grading/engines/node/thread-fs.ts';
import { gradeWithVitest } from '../../grading/engines/vitest/engine-fs.ts';
import { displayPath } from './grade.ts';
import { workFile } from '../workspace.ts';

/** Editors save in bursts (write, rename, chmod): one grade per burst. */
const SETTLE_MS = 30;

export interface Watcher {
  /** Resolves after the first grade has been shown. */
  ready: Promise<void>;
  /** Grade now with vitest, as `grade` does. */
  fullGrade(): Promise<GradeResult>;
  close(): void;
}

export interface WatchOptions {
  /** Where reports go (the terminal by default). */
  print?: (text: string) => void;
  /** Called after each watch grade with the result and the time from save to report. */
  onGraded?: (result: GradeResult, ms: number) => void;
  /** Clear the screen before each report (a terminal, not a test). */
  clear?: boolean;
}

export function watchLab(lab: Lab, file: string, opts: WatchOptions = {}): Watcher {
  const print = opts.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const threads = new WarmThreads();
  threads.warm();
  const shown = displayPath(file);
  let running: Promise<unknown> = Promise.resolve();
  let pending = false;
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const footer = (): string => `\nWatching ${shown}: save to grade again · g: full grade with vitest · q: quit`;

  async function gradeOnce(savedAt: number): Promise<void> {
    if (closed) return;
    if (!existsSync(file)) {
      print(`${shown} is gone (renamed?); waiting for it to come back.`);
      return;
    }
    const result = await gradeWithHarnessLimited(lab.dir, file, undefined, threads);
    if (closed) return;
    const ms = performance.now() - savedAt;
    if (opts.clear) print('\u001bc');
    print(formatReport(result, shown, lab.meta.title));
    print(`\nGraded in ${Math.round(ms)} ms (in-page harness; marks come from the full grade).${footer()}`);
    opts.onGraded?.(result, ms);
  }

  function schedule(savedAt: number): void {
    if (pending) return;
    pending = true;
    running = running.then(() => {
      pending = false;
      return gradeOnce(savedAt);
    });
  }

  // Watch the folder, not the file: editors that save by renaming replace the file's inode.
  let watcher: FSWatcher | undefined = watchDir(dirname(file), (_event, name) => {
    if (name !== null && name !== basename(file)) return;
    const savedAt = performance.now();
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => schedule(savedAt), SETTLE_MS);
  });

  const ready = (async () => { schedule(performance.now()); await running; })();

  return {
    ready,
    async fullGrade() {
      print('\nFull grade with vitest…');
      const { result } = await gradeWithVitest(lab, file);
      print(formatReport(result, shown, lab.meta.title));
      print(footer());
      return result;
    },
    close() {
      closed = true;
      clearTimeout(settleTimer);
      watcher?.close();
      watcher = undefined;
      threads.dispose();
    },
  };
}

/** The command: watch until q or Ctrl-C, then leave the terminal as it was. */
export async function watch(ref: string, opts: { file?: string }): Promise<number> {
  const lab = findLab(ref);
  const file = opts.file ?? workFile(lab);
  if (!existsSync(file)) {
    console.error(`Nothing to watch: ${relative(PROJECT_ROOT, file)} does not exist. Run: npm run lab -- start ${lab.meta.id}   (or pass --file F)`);
    return 2;
  }
  const tty = process.stdin.isTTY === true;
  const watcher = watchLab(lab, file, { clear: tty && process.stdout.isTTY === true });
  await watcher.ready;
  return new Promise<number>((done) => {
    const leave = (): void => {
      watcher.close();
      if (tty) process.stdin.setRawMode(false);
      process.stdin.pause();
      process.off('SIGINT', leave);
      done(0);
    };
    process.on('SIGINT', leave);
    if (!tty) return; // no keys without a terminal: Ctrl-C (SIGINT) still leaves
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.on('data', (key: Buffer) => {
      const k = key.toString();
      if (k === 'q' || k === '\u0003') leave();
      else if (k === 'g') void watcher.fullGrade();
    });
  });
}
