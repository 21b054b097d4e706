import { expect, it } from 'vitest';
import { task, graded, vectors, forAll, fc, outcome, hex, fromHex, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { ascii, concat, hash } from './hash';
import { CIPHER_SUITES, MAX_OUTPUT, type HashName, type KeyMaterial, type SuiteName } from './types';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

/** Hex of a result, or the error it threw: what learner and reference are compared on. */
const bytesOf = (fn: () => Uint8Array) => {
  const r = outcome(fn);
  return r.ok ? { ok: true, hex: hex(r.value) } : r;
};
const keysOf = (fn: () => KeyMaterial) => {
  const r = outcome(fn);
  if (!r.ok) return r;
  const k = r.value;
  return { ok: true, clientMacKey: hex(k.clientMacKey), serverMacKey: hex(k.serverMacKey), clientKey: hex(k.clientKey), serverKey: hex(k.serverKey), clientIv: hex(k.clientIv), serverIv: hex(k.serverIv) };
};
const want = (text: string) => ({ ok: true, hex: hex(fromHex(text)) });
const typed = (code: string) => ({ ok: false, error: 'TlsKdfError', code });

// ---- Published vectors and values worked out with OpenSSL's TLS1-PRF -----------------------------
// The TLS 1.2 PRF test vectors posted to the IETF TLS list and used by many implementations
// (OpenSSL's, Go's and others' test suites); OpenSSL 3's `openssl kdf ... TLS1-PRF` prints the same.
const V256 = {
  secret: '9b be 43 6b a9 40 f0 17 b1 76 52 84 9a 71 db 35',
  seed: 'a0 ba 9f 93 6c da 31 18 27 a6 f7 96 ff d5 19 8c',
  out:
    'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab' +
    '4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66',
};
const V384 = {
  secret: 'b8 0b 73 3d 6c ee fc dc 71 56 6e a4 8e 55 67 df',
  seed: 'cd 66 5c f6 a8 44 7d d6 ff 8b 27 55 5e db 74 65',
  out:
    '7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd' +
    '8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6' +
    '91c8f3a26854308d5eaa3be85e0990703d73e56f',
};
const TEST_LABEL = 'test label';

// A handshake's inputs for the derivations below (their outputs: `openssl kdf -kdfopt digest:...
// -kdfopt hexsecret:... -kdfopt hexseed:<label><seed> TLS1-PRF`, the seed written as TLS lays it out).
const PRE = fromHex('0303030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e');
const CR = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const SR = fromHex('fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0');
const MS = 'de76d1bbdbe5cddc559bc073ca47be349c2e16f6ab12b98ae6924f348a3ae10d0e6afc8fc82c6f6e8f872b2c71dc799f';
const MS_384 = '9d3beb646ab6ad353faffe0d092d83a76238cf24fd82950af91f54aa05a07c0b788ab2d1f5fab03d21ce78c2a766f8d1';
const SESSION_HASH = hash('sha256', ascii('netlabs session'));
const EMS = 'e9183800e6d6bdddec131aa61e8a6616586b9ba2cf60614360e7d8b7d92687aa5a13d81ccea6c62b18c9cd969af460bf';
// "key expansion" + SR + CR over MS, as long as the longest suite needs, per PRF hash.
const KEY_BLOCK_256 =
  'ba7f5cfe06bdbbd3dddd954ae7c821120c18107c37d9a415d7ec20063b7dd448f0a04b8b997c708ba0a55d9e07e078ac9f11de1bc56819f7ddf166753c2d4339' +
  '00b62aabacf5fc5abff5c954d51213936ac317177a556b8178444f2b83922e52';
const KEY_BLOCK_384 =
  '6872d51f706b8e27017242574e16014dde67aa920cbaa8b5c2e3c9231eeafbdd431d7211b0e6331030f23bbab8ea97be3017b814a28b58a53935f90a207d36b3' +
  'c5f5ddeb653eaa15d252367e2f5d28bf4f612a7b60a8fa8a9a7f659263e0363fa945f423647d7b45f857c90b140366b83cdff64351df93b5278ee6838321dcb2' +
  '3b19e239a44448f14cc96825202b60b542933114c5ee4cc682344679cee5b1ed';
const HANDSHAKE_HASH = hash('sha256', ascii('netlabs handshake'));
const EXPORTER_LABEL = 'EXPORTER-netlabs';

// ---- Generated inputs (fixed seed) ---------------------------------------------------------------
const bytes = (max: number, min = 0) => fc.uint8Array({ minLength: min, maxLength: max });
const random32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const hashName = fc.constantFrom<HashName>('sha256', 'sha384');
const label = fc.array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 24 }).map((cs) => String.fromCharCode(...cs));
const SUITES = Object.keys(CIPHER_SUITES) as SuiteName[];

