import { expect, it } from 'vitest';
import { task, graded, vectors, forAll, fc, outcome, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { MAX_BODY, MAX_FRAGMENT, QUIC, type AmplificationInput, type Flight, type Handshake, type Network, type Protection, type Sizes } from './types';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

const typed = (code: string) => ({ ok: false, error: 'FlightError', code });

// ---- Flights written the way RFC 8446 §2 writes them ----------------------------------------------
// "C: a, b | S: c" is a client flight, then a server flight. A bare name is plaintext, {Name}
// handshake keys, [Name] application keys, (Name) early keys, and <Name> QUIC's Initial keys.
const BRACKETS: Record<string, Protection> = { '{': 'handshake', '[': 'application', '(': 'early', '<': 'initial' };
const CLOSE: Record<Protection, string> = { plaintext: '', handshake: '}', application: ']', early: ')', initial: '>' };
const OPEN: Record<Protection, string> = { plaintext: '', handshake: '{', application: '[', early: '(', initial: '<' };

/** Flights as that text, or what went wrong: the form every flight test compares. */
function show(fn: () => Flight[]): unknown {
  const r = outcome(fn);
  if (!r.ok) return r;
  try {
    return r.value
      .map((f) => `${f.from === 'client' ? 'C' : f.from === 'server' ? 'S' : `?${String(f.from)}`}: ${f.messages.map((m) => (m.key in OPEN ? `${OPEN[m.key]}${m.name}${CLOSE[m.key]}` : `?${m.name}?${String(m.key)}`)).join(', ')}`)
      .join(' | ');
  } catch {
    return { ok: true, notFlights: JSON.stringify(r.value) };
  }
}
// (The parser is only used to check that a vector is well formed.)
function parse(text: string): Flight[] {
  return text.split('|').map((part) => {
    const [who, list] = part.split(':') as [string, string];
    return {
      from: who.trim() === 'C' ? 'client' : 'server',
      messages: list.split(',').map((t) => {
        const tok = t.trim();
        const key = BRACKETS[tok[0]!];
        return key ? { name: tok.slice(1, -1), key } : { name: tok, key: 'plaintext' };
      }),
    } as Flight;
  });
}

// ---- Every handshake the model knows, and some it refuses -------------------------------------------
const opt = <T>(xs: readonly T[]) => [undefined, ...xs];
const ALL: Handshake[] = [];
for (const mode of ['full', 'resumed'] as const)
  for (const keyExchange of opt(['ecdhe', 'rsa'] as const))
    for (const mutual of opt([false, true])) for (const falseStart of opt([false, true])) for (const ticket of opt([false, true]))
      ALL.push({ protocol: 'tls1.2', mode, keyExchange, mutual, falseStart, ticket });
for (const mode of ['full', 'hrr', 'psk', '0rtt'] as const) {
  for (const mutual of opt([false, true])) {
    for (const compat of opt([false, true])) ALL.push({ protocol: 'tls1.3', mode, mutual, compat });
    ALL.push({ protocol: 'quic', mode, mutual });
  }
}
const VALID = ALL.filter((h) => outcome(() => reference.flights(h)).ok);
const INVALID: Handshake[] = [
  { protocol: 'tls1.2', mode: 'hrr' } as unknown as Handshake,
  { protocol: 'tls1.3', mode: 'resumed' } as unknown as Handshake,
  { protocol: 'quic', mode: 'full+retry' } as unknown as Handshake,
  { protocol: 'ssl3', mode: 'full' } as unknown as Handshake,
  { protocol: 'tls1.2', mode: 'full', keyExchange: 'dhe' } as unknown as Handshake,
];
const arbHandshake = fc.constantFrom(...ALL, ...INVALID);
const arbValid = fc.constantFrom(...VALID);

const T12 = (more: Partial<Extract<Handshake, { protocol: 'tls1.2' }>> = {}): Handshake => ({ protocol: 'tls1.2', mode: 'full', ...more });
const T13 = (more: Partial<Extract<Handshake, { protocol: 'tls1.3' }>> = {}): Handshake => ({ protocol: 'tls1.3', mode: 'full', ...more });
const Q = (more: Partial<Extract<Handshake, { protocol: 'quic' }>> = {}): Handshake => ({ protocol: 'quic', mode: 'full', ...more });

// =============================================================================================

task('flights', () => {
  // Worked by hand from each figure: the arrows are the flights.
  const FIGURES = [
    { name: 'RFC 5246 Figure 1, ECDHE: ServerKeyExchange, then two round trips', h: T12(),
      want: 'C: ClientHello | S: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone | C: ClientKeyExchange, ChangeCipherSpec, [Finished] | S: ChangeCipherSpec, [Finished] | C: [ApplicationData]' },
    { name: 'RFC 5246 Figure 1 with RSA key transport: no ServerKeyExchange (§7.4.3)', h: T12({ keyExchange: 'rsa' }),
      want: 'C: ClientHello | S: ServerHello, Certificate, ServerHelloDone | C: ClientKeyExchange, ChangeCipherSpec, [Finished] | S: ChangeCipherSpec, [Finished] | C: [ApplicationData]' },
    { name: "RFC 5246 Figure 1 with a client certificate: CertificateRequest, the client's Certificate and CertificateVerify", h: T12({ mutual: true }),
      want: 'C: ClientHello | S: ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone | C: Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, [Finished] | S: ChangeCipherSpec, [Finished] | C: [ApplicationData]' },
    { name: 'RFC 5246 Figure 1, RSA key transport and a client certificate', h: T12({ keyExchange: 'rsa', mutual: true }),
      want: 'C: ClientHello | S: ServerHello, Certificate, CertificateRequest, ServerHelloDone | C: Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, [Finished] | S: ChangeCipherSpec, [Finished] | C: [ApplicationData]' },
    { name: 'RFC 5246 Figure 2, the abbreviated handshake: the server finishes first', h: T12({ mode: 'resumed' }),
      want: 'C: ClientHello | S: ServerHello, ChangeCipherSpec, [Finished] | C: ChangeCipherSpec, [Finished], [ApplicationData]' },
    { name: 'RFC 5077 §3.1 Figure 1: NewSessionTicket before the server\'s ChangeCipherSpec', h: T12({ ticket: true }),
      want: 'C: ClientHello | S: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone | C: ClientKeyExchange, ChangeCipherSpec, [Finished] | S: NewSessionTicket, ChangeCipherSpec, [Finished] | C: [ApplicationData]' },
    { name: 'RFC 5077 §3.1 Figure 2: resumed with a ticket, the server renewing it', h: T12({ mode: 'resumed', ticket: true }),
      want: 'C: ClientHello | S: ServerHello, NewSessionTicket, ChangeCipherSpec, [Finished] | C: ChangeCipherSpec, [Finished], [ApplicationData]' },
    { name: 'RFC 7918 False Start: the request right behind the client\'s Finished', h: T12({ falseStart: true, ticket: true }),
      want: 'C: ClientHello | S: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone | C: ClientKeyExchange, ChangeCipherSpec, [Finished], [ApplicationData] | S: NewSessionTicket, ChangeCipherSpec, [Finished]' },
    { name: 'RFC 8446 Figure 1, the full handshake', h: T13(),
      want: 'C: ClientHello | S: ServerHello, {EncryptedExtensions}, {Certificate}, {CertificateVerify}, {Finished} | C: {Finished}, [ApplicationData]' },
    { name: 'RFC 8446 §4.3.2: CertificateRequest after EncryptedExtensions, the client\'s certificate before its Finished', h: T13({ mutual: true }),
      want: 'C: ClientHello | S: ServerHello, {EncryptedExtensions}, {CertificateRequest}, {Certificate}, {CertificateVerify}, {Finished} | C: {Certificate}, {CertificateVerify}, {Finished}, [ApplicationData]' },
    { name: 'RFC 8446 Figure 2, HelloRetryRequest', h: T13({ mode: 'hrr' }),
      want: 'C: ClientHello | S: HelloRetryRequest | C: ClientHello | S: ServerHello, {EncryptedExtensions}, {Certificate}, {CertificateVerify}, {Finished} | C: {Finished}, [ApplicationData]' },
    { name: 'RFC 8446 Figure 3, the resumed handshake: no Certificate, no CertificateVerify', h: T13({ mode: 'psk' }),
      want: 'C: ClientHello | S: ServerHello, {EncryptedExtensions}, {Finished} | C: {Finished}, [ApplicationData]' },
    { name: 'RFC 8446 Figure 4, 0-RTT: early data with the ClientHello, EndOfEarlyData under the early keys', h: T13({ mode: '0rtt' }),
      want: 'C: ClientHello, (ApplicationData) | S: ServerHello, {EncryptedExtensions}, {Finished} | C: (EndOfEarlyData), {Finished}' },
    { name: 'RFC 9000 §7.1 Figure 5: QUIC\'s 1-RTT handshake, hellos in Initial packets', h: Q(),
      want: 'C: <ClientHello> | S: <ServerHello>, {EncryptedExtensions}, {Certificate}, {CertificateVerify}, {Finished} | C: {Finished}, [ApplicationData]' },
    { name: 'RFC 9000 §7.1 Figure 6: QUIC 0-RTT, with no EndOfEarlyData (RFC 9001 §8.3)', h: Q({ mode: '0rtt' }),
      want: 'C: <ClientHello>, (ApplicationData) | S: <ServerHello>, {EncryptedExtensions}, {Finished} | C: {Finished}' },
  ];
  vectors(FIGURES, ({ h, want }) => {
    expect(parse(want).length).toBeGreaterThan(0);
    expect(show(() => learner.flights(h))).toEqual(want);
  });

  // RFC 8446 Appendix D.4, and what OpenSSL 3.0 sends (the chapter's measured flights).
  const COMPAT = [
    { name: 'compatibility mode, full handshake: one ChangeCipherSpec each side', h: T13({ compat: true }),
      want: 'C: ClientHello | S: ServerHello, ChangeCipherSpec, {EncryptedExtensions}, {Certificate}, {CertificateVerify}, {Finished} | C: ChangeCipherSpec, {Finished}, [ApplicationData]' },
    { name: 'compatibility mode with HelloRetryRequest: each ChangeCipherSpec once, in the first exchange', h: T13({ mode: 'hrr', compat: true }),
      want: 'C: ClientHello | S: HelloRetryRequest, ChangeCipherSpec | C: ChangeCipherSpec, ClientHello | S: ServerHello, {EncryptedExtensions}, {Certificate}, {CertificateVerify}, {Finished} | C: {Finished}, [ApplicationData]' },
    { name: 'compatibility mode with 0-RTT: the client\'s ChangeCipherSpec right after its ClientHello', h: T13({ mode: '0rtt', compat: true }),
      want: 'C: ClientHello, ChangeCipherSpec, (ApplicationData) | S: ServerHello, ChangeCipherSpec, {EncryptedExtensions}, {Finished} | C: (EndOfEarlyData), {Finished}' },
  ];
  vectors(COMPAT, ({ h, want }) => {
    expect(show(() => learner.flights(h))).toEqual(want);
  });

  it('QUIC with HelloRetryRequest and with a client certificate: the TLS 1.3 flights, in Initial and Handshake packets', () => {
    expect(show(() => learner.flights(Q({ mode: 'hrr' })))).toEqual(
      'C: <ClientHello> | S: <HelloRetryRequest> | C: <ClientHello> | S: <ServerHello>, {EncryptedExtensions}, {Certificate}, {CertificateVerify}, {Finished} | C: {Finished}, [ApplicationData]');
    expect(show(() => learner.flights(Q({ mutual: true })))).toEqual(
      'C: <ClientHello> | S: <ServerHello>, {EncryptedExtensions}, {CertificateRequest}, {Certificate}, {CertificateVerify}, {Finished} | C: {Certificate}, {CertificateVerify}, {Finished}, [ApplicationData]');
  });

  graded('agrees with the reference on every handshake the model knows, and on some it refuses', 2, () => {
    forAll(arbHandshake, (h) => {
      expect(show(() => learner.flights(h))).toEqual(show(() => reference.flights(h)));
    }, 200);
  });

  it('what holds for every handshake: flights alternate from the client, one Finished each side, one request', () => {
    for (const h of VALID) {
      const r = outcome(() => learner.flights(h));
      expect(r.ok, JSON.stringify(h)).toBe(true);
      if (!r.ok) continue;
      const fl = r.value;
      const label = JSON.stringify(h);
      expect(fl[0]?.from, label).toBe('client');
      fl.forEach((f, i) => {
        expect(f.messages.length, label).toBeGreaterThan(0);
        if (i > 0) expect(f.from, label).not.toBe(fl[i - 1]!.from);
      });
      const all = fl.flatMap((f) => f.messages.map((msg) => ({ ...msg, from: f.from })));
      expect(all.filter((x) => x.name === 'Finished').map((x) => x.from).sort(), label).toEqual(['client', 'server']);
      expect(all.filter((x) => x.name === 'ApplicationData').map((x) => x.from), label).toEqual(['client']);
      // TLS 1.3 encrypts everything of the server's after its ServerHello but the dummy ChangeCipherSpec.
      if (h.protocol !== 'tls1.2') {
        const server = all.filter((x) => x.from === 'server');
        const sh = server.findIndex((x) => x.name === 'ServerHello');
        for (const x of server.slice(sh + 1)) if (x.name !== 'ChangeCipherSpec') expect(x.key, label).toBe('handshake');
      }
    }
  });

  it('refuses handshakes that cannot happen, with the code that says why', () => {
    expect(show(() => learner.flights({ protocol: 'tls1.2', mode: 'hrr' } as unknown as Handshake))).toEqual(typed('unknown-handshake'));
    expect(show(() => learner.flights({ protocol: 'ssl3', mode: 'full' } as unknown as Handshake))).toEqual(typed('unknown-handshake'));
    expect(show(() => learner.flights(T12({ mode: 'resumed', falseStart: true })))).toEqual(typed('bad-false-start'));
    expect(show(() => learner.flights(T12({ keyExchange: 'rsa', falseStart: true })))).toEqual(typed('bad-false-start'));
    expect(show(() => learner.flights(T12({ mode: 'resumed', mutual: true })))).toEqual(typed('mutual-resumed'));
    expect(show(() => learner.flights(T13({ mode: 'psk', mutual: true })))).toEqual(typed('mutual-resumed'));
    expect(show(() => learner.flights(Q({ mode: '0rtt', mutual: true })))).toEqual(typed('mutual-resumed'));
  });
});

// =============================================================================================

task('round-trips', () => {
  // The https chapter's table: 50 ms round trips; the last column adds a 50 ms DNS lookup.
  const TABLE = [
    { what: 'TCP, then a full TLS 1.2 handshake', h: T12(), rt: 4, at50: 200, dns: 250 },
    { what: 'TCP, then TLS 1.2 with False Start', h: T12({ falseStart: true }), rt: 3, at50: 150, dns: 200 },
    { what: 'TCP, then TLS 1.2 resumed', h: T12({ mode: 'resumed' }), rt: 3, at50: 150, dns: 200 },
    { what: 'TCP, then TLS 1.3', h: T13(), rt: 3, at50: 150, dns: 200 },
    { what: 'TCP, then TLS 1.3 resumed', h: T13({ mode: 'psk' }), rt: 3, at50: 150, dns: 200 },
    { what: 'TCP, then TLS 1.3 with a HelloRetryRequest', h: T13({ mode: 'hrr' }), rt: 4, at50: 200, dns: 250 },
    { what: 'TCP, then TLS 1.3 resumed with 0-RTT early data', h: T13({ mode: '0rtt' }), rt: 2, at50: 100, dns: 150 },
    { what: 'QUIC, first connection', h: Q(), rt: 2, at50: 100, dns: 150 },
    { what: 'QUIC, resumed with 0-RTT', h: Q({ mode: '0rtt' }), rt: 1, at50: 50, dns: 100 },
  ];
  const timing = (h: Handshake, net: Network) => {
    const r = outcome(() => learner.firstByte(h, net));
    return r.ok ? { roundTrips: r.value.roundTrips, requestSent: r.value.requestSent, firstByte: r.value.firstByte } : r;
  };

  graded("the chapter's table of round trips before the first byte, at 50 ms, with and without a DNS lookup", 2, () => {
    for (const row of TABLE) {
      const plain = timing(row.h, { rtt: 50 });
      const dns = timing(row.h, { rtt: 50, dns: 50 });
      expect({ row: row.what, roundTrips: (plain as { roundTrips?: number }).roundTrips, at50: (plain as { firstByte?: number }).firstByte, dns: (dns as { firstByte?: number }).firstByte, dnsRoundTrips: (dns as { roundTrips?: number }).roundTrips })
        .toEqual({ row: row.what, roundTrips: row.rt, at50: row.at50, dns: row.dns, dnsRoundTrips: row.rt });
    }
  });

  it("the QUIC chapter's rows: a Retry, and a first flight over the amplification limit, each cost a round trip", () => {
    expect(timing(Q(), { rtt: 50, retry: true })).toEqual({ roundTrips: 3, requestSent: 100, firstByte: 150 });
    expect(timing(Q(), { rtt: 50, extraRoundTrips: 1 })).toEqual({ roundTrips: 3, requestSent: 100, firstByte: 150 });
    expect(timing(Q({ mode: '0rtt' }), { rtt: 50 })).toEqual({ roundTrips: 1, requestSent: 0, firstByte: 50 });
  });

  it('the handshake round trips of each RFC figure', () => {
    const got = [T12(), T12({ mutual: true }), T12({ mode: 'resumed' }), T12({ falseStart: true }), T13(), T13({ mode: 'hrr' }), T13({ mode: 'psk' }), T13({ mode: '0rtt' }), Q(), Q({ mode: 'hrr' }), Q({ mode: '0rtt' })]
      .map((h) => outcome(() => learner.roundTrips(h)));
    expect(got).toEqual([2, 2, 1, 1, 1, 2, 1, 0, 1, 2, 0].map((value) => ({ ok: true, value })));
  });

  it('when the request leaves and when the answer starts: DNS, TCP, the handshake, then one round trip and the server\'s time', () => {
    // 20 ms of DNS, 80 ms round trips, 15 ms at the server.
    expect(timing(T12(), { rtt: 80, dns: 20, server: 15 })).toEqual({ roundTrips: 4, requestSent: 20 + 3 * 80, firstByte: 20 + 4 * 80 + 15 });
    expect(timing(T13(), { rtt: 80, dns: 20, server: 15, fastOpen: true })).toEqual({ roundTrips: 2, requestSent: 20 + 80, firstByte: 20 + 2 * 80 + 15 });
    expect(timing(T13({ mode: '0rtt' }), { rtt: 80, fastOpen: true })).toEqual({ roundTrips: 1, requestSent: 0, firstByte: 80 });
    expect(timing(Q({ mode: 'hrr' }), { rtt: 30, server: 5, retry: true })).toEqual({ roundTrips: 4, requestSent: 90, firstByte: 125 });
  });

  it('the invariants: TLS 1.3 one round trip under TLS 1.2, HelloRetryRequest one more, a client certificate none, QUIC one under TCP', () => {
    const rt = (h: Handshake) => outcome(() => learner.roundTrips(h));
    const value = (n: number) => ({ ok: true, value: n });
    for (const mutual of [false, true]) {
      const full12 = reference.roundTrips(T12({ mutual }));
      expect(rt(T13({ mutual }))).toEqual(value(full12 - 1));
      expect(rt(T13({ mutual, mode: 'hrr', compat: true }))).toEqual(value(reference.roundTrips(T13({ mutual })) + 1));
      expect(rt(T12({ mutual }))).toEqual(rt(T12()));
      expect(rt(T13({ mutual }))).toEqual(rt(T13()));
      expect(rt(T12({ mutual, falseStart: true }))).toEqual(value(full12 - 1));
    }
    for (const h of VALID) {
      if (h.protocol !== 'quic') continue;
      for (const rtt of [10, 50, 120]) {
        const quic = outcome(() => learner.firstByte(h, { rtt }));
        const tcp = reference.firstByte({ protocol: 'tls1.3', mode: h.mode, mutual: h.mutual }, { rtt });
        expect({ h, rtt, quic }).toEqual({ h, rtt, quic: { ok: true, value: { roundTrips: tcp.roundTrips - 1, requestSent: tcp.requestSent - rtt, firstByte: tcp.firstByte - rtt } } });
      }
    }
  });

  graded('agrees with the reference on generated handshakes and networks', 2, () => {
    const delay = fc.oneof(fc.integer({ min: 0, max: 500 }), fc.double({ min: 0, max: 300, noNaN: true }), fc.constantFrom(-1, Number.NaN, Infinity));
    const net = fc.record({
      rtt: delay,
      dns: fc.option(delay, { nil: undefined }),
      server: fc.option(delay, { nil: undefined }),
      fastOpen: fc.option(fc.boolean(), { nil: undefined }),
      retry: fc.option(fc.boolean(), { nil: undefined }),
      extraRoundTrips: fc.option(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 0.5)), { nil: undefined }),
    });
    forAll(fc.tuple(arbHandshake, net), ([h, n]) => {
      expect(outcome(() => learner.firstByte(h, n))).toEqual(outcome(() => reference.firstByte(h, n)));
      expect(outcome(() => learner.roundTrips(h))).toEqual(outcome(() => reference.roundTrips(h)));
    }, 300);
  });

  it('refuses negative or infinite delays, and a Retry over TCP or Fast Open for QUIC', () => {
    expect(outcome(() => learner.firstByte(T13(), { rtt: -1 }))).toEqual(typed('bad-delay'));
    expect(outcome(() => learner.firstByte(T13(), { rtt: 50, dns: Number.NaN }))).toEqual(typed('bad-delay'));
    expect(outcome(() => learner.firstByte(T13(), { rtt: 50, server: Infinity }))).toEqual(typed('bad-delay'));
    expect(outcome(() => learner.firstByte(T13(), { rtt: 50, extraRoundTrips: 0.5 }))).toEqual(typed('bad-delay'));
    expect(outcome(() => learner.firstByte(T13(), { rtt: 50, retry: true }))).toEqual(typed('wrong-transport'));
    expect(outcome(() => learner.firstByte(Q(), { rtt: 50, fastOpen: true }))).toEqual(typed('wrong-transport'));
    expect(outcome(() => learner.firstByte(T12({ mode: 'resumed', mutual: true }), { rtt: -1 }))).toEqual(typed('mutual-resumed'));
  });
});

