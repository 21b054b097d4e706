/**
 * Turning what a test threw into the message a learner reads: vitest's assertion message with
 * its diff, or "TypeError: ..." with the line of the lab file it came from.
 */
import { printDiffOrStringify } from '@vitest/utils/diff';
import { cleanMessage } from '../result.ts';

interface AssertionLike {
  message: string;
  showDiff?: boolean;
  actual?: unknown;
  expected?: unknown;
}

/** `where(stack)` finds the first frame in a file the learner should look at. */
export type Locator = (stack: string) => string | undefined;

export function errorMessage(e: unknown, locate?: Locator): string {
  if (!(e instanceof Error) && (typeof e !== 'object' || e === null || !('message' in e))) {
    return cleanMessage(`Thrown: ${typeof e === 'string' ? JSON.stringify(e) : String(e)}`);
  }
  const err = e as Error & AssertionLike;
  const name = typeof err.name === 'string' && err.name ? err.name : 'Error';
  if (name === 'AssertionError') return cleanMessage(withDiff(err));
  if (name === 'TestTimeoutError' || name === 'HookTimeoutError') return cleanMessage(err.message);
  let text = `${name}: ${err.message}`;
  const at = locate && typeof err.stack === 'string' ? locate(err.stack) : undefined;
  if (at) text += `\n    at ${at}`;
  return cleanMessage(text);
}

/** Several errors from one test (body, then afterEach): each message once, in order. */
export function errorsMessage(errors: unknown[], locate?: Locator): string {
  return [...new Set(errors.map((e) => errorMessage(e, locate)))].join('\n\n');
}

// vitest prints a diff when the error says so, or when it carries both sides.
function withDiff(err: AssertionLike): string {
  const wantsDiff = err.showDiff || (err.showDiff === undefined && err.expected !== undefined && err.actual !== undefined);
  if (!wantsDiff) return err.message;
  let diff: string | undefined;
  try {
    diff = printDiffOrStringify(err.actual, err.expected);
  } catch {
    diff = undefined;
  }
  return diff ? `${err.message}\n\n${diff}` : err.message;
}

/** A file's source and the code that ran from it, with what was put before its first line. */
export interface CompiledFile { source: string; code: string; prefix: string }

/**
 * A locator over stack frames "name.ts:LINE:COL" for the given file names (first match wins):
 * "name.ts:LINE", or "name.ts:LINE:COL" when `compiled` gives the file's source and code, the
 * column placed back in the source.
 */
export function frameLocator(names: readonly string[], compiled?: (name: string) => CompiledFile | undefined): Locator {
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const frame = new RegExp(`(?:^|[\\s(@/])(${escaped.join('|')}):(\\d+):(\\d+)`, 'm');
  return (stack) => {
    const m = frame.exec(stack);
    if (!m) return undefined;
    // Lines are the source's (sucrase keeps them); columns are of the code that ran.
    const [, name, line, column] = m as unknown as [string, string, string, string];
    const file = compiled?.(name);
    if (!file) return `${name}:${line}`;
    return `${name}:${line}:${sourceColumn(file, Number(line), Number(column))}`;
  };
}

/**
 * The source column of a position in the code that ran, on the same line. Sucrase strips types
 * and rewrites imports within a line, so the same token is found again counting from the end of
 * the line (the rewriting happens mostly at its start: the module header on line 1).
 */
export function sourceColumn(file: CompiledFile, line: number, column: number): number {
  const src = file.source.split('\n')[line - 1] ?? '';
  let ran = file.code.split('\n')[line - 1] ?? '';
  if (line === 1) ran = file.prefix + ran;
  if (ran === src) return column;
  const at = column - 1;
  const token = /^[\w$]+/.exec(ran.slice(at))?.[0] ?? ran.charAt(at);
  if (!token) return Math.min(column, src.length + 1);
  const isWord = /^[\w$]/.test(token);
  const pattern = new RegExp(isWord ? `(?<![\\w$])${escapeRegExp(token)}(?![\\w$])` : escapeRegExp(token), 'g');
  const starts = (text: string): number[] => [...text.matchAll(pattern)].map((x) => x.index!);
  const after = starts(ran).filter((i) => i > at).length;
  const inSource = starts(src);
  const index = inSource[inSource.length - 1 - after];
  return index === undefined ? Math.min(column, src.length + 1) : index + 1;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Errors raised outside any test while grading (an unawaited rejected promise, a throw from a
 * timer): the tests' statuses stand, and the run's message names them, as the CLI engine does.
 */
export function withStrayErrors<T extends { message: string | null }>(result: T, errors: readonly unknown[]): T {
  if (errors.length === 0) return result;
  const stray = `Errors outside any test:\n${errorsMessage([...errors])}`;
  return { ...result, message: result.message ? `${result.message}\n\n${stray}` : stray };
}
