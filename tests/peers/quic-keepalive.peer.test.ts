/**
 * Peer proof for labs/quic/keepalive-pool: a real Node http.Agent (keepAlive, maxSockets 2,
 * LIFO) sends a schedule of requests to a real nginx on 127.0.0.1 with small keepalive_requests
 * and keepalive_timeout, and the lab's reference must predict what happened:
 *
 * - which requests shared a connection (nginx tells us: `$connection` in a response header),
 * - the request count nginx kept per connection (`$connection_requests`),
 * - how many connections (TCP handshakes) there were,
 * - and which side closed each connection first: the kernel shows whose socket sits in
 *   TIME_WAIT (`ss -tan state time-wait`), matched by the client's port.
 *
 * Requests take their time at an upstream of ours (nginx proxies to a Node server that answers
 * after `?ms=`). Real timers jitter, so the schedules keep at least 100 ms (scaled) between any
 * two events whose order matters.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeers, freePort } from './support/peer';
import { NGINX, startNginx, type Nginx } from './support/nginx';
import { simulatePool, type PoolConfig, type PoolReport, type Request } from '../../labs/quic/keepalive-pool/reference';

/** Real milliseconds per model millisecond. */
const SCALE = 2;

interface Observed {
  /** nginx's connection serial number. */
  conn: string;
  /** nginx's count of requests on that connection, this one included. */
  connRequests: number;
  /** The client's local port (which identifies the TCP connection). */
  clientPort: number;
}

interface Scenario {
  name: string;
  config: PoolConfig;
  requests: Request[];
  /** nginx directives for this server block. */
  nginx: string;
  agent: http.AgentOptions;
  port: number;
  observed: Observed[];
  model: PoolReport;
}

