/**
 * The errors of this lab (provided, read-only). Throw these; the tests check the class name
 * and the `code`, never the message, so write whatever message helps you debug.
 */

/** Why some bytes are not what we expected. */
export type QuicParseErrorCode =
  /** The input ends before the field being read does. */
  | 'truncated'
  /** The first byte's Header Form bit (0x80) is 0: a short header, not a long one. */
  | 'not-long-header'
  /** Version 0x00000000: a Version Negotiation packet, whose layout is different (RFC 9000 §17.2.1). */
  | 'version-negotiation'
  /** A version other than QUIC version 1: the long packet type bits mean something else there. */
  | 'unsupported-version'
  /** A version 1 long header whose Long Packet Type is not Initial (0). */
  | 'not-initial'
  /** A connection ID length above 20, which version 1 forbids (RFC 9000 §17.2). */
  | 'cid-too-long';

/** Bytes that cannot be parsed. */
export class QuicParseError extends Error {
  readonly name = 'QuicParseError';
  readonly code: QuicParseErrorCode;
  constructor(code: QuicParseErrorCode, message?: string) {
    super(message ?? code);
    this.code = code;
  }
}

/** Why a value cannot be encoded or used. */
export type QuicRangeErrorCode =
  /** Negative, or above the largest value the field can hold (2^62 − 1 for a varint or a packet number). */
  | 'out-of-range'
  /** A packet number that is not above the largest acknowledged one. */
  | 'pn-not-after-acked'
  /** More than 2^31 packet numbers unacknowledged: not even 4 bytes can carry the packet number safely. */
  | 'too-many-unacked';

/** A value outside what QUIC can encode. */
export class QuicRangeError extends Error {
  readonly name = 'QuicRangeError';
  readonly code: QuicRangeErrorCode;
  constructor(code: QuicRangeErrorCode, message?: string) {
    super(message ?? code);
    this.code = code;
  }
}
