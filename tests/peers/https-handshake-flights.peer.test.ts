/**
 * Peer proof for labs/https/handshake-flights: live sessions between Node's TLS client and
 * `openssl s_server` on 127.0.0.1, through a relay of ours that keeps every byte in order. The
 * records each side sent are opened with the session's key log (tests/peers/support/tls-flights.ts),
 * so every message is named, encrypted or not, with the key that protected it. For TLS 1.2 (full,
 * RSA key transport, resumed, mutual) and TLS 1.3 (full, HelloRetryRequest, resumed with a PSK,
 * mutual, and a certificate larger than a record) the reference must predict:
 * - the flights up to the client's request: who sent each, every message and its key;
 * - the round trips: the server flights the relay had forwarded when the client wrote its request
 *   (the relay logs a chunk before it forwards it, so the client cannot have seen more);
 * - the bytes of every message on the wire, given the sizes of the certificates and signatures
 *   and the measured bodies of the messages the model takes as given.
 * Flights are grouped by change of direction, never by counting writes, and the client sends
 * only once it may, so TCP's segmentation cannot move a message from one flight to another.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPeers } from './support/peer';
import { makeWorkdir, type TlsWorkdir } from './support/tls-openssl';
import {
  derLength, makeLargeCertificate, nodeSession, openSslServer, readConnection, seenMessages, withoutPostHandshakeTickets,
  type NodeRun, type Reading, type SeenMessageFlight,
} from './support/tls-flights';
import { flightBytes, flights, roundTrips } from '../../labs/https/handshake-flights/reference';
import type { Handshake, Sizes } from '../../labs/https/handshake-flights/types';

const REQUEST = 'GET / HTTP/1.0\r\n\r\n';
/** RSA-2048 signatures (PKCS#1 v1.5 or PSS) and the encrypted pre-master secret are exactly 256 bytes. */
const RSA_2048 = 256;
/** The hash length of each TLS 1.3 suite (its Finished), by code. */
const SUITE_HASH: Record<number, number> = { 0x1301: 32, 0x1302: 48, 0x1303: 32 };

interface Certs { serverChain: number[]; clientChain: number[] }

/** The sizes the model takes as given, read from the capture; the rest from the certificates. */
function sizesFrom(reading: Reading, certs: Certs): Sizes {
  const body = (from: 'client' | 'server', name: string, nth = 0) => reading.handshake[from].filter((m) => m.name === name)[nth]?.body;
  const len = (from: 'client' | 'server', name: string, nth = 0) => body(from, name, nth)?.length;
  const sh = body('server', 'ServerHello')!;
  const suite = (sh[2 + 32 + 1 + sh[34]!]! << 8) | sh[2 + 32 + 1 + sh[34]! + 1]!;
  const ske = body('server', 'ServerKeyExchange');
  if (ske) {
    // ECParameters: named_curve (3) x25519 (0x001d), then a 32-byte point (RFC 8422 §5.4, RFC 7748).
    expect([ske[0], (ske[1]! << 8) | ske[2]!, ske[3]], 'ServerKeyExchange: X25519').toEqual([3, 0x001d, 32]);
  }
  return {
    clientHello: len('client', 'ClientHello')!,
    clientHelloAfterRetry: len('client', 'ClientHello', 1),
    serverHello: sh.length,
    helloRetryRequest: len('server', 'HelloRetryRequest'),
    encryptedExtensions: len('server', 'EncryptedExtensions'),
    certificateRequest: len('server', 'CertificateRequest'),
    // The TLS 1.2 ticket: the one in the handshake, in the clear.
    newSessionTicket: reading.version === '1.2' ? len('server', 'NewSessionTicket') : undefined,
    serverChain: certs.serverChain,
    serverSignature: RSA_2048,
    clientChain: certs.clientChain,
    clientSignature: RSA_2048,
    keyShare: 32,
    rsaModulus: RSA_2048,
    hashLength: reading.version === '1.3' ? SUITE_HASH[suite] : undefined,
    explicitNonce: 8, // AES-GCM
    request: REQUEST.length,
  };
}