function get(port: number, agent: http.Agent, ms: number): Promise<Observed> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/?ms=${ms}`, agent }, (res) => {
      const clientPort = res.socket.localPort ?? 0;
      res.resume();
      res.on('end', () => resolve({
        conn: String(res.headers['x-conn']),
        connRequests: Number(res.headers['x-conn-requests']),
        clientPort,
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Play a schedule on real timers; resolves with what nginx reported for each request. */
async function play(s: Scenario): Promise<Observed[]> {
  const agent = new http.Agent(s.agent);
  try {
    const started = Date.now();
    return await Promise.all(
      s.requests.map(async (r) => {
        await new Promise((res) => setTimeout(res, Math.max(0, r.at * SCALE - (Date.now() - started))));
        return get(s.port, agent, r.durationMs * SCALE);
      }),
    );
  } finally {
    // Free sockets the scenario left open are not part of the prediction: wait before this.
    setTimeout(() => agent.destroy(), 10_000).unref();
  }
}

function timeWaitSockets(): Promise<{ local: number; peer: number }[]> {
  return new Promise((resolve, reject) => {
    execFile('ss', ['-Htan', 'state', 'time-wait'], (err, stdout) => {
      if (err) return reject(err);
      const rows: { local: number; peer: number }[] = [];
      for (const line of stdout.split('\n')) {
        const cols = line.trim().split(/\s+/);
        const local = cols.find((c, i) => i >= 2 && c.startsWith('127.0.0.1:'));
        const peer = cols.slice(cols.indexOf(local ?? '') + 1).find((c) => c.startsWith('127.0.0.1:'));
        if (local && peer) rows.push({ local: Number(local.split(':')[1]), peer: Number(peer.split(':')[1]) });
      }
      resolve(rows);
    });
  });
}

/** For each request, the index of the first request its connection served: a partition. */
function partition(ids: string[]): number[] {
  const first = new Map<string, number>();
  return ids.map((id, i) => {
    if (!first.has(id)) first.set(id, i);
    return first.get(id)!;
  });
}

/** How many requests the model had served on a request's connection when it started. */
function modelConnRequests(model: PoolReport): number[] {
  const seen = new Map<number, number>();
  const order = model.served.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start || a.i - b.i);
  const out: number[] = new Array(model.served.length);
  for (const { s, i } of order) {
    const n = (seen.get(s.connection) ?? 0) + 1;
    seen.set(s.connection, n);
    out[i] = n;
  }
  return out;
}

describeWithPeers('Node http.Agent against nginx keep-alive, predicted by the keepalive-pool reference', [NGINX, 'ss'], () => {
  let upstream: http.Server;
  let nginx: Nginx;
  let timeWait: { local: number; peer: number }[] = [];
  const scenarios: Scenario[] = [];

  beforeAll(async () => {
    // The upstream: answers after ?ms= milliseconds, one connection per request from nginx.
    upstream = http.createServer((req, res) => {
      const ms = Number(new URL(req.url ?? '/', 'http://upstream').searchParams.get('ms') ?? 0);
      setTimeout(() => res.end('ok\n'), ms);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upstreamPort = (upstream.address() as AddressInfo).port;

    const [portA, portB, warmPort] = [await freePort(), await freePort(), await freePort()];
    scenarios.push(
      {
        // The client's idle timeout is the shorter: it closes idle connections; the server
        // closes the one that reaches keepalive_requests.
        name: 'client timeout 400 ms, keepalive_requests 3',
        config: { maxSockets: 2, clientIdleTimeoutMs: 400, serverKeepaliveTimeoutMs: 5000, serverKeepaliveRequests: 3 },
        requests: [
          { at: 0, host: 'a', durationMs: 200 },
          { at: 0, host: 'a', durationMs: 300 },
          { at: 50, host: 'a', durationMs: 200 },
          { at: 550, host: 'a', durationMs: 100 },
          { at: 850, host: 'a', durationMs: 100 },
        ],
        nginx: 'keepalive_timeout 5s; keepalive_requests 3;',
        agent: { keepAlive: true, maxSockets: 2, scheduling: 'lifo', timeout: 400 * SCALE },
        port: portA,
        observed: [],
        model: undefined as unknown as PoolReport,
      },
      {
        // No client timeout: nginx's keepalive_timeout closes every idle connection.
        name: 'no client timeout, keepalive_timeout 300 ms',
        config: { maxSockets: 2, clientIdleTimeoutMs: Infinity, serverKeepaliveTimeoutMs: 300, serverKeepaliveRequests: 100 },
        requests: [
          { at: 0, host: 'b', durationMs: 100 },
          { at: 200, host: 'b', durationMs: 100 },
          { at: 800, host: 'b', durationMs: 100 },
        ],
        nginx: `keepalive_timeout ${300 * SCALE}ms; keepalive_requests 100;`,
        agent: { keepAlive: true, maxSockets: 2, scheduling: 'lifo' },
        port: portB,
        observed: [],
        model: undefined as unknown as PoolReport,
      },
    );
    const servers = scenarios.map((s) => `
  server {
    listen 127.0.0.1:${s.port};
    ${s.nginx}
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      add_header X-Conn $connection always;
      add_header X-Conn-Requests $connection_requests always;
    }
  }`).join('\n');
    // A third server block only to warm nginx and the upstream up (a first proxied request is
    // slower), so the scenarios' timing is not spent on start-up.
    const warm = `
  server {
    listen 127.0.0.1:${warmPort};
    location / { proxy_pass http://127.0.0.1:${upstreamPort}; }
  }`;
    nginx = await startNginx(servers + warm, [...scenarios.map((s) => s.port), warmPort]);
    const warmAgent = new http.Agent({ keepAlive: false });
    for (let i = 0; i < 3; i++) await get(warmPort, warmAgent, 0);
    warmAgent.destroy();

    for (const s of scenarios) s.model = simulatePool(s.config, s.requests);
    const results = await Promise.all(scenarios.map((s) => play(s)));
    results.forEach((r, i) => { scenarios[i]!.observed = r; });
    // Wait until every connection the model closes is closed (plus a margin), then look.
    const lastClose = Math.max(...scenarios.flatMap((s) => s.model.connections.map((c) => c.closedAt ?? 0)));
    const lastEnd = Math.max(...scenarios.flatMap((s) => s.model.served.map((x) => x.end)));
    await new Promise((r) => setTimeout(r, (lastClose - lastEnd) * SCALE + 400));
    timeWait = await timeWaitSockets();
  }, 30_000);

  afterAll(async () => {
    await nginx?.stop();
    await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
  });

  for (const index of [0, 1]) {
    it(`scenario ${index + 1}: the same requests shared a connection as the model says`, () => {
      const s = scenarios[index]!;
      expect(s.observed.map((o) => o.conn).every((c) => c !== 'undefined'), 'nginx sent X-Conn').toBe(true);
      expect(partition(s.observed.map((o) => o.conn)), s.name).toEqual(partition(s.model.served.map((x) => String(x.connection))));
      expect(s.observed.map((o) => o.connRequests), `${s.name}: $connection_requests`).toEqual(modelConnRequests(s.model));
      expect(new Set(s.observed.map((o) => o.conn)).size, `${s.name}: handshakes`).toBe(s.model.handshakes);
    });

    it(`scenario ${index + 1}: the side the model says closed first holds TIME_WAIT`, () => {
      const s = scenarios[index]!;
      // One client port per connection the model opened, in the order of its first request.
      const portOf = new Map<number, number>();
      s.model.served.forEach((x, i) => { if (!portOf.has(x.connection)) portOf.set(x.connection, s.observed[i]!.clientPort); });
      for (const c of s.model.connections) {
        const port = portOf.get(c.id)!;
        const server = timeWait.some((t) => t.local === s.port && t.peer === port);
        const client = timeWait.some((t) => t.local === port && t.peer === s.port);
        const seen = server ? 'server' : client ? 'client' : null;
        expect(seen, `${s.name}: connection ${c.id} (client port ${port}), model: ${c.closedBy} (${c.reason})`).toBe(c.closedBy);
      }
      // Every TIME_WAIT socket of this server's port, but for nginx's readiness probes.
      const ours = timeWait.filter((t) => (t.local === s.port || t.peer === s.port) && !nginx.probePorts.includes(t.local));
      expect({
        client: ours.filter((t) => t.peer === s.port).length,
        server: ours.filter((t) => t.local === s.port).length,
      }, s.name).toEqual(s.model.timeWait);
    });
  }
});
