/**
 * What a call did, as plain data: its value, or the error it threw (type name and code).
 * Comparing outcomes lets a test say "learner and reference agree", errors included, and
 * makes a starter that throws "TODO" fail where a typed error was expected.
 */
export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: string; code?: string };

export function outcome<T>(fn: () => T): Outcome<T> {
  // Only an error's name and code are kept, never its stack: capturing one for each of the
  // thousands of errors a codec lab throws on purpose was a tenth of a run.
  // (Error.stackTraceLimit is V8's; elsewhere there is nothing to turn off.)
  const v8 = Error as { stackTraceLimit?: number };
  const stackTraceLimit = v8.stackTraceLimit;
  if (stackTraceLimit !== undefined) v8.stackTraceLimit = 0;
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return errorOutcome(e);
  } finally {
    if (stackTraceLimit !== undefined) v8.stackTraceLimit = stackTraceLimit;
  }
}

export async function outcomeAsync<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return errorOutcome(e);
  }
}

function errorOutcome(e: unknown): { ok: false; error: string; code?: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? { ok: false, error: e.name, code } : { ok: false, error: e.name };
  }
  return { ok: false, error: typeof e };
}

/** Bytes as lowercase hex with a space every byte: readable in a report diff. */
export function hex(bytes: Uint8Array): string {
  // Tests call this on every generated input: a table, not toString per byte.
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += i === 0 ? HEX_BYTE[bytes[i]!] : ` ${HEX_BYTE[bytes[i]!]}`;
  return out;
}
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Parse hex written with any whitespace ("00 01 ab" or "0001ab"). */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`not hex: ${text}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
