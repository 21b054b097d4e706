/**
 * The reference's answers, remembered by input for as long as the grading engine lives. The
 * in-page worker (and the check's thread, and `lab watch`) keep this one module from one run of
 * a lab to the next, so a second Run does not simulate the reference again on the same
 * generated inputs; under vitest every grade is a fresh process and computes them all.
 *
 * It imports nothing: a module kept between runs must not hold a run's other modules.
 * Tests use it through the kit's `referenceAnswer`; learner files cannot import the kit.
 */
const MAX_ANSWERS = 50_000;
const answers = new Map<string, unknown>();

/** `compute()`'s value for `key`, computed once. A throw is not remembered. */
export function remember<T>(key: string, compute: () => T): T {
  if (answers.has(key)) return answers.get(key) as T;
  return keep(key, compute());
}

export async function rememberAsync<T>(key: string, compute: () => Promise<T>): Promise<T> {
  if (answers.has(key)) return answers.get(key) as T;
  return keep(key, await compute());
}

function keep<T>(key: string, value: T): T {
  if (answers.size >= MAX_ANSWERS) answers.clear();
  // Frozen, so a test that changed an answer fails on the first run, not on a later one.
  answers.set(key, deepFreeze(value));
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
  return value;
}
