// Bug: QUIC is charged TCP's handshake round trip too: it has none of its own.
/**
 * Handshake flights and round trips: which messages each side of TLS 1.2, TLS 1.3 and QUIC
 * sends before the first application byte, what that costs in time, and in bytes.
 * Reference implementation.
 */
import {
  AEAD_TAG,
  FlightError,
  HANDSHAKE_HEADER,
  MAX_BODY,
  MAX_FRAGMENT,
  QUIC,
  RECORD_HEADER,
  type Amplification,
  type AmplificationInput,
  type Flight,
  type FlightBytes,
  type Handshake,
  type Message,
  type MessageName,
  type Network,
  type Party,
  type Protection,
  type Sizes,
  type Timing,
} from './types';

export { FlightError, QUIC } from './types';
export type * from './types';

const m = (name: MessageName, key: Protection): Message => ({ name, key });

// ---- Task 1: the flights ----------------------------------------------------------------------

function checkHandshake(h: Handshake): void {
  const modes: Record<string, readonly string[]> = { 'tls1.2': ['full', 'resumed'], 'tls1.3': ['full', 'hrr', 'psk', '0rtt'], quic: ['full', 'hrr', 'psk', '0rtt'] };
  const allowed = modes[(h as { protocol?: unknown }).protocol as string];
  if (!allowed || !allowed.includes(h.mode)) throw new FlightError('unknown-handshake', `${String(h.protocol)} ${String(h.mode)}`);
  if (h.protocol === 'tls1.2') {
    if (h.keyExchange !== undefined && h.keyExchange !== 'ecdhe' && h.keyExchange !== 'rsa') throw new FlightError('unknown-handshake', `key exchange ${String(h.keyExchange)}`);
    // RFC 7918 §4: False Start only with a forward-secret key exchange; §3: full handshakes only.
    if (h.falseStart && (h.mode !== 'full' || h.keyExchange === 'rsa')) throw new FlightError('bad-false-start');
    // An abbreviated handshake has no CertificateRequest: the session keeps the old authentication.
    if (h.mutual && h.mode === 'resumed') throw new FlightError('mutual-resumed');
  } else if (h.mutual && (h.mode === 'psk' || h.mode === '0rtt')) {
    // RFC 8446 §4.3.2: a server authenticating with a PSK MUST NOT send a CertificateRequest.
    throw new FlightError('mutual-resumed');
  }
}

function tls12(h: Extract<Handshake, { protocol: 'tls1.2' }>): Flight[] {
  const p = 'plaintext';
  const a = 'application';
  if (h.mode === 'resumed') {
    // RFC 5246 §7.3 Figure 2; RFC 5077 §3.1 Figure 2 when the server renews the ticket.
    return [
      { from: 'client', messages: [m('ClientHello', p)] },
      { from: 'server', messages: [m('ServerHello', p), ...(h.ticket ? [m('NewSessionTicket', p)] : []), m('ChangeCipherSpec', p), m('Finished', a)] },
      { from: 'client', messages: [m('ChangeCipherSpec', p), m('Finished', a), m('ApplicationData', a)] },
    ];
  }
  const rsa = h.keyExchange === 'rsa';
  const out: Flight[] = [
    { from: 'client', messages: [m('ClientHello', p)] },
    {
      from: 'server',
      messages: [
        m('ServerHello', p),
        m('Certificate', p),
        ...(rsa ? [] : [m('ServerKeyExchange', p)]),
        ...(h.mutual ? [m('CertificateRequest', p)] : []),
        m('ServerHelloDone', p),
      ],
    },
    {
      from: 'client',
      messages: [
        ...(h.mutual ? [m('Certificate', p)] : []),
        m('ClientKeyExchange', p),
        ...(h.mutual ? [m('CertificateVerify', p)] : []),
        m('ChangeCipherSpec', p),
        m('Finished', a),
        ...(h.falseStart ? [m('ApplicationData', a)] : []),
      ],
    },
    { from: 'server', messages: [...(h.ticket ? [m('NewSessionTicket', p)] : []), m('ChangeCipherSpec', p), m('Finished', a)] },
  ];
  if (!h.falseStart) out.push({ from: 'client', messages: [m('ApplicationData', a)] });
  return out;
}

