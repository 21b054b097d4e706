/**
 * TypeScript -> CommonJS with sucrase: types are stripped, nothing is type-checked.
 * Sucrase keeps line numbers, so a stack trace line in the output is a line in the source.
 */
import { transform } from 'sucrase';

/** A file that does not parse: where and why, with a 1-based line and column. */
export class CompileError extends Error {
  override name = 'CompileError';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;

  constructor(file: string, line: number, column: number, reason: string) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

// Kit, reference and test sources are the same on every run: keep their output between runs,
// keyed by source alone (the output does not depend on the name; the learner's file often
// starts as a copy of another).
const MAX_CACHED = 64;
const cache = new Map<string, string>();

export function transpile(file: string, source: string): string {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  let code: string;
  try {
    code = transform(source, {
      transforms: ['typescript', 'imports'],
      // Keep modern syntax as written: every engine runs a current JS runtime.
      disableESTransforms: true,
    }).code;
  } catch (e) {
    throw toCompileError(file, source, e);
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(source, code);
  return code;
}

function toCompileError(file: string, source: string, e: unknown): Error {
  const pos = (e as { pos?: unknown }).pos;
  if (!(e instanceof Error) || typeof pos !== 'number') return e instanceof Error ? e : new Error(String(e));
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1) + 1;
  // Sucrase ends its message with " (line:col)": we say where in our own words.
  const reason = e.message.replace(/^Error transforming [^:]*: /, '').replace(/\s*\(\d+:\d+\)$/, '');
  return new CompileError(file, line, column, reason);
}
