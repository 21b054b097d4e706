/**
 * Peer proof for labs/https/tls12-prf: the reference's PRF against OpenSSL's own TLS1-PRF on
 * generated inputs, and against real TLS 1.2 sessions between `openssl s_server` and Node's
 * `tls` client on 127.0.0.1. From the server's key log (the master secret) and the bytes a relay
 * saw, the reference must: derive that master secret from the pre-master secret (decrypted with
 * the server's RSA key) for RSA key exchange, with and without the extended master secret;
 * cut a key block whose keys decrypt both Finished records (AEAD: a wrong byte fails the tag);
 * compute the verify_data those Finished messages carry; and reproduce Node's
 * exportKeyingMaterial. Nobody here chose the randoms or the secrets.
 */
import { execFile } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPeers } from './support/peer';
import { beforeAndAfterCcs, hasExtension, makeWorkdir, rsaDecrypt, tlsSession, type TlsRecord, type TlsSession, type TlsWorkdir } from './support/tls-openssl';
import { fc, samples } from '../../labs/kit';
import { hash, type HashName } from '../../labs/https/tls12-prf/hash';
import { CIPHER_SUITES, type KeyMaterial, type SuiteName } from '../../labs/https/tls12-prf/types';
import { extendedMasterSecret, exportKeyingMaterial, keyBlock, masterSecret, prf, verifyData } from '../../labs/https/tls12-prf/reference';

const run = promisify(execFile);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

async function opensslPrf(h: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Promise<string> {
  const { stdout } = await run('openssl', ['kdf', '-keylen', String(length), '-kdfopt', `digest:${h.toUpperCase()}`, '-kdfopt', `hexsecret:${hex(secret)}`,
    '-kdfopt', `hexseed:${hex(concat(Buffer.from(label, 'latin1'), seed))}`, 'TLS1-PRF']);
  return stdout.trim().replace(/:/g, '').toLowerCase();
}

/** Decrypt the first record after ChangeCipherSpec (sequence number 0) with one side's keys. */
function decryptFirst(record: TlsRecord, suite: SuiteName, key: Uint8Array, iv: Uint8Array): Uint8Array {
  const seq = new Uint8Array(8); // the first record under the new keys
  const tagLength = 16;
  if (suite.includes('CHACHA20')) {
    // RFC 7905: the 12-byte IV XOR the sequence number, left-padded; no explicit nonce.
    const nonce = new Uint8Array(iv);
    for (let i = 0; i < 8; i++) nonce[4 + i]! ^= seq[i]!;
    const ct = record.fragment.subarray(0, record.fragment.length - tagLength);
    const aad = concat(seq, Uint8Array.of(record.type, record.version >> 8, record.version & 0xff, ct.length >> 8, ct.length & 0xff));
    const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: tagLength });
    d.setAAD(aad, { plaintextLength: ct.length });
    d.setAuthTag(record.fragment.subarray(record.fragment.length - tagLength));
    return concat(d.update(ct), d.final());
  }
  // RFC 5288: the 4-byte fixed IV and the record's 8-byte explicit nonce.
  const nonce = concat(iv, record.fragment.subarray(0, 8));
  const ct = record.fragment.subarray(8, record.fragment.length - tagLength);
  const aad = concat(seq, Uint8Array.of(record.type, record.version >> 8, record.version & 0xff, ct.length >> 8, ct.length & 0xff));
  const d = createDecipheriv(key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', key, nonce, { authTagLength: tagLength });
  d.setAAD(aad);
  d.setAuthTag(record.fragment.subarray(record.fragment.length - tagLength));
  return concat(d.update(ct), d.final());
}

interface Case { what: string; cipher: string; suite: SuiteName; rsa: boolean; secureOptions?: number; ems: boolean }

