import { fc } from './random';
import { remember, rememberAsync } from './memo';

/**
 * The reference's answer to `what` on `input`, computed once for as long as the grading engine
 * lives (memo.ts): for the slow ones, such as a whole simulated run of the reference. `input`
 * must be plain data holding everything the answer depends on, and `what` must name the
 * computation (two helpers must not share a name). The answer comes back frozen.
 *   expect(await run(learner, sc)).toEqual(await referenceAnswerAsync('run', sc, () => run(reference, sc)));
 */
export function referenceAnswer<T>(what: string, input: unknown, compute: () => T): T {
  return remember(key(what, input), compute);
}

export function referenceAnswerAsync<T>(what: string, input: unknown, compute: () => Promise<T>): Promise<T> {
  return rememberAsync(key(what, input), compute);
}

const key = (what: string, input: unknown): string => `${what}\n${fc.stringify(input)}`;
