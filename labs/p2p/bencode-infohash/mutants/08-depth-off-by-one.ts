// Bug: the decoder lets MAX_DEPTH + 1 lists and dictionaries be open (> instead of >=).
/**
 * Bencode, .torrent files, the infohash and the magnet link: the reference implementation.
 *
 * BEP 3 (bencode, the metainfo file, the infohash), BEP 12 (announce-list), BEP 27 (private),
 * BEP 9 (magnet links). The exact rules, and which problem is reported first, are in
 * instructions.md. In short:
 * - decoding is strict: only the one canonical encoding of a value is accepted, so that
 *   encode(decode(bytes)) is bytes again for every input decode() accepts;
 * - the infohash is the SHA-1 of the info value's bytes, cut from the file where they lie;
 * - the magnet link is written exactly as Transmission writes it.
 */
import { sha1, SHA1_LENGTH, toHex } from './hash';
import { BencodeError, MAX_DEPTH, TorrentError } from './types';
import type { BencodeDict, BencodeEntry, BencodeErrorCode, BencodeValue, Torrent, TorrentErrorCode, TorrentFile } from './types';

export * from './types';

function fail(code: BencodeErrorCode, message?: string): never {
  throw new BencodeError(code, message);
}

function refuse(code: TorrentErrorCode, message?: string): never {
  throw new TorrentError(code, message);
}

const I = 0x69; // 'i'
const L = 0x6c; // 'l'
const D = 0x64; // 'd'
const E = 0x65; // 'e'
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
// For digits and signs, already checked to be ASCII.
const latin1 = new TextDecoder('latin1');

/** -1, 0 or 1 as `a` sorts before, with or after `b`, byte by byte (BEP 3: "raw strings"). */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------
// Decoding

class Reader {
  readonly bytes: Uint8Array;
  pos = 0;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** The byte at pos; the end of the input is 'truncated' (bytes[length] is undefined, silently). */
  peek(what: string): number {
    if (this.pos >= this.bytes.length) fail('truncated', `the input ends at offset ${this.pos}, where ${what} should be`);
    return this.bytes[this.pos]!;
  }

  /** The offset of the first `byte` from pos on; none is 'truncated'. */
  find(byte: number, what: string): number {
    const at = this.bytes.indexOf(byte, this.pos);
    if (at < 0) fail('truncated', `${what} from offset ${this.pos} has no '${String.fromCharCode(byte)}'`);
    return at;
  }
}

/** ASCII digits (and a sign) as text: short ones byte by byte, long ones in one call. */
function digitText(b: Uint8Array): string {
  if (b.length > 64) return latin1.decode(b);
  let out = '';
  for (let i = 0; i < b.length; i++) out += String.fromCharCode(b[i]!);
  return out;
}

/** `i<text>e`: the text runs to the first 'e'. */
function readInt(r: Reader): bigint {
  const start = r.pos;
  r.pos++; // 'i'
  const end = r.find(E, 'an integer');
  const text = r.bytes.subarray(r.pos, end);
  const negative = text.length > 0 && text[0] === MINUS;
  const digits = negative ? text.subarray(1) : text;
  if (digits.length === 0 || !digits.every(isDigit)) fail('bad-int', `an integer at offset ${start} is not digits`);
  if (digits[0] === ZERO && digits.length > 1) fail('leading-zero', `an integer at offset ${start} has a leading zero`);
  if (digits[0] === ZERO && negative) fail('negative-zero', `i-0e at offset ${start}`);
  r.pos = end + 1;
  return BigInt(digitText(text));
}

/** `<length>:<bytes>`: the length runs to the first ':'. */
function readString(r: Reader): Uint8Array {
  const start = r.pos;
  const colon = r.find(COLON, 'a string length');
  const text = r.bytes.subarray(start, colon);
  if (!text.every(isDigit)) fail('bad-length', `a string length at offset ${start} is not digits`);
  if (text[0] === ZERO && text.length > 1) fail('leading-zero', `a string length at offset ${start} has a leading zero`);
  // More than 15 digits is more bytes than any input has (and more than a double holds exactly).
  let length = text.length > 15 ? Infinity : 0;
  for (let i = 0; i < text.length && length !== Infinity; i++) length = length * 10 + (text[i]! - ZERO);
  const left = r.bytes.length - (colon + 1);
  if (length > left) fail('truncated', `a string at offset ${start} announces ${digitText(text.subarray(0, 20))} bytes, ${left} are left`);
  r.pos = colon + 1 + length;
  // A copy: a decoded value must not change when the input buffer is reused.
  return r.bytes.slice(colon + 1, r.pos);
}

