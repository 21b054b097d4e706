/**
 * The kit's withCopiedInputs: the learner's functions, constructors and methods see copies of
 * plain data, while the test's live scaffolding passes through untouched.
 */
import { describe, expect, it } from 'vitest';
import { withCopiedInputs } from '../../labs/kit/copies.ts';

class Counter {
  #count = 0;
  readonly start: { n: number };
  constructor(start: { n: number }) { this.start = start; this.#count = start.n; }
  add(step: { by: number }): number { step.by = 0; return ++this.#count; }
  get count(): number { return this.#count; }
}

const learnerModule = {
  zero(bytes: Uint8Array): number { const first = bytes[0]!; bytes.fill(0); return first; },
  empty(message: { names: string[]; meta: { id: number } }): void { message.names.length = 0; message.meta.id = -1; },
  offsetOf(view: Uint8Array): [number, number] { return [view.byteOffset, view.buffer.byteLength]; },
  same(a: object, b: object): boolean { return a === b; },
  drive(net: { sent: string[]; send(q: string): void }): void { net.send('q1'); },
  makeAdder(): (x: number[]) => void { return (x) => { x.push(99); }; },
  Counter,
  VERSION: 3,
};

describe('withCopiedInputs', () => {
  const learner = withCopiedInputs(learnerModule);

  it('hands a function copies of typed arrays, arrays and plain objects', () => {
    const bytes = Uint8Array.of(7, 8, 9);
    expect(learner.zero(bytes)).toBe(7);
    expect([...bytes]).toEqual([7, 8, 9]);
    const message = { names: ['a', 'b'], meta: { id: 5 } };
    learner.empty(message);
    expect(message).toEqual({ names: ['a', 'b'], meta: { id: 5 } });
  });

  it('keeps a view its offset into a buffer of the same size', () => {
    const whole = new Uint8Array(16);
    expect(learner.offsetOf(whole.subarray(4, 10))).toEqual([4, 16]);
  });

  it('keeps aliasing within one call and survives cycles', () => {
    const shared = { x: 1 };
    expect(learner.same(shared, shared)).toBe(true);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => learner.same(loop, {})).not.toThrow();
  });

  it('passes objects with methods (the test\'s scaffolding) as they are', () => {
    const net = { sent: [] as string[], send(q: string) { this.sent.push(q); } };
    learner.drive(net);
    expect(net.sent).toEqual(['q1']);
  });

  it('wraps constructors and their instances: methods get copies, private fields work', () => {
    const start = { n: 10 };
    const c = new learner.Counter(start);
    expect(c).toBeInstanceOf(learner.Counter);
    expect(c).toBeInstanceOf(Counter);
    const step = { by: 1 };
    expect(c.add(step)).toBe(11);
    expect(step.by).toBe(1);
    expect(c.count).toBe(11);
    expect(c.start).not.toBe(start);
  });

  it('wraps a function the learner returns, and leaves other exports alone', () => {
    const list = [1];
    learner.makeAdder()(list);
    expect(list).toEqual([1]);
    expect(learner.VERSION).toBe(3);
    expect(Object.isFrozen(learner)).toBe(true);
    expect(learner.zero).toBe(learner.zero);
  });
});
