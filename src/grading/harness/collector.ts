/**
 * Collects describe/it calls into a tree the way vitest does: a describe's body runs after the
 * code around it (once its parent has finished collecting), children keep call order, and an
 * error while collecting fails the whole file.
 */
export type Mode = 'run' | 'skip' | 'todo';
export type TestBody = (context: TestContext) => unknown;
export type Hook = (context: TestContext) => unknown;

export interface TestContext {
  task: { name: string };
}

export interface TestNode {
  kind: 'test';
  name: string;
  body?: TestBody;
  mode: Mode;
  timeoutMs: number;
  suite: SuiteNode;
}

export interface SuiteNode {
  kind: 'suite';
  name: string;
  parent?: SuiteNode;
  mode: Mode;
  /** Timeout given to this describe, inherited by the tests inside. */
  timeoutMs?: number;
  factory?: () => unknown;
  children: (TestNode | SuiteNode)[];
  beforeEach: Hook[];
  afterEach: Hook[];
}

export interface TestOptions {
  timeout?: number;
  skip?: boolean;
  todo?: boolean;
}

export class UnsupportedError extends Error {
  override name = 'UnsupportedError';
}

export interface Collector {
  root: SuiteNode;
  describe(name: unknown, a?: unknown, b?: unknown, mode?: Mode): void;
  test(name: unknown, a?: unknown, b?: unknown, mode?: Mode): void;
  beforeEach(hook: Hook): void;
  afterEach(hook: Hook): void;
  /** Run the describe bodies (after the test file has been evaluated). */
  collect(): Promise<void>;
  /** From now on registering is an error: tests are running. */
  close(): void;
}

export function createCollector(defaultTimeoutMs: number): Collector {
  const root = newSuite('', 'run');
  let current = root;
  let closed = false;

  function ensureOpen(what: string): void {
    if (closed) throw new UnsupportedError(`${what}() can only be called while tests are collected, not inside a test or hook`);
  }

  function describe(name: unknown, a?: unknown, b?: unknown, mode: Mode = 'run'): void {
    ensureOpen('describe');
    const { fn, options } = parseArguments(a, b);
    let suiteMode: Mode = current.mode !== 'run' ? 'skip' : options.skip ? 'skip' : options.todo ? 'todo' : mode;
    if (suiteMode === 'run' && !fn) suiteMode = 'todo';
    const suite = newSuite(formatName(name), suiteMode, current);
    suite.timeoutMs = options.timeout ?? current.timeoutMs;
    suite.factory = fn;
    current.children.push(suite);
  }

  function test(name: unknown, a?: unknown, b?: unknown, mode: Mode = 'run'): void {
    ensureOpen('test');
    const { fn, options } = parseArguments(a, b);
    let testMode: Mode = current.mode !== 'run' ? 'skip' : options.skip ? 'skip' : options.todo ? 'todo' : mode;
    if (testMode === 'run' && !fn) testMode = 'todo';
    current.children.push({
      kind: 'test',
      name: formatName(name),
      body: fn as TestBody | undefined,
      mode: testMode,
      timeoutMs: options.timeout ?? current.timeoutMs ?? defaultTimeoutMs,
      suite: current,
    });
  }

  function hook(list: 'beforeEach' | 'afterEach') {
    return (fn: Hook): void => {
      ensureOpen(list);
      if (typeof fn !== 'function') throw new TypeError(`${list}() needs a function`);
      current[list].push(fn);
    };
  }

  async function collectSuite(suite: SuiteNode): Promise<void> {
    if (suite.factory) {
      const previous = current;
      current = suite;
      try {
        await suite.factory();
      } finally {
        current = previous;
      }
    }
    for (const child of suite.children) {
      if (child.kind === 'suite') await collectSuite(child);
    }
  }

  return {
    root,
    describe,
    test,
    beforeEach: hook('beforeEach'),
    afterEach: hook('afterEach'),
    collect: () => collectSuite(root),
    close: () => {
      closed = true;
    },
  };
}

function newSuite(name: string, mode: Mode, parent?: SuiteNode): SuiteNode {
  return { kind: 'suite', name, parent, mode, children: [], beforeEach: [], afterEach: [] };
}

/** vitest accepts (fn), (fn, timeout), (fn, options) and (options, fn). */
function parseArguments(a: unknown, b: unknown): { fn?: (...args: never[]) => unknown; options: TestOptions } {
  if (typeof a === 'function') {
    const options = typeof b === 'number' ? { timeout: b } : ((b as TestOptions | undefined) ?? {});
    return { fn: a as () => unknown, options };
  }
  if (a && typeof a === 'object') {
    return { fn: typeof b === 'function' ? (b as () => unknown) : undefined, options: a as TestOptions };
  }
  return { fn: undefined, options: typeof b === 'number' ? { timeout: b } : {} };
}

/** vitest names a test given a function or class after it. */
function formatName(name: unknown): string {
  if (typeof name === 'string') return name;
  if (typeof name === 'function') return name.name || '<anonymous>';
  return String(name);
}
