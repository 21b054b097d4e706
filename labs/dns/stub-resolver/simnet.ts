/**
 * A simulated network of DNS servers on a virtual clock (provided, read-only). The tests use it;
 * you can use it too, to try your resolver on a scenario of your own:
 *
 *   const bench = new Bench();
 *   const net = new SimNetwork(bench.clock, {
 *     '192.0.2.1': { udp: [{ kind: 'drop' }] },
 *     '192.0.2.2': { udp: [{ kind: 'reply', after: 40 }] },
 *   });
 *   const run = await bench.settle(resolve(q, { servers: ['192.0.2.1', '192.0.2.2'], transport: net, clock: bench.clock }));
 *
 * Nothing sleeps: the bench moves virtual time from one timer to the next.
 */
import { VirtualClock, flushMicrotasks } from '../../kit';
import { RCODE, TransportError, type Answer, type Clock, type Exchange, type Proto, type Reply, type Transport, type TransportErrorCode } from './types';

/** What a simulated server does with one query. */
export type Behaviour =
  /** The datagram is lost: no reply, ever. */
  | { kind: 'drop' }
  /** A reply `after` ms. RCODE defaults to NOERROR, TC to false; a NOERROR reply carries one record unless `answers` says otherwise. */
  | { kind: 'reply'; after: number; rcode?: number; tc?: boolean; answers?: Answer[] }
  /** The network reports an error `after` ms. */
  | { kind: 'fail'; after: number; code: TransportErrorCode };

/**
 * A server's script, per transport: the n-th query it receives over UDP gets udp[n] (the last
 * entry repeats forever). Without a `tcp` script, TCP queries get a NOERROR reply after 1 ms.
 */
export interface SimServer {
  udp: Behaviour[];
  tcp?: Behaviour[];
}

/** One query the network carried. */
export interface SentQuery {
  at: number;
  server: string;
  proto: Proto;
  question: { name: string; type: string };
  /** The exchange's signal, to see whether the resolver aborted it. */
  signal: AbortSignal;
}

/** The record a simulated server answers with: its data names the server (203.0.113.<n>). */
export function simAnswer(servers: string[], server: string, name: string, type: string): Answer {
  return { name, type, ttl: 300, data: `203.0.113.${servers.indexOf(server) + 1}` };
}

export class SimNetwork implements Transport {
  readonly sent: SentQuery[] = [];
  readonly #clock: Clock;
  readonly #servers: Record<string, SimServer>;
  readonly #count = new Map<string, number>();

  constructor(clock: Clock, servers: Record<string, SimServer>) {
    this.#clock = clock;
    this.#servers = servers;
  }

  send(x: Exchange): Promise<Reply> {
    this.sent.push({ at: this.#clock.now(), server: x.server, proto: x.proto, question: { ...x.question }, signal: x.signal });
    const script = this.#servers[x.server];
    if (!script) return new Promise<Reply>(() => {}); // nobody there: silence
    const list = x.proto === 'udp' ? script.udp : script.tcp ?? [{ kind: 'reply', after: 1 }];
    const key = `${x.server} ${x.proto}`;
    const n = this.#count.get(key) ?? 0;
    this.#count.set(key, n + 1);
    const b = list[Math.min(n, list.length - 1)] ?? { kind: 'drop' };
    if (b.kind === 'drop') return new Promise<Reply>(() => {});
    return new Promise<Reply>((resolve, reject) => {
      this.#clock.setTimeout(() => {
        if (b.kind === 'fail') {
          reject(new TransportError(b.code));
          return;
        }
        const rcode = b.rcode ?? RCODE.NOERROR;
        const answers =
          b.answers ?? (rcode === RCODE.NOERROR ? [simAnswer(Object.keys(this.#servers), x.server, x.question.name, x.question.type)] : []);
        resolve({ rcode, tc: b.tc ?? false, answers: answers.map((a) => ({ ...a })) });
      }, b.after);
    });
  }
}

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
