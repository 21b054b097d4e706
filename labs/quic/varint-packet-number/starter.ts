/**
 * QUIC's variable-length integers, packet numbers, and the long header of an Initial packet.
 * Read instructions.md for the rules; errors.ts has the two error classes to throw.
 */
import { QuicParseError, QuicRangeError } from './errors';

export { QuicParseError, QuicRangeError } from './errors';
export type { QuicParseErrorCode, QuicRangeErrorCode } from './errors';

// ---- Task 1: variable-length integers (RFC 9000 §16) --------------------------------------

/** The largest value a variable-length integer can hold: 2^62 − 1. */
export const VARINT_MAX = (1n << 62n) - 1n;

export type VarintLength = 1 | 2 | 4 | 8;

/** Bytes the shortest encoding of `value` takes (QuicRangeError 'out-of-range' if none). */
export function varintLength(value: bigint): VarintLength {
  throw new Error('TODO: varintLength');
}

/** Encode `value` in `length` bytes (default: the shortest encoding). */
export function encodeVarint(value: bigint, length?: VarintLength): Uint8Array {
  throw new Error('TODO: encodeVarint');
}

/** Decode the varint starting at `offset`: its value and how many bytes it took. */
export function decodeVarint(bytes: Uint8Array, offset = 0): { value: bigint; length: VarintLength } {
  throw new Error('TODO: decodeVarint');
}

// ---- Task 2: packet numbers (RFC 9000 §17.1, Appendix A.2 and A.3) -------------------------

/** The largest packet number: 2^62 − 1. */
export const PN_MAX = VARINT_MAX;

export type PacketNumberLength = 1 | 2 | 3 | 4;

/** How many bytes `fullPn` needs on the wire, given the largest acknowledged packet number. */
export function packetNumberLength(fullPn: bigint, largestAcked: bigint | null): PacketNumberLength {
  throw new Error('TODO: packetNumberLength');
}

/** The packet number as it goes on the wire: its `packetNumberLength` low bytes, big-endian. */
export function encodePacketNumber(fullPn: bigint, largestAcked: bigint | null): Uint8Array {
  throw new Error('TODO: encodePacketNumber');
}

/** Recover a full packet number from its truncated form (RFC 9000 Appendix A.3). */
export function decodePacketNumber(largestPn: bigint | null, truncatedPn: bigint, pnNbits: 8 | 16 | 24 | 32): bigint {
  throw new Error('TODO: decodePacketNumber');
}

// ---- Task 3: the long header of an Initial packet (RFC 9000 §17.2, §17.2.2) ----------------

/** QUIC version 1 (RFC 9000). */
export const QUIC_V1 = 0x00000001;

/** The largest connection ID QUIC version 1 allows. */
export const MAX_CID_LENGTH = 20;

/** The header fields of an Initial packet up to, not including, the packet number. */
export interface InitialHeader {
  /** The Fixed Bit (0x40 of the first byte), reported, not enforced. */
  fixedBit: boolean;
  /** The 32-bit version. */
  version: number;
  /** Destination Connection ID, 0 to 20 bytes. */
  dcid: Uint8Array;
  /** Source Connection ID, 0 to 20 bytes. */
  scid: Uint8Array;
  /** The token (empty when Token Length is 0). */
  token: Uint8Array;
  /** The Length field: bytes of packet number plus payload that follow it. */
  length: number;
  /** Offset of the first packet number byte (still under header protection). */
  pnOffset: number;
  /** pnOffset + length: where this packet ends. */
  packetEnd: number;
}

/** Parse the long header of the Initial packet at the start of `datagram`. */
export function parseInitialHeader(datagram: Uint8Array): InitialHeader {
  throw new Error('TODO: parseInitialHeader');
}
