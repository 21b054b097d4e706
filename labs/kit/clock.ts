/**
 * A virtual clock for labs that involve time (timeouts, retries, keep-alive, congestion
 * control). Nothing sleeps: tests advance the clock and due timers fire in time order.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  /** A promise that resolves when the clock has advanced by `ms`. */
  sleep(ms: number): Promise<void>;
}

interface Timer { id: number; at: number; seq: number; fn: () => void }

export class VirtualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;
  #seq = 0;

  constructor(start = 0) { this.#now = start; }

  now(): number { return this.#now; }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), seq: this.#seq++, fn });
    return id;
  }

  clearTimeout(id: number): void {
    this.#timers = this.#timers.filter((t) => t.id !== id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { this.setTimeout(resolve, ms); });
  }

  /** Number of timers still waiting. */
  get pending(): number { return this.#timers.length; }

  #takeDue(until: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (t.at <= until && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    }
    if (best) this.#timers = this.#timers.filter((t) => t !== best);
    return best;
  }

  /** Advance synchronously, firing due timers in order (timers they set also fire if due). */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (let t = this.#takeDue(until); t; t = this.#takeDue(until)) {
      this.#now = t.at;
      t.fn();
    }
    this.#now = until;
  }

  /**
   * Advance, letting promise callbacks run between timers: use this when the code under test
   * awaits `clock.sleep()` or a simulated network reply.
   */
  async advanceAsync(ms: number): Promise<void> {
    const until = this.#now + ms;
    await flushMicrotasks();
    for (let t = this.#takeDue(until); t; t = this.#takeDue(until)) {
      this.#now = t.at;
      t.fn();
      await flushMicrotasks();
    }
    this.#now = until;
    await flushMicrotasks();
  }

  /** Run until no timers are left (or `limit` timers fired: a guard against endless retries). */
  async runAllAsync(limit = 10_000): Promise<void> {
    await flushMicrotasks();
    for (let i = 0; i < limit; i++) {
      const t = this.#takeDue(Infinity);
      if (!t) return;
      this.#now = Math.max(this.#now, t.at);
      t.fn();
      await flushMicrotasks();
    }
    throw new Error(`runAllAsync: more than ${limit} timers fired; is something retrying forever?`);
  }
}

/**
 * Let queued promise callbacks run (a few macrotask-free turns of the microtask queue). A chain
 * of `then`s takes the same turns as a loop of `await`s, in the same order against other
 * callbacks, at about two thirds of the cost (the simulated networks flush thousands of times).
 */
export function flushMicrotasks(turns = 20): Promise<void> {
  let p: Promise<void> = Promise.resolve();
  for (let i = 0; i < turns; i++) p = p.then(noop);
  return p;
}

const noop = (): void => {};
