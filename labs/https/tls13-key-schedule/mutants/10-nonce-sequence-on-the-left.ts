// Bug: the record nonce XORs the sequence number into the IV's first eight bytes.
/**
 * TLS 1.3's key schedule (RFC 8446 §7) on HKDF (RFC 5869). Reference implementation.
 */
import { HASH_LENGTH, ascii, concat, hash, hmac, isHashName, type HashName } from './hash';
import { Tls13KdfError, type HandshakeInput, type Schedule } from './types';

export { Tls13KdfError } from './types';
export type { HandshakeInput, HashName, Schedule, Tls13KdfErrorCode } from './types';

function checkHash(name: unknown): asserts name is HashName {
  if (!isHashName(name)) throw new Tls13KdfError('unknown-hash', `no hash named ${String(name)}`);
}

function checkSecret(hashName: HashName, secret: Uint8Array, what: string): void {
  if (secret.length !== HASH_LENGTH[hashName]) throw new Tls13KdfError('bad-secret', `${what} of ${secret.length} bytes`);
}

// ---- Task 1: HKDF (RFC 5869 §2) --------------------------------------------------------------

/** HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM); no salt (null) means HashLen zero bytes. */
export function hkdfExtract(hashName: HashName, salt: Uint8Array | null, ikm: Uint8Array): Uint8Array {
  checkHash(hashName);
  return hmac(hashName, salt ?? new Uint8Array(HASH_LENGTH[hashName]), ikm);
}

/** HKDF-Expand(PRK, info, L): T(i) = HMAC-Hash(PRK, T(i − 1) | info | i), i from 1, cut to L ≤ 255·HashLen. */
export function hkdfExpand(hashName: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  checkHash(hashName);
  const hashLength = HASH_LENGTH[hashName];
  if (prk.length < hashLength) throw new Tls13KdfError('bad-prk', `a PRK of ${prk.length} bytes`);
  if (!Number.isInteger(length) || length < 0 || length > 255 * hashLength) throw new Tls13KdfError('bad-length', `length ${length}`);
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++) {
    t = hmac(hashName, prk, concat(t, info, Uint8Array.of(i)));
    const take = Math.min(t.length, length - at);
    out.set(t.subarray(0, take), at);
    at += take;
  }
  return out;
}

// ---- Task 2: HKDF-Expand-Label and Derive-Secret (RFC 8446 §7.1) ----------------------------

/**
 * HKDF-Expand(Secret, HkdfLabel, Length), where HkdfLabel is the length in two bytes, then
 * "tls13 " + Label with a one-byte length, then Context with a one-byte length.
 */
export function hkdfExpandLabel(hashName: HashName, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  checkHash(hashName);
  if (!/^[\x20-\x7e]*$/.test(label)) throw new Tls13KdfError('bad-label', 'labels are printable ASCII');
  const full = ascii(`tls13 ${label}`);
  if (full.length > 255) throw new Tls13KdfError('bad-label', `a label of ${full.length} bytes`);
  if (context.length > 255) throw new Tls13KdfError('bad-context', `a context of ${context.length} bytes`);
  if (!Number.isInteger(length) || length < 0 || length > 0xffff) throw new Tls13KdfError('bad-length', `length ${length}`);
  const info = concat(Uint8Array.of(length >> 8, length & 0xff, full.length), full, Uint8Array.of(context.length), context);
  return hkdfExpand(hashName, secret, info, length);
}

/** Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), HashLen). */
export function deriveSecret(hashName: HashName, secret: Uint8Array, label: string, messages: Uint8Array): Uint8Array {
  checkHash(hashName);
  return hkdfExpandLabel(hashName, secret, label, hash(hashName, messages), HASH_LENGTH[hashName]);
}

// ---- Task 3: the key schedule (RFC 8446 §7.1) -------------------------------------------------

