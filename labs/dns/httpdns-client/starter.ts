/**
 * An HttpDNS client. Read instructions.md for the rules; types.ts and wire.ts are provided.
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
import { decodeMessage, encodeQuery } from './wire';

// ---- Task 1: base64url ----------------------------------------------------------------------------

/** RFC 4648 §5 base64url of `bytes`, without "=" padding. */
export function base64url(bytes: Uint8Array): string {
  throw new Error('TODO: base64url');
}

// ---- Task 2: the DoH request ----------------------------------------------------------------------

/** The HTTP request that asks DoH server `template` the DNS query `query`. */
export function dohRequest(template: string, query: Uint8Array, method: 'GET' | 'POST' = 'GET'): HttpRequest {
  throw new Error('TODO: dohRequest');
}

// ---- Task 3: the DoH response ---------------------------------------------------------------------

/** What a DoH response says about `question`: addresses and TTL, or an HttpDnsError. */
export function readDohResponse(response: HttpResponse, question: { name: string; type: RRType }): DnsAnswer {
  throw new Error('TODO: readDohResponse');
}

/** An HttpDnsTransport that speaks DoH through `exchange`. */
export function dohTransport(exchange: HttpExchange, method: 'GET' | 'POST' = 'GET'): HttpDnsTransport {
  throw new Error('TODO: dohTransport');
}

// ---- Tasks 4 to 6: the client ---------------------------------------------------------------------

export class HttpDnsClient {
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  /** The addresses of `name` (tasks 4, 5 and 6). */
  async resolve(name: string, type: RRType = 'A'): Promise<Lookup> {
    throw new Error('TODO: resolve');
  }

  /** Resolve `names` ahead of need, to fill the cache (task 5). Never rejects. */
  async prefetch(names: string[], type: RRType = 'A'): Promise<void> {
    throw new Error('TODO: prefetch');
  }
}
