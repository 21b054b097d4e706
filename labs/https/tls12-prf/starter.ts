/**
 * TLS 1.2's PRF and what TLS derives with it. Read instructions.md for the rules; hash.ts has
 * HMAC and the hashes, types.ts the cipher suites and the error to throw.
 */
import { HASH_LENGTH, ascii, concat, hmac, isHashName, type HashName } from './hash';
import { CIPHER_SUITES, MASTER_SECRET_LENGTH, MAX_OUTPUT, RANDOM_LENGTH, TlsKdfError, VERIFY_DATA_LENGTH, type KeyMaterial, type SuiteName } from './types';

export { TlsKdfError, CIPHER_SUITES } from './types';
export type { HashName, KeyMaterial, SuiteName, TlsKdfErrorCode } from './types';

// (Imported for you; remove what you do not use.)
void [HASH_LENGTH, ascii, concat, hmac, isHashName, CIPHER_SUITES, TlsKdfError, MASTER_SECRET_LENGTH, MAX_OUTPUT, RANDOM_LENGTH, VERIFY_DATA_LENGTH];

// ---- Task 1: P_hash (RFC 5246 §5) ------------------------------------------------------------

/** P_hash(secret, seed), cut to `length` bytes. */
export function pHash(hashName: HashName, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  throw new Error('TODO: pHash');
}

// ---- Task 2: the PRF --------------------------------------------------------------------------

/** PRF(secret, label, seed), `length` bytes. */
export function prf(hashName: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  throw new Error('TODO: prf');
}

// ---- Task 3: the master secret (RFC 5246 §8.1, RFC 7627 §4) ---------------------------------

/** The 48-byte master secret from the pre-master secret and both hello randoms. */
export function masterSecret(premaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, hashName: HashName = 'sha256'): Uint8Array {
  throw new Error('TODO: masterSecret');
}

/** The 48-byte extended master secret from the pre-master secret and the session hash. */
export function extendedMasterSecret(premaster: Uint8Array, sessionHash: Uint8Array, hashName: HashName = 'sha256'): Uint8Array {
  throw new Error('TODO: extendedMasterSecret');
}

// ---- Task 4: the key block (RFC 5246 §6.3) ----------------------------------------------------

/** Each side's MAC key, key and IV for `suiteName`, from the master secret and both randoms. */
export function keyBlock(master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, suiteName: SuiteName): KeyMaterial {
  throw new Error('TODO: keyBlock');
}

// ---- Task 5: Finished and exporters (RFC 5246 §7.4.9, RFC 5705 §4) ---------------------------

/** The 12 bytes of verify_data in the client's or the server's Finished. */
export function verifyData(master: Uint8Array, sender: 'client' | 'server', handshakeHash: Uint8Array, hashName: HashName = 'sha256'): Uint8Array {
  throw new Error('TODO: verifyData');
}

/** RFC 5705 keying material: `length` bytes for `label`, with or without a context. */
export function exportKeyingMaterial(
  master: Uint8Array,
  label: string,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  context: Uint8Array | null,
  length: number,
  hashName: HashName = 'sha256',
): Uint8Array {
  throw new Error('TODO: exportKeyingMaterial');
}
