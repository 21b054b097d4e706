/**
 * Freezes the language's built-ins before a learner's module runs, so code under grading cannot
 * change what the assertions rely on (`Object.is = () => true`, a patched `Array.prototype.every`,
 * a `JSON.stringify` that lies, a wrapped `postMessage`). Learner modules are strict code, so
 * such an assignment throws at the learner's line; nothing in the score changes.
 *
 * This is the heart of Hardened JavaScript's `lockdown()` (the `ses` package), without its
 * compartments: the tests hand live objects to learner code (clocks, transports, simulated
 * networks) and check errors with `instanceof`, so learner and grader share one realm.
 * docs/decisions.md weighs the two.
 *
 * Two things a frozen realm must still allow:
 * - assigning `this.name = …` in an Error subclass, `obj.toString = …` on a plain object: with a
 *   frozen prototype that assignment would throw ("the override mistake"), so those few
 *   properties become accessors whose setter defines an own property on the instance;
 * - V8's Error.stackTraceLimit and Error.prepareStackTrace, which Node, vitest and the kit set.
 * Browser-safe.
 */

/** The global bindings frozen (values deep-frozen, bindings made read-only) when present. */
const GLOBALS = [
  'Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date', 'RegExp',
  'Promise', 'Proxy', 'Reflect', 'JSON', 'Math', 'Intl', 'Atomics', 'Iterator',
  'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURI', 'encodeURIComponent', 'decodeURI', 'decodeURIComponent',
  'TextEncoder', 'TextDecoder', 'structuredClone', 'queueMicrotask', 'setTimeout', 'clearTimeout',
  'setInterval', 'clearInterval', 'atob', 'btoa', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal',
  'DOMException', 'Event', 'EventTarget', 'MessageChannel', 'MessagePort', 'MessageEvent', 'postMessage',
  // Not performance: vitest's fake timers replace it. Its now() moves no test's clock (the kit's do).
  'WebAssembly', 'crypto', 'Crypto', 'SubtleCrypto', 'CryptoKey',
];

/** Properties code commonly assigns on instances, shadowing a prototype's (SES's "moderate" set). */
const OVERRIDABLE: Record<string, readonly (string | symbol)[]> = {
  'Object.prototype': ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable'],
  'Function.prototype': ['constructor', 'toString', 'name', 'bind', 'apply', 'call'],
  // Not Array, Promise, Map, Set or typed-array prototypes: an accessor for their `constructor`
  // or Symbol.iterator turns off V8's fast paths for species and iteration (every spread,
  // for-of, map and slice); grading ran 1.6x slower with them. Assigning those on an instance
  // is rare enough to let it throw.
  'Error.prototype': ['constructor', 'name', 'message', 'toString'],
  'TypeError.prototype': ['constructor', 'name', 'message'],
  'RangeError.prototype': ['constructor', 'name', 'message'],
  'SyntaxError.prototype': ['constructor', 'name', 'message'],
  'EvalError.prototype': ['constructor', 'name', 'message'],
  'ReferenceError.prototype': ['constructor', 'name', 'message'],
  'URIError.prototype': ['constructor', 'name', 'message'],
  'AggregateError.prototype': ['constructor', 'name', 'message'],
  'DOMException.prototype': ['constructor', 'name', 'message'],
  // vitest's fake timers copy these onto a Date subclass by assignment.
  Date: ['now', 'parse', 'UTC'],
};

/** V8's hooks on the Error constructor that the host keeps setting. */
const HOST_WRITABLE = new Set<string | symbol>(['stackTraceLimit', 'prepareStackTrace']);

/**
 * Bindings left writable (their values are still frozen): vitest swaps the timers, Date and Intl on
 * the global (between tests, and for fake timers). A learner who replaces one only changes
 * their own clock; the tests' clocks are the kit's, and the supervisor's limits run outside
 * the realm.
 */
