/**
 * Peer proof of labs/dns/stub-resolver: the reference resolver, given a real network transport
 * (node:dgram for UDP, node:net for TCP with the 2-byte length prefix of RFC 1035 §4.2.2 /
 * RFC 7766 §8) and the real clock, resolves through real servers on 127.0.0.1 past two kinds of
 * dead server, follows unbound's truncated UDP reply to TCP, treats NXDOMAIN as an answer and
 * moves on after REFUSED. Messages are encoded and decoded by npm dns-packet, which nobody here
 * wrote; answers are checked against dig's.
 */
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeers, freePort } from './support/peer';
import { dig, startDnsmasq, startUnbound, type DnsServer } from './support/dns-servers';
import * as stub from '../../labs/dns/stub-resolver/reference';
import { ResolveError, TransportError, type Attempt, type Exchange, type Reply, type Transport } from '../../labs/dns/stub-resolver/types';
import { realClock } from './support/real-clock.ts';

// ---- dns-packet, typed just as far as used here -------------------------------------------------

interface PacketAnswer { name: string; type: string; ttl?: number; data: unknown }
interface Packet {
  id?: number;
  type?: 'query' | 'response';
  flags?: number;
  flag_tc?: boolean;
  questions?: { name: string; type: string; class?: string }[];
  answers?: PacketAnswer[];
}
interface DnsPacket {
  encode(p: Packet): Uint8Array;
  decode(b: Uint8Array): Packet;
  RECURSION_DESIRED: number;
}
const dnsPacket = createRequire(import.meta.url)('dns-packet') as DnsPacket;

function dataText(type: string, data: unknown): string {
  if (type === 'TXT' && Array.isArray(data)) return data.map((b) => `"${new TextDecoder().decode(b as Uint8Array)}"`).join(' ');
  return String(data);
}

function toReply(p: Packet): Reply {
  return {
    rcode: (p.flags ?? 0) & 0x0f,
    tc: Boolean(p.flag_tc),
    answers: (p.answers ?? []).map((a) => ({ name: a.name, type: a.type, ttl: a.ttl ?? 0, data: dataText(a.type, a.data) })),
  };
}

// ---- A real Transport and a real Clock ------------------------------------------------------------

function hostPort(server: string): { host: string; port: number } {
  const i = server.lastIndexOf(':');
  return { host: server.slice(0, i), port: Number(server.slice(i + 1)) };
}

/** UDP and TCP to a server on loopback; every query it sent is recorded. */
class NetTransport implements Transport {
  readonly sent: { server: string; proto: string }[] = [];

  send(x: Exchange): Promise<Reply> {
    const { host, port } = hostPort(x.server);
    if (host !== '127.0.0.1') return Promise.reject(new TransportError('network-error', `refusing to leave loopback: ${host}`));
    this.sent.push({ server: x.server, proto: x.proto });
    const id = Math.floor(Math.random() * 0x10000);
    const query = dnsPacket.encode({
      type: 'query',
      id,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ name: x.question.name, type: x.question.type, class: 'IN' }],
    });
    // A reply is ours when its ID and question match the query (RFC 5452 §3).
    const matches = (p: Packet) =>
      p.type === 'response' && p.id === id &&
      p.questions?.length === 1 &&
      p.questions[0]!.name.toLowerCase() === x.question.name.toLowerCase() &&
      p.questions[0]!.type === x.question.type;
    return x.proto === 'udp' ? this.#udp(host, port, query, matches, x.signal) : this.#tcp(host, port, query, matches, x.signal);
  }

  #udp(host: string, port: number, query: Uint8Array, matches: (p: Packet) => boolean, signal: AbortSignal): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const sock: Socket = createSocket('udp4');
      const done = () => { signal.removeEventListener('abort', done); try { sock.close(); } catch { /* closed */ } };
      signal.addEventListener('abort', done);
      sock.on('error', (e: NodeJS.ErrnoException) => {
        done();
        // On a connected UDP socket, an ICMP port unreachable surfaces as ECONNREFUSED.
        reject(new TransportError(e.code === 'ECONNREFUSED' ? 'port-unreachable' : 'network-error', e.message));
      });
      sock.on('message', (msg) => {
        let p: Packet;
        try { p = dnsPacket.decode(msg); } catch { return; } // garbage: keep waiting
        if (!matches(p)) return;
        done();
        resolve(toReply(p));
      });
      sock.connect(port, host, () => sock.send(query));
    });
  }

  #tcp(host: string, port: number, query: Uint8Array, matches: (p: Packet) => boolean, signal: AbortSignal): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port });
      let buf = Buffer.alloc(0);
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', abort);
        sock.destroy();
        fn();
      };
      const abort = () => finish(() => reject(new TransportError('network-error', 'aborted')));
      signal.addEventListener('abort', abort);
      sock.on('connect', () => {
        const framed = Buffer.alloc(2 + query.length);
        framed.writeUInt16BE(query.length, 0);
        framed.set(query, 2);
        sock.write(framed);
      });
      sock.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const len = buf.readUInt16BE(0);
          const msg = buf.subarray(2, 2 + len);
          buf = buf.subarray(2 + len);
          let p: Packet;
          try { p = dnsPacket.decode(msg); } catch { continue; }
          if (matches(p)) return finish(() => resolve(toReply(p)));
        }
      });
      sock.on('error', (e: NodeJS.ErrnoException) =>
        finish(() => reject(new TransportError(e.code === 'ECONNREFUSED' ? 'connection-refused' : e.code === 'ECONNRESET' ? 'connection-reset' : 'network-error', e.message))));
      sock.on('close', () => finish(() => reject(new TransportError('connection-reset', 'closed before a whole reply'))));
    });
  }
}

