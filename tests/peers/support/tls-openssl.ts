/**
 * A real TLS 1.2 or 1.3 session on 127.0.0.1 for peer tests: `openssl s_server` (with -keylogfile)
 * and a Node `tls` client, talking through a TCP relay of ours that keeps every byte each way.
 * Nothing here talks to anything but 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { freePort, startProcess, waitFor } from './peer';
import { LOOPBACK, startRelay } from './relay';

const run = promisify(execFile);
export { LOOPBACK };

export interface TlsWorkdir { dir: string; cert: string; key: string; remove(): Promise<void> }

/** A self-signed RSA-2048 certificate for localhost, made by openssl for this run only. */
export async function makeWorkdir(): Promise<TlsWorkdir> {
  const dir = await mkdtemp(join(tmpdir(), 'netlabs-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=localhost', '-days', '1']);
  return { dir, cert, key, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** OpenSSL's PKCS#1 v1.5 decryption of what the client encrypted to the server's key. */
export async function rsaDecrypt(work: TlsWorkdir, encrypted: Uint8Array): Promise<Uint8Array> {
  const input = join(work.dir, `enc-${Date.now()}.bin`);
  await writeFile(input, encrypted);
  const { stdout } = await run('openssl', ['pkeyutl', '-decrypt', '-inkey', work.key, '-in', input, '-pkeyopt', 'rsa_padding_mode:pkcs1'], { encoding: 'buffer' });
  return new Uint8Array(stdout);
}

export interface TlsSession {
  /** Bytes the client sent, and the server, in order. */
  fromClient: Uint8Array;
  fromServer: Uint8Array;
  /** The server's NSS key log lines. */
  keylog: string;
  /** What Node's exportKeyingMaterial gave, by label and context ('' = none). */
  exported: { label: string; context: Uint8Array | null; value: Uint8Array }[];
  cipher: string;
  openssl: string;
}

export interface SessionOptions {
  /** TLS 1.2 by default; TLS 1.3 takes `ciphersuites` instead of `cipher`. */
  version?: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher name for the client to offer, e.g. 'AES128-GCM-SHA256' (RSA key exchange). */
  cipher?: string;
  /** TLS 1.3 suite for the server to allow, e.g. 'TLS_AES_256_GCM_SHA384'. */
  ciphersuites?: string;
  /** Raw SSL_OP_* bits for the client (1 = SSL_OP_NO_EXTENDED_MASTER_SECRET in OpenSSL 3). */
  secureOptions?: number;
  exports: { label: string; context: Uint8Array | null; length: number }[];
}

/** One TLS session: s_server ← relay ← Node client; the client exports, sends a request, reads to the end. */
export async function tlsSession(work: TlsWorkdir, options: SessionOptions): Promise<TlsSession> {
  const version: 'TLSv1.2' | 'TLSv1.3' = options.version ?? 'TLSv1.2';
  const serverPort = await freePort();
  const keylogFile = join(work.dir, `keylog-${serverPort}.txt`);
  const server = startProcess('openssl', [
    's_server', '-accept', `${LOOPBACK}:${serverPort}`, '-cert', work.cert, '-key', work.key, version === 'TLSv1.2' ? '-tls1_2' : '-tls1_3',
    ...(options.ciphersuites ? ['-ciphersuites', options.ciphersuites] : []),
    '-keylogfile', keylogFile, '-www',
  ]);
  const relay = await startRelay(serverPort);
  try {
    // s_server says ACCEPT once it listens (a probe connection would count as a session).
    await waitFor(async () => { if (!server.output().includes('ACCEPT')) throw new Error(server.output() || 'not yet'); }, 10_000, 'openssl s_server');
    const opensslVersion = (await run('openssl', ['version'])).stdout.trim();
    const exported: TlsSession['exported'] = [];
    let cipher = '';
    await new Promise<void>((resolve, reject) => {
      const socket = tlsConnect({
        host: LOOPBACK, port: relay.port, servername: 'localhost', rejectUnauthorized: false,
        minVersion: version, maxVersion: version, ciphers: options.cipher, secureOptions: options.secureOptions,
      });
      socket.setTimeout(15_000, () => socket.destroy(new Error('TLS session timed out')));
      socket.once('secureConnect', () => {
        cipher = socket.getCipher().standardName;
        for (const e of options.exports) {
          // Node's types ask for a context; at run time an absent one means "no context" (RFC 5705).
          const value = socket.exportKeyingMaterial(e.length, e.label, e.context === null ? (undefined as unknown as Buffer) : Buffer.from(e.context));
          exported.push({ label: e.label, context: e.context, value: new Uint8Array(value) });
        }
        socket.end('GET / HTTP/1.0\r\n\r\n');
      });
      socket.on('data', () => {});
      socket.once('error', reject);
      socket.once('close', () => resolve());
    });
    await relay.closed();
    const logged = version === 'TLSv1.2' ? 'CLIENT_RANDOM' : 'EXPORTER_SECRET';
    await waitFor(async () => { const text = await readFile(keylogFile, 'utf8'); if (!text.includes(logged)) throw new Error('no key log yet'); return text; }, 5_000, 'the key log');
    return { fromClient: relay.fromClient(), fromServer: relay.fromServer(), keylog: await readFile(keylogFile, 'utf8'), exported, cipher, openssl: opensslVersion };
  } finally {
    relay.stop();
    await server.stop();
  }
}

// ---- Reading the records --------------------------------------------------------------------

export interface TlsRecord { type: number; version: number; fragment: Uint8Array }

/** The TLS records in one direction's bytes (RFC 5246 §6.2.1). */
export function records(bytes: Uint8Array): TlsRecord[] {
  const out: TlsRecord[] = [];
  for (let at = 0; at + 5 <= bytes.length; ) {
    const length = (bytes[at + 3]! << 8) | bytes[at + 4]!;
    if (at + 5 + length > bytes.length) throw new Error('a record runs past the captured bytes');
    out.push({ type: bytes[at]!, version: (bytes[at + 1]! << 8) | bytes[at + 2]!, fragment: bytes.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return out;
}

export interface HandshakeMessage { type: number; body: Uint8Array; bytes: Uint8Array }

/** The plaintext handshake messages before ChangeCipherSpec, and the records after it. */
export function beforeAndAfterCcs(bytes: Uint8Array): { handshake: HandshakeMessage[]; encrypted: TlsRecord[] } {
  const all = records(bytes);
  const ccs = all.findIndex((r) => r.type === 20);
  const plain = Buffer.concat(all.slice(0, ccs < 0 ? all.length : ccs).filter((r) => r.type === 22).map((r) => r.fragment));
  const handshake: HandshakeMessage[] = [];
  for (let at = 0; at + 4 <= plain.length; ) {
    const length = (plain[at + 1]! << 16) | (plain[at + 2]! << 8) | plain[at + 3]!;
    const whole = new Uint8Array(plain.subarray(at, at + 4 + length));
    handshake.push({ type: whole[0]!, body: whole.subarray(4), bytes: whole });
    at += 4 + length;
  }
  return { handshake, encrypted: ccs < 0 ? [] : all.slice(ccs + 1) };
}

/** Whether a ClientHello or ServerHello body carries an extension of this type. */
export function hasExtension(helloBody: Uint8Array, type: number, isClient: boolean): boolean {
  let at = 2 + 32; // version, random
  at += 1 + helloBody[at]!; // session id
  if (isClient) {
    at += 2 + ((helloBody[at]! << 8) | helloBody[at + 1]!); // cipher suites
    at += 1 + helloBody[at]!; // compression methods
  } else {
    at += 2 + 1; // cipher suite, compression method
  }
  if (at >= helloBody.length) return false;
  const end = at + 2 + ((helloBody[at]! << 8) | helloBody[at + 1]!);
  for (at += 2; at + 4 <= end; ) {
    if (((helloBody[at]! << 8) | helloBody[at + 1]!) === type) return true;
    at += 4 + ((helloBody[at + 2]! << 8) | helloBody[at + 3]!);
  }
  return false;
}