/** Early, handshake and master secrets and what each gives, for one full handshake. */
export function keySchedule(hashName: HashName, input: HandshakeInput): Schedule {
  checkHash(hashName);
  const zeros = new Uint8Array(HASH_LENGTH[hashName]);
  const none = new Uint8Array(0);
  if (input.psk !== null) checkSecret(hashName, input.psk, 'a PSK');
  const earlySecret = hkdfExtract(hashName, zeros, input.psk ?? zeros);
  const handshakeSecret = hkdfExtract(hashName, deriveSecret(hashName, earlySecret, 'derived', none), input.sharedSecret);
  const masterSecret = hkdfExtract(hashName, deriveSecret(hashName, handshakeSecret, 'derived', none), zeros);
  return {
    earlySecret,
    handshakeSecret,
    masterSecret,
    clientHandshakeTrafficSecret: deriveSecret(hashName, handshakeSecret, 'c hs traffic', input.helloMessages),
    serverHandshakeTrafficSecret: deriveSecret(hashName, handshakeSecret, 's hs traffic', input.helloMessages),
    clientApplicationTrafficSecret: deriveSecret(hashName, masterSecret, 'c ap traffic', input.serverFinishedMessages),
    serverApplicationTrafficSecret: deriveSecret(hashName, masterSecret, 's ap traffic', input.serverFinishedMessages),
    exporterMasterSecret: deriveSecret(hashName, masterSecret, 'exp master', input.serverFinishedMessages),
    resumptionMasterSecret: deriveSecret(hashName, masterSecret, 'res master', input.clientFinishedMessages),
  };
}

/** The PSK a NewSessionTicket gives (RFC 8446 §4.6.1): HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, HashLen). */
export function ticketPsk(hashName: HashName, resumptionMasterSecret: Uint8Array, ticketNonce: Uint8Array): Uint8Array {
  checkHash(hashName);
  checkSecret(hashName, resumptionMasterSecret, 'a resumption master secret');
  return hkdfExpandLabel(hashName, resumptionMasterSecret, 'resumption', ticketNonce, HASH_LENGTH[hashName]);
}

// ---- Task 4: traffic keys and record nonces (RFC 8446 §7.3, §5.3) ----------------------------

/** key = HKDF-Expand-Label(Secret, "key", "", key_length); iv = HKDF-Expand-Label(Secret, "iv", "", iv_length). */
export function trafficKeys(hashName: HashName, secret: Uint8Array, keyLength: number, ivLength: number): { key: Uint8Array; iv: Uint8Array } {
  checkHash(hashName);
  checkSecret(hashName, secret, 'a traffic secret');
  const none = new Uint8Array(0);
  return { key: hkdfExpandLabel(hashName, secret, 'key', none, keyLength), iv: hkdfExpandLabel(hashName, secret, 'iv', none, ivLength) };
}

/** The per-record nonce: the 64-bit sequence number, left-padded to the IV's length, XOR the IV. */
export function recordNonce(iv: Uint8Array, sequence: bigint): Uint8Array {
  if (iv.length < 8) throw new Tls13KdfError('bad-iv', `an IV of ${iv.length} bytes`);
  if (sequence < 0n || sequence >= 1n << 64n) throw new Tls13KdfError('bad-sequence', `sequence ${sequence}`);
  const out = Uint8Array.from(iv);
  let s = sequence;
  for (let i = 7; i >= 0; i--) {
    out[i]! ^= Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
}

// ---- Task 5: Finished and exporters (RFC 8446 §4.4.4, §7.5) ----------------------------------

/** verify_data = HMAC(finished_key, Transcript-Hash(messages)), finished_key = HKDF-Expand-Label(BaseKey, "finished", "", HashLen). */
export function finishedVerifyData(hashName: HashName, baseKey: Uint8Array, messages: Uint8Array): Uint8Array {
  checkHash(hashName);
  checkSecret(hashName, baseKey, 'a base key');
  const finishedKey = hkdfExpandLabel(hashName, baseKey, 'finished', new Uint8Array(0), HASH_LENGTH[hashName]);
  return hmac(hashName, finishedKey, hash(hashName, messages));
}

/**
 * TLS-Exporter(label, context, length) = HKDF-Expand-Label(Derive-Secret(exporter_master_secret,
 * label, ""), "exporter", Hash(context), length); no context is an empty one.
 */
export function exportKeyingMaterial(hashName: HashName, exporterMasterSecret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  checkHash(hashName);
  checkSecret(hashName, exporterMasterSecret, 'an exporter master secret');
  const secret = deriveSecret(hashName, exporterMasterSecret, label, new Uint8Array(0));
  return hkdfExpandLabel(hashName, secret, 'exporter', hash(hashName, context), length);
}
