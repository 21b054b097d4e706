/**
 * Bencode (BEP 3), the encoding of KRPC messages: a small strict codec (provided, read-only).
 *
 *   i42e            the integer 42                 -> 42 (a number)
 *   4:spam          a byte string of length 4      -> Uint8Array [73 70 61 6d]
 *   l4:spami42ee    a list                         -> [Uint8Array "spam", 42]
 *   d3:bar4:spame   a dictionary, keys sorted      -> { bar: Uint8Array "spam" }
 *
 * decode() returns byte strings as Uint8Array (KRPC's ids and tokens are binary), integers as
 * numbers, lists as arrays and dictionaries as plain objects (with no prototype, so a key named
 * "__proto__" is just a key). Dictionary keys are byte strings too; they come out as JavaScript
 * strings with one character per byte (char code 0-255), which for KRPC's ASCII keys is the key.
 *
 * It is strict, as a parser of datagrams from strangers must be: every input that is not exactly
 * one canonical bencoded value is refused with a BencodeError (a code, never a hang or a read past
 * the end): leading zeros (i03e, 03:abc), i-0e, keys out of order or repeated, bytes after the
 * value, nesting deeper than MAX_DEPTH. Integers must be safe JavaScript integers.
 *
 * encode() takes numbers (safe integers), strings (written as their UTF-8 bytes), Uint8Arrays,
 * arrays and plain objects; it sorts a dictionary's keys as BEP 3 requires and skips keys whose
 * value is undefined, so an optional field can be written as `{ token: maybeToken }`.
 */

export type BencodeValue = number | Uint8Array | BencodeValue[] | BencodeDict;
export interface BencodeDict {
  [key: string]: BencodeValue;
}

/** What encode() accepts: also strings, and undefined dictionary values (left out). */
export type BencodeInput = number | string | Uint8Array | BencodeInput[] | { [key: string]: BencodeInput | undefined };

export type BencodeErrorCode =
  /** The input ends inside a value. */
  | 'truncated'
  /** An integer that is not canonical (i03e, i-0e, ie, i1.5e) or not a safe integer. */
  | 'bad-int'
  /** A byte string's length that is not canonical digits followed by ':'. */
  | 'bad-length'
  /** A dictionary key that is not a byte string (decode), or has a character above 0xFF (encode). */
  | 'bad-key'
  /** Dictionary keys not in strictly increasing byte order (out of order, or repeated). */
  | 'unsorted-keys'
  /** A byte that cannot start a value. */
  | 'unexpected-byte'
  /** Bytes left after the value. */
  | 'trailing-bytes'
  /** More than MAX_DEPTH lists and dictionaries open at once. */
  | 'too-deep'
  /** encode(): a value bencode cannot hold (a boolean, null, a fraction, a Map, ...). */
  | 'bad-value';

export class BencodeError extends Error {
  readonly code: BencodeErrorCode;
  constructor(code: BencodeErrorCode, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'BencodeError';
    this.code = code;
  }
}

/** Lists and dictionaries that may be open at once; KRPC needs 3. */
export const MAX_DEPTH = 64;

const utf8Encoder = new TextEncoder();
// fatal: a message that is not UTF-8 throws instead of turning into U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The UTF-8 bytes of a string: `utf8('ping')`. */
export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Bytes read as UTF-8; bytes that are not UTF-8 throw a TypeError. */
export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

export const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
export const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
export const isList = (v: unknown): v is BencodeValue[] => Array.isArray(v);
export const isDict = (v: unknown): v is BencodeDict =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

// ---- Decoding ---------------------------------------------------------------------------------

const E = 0x65; // 'e'
const I = 0x69; // 'i'
const L = 0x6c; // 'l'
const D = 0x64; // 'd'
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

/** Exactly one bencoded value, taking all of `bytes`. */
export function decode(bytes: Uint8Array): BencodeValue {
  if (!(bytes instanceof Uint8Array)) throw new BencodeError('bad-value', 'decode() takes a Uint8Array');
  const r = { pos: 0 };
  const value = readValue(bytes, r, 0);
  if (r.pos !== bytes.length) throw new BencodeError('trailing-bytes', `${bytes.length - r.pos} bytes after the value`);
  return value;
}