const REBINDABLE = new Set(['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'Date', 'Intl']);

const HARDENED = Symbol.for('netlabs.hardened');

/** Freeze the built-ins of this realm (once; later calls do nothing). */
export function hardenBuiltins(global: typeof globalThis = globalThis): void {
  const g = global as unknown as Record<string | symbol, unknown>;
  if (g[HARDENED]) return;
  tameCodeGeneration(g);
  const roots: unknown[] = [];
  for (const name of GLOBALS) {
    if (!(name in g)) continue;
    roots.push(g[name]);
    const d = Object.getOwnPropertyDescriptor(g, name) ?? lookup(g, name);
    if (d?.configurable && !REBINDABLE.has(name)) {
      if ('value' in d) Object.defineProperty(g, name, { value: d.value, writable: false, enumerable: d.enumerable, configurable: false });
      else Object.defineProperty(g, name, { get: d.get, set: undefined, enumerable: d.enumerable, configurable: false });
    }
  }
  roots.push(...hiddenIntrinsics());
  for (const [path, keys] of Object.entries(OVERRIDABLE)) {
    const [ctor, member] = path.split('.');
    const owner = g[ctor!] as { prototype?: object } | undefined;
    const target = member ? owner?.prototype : owner;
    if (target) for (const key of keys) makeOverridable(target, key);
  }
  const seen = new Set<unknown>();
  for (const root of roots) deepFreeze(root, seen);
  Object.defineProperty(g, HARDENED, { value: true });
}

/**
 * Code built from strings is off in a hardened realm: `eval`, the four function constructors
 * (reachable as `(async () => {}).constructor` and the like) and a timer given a string all
 * throw. Code compiled that way would import natively, past the loader's import rule: a learner
 * could load the reference by its path. The harness compiles lab modules with an eval it took
 * before (modules.ts), so only code that runs later is refused. The tamed constructors keep the
 * prototypes, so `f instanceof Function` still holds.
 */
function tameCodeGeneration(g: Record<string | symbol, unknown>): void {
  const refuse = (): never => {
    throw new EvalError('code built from strings (eval, new Function, a timer given a string) is switched off while grading');
  };
  const define = (o: object, key: string, value: unknown): void => {
    Object.defineProperty(o, key, { value, writable: false, enumerable: false, configurable: false });
  };
  const originals = [
    Function,
    Object.getPrototypeOf(function* () {}).constructor,
    Object.getPrototypeOf(async function () {}).constructor,
    Object.getPrototypeOf(async function* () {}).constructor,
  ] as { name: string; prototype: object }[];
  for (const original of originals) {
    const tamed = function () { return refuse(); } as unknown as { prototype: object };
    Object.defineProperty(tamed, 'name', { value: original.name });
    define(tamed, 'prototype', original.prototype);
    Object.setPrototypeOf(tamed, Object.getPrototypeOf(original) as object);
    Object.defineProperty(original.prototype, 'constructor', { value: tamed, writable: true, enumerable: false, configurable: true });
    if (original === Function) Object.defineProperty(g, 'Function', { value: tamed, writable: true, enumerable: false, configurable: true });
  }
  if ('eval' in g) {
    const tamedEval = (): never => refuse();
    Object.defineProperty(tamedEval, 'name', { value: 'eval' });
    Object.defineProperty(g, 'eval', { value: tamedEval, writable: false, enumerable: false, configurable: false });
  }
  for (const name of ['setTimeout', 'setInterval'] as const) {
    const timer = g[name] as ((fn: unknown, ...rest: unknown[]) => unknown) | undefined;
    if (typeof timer !== 'function') continue;
    const checked = function (this: unknown, fn: unknown, ...rest: unknown[]) {
      if (typeof fn !== 'function') refuse();
      return Reflect.apply(timer, this, [fn, ...rest]);
    };
    Object.defineProperty(checked, 'name', { value: name });
    // Node's util.promisify.custom and the like ride along.
    for (const key of Object.getOwnPropertySymbols(timer)) Object.defineProperty(checked, key, Object.getOwnPropertyDescriptor(timer, key)!);
    g[name] = checked;
  }
}

/** Intrinsics no global names: the prototypes of generators, async functions, iterators. */
function hiddenIntrinsics(): unknown[] {
  const protos: unknown[] = [];
  const add = (v: unknown): void => {
    for (let p = v; p && p !== Object.prototype && p !== Function.prototype; p = Object.getPrototypeOf(p)) protos.push(p);
  };
  /* eslint-disable @typescript-eslint/no-empty-function */
  add(function* () {});
  add((function* () {})());
  add(async function () {});
  add(async function* () {});
  add((async function* () {})());
  /* eslint-enable @typescript-eslint/no-empty-function */
  add([][Symbol.iterator]());
  add(new Map().entries());
  add(new Set().values());
  add(''[Symbol.iterator]());
  add(/x/[Symbol.matchAll]('x'));
  add(Object.getPrototypeOf(Uint8Array));
  return protos;
}

function lookup(o: object, key: string): PropertyDescriptor | undefined {
  for (let p: object | null = o; p; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d) return d;
  }
  return undefined;
}

function makeOverridable(proto: object, key: string | symbol): void {
  const d = Object.getOwnPropertyDescriptor(proto, key);
  if (!d || !('value' in d) || !d.configurable) return;
  const value: unknown = d.value;
  Object.defineProperty(proto, key, {
    get() { return value; },
    set(this: object, v: unknown) {
      if (this === proto) throw new TypeError(`Cannot assign to read only property '${String(key)}' of a built-in prototype`);
      Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
    },
    enumerable: d.enumerable,
    configurable: false,
  });
}

function deepFreeze(root: unknown, seen: Set<unknown>): void {
  const stack = [root];
  while (stack.length) {
    const o = stack.pop();
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null || seen.has(o)) continue;
    seen.add(o);
    const isError = o === Error;
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (!d) continue;
      if (isError && HOST_WRITABLE.has(key)) continue;
      if ('value' in d) stack.push(d.value);
      else stack.push(d.get, d.set);
      if (isError && d.configurable) {
        Object.defineProperty(o, key, 'value' in d ? { writable: false, configurable: false } : { configurable: false });
      }
    }
    stack.push(Object.getPrototypeOf(o));
    // Error itself stays extensible: V8 reads Error.prepareStackTrace there once a host sets it.
    if (!isError) Object.freeze(o);
  }
}
