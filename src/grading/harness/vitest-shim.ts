/**
 * What `import ... from 'vitest'` gives a lab test inside the harness: the lab-test subset
 * (describe, it/test, expect, beforeEach/afterEach, vi.fn). Anything else is an error that
 * names the subset, instead of a puzzling "undefined is not a function".
 */
import { fn, isMockFunction, spyOn } from '@vitest/spy';
import { UnsupportedError, type Collector, type Hook } from './collector.ts';
import type { ExpectStatic } from './expect.ts';

export const SUBSET = 'describe, it, test, expect, beforeEach, afterEach, vi.fn';

type Registrar = (name: unknown, a?: unknown, b?: unknown) => void;

function unsupported(name: string): never {
  throw new UnsupportedError(`${name} is not supported by the in-page test harness; lab tests use: ${SUBSET}`);
}

/** it/test/describe with .skip and .todo; other modifiers (.only, .each, ...) say they are unsupported. */
function withModifiers(base: string, register: (name: unknown, a?: unknown, b?: unknown, mode?: 'run' | 'skip' | 'todo') => void): Registrar {
  const api = ((name: unknown, a?: unknown, b?: unknown) => register(name, a, b)) as Registrar & Record<string, unknown>;
  api.skip = (name: unknown, a?: unknown, b?: unknown) => register(name, a, b, 'skip');
  api.todo = (name: unknown) => register(name, undefined, undefined, 'todo');
  for (const modifier of ['only', 'each', 'for', 'concurrent', 'sequential', 'fails', 'runIf', 'skipIf', 'extend', 'shuffle']) {
    Object.defineProperty(api, modifier, { get: () => unsupported(`${base}.${modifier}`) });
  }
  return api;
}

function strict<T extends object>(label: string, target: T): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      if (typeof key === 'symbol' || key in obj || key === 'then' || key === 'default') return Reflect.get(obj, key, receiver);
      return unsupported(`${label}${key}`);
    },
  });
}

export function createVitestShim(collector: Collector, expect: ExpectStatic): Record<string, unknown> {
  const it = withModifiers('it', collector.test);
  const vi = strict('vi.', { fn, spyOn, isMockFunction });
  return strict('vitest.', {
    __esModule: true,
    describe: withModifiers('describe', collector.describe),
    suite: withModifiers('suite', collector.describe),
    it,
    test: withModifiers('test', collector.test),
    expect,
    beforeEach: (hook: Hook) => collector.beforeEach(hook),
    afterEach: (hook: Hook) => collector.afterEach(hook),
    vi,
    vitest: vi,
  });
}