/** TLS 1.3 over TCP (RFC 8446 §2) and in QUIC (RFC 9000 §7.1, RFC 9001 §4, §8.3, §8.4). */
function tls13(h: Extract<Handshake, { protocol: 'tls1.3' | 'quic' }>): Flight[] {
  const quic = h.protocol === 'quic';
  const compat = !quic && h.protocol === 'tls1.3' && h.compat === true;
  const hello: Protection = quic ? 'initial' : 'plaintext';
  const ccs = compat ? [m('ChangeCipherSpec', 'plaintext')] : [];
  const psk = h.mode === 'psk' || h.mode === '0rtt';
  const early = h.mode === '0rtt';

  const out: Flight[] = [];
  // Appendix D.4: with early data the client's dummy ChangeCipherSpec follows its first
  // ClientHello; otherwise it comes right before its second flight, once.
  out.push({ from: 'client', messages: [m('ClientHello', hello), ...(early ? [...ccs, m('ApplicationData', 'early')] : [])] });
  let clientCcsSent = early;
  if (h.mode === 'hrr') {
    // The server's dummy ChangeCipherSpec follows its first handshake message, the HelloRetryRequest.
    out.push({ from: 'server', messages: [m('HelloRetryRequest', hello), ...ccs] });
    out.push({ from: 'client', messages: [...ccs, m('ClientHello', hello)] });
    clientCcsSent = true;
  }
  out.push({
    from: 'server',
    messages: [
      m('ServerHello', hello),
      ...(h.mode === 'hrr' ? [] : ccs),
      m('EncryptedExtensions', 'handshake'),
      ...(h.mutual ? [m('CertificateRequest', 'handshake')] : []),
      ...(psk ? [] : [m('Certificate', 'handshake'), m('CertificateVerify', 'handshake')]),
      m('Finished', 'handshake'),
    ],
  });
  out.push({
    from: 'client',
    messages: [
      ...(clientCcsSent ? [] : ccs),
      // QUIC has no EndOfEarlyData: the packet type says which keys apply (RFC 9001 §8.3).
      ...(early && !quic ? [m('EndOfEarlyData', 'early')] : []),
      ...(h.mutual ? [m('Certificate', 'handshake'), m('CertificateVerify', 'handshake')] : []),
      m('Finished', 'handshake'),
      ...(early ? [] : [m('ApplicationData', 'application')]),
    ],
  });
  return out;
}

/** Every flight of the handshake, with the client's request in the first flight that may carry it. */
export function flights(h: Handshake): Flight[] {
  checkHandshake(h);
  return h.protocol === 'tls1.2' ? tls12(h) : tls13(h);
}

// ---- Task 2: round trips and the first byte ---------------------------------------------------

/** Round trips of the handshake before the client sends its request: the server flights it waits for. */
export function roundTrips(h: Handshake): number {
  let waited = 0;
  for (const f of flights(h)) {
    if (f.from === 'client' && f.messages.some((x) => x.name === 'ApplicationData')) return waited;
    if (f.from === 'server') waited++;
  }
  throw new Error('unreachable: every handshake carries the request');
}

const isDelay = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

/** When the request leaves and when the first byte of the response comes back. */
export function firstByte(h: Handshake, net: Network): Timing {
  const hs = roundTrips(h);
  const { rtt, dns = 0, server = 0, fastOpen = false, retry = false, extraRoundTrips = 0 } = net;
  for (const d of [rtt, dns, server]) if (!isDelay(d)) throw new FlightError('bad-delay', `delay ${String(d)}`);
  if (!Number.isInteger(extraRoundTrips) || extraRoundTrips < 0) throw new FlightError('bad-delay', `extraRoundTrips ${extraRoundTrips}`);
  const quic = h.protocol === 'quic';
  if ((quic && fastOpen) || (!quic && retry)) throw new FlightError('wrong-transport');
  // TCP's handshake is one round trip unless Fast Open puts the ClientHello on the SYN; QUIC
  // has no separate transport handshake, but a Retry costs one.
  const transport = quic ? (retry ? 2 : 1) : fastOpen ? 0 : 1;
  const before = transport + hs + extraRoundTrips;
  const requestSent = dns + before * rtt;
  return { roundTrips: before + 1, requestSent, firstByte: requestSent + rtt + server };
}

// ---- Task 3: bytes per flight -------------------------------------------------------------------

function checkBody(n: number, what: string): number {
  if (n > MAX_BODY) throw new FlightError('too-large', `${what}: ${n} bytes`);
  return n;
}

