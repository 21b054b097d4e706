import fc from 'fast-check';

/** The seed the book's grades use: the same inputs for every learner, in every engine. */
export const DEFAULT_SEED = 0x6e65746c; // "netl"

/**
 * The seed every generated input in a lab test uses, so a grade is reproducible. An instructor
 * draws fresh inputs with `grade --seed N` (the CLI passes NETLABS_SEED to the grading process);
 * the page always uses the default.
 */
export const SEED = seedFromEnvironment() ?? DEFAULT_SEED;

function seedFromEnvironment(): number | undefined {
  const text = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NETLABS_SEED;
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) ? n >>> 0 : undefined;
}

/** A small seeded PRNG (mulberry32) for simulations inside tests: same seed, same run. */
export function seededRandom(seed = SEED): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` values drawn from an arbitrary with the fixed seed: the same list on every run. */
export function samples<T>(arb: fc.Arbitrary<T>, n = 50, seed = SEED): T[] {
  return fc.sample(arb, { seed, numRuns: n });
}

/**
 * A property checked on generated inputs with the fixed seed. On failure the error names the
 * (shrunk) input, so the learner's report shows the smallest case that breaks their code.
 */
export function forAll<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => void, runs = 100): void {
  const details = fc.check(fc.property(arb, (v) => { predicate(v); }), { seed: SEED, numRuns: runs });
  if (!details.failed) return;
  throw withInput(details.errorInstance, details.counterexample?.[0]);
}

export async function forAllAsync<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, runs = 50): Promise<void> {
  const details = await fc.check(fc.asyncProperty(arb, async (v) => { await predicate(v); }), { seed: SEED, numRuns: runs });
  if (!details.failed) return;
  throw withInput(details.errorInstance, details.counterexample?.[0]);
}

/**
 * The error of the failing run, its message prefixed with the input. The same error object is
 * rethrown so an assertion keeps its expected/actual values and the report can show a diff.
 */
function withInput(error: unknown, input: unknown): Error {
  const prefix = `on generated input ${fc.stringify(input)}:\n`;
  if (error instanceof Error) {
    error.message = prefix + error.message;
    return error;
  }
  return new Error(prefix + String(error));
}

export { fc };
