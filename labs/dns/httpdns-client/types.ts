/**
 * The types of the HttpDNS client lab (provided, read-only).
 */
import type { Clock } from '../../kit';

export type { Clock };

export type RRType = 'A' | 'AAAA';

/** The media type of a DNS message carried over HTTP (RFC 8484 §6). */
export const DNS_MESSAGE = 'application/dns-message';

/** An HTTP request, as any HTTP client can send it. Header names are lower-case. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** An HTTP response. Header names are lower-case (as HTTP/2 and fetch's Headers give them). */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Sends one HTTP request (fetch in a browser, node:http2 in the peer test, a fake in tests). */
export type HttpExchange = (request: HttpRequest, signal: AbortSignal) => Promise<HttpResponse>;

/** What an HttpDNS server said about a name: its addresses (maybe none) and for how long (s). */
export interface DnsAnswer {
  addresses: string[];
  /** Seconds the answer may be used. 0: use it once, do not cache it. */
  ttl: number;
}

/** One question put to one HttpDNS server. */
export interface HttpDnsQuery {
  /** The server, as configured: for DoH, a URI template like "https://192.0.2.53/dns-query{?dns}". */
  server: string;
  name: string;
  type: RRType;
  /** Aborted by the client when it stops waiting. */
  signal: AbortSignal;
}

/**
 * A way to ask an HttpDNS server: DoH (RFC 8484, task 3), or a vendor's JSON API. Resolves with
 * the answer, rejects when the server failed, or never settles: the client's timer decides.
 */
export type HttpDnsTransport = (query: HttpDnsQuery) => Promise<DnsAnswer>;

/** The operating system's resolver (getaddrinfo): addresses, but no TTL. Rejects on failure. */
export type SystemResolve = (name: string, type: RRType) => Promise<string[]>;

export type Source =
  /** Just fetched from an HttpDNS server. */
  | 'httpdns'
  /** From the cache, still fresh. */
  | 'cache'
  /** From the cache, expired but within maxStale; a refresh is on its way. */
  | 'stale'
  /** Every HttpDNS server failed: the system resolver answered. */
  | 'system';

/** The client's answer to resolve(). */
export interface Lookup {
  /** The name as the cache keys it: lower-case, without a final dot. */
  name: string;
  type: RRType;
  addresses: string[];
  /** Seconds this answer may still be used (see the instructions for each source). */
  ttl: number;
  source: Source;
  /** The HttpDNS server the addresses came from; null for 'system'. */
  server: string | null;
}

export interface ClientOptions {
  /** HttpDNS servers by IP address, in order of preference: finding them needs no DNS. */
  servers: string[];
  transport: HttpDnsTransport;
  clock: Clock;
  /** The fallback when every HttpDNS server fails. */
  systemResolve: SystemResolve;
  /** How long to wait for each server (ms). Default 2000. */
  timeout?: number;
  /** How long after expiry an answer may still be served stale (ms). Default 0: never. */
  maxStale?: number;
  /** The TTL given with a stale answer (s). Default 30 (RFC 8767 §4). */
  staleTtl?: number;
}

export const DEFAULTS = { timeout: 2000, maxStale: 0, staleTtl: 30 } as const;

export type HttpDnsErrorCode =
  /** A DoH server template this client cannot use. */
  | 'bad-template'
  /** The HTTP status was not 2xx. */
  | 'http-status'
  /** The response is not application/dns-message. */
  | 'content-type'
  /** The body is not a DNS reply to our query. */
  | 'bad-message'
  /** The DNS reply's RCODE is neither NOERROR nor NXDOMAIN. */
  | 'rcode'
  /** Every HttpDNS server failed and so did the system resolver. */
  | 'resolution-failed';

export class HttpDnsError extends Error {
  override name = 'HttpDnsError';
  readonly code: HttpDnsErrorCode;
  constructor(code: HttpDnsErrorCode, message?: string) {
    super(message ?? code);
    this.code = code;
  }
}
