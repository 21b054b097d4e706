/**
 * Simulated HttpDNS servers and a simulated system resolver on a virtual clock (provided,
 * read-only). The tests use them; you can use them too:
 *
 *   const bench = new Bench();
 *   const net = new SimHttpDns(bench.clock, { 'https://192.0.2.1/dns-query{?dns}': [{ kind: 'answer', after: 40, ttl: 60 }] });
 *   const sys = new SimSystem(bench.clock, { ok: true, after: 10 });
 *   const client = new HttpDnsClient({ servers: [...], transport: net.transport, clock: bench.clock, systemResolve: sys.resolve });
 *   const run = await bench.settle(client.resolve('www.example.com'));
 *
 * Nothing sleeps: the bench moves virtual time from one timer to the next.
 */
import type { Clock, DnsAnswer, HttpDnsQuery, HttpDnsTransport, RRType, SystemResolve } from './types';

/** What a simulated HttpDNS server does with one question. */
export type ServerBehaviour =
  /** An answer `after` ms; addresses default to simAddress(...) (pass [] for a negative answer). */
  | { kind: 'answer'; after: number; ttl: number; addresses?: string[] }
  /** No answer, ever (the request or the response was lost). */
  | { kind: 'drop' }
  /** The server fails `after` ms (an HTTP 503, a reset connection...). */
  | { kind: 'error'; after: number };

/** A small stable number for a name, so that addresses say which name they belong to. */
export function nameTag(name: string): number {
  let h = 7;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 251;
  return h;
}

/** The address server number `server` (0, 1, ...) gives in its k-th answer (k = 0, 1, ...) about a name. */
export function simAddress(server: number, name: string, type: RRType, k: number): string {
  return type === 'A' ? `10.${server}.${nameTag(name)}.${k + 1}` : `2001:db8:${server}:${nameTag(name).toString(16)}::${(k + 1).toString(16)}`;
}

export class SimHttpDns {
  readonly calls: { at: number; server: string; name: string; type: RRType; signal: AbortSignal }[] = [];
  readonly #clock: Clock;
  readonly #scripts: Record<string, ServerBehaviour[]>;
  readonly #count = new Map<string, number>();

  /**
   * `scripts[server][k]` is what the server does the k-th time it is asked about one name and
   * type (the last entry repeats). A server not in `scripts` never answers.
   */
  constructor(clock: Clock, scripts: Record<string, ServerBehaviour[]>) {
    this.#clock = clock;
    this.#scripts = scripts;
  }

  readonly transport: HttpDnsTransport = (q: HttpDnsQuery): Promise<DnsAnswer> => {
    this.calls.push({ at: this.#clock.now(), server: q.server, name: q.name, type: q.type, signal: q.signal });
    const script = this.#scripts[q.server];
    if (!script || script.length === 0) return new Promise<DnsAnswer>(() => {});
    const key = `${q.server} ${q.name} ${q.type}`;
    const k = this.#count.get(key) ?? 0;
    this.#count.set(key, k + 1);
    const b = script[Math.min(k, script.length - 1)]!;
    if (b.kind === 'drop') return new Promise<DnsAnswer>(() => {});
    const index = Object.keys(this.#scripts).indexOf(q.server);
    return new Promise<DnsAnswer>((resolve, reject) => {
      this.#clock.setTimeout(() => {
        if (b.kind === 'error') reject(new Error(`${q.server}: 503 Service Unavailable`));
        else resolve({ addresses: [...(b.addresses ?? [simAddress(index, q.name, q.type, k)])], ttl: b.ttl });
      }, b.after);
    });
  };
}

/** The operating system's resolver: always answers (or always fails) after `after` ms. */
export class SimSystem {
  readonly calls: { at: number; name: string; type: RRType }[] = [];
  readonly #clock: Clock;
  readonly #behaviour: { ok: boolean; after: number };

  constructor(clock: Clock, behaviour: { ok: boolean; after: number }) {
    this.#clock = clock;
    this.#behaviour = behaviour;
  }

  readonly resolve: SystemResolve = (name, type) => {
    this.calls.push({ at: this.#clock.now(), name, type });
    const { ok, after } = this.#behaviour;
    return new Promise<string[]>((resolve, reject) => {
      this.#clock.setTimeout(() => {
        if (!ok) reject(new Error(`getaddrinfo ENOTFOUND ${name}`));
        else resolve([type === 'A' ? `192.0.2.${nameTag(name)}` : `2001:db8::${nameTag(name).toString(16)}`]);
      }, after);
    });
  };
}

/** The Bench (a virtual clock driven to the end) is the kit's, shared by the DNS labs. */
export { Bench, type Settled } from '../../kit';
