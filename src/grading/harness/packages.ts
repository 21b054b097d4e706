/**
 * The npm packages lab code may import in every engine. The worker bundles exactly these, and
 * the Node and WebContainer entries hand the same table to the harness, so no engine can
 * grade a lab another engine cannot. Adding a package here adds it to the worker bundle.
 */
import * as nobleHmac from '@noble/hashes/hmac.js';
import * as nobleLegacy from '@noble/hashes/legacy.js';
import * as nobleSha2 from '@noble/hashes/sha2.js';
import * as fastCheck from 'fast-check';

export const LAB_PACKAGES: Readonly<Record<string, unknown>> = {
  'fast-check': fastCheck,
  // Hashing for the HTTPS labs, through their provided hash.ts.
  '@noble/hashes/hmac.js': nobleHmac,
  '@noble/hashes/sha2.js': nobleSha2,
  // SHA-1 for BitTorrent's infohash and piece hashes (the P2P labs' provided hash.ts).
  '@noble/hashes/legacy.js': nobleLegacy,
};
