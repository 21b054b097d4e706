import { expect, it } from 'vitest';
import { task, graded, forAll, fc, withCopiedInputs, referenceAnswer } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import type { PoolConfig, Request } from './types';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

const NEVER = Infinity;
/** A pool where nothing ever closes: only reuse, limits and queueing are in play. */
const OPEN_FOREVER: PoolConfig = { maxSockets: 6, clientIdleTimeoutMs: NEVER, serverKeepaliveTimeoutMs: NEVER, serverKeepaliveRequests: NEVER };

const req = (at: number, durationMs: number, host = 'a'): Request => ({ at, host, durationMs });
const conns = (config: PoolConfig, requests: Request[]) => learner.simulatePool(config, requests).served.map((s) => s.connection);

const arbRequests = fc.array(
  fc.record({
    // Multiples of 50 make requests collide with each other, finishes and timeouts.
    at: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 60 }).map((n) => n * 50)),
    host: fc.constantFrom('a', 'a', 'b', 'c'),
    durationMs: fc.oneof(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 10 }).map((n) => n * 50)),
  }),
  { maxLength: 40 },
);
const arbTimeout = fc.oneof(fc.constant(NEVER), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 20 }).map((n) => n * 50));

function agree(config: PoolConfig, requests: Request[]): void {
  expect(learner.simulatePool(config, requests)).toEqual(referenceAnswer('simulatePool', { config, requests }, () => reference.simulatePool(config, requests)));
}

// ---- Task 1 -------------------------------------------------------------------------------

task('reuse', () => {
  it('opens a connection per request while none is free, up to maxSockets', () => {
    const report = learner.simulatePool({ ...OPEN_FOREVER, maxSockets: 3 }, [req(0, 100), req(10, 100), req(20, 200)]);
    expect(report.served).toEqual([
      { connection: 1, start: 0, end: 100 },
      { connection: 2, start: 10, end: 110 },
      { connection: 3, start: 20, end: 220 },
    ]);
    expect(report.handshakes).toBe(3);
    expect(report.timeWait).toEqual({ client: 0, server: 0 });
    expect(report.connections[2]).toEqual({ id: 3, host: 'a', openedAt: 20, closedAt: null, closedBy: null, reason: null, requests: 1 });
  });

  graded('reuses the most recently freed connection first (LIFO)', 2, () => {
    // Freed at 100 (1), 110 (2), 220 (3); then 3 and 2 are taken, and freed together at 310
    // (request 3 is handled first, so connection 2 is on top).
    const schedule = [req(0, 100), req(10, 100), req(20, 200), req(300, 10), req(300, 10), req(400, 10)];
    expect(conns({ ...OPEN_FOREVER, maxSockets: 3 }, schedule)).toEqual([1, 2, 3, 3, 2, 2]);
  });

  graded('queues requests when every connection is busy, first come first served', 2, () => {
    const report = learner.simulatePool({ ...OPEN_FOREVER, maxSockets: 1 }, [req(0, 100), req(30, 50), req(10, 50)]);
    expect(report.served).toEqual([
      { connection: 1, start: 0, end: 100 },
      { connection: 1, start: 150, end: 200 },
      { connection: 1, start: 100, end: 150 },
    ]);
    expect(report.connections).toEqual([{ id: 1, host: 'a', openedAt: 0, closedAt: null, closedBy: null, reason: null, requests: 3 }]);
  });

  it('keeps one pool per host', () => {
    const schedule = [req(0, 100, 'a'), req(10, 100, 'b'), req(20, 10, 'a'), req(200, 10, 'b'), req(200, 10, 'a')];
    const report = learner.simulatePool({ ...OPEN_FOREVER, maxSockets: 1 }, schedule);
    expect(report.served.map((s) => [s.connection, s.start])).toEqual([[1, 0], [2, 10], [1, 100], [2, 200], [1, 200]]);
  });

  it('a response that ends when a request arrives frees its connection for it', () => {
    expect(learner.simulatePool({ ...OPEN_FOREVER, maxSockets: 1 }, [req(0, 100), req(100, 10)]).served[1]).toEqual({ connection: 1, start: 100, end: 110 });
    expect(learner.simulatePool({ ...OPEN_FOREVER, maxSockets: 2 }, [req(0, 100), req(100, 10)]).handshakes).toBe(1);
  });

  graded('agrees with the reference on generated schedules (nothing closes)', 2, () => {
    forAll(fc.tuple(fc.integer({ min: 1, max: 4 }), arbRequests), ([maxSockets, requests]) => agree({ ...OPEN_FOREVER, maxSockets }, requests), 150);
  });
});