/** The observed flights up to the client's first application data: what the model must predict. */
function untilRequest(seen: SeenMessageFlight[]): SeenMessageFlight[] {
  const at = seen.findIndex((f) => f.from === 'client' && f.messages.some((m) => m.name === 'ApplicationData'));
  expect(at, 'the client sent its request').toBeGreaterThanOrEqual(0);
  const last = seen[at]!;
  return [...seen.slice(0, at), { from: last.from, messages: last.messages.slice(0, last.messages.findIndex((m) => m.name === 'ApplicationData') + 1) }];
}

/** Everything the reference predicts about one connection, against what the relay saw. */
function holdsAgainst(model: Handshake, run: NodeRun, certs: Certs): SeenMessageFlight[] {
  expect(run.response, 'the server answered the request').toMatch(/^HTTP\/1\.0 200 ok/i);
  const reading = readConnection(run.chunks, run.keylog);
  const seen = untilRequest(withoutPostHandshakeTickets(seenMessages(reading.flights)));
  const predicted = flights(model);
  const upTo = predicted.findIndex((f) => f.from === 'client' && f.messages.some((m) => m.name === 'ApplicationData'));
  expect(seen.map((f) => ({ from: f.from, messages: f.messages.map((m) => ({ name: m.name, key: m.key })) })), 'flights, messages and keys')
    .toEqual(predicted.slice(0, upTo + 1));
  expect(run.serverFlightsBeforeRequest, 'server flights forwarded before the request was written').toBe(roundTrips(model));
  const bytes = flightBytes(model, sizesFrom(reading, certs)).slice(0, upTo + 1);
  expect(seen.map((f) => f.messages.map((m) => `${m.name} ${m.bytes}`)), 'bytes of every message').toEqual(bytes.map((f) => f.messages.map((m) => `${m.name} ${m.bytes}`)));
  return seen;
}

const T12 = (more: object = {}): Handshake => ({ protocol: 'tls1.2', mode: 'full', ...more }) as Handshake;
const T13 = (more: object = {}): Handshake => ({ protocol: 'tls1.3', mode: 'full', compat: true, ...more }) as Handshake;
const TLS12 = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' } as const;
const TLS13 = { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } as const;

const summary = (seen: SeenMessageFlight[]) => seen.map((f) => `${f.from === 'client' ? 'C' : 'S'}(${f.messages.reduce((a, m) => a + m.bytes, 0)}): ${f.messages.map((m) => m.name).join(', ')}`).join(' | ');