function readValue(b: Uint8Array, r: { pos: number }, depth: number): BencodeValue {
  if (r.pos >= b.length) throw new BencodeError('truncated', `a value at offset ${r.pos}`);
  const c = b[r.pos]!;
  if (c === I) return readInt(b, r);
  if (isDigit(c)) return readBytes(b, r);
  if (c === L || c === D) {
    if (depth >= MAX_DEPTH) throw new BencodeError('too-deep', `more than ${MAX_DEPTH} containers open`);
    r.pos++;
    if (c === L) {
      const list: BencodeValue[] = [];
      for (;;) {
        if (r.pos >= b.length) throw new BencodeError('truncated', 'a list without its end');
        if (b[r.pos] === E) break;
        list.push(readValue(b, r, depth + 1));
      }
      r.pos++;
      return list;
    }
    const dict = Object.create(null) as BencodeDict;
    let last: Uint8Array | null = null;
    for (;;) {
      if (r.pos >= b.length) throw new BencodeError('truncated', 'a dictionary without its end');
      if (b[r.pos] === E) break;
      if (!isDigit(b[r.pos]!)) throw new BencodeError('bad-key', `a dictionary key at offset ${r.pos} is not a byte string`);
      const key = readBytes(b, r);
      if (last !== null && compareBytes(last, key) >= 0) throw new BencodeError('unsorted-keys', `key "${latin1(key)}" after "${latin1(last)}"`);
      last = key;
      dict[latin1(key)] = readValue(b, r, depth + 1);
    }
    r.pos++;
    return dict;
  }
  throw new BencodeError('unexpected-byte', `0x${c.toString(16).padStart(2, '0')} at offset ${r.pos}`);
}

function readInt(b: Uint8Array, r: { pos: number }): number {
  const start = r.pos;
  let p = r.pos + 1; // after 'i'
  const negative = b[p] === MINUS;
  if (negative) p++;
  const digits = p;
  while (p < b.length && isDigit(b[p]!)) p++;
  if (p >= b.length) throw new BencodeError('truncated', `the integer at offset ${start}`);
  if (b[p] !== E) throw new BencodeError('bad-int', `byte 0x${b[p]!.toString(16)} in the integer at offset ${start}`);
  const n = p - digits;
  if (n === 0) throw new BencodeError('bad-int', `no digits in the integer at offset ${start}`);
  if (b[digits] === ZERO && (n > 1 || negative)) throw new BencodeError('bad-int', `a leading zero or -0 at offset ${start}`);
  if (n > 16) throw new BencodeError('bad-int', `the integer at offset ${start} is not a safe integer`);
  let v = 0;
  for (let i = digits; i < p; i++) v = v * 10 + (b[i]! - ZERO);
  if (!Number.isSafeInteger(v)) throw new BencodeError('bad-int', `the integer at offset ${start} is not a safe integer`);
  r.pos = p + 1;
  return negative ? -v : v;
}

function readBytes(b: Uint8Array, r: { pos: number }): Uint8Array {
  const start = r.pos;
  let p = r.pos;
  let len = 0;
  while (p < b.length && isDigit(b[p]!)) {
    // Past the input's size the exact length no longer matters: it cannot fit.
    if (len <= b.length) len = len * 10 + (b[p]! - ZERO);
    p++;
  }
  if (p >= b.length) throw new BencodeError('truncated', `the length at offset ${start}`);
  if (b[p] !== COLON) throw new BencodeError('bad-length', `byte 0x${b[p]!.toString(16)} in the length at offset ${start}`);
  if (b[start] === ZERO && p - start > 1) throw new BencodeError('bad-length', `a leading zero in the length at offset ${start}`);
  p++;
  if (len > b.length - p) throw new BencodeError('truncated', `a ${len}-byte string at offset ${start}, ${b.length - p} bytes left`);
  r.pos = p + len;
  return b.slice(p, p + len);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

// ---- Encoding ---------------------------------------------------------------------------------

/** The bencoding of `value`. */
export function encode(value: BencodeInput): Uint8Array {
  const parts: Uint8Array[] = [];
  write(value, parts, 0);
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const ascii = (s: string): Uint8Array => utf8Encoder.encode(s);
const BYTE_E = Uint8Array.of(E);

function write(value: unknown, parts: Uint8Array[], depth: number): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new BencodeError('bad-value', `${value} is not a safe integer`);
    parts.push(ascii(`i${value === 0 ? 0 : value}e`)); // -0 is written i0e
    return;
  }
  if (typeof value === 'string') {
    writeBytes(utf8Encoder.encode(value), parts);
    return;
  }
  if (value instanceof Uint8Array) {
    writeBytes(value, parts);
    return;
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    // Also what stops a value that contains itself.
    if (depth >= MAX_DEPTH) throw new BencodeError('too-deep', `more than ${MAX_DEPTH} containers open`);
    if (Array.isArray(value)) {
      parts.push(Uint8Array.of(L));
      for (const item of value) write(item, parts, depth + 1);
    } else {
      parts.push(Uint8Array.of(D));
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((k) => record[k] !== undefined);
      for (const k of keys) {
        for (let i = 0; i < k.length; i++) {
          if (k.charCodeAt(i) > 0xff) throw new BencodeError('bad-key', `key "${k}" has a character above 0xFF`);
        }
      }
      // Raw byte order is char-code order for one-byte-per-character keys.
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const k of keys) {
        writeBytes(latin1Bytes(k), parts);
        write(record[k], parts, depth + 1);
      }
    }
    parts.push(BYTE_E);
    return;
  }
  throw new BencodeError('bad-value', `cannot bencode ${value === null ? 'null' : typeof value}`);
}

function writeBytes(bytes: Uint8Array, parts: Uint8Array[]): void {
  parts.push(ascii(`${bytes.length}:`), bytes);
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