// ---- Task 2 -------------------------------------------------------------------------------

task('server-close', () => {
  graded('keepalive_requests: the server closes after the Nth request, and holds TIME_WAIT', 2, () => {
    const schedule = [0, 100, 200, 300, 400].map((at) => req(at, 50));
    const report = learner.simulatePool({ ...OPEN_FOREVER, maxSockets: 1, serverKeepaliveRequests: 2 }, schedule);
    expect(report.served.map((s) => s.connection)).toEqual([1, 1, 2, 2, 3]);
    expect(report.connections.map((c) => [c.id, c.closedAt, c.closedBy, c.reason, c.requests])).toEqual([
      [1, 150, 'server', 'server-request-limit', 2],
      [2, 350, 'server', 'server-request-limit', 2],
      [3, null, null, null, 1],
    ]);
    expect([report.handshakes, report.timeWait]).toEqual([3, { client: 0, server: 2 }]);
  });

  graded('keepalive_timeout: an idle connection is closed by the server; a later request opens a new one', 2, () => {
    const config = { ...OPEN_FOREVER, serverKeepaliveTimeoutMs: 1000 };
    const report = learner.simulatePool(config, [req(0, 100), req(600, 100), req(1800, 100), req(2800, 100)]);
    // Idle 100→600: reused. Idle from 700: closed at 1700, so 1800 opens connection 2, which
    // is free from 1900 and reused at 2800, then closed at 3900.
    expect(report.served.map((s) => s.connection)).toEqual([1, 1, 2, 2]);
    expect(report.connections.map((c) => [c.closedAt, c.closedBy, c.reason])).toEqual([
      [1700, 'server', 'server-idle-timeout'],
      [3900, 'server', 'server-idle-timeout'],
    ]);
    expect(report.timeWait).toEqual({ client: 0, server: 2 });
  });

  it('a connection idle for exactly the timeout is closed before a request arriving then', () => {
    const report = learner.simulatePool({ ...OPEN_FOREVER, serverKeepaliveTimeoutMs: 1000 }, [req(0, 100), req(1100, 100)]);
    expect(report.served.map((s) => s.connection)).toEqual([1, 2]);
    expect(report.connections[0]!.closedAt).toBe(1100);
  });

  it('keepalive_timeout 0 turns keep-alive off: one connection per request', () => {
    const report = learner.simulatePool({ ...OPEN_FOREVER, serverKeepaliveTimeoutMs: 0 }, [req(0, 50), req(100, 50), req(100, 50), req(120, 50)]);
    expect(report.served.map((s) => s.connection)).toEqual([1, 2, 3, 4]);
    expect([report.handshakes, report.timeWait]).toEqual([4, { client: 0, server: 4 }]);
    expect(report.connections.every((c) => c.reason === 'server-idle-timeout')).toBe(true);
  });

  graded('a queued request gets a new connection when the server closes the one it waited for', 2, () => {
    const config = { ...OPEN_FOREVER, maxSockets: 1, serverKeepaliveRequests: 1 };
    const report = learner.simulatePool(config, [req(0, 100), req(10, 100), req(20, 100)]);
    expect(report.served).toEqual([
      { connection: 1, start: 0, end: 100 },
      { connection: 2, start: 100, end: 200 },
      { connection: 3, start: 200, end: 300 },
    ]);
    expect(report.timeWait).toEqual({ client: 0, server: 3 });
  });

  graded('agrees with the reference on generated schedules (the server closes)', 2, () => {
    const arbConfig = fc.record({
      maxSockets: fc.integer({ min: 1, max: 4 }),
      clientIdleTimeoutMs: fc.constant(NEVER),
      serverKeepaliveTimeoutMs: fc.oneof(fc.constant(0), arbTimeout),
      serverKeepaliveRequests: fc.oneof(fc.constant(NEVER), fc.integer({ min: 1, max: 5 })),
    });
    forAll(fc.tuple(arbConfig, arbRequests), ([config, requests]) => agree(config, requests), 150);
  });
});

