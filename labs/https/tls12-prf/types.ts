/**
 * The lab's types, cipher suites and error (provided, read-only). The tests check the error's
 * class name and `code`, never its message.
 */
import type { HashName } from './hash';

export type { HashName } from './hash';

/** Why an input cannot be used. */
export type TlsKdfErrorCode =
  /** A requested output length that is not an integer from 0 to MAX_OUTPUT. */
  | 'bad-length'
  /** A hash other than 'sha256' or 'sha384'. */
  | 'unknown-hash'
  /** A label with a character outside printable ASCII (0x20–0x7e). */
  | 'bad-label'
  /** A ClientHello.random or ServerHello.random that is not 32 bytes. */
  | 'bad-random'
  /** An empty pre-master secret. */
  | 'bad-premaster'
  /** A master secret that is not 48 bytes. */
  | 'bad-master'
  /** A session hash or handshake hash whose length is not the hash's output length. */
  | 'bad-hash-length'
  /** A cipher suite not in CIPHER_SUITES. */
  | 'unknown-suite'
  /** An exporter label the TLS 1.2 PRF itself uses (RFC 5705 §4). */
  | 'reserved-label'
  /** An exporter context longer than 65535 bytes (its length is sent in two bytes). */
  | 'bad-context';

export class TlsKdfError extends Error {
  readonly name = 'TlsKdfError';
  readonly code: TlsKdfErrorCode;
  constructor(code: TlsKdfErrorCode, message?: string) {
    super(message ?? code);
    this.code = code;
  }
}

/** The most bytes one call may ask for (far above any key block: a guard against mistakes). */
export const MAX_OUTPUT = 16384;

/** ClientHello.random and ServerHello.random: 32 bytes each (RFC 5246 §7.4.1.2). */
export const RANDOM_LENGTH = 32;
/** The master secret: always 48 bytes (RFC 5246 §8.1). */
export const MASTER_SECRET_LENGTH = 48;
/** verify_data in Finished: 12 bytes for every cipher suite here (RFC 5246 §7.4.9). */
export const VERIFY_DATA_LENGTH = 12;

/**
 * What a TLS 1.2 cipher suite needs from the key block (RFC 5246 §6.3 and Appendix C;
 * RFC 5288 for AES-GCM, RFC 7905 for ChaCha20-Poly1305): the PRF's hash, and the lengths of
 * each side's MAC key, encryption key and fixed ("implicit") IV. AEAD suites need no MAC key;
 * CBC suites in TLS 1.2 send their IV with each record, so they take none from the key block.
 */
export interface CipherSuite {
  code: number;
  prf: HashName;
  macKeyLength: number;
  keyLength: number;
  fixedIvLength: number;
}

export const CIPHER_SUITES = {
  TLS_RSA_WITH_AES_128_GCM_SHA256: { code: 0x009c, prf: 'sha256', macKeyLength: 0, keyLength: 16, fixedIvLength: 4 },
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: { code: 0xc02f, prf: 'sha256', macKeyLength: 0, keyLength: 16, fixedIvLength: 4 },
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: { code: 0xc030, prf: 'sha384', macKeyLength: 0, keyLength: 32, fixedIvLength: 4 },
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: { code: 0xcca8, prf: 'sha256', macKeyLength: 0, keyLength: 32, fixedIvLength: 12 },
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: { code: 0xc027, prf: 'sha256', macKeyLength: 32, keyLength: 16, fixedIvLength: 0 },
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384: { code: 0xc028, prf: 'sha384', macKeyLength: 48, keyLength: 32, fixedIvLength: 0 },
  TLS_RSA_WITH_AES_128_CBC_SHA: { code: 0x002f, prf: 'sha256', macKeyLength: 20, keyLength: 16, fixedIvLength: 0 },
} as const satisfies Record<string, CipherSuite>;

export type SuiteName = keyof typeof CIPHER_SUITES;

/** Each side's keys, cut from the key block. */
export interface KeyMaterial {
  clientMacKey: Uint8Array;
  serverMacKey: Uint8Array;
  clientKey: Uint8Array;
  serverKey: Uint8Array;
  clientIv: Uint8Array;
  serverIv: Uint8Array;
}
