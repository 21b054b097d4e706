/**
 * Driving asynchronous lab code on a virtual clock to the end: the Bench the DNS labs' simulated
 * networks share (stub-resolver, httpdns-client), and how a promise settled on it.
 */
import { VirtualClock, flushMicrotasks, type Clock } from './clock';

/**
 * A virtual clock that knows when its next timer is due, and a driver that runs code on it to
 * the end: between two timers it lets every pending promise callback run, however long the
 * chain of awaits, so only *virtual* time decides what happens when.
 */
export class Bench {
  readonly virtual = new VirtualClock();
  readonly #due = new Map<number, number>();
  readonly clock: Clock;

  constructor(maxTimers = 20_000) {
    const v = this.virtual;
    const due = this.#due;
    let fired = 0;
    const clock: Clock = {
      now: () => v.now(),
      setTimeout: (fn, ms) => {
        const id: number = v.setTimeout(() => {
          due.delete(id);
          if (++fired > maxTimers) throw new Error(`more than ${maxTimers} timers fired: is something retrying forever?`);
          fn();
        }, ms);
        due.set(id, v.now() + Math.max(0, ms));
        return id;
      },
      clearTimeout: (id) => {
        due.delete(id);
        v.clearTimeout(id);
      },
      sleep: (ms) => new Promise<void>((resolve) => { clock.setTimeout(resolve, ms); }),
    };
    this.clock = clock;
  }

  /** When the next timer fires, or undefined when none is waiting. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const at of this.#due.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /** Let every pending promise callback run. */
  async flush(): Promise<void> {
    await flushMicrotasks(250);
  }

  /** Run timers in time order until `promise` settles; report how it settled and when. */
  async settle<T>(promise: Promise<T>, maxTimers = 5000): Promise<Settled<T>> {
    let state: Settled<T> | undefined;
    promise.then(
      (value) => { state = { ok: true, value, at: this.virtual.now() }; },
      (error: unknown) => { state = { ok: false, error, at: this.virtual.now() }; },
    );
    for (let i = 0; i < maxTimers; i++) {
      await this.flush();
      if (state) return state;
      const next = this.nextDue();
      if (next === undefined) throw new Error(`still pending at t=${this.virtual.now()} with no timer set: nothing will ever happen`);
      await this.virtual.advanceAsync(next - this.virtual.now());
    }
    throw new Error(`more than ${maxTimers} timers fired: is something retrying forever?`);
  }

  /** Fire every timer that is due up to `t`, letting promise callbacks run between them. */
  async runUntil(t: number, maxTimers = 5000): Promise<void> {
    for (let i = 0; ; i++) {
      if (i >= maxTimers) throw new Error(`more than ${maxTimers} timers fired: is something retrying forever?`);
      await this.flush();
      const next = this.nextDue();
      if (next === undefined || next > t) break;
      await this.virtual.advanceAsync(next - this.virtual.now());
    }
    if (t > this.virtual.now()) await this.virtual.advanceAsync(t - this.virtual.now());
    await this.flush();
  }
}

export type Settled<T> = { ok: true; value: T; at: number } | { ok: false; error: unknown; at: number };