// ---- Task 3 -------------------------------------------------------------------------------

task('client-close', () => {
  it('a connection idle for exactly the client\'s timeout is closed before a request arriving then', () => {
    const report = learner.simulatePool({ ...OPEN_FOREVER, clientIdleTimeoutMs: 300 }, [req(0, 100), req(400, 100)]);
    expect(report.served.map((s) => s.connection)).toEqual([1, 2]);
    expect(report.connections[0]).toMatchObject({ closedAt: 400, reason: 'client-idle-timeout' });
  });

  graded('the client closes an idle connection when its timeout is the shorter, and holds TIME_WAIT', 2, () => {
    const config = { ...OPEN_FOREVER, clientIdleTimeoutMs: 300, serverKeepaliveTimeoutMs: 1000 };
    const report = learner.simulatePool(config, [req(0, 100), req(350, 100), req(900, 100)]);
    expect(report.served.map((s) => s.connection)).toEqual([1, 1, 2]);
    expect(report.connections.map((c) => [c.closedAt, c.closedBy, c.reason])).toEqual([
      [750, 'client', 'client-idle-timeout'],
      [1300, 'client', 'client-idle-timeout'],
    ]);
    expect(report.timeWait).toEqual({ client: 2, server: 0 });
  });

  it('equal timeouts: the server closes', () => {
    const report = learner.simulatePool({ ...OPEN_FOREVER, clientIdleTimeoutMs: 500, serverKeepaliveTimeoutMs: 500 }, [req(0, 100)]);
    expect(report.connections[0]).toEqual({ id: 1, host: 'a', openedAt: 0, closedAt: 600, closedBy: 'server', reason: 'server-idle-timeout', requests: 1 });
  });

  graded('a schedule with both kinds of close (the one the peer test runs against nginx)', 3, () => {
    // maxSockets 2, Node's Agent timeout 400 ms, nginx keepalive_requests 3, keepalive_timeout 5 s.
    const config = { maxSockets: 2, clientIdleTimeoutMs: 400, serverKeepaliveTimeoutMs: 5000, serverKeepaliveRequests: 3 };
    const report = learner.simulatePool(config, [req(0, 200), req(0, 300), req(50, 200), req(550, 100), req(850, 100)]);
    expect(report).toEqual({
      served: [
        { connection: 1, start: 0, end: 200 },
        { connection: 2, start: 0, end: 300 },
        { connection: 1, start: 200, end: 400 }, // queued until connection 1 was free
        { connection: 1, start: 550, end: 650 }, // LIFO: 1 (free since 400) before 2 (since 300)
        { connection: 3, start: 850, end: 950 }, // 2 was closed by the client at 700
      ],
      connections: [
        { id: 1, host: 'a', openedAt: 0, closedAt: 650, closedBy: 'server', reason: 'server-request-limit', requests: 3 },
        { id: 2, host: 'a', openedAt: 0, closedAt: 700, closedBy: 'client', reason: 'client-idle-timeout', requests: 1 },
        { id: 3, host: 'a', openedAt: 850, closedAt: 1350, closedBy: 'client', reason: 'client-idle-timeout', requests: 1 },
      ],
      handshakes: 3,
      timeWait: { client: 2, server: 1 },
    });
  });

  graded('agrees with the reference on generated schedules (everything in play)', 3, () => {
    const arbConfig = fc.record({
      maxSockets: fc.integer({ min: 1, max: 4 }),
      clientIdleTimeoutMs: arbTimeout,
      serverKeepaliveTimeoutMs: fc.oneof(fc.constant(0), arbTimeout),
      serverKeepaliveRequests: fc.oneof(fc.constant(NEVER), fc.integer({ min: 1, max: 5 })),
    });
    forAll(fc.tuple(arbConfig, arbRequests), ([config, requests]) => agree(config, requests), 250);
  });
});
