/**
 * The lab kit: the helpers a lab's grade.test.ts may use besides vitest's describe/it/expect.
 * Everything here runs in every grading engine (vitest in Node, the worker harness in a page).
 */
export { task, graded, vectors } from './tests';
export { titleWithPoints, parsePoints } from './points';
export { VirtualClock, flushMicrotasks, type Clock } from './clock';
export { Bench, type Settled } from './bench';
export { SEED, seededRandom, samples, forAll, forAllAsync, fc } from './random';
export { outcome, outcomeAsync, hex, fromHex, type Outcome } from './outcome';
export { withCopiedInputs } from './copies';
export { referenceAnswer, referenceAnswerAsync } from './answers';
