// Bug: the Age header is ignored, so time already spent in HTTP caches is counted again (RFC 8484 section 5.1).
/**
 * Reference HttpDNS client: DNS over HTTPS requests and responses (RFC 8484), then a client with
 * bootstrap servers tried in order, a TTL cache, pre-resolution, de-duplicated lookups,
 * serve-stale (RFC 8767) and a fallback to the system resolver.
 */
import {
  DEFAULTS,
  DNS_MESSAGE,
  HttpDnsError,
  type ClientOptions,
  type DnsAnswer,
  type HttpDnsTransport,
  type HttpExchange,
  type HttpRequest,
  type HttpResponse,
  type Lookup,
  type RRType,
} from './types';
import { decodeMessage, encodeQuery, type Message, type Soa } from './wire';

// ---- Task 1: base64url ----------------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** RFC 4648 §5 base64url, without padding (RFC 8484 §4.1). */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 4) / 3)); // 1 byte → 2 chars, 2 → 3, 3 → 4
    for (let j = 0; j < chars; j++) out += ALPHABET[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

// ---- Task 2: the DoH request ----------------------------------------------------------------------

const VARIABLE = '{?dns}';

export function dohRequest(template: string, query: Uint8Array, method: 'GET' | 'POST' = 'GET'): HttpRequest {
  if (!template.startsWith('https://') || !template.endsWith(VARIABLE) || template.indexOf('{') !== template.length - VARIABLE.length) {
    throw new HttpDnsError('bad-template', `expected "https://host/path{?dns}", got "${template}"`);
  }
  const url = template.slice(0, -VARIABLE.length);
  if (method === 'GET') return { method, url: `${url}?dns=${base64url(query)}`, headers: { accept: DNS_MESSAGE } };
  return { method, url, headers: { accept: DNS_MESSAGE, 'content-type': DNS_MESSAGE }, body: query };
}

// ---- Task 3: the DoH response ---------------------------------------------------------------------

const canonical = (name: string) => name.toLowerCase().replace(/\.$/, '');

export function readDohResponse(response: HttpResponse, question: { name: string; type: RRType }): DnsAnswer {
  if (response.status < 200 || response.status > 299) throw new HttpDnsError('http-status', `HTTP ${response.status}`);
  const mediaType = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== DNS_MESSAGE) throw new HttpDnsError('content-type', `content-type "${response.headers['content-type'] ?? ''}"`);
  let m: Message;
  try {
    m = decodeMessage(response.body);
  } catch (e) {
    throw new HttpDnsError('bad-message', (e as Error).message);
  }
  const q = m.questions[0];
  if (!m.qr || m.id !== 0 || m.questions.length !== 1 || !q || canonical(q.name) !== canonical(question.name) || q.type !== question.type) {
    throw new HttpDnsError('bad-message', 'not the reply to our query');
  }
  if (m.rcode !== 0 && m.rcode !== 3) throw new HttpDnsError('rcode', `RCODE ${m.rcode}`);

  const addresses = m.answers.filter((rr) => rr.type === question.type).map((rr) => String(rr.data));
  let ttl: number;
  if (addresses.length > 0) {
    // The answer is only as good as its shortest-lived record, CNAMEs included.
    ttl = Math.min(...m.answers.map((rr) => rr.ttl));
  } else {
    // A negative answer lives min(SOA TTL, SOA MINIMUM) (RFC 2308 §5); without an SOA, not at all.
    const soa = m.authorities.find((rr) => rr.type === 'SOA');
    ttl = soa ? Math.min(soa.ttl, (soa.data as Soa).minimum) : 0;
  }
  // RFC 8484 §5.1: the time the response spent in HTTP caches has been used up already.
  const age = response.headers['age'];
  return { addresses, ttl };
}

export function dohTransport(exchange: HttpExchange, method: 'GET' | 'POST' = 'GET'): HttpDnsTransport {
  return async ({ server, name, type, signal }) => {
    const request = dohRequest(server, encodeQuery(name, type, 0), method);
    const response = await exchange(request, signal);
    return readDohResponse(response, { name, type });
  };
}