/** The body of a Certificate message (RFC 5246 §7.4.2; RFC 8446 §4.4.2, empty context, no entry extensions). */
export function certificateBody(protocol: Handshake['protocol'], chain: number[]): number {
  if (!Array.isArray(chain) || chain.length === 0 || chain.some((c) => !Number.isInteger(c) || c < 1 || c > MAX_BODY)) throw new FlightError('bad-size', 'chain');
  const tls12 = protocol === 'tls1.2';
  // Each entry: a 3-byte length and the DER; TLS 1.3 adds each entry's 2-byte extensions length.
  const entries = chain.reduce((sum, c) => sum + 3 + c + (tls12 ? 0 : 2), 0);
  // TLS 1.3: a 1-byte certificate_request_context length (the context is empty) first.
  return checkBody((tls12 ? 0 : 1) + 3 + entries, 'Certificate');
}

/** Bytes on the wire of `content` bytes sent in TLS records under `key`, split at MAX_FRAGMENT. */
export function recordBytes(protocol: 'tls1.2' | 'tls1.3', key: Protection, content: number, explicitNonce = 8): number {
  if (!Number.isInteger(content) || content < 0) throw new FlightError('bad-size', 'content');
  if (content === 0) return 0;
  const records = Math.ceil(content / MAX_FRAGMENT);
  let perRecord = RECORD_HEADER;
  if (key !== 'plaintext') {
    // TLS 1.3: the real content type inside, then the tag (RFC 8446 §5.2). TLS 1.2 AEAD: the
    // explicit part of the nonce in front, then the tag (RFC 5246 §6.2.3.3, RFC 5288 §3).
    perRecord += protocol === 'tls1.3' ? 1 + AEAD_TAG : explicitNonce + AEAD_TAG;
  }
  return content + records * perRecord;
}

const SIZE_FIELDS = [
  'clientHello', 'clientHelloAfterRetry', 'serverHello', 'helloRetryRequest', 'encryptedExtensions', 'certificateRequest', 'newSessionTicket',
  'serverSignature', 'clientSignature', 'keyShare', 'rsaModulus', 'hashLength', 'explicitNonce', 'request',
] as const;

function checkSizes(s: Sizes): void {
  for (const f of SIZE_FIELDS) {
    const v = s[f];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > MAX_BODY)) throw new FlightError('bad-size', f);
  }
  for (const f of ['serverChain', 'clientChain'] as const) {
    const c = s[f];
    if (c !== undefined && (!Array.isArray(c) || c.length === 0 || c.some((x) => !Number.isInteger(x) || x < 1 || x > MAX_BODY))) throw new FlightError('bad-size', f);
  }
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new FlightError('missing-size', what);
  return v;
}

/** The body length of one handshake message. */
function bodyOf(h: Handshake, from: Party, name: MessageName, s: Sizes, secondHello: boolean): number {
  const v12 = h.protocol === 'tls1.2';
  switch (name) {
    case 'ClientHello': return secondHello ? need(s.clientHelloAfterRetry, 'clientHelloAfterRetry') : s.clientHello;
    case 'HelloRetryRequest': return need(s.helloRetryRequest, 'helloRetryRequest');
    case 'ServerHello': return s.serverHello;
    case 'EncryptedExtensions': return need(s.encryptedExtensions, 'encryptedExtensions');
    case 'CertificateRequest': return need(s.certificateRequest, 'certificateRequest');
    case 'NewSessionTicket': return need(s.newSessionTicket, 'newSessionTicket');
    case 'Certificate': return certificateBody(h.protocol, from === 'server' ? need(s.serverChain, 'serverChain') : need(s.clientChain, 'clientChain'));
    // A signature scheme (2) and the signature with its 2-byte length (RFC 5246 §4.7, RFC 8446 §4.4.3).
    case 'CertificateVerify': return checkBody(4 + (from === 'server' ? need(s.serverSignature, 'serverSignature') : need(s.clientSignature, 'clientSignature')), name);
    // RFC 8422 §5.4: curve type (1), named curve (2), the point with a 1-byte length, then the signature as above.
    case 'ServerKeyExchange': return checkBody(3 + 1 + need(s.keyShare, 'keyShare') + 4 + need(s.serverSignature, 'serverSignature'), name);
    // RFC 8422 §5.7: the point with a 1-byte length; RFC 5246 §7.4.7.1: the encrypted pre-master secret with a 2-byte length.
    case 'ClientKeyExchange': return (h.protocol === 'tls1.2' && h.keyExchange === 'rsa') ? checkBody(2 + need(s.rsaModulus, 'rsaModulus'), name) : checkBody(1 + need(s.keyShare, 'keyShare'), name);
    case 'ServerHelloDone': return 0;
    case 'EndOfEarlyData': return 0;
    // TLS 1.2: 12 bytes of verify_data (RFC 5246 §7.4.9); TLS 1.3: an HMAC as long as the suite's hash.
    case 'Finished': return v12 ? 12 : need(s.hashLength, 'hashLength');
    default: throw new Error(`unreachable: ${name}`);
  }
}

