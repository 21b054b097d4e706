/**
 * SHA-1 for this lab (provided, read-only), from @noble/hashes: the same code in every grading
 * engine, the page's worker included. BitTorrent v1 (BEP 3) names a torrent by the SHA-1 of its
 * info dictionary and checks every piece with SHA-1.
 */
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js';

/** A SHA-1 digest is 20 bytes. */
export const SHA1_LENGTH = 20;

/** SHA-1(data), 20 bytes. */
export function sha1(data: Uint8Array): Uint8Array {
  return nobleSha1(data);
}

/** Bytes as lowercase hex without separators, as transmission-show prints an infohash. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += bytes[i]!.toString(16).padStart(2, '0');
  return out;
}