// =============================================================================================

task('p-hash', () => {
  it('P_SHA256 of the published vector: 100 bytes', () => {
    expect(bytesOf(() => learner.pHash('sha256', fromHex(V256.secret), concat(ascii(TEST_LABEL), fromHex(V256.seed)), 100))).toEqual(want(V256.out));
  });

  it('P_SHA384 of the published vector: 148 bytes', () => {
    expect(bytesOf(() => learner.pHash('sha384', fromHex(V384.secret), concat(ascii(TEST_LABEL), fromHex(V384.seed)), 148))).toEqual(want(V384.out));
  });

  graded('any length is a prefix of the same stream: 0, 1, one block less one, one block, one more, 100 bytes', 2, () => {
    const seed = concat(ascii(TEST_LABEL), fromHex(V256.seed));
    const full = fromHex(V256.out);
    for (const n of [0, 1, 31, 32, 33, 64, 65, 100]) {
      expect({ length: n, ...bytesOf(() => learner.pHash('sha256', fromHex(V256.secret), seed, n)) }).toEqual({ length: n, ok: true, hex: hex(full.subarray(0, n)) });
    }
  });

  graded('agrees with the reference on generated secrets, seeds and lengths', 3, () => {
    forAll(fc.record({ h: hashName, secret: bytes(80), seed: bytes(100), length: fc.integer({ min: 0, max: 300 }) }), ({ h, secret, seed, length }) => {
      expect(bytesOf(() => learner.pHash(h, secret, seed, length))).toEqual(bytesOf(() => reference.pHash(h, secret, seed, length)));
    });
  });

  it('refuses a length that is negative, fractional or above MAX_OUTPUT, and an unknown hash', () => {
    const s = fromHex(V256.secret);
    for (const n of [-1, 2.5, MAX_OUTPUT + 1, Number.NaN]) expect({ length: n, ...bytesOf(() => learner.pHash('sha256', s, s, n)) }).toEqual({ length: n, ...typed('bad-length') });
    expect(bytesOf(() => learner.pHash('md5' as HashName, s, s, 16))).toEqual(typed('unknown-hash'));
  });
});

task('prf', () => {
  it('PRF with SHA-256: the published vector, label "test label"', () => {
    expect(bytesOf(() => learner.prf('sha256', fromHex(V256.secret), TEST_LABEL, fromHex(V256.seed), 100))).toEqual(want(V256.out));
  });

  it('PRF with SHA-384: the published vector', () => {
    expect(bytesOf(() => learner.prf('sha384', fromHex(V384.secret), TEST_LABEL, fromHex(V384.seed), 148))).toEqual(want(V384.out));
  });

  graded('agrees with the reference on generated labels, secrets and seeds', 2, () => {
    forAll(fc.record({ h: hashName, secret: bytes(64), l: label, seed: bytes(80), length: fc.integer({ min: 0, max: 200 }) }), ({ h, secret, l, seed, length }) => {
      expect(bytesOf(() => learner.prf(h, secret, l, seed, length))).toEqual(bytesOf(() => reference.prf(h, secret, l, seed, length)));
    });
  });

  it('refuses a label outside printable ASCII', () => {
    for (const bad of ['master secret\0', 'clé', 'tab\there']) expect({ label: bad, ...bytesOf(() => learner.prf('sha256', PRE, bad, CR, 16)) }).toEqual({ label: bad, ...typed('bad-label') });
  });
});

