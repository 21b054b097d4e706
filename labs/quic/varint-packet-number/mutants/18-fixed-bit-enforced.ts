// Bug: parseInitialHeader rejects a long header whose Fixed Bit is 0; RFC 9287 lets a peer that advertised grease_quic_bit receive it cleared, so the parser must only report it.
/**
 * QUIC's variable-length integers, packet numbers, and the long header of an Initial packet
 * (RFC 9000 §16, §17.1, Appendix A, §17.2, §17.2.2). Reference implementation.
 */
import { QuicParseError, QuicRangeError } from './errors';

export { QuicParseError, QuicRangeError } from './errors';
export type { QuicParseErrorCode, QuicRangeErrorCode } from './errors';

// ---- Task 1: variable-length integers (RFC 9000 §16) --------------------------------------

/** The largest value a variable-length integer can hold: 2^62 − 1. */
export const VARINT_MAX = (1n << 62n) - 1n;

export type VarintLength = 1 | 2 | 4 | 8;

/** Bytes the shortest encoding of `value` takes. */
export function varintLength(value: bigint): VarintLength {
  if (value < 0n || value > VARINT_MAX) throw new QuicRangeError('out-of-range', `${value} is not a varint value`);
  if (value < 1n << 6n) return 1;
  if (value < 1n << 14n) return 2;
  if (value < 1n << 30n) return 4;
  return 8;
}

/**
 * Encode `value` in `length` bytes (default: the shortest encoding). The two high bits of the
 * first byte give the length (00 → 1, 01 → 2, 10 → 4, 11 → 8), the value follows big-endian.
 */
export function encodeVarint(value: bigint, length?: VarintLength): Uint8Array {
  const shortest = varintLength(value);
  const len = length ?? shortest;
  if (len < shortest) throw new QuicRangeError('out-of-range', `${value} does not fit in ${len} bytes`);
  const out = new Uint8Array(len);
  let v = value;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  const prefix = len === 1 ? 0 : len === 2 ? 0x40 : len === 4 ? 0x80 : 0xc0;
  out[0] = out[0]! | prefix;
  return out;
}

/** Decode the varint starting at `offset`: its value and how many bytes it took. */
export function decodeVarint(bytes: Uint8Array, offset = 0): { value: bigint; length: VarintLength } {
  if (offset < 0 || offset >= bytes.length) throw new QuicParseError('truncated', `no varint at offset ${offset}`);
  const first = bytes[offset]!;
  const length = (1 << (first >> 6)) as VarintLength;
  if (offset + length > bytes.length) {
    throw new QuicParseError('truncated', `a ${length}-byte varint at offset ${offset} runs past the end (${bytes.length} bytes)`);
  }
  let value = BigInt(first & 0x3f);
  for (let i = 1; i < length; i++) value = (value << 8n) | BigInt(bytes[offset + i]!);
  return { value, length };
}

// ---- Task 2: packet numbers (RFC 9000 §17.1, Appendix A.2 and A.3) -------------------------

/** The largest packet number: 2^62 − 1. */
export const PN_MAX = VARINT_MAX;

export type PacketNumberLength = 1 | 2 | 3 | 4;

/**
 * How many bytes the packet number `fullPn` needs on the wire, given the largest packet
 * number the peer has acknowledged (null: nothing acknowledged yet). RFC 9000 Appendix A.2:
 * at least one bit more than log2 of the number of unacknowledged packet numbers, so the
 * receiver's window of 2^bits is twice that range.
 */
export function packetNumberLength(fullPn: bigint, largestAcked: bigint | null): PacketNumberLength {
  if (fullPn < 0n || fullPn > PN_MAX) throw new QuicRangeError('out-of-range', `packet number ${fullPn}`);
  if (largestAcked !== null && (largestAcked < 0n || largestAcked > PN_MAX)) {
    throw new QuicRangeError('out-of-range', `largest acknowledged ${largestAcked}`);
  }
  if (largestAcked !== null && fullPn <= largestAcked) {
    throw new QuicRangeError('pn-not-after-acked', `packet number ${fullPn} is not above the largest acknowledged ${largestAcked}`);
  }
  const numUnacked = largestAcked === null ? fullPn + 1n : fullPn - largestAcked;
  // ceil((log2(numUnacked) + 1) / 8) bytes, in integers: the smallest n with numUnacked <= 2^(8n − 1).
  for (let n = 1; n <= 4; n++) {
    if (numUnacked <= 1n << BigInt(8 * n - 1)) return n as PacketNumberLength;
  }
  throw new QuicRangeError('too-many-unacked', `${numUnacked} packet numbers unacknowledged`);
}

/** The packet number as it goes on the wire: its `packetNumberLength` low bytes, big-endian. */
export function encodePacketNumber(fullPn: bigint, largestAcked: bigint | null): Uint8Array {
  const len = packetNumberLength(fullPn, largestAcked);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = Number((fullPn >> BigInt(8 * (len - 1 - i))) & 0xffn);
  return out;
}

