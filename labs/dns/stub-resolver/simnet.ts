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

/** The Bench (a virtual clock driven to the end) is the kit's, shared by the DNS labs. */
export { Bench, type Settled } from '../../kit';
