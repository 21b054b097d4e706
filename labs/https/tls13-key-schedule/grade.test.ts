import { expect, it } from 'vitest';
import { task, graded, vectors, forAll, fc, outcome, hex, fromHex, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { HASH_LENGTH, concat, type HashName } from './hash';
import * as trace from './rfc8448';
import type { HandshakeInput, Schedule } from './types';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

const bytesOf = (fn: () => Uint8Array) => {
  const r = outcome(fn);
  return r.ok ? { ok: true, hex: hex(r.value) } : r;
};
const want = (text: string) => ({ ok: true, hex: hex(fromHex(text)) });
const typed = (code: string) => ({ ok: false, error: 'Tls13KdfError', code });
const scheduleOf = (fn: () => Schedule) => {
  const r = outcome(fn);
  return r.ok ? { ok: true, ...Object.fromEntries(Object.entries(r.value).map(([k, v]) => [k, hex(v as Uint8Array)])) } : r;
};
const keysOf = (fn: () => { key: Uint8Array; iv: Uint8Array }) => {
  const r = outcome(fn);
  return r.ok ? { ok: true, key: hex(r.value.key), iv: hex(r.value.iv) } : r;
};

// ---- RFC 5869 Appendix A (SHA-256) ----------------------------------------------------------------
const A1 = {
  ikm: '0b'.repeat(22), salt: '000102030405060708090a0b0c', info: 'f0f1f2f3f4f5f6f7f8f9',
  prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
  okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
};
const A3 = {
  prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
  okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
};

// ---- RFC 8448 §3 and §4: what the trace lists ---------------------------------------------------
const M = (...parts: string[]) => fromHex(parts.join(''));
const HELLOS = M(trace.CLIENT_HELLO, trace.SERVER_HELLO);
const TO_CERTIFICATE_VERIFY = M(trace.CLIENT_HELLO, trace.SERVER_HELLO, trace.ENCRYPTED_EXTENSIONS, trace.CERTIFICATE, trace.CERTIFICATE_VERIFY);
const TO_SERVER_FINISHED = concat(TO_CERTIFICATE_VERIFY, fromHex(trace.SERVER_FINISHED));
const TO_CLIENT_FINISHED = concat(TO_SERVER_FINISHED, fromHex(trace.CLIENT_FINISHED));
const RFC8448: HandshakeInput = { psk: null, sharedSecret: fromHex(trace.SHARED_SECRET), helloMessages: HELLOS, serverFinishedMessages: TO_SERVER_FINISHED, clientFinishedMessages: TO_CLIENT_FINISHED };
const SECRETS: Record<keyof Schedule, string> = {
  earlySecret: '33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a',
  handshakeSecret: '1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac',
  masterSecret: '18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919',
  clientHandshakeTrafficSecret: 'b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21',
  serverHandshakeTrafficSecret: 'b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38',
  clientApplicationTrafficSecret: '9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5',
  serverApplicationTrafficSecret: 'a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643',
  exporterMasterSecret: 'fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50',
  resumptionMasterSecret: '7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c',
};
const DERIVED_FROM_EARLY = '6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba';

// ---- Generated inputs (fixed seed) ---------------------------------------------------------------
const hashName = fc.constantFrom<HashName>('sha256', 'sha384');
const bytes = (max: number, min = 0) => fc.uint8Array({ minLength: min, maxLength: max });
const secretFor = (h: HashName) => fc.uint8Array({ minLength: HASH_LENGTH[h], maxLength: HASH_LENGTH[h] });
const label = fc.array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 30 }).map((cs) => String.fromCharCode(...cs));

// =============================================================================================

