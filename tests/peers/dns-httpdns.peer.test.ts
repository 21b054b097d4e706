/**
 * Peer proof of labs/dns/httpdns-client: the reference DoH transport and client, over real
 * HTTP/2 + TLS (node:http2), against dnsdist as the DoH server (RFC 8484) in front of unbound
 * serving zones with real TTLs, on 127.0.0.1 only.
 *
 * - answers (A through a CNAME chain, AAAA, NXDOMAIN with its SOA) match dig's, and the lab's
 *   provided codec (wire.ts) decodes dnsdist's bytes as npm dns-packet does;
 * - the TTL the real resolver hands out counts down (dnsdist's packet cache ages it), and that
 *   TTL is what the client's cache expiry is computed from: cache hit, then stale, then fresh;
 * - a closed port and a server that accepts but never answers are both passed over;
 * - with every DoH server dead, the system resolver (node:dns pointed at unbound) answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Resolver } from 'node:dns/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeers, freePort } from './support/peer';
import { LAB_ZONE, dig, startUnbound, type DnsServer, type Zone } from './support/dns-servers';
import { http2Request, openHttp2Sessions, startDnsdistDoh, type DohServer } from './support/doh-server';
import * as doh from '../../labs/dns/httpdns-client/reference';
import { decodeMessage, type Soa } from '../../labs/dns/httpdns-client/wire';
import type { HttpExchange, HttpResponse, RRType } from '../../labs/dns/httpdns-client/types';
import { realClock } from './support/real-clock.ts';

interface PacketRecord { name: string; type: string; ttl?: number; data: unknown }
interface Packet { id?: number; type?: string; answers?: PacketRecord[]; authorities?: PacketRecord[] }
const dnsPacket = createRequire(import.meta.url)('dns-packet') as { decode(b: Uint8Array): Packet };

/** A zone with short TTLs, to watch them count down. */
const DOH_ZONE: Zone = {
  origin: 'doh.test.',
  records: [
    '@      3600 IN SOA   ns1 hostmaster 2024010101 7200 900 1209600 7',
    '@      3600 IN NS    ns1',
    'ns1    3600 IN A     192.0.2.53',
    'short     4 IN A     192.0.2.44',
    'cdn      60 IN CNAME edge',
    'edge     20 IN A     192.0.2.80',
    'edge     20 IN A     192.0.2.81',
  ],
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP listener that accepts connections and never says a word: a DoH server gone silent. */
async function startSilentTcp(): Promise<{ port: number; accepted: () => number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((s) => { accepted++; sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => {}); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    accepted: () => accepted,
    stop: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

const digShort = async (port: number, args: string[]) =>
  (await dig(port, ['+short', ...args])).trim().split('\n').filter((l) => /^[\d.]+$|:/.test(l)).sort();

describeWithPeers('HttpDNS client (reference) over DoH: dnsdist in front of unbound', ['unbound', 'dnsdist', 'openssl', 'dig'], () => {
  let unbound: DnsServer;
  let dnsdist: DohServer;
  let silent: Awaited<ReturnType<typeof startSilentTcp>>;
  let CLOSED: string, SILENT: string;
  /** Every HTTP response the exchange saw, to check its bytes with other decoders. */
  const seen: { url: string; res: HttpResponse }[] = [];
  let exchange: HttpExchange;

  beforeAll(async () => {
    unbound = await startUnbound({ zones: [LAB_ZONE, DOH_ZONE] });
    dnsdist = await startDnsdistDoh({ upstreamPort: unbound.port, checkName: 'ns1.doh.test.' });
    silent = await startSilentTcp();
    CLOSED = `https://127.0.0.1:${await freePort()}/dns-query{?dns}`;
    SILENT = `https://127.0.0.1:${silent.port}/dns-query{?dns}`;
    exchange = async (req, signal) => {
      const res = await http2Request(req, { ca: dnsdist.ca, signal });
      seen.push({ url: req.url, res });
      return res;
    };
  });

  afterAll(async () => {
    await dnsdist?.stop();
    await unbound?.stop();
    await silent?.stop();
  });

  const ask = (name: string, type: RRType, method: 'GET' | 'POST' = 'GET') =>
    doh.dohTransport(exchange, method)({ server: dnsdist.template, name, type, signal: new AbortController().signal });

  it('GET: the addresses at the end of a CNAME chain, the TTL the smallest of the chain, as dig sees them', async () => {
    const before = seen.length;
    const a = await ask('www.lab.test', 'A');
    expect(a.addresses.slice().sort()).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
    expect(a.addresses.slice().sort()).toEqual(await digShort(unbound.port, ['www.lab.test', 'A']));
    // www 300 CNAME web 300 CNAME servers 120 A: the chain lives 120 s (less if dnsdist's cache aged it).
    expect(a.ttl).toBeLessThanOrEqual(120);
    expect(a.ttl).toBeGreaterThan(100);
    const { res, url } = seen[before]!;
    expect(url.startsWith(`${dnsdist.origin}/dns-query?dns=`)).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/dns-message');
    // The lab's codec and dns-packet read dnsdist's bytes alike; the TTL is their smallest.
    const mine = decodeMessage(res.body);
    const theirs = dnsPacket.decode(Buffer.from(res.body));
    expect(mine.id).toBe(0);
    expect(mine.answers.map((r) => [r.name, r.type, r.ttl, r.data])).toEqual((theirs.answers ?? []).map((r) => [r.name, r.type, r.ttl, r.data]));
    expect(a.ttl).toBe(Math.min(...(theirs.answers ?? []).map((r) => r.ttl ?? 0)));
  });

  it('POST works alike; AAAA addresses come in RFC 5952 form', async () => {
    const a = await ask('v6.lab.test', 'AAAA', 'POST');
    expect(a.addresses.slice().sort()).toEqual(['2001:db8:0:1::53', '2001:db8::1']);
    expect(a.addresses.slice().sort()).toEqual(await digShort(unbound.port, ['v6.lab.test', 'AAAA']));
    expect(a.ttl).toBeLessThanOrEqual(600);
    expect(a.ttl).toBeGreaterThan(580);
  });

  it('NXDOMAIN: no addresses, and the negative TTL is min(SOA TTL, SOA MINIMUM) of the reply', async () => {
    const before = seen.length;
    const a = await ask('nope.doh.test', 'A');
    expect(a.addresses).toEqual([]);
    const m = decodeMessage(seen[before]!.res.body);
    expect(m.rcode).toBe(3);
    const soa = m.authorities.find((r) => r.type === 'SOA')!;
    expect(soa).toBeDefined();
    expect(a.ttl).toBe(Math.min(soa.ttl, (soa.data as Soa).minimum));
    expect(a.ttl).toBeGreaterThan(0);
    expect(a.ttl).toBeLessThanOrEqual(7);
    const theirs = dnsPacket.decode(Buffer.from(seen[before]!.res.body));
    expect(theirs.authorities?.[0]).toMatchObject({ name: 'doh.test', type: 'SOA', ttl: soa.ttl, data: expect.objectContaining({ minimum: (soa.data as Soa).minimum }) });
    expect(await dig(unbound.port, ['nope.doh.test', 'A'])).toMatch(/status: NXDOMAIN/);
  });

  it("the real resolver's TTL counts down, and drives the client's cache: fresh, cached, stale, fresh again", async () => {
    const clock = realClock();
    const client = new doh.HttpDnsClient({
      servers: [CLOSED, dnsdist.template], transport: doh.dohTransport(exchange), clock,
      systemResolve: () => Promise.reject(new Error('not expected')), timeout: 2000, maxStale: 60_000,
    });
    // short.doh.test has TTL 4 in the zone. First lookup: past the closed port, from unbound via dnsdist.
    const r1 = await client.resolve('short.doh.test');
    const t1 = clock.now();
    expect(r1).toMatchObject({ name: 'short.doh.test', addresses: ['192.0.2.44'], source: 'httpdns', server: dnsdist.template });
    expect(r1.ttl).toBeGreaterThanOrEqual(3);
    expect(r1.ttl).toBeLessThanOrEqual(4);

    await sleep(1300);
    // The resolver itself now hands out a smaller TTL: dnsdist's cache ages what it serves.
    const direct = await ask('short.doh.test', 'A');
    expect(direct.ttl).toBeLessThan(r1.ttl);
    // Our client answers from its cache, with the seconds left of the TTL it was given.
    const r2 = await client.resolve('short.doh.test');
    expect(r2.source).toBe('cache');
    expect(r2.ttl).toBe(Math.ceil((t1 + r1.ttl * 1000 - clock.now()) / 1000));
    expect(r2.ttl).toBeLessThan(r1.ttl);
    // A second client asked now caches for what is left, not for the zone's 4 s.
    const other = new doh.HttpDnsClient({ servers: [dnsdist.template], transport: doh.dohTransport(exchange), clock, systemResolve: () => Promise.reject(new Error('no')) });
    const o1 = await other.resolve('short.doh.test');
    expect(o1.source).toBe('httpdns');
    expect(o1.ttl).toBeLessThan(r1.ttl);
    expect(Math.abs(o1.ttl - direct.ttl)).toBeLessThanOrEqual(1); // asked a moment apart

    // Past the TTL: served stale at once while a refresh goes to the resolver.
    await sleep(Math.max(0, t1 + r1.ttl * 1000 + 200 - clock.now()));
    const r3 = await client.resolve('short.doh.test');
    expect(r3).toMatchObject({ source: 'stale', ttl: 30, addresses: ['192.0.2.44'] });
    await sleep(500);
    const r4 = await client.resolve('short.doh.test');
    expect(r4.source).toBe('cache');
    expect(r4.ttl).toBeGreaterThanOrEqual(1);
    expect(r4.ttl).toBeLessThanOrEqual(4);
  });

  it('a closed port and a silent server are passed over; the silent one is given up after the timeout', async () => {
    const clock = realClock();
    const client = new doh.HttpDnsClient({
      servers: [SILENT, CLOSED, dnsdist.template], transport: doh.dohTransport(exchange), clock,
      systemResolve: () => Promise.reject(new Error('not expected')), timeout: 500,
    });
    const start = clock.now();
    const r = await client.resolve('cdn.doh.test');
    const took = clock.now() - start;
    expect(r).toMatchObject({ name: 'cdn.doh.test', source: 'httpdns', server: dnsdist.template });
    expect(r.addresses.slice().sort()).toEqual(['192.0.2.80', '192.0.2.81']);
    expect(r.ttl).toBeLessThanOrEqual(20); // cdn 60 CNAME edge 20 A
    expect(took).toBeGreaterThanOrEqual(495);
    expect(took).toBeLessThan(5000); // one timeout, not two: generous for a loaded machine
    expect(silent.accepted()).toBeGreaterThanOrEqual(1);
    await sleep(50);
    expect(openHttp2Sessions(), 'the timed-out request was aborted and its connection closed').toBe(0);
  });

  it('every DoH server dead: the system resolver (node:dns pointed at unbound) answers, TTL 0', async () => {
    const system = new Resolver({ timeout: 2000, tries: 1 });
    system.setServers([`127.0.0.1:${unbound.port}`]);
    const client = new doh.HttpDnsClient({
      servers: [CLOSED], transport: doh.dohTransport(exchange), clock: realClock(), timeout: 1000,
      systemResolve: (name, type) => (type === 'A' ? system.resolve4(name) : system.resolve6(name)),
    });
    const r = await client.resolve('servers.lab.test');
    expect(r).toMatchObject({ source: 'system', ttl: 0, server: null });
    expect(r.addresses.slice().sort()).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
  });
});
