/**
 * The types of the stub-resolver lab (provided, read-only).
 *
 * DNS messages arrive here already decoded: this lab is about *when* to ask *whom*, not about
 * bytes. A Transport sends a question to one server over UDP or TCP and settles with the
 * server's reply, or rejects with a TransportError; the resolver decides how long to wait, and
 * what to do next.
 */
import type { Clock } from '../../kit';

export type { Clock };

export type Proto = 'udp' | 'tcp';

/** What we ask: a name and a record type, e.g. { name: 'www.example.com', type: 'A' }. */
export interface Question {
  name: string;
  type: string;
}

/** One record of a reply's answer section, its data as text (an address, a name, a string). */
export interface Answer {
  name: string;
  type: string;
  ttl: number;
  data: string;
}

/** A decoded reply: the header fields the resolver needs and the answer section. */
export interface Reply {
  /** RCODE from the header (RFC 1035 §4.1.1, RFC 6895 §2.3). */
  rcode: number;
  /** TC: the reply was truncated to fit a UDP datagram. */
  tc: boolean;
  answers: Answer[];
}

/** Response codes this lab names (RFC 1035 §4.1.1). */
export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/** One query sent by a Transport. */
export interface Exchange {
  /** The server's address, e.g. "192.0.2.53" or "127.0.0.1:5353". */
  server: string;
  proto: Proto;
  question: Question;
  /** Aborted by the resolver when it stops waiting: a real transport then closes its socket. */
  signal: AbortSignal;
}

/**
 * Sends one question to one server. Settles with the reply (whatever its RCODE), rejects with a
 * TransportError when the network says no, and may also never settle (a lost datagram): the
 * resolver's own timer decides when to give up. A transport matches replies to its query (DNS ID
 * and question), so whatever it resolves with is the reply to *this* exchange.
 */
export interface Transport {
  send(exchange: Exchange): Promise<Reply>;
}

export type TransportErrorCode =
  /** UDP: an ICMP port unreachable came back (nothing listens on that port). */
  | 'port-unreachable'
  /** TCP: the connection was refused (RST to our SYN). */
  | 'connection-refused'
  /** TCP: the connection closed or reset before a whole reply arrived. */
  | 'connection-reset'
  /** Anything else the network reported. */
  | 'network-error';

export class TransportError extends Error {
  override name = 'TransportError';
  readonly code: TransportErrorCode;
  constructor(code: TransportErrorCode, message?: string) {
    super(message ?? code);
    this.code = code;
  }
}

/** How one attempt ended (task 1 says which is which). */
export type Outcome =
  | 'answer'
  | 'nxdomain'
  | 'truncated'
  | 'servfail'
  | 'refused'
  | 'bad-rcode'
  | 'timeout'
  | 'unreachable'
  | 'network-error';

/** One line of the attempt log. Times are the clock's milliseconds. */
export interface Attempt {
  server: string;
  proto: Proto;
  /** clock.now() when the query was sent. */
  start: number;
  /** How long this attempt was willing to wait (ms). */
  timeout: number;
  /** clock.now() when the attempt ended: the reply or error arrived, or the timer fired. */
  end: number;
  outcome: Outcome;
}

/** What attempt() gives back: the log line, and the reply if one arrived. */
export interface AttemptResult {
  attempt: Attempt;
  reply?: Reply;
}

export interface ResolverOptions {
  /** Servers to ask, in order of preference. */
  servers: string[];
  transport: Transport;
  clock: Clock;
  /** Timeout of each attempt in round 0 (ms). Default 2000. */
  initialTimeout?: number;
  /** The timeout never grows beyond this (ms). Default 8000. */
  maxTimeout?: number;
  /** How many times each server may be visited. Default 3. */
  rounds?: number;
  /** Budget for the whole resolution, from the call of resolve() (ms). Default 30000. */
  deadline?: number;
}

export const DEFAULTS = { initialTimeout: 2000, maxTimeout: 8000, rounds: 3, deadline: 30_000 } as const;

/** A successful resolution: NOERROR (with or without records) or NXDOMAIN. */
export interface Resolution {
  reply: Reply;
  /** The server and transport the reply came from. */
  server: string;
  proto: Proto;
  /** Every attempt made, in order, the successful one last. */
  attempts: Attempt[];
}

export type ResolveErrorCode =
  /** The server list was empty: nothing was sent. */
  | 'no-servers'
  /** Every attempt the rules allow was made, and none gave an answer. */
  | 'all-servers-failed'
  /** Another attempt was due, but the deadline had passed. */
  | 'timeout';

export class ResolveError extends Error {
  override name = 'ResolveError';
  readonly code: ResolveErrorCode;
  readonly attempts: Attempt[];
  constructor(code: ResolveErrorCode, attempts: Attempt[]) {
    super(`${code}${attempts.length ? `: ${attempts.map((a) => `${a.server}/${a.proto} ${a.outcome}`).join(', ')}` : ''}`);
    this.code = code;
    this.attempts = attempts;
  }
}