task('hkdf', () => {
  it('RFC 5869 A.1: the PRK from a salt, and 42 bytes of OKM', () => {
    const prk = bytesOf(() => learner.hkdfExtract('sha256', fromHex(A1.salt), fromHex(A1.ikm)));
    expect(prk).toEqual(want(A1.prk));
    expect(bytesOf(() => learner.hkdfExpand('sha256', fromHex(A1.prk), fromHex(A1.info), 42))).toEqual(want(A1.okm));
  });

  it('RFC 5869 A.3: no salt and no info; a missing salt is HashLen zero bytes', () => {
    expect(bytesOf(() => learner.hkdfExtract('sha256', null, fromHex(A1.ikm)))).toEqual(want(A3.prk));
    expect(bytesOf(() => learner.hkdfExtract('sha256', new Uint8Array(32), fromHex(A1.ikm)))).toEqual(want(A3.prk));
    expect(bytesOf(() => learner.hkdfExpand('sha256', fromHex(A3.prk), new Uint8Array(0), 42))).toEqual(want(A3.okm));
  });

  graded('agrees with the reference on generated salts, keys, infos and lengths, with both hashes', 3, () => {
    forAll(fc.record({ h: hashName, salt: fc.option(bytes(80), { nil: null }), ikm: bytes(80), info: bytes(60), length: fc.integer({ min: 0, max: 300 }) }), ({ h, salt, ikm, info, length }) => {
      const prk = bytesOf(() => learner.hkdfExtract(h, salt, ikm));
      expect(prk).toEqual(bytesOf(() => reference.hkdfExtract(h, salt, ikm)));
      const key = reference.hkdfExtract(h, salt, ikm);
      expect(bytesOf(() => learner.hkdfExpand(h, key, info, length))).toEqual(bytesOf(() => reference.hkdfExpand(h, key, info, length)));
    });
  });

  it('allows 255 × HashLen bytes and refuses one more, a PRK shorter than HashLen and an unknown hash', () => {
    const prk = fromHex(A1.prk);
    expect(outcome(() => learner.hkdfExpand('sha256', prk, new Uint8Array(0), 255 * 32).length)).toEqual({ ok: true, value: 8160 });
    expect(bytesOf(() => learner.hkdfExpand('sha256', prk, new Uint8Array(0), 255 * 32 + 1))).toEqual(typed('bad-length'));
    expect(bytesOf(() => learner.hkdfExpand('sha256', prk.subarray(0, 31), new Uint8Array(0), 16))).toEqual(typed('bad-prk'));
    expect(bytesOf(() => learner.hkdfExtract('md5' as HashName, null, prk))).toEqual(typed('unknown-hash'));
  });
});

task('labels', () => {
  it('RFC 8448: Derive-Secret(early secret, "derived", "") before the handshake secret', () => {
    expect(bytesOf(() => learner.deriveSecret('sha256', fromHex(SECRETS.earlySecret), 'derived', new Uint8Array(0)))).toEqual(want(DERIVED_FROM_EARLY));
  });

  it("RFC 8448: the server's handshake key and IV, HKDF-Expand-Label with an empty context", () => {
    const secret = fromHex(SECRETS.serverHandshakeTrafficSecret);
    expect(bytesOf(() => learner.hkdfExpandLabel('sha256', secret, 'key', new Uint8Array(0), 16))).toEqual(want('3fce516009c21727d0f2e4e86ee403bc'));
    expect(bytesOf(() => learner.hkdfExpandLabel('sha256', secret, 'iv', new Uint8Array(0), 12))).toEqual(want('5d313eb2671276ee13000b30'));
  });

  graded('agrees with the reference on generated secrets, labels, contexts and lengths', 2, () => {
    forAll(hashName.chain((h) => fc.record({ h: fc.constant(h), secret: secretFor(h), l: label, context: bytes(64), length: fc.integer({ min: 0, max: 200 }) })), ({ h, secret, l, context, length }) => {
      expect(bytesOf(() => learner.hkdfExpandLabel(h, secret, l, context, length))).toEqual(bytesOf(() => reference.hkdfExpandLabel(h, secret, l, context, length)));
    });
  });

  graded('Derive-Secret agrees with the reference on generated transcripts', 1, () => {
    forAll(hashName.chain((h) => fc.record({ h: fc.constant(h), secret: secretFor(h), l: label, messages: bytes(300) })), ({ h, secret, l, messages }) => {
      expect(bytesOf(() => learner.deriveSecret(h, secret, l, messages))).toEqual(bytesOf(() => reference.deriveSecret(h, secret, l, messages)));
    });
  });

  it('refuses a label that does not fit HkdfLabel, a context over 255 bytes and a length over 65535', () => {
    const secret = fromHex(SECRETS.masterSecret);
    const none = new Uint8Array(0);
    expect(outcome(() => learner.hkdfExpandLabel('sha256', secret, 'x'.repeat(249), none, 8).length)).toEqual({ ok: true, value: 8 });
    expect(bytesOf(() => learner.hkdfExpandLabel('sha256', secret, 'x'.repeat(250), none, 8))).toEqual(typed('bad-label'));
    expect(bytesOf(() => learner.hkdfExpandLabel('sha256', secret, 'clé', none, 8))).toEqual(typed('bad-label'));
    expect(bytesOf(() => learner.hkdfExpandLabel('sha256', secret, 'key', new Uint8Array(256), 8))).toEqual(typed('bad-context'));
    expect(bytesOf(() => learner.hkdfExpandLabel('sha256', secret, 'key', none, 65536))).toEqual(typed('bad-length'));
  });
});