/** One value at r.pos; `open` lists and dictionaries are around it. */
function readValue(r: Reader, open: number): BencodeValue {
  const at = r.pos;
  const b = r.peek('a value');
  if (b === I) return readInt(r);
  if (isDigit(b)) return readString(r);
  if (b === L) {
    enter(open, at);
    r.pos++;
    const items: BencodeValue[] = [];
    while (r.peek("a list's next value or its 'e'") !== E) items.push(readValue(r, open + 1));
    r.pos++;
    return items;
  }
  if (b === D) {
    enter(open, at);
    r.pos++;
    const entries: BencodeEntry[] = [];
    let previous: Uint8Array | undefined;
    for (;;) {
      const k = r.peek("a dictionary's next key or its 'e'");
      if (k === E) break;
      if (k === I || k === L || k === D) fail('non-string-key', `a dictionary key at offset ${r.pos} is not a byte string`);
      if (!isDigit(k)) fail('unexpected-byte', `0x${k.toString(16).padStart(2, '0')} at offset ${r.pos}, where a key should begin`);
      const keyAt = r.pos;
      const key = readString(r);
      if (previous !== undefined) {
        const order = compareBytes(previous, key);
        if (order === 0) fail('duplicate-key', `the key at offset ${keyAt} repeats the one before it`);
        if (order > 0) fail('unsorted-keys', `the key at offset ${keyAt} sorts before the one before it`);
      }
      previous = key;
      entries.push([key, readValue(r, open + 1)]);
    }
    r.pos++;
    return { type: 'dict', entries };
  }
  return fail('unexpected-byte', `0x${b.toString(16).padStart(2, '0')} at offset ${at}, where a value should begin`);
}

function enter(open: number, at: number): void {
  if (open > MAX_DEPTH) fail('too-deep', `a list or dictionary at offset ${at} inside ${open} others`);
}

