/**
 * Runs a collected test tree one test at a time, with vitest's hook order and timeouts:
 * beforeEach outermost first, afterEach innermost first and in reverse order of
 * registration, cleanups returned by beforeEach last; a test or hook that runs past its
 * timeout fails (even a synchronous one, as in vitest).
 */
import type { RawTest } from '../result.ts';
import type { Hook, SuiteNode, TestContext, TestNode } from './collector.ts';
import { checkAssertionCount, resetAssertionState, type ExpectStatic } from './expect.ts';
import { errorsMessage, type Locator } from './errors.ts';

export interface RunOptions {
  expect: ExpectStatic;
  hookTimeoutMs: number;
  locate?: Locator;
}

export class TestTimeoutError extends Error {
  override name = 'TestTimeoutError';
}

export class HookTimeoutError extends Error {
  override name = 'HookTimeoutError';
}

const now = (): number => globalThis.performance?.now() ?? Date.now();

export async function runTree(root: SuiteNode, options: RunOptions): Promise<RawTest[]> {
  const results: RawTest[] = [];
  await runSuite(root, [], options, results);
  return results;
}

async function runSuite(suite: SuiteNode, path: string[], options: RunOptions, out: RawTest[]): Promise<void> {
  for (const child of suite.children) {
    if (child.kind === 'suite') await runSuite(child, [...path, child.name], options, out);
    else out.push(await runTest(child, [...path, child.name], options));
  }
}

async function runTest(test: TestNode, path: string[], options: RunOptions): Promise<RawTest> {
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
  return { path, status: 'fail', message: errorsMessage(errors, locate), duration_ms };
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