task('schedule', () => {
  vectors(
    (Object.keys(SECRETS) as (keyof Schedule)[]).map((name) => ({ name: `RFC 8448 §3: ${name}`, key: name })),
    ({ key }) => {
      const got = outcome(() => hex(learner.keySchedule('sha256', RFC8448)[key]));
      expect({ [key]: got }).toEqual({ [key]: { ok: true, value: hex(fromHex(SECRETS[key])) } });
    },
  );

  it("RFC 8448 §4: the ticket's PSK, and the early secret of the resumed handshake", () => {
    const psk = bytesOf(() => learner.ticketPsk('sha256', fromHex(SECRETS.resumptionMasterSecret), fromHex(trace.TICKET_NONCE)));
    expect(psk).toEqual(want('4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3'));
    const resumed = { ...RFC8448, psk: fromHex('4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3') };
    expect(outcome(() => hex(learner.keySchedule('sha256', resumed).earlySecret))).toEqual({ ok: true, value: hex(fromHex('9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c')) });
  });

  graded('agrees with the reference on generated handshakes, both hashes, with and without a PSK', 2, () => {
    const arb = hashName.chain((h) => fc.record({
      h: fc.constant(h),
      psk: fc.option(secretFor(h), { nil: null }),
      sharedSecret: bytes(66, 32),
      hellos: bytes(200, 80),
      toServerFinished: bytes(400),
      clientFinished: bytes(60, 36),
    }));
    forAll(arb, ({ h, psk, sharedSecret, hellos, toServerFinished, clientFinished }) => {
      const input: HandshakeInput = { psk, sharedSecret, helloMessages: hellos, serverFinishedMessages: concat(hellos, toServerFinished), clientFinishedMessages: concat(hellos, toServerFinished, clientFinished) };
      expect(scheduleOf(() => learner.keySchedule(h, input))).toEqual(scheduleOf(() => reference.keySchedule(h, input)));
    }, 60);
  });
});

task('traffic-keys', () => {
  it("RFC 8448: the client's handshake keys, and both sides' application keys (AES-128-GCM)", () => {
    const keys = (name: keyof Schedule) => keysOf(() => learner.trafficKeys('sha256', fromHex(SECRETS[name]), 16, 12));
    expect(keys('clientHandshakeTrafficSecret')).toEqual({ ok: true, key: hex(fromHex('dbfaa693d1762c5b666af5d950258d01')), iv: hex(fromHex('5bd3c71b836e0b76bb73265f')) });
    expect(keys('serverApplicationTrafficSecret')).toEqual({ ok: true, key: hex(fromHex('9f02283b6c9c07efc26bb9f2ac92e356')), iv: hex(fromHex('cf782b88dd83549aadf1e984')) });
    expect(keys('clientApplicationTrafficSecret')).toEqual({ ok: true, key: hex(fromHex('17422dda596ed5d9acd890e3c63f5051')), iv: hex(fromHex('5b78923dee08579033e523d9')) });
  });

  graded('agrees with the reference for AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305 key lengths', 1, () => {
    forAll(hashName.chain((h) => fc.record({ h: fc.constant(h), secret: secretFor(h), keyLength: fc.constantFrom(16, 32) })), ({ h, secret, keyLength }) => {
      expect(keysOf(() => learner.trafficKeys(h, secret, keyLength, 12))).toEqual(keysOf(() => reference.trafficKeys(h, secret, keyLength, 12)));
    });
  });

  it('record nonces: sequence 0 is the IV itself, 1 flips its last bit, 2^64 − 1 its last eight bytes', () => {
    const iv = fromHex('5d313eb2671276ee13000b30');
    expect(bytesOf(() => learner.recordNonce(iv, 0n))).toEqual(want('5d313eb2671276ee13000b30'));
    expect(bytesOf(() => learner.recordNonce(iv, 1n))).toEqual(want('5d313eb2671276ee13000b31'));
    expect(bytesOf(() => learner.recordNonce(iv, 0x0102n))).toEqual(want('5d313eb2671276ee13000a32'));
    expect(bytesOf(() => learner.recordNonce(iv, (1n << 64n) - 1n))).toEqual(want('5d313eb298ed8911ecfff4cf'));
  });

  graded('record nonces agree with the reference on generated IVs and sequence numbers', 2, () => {
    forAll(fc.record({ iv: bytes(16, 8), seq: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }), ({ iv, seq }) => {
      expect(bytesOf(() => learner.recordNonce(iv, seq))).toEqual(bytesOf(() => reference.recordNonce(iv, seq)));
    });
  });

  it('refuses a traffic secret of the wrong length, an IV under 8 bytes and a sequence number out of range', () => {
    expect(keysOf(() => learner.trafficKeys('sha384', fromHex(SECRETS.masterSecret), 32, 12))).toEqual(typed('bad-secret'));
    expect(bytesOf(() => learner.recordNonce(new Uint8Array(7), 0n))).toEqual(typed('bad-iv'));
    expect(bytesOf(() => learner.recordNonce(new Uint8Array(12), 1n << 64n))).toEqual(typed('bad-sequence'));
    expect(bytesOf(() => learner.recordNonce(new Uint8Array(12), -1n))).toEqual(typed('bad-sequence'));
  });
});

