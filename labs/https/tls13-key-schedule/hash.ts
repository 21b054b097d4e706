/**
 * Hash functions and HMAC for this lab (provided, read-only), from @noble/hashes: the same code
 * in every grading engine, the page's worker included. Everything is bytes in, bytes out.
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';

/** The hashes of TLS 1.3 cipher suites: SHA-256 (TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256) and SHA-384 (TLS_AES_256_GCM_SHA384). */
export type HashName = 'sha256' | 'sha384';

/** Output length in bytes: 32 for SHA-256, 48 for SHA-384. */
export const HASH_LENGTH: Readonly<Record<HashName, number>> = { sha256: 32, sha384: 48 };

const FUNCTIONS = { sha256, sha384 } as const;

export function isHashName(name: unknown): name is HashName {
  return name === 'sha256' || name === 'sha384';
}

/** Hash(data). */
export function hash(name: HashName, data: Uint8Array): Uint8Array {
  return FUNCTIONS[name](data);
}

/** HMAC_hash(key, data) (RFC 2104). */
export function hmac(name: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return nobleHmac(FUNCTIONS[name], key, data);
}

/** The bytes of each part, one after the other. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An ASCII string as bytes (TLS labels are ASCII). */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
