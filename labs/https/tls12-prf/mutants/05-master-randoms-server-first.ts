// Bug: the master secret takes ServerHello.random first, as the key block does.
/**
 * TLS 1.2's pseudo-random function and what TLS derives with it (RFC 5246 §5, §6.3, §7.4.9,
 * §8.1; RFC 7627; RFC 5705). Reference implementation.
 */
import { HASH_LENGTH, ascii, concat, hmac, isHashName, type HashName } from './hash';
import {
  CIPHER_SUITES,
  MASTER_SECRET_LENGTH,
  MAX_OUTPUT,
  RANDOM_LENGTH,
  TlsKdfError,
  VERIFY_DATA_LENGTH,
  type KeyMaterial,
  type SuiteName,
} from './types';

export { TlsKdfError, CIPHER_SUITES } from './types';
export type { HashName, KeyMaterial, SuiteName, TlsKdfErrorCode } from './types';

function checkHash(name: unknown): asserts name is HashName {
  if (!isHashName(name)) throw new TlsKdfError('unknown-hash', `no hash named ${String(name)}`);
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0 || length > MAX_OUTPUT) throw new TlsKdfError('bad-length', `length ${length}`);
}

function checkLabel(label: string): void {
  if (!/^[\x20-\x7e]*$/.test(label)) throw new TlsKdfError('bad-label', 'labels are printable ASCII');
}

function checkRandoms(clientRandom: Uint8Array, serverRandom: Uint8Array): void {
  if (clientRandom.length !== RANDOM_LENGTH) throw new TlsKdfError('bad-random', `client random of ${clientRandom.length} bytes`);
  if (serverRandom.length !== RANDOM_LENGTH) throw new TlsKdfError('bad-random', `server random of ${serverRandom.length} bytes`);
}

function checkMaster(master: Uint8Array): void {
  if (master.length !== MASTER_SECRET_LENGTH) throw new TlsKdfError('bad-master', `master secret of ${master.length} bytes`);
}

// ---- Task 1: P_hash (RFC 5246 §5) ------------------------------------------------------------

/**
 * P_hash(secret, seed): HMAC_hash(secret, A(i) + seed) for i = 1, 2, ..., with A(0) = seed and
 * A(i) = HMAC_hash(secret, A(i − 1)), concatenated and cut to `length` bytes.
 */
export function pHash(hashName: HashName, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  checkHash(hashName);
  checkLength(length);
  const out = new Uint8Array(length);
  let a = seed;
  for (let at = 0; at < length; ) {
    a = hmac(hashName, secret, a);
    const block = hmac(hashName, secret, concat(a, seed));
    const take = Math.min(block.length, length - at);
    out.set(block.subarray(0, take), at);
    at += take;
  }
  return out;
}

// ---- Task 2: the PRF --------------------------------------------------------------------------

/** PRF(secret, label, seed) = P_hash(secret, label + seed), the label's ASCII bytes without a NUL. */
export function prf(hashName: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  checkHash(hashName);
  checkLabel(label);
  checkLength(length);
  return pHash(hashName, secret, concat(ascii(label), seed), length);
}

// ---- Task 3: the master secret (RFC 5246 §8.1, RFC 7627 §4) ---------------------------------

/** PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]. */
export function masterSecret(premaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, hashName: HashName = 'sha256'): Uint8Array {
  checkHash(hashName);
  if (premaster.length === 0) throw new TlsKdfError('bad-premaster');
  checkRandoms(clientRandom, serverRandom);
  return prf(hashName, premaster, 'master secret', concat(serverRandom, clientRandom), MASTER_SECRET_LENGTH);
}

/** RFC 7627: PRF(pre_master_secret, "extended master secret", session_hash)[0..47]. */
export function extendedMasterSecret(premaster: Uint8Array, sessionHash: Uint8Array, hashName: HashName = 'sha256'): Uint8Array {
  checkHash(hashName);
  if (premaster.length === 0) throw new TlsKdfError('bad-premaster');
  if (sessionHash.length !== HASH_LENGTH[hashName]) throw new TlsKdfError('bad-hash-length', `session hash of ${sessionHash.length} bytes`);
  return prf(hashName, premaster, 'extended master secret', sessionHash, MASTER_SECRET_LENGTH);
}

// ---- Task 4: the key block (RFC 5246 §6.3) ----------------------------------------------------

/**
 * PRF(master_secret, "key expansion", ServerHello.random + ClientHello.random), as long as the
 * suite needs, cut in this order: client MAC key, server MAC key, client key, server key,
 * client IV, server IV. The suite also names the PRF's hash.
 */
export function keyBlock(master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, suiteName: SuiteName): KeyMaterial {
  checkMaster(master);
  checkRandoms(clientRandom, serverRandom);
  if (!Object.hasOwn(CIPHER_SUITES, suiteName)) throw new TlsKdfError('unknown-suite', `no suite named ${String(suiteName)}`);
  const suite = CIPHER_SUITES[suiteName];
  const sizes: number[] = [suite.macKeyLength, suite.macKeyLength, suite.keyLength, suite.keyLength, suite.fixedIvLength, suite.fixedIvLength];
  const block = prf(suite.prf, master, 'key expansion', concat(serverRandom, clientRandom), sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  const [clientMacKey, serverMacKey, clientKey, serverKey, clientIv, serverIv] = sizes.map((n) => block.slice(at, (at += n)));
  return { clientMacKey: clientMacKey!, serverMacKey: serverMacKey!, clientKey: clientKey!, serverKey: serverKey!, clientIv: clientIv!, serverIv: serverIv! };
}

// ---- Task 5: Finished and exporters (RFC 5246 §7.4.9, RFC 5705 §4) ---------------------------

/** verify_data = PRF(master_secret, "client finished" | "server finished", Hash(handshake_messages))[0..11]. */
export function verifyData(master: Uint8Array, sender: 'client' | 'server', handshakeHash: Uint8Array, hashName: HashName = 'sha256'): Uint8Array {
  checkHash(hashName);
  checkMaster(master);
  if (handshakeHash.length !== HASH_LENGTH[hashName]) throw new TlsKdfError('bad-hash-length', `handshake hash of ${handshakeHash.length} bytes`);
  return prf(hashName, master, sender === 'client' ? 'client finished' : 'server finished', handshakeHash, VERIFY_DATA_LENGTH);
}

/** Labels the PRF already uses inside TLS 1.2: an exporter must not reuse them. */
export const RESERVED_LABELS: readonly string[] = ['client finished', 'server finished', 'master secret', 'extended master secret', 'key expansion'];

/**
 * RFC 5705: PRF(master_secret, label, client_random + server_random [+ context_length(2) +
 * context]). No context (null) and an empty context are different exporters.
 */
export function exportKeyingMaterial(
  master: Uint8Array,
  label: string,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  context: Uint8Array | null,
  length: number,
  hashName: HashName = 'sha256',
): Uint8Array {
  checkHash(hashName);
  checkMaster(master);
  checkLabel(label);
  if (RESERVED_LABELS.includes(label)) throw new TlsKdfError('reserved-label', `"${label}" is the PRF's own`);
  checkRandoms(clientRandom, serverRandom);
  if (context !== null && context.length > 0xffff) throw new TlsKdfError('bad-context', `context of ${context.length} bytes`);
  checkLength(length);
  const seed = context === null ? concat(clientRandom, serverRandom) : concat(clientRandom, serverRandom, Uint8Array.of(context.length >> 8, context.length & 0xff), context);
  return prf(hashName, master, label, seed, length);
}
