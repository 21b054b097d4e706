/**
 * Runs a collected test tree one test at a time, with vitest's hook order and timeouts:
 * beforeEach outermost first, afterEach innermost first and in reverse order of
 * registration, cleanups returned by beforeEach last; a test or hook that runs past its
 * timeout fails (even a synchronous one, as in vitest). After a test times out, the rest of its
 * task is not run (see ../supervise.ts): one hung function must not cost a limit per test.
 */
import type { RawTest } from '../result.ts';
import type { Hook, SuiteNode, TestContext, TestNode } from './collector.ts';
import { checkAssertionCount, resetAssertionState, type ExpectStatic } from './expect.ts';
import { errorsMessage, type Locator } from './errors.ts';
import { quotedTestName, testKey, type SessionEvents } from '../supervise.ts';
import { timeoutWording } from '../timeouts.ts';

export interface RunOptions {
  expect: ExpectStatic;
  hookTimeoutMs: number;
  locate?: Locator;
  /** Tests graded by an earlier session (testKey): neither run nor reported. */
  skip?: ReadonlySet<string>;
  events?: Partial<SessionEvents>;
}

interface RunState extends RunOptions {
  out: RawTest[];
  /** Task id → name of its test that timed out. */
  hung: Map<string, string>;
}

export class TestTimeoutError extends Error {
  override name = 'TestTimeoutError';
}

export class HookTimeoutError extends Error {
  override name = 'HookTimeoutError';
}

const now = (): number => globalThis.performance?.now() ?? Date.now();

export async function runTree(root: SuiteNode, options: RunOptions): Promise<RawTest[]> {
  const state: RunState = { ...options, out: [], hung: new Map() };
  options.events?.collected?.(testPaths(root, []));
  await runSuite(root, [], state);
  return state.out;
}

/** Every test of the tree in run order, skipped ones too (vitest lists those as well). */
function testPaths(suite: SuiteNode, path: string[]): string[][] {
  return suite.children.flatMap((child) =>
    child.kind === 'suite' ? testPaths(child, [...path, child.name]) : [[...path, child.name]]);
}

async function runSuite(suite: SuiteNode, path: string[], state: RunState): Promise<void> {
  for (const child of suite.children) {
    if (child.kind === 'suite') {
      await runSuite(child, [...path, child.name], state);
      continue;
    }
    const testPath = [...path, child.name];
    if (state.skip?.has(testKey(testPath))) continue;
    const task = testPath[0] ?? '';
    const hung = state.hung.get(task);
    let result: RawTest;
    // A test skipped in the file stays a plain skip, as vitest reports it.
    if (hung !== undefined && child.mode === 'run' && child.body) {
      result = { path: testPath, status: 'skip', message: timeoutWording.notRun(hung), duration_ms: 0 };
    } else {
      state.events?.started?.(testPath);
      const { timedOut, ...ran } = await runTest(child, testPath, state);
      if (timedOut) state.hung.set(task, quotedTestName(testPath));
      result = ran;
    }
    state.out.push(result);
    state.events?.finished?.(result);
  }
}

async function runTest(test: TestNode, path: string[], options: RunOptions): Promise<RawTest & { timedOut?: boolean }> {
  if (test.mode !== 'run' || !test.body) return { path, status: 'skip', message: null, duration_ms: 0 };
  const { expect, hookTimeoutMs, locate } = options;
  const context: TestContext = { task: { name: test.name } };
  const errors: unknown[] = [];
  const cleanups: unknown[] = [];
  const start = now();
  resetAssertionState(expect, path.join(' > '));
  try {
    for (const hook of beforeEachHooks(test.suite)) {
      cleanups.push(await withTimeout(() => hook(context), hookTimeoutMs, true));
    }
    const body = test.body;
    await withTimeout(() => body(context), test.timeoutMs, false);
    checkAssertionCount(expect);
  } catch (e) {
    errors.push(e);
  }
  try {
    for (const hook of afterEachHooks(test.suite)) await withTimeout(() => hook(context), hookTimeoutMs, true);
    for (const cleanup of cleanups.reverse()) {
      if (typeof cleanup === 'function') await withTimeout(() => (cleanup as () => unknown)(), hookTimeoutMs, true);
    }
  } catch (e) {
    errors.push(e);
  }
  const duration_ms = now() - start;
  if (errors.length === 0) return { path, status: 'pass', message: null, duration_ms };
  const timedOut = errors.some((e) => e instanceof TestTimeoutError || e instanceof HookTimeoutError);
  return { path, status: 'fail', message: errorsMessage(errors, locate), duration_ms, timedOut };
}

function chain(suite: SuiteNode): SuiteNode[] {
  const suites: SuiteNode[] = [];
  for (let s: SuiteNode | undefined = suite; s; s = s.parent) suites.unshift(s);
  return suites;
}

function beforeEachHooks(suite: SuiteNode): Hook[] {
  return chain(suite).flatMap((s) => s.beforeEach);
}

function afterEachHooks(suite: SuiteNode): Hook[] {
  return chain(suite).reverse().flatMap((s) => [...s.afterEach].reverse());
}

/**
 * vitest's rule: a promise must settle within the limit; a call that returns (or resolves)
 * after the limit has passed also fails, since a synchronous test cannot be interrupted.
 * An error thrown or rejected wins over the timeout.
 */
function withTimeout(fn: () => unknown, timeoutMs: number, isHook: boolean): Promise<unknown> {
  const start = now();
  const timeoutError = (): Error => {
    const what = isHook ? 'Hook' : 'Test';
    const message = `${what} timed out in ${timeoutMs}ms.\nIf this is a long-running ${what.toLowerCase()}, pass a timeout value as the last argument or configure it globally with "${isHook ? 'hookTimeout' : 'testTimeout'}".`;
    return isHook ? new HookTimeoutError(message) : new TestTimeoutError(message);
  };
  const limited = timeoutMs > 0 && timeoutMs !== Infinity;
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (value: unknown): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (limited && now() - start > timeoutMs) reject(timeoutError());
      else resolve(value);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      reject(error);
    };
    try {
      const result = fn();
      if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
        if (limited) timer = setTimeout(() => fail(timeoutError()), timeoutMs);
        (result as PromiseLike<unknown>).then(finish, fail);
      } else {
        finish(result);
      }
    } catch (e) {
      fail(e);
    }
  });
}
