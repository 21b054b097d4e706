/**
 * RTMP chunk stream: encoder and decoder. The types, the constants and the error class are in
 * types.ts (read-only); the functions and the two classes below are yours. instructions.md has
 * the exact rules the tests check.
 */
import type { Control, DecodedMessage, HeaderType, RtmpMessage } from './types';

export * from './types';

// ---------------------------------------------------------------------------------------------
// Task 1: the basic header

/** fmt in the top two bits; csid 2..63 in one byte, 64..319 in two, 320..65599 in three. */
export function encodeBasicHeader(fmt: HeaderType, csid: number): Uint8Array {
  throw new Error('TODO: encodeBasicHeader');
}

/** The basic header at `offset`, or null when its bytes have not all arrived. */
export function decodeBasicHeader(bytes: Uint8Array, offset = 0): { fmt: HeaderType; csid: number; size: number } | null {
  throw new Error('TODO: decodeBasicHeader');
}

// ---------------------------------------------------------------------------------------------
// Task 4: protocol control messages

/** A protocol control message: chunk stream 2, message stream 0, timestamp 0. */
export function controlMessage(control: Control): RtmpMessage {
  throw new Error('TODO: controlMessage');
}

/** What a protocol control message (types 1, 2, 3, 5, 6) says; null for any other type. */
export function parseControl(message: RtmpMessage): Control | null {
  throw new Error('TODO: parseControl');
}

// ---------------------------------------------------------------------------------------------
// Tasks 2-4: the decoder

export interface DecoderOptions {
  /** Longer messages are refused ('message-too-long'). Default 1 MiB (DEFAULT_MAX_MESSAGE_LENGTH). */
  maxMessageLength?: number;
}

export class ChunkDecoder {
  constructor(options: DecoderOptions = {}) {
    throw new Error('TODO: ChunkDecoder');
  }

  /** The chunk size the peer sends with (128 until it sends Set Chunk Size). */
  get chunkSize(): number {
    throw new Error('TODO: chunkSize');
  }

  /** The peer's Window Acknowledgement Size, 0 until it sends one. */
  get windowSize(): number {
    throw new Error('TODO: windowSize');
  }

  /** Every byte pushed so far. */
  get bytesReceived(): number {
    throw new Error('TODO: bytesReceived');
  }

  /** Sequence numbers of the Acknowledgements now owed to the peer, oldest first; forgets them. */
  takeAcknowledgements(): number[] {
    throw new Error('TODO: takeAcknowledgements');
  }

  /** Feed bytes as they arrive, in pieces of any size; returns the messages they complete. */
  push(bytes: Uint8Array): DecodedMessage[] {
    throw new Error('TODO: push');
  }
}

// ---------------------------------------------------------------------------------------------
// Task 5: the encoder

export class ChunkEncoder {
  /** The chunk size this side sends with: 128 until it sends Set Chunk Size. */
  get chunkSize(): number {
    throw new Error('TODO: chunkSize');
  }

  /**
   * The message as chunks, each a separate array (a sender may interleave other chunk streams'
   * chunks between them). `headerType` forces the first chunk's header type.
   */
  chunks(message: RtmpMessage, headerType?: HeaderType): Uint8Array[] {
    throw new Error('TODO: chunks');
  }

  /** The message's chunks, one after the other. */
  encode(message: RtmpMessage, headerType?: HeaderType): Uint8Array {
    throw new Error('TODO: encode');
  }
}