// ---- Tasks 4 to 6: the client ---------------------------------------------------------------------

interface Entry {
  addresses: string[];
  server: string;
  /** clock time after which the entry is no longer fresh */
  expiresAt: number;
}

interface Fetched extends DnsAnswer {
  server: string;
}

export class HttpDnsClient {
  readonly #o: Required<ClientOptions>;
  readonly #cache = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<Fetched>>();

  constructor(options: ClientOptions) {
    this.#o = {
      ...options,
      timeout: options.timeout ?? DEFAULTS.timeout,
      maxStale: options.maxStale ?? DEFAULTS.maxStale,
      staleTtl: options.staleTtl ?? DEFAULTS.staleTtl,
    };
  }

  async resolve(name: string, type: RRType = 'A'): Promise<Lookup> {
    const host = canonical(name);
    const key = `${host} ${type}`;
    const now = this.#o.clock.now();
    const entry = this.#cache.get(key);
    if (entry) {
      if (now < entry.expiresAt) {
        return { name: host, type, addresses: [...entry.addresses], ttl: Math.ceil((entry.expiresAt - now) / 1000), source: 'cache', server: entry.server };
      }
      if (now < entry.expiresAt + this.#o.maxStale) {
        this.#fetch(host, type).catch(() => {}); // refresh in the background (joins one in flight)
        return { name: host, type, addresses: [...entry.addresses], ttl: this.#o.staleTtl, source: 'stale', server: entry.server };
      }
      this.#cache.delete(key); // too old even to serve stale
    }
    try {
      const got = await this.#fetch(host, type);
      return { name: host, type, addresses: [...got.addresses], ttl: got.ttl, source: 'httpdns', server: got.server };
    } catch {
      try {
        const addresses = await this.#o.systemResolve(host, type);
        return { name: host, type, addresses: [...addresses], ttl: 0, source: 'system', server: null };
      } catch (e) {
        throw new HttpDnsError('resolution-failed', `${host} ${type}: every HttpDNS server and the system resolver failed (${String(e)})`);
      }
    }
  }

  async prefetch(names: string[], type: RRType = 'A'): Promise<void> {
    const now = this.#o.clock.now();
    const jobs: Promise<unknown>[] = [];
    for (const name of names) {
      const host = canonical(name);
      const entry = this.#cache.get(`${host} ${type}`);
      if (entry && now < entry.expiresAt) continue;
      jobs.push(this.#fetch(host, type).catch(() => {}));
    }
    await Promise.all(jobs);
  }

  /** The one HttpDNS fetch for this name and type: joined while in flight. */
  #fetch(host: string, type: RRType): Promise<Fetched> {
    const key = `${host} ${type}`;
    const running = this.#inflight.get(key);
    if (running) return running;
    const p = this.#ask(host, type).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, p);
    return p;
  }

  async #ask(host: string, type: RRType): Promise<Fetched> {
    for (const server of this.#o.servers) {
      const answer = await this.#try(server, host, type);
      if (!answer) continue;
      const key = `${host} ${type}`;
      if (answer.ttl > 0) {
        this.#cache.set(key, { addresses: [...answer.addresses], server, expiresAt: this.#o.clock.now() + answer.ttl * 1000 });
      } else {
        this.#cache.delete(key);
      }
      return { addresses: answer.addresses, ttl: answer.ttl, server };
    }
    throw new HttpDnsError('resolution-failed', `${host} ${type}: every HttpDNS server failed`);
  }

  /** One server, one question, at most `timeout` ms: the answer, or null. */
  #try(server: string, name: string, type: RRType): Promise<DnsAnswer | null> {
    const { clock, timeout, transport } = this.#o;
    const controller = new AbortController();
    return new Promise((resolve) => {
      let done = false;
      const finish = (answer: DnsAnswer | null) => {
        if (done) return;
        done = true;
        clock.clearTimeout(timer);
        resolve(answer);
      };
      const timer = clock.setTimeout(() => {
        finish(null);
        controller.abort();
      }, timeout);
      transport({ server, name, type, signal: controller.signal }).then(finish, () => finish(null));
    });
  }
}
