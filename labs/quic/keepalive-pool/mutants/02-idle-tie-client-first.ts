// Bug: on an idle-deadline tie the client is said to close first; the server armed its keep-alive timer when it sent the response, so it closes first.
/**
 * An HTTP/1.1 keep-alive connection pool (RFC 9112 §9) between a client like Node's http.Agent
 * and a server like nginx, as a pure event simulation. Reference implementation.
 */
import type { CloseReason, Closer, Connection, PoolConfig, PoolReport, Request, Served } from './types';

export type { CloseReason, Closer, Connection, PoolConfig, PoolReport, Request, Served } from './types';

interface Conn extends Connection {
  /** When it went idle in the pool, while it is free. */
  idleDeadline: number;
  idleCloser: Closer;
}

interface HostPool {
  /** Open connections to this host (busy or free). */
  open: number;
  /** Free connections, the most recently freed last (taken first: LIFO). */
  free: Conn[];
  /** Requests waiting for a connection, first come first served. */
  queue: number[];
}

/** Event kinds in the order they are handled when they fall at the same time. */
const FINISH = 0;
const IDLE = 1;
const ARRIVAL = 2;

/**
 * Run the schedule through the pool and the server and report who served what, how many
 * handshakes it took, and who was left holding TIME_WAIT.
 */
export function simulatePool(config: PoolConfig, requests: readonly Request[]): PoolReport {
  const served: Served[] = new Array(requests.length);
  const conns: Conn[] = [];
  const pools = new Map<string, HostPool>();
  const pool = (host: string): HostPool => {
    let p = pools.get(host);
    if (!p) pools.set(host, (p = { open: 0, free: [], queue: [] }));
    return p;
  };
  /** Requests in progress: [request index, connection]. */
  const running: { index: number; conn: Conn }[] = [];
  const arrivals = requests.map((_, i) => i).sort((a, b) => requests[a]!.at - requests[b]!.at || a - b);
  let nextArrival = 0;

  const start = (index: number, conn: Conn, now: number) => {
    conn.requests += 1;
    served[index] = { connection: conn.id, start: now, end: now + requests[index]!.durationMs };
    running.push({ index, conn });
  };

  const openFor = (index: number, now: number) => {
    const host = requests[index]!.host;
    pool(host).open += 1;
    const conn: Conn = {
      id: conns.length + 1, host, openedAt: now, closedAt: null, closedBy: null, reason: null, requests: 0,
      idleDeadline: Infinity, idleCloser: 'client',
    };
    conns.push(conn);
    start(index, conn, now);
  };

  const close = (conn: Conn, now: number, by: Closer, reason: CloseReason) => {
    conn.closedAt = now;
    conn.closedBy = by;
    conn.reason = reason;
    conn.idleDeadline = Infinity;
    const p = pool(conn.host);
    p.open -= 1;
    p.free = p.free.filter((c) => c !== conn);
  };

  const finish = (index: number, conn: Conn, now: number) => {
    const p = pool(conn.host);
    const limit = conn.requests >= config.serverKeepaliveRequests;
    if (limit || config.serverKeepaliveTimeoutMs === 0) {
      // The server answers with "Connection: close" and closes first.
      close(conn, now, 'server', limit ? 'server-request-limit' : 'server-idle-timeout');
      const waiting = p.queue.shift();
      if (waiting !== undefined) openFor(waiting, now);
      return;
    }
    const waiting = p.queue.shift();
    if (waiting !== undefined) {
      start(waiting, conn, now); // handed straight to the next request: never idle
      return;
    }
    const serverAt = now + config.serverKeepaliveTimeoutMs;
    const clientAt = now + config.clientIdleTimeoutMs;
    // On a tie the server is first: it armed its timer when it sent the response, before the
    // client had read it.
    conn.idleCloser = serverAt < clientAt ? 'server' : 'client';
    conn.idleDeadline = Math.min(serverAt, clientAt);
    p.free.push(conn);
  };

  const arrive = (index: number, now: number) => {
    const p = pool(requests[index]!.host);
    const conn = p.free.pop();
    if (conn) {
      conn.idleDeadline = Infinity;
      start(index, conn, now);
    } else if (p.open < config.maxSockets) {
      openFor(index, now);
    } else {
      p.queue.push(index);
    }
  };

  for (;;) {
    // The next event: the smallest (time, kind, number).
    let best: { t: number; kind: number; key: number; run: () => void } | undefined;
    const consider = (t: number, kind: number, key: number, run: () => void) => {
      if (t === Infinity) return;
      if (!best || t < best.t || (t === best.t && (kind < best.kind || (kind === best.kind && key < best.key)))) best = { t, kind, key, run };
    };
    for (const r of running) {
      consider(served[r.index]!.end, FINISH, r.index, () => {
        running.splice(running.indexOf(r), 1);
        finish(r.index, r.conn, served[r.index]!.end);
      });
    }
    for (const c of conns) {
      if (c.closedAt === null) {
        consider(c.idleDeadline, IDLE, c.id, () => {
          close(c, c.idleDeadline, c.idleCloser, c.idleCloser === 'server' ? 'server-idle-timeout' : 'client-idle-timeout');
        });
      }
    }
    if (nextArrival < arrivals.length) {
      const index = arrivals[nextArrival]!;
      consider(requests[index]!.at, ARRIVAL, index, () => {
        nextArrival += 1;
        arrive(index, requests[index]!.at);
      });
    }
    if (!best) break;
    best.run();
  }

  const connections: Connection[] = conns.map(({ id, host, openedAt, closedAt, closedBy, reason, requests: n }) => ({
    id, host, openedAt, closedAt, closedBy, reason, requests: n,
  }));
  return {
    served,
    connections,
    handshakes: connections.length,
    timeWait: {
      client: connections.filter((c) => c.closedBy === 'client').length,
      server: connections.filter((c) => c.closedBy === 'server').length,
    },
  };
}
