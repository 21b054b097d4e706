/**
 * An HTTP/1.1 keep-alive connection pool between a client like Node's http.Agent and a server
 * like nginx, as a pure event simulation. Read instructions.md for the exact rules; types.ts
 * has every type named here.
 */
import type { CloseReason, Closer, Connection, PoolConfig, PoolReport, Request, Served } from './types';

export type { CloseReason, Closer, Connection, PoolConfig, PoolReport, Request, Served } from './types';

/**
 * Run the schedule through the pool and the server and report who served what, how many
 * handshakes it took, and who was left holding TIME_WAIT.
 */
export function simulatePool(config: PoolConfig, requests: readonly Request[]): PoolReport {
  throw new Error('TODO: simulatePool');
}