task('finished', () => {
  it("RFC 8448: the server's Finished, over the transcript up to CertificateVerify", () => {
    expect(bytesOf(() => learner.finishedVerifyData('sha256', fromHex(SECRETS.serverHandshakeTrafficSecret), TO_CERTIFICATE_VERIFY))).toEqual(want(trace.SERVER_FINISHED.slice(8)));
  });

  it("RFC 8448: the client's Finished, over the transcript up to the server's Finished", () => {
    expect(bytesOf(() => learner.finishedVerifyData('sha256', fromHex(SECRETS.clientHandshakeTrafficSecret), TO_SERVER_FINISHED))).toEqual(want(trace.CLIENT_FINISHED.slice(8)));
  });

  graded('agrees with the reference on generated base keys and transcripts', 2, () => {
    forAll(hashName.chain((h) => fc.record({ h: fc.constant(h), key: secretFor(h), messages: bytes(300) })), ({ h, key, messages }) => {
      expect(bytesOf(() => learner.finishedVerifyData(h, key, messages))).toEqual(bytesOf(() => reference.finishedVerifyData(h, key, messages)));
    });
  });

  it("exporters of a live session, as Node's exportKeyingMaterial gave them: without and with a context, SHA-256 and SHA-384", () => {
    // Captured on 127.0.0.1 between OpenSSL 3.0's s_server (its key log gave EXPORTER_SECRET) and
    // Node 22's tls client; tests/peers/https-tls13-key-schedule.peer.test.ts prints new ones.
    const captured = [
      { h: 'sha256' as const, secret: 'e6f7b2c1b3a1f752938dc24fb277afdcbb70ff4d127fc2994604d8b395786734', context: '', length: 32, out: 'faf193a6b0599fed4d1fa5d47473f715ba0a4639a4b1412fa968380a746ce6d6' },
      { h: 'sha256' as const, secret: 'e6f7b2c1b3a1f752938dc24fb277afdcbb70ff4d127fc2994604d8b395786734', context: '636f6e74657874206279746573', length: 64, out: '822cb53fc9b32eb087eadf023c96ff28c879c57c90a2193ff8dd923a33fb21a00046bc078288ae4b80c8dc935de9b1395832d7967436bfb36c1f8690fb28eed9' },
      { h: 'sha384' as const, secret: '79a85c4a44789f158bdfb4bf0adf8d9aebe370f07852e93b52d7ed61748225dc3698af9ffd5a3f3fbc67b02f0f3e6ccc', context: '', length: 32, out: 'f921186e3a15de5077545d7a485cf779104625c0917bd91577089157d98dec05' },
      { h: 'sha384' as const, secret: '79a85c4a44789f158bdfb4bf0adf8d9aebe370f07852e93b52d7ed61748225dc3698af9ffd5a3f3fbc67b02f0f3e6ccc', context: '636f6e74657874206279746573', length: 64, out: '06735918944bfb942068491234d3dc19b3300672dd65512a068aaaa5d09527558ba8d9d46cb9cff0037ee615f504a00597ea6ae71ab6de3c8613b632ab93bdf8' },
    ];
    for (const c of captured) {
      expect({ ...c, got: bytesOf(() => learner.exportKeyingMaterial(c.h, fromHex(c.secret), 'EXPORTER-netlabs', fromHex(c.context), c.length)) }).toEqual({ ...c, got: want(c.out) });
    }
  });

  graded('exporters agree with the reference on generated labels, contexts and lengths', 2, () => {
    forAll(hashName.chain((h) => fc.record({ h: fc.constant(h), secret: secretFor(h), l: label, context: bytes(40), length: fc.integer({ min: 0, max: 120 }) })), ({ h, secret, l, context, length }) => {
      expect(bytesOf(() => learner.exportKeyingMaterial(h, secret, l, context, length))).toEqual(bytesOf(() => reference.exportKeyingMaterial(h, secret, l, context, length)));
    });
  });
});
