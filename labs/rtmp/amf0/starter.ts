/**
 * AMF0 and RTMP's command layer. Read instructions.md for the rules; types.ts has the markers,
 * the value model, the error to throw and three helpers; captures.ts has real message bodies
 * from ffmpeg, rtmpdump and nginx-rtmp to try your code on.
 */
import { Amf0Error, MARKER, MAX_DEPTH, MAX_SHORT_STRING_BYTES } from './types';
import type { Amf0Command, Amf0Value } from './types';

export * from './types';

// (Imported for you; remove what you do not use.)
void [Amf0Error, MARKER, MAX_DEPTH, MAX_SHORT_STRING_BYTES];

// ---- Decoding (tasks 1-3 and 5) ------------------------------------------------------------

/** Exactly one value, taking all of `bytes`; bytes left after it: 'trailing-bytes'. */
export function decodeValue(bytes: Uint8Array): Amf0Value {
  throw new Error('TODO: decodeValue');
}

/** Values one after another to the end of `bytes` (a message body); [] for no bytes. */
export function decodeValues(bytes: Uint8Array): Amf0Value[] {
  throw new Error('TODO: decodeValues');
}

// ---- Encoding (tasks 1-3) ------------------------------------------------------------------

/** One value; a string longer than 65535 UTF-8 bytes is written as a long string. */
export function encodeValue(value: Amf0Value): Uint8Array {
  throw new Error('TODO: encodeValue');
}

/** Values one after another, as a message body. */
export function encodeValues(values: Amf0Value[]): Uint8Array {
  throw new Error('TODO: encodeValues');
}

// ---- Commands (task 4) ---------------------------------------------------------------------

/** name, transactionId, commandObject, ...args; a wrong shape: 'bad-command'. */
export function encodeCommand(command: Amf0Command): Uint8Array {
  throw new Error('TODO: encodeCommand');
}

/** The whole body as decodeValues reads it, then its shape checked ('bad-command'). */
export function decodeCommand(bytes: Uint8Array): Amf0Command {
  throw new Error('TODO: decodeCommand');
}