// =============================================================================================

// Sizes measured with OpenSSL 3.0 (s_server and s_client -servername localhost, as in the
// chapter): the bodies of the messages that are mostly extensions. The certificates are the
// chapter's: ECDSA self-signed 406 bytes, RSA-2048 803, RSA leaf + intermediate 887 + 891,
// ECDSA leaf + intermediate 491 + 495. ECDSA signatures are 70 to 72 bytes; RSA-2048's 256.
const S12: Sizes = { clientHello: 197, serverHello: 61, newSessionTicket: 182, keyShare: 32, explicitNonce: 8, request: 0 };
const S13: Sizes = { clientHello: 234, serverHello: 118, encryptedExtensions: 2, hashLength: 48, request: 0 };
const TICKET = T12({ ticket: true });
const COMPAT13 = T13({ compat: true });

task('flight-bytes', () => {
  const totals = (h: Handshake, s: Sizes) => {
    const r = outcome(() => learner.flightBytes(h, s));
    return r.ok ? r.value.map((f) => f.bytes) : r;
  };
  const perMessage = (h: Handshake, s: Sizes, flight: number) => {
    const r = outcome(() => learner.flightBytes(h, s));
    return r.ok ? r.value[flight]?.messages.map((m) => `${m.name} ${m.bytes}`) : r;
  };
  const ok = (value: unknown) => ({ ok: true, value });

  it('the Certificate body: RFC 5246 §7.4.2 and RFC 8446 §4.4.2', () => {
    expect(outcome(() => learner.certificateBody('tls1.2', [406]))).toEqual(ok(3 + 3 + 406));
    expect(outcome(() => learner.certificateBody('tls1.3', [406]))).toEqual(ok(1 + 3 + 3 + 406 + 2));
    expect(outcome(() => learner.certificateBody('tls1.2', [887, 891]))).toEqual(ok(3 + 890 + 894));
    expect(outcome(() => learner.certificateBody('quic', [887, 891]))).toEqual(ok(1 + 3 + 892 + 896));
  });

  it('records: 5 bytes of header; TLS 1.3 adds the content type and the tag, TLS 1.2 the explicit nonce and the tag', () => {
    const rb = (p: 'tls1.2' | 'tls1.3', key: Protection, n: number, nonce?: number) => outcome(() => learner.recordBytes(p, key, n, nonce));
    expect(rb('tls1.3', 'plaintext', 122)).toEqual(ok(127));
    expect(rb('tls1.3', 'handshake', 6)).toEqual(ok(28));
    expect(rb('tls1.3', 'early', 35)).toEqual(ok(57));
    expect(rb('tls1.2', 'application', 16, 8)).toEqual(ok(45));
    expect(rb('tls1.2', 'application', 16, 0)).toEqual(ok(37));
    expect(rb('tls1.2', 'plaintext', 1)).toEqual(ok(6));
    expect(rb('tls1.3', 'application', 0)).toEqual(ok(0));
  });

  it('a record carries at most 2^14 bytes: one byte more takes a second record', () => {
    const rb = (p: 'tls1.2' | 'tls1.3', key: Protection, n: number) => outcome(() => learner.recordBytes(p, key, n, 8));
    expect(rb('tls1.2', 'plaintext', MAX_FRAGMENT)).toEqual(ok(MAX_FRAGMENT + 5));
    expect(rb('tls1.2', 'plaintext', MAX_FRAGMENT + 1)).toEqual(ok(MAX_FRAGMENT + 1 + 10));
    expect(rb('tls1.3', 'handshake', 3 * MAX_FRAGMENT)).toEqual(ok(3 * MAX_FRAGMENT + 3 * 22));
    expect(rb('tls1.3', 'handshake', 3 * MAX_FRAGMENT + 1)).toEqual(ok(3 * MAX_FRAGMENT + 1 + 4 * 22));
  });

  graded("the chapter's breakdown of TLS 1.3's server flight: 778 bytes with an ECDSA certificate, 2,339 with an RSA chain", 2, () => {
    expect(perMessage(COMPAT13, { ...S13, serverChain: [406], serverSignature: 72 }, 1))
      .toEqual(['ServerHello 127', 'ChangeCipherSpec 6', 'EncryptedExtensions 28', 'Certificate 441', 'CertificateVerify 102', 'Finished 74']);
    expect(perMessage(COMPAT13, { ...S13, serverChain: [887, 891], serverSignature: 256 }, 1))
      .toEqual(['ServerHello 127', 'ChangeCipherSpec 6', 'EncryptedExtensions 28', 'Certificate 1818', 'CertificateVerify 286', 'Finished 74']);
    expect(totals(COMPAT13, { ...S13, serverChain: [406], serverSignature: 72 })).toEqual([243, 778, 80]);
    expect(totals(COMPAT13, { ...S13, serverChain: [887, 891], serverSignature: 256 })).toEqual([243, 2339, 80]);
  });

  // The chapter's table of measured bytes per flight; `request: 0` because those runs sent none.
  it("the chapter's TLS 1.2 rows: ECDSA, RSA-2048, an RSA chain, RSA key transport", () => {
    expect(totals(TICKET, { ...S12, serverChain: [406], serverSignature: 71 })).toEqual([206, 620, 93, 242, 0]);
    expect(totals(TICKET, { ...S12, serverChain: [803], serverSignature: 256 })).toEqual([206, 1202, 93, 242, 0]);
    expect(totals(TICKET, { ...S12, serverChain: [887, 891], serverSignature: 256 })).toEqual([206, 2180, 93, 242, 0]);
    expect(totals(T12({ ticket: true, keyExchange: 'rsa' }), { ...S12, clientHello: 121, serverHello: 53, serverChain: [803], rsaModulus: 256 })).toEqual([130, 889, 318, 242, 0]);
  });

  it("the chapter's TLS 1.3 rows: ECDSA, RSA-2048, both chains", () => {
    expect(totals(COMPAT13, { ...S13, serverChain: [406], serverSignature: 72 })).toEqual([243, 778, 80]);
    expect(totals(COMPAT13, { ...S13, serverChain: [803], serverSignature: 256 })).toEqual([243, 1359, 80]);
    expect(totals(COMPAT13, { ...S13, serverChain: [887, 891], serverSignature: 256 })).toEqual([243, 2339, 80]);
    expect(totals(COMPAT13, { ...S13, serverChain: [491, 495], serverSignature: 71 })).toEqual([243, 1362, 80]);
  });

  it("the chapter's resumption rows: TLS 1.2 with a ticket, TLS 1.3 psk_dhe_ke, 0-RTT with a 35-byte request", () => {
    expect(totals(T12({ mode: 'resumed' }), { ...S12, clientHello: 405, serverHello: 81 })).toEqual([414, 141, 51]);
    expect(totals(T13({ mode: 'psk', compat: true }), { ...S13, clientHello: 505, serverHello: 124 })).toEqual([514, 241, 80]);
    expect(perMessage(T13({ mode: '0rtt', compat: true }), { ...S13, clientHello: 333, serverHello: 124, encryptedExtensions: 6, request: 35 }, 0))
      .toEqual(['ClientHello 342', 'ChangeCipherSpec 6', 'ApplicationData 57']);
    expect(totals(T13({ mode: '0rtt', compat: true }), { ...S13, clientHello: 333, serverHello: 124, encryptedExtensions: 6, request: 35 })).toEqual([405, 245, 100]);
  });

  it("the chapter's HelloRetryRequest row: 227, 99, 266 after the retry, 804, 74", () => {
    const s = { ...S13, clientHello: 218, helloRetryRequest: 84, clientHelloAfterRetry: 251, serverHello: 151, serverChain: [406], serverSignature: 71 };
    expect(totals(T13({ mode: 'hrr', compat: true }), s)).toEqual([227, 99, 266, 804, 74]);
  });

  it("mutual TLS: the chapter's server flights (698, 872), the client's with a 378-byte certificate as measured", () => {
    const tls12 = { ...S12, serverChain: [406], serverSignature: 71, certificateRequest: 69, clientChain: [378], clientSignature: 71, newSessionTicket: 566 };
    expect(totals(T12({ mutual: true, ticket: true }), tls12)).toEqual([206, 698, 570, 626, 0]);
    const tls13 = { ...S13, serverChain: [406], serverSignature: 72, certificateRequest: 68, clientChain: [378], clientSignature: 72 };
    expect(totals(T13({ mutual: true, compat: true }), tls13)).toEqual([243, 872, 595]);
    expect(perMessage(T13({ mutual: true, compat: true }), tls13, 2)).toEqual(['ChangeCipherSpec 6', 'Certificate 413', 'CertificateVerify 102', 'Finished 74', 'ApplicationData 0']);
  });

  it('a certificate over 16 KiB: its Certificate message takes two records', () => {
    // TLS 1.3: body 1 + 3 + 3 + 20,000 + 2 = 20,009, message 20,013: records of 16,384 and 3,629.
    const nth = (h: Handshake, s: Sizes, i: number) => {
      const r = perMessage(h, s, 1);
      return Array.isArray(r) ? r[i] : r;
    };
    expect(nth(T13(), { ...S13, serverChain: [20000], serverSignature: 256 }, 2)).toEqual(`Certificate ${20013 + 2 * 22}`);
    // TLS 1.2: a message of exactly 16,384 bytes is one record; one byte more, two.
    expect(nth(T12(), { ...S12, serverChain: [16374], serverSignature: 256 }, 1)).toEqual(`Certificate ${16384 + 5}`);
    expect(nth(T12(), { ...S12, serverChain: [16375], serverSignature: 256 }, 1)).toEqual(`Certificate ${16385 + 10}`);
  });

  it('QUIC carries the same messages without records or ChangeCipherSpec: the bytes of the CRYPTO stream', () => {
    const s = { ...S13, serverHello: 86, encryptedExtensions: 86, hashLength: 32, serverChain: [887, 891], serverSignature: 256, request: 18 };
    expect(perMessage(Q(), s, 1)).toEqual(['ServerHello 90', 'EncryptedExtensions 90', 'Certificate 1796', 'CertificateVerify 264', 'Finished 36']);
    expect(totals(Q(), s)).toEqual([238, 90 + 90 + 1796 + 264 + 36, 36 + 18]);
  });

  graded('agrees with the reference on generated handshakes and sizes', 2, () => {
    const size = (max: number) => fc.oneof(fc.integer({ min: 0, max }), fc.integer({ min: 0, max }), fc.constantFrom(-1, 2.5, MAX_BODY + 1));
    const chain = fc.oneof(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 4 }), fc.constant([] as number[]), fc.constant([0]));
    const sizes = fc.record(
      {
        clientHello: size(2000), clientHelloAfterRetry: size(2000), serverHello: size(300), helloRetryRequest: size(200), encryptedExtensions: size(200),
        certificateRequest: size(300), newSessionTicket: size(800), serverChain: chain, serverSignature: size(512), clientChain: chain, clientSignature: size(512),
        keyShare: size(1300), rsaModulus: size(512), hashLength: fc.constantFrom(32, 48), explicitNonce: fc.constantFrom(0, 8), request: size(40000),
      },
      { requiredKeys: [] },
    ) as fc.Arbitrary<Sizes>;
    forAll(fc.tuple(arbHandshake, sizes), ([h, s]) => {
      expect(outcome(() => learner.flightBytes(h, s))).toEqual(outcome(() => reference.flightBytes(h, s)));
    }, 400);
  });

  graded('agrees with the reference on every valid handshake with complete, valid sizes', 2, () => {
    const full = fc.record({
      clientHello: fc.integer({ min: 40, max: 1800 }), clientHelloAfterRetry: fc.integer({ min: 40, max: 1800 }), serverHello: fc.integer({ min: 40, max: 1200 }),
      helloRetryRequest: fc.integer({ min: 40, max: 200 }), encryptedExtensions: fc.integer({ min: 2, max: 200 }), certificateRequest: fc.integer({ min: 10, max: 300 }),
      newSessionTicket: fc.integer({ min: 10, max: 800 }), serverChain: fc.array(fc.integer({ min: 300, max: 9000 }), { minLength: 1, maxLength: 4 }),
      serverSignature: fc.constantFrom(64, 70, 71, 72, 256, 384, 512), clientChain: fc.array(fc.integer({ min: 300, max: 3000 }), { minLength: 1, maxLength: 2 }),
      clientSignature: fc.constantFrom(71, 72, 256), keyShare: fc.constantFrom(32, 56, 65, 97, 1216), rsaModulus: fc.constantFrom(128, 256, 512),
      hashLength: fc.constantFrom(32, 48), explicitNonce: fc.constantFrom(0, 8), request: fc.integer({ min: 0, max: 40000 }),
    });
    forAll(fc.tuple(arbValid, full), ([h, s]) => {
      expect(outcome(() => learner.flightBytes(h, s))).toEqual(outcome(() => reference.flightBytes(h, s)));
    }, 300);
  });

  it('each flight is the sum of its messages, the request only counts where it is sent, and a certificate byte more is a flight byte more', () => {
    const base = { ...S13, ...S12, serverChain: [1000, 1200], serverSignature: 256, clientChain: [900], clientSignature: 72, certificateRequest: 60, helloRetryRequest: 84, clientHelloAfterRetry: 251, rsaModulus: 256 };
    for (const h of VALID) {
      const a = outcome(() => learner.flightBytes(h, { ...base, request: 100 }));
      const b = outcome(() => learner.flightBytes(h, { ...base, request: 101, serverChain: [1000, 1201] }));
      expect(a.ok && b.ok, JSON.stringify(h)).toBe(true);
      if (!a.ok || !b.ok) continue;
      const fl = reference.flights(h);
      expect(a.value.map((f) => f.from), JSON.stringify(h)).toEqual(fl.map((f) => f.from));
      for (const f of a.value) expect(f.bytes, JSON.stringify(h)).toBe(f.messages.reduce((sum, x) => sum + x.bytes, 0));
      const grew = a.value.map((f, i) => b.value[i]!.bytes - f.bytes);
      const want = fl.map((f) => (f.messages.some((x) => x.name === 'ApplicationData') ? 1 : 0) + (f.from === 'server' && f.messages.some((x) => x.name === 'Certificate') ? 1 : 0));
      expect(grew, JSON.stringify(h)).toEqual(want);
    }
  });

  it('refuses bad sizes, names a missing one, and refuses a message longer than 2^24 − 1 bytes', () => {
    expect(outcome(() => learner.flightBytes(T13(), { ...S13, serverChain: [406], serverSignature: -1 }))).toEqual(typed('bad-size'));
    expect(outcome(() => learner.flightBytes(T13(), { ...S13, serverChain: [], serverSignature: 72 }))).toEqual(typed('bad-size'));
    expect(outcome(() => learner.flightBytes(T13(), { ...S13, serverChain: [406] }))).toEqual(typed('missing-size'));
    expect(outcome(() => learner.flightBytes(T12(), { ...S12, serverChain: [406], serverSignature: 71, keyShare: undefined }))).toEqual(typed('missing-size'));
    expect(outcome(() => learner.flightBytes(T13(), { ...S13, serverChain: [MAX_BODY], serverSignature: 72 }))).toEqual(typed('too-large'));
    expect(outcome(() => learner.certificateBody('tls1.2', [0]))).toEqual(typed('bad-size'));
    expect(outcome(() => learner.flightBytes(T12({ mode: 'resumed', falseStart: true }), S12))).toEqual(typed('bad-false-start'));
  });
});

