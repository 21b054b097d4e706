/**
 * Bencode's value model, the torrent model, the two errors, and a few helpers (provided,
 * read-only). The tests check an error's class name and `code`, never its message.
 *
 * Source: BEP 3, "The BitTorrent Protocol Specification" (bittorrent.org/beps/bep_0003.html);
 * BEP 12 (announce-list) and BEP 27 (private torrents).
 */

// ---------------------------------------------------------------------------------------------
// Values

/**
 * A bencoded value:
 * - an integer (`i42e`) is a `bigint`: bencode sets no limit, and file sizes and dates in real
 *   files are integers too;
 * - a byte string (`4:spam`) is a `Uint8Array`: a string in bencode is bytes, and a torrent's
 *   `pieces` is binary;
 * - a list (`l...e`) is a JavaScript array;
 * - a dictionary (`d...e`) is a BencodeDict.
 */
export type BencodeValue = bigint | Uint8Array | BencodeValue[] | BencodeDict;

/** One key/value pair of a dictionary. A key is a byte string: any bytes, not only UTF-8. */
export type BencodeEntry = [key: Uint8Array, value: BencodeValue];

/**
 * A dictionary (`d...e`). Decoded, `entries` are in the order of the bytes, which in a valid
 * input is sorted. To encode, they may come in any order: the encoder sorts them.
 */
export interface BencodeDict {
  type: 'dict';
  entries: BencodeEntry[];
}

/**
 * How many lists and dictionaries may be open at once, when decoding and when encoding. BEP 3
 * sets no limit; a recursive decoder needs one, or a few kilobytes of `l` exhaust its stack.
 * A .torrent nests five deep (the file, info, files, a file, its path); libtorrent refuses
 * .torrent files nested deeper than 100 too.
 */
export const MAX_DEPTH = 100;

export type BencodeErrorCode =
  /** The input ends before a value does (also: a string's length runs past the end). */
  | 'truncated'
  /** An integer's text that is not digits after an optional '-' (`ie`, `i-e`, `i1.5e`, `i+1e`). */
  | 'bad-int'
  /** A string length with a character that is not a digit before its ':' (`3x:abc`). */
  | 'bad-length'
  /** An integer or a length written with a leading zero (`i03e`, `i-03e`, `03:abc`). */
  | 'leading-zero'
  /** `i-0e`. */
  | 'negative-zero'
  /** A byte that cannot begin a value where a value must begin (also 'e' there). */
  | 'unexpected-byte'
  /** An integer, list or dictionary where a dictionary key must be. */
  | 'non-string-key'
  /** A key smaller, as bytes, than the key before it. */
  | 'unsorted-keys'
  /** A key equal to the key before it (decoding), or two equal keys (encoding). */
  | 'duplicate-key'
  /** Bytes left after the one value decode() reads. */
  | 'trailing-data'
  /** A list or dictionary inside MAX_DEPTH open ones. */
  | 'too-deep'
  /** encode(): a value outside the model (a number, a string, null, a Map, a bad entry...). */
  | 'bad-value';

/** Throw this for every bencode problem: `throw new BencodeError('truncated', 'what happened')`. */
export class BencodeError extends Error {
  readonly code: BencodeErrorCode;
  constructor(code: BencodeErrorCode, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'BencodeError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Torrents

/** One file of a torrent, as it is laid out on disk and in the torrent's pieces. */
export interface TorrentFile {
  /**
   * Where it goes: the torrent's name, then, in a multi-file torrent, the file's `path`
   * components. A single-file torrent has one file whose path is `[name]`.
   */
  path: string[];
  /** Its size in bytes. */
  length: number;
  /** Where it starts in the concatenation of all the torrent's files, in order. */
  offset: number;
}

/** What a .torrent file says, as parseTorrent() reads it. */
export interface Torrent {
  /** info.name: the file's name (single file) or the top directory's (multi-file). */
  name: string;
  /** info["piece length"]: the bytes in every piece but the last. */
  pieceLength: number;
  /** info.pieces cut into its 20-byte SHA-1 hashes, one per piece, in order. */
  pieces: Uint8Array[];
  /** The sum of the files' lengths. */
  length: number;
  /** Every file, in the order of info.files (one file for a single-file torrent). */
  files: TorrentFile[];
  /** info.private is 1 (BEP 27); false when it is 0 or absent. */
  private: boolean;
  /** The top-level `announce` URL, or null when there is none. */
  announce: string | null;
  /** The top-level `announce-list` (BEP 12): tiers of tracker URLs; [] when there is none. */
  announceList: string[][];
  /** The top-level `comment`, or null. */
  comment: string | null;
  /** The top-level `created by`, or null. */
  createdBy: string | null;
  /** The top-level `creation date`, in seconds since 1970-01-01 UTC, or null. */
  creationDate: number | null;
}

export type TorrentErrorCode =
  /** The file's value is not a dictionary, or a field has the wrong type or an impossible value. */
  | 'bad-field'
  /** A field the torrent must have is not there. */
  | 'missing-field'
  /** A name or path component that is empty, ".", "..", or has a '/' or a NUL byte in it. */
  | 'bad-path'
  /** `pieces` is not a whole number of 20-byte hashes, or not one hash per piece. */
  | 'bad-pieces'
  /** badPieces(): content whose length is not the torrent's length. */
  | 'bad-content';

/** Throw this for every problem with what a torrent says (bencode problems stay BencodeErrors). */
export class TorrentError extends Error {
  readonly code: TorrentErrorCode;
  constructor(code: TorrentErrorCode, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'TorrentError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers, for writing values by hand and reading decoded ones

const encoder = new TextEncoder();

/** A JavaScript string as UTF-8 bytes: `utf8('spam')` is the byte string of `4:spam`. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * A dictionary from a plain record or a list of pairs, keys given as strings (written as UTF-8)
 * or as bytes, in the order given: the encoder sorts them.
 */
export function dict(entries: Record<string, BencodeValue> | [string | Uint8Array, BencodeValue][]): BencodeDict {
  const pairs = Array.isArray(entries) ? entries : Object.entries(entries);
  return { type: 'dict', entries: pairs.map(([k, v]) => [typeof k === 'string' ? utf8(k) : k, v]) };
}

/** The value of the first entry of `d` whose key is the UTF-8 of `key`; undefined when none is. */
export function lookup(d: BencodeDict, key: string): BencodeValue | undefined {
  const want = utf8(key);
  for (const [k, v] of d.entries) {
    if (k.length === want.length && k.every((b, i) => b === want[i])) return v;
  }
  return undefined;
}
