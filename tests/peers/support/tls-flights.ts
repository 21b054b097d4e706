/**
 * What a relay saw of one TLS 1.2 or TLS 1.3 connection, as flights of named messages: each
 * direction's bytes are cut into records, the records are assigned to the flight (the run of
 * writes from one side until the other side writes) in which their first byte arrived, and every
 * record is named. Encrypted records are opened with the secrets from an NSS key log (TLS 1.3:
 * the traffic secrets; TLS 1.2: the master secret), so the messages inside encrypted flights are
 * named too, and each record says which key protected it. It also runs such connections:
 * `openssl s_server` and Node's TLS client, through the relay, on 127.0.0.1 only.
 */
import { execFile } from 'node:child_process';
import { createDecipheriv, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { promisify } from 'node:util';
import { freePort, startProcess, waitFor } from './peer';
import { LOOPBACK, startRelay, type RelayChunk } from './relay';

const run = promisify(execFile);

export type Party = 'client' | 'server';
export type Key = 'plaintext' | 'early' | 'handshake' | 'application';

/** One record as the relay saw it: its size on the wire and what it held. */
export interface SeenRecord {
  /** Record bytes including the 5-byte header. */
  bytes: number;
  key: Key;
  /** The messages that end in this record ('ChangeCipherSpec', 'ApplicationData', 'Alert' or a handshake message). */
  messages: { name: string; body: number }[];
}

export interface SeenFlight { from: Party; records: SeenRecord[] }

/** The relay's chunks as flights, each with the byte range it covers in its direction's stream. */
function flightRanges(chunks: RelayChunk[]): { from: Party; start: number; end: number }[] {
  const out: { from: Party; start: number; end: number }[] = [];
  const at = { client: 0, server: 0 };
  for (const c of chunks) {
    const last = out[out.length - 1];
    if (last && last.from === c.from) last.end += c.bytes.length;
    else out.push({ from: c.from, start: at[c.from], end: at[c.from] + c.bytes.length });
    at[c.from] += c.bytes.length;
  }
  return out;
}

const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;

interface RawRecord { start: number; type: number; version: number; fragment: Uint8Array; header: Uint8Array }

function rawRecords(bytes: Uint8Array): RawRecord[] {
  const out: RawRecord[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 5 > bytes.length) throw new Error(`a record header is cut short at byte ${at}`);
    const length = u16(bytes, at + 3);
    if (at + 5 + length > bytes.length) throw new Error(`a record at byte ${at} runs past the captured bytes`);
    out.push({ start: at, type: bytes[at]!, version: u16(bytes, at + 1), header: bytes.subarray(at, at + 5), fragment: bytes.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return out;
}

// ---- Key logs and the derivations needed to open records --------------------------------------

/** The secrets an NSS key log gives for the connection whose ClientHello.random is `clientRandom`. */
export function keylogSecrets(keylog: string, clientRandom: Uint8Array): Map<string, Uint8Array> {
  const want = Buffer.from(clientRandom).toString('hex');
  const out = new Map<string, Uint8Array>();
  for (const line of keylog.split('\n')) {
    const [label, random, secret] = line.trim().split(' ');
    if (label && random?.toLowerCase() === want && secret) out.set(label, new Uint8Array(Buffer.from(secret, 'hex')));
  }
  return out;
}

type Digest = 'sha256' | 'sha384';
const hmac = (h: Digest, key: Uint8Array, data: Uint8Array) => new Uint8Array(createHmac(h, key).update(data).digest());

/** HKDF-Expand (RFC 5869 §2.3). */
function hkdfExpand(h: Digest, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  let t = new Uint8Array(0);
  for (let i = 1, have = 0; have < length; i++) {
    t = hmac(h, prk, concat([t, info, Uint8Array.of(i)]));
    blocks.push(t);
    have += t.length;
  }
  return concat(blocks).subarray(0, length);
}

/** HKDF-Expand-Label with an empty context (RFC 8446 §7.1). */
function expandLabel(h: Digest, secret: Uint8Array, label: string, length: number): Uint8Array {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  return hkdfExpand(h, secret, concat([Uint8Array.of(length >> 8, length & 0xff, full.length), full, Uint8Array.of(0)]), length);
}

/** TLS 1.2's P_hash (RFC 5246 §5). */
function pHash(h: Digest, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  let a = seed;
  for (let have = 0; have < length; ) {
    a = hmac(h, secret, a);
    const block = hmac(h, secret, concat([a, seed]));
    blocks.push(block);
    have += block.length;
  }
  return concat(blocks).subarray(0, length);
}

interface Suite13 { hash: Digest; cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'; keyLength: number }
const SUITES_13: Record<number, Suite13> = {
  0x1301: { hash: 'sha256', cipher: 'aes-128-gcm', keyLength: 16 },
  0x1302: { hash: 'sha384', cipher: 'aes-256-gcm', keyLength: 32 },
  0x1303: { hash: 'sha256', cipher: 'chacha20-poly1305', keyLength: 32 },
};
interface Suite12 { hash: Digest; cipher: 'aes-128-gcm' | 'aes-256-gcm'; keyLength: number }
const SUITES_12: Record<number, Suite12> = {
  0x009c: { hash: 'sha256', cipher: 'aes-128-gcm', keyLength: 16 }, // TLS_RSA_WITH_AES_128_GCM_SHA256
  0x009d: { hash: 'sha384', cipher: 'aes-256-gcm', keyLength: 32 },
  0xc02b: { hash: 'sha256', cipher: 'aes-128-gcm', keyLength: 16 }, // ECDHE-ECDSA
  0xc02c: { hash: 'sha384', cipher: 'aes-256-gcm', keyLength: 32 },
  0xc02f: { hash: 'sha256', cipher: 'aes-128-gcm', keyLength: 16 }, // ECDHE-RSA
  0xc030: { hash: 'sha384', cipher: 'aes-256-gcm', keyLength: 32 },
};

/** A record opener for one key: returns the inner content and type, or null when the tag does not verify. */
type Opener = (r: RawRecord) => { type: number; content: Uint8Array } | null;

function opener13(suite: Suite13, secret: Uint8Array): Opener {
  const key = expandLabel(suite.hash, secret, 'key', suite.keyLength);
  const iv = expandLabel(suite.hash, secret, 'iv', 12);
  let seq = 0n;
  return (r) => {
    if (r.fragment.length < 17) return null;
    const nonce = new Uint8Array(iv);
    for (let i = 0; i < 8; i++) nonce[11 - i]! ^= Number((seq >> BigInt(8 * i)) & 0xffn);
    try {
      const d = createDecipheriv(suite.cipher as 'aes-256-gcm', key, nonce, { authTagLength: 16 });
      d.setAAD(r.header, { plaintextLength: r.fragment.length - 16 });
      d.setAuthTag(r.fragment.subarray(r.fragment.length - 16));
      const inner = concat([d.update(r.fragment.subarray(0, r.fragment.length - 16)), d.final()]);
      seq++;
      let end = inner.length - 1;
      while (end >= 0 && inner[end] === 0) end--; // zero padding after the real content type
      return { type: inner[end]!, content: inner.subarray(0, end) };
    } catch {
      return null;
    }
  };
}

function opener12(suite: Suite12, key: Uint8Array, iv: Uint8Array): Opener {
  let seq = 0n;
  return (r) => {
    if (r.fragment.length < 24) return null;
    const seqBytes = new Uint8Array(8);
    for (let i = 0; i < 8; i++) seqBytes[7 - i] = Number((seq >> BigInt(8 * i)) & 0xffn);
    const ct = r.fragment.subarray(8, r.fragment.length - 16);
    const aad = concat([seqBytes, Uint8Array.of(r.type, r.version >> 8, r.version & 0xff, ct.length >> 8, ct.length & 0xff)]);
    try {
      const d = createDecipheriv(suite.cipher, key, concat([iv, r.fragment.subarray(0, 8)]), { authTagLength: 16 });
      d.setAAD(aad);
      d.setAuthTag(r.fragment.subarray(r.fragment.length - 16));
      const content = concat([d.update(ct), d.final()]);
      seq++;
      return { type: r.type, content };
    } catch {
      return null;
    }
  };
}

// ---- Naming messages --------------------------------------------------------------------------

/** SHA-256("HelloRetryRequest"): the random of a ServerHello that is a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

const NAMES: Record<number, string> = {
  1: 'ClientHello', 2: 'ServerHello', 4: 'NewSessionTicket', 5: 'EndOfEarlyData', 8: 'EncryptedExtensions', 11: 'Certificate',
  12: 'ServerKeyExchange', 13: 'CertificateRequest', 14: 'ServerHelloDone', 15: 'CertificateVerify', 16: 'ClientKeyExchange', 20: 'Finished', 24: 'KeyUpdate',
};

function messageName(type: number, body: Uint8Array): string {
  if (type === 2 && Buffer.from(body.subarray(2, 34)).toString('hex') === HRR_RANDOM) return 'HelloRetryRequest';
  const name = NAMES[type];
  if (!name) throw new Error(`unknown handshake message type ${type}`);
  return name;
}

/** Handshake bytes are a stream: a message may span records, and a record may hold several. */
class HandshakeReader {
  private pending: Uint8Array = new Uint8Array(0);
  push(content: Uint8Array): { type: number; body: Uint8Array }[] {
    this.pending = concat([this.pending, content]);
    const out: { type: number; body: Uint8Array }[] = [];
    while (this.pending.length >= 4) {
      const length = (this.pending[1]! << 16) | (this.pending[2]! << 8) | this.pending[3]!;
      if (this.pending.length < 4 + length) break;
      out.push({ type: this.pending[0]!, body: this.pending.slice(4, 4 + length) });
      this.pending = this.pending.slice(4 + length);
    }
    return out;
  }
  get empty(): boolean { return this.pending.length === 0; }
}

function helloRandom(body: Uint8Array): Uint8Array { return body.subarray(2, 34); }

/** The cipher suite a ServerHello picked. */
function serverSuite(body: Uint8Array): number {
  const at = 2 + 32 + 1 + body[34]!; // version, random, session id
  return u16(body, at);
}

/** Whether a ServerHello carries supported_versions (TLS 1.3). */
function isTls13ServerHello(body: Uint8Array): boolean {
  let at = 2 + 32 + 1 + body[34]! + 3;
  if (at + 2 > body.length) return false;
  const end = at + 2 + u16(body, at);
  for (at += 2; at + 4 <= end; at += 4 + u16(body, at + 2)) if (u16(body, at) === 43) return true;
  return false;
}

export interface Reading {
  flights: SeenFlight[];
  version: '1.2' | '1.3';
  clientRandom: Uint8Array;
  /** The ClientHello, ServerHello and other plaintext or decrypted handshake messages, by direction, in order. */
  handshake: Record<Party, { name: string; body: Uint8Array }[]>;
}

/**
 * Read a relayed TLS connection: records, flights, and every message named, encrypted or not.
 * `keylog` is an NSS key log holding this connection's secrets.
 */
export function readConnection(chunks: RelayChunk[], keylog: string): Reading {
  const stream = (from: Party) => concat(chunks.filter((c) => c.from === from).map((c) => c.bytes));
  const recs = { client: rawRecords(stream('client')), server: rawRecords(stream('server')) };

  // The hellos are in the clear: they give the randoms, the version and the suite.
  const plainHello = (from: Party, type: number) => {
    const reader = new HandshakeReader();
    for (const r of recs[from]) {
      if (r.type === 20) continue; // a compatibility ChangeCipherSpec (TLS 1.3) may come between them
      if (r.type !== 22) break;
      for (const m of reader.push(r.fragment)) if (m.type === type && (type !== 2 || messageName(2, m.body) === 'ServerHello')) return m.body;
    }
    throw new Error(`no ${type === 1 ? 'ClientHello' : 'ServerHello'} in the clear`);
  };
  const clientHello = plainHello('client', 1);
  const serverHello = plainHello('server', 2);
  const clientRandom = helloRandom(clientHello);
  const serverRandom = helloRandom(serverHello);
  const suiteCode = serverSuite(serverHello);
  const tls13 = isTls13ServerHello(serverHello);
  const secrets = keylogSecrets(keylog, clientRandom);
  const secret = (name: string) => {
    const s = secrets.get(name);
    if (!s) throw new Error(`the key log has no ${name} for this connection`);
    return s;
  };

  // For each direction, the keys in the order the protocol switches to them.
  const openers: Record<Party, { key: Key; open: Opener }[]> = { client: [], server: [] };
  if (tls13) {
    const suite = SUITES_13[suiteCode];
    if (!suite) throw new Error(`no opener for TLS 1.3 suite 0x${suiteCode.toString(16)}`);
    if (secrets.has('CLIENT_EARLY_TRAFFIC_SECRET')) openers.client.push({ key: 'early', open: opener13(suite, secret('CLIENT_EARLY_TRAFFIC_SECRET')) });
    openers.client.push({ key: 'handshake', open: opener13(suite, secret('CLIENT_HANDSHAKE_TRAFFIC_SECRET')) }, { key: 'application', open: opener13(suite, secret('CLIENT_TRAFFIC_SECRET_0')) });
    openers.server.push({ key: 'handshake', open: opener13(suite, secret('SERVER_HANDSHAKE_TRAFFIC_SECRET')) }, { key: 'application', open: opener13(suite, secret('SERVER_TRAFFIC_SECRET_0')) });
  } else {
    const suite = SUITES_12[suiteCode];
    if (!suite) throw new Error(`no opener for TLS 1.2 suite 0x${suiteCode.toString(16)}`);
    // RFC 5246 §6.3: AEAD suites take no MAC keys; client key, server key, client IV, server IV.
    const block = pHash(suite.hash, secret('CLIENT_RANDOM'), concat([Buffer.from('key expansion', 'latin1'), serverRandom, clientRandom]), 2 * suite.keyLength + 8);
    const k = suite.keyLength;
    openers.client.push({ key: 'application', open: opener12(suite, block.subarray(0, k), block.subarray(2 * k, 2 * k + 4)) });
    openers.server.push({ key: 'application', open: opener12(suite, block.subarray(k, 2 * k), block.subarray(2 * k + 4, 2 * k + 8)) });
  }

  const handshake: Reading['handshake'] = { client: [], server: [] };
  const named: Record<Party, { start: number; record: SeenRecord }[]> = { client: [], server: [] };
  for (const from of ['client', 'server'] as const) {
    const reader = new HandshakeReader();
    let epoch = -1; // -1: plaintext; otherwise the index into openers[from]
    let ccsSeen = false;
    for (const r of recs[from]) {
      const seen: SeenRecord = { bytes: 5 + r.fragment.length, key: 'plaintext', messages: [] };
      let type = r.type;
      let content = r.fragment;
      if (r.type === 20) {
        // ChangeCipherSpec: in TLS 1.2 the switch to the new keys; in TLS 1.3 a compatibility dummy.
        seen.messages.push({ name: 'ChangeCipherSpec', body: r.fragment.length });
        if (!tls13) { ccsSeen = true; epoch = 0; }
        named[from].push({ start: r.start, record: seen });
        continue;
      }
      const encrypted = tls13 ? r.type === 23 : ccsSeen;
      if (encrypted) {
        // Try the current key, then the next ones: a record that opens under a key was protected by it.
        let opened = null;
        for (let e = Math.max(epoch, 0); e < openers[from].length && !opened; e++) {
          opened = openers[from][e]!.open(r);
          if (opened) {
            if (e !== epoch && !reader.empty) throw new Error('the keys changed in the middle of a handshake message');
            epoch = e;
          }
        }
        if (!opened) throw new Error(`a ${from} record at byte ${r.start} opens under none of the logged keys`);
        seen.key = openers[from][epoch]!.key;
        type = opened.type;
        content = opened.content;
      }
      if (type === 22) {
        for (const m of reader.push(content)) {
          const name = messageName(m.type, m.body);
          seen.messages.push({ name, body: m.body.length });
          handshake[from].push({ name, body: m.body });
        }
      } else if (type === 23) {
        seen.messages.push({ name: 'ApplicationData', body: content.length });
      } else if (type === 21) {
        seen.messages.push({ name: 'Alert', body: content.length });
      } else {
        throw new Error(`unexpected record content type ${type}`);
      }
      named[from].push({ start: r.start, record: seen });
    }
  }

  const flights: SeenFlight[] = flightRanges(chunks).map((f) => ({
    from: f.from,
    records: named[f.from].filter((n) => n.start >= f.start && n.start < f.end).map((n) => n.record),
  }));
  // A flight in which no record starts (it only finished one begun earlier) joins its neighbours.
  const merged: SeenFlight[] = [];
  for (const f of flights) {
    if (f.records.length === 0) continue;
    const last = merged[merged.length - 1];
    if (last && last.from === f.from) last.records.push(...f.records);
    else merged.push(f);
  }
  return { flights: merged, version: tls13 ? '1.3' : '1.2', clientRandom, handshake };
}

/** One message as the relay saw it: its name, its key, and the bytes of the records that carried it. */
export interface SeenMessage { name: string; key: Key; bytes: number }
export interface SeenMessageFlight { from: Party; messages: SeenMessage[] }

/**
 * The flights as messages with their bytes on the wire. A message split over several records
 * costs all of them; a record that ends no message (the first part of a long one) is carried to
 * the message it belongs to. Two messages in one record cannot be told apart by bytes: that is
 * refused, since the model sends every message in records of its own, as OpenSSL does.
 */
export function seenMessages(flights: SeenFlight[]): SeenMessageFlight[] {
  let carried = 0;
  return flights.map((f) => {
    const messages: SeenMessage[] = [];
    for (const r of f.records) {
      if (r.messages.length > 1) throw new Error(`one record holds ${r.messages.map((m) => m.name).join(' and ')}`);
      if (r.messages.length === 0) { carried += r.bytes; continue; }
      messages.push({ name: r.messages[0]!.name, key: r.key, bytes: carried + r.bytes });
      carried = 0;
    }
    return { from: f.from, messages };
  }).filter((f) => f.messages.length > 0);
}

/**
 * Without the server's TLS 1.3 NewSessionTickets: post-handshake messages (RFC 8446 §4.6.1),
 * under the application keys, which the server sends when it likes and the client never waits
 * for. Flights left side by side from the same sender become one.
 */
export function withoutPostHandshakeTickets(flights: SeenMessageFlight[]): SeenMessageFlight[] {
  const out: SeenMessageFlight[] = [];
  for (const f of flights) {
    const messages = f.from === 'server' ? f.messages.filter((m) => !(m.name === 'NewSessionTicket' && m.key === 'application')) : f.messages;
    if (messages.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.from === f.from) last.messages.push(...messages);
    else out.push({ from: f.from, messages: [...messages] });
  }
  return out;
}

// ---- Running sessions -----------------------------------------------------------------------------

export interface OpenSslServer { port: number; output(): string; stop(): Promise<void> }

/** `openssl s_server -www` on 127.0.0.1 with the given certificate and options. */
export async function openSslServer(cert: string, key: string, args: string[]): Promise<OpenSslServer> {
  const port = await freePort();
  const server = startProcess('openssl', ['s_server', '-accept', `${LOOPBACK}:${port}`, '-cert', cert, '-key', key, '-www', ...args]);
  // s_server says ACCEPT once it listens (a probe connection would count as a session).
  await waitFor(async () => { if (!server.output().includes('ACCEPT')) throw new Error(server.output() || 'not yet'); }, 10_000, 'openssl s_server');
  return { port, output: server.output, stop: server.stop };
}

export interface NodeRun {
  chunks: RelayChunk[];
  keylog: string;
  /** Server flights the relay had forwarded when the client wrote its request: at most what the client had seen. */
  serverFlightsBeforeRequest: number;
  session: Buffer | undefined;
  reused: boolean;
  response: string;
}

const serverFlights = (chunks: RelayChunk[]) => chunks.filter((c, i) => c.from === 'server' && (i === 0 || chunks[i - 1]!.from !== 'server')).length;

/**
 * One connection from Node's TLS client through a relay to `serverPort`. The client writes
 * `request` as soon as it may ('secureConnect'), and reads until the server closes. At that
 * moment the relay's log says how many server flights it had forwarded: the relay logs a chunk
 * before it forwards it, so the client cannot have seen more.
 */
export async function nodeSession(serverPort: number, options: ConnectionOptions, request: string): Promise<NodeRun> {
  const relay = await startRelay(serverPort);
  try {
    let keylog = '';
    let session: Buffer | undefined;
    let before = -1;
    let reused = false;
    let response = '';
    await new Promise<void>((resolve, reject) => {
      const socket = tlsConnect({ host: LOOPBACK, port: relay.port, servername: 'localhost', rejectUnauthorized: false, ...options });
      socket.setTimeout(15_000, () => socket.destroy(new Error('TLS session timed out')));
      socket.on('keylog', (line) => { keylog += line.toString('latin1'); });
      socket.on('session', (s) => { session = s; });
      socket.once('secureConnect', () => {
        before = serverFlights(relay.chunks());
        reused = socket.isSessionReused();
        socket.write(request);
      });
      socket.on('data', (d: Buffer) => { response += d.toString('latin1'); });
      socket.once('error', reject);
      socket.once('close', () => resolve());
    });
    await relay.closed();
    return { chunks: relay.chunks(), keylog, serverFlightsBeforeRequest: before, session, reused, response };
  } finally {
    relay.stop();
  }
}

/** The DER length of the first certificate in a PEM file. */
export async function derLength(pemFile: string): Promise<number> {
  const pem = await readFile(pemFile, 'latin1');
  const b64 = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (!b64) throw new Error(`no certificate in ${pemFile}`);
  return Buffer.from(b64.replace(/\s+/g, ''), 'base64').length;
}

/** A self-signed RSA-2048 certificate for localhost padded with a comment of `comment` bytes: a certificate larger than a record. */
export async function makeLargeCertificate(dir: string, comment: number): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `large-${comment}.pem`);
  const key = join(dir, `large-${comment}.key`);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=localhost', '-days', '1', '-addext', `nsComment=${'x'.repeat(comment)}`]);
  return { cert, key };
}
