/**
 * The lab's types and error (provided, read-only). The tests check the error's class name and
 * `code`, never its message.
 */
export type { HashName } from './hash';

/** Why an input cannot be used. */
export type Tls13KdfErrorCode =
  /** A hash other than 'sha256' or 'sha384'. */
  | 'unknown-hash'
  /** An output length below 0, fractional, or above what HKDF-Expand or HkdfLabel can carry. */
  | 'bad-length'
  /** A pseudorandom key shorter than the hash's output (RFC 5869 §2.3). */
  | 'bad-prk'
  /** A label outside printable ASCII, or longer than HkdfLabel's 255 bytes once "tls13 " is added. */
  | 'bad-label'
  /** A context longer than 255 bytes. */
  | 'bad-context'
  /** A secret that is not as long as the hash's output. */
  | 'bad-secret'
  /** An IV shorter than 8 bytes (the record nonce is at least 8, RFC 8446 §5.3). */
  | 'bad-iv'
  /** A record sequence number below 0 or at 2^64 or above. */
  | 'bad-sequence';

export class Tls13KdfError extends Error {
  readonly name = 'Tls13KdfError';
  readonly code: Tls13KdfErrorCode;
  constructor(code: Tls13KdfErrorCode, message?: string) {
    super(message ?? code);
    this.code = code;
  }
}

/** What the schedule needs from one full handshake (RFC 8446 §7.1). */
export interface HandshakeInput {
  /** The pre-shared key, or null for a handshake without one (then HashLen zero bytes are used). */
  psk: Uint8Array | null;
  /** The (EC)DHE shared secret. */
  sharedSecret: Uint8Array;
  /** Handshake messages ClientHello..ServerHello, each with its 4-byte header, concatenated. */
  helloMessages: Uint8Array;
  /** ClientHello..server Finished. */
  serverFinishedMessages: Uint8Array;
  /** ClientHello..client Finished. */
  clientFinishedMessages: Uint8Array;
}

/** Every secret of one handshake's schedule. */
export interface Schedule {
  earlySecret: Uint8Array;
  handshakeSecret: Uint8Array;
  masterSecret: Uint8Array;
  clientHandshakeTrafficSecret: Uint8Array;
  serverHandshakeTrafficSecret: Uint8Array;
  clientApplicationTrafficSecret: Uint8Array;
  serverApplicationTrafficSecret: Uint8Array;
  exporterMasterSecret: Uint8Array;
  resumptionMasterSecret: Uint8Array;
}