// 1 = SSL_OP_NO_EXTENDED_MASTER_SECRET in OpenSSL 3 (Node passes secureOptions through as is).
const CASES: Case[] = [
  { what: 'RSA key exchange, extended master secret', cipher: 'AES128-GCM-SHA256', suite: 'TLS_RSA_WITH_AES_128_GCM_SHA256', rsa: true, ems: true },
  { what: 'RSA key exchange, no extended master secret', cipher: 'AES128-GCM-SHA256', suite: 'TLS_RSA_WITH_AES_128_GCM_SHA256', rsa: true, secureOptions: 1, ems: false },
  { what: 'ECDHE, AES-256-GCM with the SHA-384 PRF', cipher: 'ECDHE-RSA-AES256-GCM-SHA384', suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', rsa: false, ems: true },
  { what: 'ECDHE, ChaCha20-Poly1305', cipher: 'ECDHE-RSA-CHACHA20-POLY1305', suite: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', rsa: false, ems: true },
];

const EXPORTS = [
  { label: 'EXPORTER-netlabs', context: null, length: 32 },
  { label: 'EXPORTER-netlabs', context: new Uint8Array(0), length: 32 },
  { label: 'EXTRACTOR-dtls_srtp', context: null, length: 60 },
  { label: 'EXPORTER-netlabs', context: new TextEncoder().encode('context bytes'), length: 100 },
];

describeWithPeers('the TLS 1.2 PRF reference against OpenSSL and live sessions', ['openssl'], () => {
  it("agrees with OpenSSL's TLS1-PRF on generated secrets, labels, seeds and lengths, with both hashes", { timeout: 60_000 }, async () => {
    const inputs = samples(fc.record({
      h: fc.constantFrom<HashName>('sha256', 'sha384'),
      secret: fc.uint8Array({ minLength: 1, maxLength: 80 }),
      label: fc.array(fc.integer({ min: 0x20, max: 0x7e }), { minLength: 1, maxLength: 24 }).map((cs) => String.fromCharCode(...cs)),
      seed: fc.uint8Array({ minLength: 0, maxLength: 100 }),
      length: fc.integer({ min: 1, max: 300 }),
    }), 40);
    for (const { h, secret, label, seed, length } of inputs) {
      expect(hex(prf(h, secret, label, seed, length)), `${h} ${label} ${length}`).toBe(await opensslPrf(h, secret, label, seed, length));
    }
  });

  for (const c of CASES) {
    describe(c.what, () => {
      let work: TlsWorkdir;
      let session: TlsSession;
      beforeAll(async () => {
        work = await makeWorkdir();
        session = await tlsSession(work, { cipher: c.cipher, secureOptions: c.secureOptions, exports: EXPORTS });
      }, 60_000);
      afterAll(async () => { await work?.remove(); });

      it('derives the logged master secret, cuts keys that decrypt both Finished, and matches their verify_data and Node\'s exporters', async () => {
        expect(session.cipher).toBe(c.suite);
        const client = beforeAndAfterCcs(session.fromClient);
        const server = beforeAndAfterCcs(session.fromServer);
        const clientHello = client.handshake.find((m) => m.type === 1)!;
        const serverHello = server.handshake.find((m) => m.type === 2)!;
        const cke = client.handshake.find((m) => m.type === 16)!;
        const cr = clientHello.body.subarray(2, 34);
        const sr = serverHello.body.subarray(2, 34);
        const line = session.keylog.split('\n').find((l) => l.startsWith(`CLIENT_RANDOM ${hex(cr)} `));
        expect(line, 'the key log names this session').toBeDefined();
        const master = new Uint8Array(Buffer.from(line!.split(' ')[2]!, 'hex'));
        const prfHash = CIPHER_SUITES[c.suite].prf;
        expect(hasExtension(serverHello.body, 0x0017, false), 'extended_master_secret negotiated').toBe(c.ems);

        // The transcript up to ClientKeyExchange: the client's hello, the server's first flight
        // (everything before its ChangeCipherSpec but a NewSessionTicket), then ClientKeyExchange.
        const serverFlight = server.handshake.filter((m) => m.type !== 4);
        const upToCke = concat(clientHello.bytes, ...serverFlight.map((m) => m.bytes), cke.bytes);
        if (c.rsa) {
          const encrypted = cke.body.subarray(2, 2 + ((cke.body[0]! << 8) | cke.body[1]!));
          const premaster = await rsaDecrypt(work, encrypted);
          expect(hex(premaster.subarray(0, 2)), 'the client version leads the pre-master secret').toBe('0303');
          const derived = c.ems ? extendedMasterSecret(premaster, hash(prfHash, upToCke), prfHash) : masterSecret(premaster, cr, sr, prfHash);
          expect(hex(derived)).toBe(hex(master));
        }

        const keys: KeyMaterial = keyBlock(master, cr, sr, c.suite);
        const clientFinished = decryptFirst(client.encrypted[0]!, c.suite, keys.clientKey, keys.clientIv);
        const serverFinished = decryptFirst(server.encrypted[0]!, c.suite, keys.serverKey, keys.serverIv);
        expect(hex(clientFinished.subarray(0, 4))).toBe('1400000c');
        expect(hex(serverFinished.subarray(0, 4))).toBe('1400000c');
        expect(hex(clientFinished.subarray(4))).toBe(hex(verifyData(master, 'client', hash(prfHash, upToCke), prfHash)));
        const ticket = server.handshake.filter((m) => m.type === 4).map((m) => m.bytes);
        expect(hex(serverFinished.subarray(4))).toBe(hex(verifyData(master, 'server', hash(prfHash, concat(upToCke, clientFinished, ...ticket)), prfHash)));

        for (const e of session.exported) {
          expect(hex(exportKeyingMaterial(master, e.label, cr, sr, e.context, e.value.length, prfHash)), `${e.label} ${e.context ? hex(e.context) : 'no context'}`).toBe(hex(e.value));
        }
        console.log(`${c.suite}: verified against ${session.openssl} and Node ${process.versions.node} (OpenSSL ${process.versions.openssl})`);
      });
    });
  }
});