task('master-secret', () => {
  it('the master secret from a pre-master secret and both randoms', () => {
    expect(bytesOf(() => learner.masterSecret(PRE, CR, SR))).toEqual(want(MS));
  });

  it('with SHA-384, for a *_SHA384 cipher suite', () => {
    expect(bytesOf(() => learner.masterSecret(PRE, CR, SR, 'sha384'))).toEqual(want(MS_384));
  });

  it('the extended master secret from the session hash (RFC 7627)', () => {
    expect(bytesOf(() => learner.extendedMasterSecret(PRE, SESSION_HASH))).toEqual(want(EMS));
  });

  graded('agrees with the reference on generated secrets and randoms; the randoms in the other order give another secret', 2, () => {
    forAll(fc.record({ h: hashName, pre: bytes(64, 1), cr: random32, sr: random32 }), ({ h, pre, cr, sr }) => {
      const mine = bytesOf(() => learner.masterSecret(pre, cr, sr, h));
      expect(mine).toEqual(bytesOf(() => reference.masterSecret(pre, cr, sr, h)));
      if (hex(cr) !== hex(sr)) expect(mine).not.toEqual(bytesOf(() => reference.masterSecret(pre, sr, cr, h)));
    });
  });

  graded('the extended master secret agrees with the reference on generated secrets and session hashes', 2, () => {
    forAll(fc.record({ h: hashName, pre: bytes(64, 1), transcript: bytes(200) }), ({ h, pre, transcript }) => {
      const sessionHash = hash(h, transcript);
      expect(bytesOf(() => learner.extendedMasterSecret(pre, sessionHash, h))).toEqual(bytesOf(() => reference.extendedMasterSecret(pre, sessionHash, h)));
    });
  });

  it('refuses an empty pre-master secret, randoms that are not 32 bytes and a session hash of the wrong length', () => {
    expect(bytesOf(() => learner.masterSecret(new Uint8Array(0), CR, SR))).toEqual(typed('bad-premaster'));
    expect(bytesOf(() => learner.masterSecret(PRE, CR.subarray(1), SR))).toEqual(typed('bad-random'));
    expect(bytesOf(() => learner.masterSecret(PRE, CR, concat(SR, Uint8Array.of(0))))).toEqual(typed('bad-random'));
    expect(bytesOf(() => learner.extendedMasterSecret(PRE, SESSION_HASH, 'sha384'))).toEqual(typed('bad-hash-length'));
  });
});

task('key-block', () => {
  /** The expected keys of a suite: the stream of its PRF hash, cut in RFC 5246 §6.3's order. */
  const expected = (name: SuiteName) => {
    const s = CIPHER_SUITES[name];
    const stream = fromHex(s.prf === 'sha256' ? KEY_BLOCK_256 : KEY_BLOCK_384);
    let at = 0;
    const cut = (n: number) => hex(stream.subarray(at, (at += n)));
    return { ok: true, clientMacKey: cut(s.macKeyLength), serverMacKey: cut(s.macKeyLength), clientKey: cut(s.keyLength), serverKey: cut(s.keyLength), clientIv: cut(s.fixedIvLength), serverIv: cut(s.fixedIvLength) };
  };
  vectors(
    SUITES.map((suite) => {
      const s = CIPHER_SUITES[suite];
      return { name: `${suite}: ${s.macKeyLength}-byte MAC keys, ${s.keyLength}-byte keys, ${s.fixedIvLength}-byte IVs, PRF ${s.prf}`, suite };
    }),
    ({ suite }) => {
      expect(keysOf(() => learner.keyBlock(fromHex(MS), CR, SR, suite))).toEqual(expected(suite));
    },
  );

  graded('agrees with the reference for every suite on generated master secrets and randoms', 2, () => {
    forAll(fc.record({ suite: fc.constantFrom(...SUITES), ms: fc.uint8Array({ minLength: 48, maxLength: 48 }), cr: random32, sr: random32 }), ({ suite, ms, cr, sr }) => {
      expect(keysOf(() => learner.keyBlock(ms, cr, sr, suite))).toEqual(keysOf(() => reference.keyBlock(ms, cr, sr, suite)));
    });
  });

  it('refuses a master secret that is not 48 bytes and a suite it does not know', () => {
    expect(keysOf(() => learner.keyBlock(fromHex(MS).subarray(0, 47), CR, SR, 'TLS_RSA_WITH_AES_128_GCM_SHA256'))).toEqual(typed('bad-master'));
    expect(keysOf(() => learner.keyBlock(fromHex(MS), CR, SR, 'TLS_RSA_WITH_RC4_128_MD5' as SuiteName))).toEqual(typed('unknown-suite'));
  });
});