/** Exactly one value: the whole of `bytes`. */
export function decode(bytes: Uint8Array): BencodeValue {
  const r = new Reader(bytes);
  const value = readValue(r, 0);
  if (r.pos < bytes.length) fail('trailing-data', `${bytes.length - r.pos} bytes after the value`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Encoding

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A growing byte buffer. */
class Writer {
  #buf = new Uint8Array(256);
  #len = 0;

  #room(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  byte(b: number): void {
    this.#room(1);
    this.#buf[this.#len++] = b;
  }

  /** ASCII text: digits, a sign, a letter. */
  text(s: string): void {
    this.#room(s.length);
    for (let i = 0; i < s.length; i++) this.#buf[this.#len++] = s.charCodeAt(i);
  }

  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  /** `<length>:<bytes>` */
  string(b: Uint8Array): void {
    this.text(String(b.length));
    this.byte(COLON);
    this.bytes(b);
  }

  done(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

function writeValue(w: Writer, v: unknown, open: number): void {
  if (typeof v === 'bigint') {
    w.byte(I);
    w.text(v.toString());
    w.byte(E);
  } else if (v instanceof Uint8Array) {
    w.string(v);
  } else if (Array.isArray(v)) {
    enterWriting(open);
    w.byte(L);
    for (const item of v) writeValue(w, item, open + 1);
    w.byte(E);
  } else if (typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'dict') {
    enterWriting(open);
    const entries = (v as { entries?: unknown }).entries;
    if (!Array.isArray(entries)) fail('bad-value', 'a dictionary whose entries are not an array');
    for (const e of entries as unknown[]) {
      if (!Array.isArray(e) || e.length !== 2 || !(e[0] instanceof Uint8Array)) fail('bad-value', 'a dictionary entry that is not a [Uint8Array, value] pair');
    }
    // Sorted as raw bytes (BEP 3), on a copy: the caller's value is left as it was.
    const sorted = (entries as BencodeEntry[]).slice().sort((a, b) => compareBytes(a[0], b[0]));
    for (let i = 1; i < sorted.length; i++) {
      if (compareBytes(sorted[i - 1]![0], sorted[i]![0]) === 0) fail('duplicate-key', 'two entries with the same key');
    }
    w.byte(D);
    for (const [key, value] of sorted) {
      w.string(key);
      writeValue(w, value, open + 1);
    }
    w.byte(E);
  } else {
    fail('bad-value', `a value bencode has no form for: ${typeof v === 'object' ? Object.prototype.toString.call(v) : typeof v}`);
  }
}

function enterWriting(open: number): void {
  if (open >= MAX_DEPTH) fail('too-deep', `a list or dictionary inside ${open} others`);
}

export function encode(value: BencodeValue): Uint8Array {
  const w = new Writer();
  writeValue(w, value, 0);
  return w.done();
}

// ---------------------------------------------------------------------------------------------
// The torrent

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

function isDict(v: BencodeValue | undefined): v is BencodeDict {
  return typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

const KEY_BYTES = new Map<string, Uint8Array>();

function get(d: BencodeDict, key: string): BencodeValue | undefined {
  let want = KEY_BYTES.get(key);
  if (want === undefined) KEY_BYTES.set(key, (want = ascii(key)));
  // Keys are sorted and unique (decode() saw to it): the first match is the only one.
  for (const [k, v] of d.entries) if (compareBytes(k, want) === 0) return v;
  return undefined;
}

function text(v: BencodeValue, what: string): string {
  if (!(v instanceof Uint8Array)) refuse('bad-field', `${what} is not a byte string`);
  try {
    return utf8Decoder.decode(v);
  } catch {
    return refuse('bad-field', `${what} is not UTF-8`);
  }
}

function count(v: BencodeValue, what: string, min: bigint): number {
  if (typeof v !== 'bigint') refuse('bad-field', `${what} is not an integer`);
  if (v < min || v > BigInt(Number.MAX_SAFE_INTEGER)) refuse('bad-field', `${what} is ${v}`);
  return Number(v);
}

function required(d: BencodeDict, key: string, where: string): BencodeValue {
  const v = get(d, key);
  if (v === undefined) refuse('missing-field', `${where} has no "${key}"`);
  return v;
}

/** A name or a path component: a file or directory name, never a way out of the download's directory. */
function component(v: BencodeValue, what: string): string {
  const s = text(v, what);
  if (s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\0')) refuse('bad-path', `${what} is ${JSON.stringify(s)}`);
  return s;
}

function optionalText(d: BencodeDict, key: string): string | null {
  const v = get(d, key);
  return v === undefined ? null : text(v, `"${key}"`);
}

function tiers(v: BencodeValue | undefined): string[][] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) refuse('bad-field', '"announce-list" is not a list');
  return v.map((tier, i) => {
    if (!Array.isArray(tier)) refuse('bad-field', `tier ${i} of "announce-list" is not a list`);
    return tier.map((url, j) => text(url, `tracker ${j} of tier ${i}`));
  });
}

export function parseTorrent(bytes: Uint8Array): Torrent {
  const top = decode(bytes);
  if (!isDict(top)) refuse('bad-field', 'the file is not a dictionary');
  const info = required(top, 'info', 'the file');
  if (!isDict(info)) refuse('bad-field', '"info" is not a dictionary');

  const name = component(required(info, 'name', 'info'), 'info.name');
  const pieceLength = count(required(info, 'piece length', 'info'), 'info["piece length"]', 1n);
  const pieces = required(info, 'pieces', 'info');
  if (!(pieces instanceof Uint8Array)) refuse('bad-field', 'info.pieces is not a byte string');
  if (pieces.length % SHA1_LENGTH !== 0) refuse('bad-pieces', `info.pieces has ${pieces.length} bytes, not a multiple of 20`);

  const single = get(info, 'length');
  const list = get(info, 'files');
  if (single !== undefined && list !== undefined) refuse('bad-field', 'info has both "length" and "files"');
  if (single === undefined && list === undefined) refuse('missing-field', 'info has neither "length" nor "files"');

  const files: TorrentFile[] = [];
  let total = 0;
  if (single !== undefined) {
    total = count(single, 'info.length', 0n);
    files.push({ path: [name], length: total, offset: 0 });
  } else {
    if (!Array.isArray(list) || list.length === 0) refuse('bad-field', 'info.files is not a list of files');
    list.forEach((f, i) => {
      if (!isDict(f)) refuse('bad-field', `file ${i} is not a dictionary`);
      const length = count(required(f, 'length', `file ${i}`), `file ${i}'s length`, 0n);
      const path = required(f, 'path', `file ${i}`);
      if (!Array.isArray(path)) refuse('bad-field', `file ${i}'s path is not a list`);
      // BEP 3: "a zero length list is an error case".
      if (path.length === 0) refuse('bad-path', `file ${i}'s path is empty`);
      files.push({ path: [name, ...path.map((c, j) => component(c, `component ${j} of file ${i}'s path`))], length, offset: total });
      total += length;
      if (total > Number.MAX_SAFE_INTEGER) refuse('bad-field', 'the files add up to more than 2^53 - 1 bytes');
    });
  }

  // One hash per piece: every piece is pieceLength bytes but the last, which may be shorter.
  const want = Math.ceil(total / pieceLength);
  if (pieces.length / SHA1_LENGTH !== want) refuse('bad-pieces', `${pieces.length / SHA1_LENGTH} hashes for ${want} pieces`);

  const flag = get(info, 'private');
  if (flag !== undefined && flag !== 0n && flag !== 1n) refuse('bad-field', 'info.private is neither 0 nor 1');

  const announce = optionalText(top, 'announce');
  const announceList = tiers(get(top, 'announce-list'));
  const comment = optionalText(top, 'comment');
  const createdBy = optionalText(top, 'created by');
  const date = get(top, 'creation date');
  const creationDate = date === undefined ? null : count(date, '"creation date"', 0n);

  const hashes: Uint8Array[] = [];
  for (let at = 0; at < pieces.length; at += SHA1_LENGTH) hashes.push(pieces.slice(at, at + SHA1_LENGTH));

  return { name, pieceLength, pieces: hashes, length: total, files, private: flag === 1n, announce, announceList, comment, createdBy, creationDate };
}

// ---------------------------------------------------------------------------------------------
// Pieces

export function pieceHashes(content: Uint8Array, pieceLength: number): Uint8Array[] {
  if (!Number.isSafeInteger(pieceLength) || pieceLength < 1) refuse('bad-field', `a piece length of ${pieceLength}`);
  const out: Uint8Array[] = [];
  for (let at = 0; at < content.length; at += pieceLength) out.push(sha1(content.subarray(at, at + pieceLength)));
  return out;
}

export function badPieces(torrent: Torrent, content: Uint8Array): number[] {
  if (content.length !== torrent.length) refuse('bad-content', `${content.length} bytes of content for a torrent of ${torrent.length}`);
  const hashes = pieceHashes(content, torrent.pieceLength);
  const bad: number[] = [];
  hashes.forEach((h, i) => {
    if (compareBytes(h, torrent.pieces[i]!) !== 0) bad.push(i);
  });
  return bad;
}

// ---------------------------------------------------------------------------------------------
// The infohash and the magnet link

export function infoSpan(bytes: Uint8Array): { start: number; end: number } {
  const top = decode(bytes);
  if (!isDict(top)) refuse('bad-field', 'the file is not a dictionary');
  const info = get(top, 'info');
  if (info === undefined) refuse('missing-field', 'the file has no "info"');
  if (!isDict(info)) refuse('bad-field', '"info" is not a dictionary');
  // The file is known to be valid: walk the top dictionary again, keeping offsets.
  const r = new Reader(bytes);
  r.pos = 1;
  const want = ascii('info');
  for (;;) {
    const key = readString(r);
    const start = r.pos;
    readValue(r, 1);
    if (compareBytes(key, want) === 0) return { start, end: r.pos };
  }
}

export function infoHash(bytes: Uint8Array): string {
  const { start, end } = infoSpan(bytes);
  return toHex(sha1(bytes.subarray(start, end)));
}

/**
 * Percent-encoding as Transmission writes a magnet link: letters, digits, ',', '-' and '.' stay,
 * every other byte of the UTF-8 becomes %XX with uppercase hex.
 */
function escape(s: string): string {
  let out = '';
  for (const b of utf8Encoder.encode(s)) {
    const keep = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2c || b === 0x2d || b === 0x2e;
    out += keep ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function magnetLink(bytes: Uint8Array): string {
  const t = parseTorrent(bytes);
  // BEP 12: announce-list, when it names any tracker, replaces announce.
  const fromList = t.announceList.flat();
  const trackers = fromList.length > 0 ? fromList : t.announce === null ? [] : [t.announce];
  return `magnet:?xt=urn:btih:${infoHash(bytes)}&dn=${escape(t.name)}${trackers.map((u) => `&tr=${escape(u)}`).join('')}`;
}