// =============================================================================================

task('amplification', () => {
  const amp = (a: AmplificationInput) => outcome(() => learner.amplification(a));
  const ok = (value: unknown) => ({ ok: true, value });
  // TLS 1.3 in QUIC: a ServerHello without a session ID to echo; 90 bytes of EncryptedExtensions
  // with ALPN and the transport parameters; SHA-256 suites (a 36-byte Finished).
  const hs = (chain: number[], signature: number) => 90 + (4 + reference.certificateBody('quic', chain)) + (8 + signature) + 36;

  it("the client's first datagrams: its ClientHello in Initial packets of 1,200 bytes, padded", () => {
    expect(outcome(() => learner.clientDatagrams(300))).toEqual(ok([1200]));
    expect(outcome(() => learner.clientDatagrams(QUIC.datagram - QUIC.initialOverhead))).toEqual(ok([1200]));
    expect(outcome(() => learner.clientDatagrams(QUIC.datagram - QUIC.initialOverhead + 1))).toEqual(ok([1200, 1200]));
    // A post-quantum key share (X25519MLKEM768: 1,216 bytes) makes the ClientHello two datagrams.
    expect(outcome(() => learner.clientDatagrams(1500))).toEqual(ok([1200, 1200]));
  });

  it("the server's datagrams, worked by hand: the RSA chain in three, the ECDSA certificate in one", () => {
    // 2,186 bytes of Handshake data: 144 bytes of Initial packet, then Handshake packets of
    // 1,008, 1,152 and 26 bytes of data.
    expect(outcome(() => learner.serverDatagrams(90, hs([887, 891], 256)))).toEqual(ok([1200, 1200, 74]));
    expect(outcome(() => learner.serverDatagrams(90, hs([406], 72)))).toEqual(ok([1200]));
  });

  it('a datagram with an Initial packet is padded to 1,200 bytes; one with only Handshake packets is not', () => {
    // A resumed handshake: EncryptedExtensions and Finished only.
    expect(outcome(() => learner.serverDatagrams(96, 126))).toEqual(ok([1200]));
    // A ServerHello too big for one datagram (a post-quantum share: 1,088 more bytes) takes two Initials.
    expect(outcome(() => learner.serverDatagrams(1178, 700))).toEqual(ok([1200, 1200]));
    expect(outcome(() => learner.serverDatagrams(90, 1008 + 1152 + 1))).toEqual(ok([1200, 1200, 49]));
  });

  graded("the chapter's chains fit under 3 × 1,200 bytes; three certificates of 1,500 bytes do not, and cost a round trip", 2, () => {
    expect(amp({ clientHello: 300, serverInitial: 90, serverHandshake: hs([406], 72) })).toEqual(ok({ received: 1200, limit: 3600, datagrams: [1200], needed: 1200, sent: 1200, fits: true, extraRoundTrips: 0 }));
    expect(amp({ clientHello: 300, serverInitial: 90, serverHandshake: hs([887, 891], 256) })).toEqual(ok({ received: 1200, limit: 3600, datagrams: [1200, 1200, 74], needed: 2474, sent: 2474, fits: true, extraRoundTrips: 0 }));
    expect(amp({ clientHello: 300, serverInitial: 90, serverHandshake: hs([1500, 1500, 1500], 256) }))
      .toEqual(ok({ received: 1200, limit: 3600, datagrams: [1200, 1200, 1200, 1200, 497], needed: 5297, sent: 3600, fits: false, extraRoundTrips: 1 }));
  });

  it('a flight of exactly three times what was received fits', () => {
    // 1,008 + 1,152 + 1,104 bytes of Handshake data: the third datagram is exactly 1,200 bytes.
    expect(amp({ clientHello: 300, serverInitial: 90, serverHandshake: 1008 + 1152 + 1152 })).toEqual(ok({ received: 1200, limit: 3600, datagrams: [1200, 1200, 1200], needed: 3600, sent: 3600, fits: true, extraRoundTrips: 0 }));
    expect(amp({ clientHello: 300, serverInitial: 90, serverHandshake: 1008 + 1152 + 1153 })).toEqual(ok({ received: 1200, limit: 3600, datagrams: [1200, 1200, 1200, 49], needed: 3649, sent: 3600, fits: false, extraRoundTrips: 1 }));
  });

  it('a two-datagram ClientHello doubles the budget: the three-certificate chain fits after a post-quantum ClientHello', () => {
    const r = amp({ clientHello: 1500, serverInitial: 1178, serverHandshake: hs([1500, 1500, 1500], 256) });
    expect(r).toEqual(ok({ received: 2400, limit: 7200, datagrams: [1200, 1200, 1200, 1200, 1200, 434], needed: 6434, sent: 6434, fits: true, extraRoundTrips: 0 }));
  });

  it('a validated address has no limit; a chain of any size over it costs one round trip, not more', () => {
    const big = hs([4000, 4000, 4000], 512);
    const v = amp({ clientHello: 300, serverInitial: 90, serverHandshake: big, validated: true });
    expect(v.ok && (v as { value: { limit: number; fits: boolean; extraRoundTrips: number } }).value).toMatchObject({ limit: Infinity, fits: true, extraRoundTrips: 0 });
    const n = amp({ clientHello: 300, serverInitial: 90, serverHandshake: big });
    expect(n.ok && (n as { value: { sent: number; fits: boolean; extraRoundTrips: number } }).value).toMatchObject({ sent: 3600, fits: false, extraRoundTrips: 1 });
  });

  graded('agrees with the reference on generated flights', 1, () => {
    const n = (min: number, max: number) => fc.oneof(fc.integer({ min, max }), fc.integer({ min, max }), fc.integer({ min, max }), fc.constantFrom(-1, 0, 1.5));
    forAll(fc.record({ clientHello: n(1, 4000), serverInitial: n(1, 2500), serverHandshake: n(0, 20000), validated: fc.option(fc.boolean(), { nil: undefined }) }), (a) => {
      expect(outcome(() => learner.amplification(a))).toEqual(outcome(() => reference.amplification(a)));
      expect(outcome(() => learner.serverDatagrams(a.serverInitial, a.serverHandshake))).toEqual(outcome(() => reference.serverDatagrams(a.serverInitial, a.serverHandshake)));
    }, 300);
  });

  it('what holds for every flight: datagrams of at most 1,200 bytes, the sum within the limit, at most one extra round trip', () => {
    forAll(fc.record({ clientHello: fc.integer({ min: 1, max: 4000 }), serverInitial: fc.integer({ min: 1, max: 2500 }), serverHandshake: fc.integer({ min: 0, max: 20000 }) }), (a) => {
      const r = outcome(() => learner.amplification(a));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const v = r.value;
      expect(v.received % 1200).toBe(0);
      expect(v.limit).toBe(3 * v.received);
      for (const d of v.datagrams) expect(d).toBeLessThanOrEqual(1200);
      expect(v.datagrams[0]).toBe(1200);
      expect(v.needed).toBe(v.datagrams.reduce((x, y) => x + y, 0));
      // The data and one packet's overhead per datagram at least: nothing is lost in packing.
      expect(v.needed).toBeGreaterThanOrEqual(a.serverInitial + a.serverHandshake + v.datagrams.length * QUIC.handshakeOverhead);
      expect(v.sent).toBeLessThanOrEqual(v.limit);
      expect(v.fits).toBe(v.sent === v.needed);
      expect(v.extraRoundTrips).toBe(v.fits ? 0 : 1);
    }, 200);
  });

  it('refuses sizes that are not whole numbers, and an empty ClientHello or ServerHello', () => {
    expect(amp({ clientHello: 0, serverInitial: 90, serverHandshake: 100 })).toEqual(typed('bad-size'));
    expect(amp({ clientHello: 300, serverInitial: 0, serverHandshake: 100 })).toEqual(typed('bad-size'));
    expect(amp({ clientHello: 300, serverInitial: 90, serverHandshake: -5 })).toEqual(typed('bad-size'));
    expect(outcome(() => learner.clientDatagrams(2.5))).toEqual(typed('bad-size'));
  });
});
