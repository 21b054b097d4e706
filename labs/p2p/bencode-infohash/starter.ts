/**
 * Bencode, .torrent files, the infohash and the magnet link. Read instructions.md for the rules;
 * types.ts has the value model, the torrent model, the errors to throw and a few helpers;
 * hash.ts has SHA-1; torrents.ts has real .torrent files to try your code on.
 */
import { sha1, SHA1_LENGTH, toHex } from './hash';
import { BencodeError, MAX_DEPTH, TorrentError } from './types';
import type { BencodeValue, Torrent } from './types';

export * from './types';

// (Imported for you; remove what you do not use.)
void [sha1, SHA1_LENGTH, toHex, BencodeError, MAX_DEPTH, TorrentError];

// ---- Tasks 1-3: bencode ----------------------------------------------------------------------

/** One value, in its one canonical encoding (dictionary keys sorted as raw bytes). */
export function encode(value: BencodeValue): Uint8Array {
  throw new Error('TODO: encode');
}

/** Exactly one value, taking all of `bytes`, strictly: anything not canonical is a BencodeError. */
export function decode(bytes: Uint8Array): BencodeValue {
  throw new Error('TODO: decode');
}

// ---- Task 4: the torrent ---------------------------------------------------------------------

/** What a .torrent file says; a broken file is a BencodeError, a broken torrent a TorrentError. */
export function parseTorrent(bytes: Uint8Array): Torrent {
  throw new Error('TODO: parseTorrent');
}

/** The SHA-1 of every `pieceLength` bytes of `content`, the last piece shorter when it must be. */
export function pieceHashes(content: Uint8Array, pieceLength: number): Uint8Array[] {
  throw new Error('TODO: pieceHashes');
}

/** The indices of the pieces of `content` whose hash is not the torrent's, in order. */
export function badPieces(torrent: Torrent, content: Uint8Array): number[] {
  throw new Error('TODO: badPieces');
}

// ---- Task 5: the infohash and the magnet link ------------------------------------------------

/** Where the info value lies in the file: bytes.subarray(start, end) is it. */
export function infoSpan(bytes: Uint8Array): { start: number; end: number } {
  throw new Error('TODO: infoSpan');
}

/** The SHA-1 of the info value's bytes, as 40 lowercase hex digits. */
export function infoHash(bytes: Uint8Array): string {
  throw new Error('TODO: infoHash');
}

/** magnet:?xt=urn:btih:<infohash>&dn=<name>&tr=<tracker>..., written as Transmission writes it. */
export function magnetLink(bytes: Uint8Array): string {
  throw new Error('TODO: magnetLink');
}
