/**
 * The types of the keep-alive pool lab (provided, read-only).
 *
 * Times are milliseconds on one timeline that starts wherever the schedule says (usually 0).
 * Nothing in this lab waits for real time: the simulation is a pure function of its input.
 */

/** How the client's pool and the server behave. */
export interface PoolConfig {
  /** At most this many open connections per host (Node's Agent `maxSockets`). */
  maxSockets: number;
  /**
   * The client closes a connection that has been free (idle in the pool) this long (Node's
   * Agent `timeout` on free sockets). Infinity: never.
   */
  clientIdleTimeoutMs: number;
  /**
   * The server closes a connection that has been idle this long after a response (nginx
   * `keepalive_timeout`). 0 turns keep-alive off: the server closes after every response.
   * Infinity: never.
   */
  serverKeepaliveTimeoutMs: number;
  /**
   * The server closes a connection after serving this many requests on it (nginx
   * `keepalive_requests`). Infinity: no limit.
   */
  serverKeepaliveRequests: number;
}

/** One HTTP request of the schedule. */
export interface Request {
  /** When the application asks for it. */
  at: number;
  /** Which server (a pool is kept per host). */
  host: string;
  /** From the moment it starts on a connection to the end of its response. */
  durationMs: number;
}

/** Which connection served a request, and when. */
export interface Served {
  /** The connection's id (see Connection). */
  connection: number;
  /** When it started on that connection: `at`, or later if it had to wait in the queue. */
  start: number;
  /** start + durationMs. */
  end: number;
}

export type Closer = 'client' | 'server';

/** Why a connection was closed. */
export type CloseReason =
  /** The client's idle timer fired first (or keep-alive was never in play on its side). */
  | 'client-idle-timeout'
  /** The server's keepalive_timeout fired first, or it is 0. */
  | 'server-idle-timeout'
  /** The server served keepalive_requests requests on it. */
  | 'server-request-limit';

/** One TCP connection the pool opened. */
export interface Connection {
  /** 1, 2, 3, … in the order the connections were opened (across all hosts). */
  id: number;
  host: string;
  openedAt: number;
  /** null if it is still open when nothing else can happen. */
  closedAt: number | null;
  /** Who closed it first (and so holds the TIME_WAIT state), or null if still open. */
  closedBy: Closer | null;
  reason: CloseReason | null;
  /** How many requests it served. */
  requests: number;
}

export interface PoolReport {
  /** served[i] answers requests[i]. */
  served: Served[];
  /** Every connection opened, by id. */
  connections: Connection[];
  /** TCP handshakes: one per connection opened. */
  handshakes: number;
  /** Sockets left in TIME_WAIT: the side that closes first enters it (RFC 9293 §3.6). */
  timeWait: { client: number; server: number };
}
