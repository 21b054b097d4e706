/**
 * Peer proof for labs/https/tls13-key-schedule: live TLS 1.3 sessions between `openssl s_server`
 * and Node's `tls` client on 127.0.0.1, through a relay of ours. The server's key log gives the
 * traffic secrets (not the (EC)DHE secret: neither OpenSSL nor Node exposes it, so the early,
 * handshake and master secrets are proven by RFC 8448 in the lab's own tests). From those
 * secrets the reference's keys and record nonces must decrypt every record both sides sent
 * (AEAD: one wrong byte fails the tag), its verify_data must be what both Finished messages
 * carry, and its exporter must give what Node's exportKeyingMaterial gives.
 */
import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPeers } from './support/peer';
import { makeWorkdir, records, tlsSession, type TlsRecord, type TlsSession, type TlsWorkdir } from './support/tls-openssl';
import type { HashName } from '../../labs/https/tls13-key-schedule/hash';
import { exportKeyingMaterial, finishedVerifyData, recordNonce, trafficKeys } from '../../labs/https/tls13-key-schedule/reference';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

interface Suite { name: string; hash: HashName; cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'; keyLength: number }
const SUITES: Suite[] = [
  { name: 'TLS_AES_128_GCM_SHA256', hash: 'sha256', cipher: 'aes-128-gcm', keyLength: 16 },
  { name: 'TLS_AES_256_GCM_SHA384', hash: 'sha384', cipher: 'aes-256-gcm', keyLength: 32 },
  { name: 'TLS_CHACHA20_POLY1305_SHA256', hash: 'sha256', cipher: 'chacha20-poly1305', keyLength: 32 },
];

const EXPORTS = [
  { label: 'EXPORTER-netlabs', context: null, length: 32 },
  { label: 'EXPORTER-netlabs', context: new TextEncoder().encode('context bytes'), length: 64 },
  { label: 'EXTRACTOR-dtls_srtp', context: null, length: 60 },
];

/** Open one TLS 1.3 record (RFC 8446 §5.2): the inner plaintext's content and type. */
function open(record: TlsRecord, suite: Suite, key: Uint8Array, iv: Uint8Array, seq: number): { type: number; content: Uint8Array } {
  const header = Uint8Array.of(record.type, record.version >> 8, record.version & 0xff, record.fragment.length >> 8, record.fragment.length & 0xff);
  // (One cast for the three AEADs: their decipher objects share setAAD and setAuthTag.)
  const d = createDecipheriv(suite.cipher as 'aes-256-gcm', key, recordNonce(iv, BigInt(seq)), { authTagLength: 16 });
  d.setAAD(header, { plaintextLength: record.fragment.length - 16 });
  d.setAuthTag(record.fragment.subarray(record.fragment.length - 16));
  const inner = concat(d.update(record.fragment.subarray(0, record.fragment.length - 16)), d.final());
  let end = inner.length - 1;
  while (end >= 0 && inner[end] === 0) end--; // zero padding after the content type
  return { type: inner[end]!, content: inner.subarray(0, end) };
}

/** Handshake messages (type, whole bytes) in a run of handshake content. */
function messages(content: Uint8Array): { type: number; bytes: Uint8Array }[] {
  const out: { type: number; bytes: Uint8Array }[] = [];
  for (let at = 0; at + 4 <= content.length; ) {
    const length = (content[at + 1]! << 16) | (content[at + 2]! << 8) | content[at + 3]!;
    out.push({ type: content[at]!, bytes: content.subarray(at, at + 4 + length) });
    at += 4 + length;
  }
  return out;
}

/** Decrypt one direction: the first `handshakeCount` encrypted records under the handshake keys, the rest under the application keys. */
function decryptDirection(bytes: Uint8Array, suite: Suite, hs: { key: Uint8Array; iv: Uint8Array }, ap: { key: Uint8Array; iv: Uint8Array }) {
  const all = records(bytes).filter((r) => r.type !== 20); // ChangeCipherSpec is compatibility only
  const plain = all.filter((r) => r.type === 22);
  const encrypted = all.filter((r) => r.type === 23);
  const handshake: Uint8Array[] = [];
  const application: { type: number; content: Uint8Array }[] = [];
  let seq = 0;
  let phase: 'handshake' | 'application' = 'handshake';
  for (const r of encrypted) {
    if (phase === 'handshake') {
      const opened = open(r, suite, hs.key, hs.iv, seq++);
      handshake.push(opened.content);
      if (messages(concat(...handshake)).some((m) => m.type === 20)) { phase = 'application'; seq = 0; } // after Finished, new keys
    } else {
      application.push(open(r, suite, ap.key, ap.iv, seq++));
    }
  }
  return { plain: messages(concat(...plain.map((r) => r.fragment))), handshake: messages(concat(...handshake)), application };
}

describeWithPeers('the TLS 1.3 key schedule reference against live OpenSSL sessions', ['openssl'], () => {
  for (const suite of SUITES) {
    describe(suite.name, () => {
      let work: TlsWorkdir;
      let session: TlsSession;
      beforeAll(async () => {
        work = await makeWorkdir();
        session = await tlsSession(work, { version: 'TLSv1.3', ciphersuites: suite.name, exports: EXPORTS });
      }, 60_000);
      afterAll(async () => { await work?.remove(); });

      it('its traffic keys open every record, its verify_data is both Finished, its exporter is Node\'s', () => {
        expect(session.cipher).toBe(suite.name);
        const secret = (name: string): Uint8Array => {
          const line = session.keylog.split('\n').find((l) => l.startsWith(`${name} `));
          expect(line, `${name} in the key log`).toBeDefined();
          return new Uint8Array(Buffer.from(line!.split(' ')[2]!, 'hex'));
        };
        const keys = (name: string) => trafficKeys(suite.hash, secret(name), suite.keyLength, 12);
        const server = decryptDirection(session.fromServer, suite, keys('SERVER_HANDSHAKE_TRAFFIC_SECRET'), keys('SERVER_TRAFFIC_SECRET_0'));
        const client = decryptDirection(session.fromClient, suite, keys('CLIENT_HANDSHAKE_TRAFFIC_SECRET'), keys('CLIENT_TRAFFIC_SECRET_0'));

        const clientHello = client.plain.find((m) => m.type === 1)!.bytes;
        const serverHello = server.plain.find((m) => m.type === 2)!.bytes;
        expect(server.handshake.map((m) => m.type), 'EncryptedExtensions, Certificate, CertificateVerify, Finished').toEqual([8, 11, 15, 20]);
        expect(client.handshake.map((m) => m.type), "the client's Finished").toEqual([20]);
        const [ee, cert, cv, serverFinished] = server.handshake.map((m) => m.bytes);
        const toCv = concat(clientHello, serverHello, ee!, cert!, cv!);
        expect(hex(serverFinished!.subarray(4))).toBe(hex(finishedVerifyData(suite.hash, secret('SERVER_HANDSHAKE_TRAFFIC_SECRET'), toCv)));
        expect(hex(client.handshake[0]!.bytes.subarray(4))).toBe(hex(finishedVerifyData(suite.hash, secret('CLIENT_HANDSHAKE_TRAFFIC_SECRET'), concat(toCv, serverFinished!))));

        // Under the application keys: the server's tickets and its HTTP answer, the client's request,
        // with sequence numbers from 0 (more than one record each way: the nonce must change).
        expect(server.application.length).toBeGreaterThan(1);
        expect(new TextDecoder().decode(client.application.find((r) => r.type === 23)!.content)).toBe('GET / HTTP/1.0\r\n\r\n');
        expect(server.application.filter((r) => r.type === 22).flatMap((r) => messages(r.content).map((m) => m.type))).toContain(4); // NewSessionTicket

        for (const e of session.exported) {
          expect(hex(exportKeyingMaterial(suite.hash, secret('EXPORTER_SECRET'), e.label, e.context ?? new Uint8Array(0), e.value.length)), `${e.label}`).toBe(hex(e.value));
        }
        if (process.env.PRINT_CAPTURE) console.log('CAPTURE', suite.name, hex(secret('EXPORTER_SECRET')), JSON.stringify(session.exported.map((e) => [e.label, e.context ? hex(e.context) : null, hex(e.value)])));
        console.log(`${suite.name}: ${server.application.length} server and ${client.application.length} client application records opened; ${session.openssl}, Node ${process.versions.node} (OpenSSL ${process.versions.openssl})`);
      });
    });
  }
});
