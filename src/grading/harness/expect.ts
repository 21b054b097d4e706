/**
 * vitest's own `expect`, assembled from the pieces vitest assembles it from (chai plus the
 * @vitest/expect plugins), so matchers and failure messages are the same as under vitest.
 * Left out: snapshots, expect.poll and expect.soft (not in the lab-test subset).
 */
import * as chai from 'chai';
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  ChaiStyleAssertions,
  GLOBAL_EXPECT,
  JEST_MATCHERS_OBJECT,
  JestAsymmetricMatchers,
  MATCHERS_OBJECT,
  JestChaiExpect,
  JestExtend,
  addCustomEqualityTesters,
  customMatchers,
  getState,
  setState,
  type ExpectStatic,
  type MatcherState,
} from '@vitest/expect';

/**
 * Under vitest itself (tests of the harness, the lab check run from a test) chai already
 * carries vitest's built-in copy of these plugins: installing this package's copy over them
 * would change the expect of the vitest run around us. Use theirs then; they are the same code.
 */
const hostedByVitest = Object.getOwnPropertyDescriptor(chai.Assertion.prototype, 'toEqual') !== undefined;
if (!hostedByVitest) {
  // Same plugins, same order as vitest.
  chai.use(JestExtend);
  chai.use(JestChaiExpect);
  chai.use(ChaiStyleAssertions);
  chai.use(JestAsymmetricMatchers);
}

export type { ExpectStatic };

type ExpectInternals = ExpectStatic & {
  assert: typeof chai.assert;
  addEqualityTesters: typeof addCustomEqualityTesters;
  unreachable(message?: string): never;
};

/**
 * Set once this realm's chai carries the custom matchers: after sealAssertions() its prototype
 * is frozen, and a warm worker's later runs borrow the first expect's asymmetric forms.
 */
let extended = false;

export function createExpect(): ExpectStatic {
  const expect = ((value: unknown, message?: string) => {
    // Counted in place: setState copies property descriptors, on every call.
    getState(expect).assertionCalls++;
    return chai.expect(value, message);
  }) as unknown as ExpectInternals;
  Object.assign(expect, chai.expect);
  Object.assign(expect, (globalThis as Record<symbol, unknown>)[ASYMMETRIC_MATCHERS_OBJECT]);
  expect.getState = () => getState(expect);
  expect.setState = (state) => setState(state, expect);
  expect.assert = chai.assert;
  expect.extend = (matchers) => (chai.expect as unknown as { extend(e: unknown, m: unknown): void }).extend(expect, matchers);
  expect.addEqualityTesters = addCustomEqualityTesters;
  expect.unreachable = (message?: string) => {
    chai.assert.fail(`expected${message ? ` "${message}" ` : ' '}not to be reached`);
  };
  chai.util.addMethod(expect, 'assertions', (expected: number) => {
    setState({
      expectedAssertionsNumber: expected,
      expectedAssertionsNumberErrorGen: () =>
        new Error(`expected number of assertions to be ${expected}, but got ${getState(expect).assertionCalls}`),
    }, expect);
  });
  chai.util.addMethod(expect, 'hasAssertions', () => {
    setState({
      isExpectingAssertions: true,
      isExpectingAssertionsError: new Error('expected any number of assertion, but got none'),
    }, expect);
  });
  resetAssertionState(expect, '');
  // Asymmetric matchers look up "the" expect through this global; under vitest it is vitest's.
  const g = globalThis as Record<symbol, unknown>;
  if (hostedByVitest || extended) {
    // vitest has extended chai with these matchers already; borrow their asymmetric forms.
    const host = g[GLOBAL_EXPECT] as Record<string, unknown> | undefined;
    for (const name of Object.keys(customMatchers)) if (host?.[name]) Object.assign(expect, { [name]: host[name] });
  } else {
    expect.extend(customMatchers);
    extended = true;
  }
  if (!(GLOBAL_EXPECT in g)) Object.defineProperty(g, GLOBAL_EXPECT, { value: expect, writable: true, configurable: true });
  return expect;
}

/** Before each test, as vitest's runner does. */
export function resetAssertionState(expect: ExpectStatic, currentTestName: string): void {
  setState<MatcherState>({
    assertionCalls: 0,
    isExpectingAssertions: false,
    isExpectingAssertionsError: null,
    expectedAssertionsNumber: null,
    expectedAssertionsNumberErrorGen: null,
    currentTestName,
  }, expect);
}

/** After each test body, as vitest's runner does: expect.assertions(n) / hasAssertions(). */
export function checkAssertionCount(expect: ExpectStatic): void {
  const state = getState(expect);
  if (state.expectedAssertionsNumber !== null && state.assertionCalls !== state.expectedAssertionsNumber) {
    throw state.expectedAssertionsNumberErrorGen!();
  }
  if (state.isExpectingAssertions === true && state.assertionCalls === 0) throw state.isExpectingAssertionsError;
}

/**
 * Freeze what every assertion reads at run time and learner code could otherwise reach through
 * the globals vitest and @vitest/expect publish: chai's Assertion prototype (where toEqual
 * lives), the custom equality testers (one tester returning true would make every toEqual
 * pass), the registered matchers, and those global bindings themselves. Called after the
 * grader's own setup, before learner code loads; the vitest engine's fork does the same.
 */
export function sealAssertions(): void {
  const g = globalThis as unknown as Record<symbol, unknown>;
  const jest = g[JEST_MATCHERS_OBJECT] as { matchers?: object; customEqualityTesters?: object } | undefined;
  if (jest?.customEqualityTesters) Object.freeze(jest.customEqualityTesters);
  if (jest?.matchers) Object.freeze(jest.matchers);
  const expect = g[GLOBAL_EXPECT];
  if (typeof expect === 'function') {
    const assertion = Object.getPrototypeOf((expect as (v: unknown) => object)(undefined)) as { constructor?: unknown } | null;
    for (let p: object | null = assertion; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) Object.freeze(p);
    if (typeof assertion?.constructor === 'function') Object.freeze(assertion.constructor);
  }
  for (const key of [GLOBAL_EXPECT, JEST_MATCHERS_OBJECT, MATCHERS_OBJECT, ASYMMETRIC_MATCHERS_OBJECT]) {
    const d = Object.getOwnPropertyDescriptor(g, key);
    if (!d?.configurable) continue;
    Object.defineProperty(g, key, 'value' in d ? { writable: false, configurable: false } : { configurable: false, set: undefined });
  }
}