// ---- The peers ------------------------------------------------------------------------------------

/** A UDP socket of our own that takes every query and never answers: a server gone silent. */
async function startSwallower(): Promise<{ port: number; received: () => number; stop: () => Promise<void> }> {
  const sock = createSocket('udp4');
  let received = 0;
  sock.on('message', () => { received++; });
  await new Promise<void>((resolve, reject) => { sock.once('error', reject); sock.bind(0, '127.0.0.1', () => resolve()); });
  return { port: sock.address().port, received: () => received, stop: () => new Promise((r) => sock.close(() => r())) };
}

const outcomes = (attempts: Attempt[]) => attempts.map((a) => `${a.server} ${a.proto} ${a.outcome}`);
const digShort = async (port: number, args: string[]) => (await dig(port, ['+short', ...args])).trim().split('\n').filter(Boolean).sort();

describeWithPeers('stub resolver (reference) over the real network', ['unbound', 'dnsmasq', 'dig'], () => {
  let unbound: DnsServer;
  let dnsmasq: DnsServer;
  let swallower: Awaited<ReturnType<typeof startSwallower>>;
  let closedPort: number;
  let UNBOUND: string, DNSMASQ: string, SILENT: string, CLOSED: string;

  beforeAll(async () => {
    unbound = await startUnbound();
    dnsmasq = await startDnsmasq({ localDomains: ['example'], args: ['--host-record=www.example,192.0.2.77'] });
    swallower = await startSwallower();
    closedPort = await freePort(); // nothing listens here (UDP or TCP)
    UNBOUND = `127.0.0.1:${unbound.port}`;
    DNSMASQ = `127.0.0.1:${dnsmasq.port}`;
    SILENT = `127.0.0.1:${swallower.port}`;
    CLOSED = `127.0.0.1:${closedPort}`;
  });

  afterAll(async () => {
    await unbound?.stop();
    await dnsmasq?.stop();
    await swallower?.stop();
  });

  it('a closed port fails at once, a silent server times out, then unbound answers', async () => {
    const net = new NetTransport();
    const res = await stub.resolve({ name: 'servers.lab.test', type: 'A' }, {
      servers: [CLOSED, SILENT, UNBOUND], transport: net, clock: realClock(), initialTimeout: 400, rounds: 1, deadline: 5000,
    });
    expect(outcomes(res.attempts)).toEqual([`${CLOSED} udp unreachable`, `${SILENT} udp timeout`, `${UNBOUND} udp answer`]);
    const [closed, silent, answered] = res.attempts as [Attempt, Attempt, Attempt];
    // "At once" = before its timeout (outcome 'unreachable', not 'timeout', says the same).
    expect(closed.end - closed.start, 'ICMP port unreachable comes back before the timeout').toBeLessThan(400);
    expect(silent.timeout).toBe(400);
    expect(silent.end - silent.start).toBeGreaterThanOrEqual(395);
    expect(silent.end - silent.start).toBeLessThan(3000);
    expect(swallower.received(), 'the silent server did get the query').toBeGreaterThanOrEqual(1);
    expect(answered.start).toBeGreaterThanOrEqual(silent.end);
    expect(res.server).toBe(UNBOUND);
    expect(res.reply.rcode).toBe(0);
    const got = res.reply.answers.filter((a) => a.type === 'A').map((a) => a.data).sort();
    expect(got).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
    expect(got).toEqual(await digShort(unbound.port, ['servers.lab.test', 'A']));
  });

  it('unbound truncates a large TXT answer over UDP: the answer comes over TCP, past both dead servers', async () => {
    const net = new NetTransport();
    const res = await stub.resolve({ name: 'big.lab.test', type: 'TXT' }, {
      servers: [CLOSED, SILENT, UNBOUND], transport: net, clock: realClock(), initialTimeout: 300, rounds: 2, deadline: 5000,
    });
    expect(outcomes(res.attempts)).toEqual([
      `${CLOSED} udp unreachable`,
      `${SILENT} udp timeout`,
      `${UNBOUND} udp truncated`,
      `${UNBOUND} tcp answer`,
    ]);
    expect(net.sent).toEqual([
      { server: CLOSED, proto: 'udp' }, { server: SILENT, proto: 'udp' }, { server: UNBOUND, proto: 'udp' }, { server: UNBOUND, proto: 'tcp' },
    ]);
    expect(res.proto).toBe('tcp');
    const txt = res.reply.answers.map((a) => a.data).sort();
    expect(txt).toHaveLength(12);
    expect(txt[0]).toBe(`"record 01 ${'x'.repeat(200)}" "tail 01"`);
    expect(txt).toEqual(await digShort(unbound.port, ['+tcp', 'big.lab.test', 'TXT']));
  });

  it('over TCP, a closed port is a refused connection: unreachable, at once', async () => {
    const r = await stub.attempt(new NetTransport(), realClock(), CLOSED, 'tcp', { name: 'servers.lab.test', type: 'A' }, 1000);
    expect(r.attempt.outcome).toBe('unreachable');
    expect(r.attempt.end - r.attempt.start).toBeLessThan(1000);
  });

  it('NXDOMAIN from unbound is an answer: nobody else is asked', async () => {
    const net = new NetTransport();
    const res = await stub.resolve({ name: 'nope.lab.test', type: 'A' }, { servers: [UNBOUND, DNSMASQ], transport: net, clock: realClock(), initialTimeout: 1000 });
    expect(outcomes(res.attempts)).toEqual([`${UNBOUND} udp nxdomain`]);
    expect(res.reply.rcode).toBe(3);
    expect(await dig(unbound.port, ['nope.lab.test', 'A'])).toMatch(/status: NXDOMAIN/);
  });

  it('REFUSED from unbound (not its zone): dropped at once, dnsmasq answers', async () => {
    const net = new NetTransport();
    const res = await stub.resolve({ name: 'www.example', type: 'A' }, {
      servers: [UNBOUND, SILENT, DNSMASQ], transport: net, clock: realClock(), initialTimeout: 300, rounds: 2,
    });
    expect(outcomes(res.attempts)).toEqual([`${UNBOUND} udp refused`, `${SILENT} udp timeout`, `${DNSMASQ} udp answer`]);
    expect(res.attempts[0]!.end - res.attempts[0]!.start).toBeLessThan(300);
    expect(res.reply.answers.map((a) => a.data)).toEqual(await digShort(dnsmasq.port, ['www.example', 'A']));
    expect(await dig(unbound.port, ['www.example', 'A'])).toMatch(/status: REFUSED/);
  });

  it('every server dead: all-servers-failed with the log, the silent one asked again with a doubled timeout', async () => {
    const net = new NetTransport();
    const clock = realClock();
    const err = await stub.resolve({ name: 'servers.lab.test', type: 'A' }, {
      servers: [CLOSED, SILENT], transport: net, clock, initialTimeout: 200, rounds: 2, deadline: 5000,
    }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ResolveError);
    const e = err as ResolveError;
    expect(e.code).toBe('all-servers-failed');
    expect(outcomes(e.attempts)).toEqual([`${CLOSED} udp unreachable`, `${SILENT} udp timeout`, `${SILENT} udp timeout`]);
    expect(e.attempts.map((a) => a.timeout)).toEqual([200, 200, 400]);
  });
});