/** Bytes of each message of each flight, and of each flight, on the wire (TLS) or in CRYPTO and STREAM frames (QUIC). */
export function flightBytes(h: Handshake, s: Sizes): FlightBytes[] {
  const all = flights(h);
  checkSizes(s);
  need(s.clientHello, 'clientHello');
  need(s.serverHello, 'serverHello');
  need(s.request, 'request');
  const explicitNonce = h.protocol === 'tls1.2' ? need(s.explicitNonce, 'explicitNonce') : 0;
  let clientHellos = 0;
  return all.map((f) => {
    const messages = f.messages.map((msg) => {
      let content: number;
      if (msg.name === 'ChangeCipherSpec') content = 1;
      else if (msg.name === 'ApplicationData') content = s.request;
      else {
        const second = msg.name === 'ClientHello' && clientHellos++ > 0;
        content = HANDSHAKE_HEADER + bodyOf(h, f.from, msg.name, s, second);
      }
      // QUIC carries TLS messages in CRYPTO frames and the request in STREAM frames: no records.
      const bytes = h.protocol === 'quic' ? content : recordBytes(h.protocol, msg.key, content, explicitNonce);
      return { name: msg.name, bytes };
    });
    return { from: f.from, messages, bytes: messages.reduce((sum, x) => sum + x.bytes, 0) };
  });
}

// ---- Task 4: QUIC's amplification limit -----------------------------------------------------

function checkCount(n: number, what: string, min = 0): void {
  if (!Number.isInteger(n) || n < min || n > MAX_BODY) throw new FlightError('bad-size', what);
}

/** The client's first datagrams: its ClientHello in Initial packets, one per datagram, each padded to QUIC.datagram. */
export function clientDatagrams(clientHello: number): number[] {
  checkCount(clientHello, 'clientHello', 1);
  const perPacket = QUIC.datagram - QUIC.initialOverhead;
  return new Array<number>(Math.ceil(clientHello / perPacket)).fill(QUIC.datagram);
}

/**
 * The server's first flight as datagrams: Initial packets with the ServerHello (the first one
 * also acknowledging the client), then Handshake packets, coalesced into datagrams of at most
 * QUIC.datagram bytes; a datagram that carries an Initial packet is padded to QUIC.datagram.
 */
export function serverDatagrams(serverInitial: number, serverHandshake: number): number[] {
  checkCount(serverInitial, 'serverInitial', 1);
  checkCount(serverHandshake, 'serverHandshake');
  const out: number[] = [];
  let used = 0;
  let hasInitial = false;
  const close = () => {
    if (used > 0) out.push(hasInitial ? Math.max(used, QUIC.datagram) : used);
    used = 0;
    hasInitial = false;
  };
  const spaces = [
    { initial: true, left: serverInitial, overhead: QUIC.initialOverhead },
    { initial: false, left: serverHandshake, overhead: QUIC.handshakeOverhead },
  ];
  let acked = false;
  for (const space of spaces) {
    while (space.left > 0) {
      const overhead = space.overhead + (space.initial && !acked ? QUIC.serverAck : 0);
      const room = QUIC.datagram - used - overhead;
      if (room < 1) { close(); continue; }
      const take = Math.min(room, space.left);
      used += overhead + take;
      space.left -= take;
      if (space.initial) { hasInitial = true; acked = true; }
    }
  }
  close();
  return out;
}

/** Whether the server's first flight fits under three times what it received, and what it costs if not. */
export function amplification(a: AmplificationInput): Amplification {
  const received = clientDatagrams(a.clientHello).reduce((x, y) => x + y, 0);
  const datagrams = serverDatagrams(a.serverInitial, a.serverHandshake);
  const limit = a.validated ? Infinity : QUIC.amplificationFactor * received;
  const needed = datagrams.reduce((x, y) => x + y, 0);
  let sent = 0;
  for (const d of datagrams) {
    if (sent + d > limit) break;
    sent += d;
  }
  const fits = sent === needed;
  // The client acknowledges what arrived in a Handshake packet, which validates its address
  // (RFC 9000 §8.1): one round trip later the server may send the rest, without limit.
  return { received, limit, datagrams, needed, sent, fits, extraRoundTrips: fits ? 0 : 1 };
}
