/**
 * The lab's types, constants and error (provided, read-only). The tests check the error's class
 * name and `code`, never its message.
 */

/** The chunk header types of the RTMP specification 1.0, §5.3.1.2 ("fmt", the top two bits). */
export type HeaderType = 0 | 1 | 2 | 3;

/** A whole RTMP message, as the encoder takes it. */
export interface RtmpMessage {
  /** The chunk stream it travels on: 2 to 65599 (2 is for protocol control messages). */
  csid: number;
  /** The message type id: 1 to 6 protocol control, 8 audio, 9 video, 18 data, 20 command, ... */
  type: number;
  /** The message stream id (0 for the connection itself, then what createStream returned). */
  streamId: number;
  /** Absolute timestamp in milliseconds, 0 to 2^32 - 1 (it wraps around). */
  timestamp: number;
  payload: Uint8Array;
}

/** A message the decoder completed: the message, and the header type of its first chunk. */
export interface DecodedMessage extends RtmpMessage {
  headerType: HeaderType;
}

/** The protocol control messages of §5.4, as values. */
export type Control =
  | { kind: 'set-chunk-size'; size: number }
  | { kind: 'abort'; csid: number }
  | { kind: 'acknowledgement'; sequence: number }
  | { kind: 'window-ack-size'; size: number }
  | { kind: 'set-peer-bandwidth'; size: number; limit: 0 | 1 | 2 };

/** Message type ids (RTMP specification 1.0 §5.4 and §7.1). */
export const MessageType = {
  SET_CHUNK_SIZE: 1,
  ABORT: 2,
  ACKNOWLEDGEMENT: 3,
  USER_CONTROL: 4,
  WINDOW_ACK_SIZE: 5,
  SET_PEER_BANDWIDTH: 6,
  AUDIO: 8,
  VIDEO: 9,
  DATA_AMF0: 18,
  COMMAND_AMF0: 20,
} as const;

/** Both directions start with this chunk size (§5.4.1). */
export const DEFAULT_CHUNK_SIZE = 128;
/** The largest chunk stream id the 3-byte basic header can carry: 65535 + 64. */
export const MAX_CSID = 65599;
/** The message length field has 24 bits. */
export const MAX_MESSAGE_LENGTH = 0xffffff;
/** What the decoder accepts unless told otherwise: nginx-rtmp's default `max_message` (1 MiB). */
export const DEFAULT_MAX_MESSAGE_LENGTH = 1024 * 1024;
/** A 3-byte timestamp field holding this value means "the real value follows, in 4 bytes". */
export const EXTENDED_TIMESTAMP = 0xffffff;

/** Why bytes or values cannot be used. */
export type RtmpChunkErrorCode =
  /** A chunk stream id outside 2..65599 (0 and 1 only select the 2- and 3-byte basic headers). */
  | 'bad-csid'
  /** A type 1, 2 or 3 header on a chunk stream that has carried no message yet. */
  | 'no-previous-header'
  /** A type 0, 1 or 2 header on a chunk stream whose message is not complete. */
  | 'unexpected-header'
  /** A message longer than the decoder accepts, or than 24 bits can say. */
  | 'message-too-long'
  /** A chunk size of 0, or with the top bit set (§5.4.1: 31 bits, 1 to 2^31 - 1). */
  | 'bad-chunk-size'
  /** A protocol control message whose payload has the wrong length or an unknown limit type. */
  | 'bad-control'
  /** A forced header type that cannot express the message (task 5). */
  | 'bad-header-type'
  /** Any other value that cannot be written: out of range, not an integer, not bytes. */
  | 'bad-value';

export class RtmpChunkError extends Error {
  readonly code: RtmpChunkErrorCode;
  constructor(code: RtmpChunkErrorCode, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'RtmpChunkError';
    this.code = code;
  }
}
