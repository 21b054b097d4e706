/**
 * A vitest reporter that writes what it saw to a file of its own (never stdout: learner code
 * can print anything, including a forged result). The file holds RawTest[] plus module errors;
 * the parent process turns it into a GradeResult.
 */
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule, TestCase } from 'vitest/node';
import type { RawTest } from '../../result.ts';
import type { ProgressEvent } from '../../supervise.ts';

export interface ReporterOutput {
  tests: RawTest[];
  /** Errors outside any test: the test file or the learner's module failed to load. */
  moduleErrors: string[];
  /** Errors thrown after tests finished (unhandled rejections and the like). */
  unhandledErrors: string[];
}

interface ErrorLike { message?: string; diff?: string; name?: string; stacks?: readonly { file: string; line: number; column: number }[] }

export function errorText(e: ErrorLike | undefined): string {
  if (!e) return 'failed';
  const head = e.message ?? String(e);
  return e.diff ? `${head}\n\n${e.diff}` : head;
}

/**
 * An error thrown while a module loaded, placed as the in-page harness places it: "file:line:col:
 * Name: message" at the first frame outside vitest (source-mapped: the learner's own columns).
 */
export function moduleErrorText(e: ErrorLike): string {
  const frame = e.stacks?.find((f) => f.file && !/[\\/]node_modules[\\/]/.test(f.file));
  if (!frame || e.diff) return errorText(e);
  const file = frame.file.split(/[\\/]/).pop();
  return `${file}:${frame.line}:${frame.column}: ${e.name ?? 'Error'}: ${e.message ?? String(e)}`;
}

function pathOf(test: TestCase): string[] {
  const names = [test.name];
  for (let p = test.parent; p.type === 'suite'; p = p.parent) names.unshift(p.name);
  return names;
}

export class ResultFileReporter implements Reporter {
  readonly #file: string;
  readonly #progress: string | undefined;
  /** `progress`: where to append the collected tests, for the supervisor (see progress-setup-fs.ts). */
  constructor(file: string, progress?: string) {
    this.#file = file;
    this.#progress = progress;
  }

  onTestModuleCollected(mod: TestModule): void {
    if (!this.#progress) return;
    const paths = [...mod.children.allTests()].map(pathOf);
    const line: ProgressEvent = { event: 'collected', paths };
    appendFileSync(this.#progress, `${JSON.stringify(line)}\n`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<ErrorLike>): void {
    const out: ReporterOutput = { tests: [], moduleErrors: [], unhandledErrors: unhandled.map(errorText) };
    for (const mod of modules) {
      for (const e of mod.errors()) out.moduleErrors.push(moduleErrorText(e));
      for (const test of mod.children.allTests()) {
        const r = test.result();
        const status = r.state === 'passed' ? 'pass' : r.state === 'failed' ? 'fail' : 'skip';
        out.tests.push({
          path: pathOf(test),
          status,
          message: r.state === 'failed' ? (r.errors ?? []).map(errorText).join('\n\n') : r.state === 'skipped' ? (r.note ?? null) : null,
          duration_ms: test.diagnostic()?.duration ?? 0,
        });
      }
    }
    const tmp = `${this.#file}.part`;
    writeFileSync(tmp, JSON.stringify(out));
    renameSync(tmp, this.#file);
  }
}