task('finished-exporter', () => {
  it("verify_data in the client's and in the server's Finished", () => {
    expect(bytesOf(() => learner.verifyData(fromHex(MS), 'client', HANDSHAKE_HASH))).toEqual(want('e00f34d1db434b2605e89ceb'));
    expect(bytesOf(() => learner.verifyData(fromHex(MS), 'server', HANDSHAKE_HASH))).toEqual(want('f83f9a0224c4f1bdb7b50645'));
  });

  graded('verify_data agrees with the reference on generated master secrets and transcripts', 2, () => {
    forAll(fc.record({ h: hashName, ms: fc.uint8Array({ minLength: 48, maxLength: 48 }), sender: fc.constantFrom<'client' | 'server'>('client', 'server'), transcript: bytes(300) }), ({ h, ms, sender, transcript }) => {
      const hh = hash(h, transcript);
      expect(bytesOf(() => learner.verifyData(ms, sender, hh, h))).toEqual(bytesOf(() => reference.verifyData(ms, sender, hh, h)));
    });
  });

  it('an exporter without a context, as exportKeyingMaterial(length, label) asks for', () => {
    expect(bytesOf(() => learner.exportKeyingMaterial(fromHex(MS), EXPORTER_LABEL, CR, SR, null, 32))).toEqual(want('3adbd00eadc3b282a90d990d117d575721d2ab4d6d6aacf160b2596274a5dd5a'));
  });

  it('an empty context is not the same as no context: its two length bytes are in the seed', () => {
    expect(bytesOf(() => learner.exportKeyingMaterial(fromHex(MS), EXPORTER_LABEL, CR, SR, new Uint8Array(0), 32))).toEqual(want('2735d2d22a0796f98d9b524ea234c954f93f9babc863f0af1489dd6930181d01'));
  });

  it('an exporter with a context ("hello")', () => {
    expect(bytesOf(() => learner.exportKeyingMaterial(fromHex(MS), EXPORTER_LABEL, CR, SR, ascii('hello'), 32))).toEqual(want('7f4597afcb4678cae46978ffaee80c40e54b8d9031b5fc8d3772e98cfc8cc4c6'));
  });

  graded('exporters agree with the reference on generated labels, contexts and lengths', 2, () => {
    const context = fc.oneof(fc.constant(null), fc.constant(new Uint8Array(0)), bytes(40, 1));
    forAll(fc.record({ h: hashName, ms: fc.uint8Array({ minLength: 48, maxLength: 48 }), l: label, cr: random32, sr: random32, ctx: context, length: fc.integer({ min: 0, max: 120 }) }), ({ h, ms, l, cr, sr, ctx, length }) => {
      expect(bytesOf(() => learner.exportKeyingMaterial(ms, l, cr, sr, ctx, length, h))).toEqual(bytesOf(() => reference.exportKeyingMaterial(ms, l, cr, sr, ctx, length, h)));
    });
  });

  it("refuses the PRF's own labels and a context longer than 65535 bytes", () => {
    for (const l of ['client finished', 'server finished', 'master secret', 'extended master secret', 'key expansion']) {
      expect({ label: l, ...bytesOf(() => learner.exportKeyingMaterial(fromHex(MS), l, CR, SR, null, 16)) }).toEqual({ label: l, ...typed('reserved-label') });
    }
    expect(bytesOf(() => learner.exportKeyingMaterial(fromHex(MS), EXPORTER_LABEL, CR, SR, new Uint8Array(0x10000), 16))).toEqual(typed('bad-context'));
  });
});