/**
 * Recover a full packet number from its truncated form (RFC 9000 Appendix A.3): the value
 * with those low bits that is closest to the next expected packet number, largestPn + 1
 * (0 when nothing has been received yet: largestPn null).
 */
export function decodePacketNumber(largestPn: bigint | null, truncatedPn: bigint, pnNbits: 8 | 16 | 24 | 32): bigint {
  if (largestPn !== null && (largestPn < 0n || largestPn > PN_MAX)) throw new QuicRangeError('out-of-range', `largest packet number ${largestPn}`);
  const pnWin = 1n << BigInt(pnNbits);
  if (truncatedPn < 0n || truncatedPn >= pnWin) throw new QuicRangeError('out-of-range', `${truncatedPn} does not fit in ${pnNbits} bits`);
  const expectedPn = largestPn === null ? 0n : largestPn + 1n;
  const pnHwin = pnWin / 2n;
  const pnMask = pnWin - 1n;
  // The incoming packet number should be greater than expectedPn − pnHwin and less than or
  // equal to expectedPn + pnHwin.
  const candidatePn = (expectedPn & ~pnMask) | truncatedPn;
  if (candidatePn <= expectedPn - pnHwin && candidatePn < (1n << 62n) - pnWin) return candidatePn + pnWin;
  if (candidatePn > expectedPn + pnHwin && candidatePn >= pnWin) return candidatePn - pnWin;
  return candidatePn;
}

// ---- Task 3: the long header of an Initial packet (RFC 9000 §17.2, §17.2.2) ----------------

/** QUIC version 1 (RFC 9000). */
export const QUIC_V1 = 0x00000001;

/** The largest connection ID QUIC version 1 allows. */
export const MAX_CID_LENGTH = 20;

/** The header fields of an Initial packet up to, not including, the packet number. */
export interface InitialHeader {
  /**
   * The Fixed Bit (0x40 of the first byte). RFC 9000 says it is 1; RFC 9287 lets a peer that
   * advertised grease_quic_bit receive 0. The parser reports it and leaves the judgement to
   * its caller, who knows what was negotiated.
   */
  fixedBit: boolean;
  /** The 32-bit version (1 here: anything else was rejected). */
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
  /** pnOffset + length: where this packet ends (a coalesced packet may follow). */
  packetEnd: number;
}

/**
 * Parse the long header of the Initial packet at the start of `datagram`, left to right,
 * reporting the first problem met. Header protection covers the low 4 bits of the first byte
 * and the packet number, so neither is interpreted here.
 */
export function parseInitialHeader(datagram: Uint8Array): InitialHeader {
  const b = datagram;
  if (b.length < 1) throw new QuicParseError('truncated', 'empty datagram');
  const first = b[0]!;
  if ((first & 0x80) === 0) throw new QuicParseError('not-long-header', 'header form bit is 0');
  if ((first & 0x40) === 0) throw new QuicParseError('not-long-header', 'fixed bit is 0');
  if (b.length < 5) throw new QuicParseError('truncated', 'version cut short');
  const version = ((b[1]! << 24) | (b[2]! << 16) | (b[3]! << 8) | b[4]!) >>> 0;
  if (version === 0) throw new QuicParseError('version-negotiation', 'version 0');
  if (version !== QUIC_V1) throw new QuicParseError('unsupported-version', `version 0x${version.toString(16).padStart(8, '0')}`);
  if (((first & 0x30) >> 4) !== 0) throw new QuicParseError('not-initial', `long packet type ${(first & 0x30) >> 4}`);
  let off = 5;
  const readCid = (what: string): Uint8Array => {
    if (off >= b.length) throw new QuicParseError('truncated', `${what} length missing`);
    const len = b[off]!;
    if (len > MAX_CID_LENGTH) throw new QuicParseError('cid-too-long', `${what} length ${len}`);
    off += 1;
    if (off + len > b.length) throw new QuicParseError('truncated', `${what} cut short`);
    const cid = b.slice(off, off + len);
    off += len;
    return cid;
  };
  const dcid = readCid('DCID');
  const scid = readCid('SCID');
  const tokenLen = decodeVarint(b, off);
  off += tokenLen.length;
  if (tokenLen.value > BigInt(b.length - off)) throw new QuicParseError('truncated', 'token cut short');
  const token = b.slice(off, off + Number(tokenLen.value));
  off += token.length;
  const len = decodeVarint(b, off);
  off += len.length;
  if (len.value > BigInt(b.length - off)) throw new QuicParseError('truncated', `Length ${len.value} runs past the end`);
  const length = Number(len.value);
  return { fixedBit: (first & 0x40) !== 0, version, dcid, scid, token, length, pnOffset: off, packetEnd: off + length };
}