describeWithPeers('the handshake-flights reference against live OpenSSL sessions', ['openssl'], () => {
  let server: TlsWorkdir;
  let client: TlsWorkdir;
  let certs: Certs;
  let clientAuth: { cert: Buffer; key: Buffer };
  beforeAll(async () => {
    server = await makeWorkdir();
    client = await makeWorkdir();
    certs = { serverChain: [await derLength(server.cert)], clientChain: [await derLength(client.cert)] };
    clientAuth = { cert: await readFile(client.cert), key: await readFile(client.key) };
  }, 60_000);
  afterAll(async () => { await server?.remove(); await client?.remove(); });

  /** One s_server for the test; `body` runs the connections. */
  async function withServer<T>(args: string[], body: (port: number) => Promise<T>, cert?: { cert: string; key: string }): Promise<T> {
    const s = await openSslServer(cert?.cert ?? server.cert, cert?.key ?? server.key, args);
    try {
      return await body(s.port);
    } finally {
      await s.stop();
    }
  }
  const log = (what: string, seen: SeenMessageFlight[]) => console.log(`${what}: ${summary(seen)}`);

  describe('TLS 1.2', () => {
    it('full ECDHE handshake with a ticket: two round trips (RFC 5246 Figure 1, RFC 5077)', async () => {
      const run = await withServer(['-tls1_2'], (port) => nodeSession(port, TLS12, REQUEST));
      log('TLS 1.2 full', holdsAgainst(T12({ ticket: true }), run, certs));
    });

    it('RSA key transport: no ServerKeyExchange, a 256-byte encrypted pre-master secret', async () => {
      const run = await withServer(['-tls1_2'], (port) => nodeSession(port, { ...TLS12, ciphers: 'AES128-GCM-SHA256' }, REQUEST));
      log('TLS 1.2 RSA', holdsAgainst(T12({ ticket: true, keyExchange: 'rsa' }), run, certs));
    });

    it('resumed with the ticket: one round trip, the server finishing first (RFC 5246 Figure 2)', async () => {
      const [first, second] = await withServer(['-tls1_2'], async (port) => {
        const a = await nodeSession(port, TLS12, REQUEST);
        expect(a.session, 'a session to resume').toBeDefined();
        return [a, await nodeSession(port, { ...TLS12, session: a.session }, REQUEST)];
      });
      expect([first.reused, second.reused]).toEqual([false, true]);
      holdsAgainst(T12({ ticket: true }), first, certs);
      log('TLS 1.2 resumed', holdsAgainst(T12({ mode: 'resumed' }), second, certs));
    });

    it("mutual TLS (-Verify 1): the client's Certificate and CertificateVerify join its second flight, no round trip more", async () => {
      const run = await withServer(['-tls1_2', '-Verify', '1', '-CAfile', client.cert], (port) => nodeSession(port, { ...TLS12, ...clientAuth }, REQUEST));
      const seen = holdsAgainst(T12({ ticket: true, mutual: true }), run, certs);
      expect(seen.length, 'as many flights as without a client certificate').toBe(flights(T12({ ticket: true })).length);
      log('TLS 1.2 mutual', seen);
    });
  });

  describe('TLS 1.3', () => {
    // Without tickets the server sends nothing after its first flight until the request arrives.
    const NO_TICKETS = ['-tls1_3', '-num_tickets', '0'];

    it('full handshake: one round trip, everything after ServerHello encrypted (RFC 8446 Figure 1, Appendix D.4)', async () => {
      const run = await withServer(NO_TICKETS, (port) => nodeSession(port, TLS13, REQUEST));
      log('TLS 1.3 full', holdsAgainst(T13(), run, certs));
    });

    it('HelloRetryRequest: a client share for X25519 only, a server that takes P-256 only, one round trip more (Figure 2)', async () => {
      const run = await withServer([...NO_TICKETS, '-groups', 'P-256'], (port) => nodeSession(port, { ...TLS13, ecdhCurve: 'X25519:P-256' }, REQUEST));
      log('TLS 1.3 HelloRetryRequest', holdsAgainst(T13({ mode: 'hrr' }), run, certs));
    });

    it('mutual TLS (-Verify 1): CertificateRequest after EncryptedExtensions, still one round trip (§4.3.2)', async () => {
      const run = await withServer([...NO_TICKETS, '-Verify', '1', '-CAfile', client.cert], (port) => nodeSession(port, { ...TLS13, ...clientAuth }, REQUEST));
      log('TLS 1.3 mutual', holdsAgainst(T13({ mutual: true }), run, certs));
    });

    it('resumed with a ticket (psk_dhe_ke): no Certificate, no CertificateVerify, one round trip (Figure 3)', async () => {
      // Tickets are on here; the model leaves out the server's post-handshake NewSessionTickets.
      const [first, second] = await withServer(['-tls1_3'], async (port) => {
        const a = await nodeSession(port, TLS13, REQUEST);
        expect(a.session, 'a ticket to resume with').toBeDefined();
        return [a, await nodeSession(port, { ...TLS13, session: a.session }, REQUEST)];
      });
      expect([first.reused, second.reused]).toEqual([false, true]);
      holdsAgainst(T13(), first, certs);
      log('TLS 1.3 resumed', holdsAgainst(T13({ mode: 'psk' }), second, certs));
    });

    it('a certificate larger than a record: its Certificate message spans two records, 22 bytes of overhead each', async () => {
      const large = await makeLargeCertificate(server.dir, 20_000);
      const run = await withServer(NO_TICKETS, (port) => nodeSession(port, TLS13, REQUEST), large);
      const seen = holdsAgainst(T13(), run, { ...certs, serverChain: [await derLength(large.cert)] });
      const certificate = seen[1]!.messages.find((m) => m.name === 'Certificate')!;
      expect(certificate.bytes).toBeGreaterThan(16384 + 22);
      log('TLS 1.3 with a large certificate', seen);
    });
  });
});
