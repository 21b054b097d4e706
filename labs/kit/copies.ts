/**
 * The learner's module as the tests should call it: every function and constructor gets a copy
 * of its arguments. A test often hands the learner an input and then gives the same input to the
 * reference, or keeps it for later tests; without copies a solution could rewrite what it was
 * given (zero the bytes, empty the message) and answer for what it left, and the reference would
 * agree.
 *
 * Copied deep: arrays, plain objects, typed arrays (the whole buffer, so a view keeps its offset),
 * Map, Set, Date. Passed as they are: functions, class instances, promises, and any object with a
 * method of its own: those are the test's live scaffolding (a clock, a simulated network), whose
 * state the test reads back after the call. Objects the learner's classes construct are wrapped
 * the same way, so their methods get copies too.
 */
export function withCopiedInputs<M extends object>(module: M): M {
  const out: Record<PropertyKey, unknown> = Object.create(null);
  for (const key of Reflect.ownKeys(module)) {
    const value = (module as Record<PropertyKey, unknown>)[key];
    out[key] = typeof value === 'function' ? guardFunction(value as AnyFunction) : value;
  }
  return Object.freeze(out) as M;
}

type AnyFunction = (...args: unknown[]) => unknown;

const guarded = new WeakMap<AnyFunction, AnyFunction>();

function guardFunction(fn: AnyFunction): AnyFunction {
  const known = guarded.get(fn);
  if (known) return known;
  const proxy: AnyFunction = new Proxy(fn, {
    apply: (target, thisArg, args: unknown[]) => guardResult(Reflect.apply(target, thisArg, copyArgs(args))),
    construct: (target, args: unknown[], newTarget) =>
      guardInstance(Reflect.construct(target, copyArgs(args), newTarget === proxy ? target : newTarget)),
  });
  guarded.set(fn, proxy);
  return proxy;
}

function guardResult(value: unknown): unknown {
  return typeof value === 'function' ? guardFunction(value as AnyFunction) : value;
}

/** An instance whose methods copy their arguments; `this` inside them is the real instance. */
function guardInstance<T extends object>(instance: T): T {
  const methods = new Map<PropertyKey, AnyFunction>();
  return new Proxy(instance, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      let method = methods.get(key);
      if (!method) {
        const fn = value as AnyFunction;
        method = (...args: unknown[]) => guardResult(Reflect.apply(fn, target, copyArgs(args)));
        methods.set(key, method);
      }
      return method;
    },
    // Accessors run on the real instance, so private fields (#x) keep working.
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });
}

function copyArgs(args: unknown[]): unknown[] {
  // Most calls pass numbers and strings only (a simulator's onAck(), a clock's advance()).
  if (args.every((a) => typeof a !== 'object' || a === null)) return args;
  const seen = new Map<object, unknown>();
  return args.map((a) => copy(a, seen));
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (ArrayBuffer.isView(value)) {
    const buffer = (value.buffer as ArrayBuffer).slice(0);
    const view = value instanceof DataView
      ? new DataView(buffer, value.byteOffset, value.byteLength)
      : new (value.constructor as new (b: ArrayBuffer, offset: number, length: number) => ArrayBufferView)(
          buffer, value.byteOffset, (value as unknown as { length: number }).length);
    seen.set(value, view);
    return view;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copy(item, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copy(k, seen), copy(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(copy(v, seen));
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const keys = Object.keys(value);
  const record = value as Record<string, unknown>;
  if (keys.some((k) => typeof record[k] === 'function')) return value;
  const out: Record<string, unknown> = Object.create(proto as object | null);
  seen.set(value, out);
  for (const k of keys) out[k] = copy(record[k], seen);
  return out;
}
