/**
 * DNS message codec. The types, the constants and the error class are done; the six functions
 * at the bottom are yours. instructions.md has the exact rules the tests check.
 */

// ---------------------------------------------------------------------------------------------
// Types (keep them as they are: the tests use them)

/** Record types this codec understands; any other type is written `TYPE<number>` (RFC 3597). */
export type KnownType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'MX' | 'TXT' | 'AAAA';
export type RecordType = KnownType | `TYPE${number}`;

/** Type codes (IANA "Resource Record (RR) TYPEs"). */
export const TYPE_CODES: Readonly<Record<KnownType | 'OPT', number>> = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, OPT: 41,
};

/** The Internet class. */
export const CLASS_IN = 1;

export interface DnsFlags {
  /** 0 = query, 1 = response. */
  qr: boolean;
  /** 4 bits; 0 = standard query. */
  opcode: number;
  /** Authoritative answer. */
  aa: boolean;
  /** Truncated: the answer did not fit. */
  tc: boolean;
  /** Recursion desired. */
  rd: boolean;
  /** Recursion available. */
  ra: boolean;
  /** Authentic data (RFC 4035). */
  ad: boolean;
  /** Checking disabled (RFC 4035). */
  cd: boolean;
}

/** The fixed 12-byte header, as it is on the wire. */
export interface DnsHeader {
  id: number;
  flags: DnsFlags;
  /** The header's 4-bit RCODE (the upper bits of an extended RCODE live in the OPT record). */
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

export interface DnsQuestion {
  name: string;
  type: RecordType;
  class: number;
}

interface RecordBase {
  /** Owner name. */
  name: string;
  class: number;
  /** Seconds, 0 .. 2^32-1. */
  ttl: number;
}

export interface ARecord extends RecordBase { type: 'A'; data: string }
export interface AaaaRecord extends RecordBase { type: 'AAAA'; data: string }
export interface NsRecord extends RecordBase { type: 'NS'; data: string }
export interface CnameRecord extends RecordBase { type: 'CNAME'; data: string }
export interface MxRecord extends RecordBase { type: 'MX'; data: { preference: number; exchange: string } }
export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}
export interface SoaRecord extends RecordBase { type: 'SOA'; data: SoaData }
/** Each string is a byte string: one character per byte (char codes 0..255). */
export interface TxtRecord extends RecordBase { type: 'TXT'; data: string[] }
/** Any other type: RDATA kept as raw bytes. */
export interface UnknownRecord extends RecordBase { type: `TYPE${number}`; data: Uint8Array }

export type DnsRecord = ARecord | AaaaRecord | NsRecord | CnameRecord | MxRecord | SoaRecord | TxtRecord | UnknownRecord;

export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** The OPT pseudo-record (RFC 6891), taken out of the additional section. */
export interface Edns {
  /** The sender's UDP payload size (OPT CLASS). */
  udpPayloadSize: number;
  /** EDNS version (0). */
  version: number;
  /** The DO bit: DNSSEC records wanted. */
  dnssecOk: boolean;
  options: EdnsOption[];
}

export interface DnsMessage {
  id: number;
  flags: DnsFlags;
  /** The full RCODE: 4 bits from the header, plus 8 more from the OPT record when there is one. */
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  /** Additional records, without the OPT pseudo-record. */
  additionals: DnsRecord[];
  /** Present when the message carries an OPT record. */
  edns?: Edns;
}

export interface EncodeOptions {
  /** Compress names (RFC 1035 §4.1.4). Default true. */
  compress?: boolean;
}

export type DnsErrorCode =
  // decoding
  | 'truncated'
  | 'bad-label-type'
  | 'bad-pointer'
  | 'pointer-loop'
  | 'name-too-long'
  | 'bad-rdata'
  | 'bad-opt'
  | 'trailing-bytes'
  // encoding
  | 'bad-name'
  | 'label-too-long'
  | 'bad-value';

/** Throw this for every malformed input: `throw new DnsFormatError('truncated', 'what happened')`. */
export class DnsFormatError extends Error {
  readonly code: DnsErrorCode;
  constructor(code: DnsErrorCode, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'DnsFormatError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Task 1: the header

/** The 12 header bytes. Out-of-range fields: DnsFormatError 'bad-value'. */
export function encodeHeader(header: DnsHeader): Uint8Array {
  throw new Error('TODO: encodeHeader');
}

/** Read the first 12 bytes. Fewer than 12: 'truncated'. */
export function decodeHeader(bytes: Uint8Array): DnsHeader {
  throw new Error('TODO: decodeHeader');
}

// ---------------------------------------------------------------------------------------------
// Task 2: names

/** A name in presentation form ("www.lab.test", "a\\.b.test", ".") as uncompressed wire bytes. */
export function encodeName(name: string): Uint8Array {
  throw new Error('TODO: encodeName');
}

/**
 * Read the name at `offset` of a whole message, following compression pointers.
 * `next` is the offset just after the name as it sits at `offset` (after its first pointer, or its root byte).
 */
export function decodeName(message: Uint8Array, offset: number): { name: string; next: number } {
  throw new Error('TODO: decodeName');
}

// ---------------------------------------------------------------------------------------------
// Tasks 3-5: messages (records, compression, EDNS)

export function encodeMessage(message: DnsMessage, options: EncodeOptions = {}): Uint8Array {
  throw new Error('TODO: encodeMessage');
}

// ---------------------------------------------------------------------------------------------
// Tasks 3, 5 and 6: decoding whole messages, safely

export function decodeMessage(bytes: Uint8Array): DnsMessage {
  throw new Error('TODO: decodeMessage');
}
