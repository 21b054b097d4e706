/**
 * The TLS 1.3 key schedule. Read instructions.md for the rules; hash.ts has HMAC and the hashes,
 * types.ts the error to throw and the shapes of the schedule's input and output, rfc8448.ts a
 * real handshake to try your code on.
 */
import { HASH_LENGTH, ascii, concat, hash, hmac, isHashName, type HashName } from './hash';
import { Tls13KdfError, type HandshakeInput, type Schedule } from './types';

export { Tls13KdfError } from './types';
export type { HandshakeInput, HashName, Schedule, Tls13KdfErrorCode } from './types';

// (Imported for you; remove what you do not use.)
void [HASH_LENGTH, ascii, concat, hash, hmac, isHashName, Tls13KdfError];

// ---- Task 1: HKDF (RFC 5869 §2) --------------------------------------------------------------

/** HKDF-Extract(salt, IKM); a null salt is HashLen zero bytes. */
export function hkdfExtract(hashName: HashName, salt: Uint8Array | null, ikm: Uint8Array): Uint8Array {
  throw new Error('TODO: hkdfExtract');
}

/** HKDF-Expand(PRK, info, L). */
export function hkdfExpand(hashName: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  throw new Error('TODO: hkdfExpand');
}

// ---- Task 2: HKDF-Expand-Label and Derive-Secret (RFC 8446 §7.1) ----------------------------

export function hkdfExpandLabel(hashName: HashName, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  throw new Error('TODO: hkdfExpandLabel');
}

export function deriveSecret(hashName: HashName, secret: Uint8Array, label: string, messages: Uint8Array): Uint8Array {
  throw new Error('TODO: deriveSecret');
}

// ---- Task 3: the key schedule (RFC 8446 §7.1) -------------------------------------------------

export function keySchedule(hashName: HashName, input: HandshakeInput): Schedule {
  throw new Error('TODO: keySchedule');
}

/** The PSK a NewSessionTicket with this ticket_nonce gives (RFC 8446 §4.6.1). */
export function ticketPsk(hashName: HashName, resumptionMasterSecret: Uint8Array, ticketNonce: Uint8Array): Uint8Array {
  throw new Error('TODO: ticketPsk');
}

// ---- Task 4: traffic keys and record nonces (RFC 8446 §7.3, §5.3) ----------------------------

export function trafficKeys(hashName: HashName, secret: Uint8Array, keyLength: number, ivLength: number): { key: Uint8Array; iv: Uint8Array } {
  throw new Error('TODO: trafficKeys');
}

export function recordNonce(iv: Uint8Array, sequence: bigint): Uint8Array {
  throw new Error('TODO: recordNonce');
}

// ---- Task 5: Finished and exporters (RFC 8446 §4.4.4, §7.5) ----------------------------------

export function finishedVerifyData(hashName: HashName, baseKey: Uint8Array, messages: Uint8Array): Uint8Array {
  throw new Error('TODO: finishedVerifyData');
}

export function exportKeyingMaterial(hashName: HashName, exporterMasterSecret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  throw new Error('TODO: exportKeyingMaterial');
}
