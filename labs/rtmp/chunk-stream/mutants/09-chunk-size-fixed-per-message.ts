// Bug: the decoder keeps, for each message, the chunk size in force when its first chunk arrived, so a Set Chunk Size between two chunks of a message on another chunk stream is ignored for the rest of it (§5.4.1: it applies to every chunk that follows).
/**
 * RTMP chunk stream: the reference implementation.
 *
 * Adobe's RTMP specification 1.0 (December 2012) §5.3 (chunking) and §5.4 (protocol control
 * messages), with the two peers the tests are held against: FFmpeg's libavformat/rtmppkt.c
 * (the publisher) and nginx-rtmp-module's ngx_rtmp_handler.c (the server). Where the spec left
 * room, this code does what both of them do:
 * - a type 3 chunk carries the 4-byte extended timestamp again whenever the last type 0, 1 or 2
 *   header on its chunk stream had one (on continuation chunks and on type 3 message starts);
 * - on a type 3 chunk that starts a message, that repeated field is the delta to add.
 */
import {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_MAX_MESSAGE_LENGTH,
  EXTENDED_TIMESTAMP,
  MAX_CSID,
  MAX_MESSAGE_LENGTH,
  MessageType,
  RtmpChunkError,
  type Control,
  type DecodedMessage,
  type HeaderType,
  type RtmpChunkErrorCode,
  type RtmpMessage,
} from './types';

export * from './types';

function fail(code: RtmpChunkErrorCode, message?: string): never {
  throw new RtmpChunkError(code, message);
}

const isUint = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const isHeaderType = (v: unknown): v is HeaderType => v === 0 || v === 1 || v === 2 || v === 3;

function checkCsid(csid: unknown): asserts csid is number {
  if (!isUint(csid, MAX_CSID) || csid < 2) fail('bad-csid', `chunk stream id ${String(csid)} is not 2..${MAX_CSID}`);
}

const u24 = (b: Uint8Array, p: number): number => (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
// `*` rather than `<<` for the top byte: `<<` would make 0x80000000 and above negative.
const u32 = (b: Uint8Array, p: number): number => b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
const u32le = (b: Uint8Array, p: number): number => b[p + 3]! * 0x1000000 + ((b[p + 2]! << 16) | (b[p + 1]! << 8) | b[p]!);

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Task 1: the basic header (§5.3.1.1)

/** fmt in the top two bits; csid 2..63 in one byte, 64..319 in two, 320..65599 in three. */
export function encodeBasicHeader(fmt: HeaderType, csid: number): Uint8Array {
  if (!isHeaderType(fmt)) fail('bad-value', `header type ${String(fmt)}`);
  checkCsid(csid);
  const top = fmt << 6;
  if (csid <= 63) return Uint8Array.of(top | csid);
  const v = csid - 64;
  if (v <= 0xff) return Uint8Array.of(top, v);
  // The 3-byte form keeps csid - 64 little-endian: low byte first.
  return Uint8Array.of(top | 1, v & 0xff, v >> 8);
}

/** The basic header at `offset`, or null when its bytes have not all arrived. */
export function decodeBasicHeader(bytes: Uint8Array, offset = 0): { fmt: HeaderType; csid: number; size: number } | null {
  if (offset >= bytes.length) return null;
  const first = bytes[offset]!;
  const fmt = (first >> 6) as HeaderType;
  const low = first & 0x3f;
  if (low >= 2) return { fmt, csid: low, size: 1 };
  if (low === 0) {
    if (bytes.length - offset < 2) return null;
    return { fmt, csid: 64 + bytes[offset + 1]!, size: 2 };
  }
  if (bytes.length - offset < 3) return null;
  return { fmt, csid: 64 + bytes[offset + 1]! + bytes[offset + 2]! * 256, size: 3 };
}

// ---------------------------------------------------------------------------------------------
// Task 4: protocol control messages (§5.4)

const CONTROL_TYPES: Record<Control['kind'], number> = {
  'set-chunk-size': MessageType.SET_CHUNK_SIZE,
  abort: MessageType.ABORT,
  acknowledgement: MessageType.ACKNOWLEDGEMENT,
  'window-ack-size': MessageType.WINDOW_ACK_SIZE,
  'set-peer-bandwidth': MessageType.SET_PEER_BANDWIDTH,
};

function be32(v: number): Uint8Array {
  return Uint8Array.of((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

/** A protocol control message: chunk stream 2, message stream 0, timestamp 0 (§5.4). */
export function controlMessage(control: Control): RtmpMessage {
  const type = CONTROL_TYPES[control?.kind];
  if (type === undefined) fail('bad-value', 'not a protocol control message');
  let payload: Uint8Array;
  switch (control.kind) {
    case 'set-chunk-size':
      if (!isUint(control.size, 0x7fffffff) || control.size === 0) fail('bad-chunk-size', `chunk size ${String(control.size)}`);
      payload = be32(control.size);
      break;
    case 'abort':
      checkCsid(control.csid);
      payload = be32(control.csid);
      break;
    case 'acknowledgement':
      if (!isUint(control.sequence, 0xffffffff)) fail('bad-value', `sequence number ${String(control.sequence)}`);
      payload = be32(control.sequence);
      break;
    case 'window-ack-size':
      if (!isUint(control.size, 0xffffffff)) fail('bad-value', `window ${String(control.size)}`);
      payload = be32(control.size);
      break;
    case 'set-peer-bandwidth':
      if (!isUint(control.size, 0xffffffff)) fail('bad-value', `window ${String(control.size)}`);
      if (control.limit !== 0 && control.limit !== 1 && control.limit !== 2) fail('bad-value', `limit type ${String(control.limit)}`);
      payload = concat([be32(control.size), Uint8Array.of(control.limit)]);
      break;
  }
  return { csid: 2, type, streamId: 0, timestamp: 0, payload };
}

/** What a protocol control message says; null for any other message type. */
export function parseControl(message: RtmpMessage): Control | null {
  const b = message.payload;
  const need = (n: number): void => {
    if (b.length !== n) fail('bad-control', `type ${message.type} needs ${n} payload bytes, not ${b.length}`);
  };
  switch (message.type) {
    case MessageType.SET_CHUNK_SIZE: {
      need(4);
      const size = u32(b, 0);
      // 31 bits: the top bit must be zero, and a chunk must hold at least one byte.
      if (size === 0 || size > 0x7fffffff) fail('bad-chunk-size', `chunk size ${size}`);
      return { kind: 'set-chunk-size', size };
    }
    case MessageType.ABORT: {
      need(4);
      const csid = u32(b, 0);
      checkCsid(csid);
      return { kind: 'abort', csid };
    }
    case MessageType.ACKNOWLEDGEMENT:
      need(4);
      return { kind: 'acknowledgement', sequence: u32(b, 0) };
    case MessageType.WINDOW_ACK_SIZE:
      need(4);
      return { kind: 'window-ack-size', size: u32(b, 0) };
    case MessageType.SET_PEER_BANDWIDTH: {
      need(5);
      const limit = b[4]!;
      if (limit > 2) fail('bad-control', `limit type ${limit}`);
      return { kind: 'set-peer-bandwidth', size: u32(b, 0), limit: limit as 0 | 1 | 2 };
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Tasks 2-4: the decoder

/** What a chunk stream remembers: the header of its last message, and the message in progress. */
interface InStream {
  type: number;
  length: number;
  streamId: number;
  /** The last message's timestamp. */
  timestamp: number;
  /** What a type 3 header starting a message adds: the last delta, or a type 0's timestamp. */
  delta: number;
  /** The last type 0, 1 or 2 header had 0xFFFFFF: type 3 chunks repeat the 4-byte field. */
  extended: boolean;
  partial: { payload: Uint8Array; received: number; headerType: HeaderType; size: number } | null;
}

const MESSAGE_HEADER_SIZE = [11, 7, 3, 0] as const;

export interface DecoderOptions {
  /** Longer messages are refused ('message-too-long'). Default 1 MiB, at most 0xFFFFFF. */
  maxMessageLength?: number;
}

export class ChunkDecoder {
  #streams = new Map<number, InStream>();
  #buffer = new Uint8Array(0);
  #pos = 0;
  #chunkSize = DEFAULT_CHUNK_SIZE;
  #maxLength: number;
  #window = 0;
  #received = 0;
  /** Bytes parsed so far: where in the byte count the chunk being read starts. */
  #consumed = 0;
  #lastAck = 0;
  /** Acknowledgements are worked out up to this byte count. */
  #ackedUpTo = 0;
  #acks: number[] = [];

  constructor(options: DecoderOptions = {}) {
    const max = options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
    if (!isUint(max, MAX_MESSAGE_LENGTH)) fail('bad-value', `maxMessageLength ${String(max)}`);
    this.#maxLength = max;
  }

  /** The chunk size the peer sends with (128 until it sends Set Chunk Size). */
  get chunkSize(): number {
    return this.#chunkSize;
  }

  /** The peer's Window Acknowledgement Size, 0 until it sends one. */
  get windowSize(): number {
    return this.#window;
  }

  /** Every byte pushed so far. */
  get bytesReceived(): number {
    return this.#received;
  }

  /** Sequence numbers of the Acknowledgements now owed to the peer, oldest first; forgets them. */
  takeAcknowledgements(): number[] {
    const out = this.#acks;
    this.#acks = [];
    return out;
  }

  /** Feed bytes as they arrive, in pieces of any size; returns the messages they complete. */
  push(bytes: Uint8Array): DecodedMessage[] {
    const rest = this.#buffer.subarray(this.#pos);
    this.#buffer = rest.length === 0 ? bytes.slice() : concat([rest, bytes]);
    this.#pos = 0;
    this.#received += bytes.length;
    const out: DecodedMessage[] = [];
    for (;;) {
      const done = this.#readChunk();
      if (done === null) break;
      if (done === undefined) continue;
      out.push(done);
      this.#apply(done);
    }
    this.#countAcknowledgements(this.#received);
    return out;
  }

  /**
   * One chunk from the buffer: null when its bytes have not all arrived (nothing is changed then),
   * undefined when it was read but its message goes on, or the message it completed.
   * Errors are thrown as soon as the bytes that show them are there.
   */
  #readChunk(): DecodedMessage | null | undefined {
    const b = this.#buffer;
    let p = this.#pos;
    const basic = decodeBasicHeader(b, p);
    if (!basic) return null;
    const { fmt, csid } = basic;
    p += basic.size;
    const st = this.#streams.get(csid);
    if (fmt !== 0 && !st) fail('no-previous-header', `type ${fmt} header on chunk stream ${csid}, which has no message yet`);
    if (fmt !== 3 && st?.partial) fail('unexpected-header', `type ${fmt} header while chunk stream ${csid} is in the middle of a message`);
    if (b.length - p < MESSAGE_HEADER_SIZE[fmt]) return null;

    let field = 0;
    let length = st?.length ?? 0;
    let type = st?.type ?? 0;
    let streamId = st?.streamId ?? 0;
    if (fmt <= 2) {
      field = u24(b, p);
      p += 3;
    }
    if (fmt <= 1) {
      length = u24(b, p);
      type = b[p + 3]!;
      p += 4;
      if (length > this.#maxLength) fail('message-too-long', `message of ${length} bytes (limit ${this.#maxLength})`);
    }
    if (fmt === 0) {
      streamId = u32le(b, p); // the one little-endian field of the header
      p += 4;
    }
    const extended = fmt <= 2 ? field === EXTENDED_TIMESTAMP : st!.extended;
    if (extended) {
      if (b.length - p < 4) return null;
      field = u32(b, p);
      p += 4;
    }

    // Work the header out without changing anything: the chunk's data may not be here yet.
    const partial = st?.partial ?? null;
    let timestamp = st?.timestamp ?? 0;
    let delta = st?.delta ?? 0;
    if (!partial) {
      if (fmt === 0) {
        timestamp = field;
        delta = field;
      } else {
        if (fmt !== 3 || extended) delta = field;
        timestamp = (st!.timestamp + delta) % 0x100000000;
      }
    }
    const received = partial ? partial.received : 0;
    const take = Math.min(length - received, partial ? partial.size : this.#chunkSize);
    if (b.length - p < take) return null;

    // The whole chunk is here: commit.
    let current = partial;
    if (!current) {
      current = { payload: new Uint8Array(length), received: 0, headerType: fmt, size: this.#chunkSize };
      this.#streams.set(csid, {
        type,
        length,
        streamId,
        timestamp,
        delta,
        extended: fmt <= 2 ? extended : st!.extended,
        partial: current,
      });
    }
    current.payload.set(b.subarray(p, p + take), current.received);
    current.received += take;
    p += take;
    this.#consumed += p - this.#pos;
    this.#pos = p;
    if (current.received < length) return undefined;

    const stream = this.#streams.get(csid)!;
    stream.partial = null;
    return { csid, type: stream.type, streamId: stream.streamId, timestamp: stream.timestamp, payload: current.payload, headerType: current.headerType };
  }

  /** Act on the protocol control messages that change how the rest is read. */
  #apply(message: DecodedMessage): void {
    const control = parseControl(message);
    if (!control) return;
    switch (control.kind) {
      case 'set-chunk-size':
        this.#chunkSize = control.size;
        break;
      case 'abort': {
        const st = this.#streams.get(control.csid);
        if (st) st.partial = null;
        break;
      }
      case 'window-ack-size':
        // The old window counts up to here, the new one from here on.
        this.#countAcknowledgements(this.#consumed);
        this.#window = control.size;
        break;
      default:
        break;
    }
  }

  /**
   * An Acknowledgement is owed at the first byte count n where n - (last acknowledged count)
   * reaches the window; its sequence number is n. Worked out up to byte count `upTo`.
   */
  #countAcknowledgements(upTo: number): void {
    if (this.#window > 0) {
      for (;;) {
        const due = Math.max(this.#lastAck + this.#window, this.#ackedUpTo);
        if (due > upTo) break;
        this.#acks.push(due % 0x100000000);
        this.#lastAck = due;
      }
    }
    this.#ackedUpTo = upTo;
  }
}

// ---------------------------------------------------------------------------------------------
// Task 5: the encoder

interface OutStream {
  type: number;
  length: number;
  streamId: number;
  timestamp: number;
  delta: number;
  extended: boolean;
}

export class ChunkEncoder {
  #streams = new Map<number, OutStream>();
  #chunkSize = DEFAULT_CHUNK_SIZE;

  /** The chunk size this side sends with: 128 until it sends Set Chunk Size. */
  get chunkSize(): number {
    return this.#chunkSize;
  }

  /**
   * The message as chunks, each a separate array (a sender may interleave other chunk streams'
   * chunks between them). `headerType` forces the first chunk's header type.
   */
  chunks(message: RtmpMessage, headerType?: HeaderType): Uint8Array[] {
    const { csid, type, streamId, timestamp, payload } = message;
    checkCsid(csid);
    if (!isUint(type, 0xff)) fail('bad-value', `message type ${String(type)}`);
    if (!isUint(streamId, 0xffffffff)) fail('bad-value', `message stream id ${String(streamId)}`);
    if (!isUint(timestamp, 0xffffffff)) fail('bad-value', `timestamp ${String(timestamp)}`);
    if (!(payload instanceof Uint8Array)) fail('bad-value', 'the payload is not a Uint8Array');
    if (payload.length > MAX_MESSAGE_LENGTH) fail('message-too-long', `message of ${payload.length} bytes`);
    if (headerType !== undefined && !isHeaderType(headerType)) fail('bad-value', `header type ${String(headerType)}`);
    const control = type === MessageType.SET_CHUNK_SIZE ? parseControl(message) : null;

    const length = payload.length;
    const prev = this.#streams.get(csid);
    let fmt: HeaderType;
    if (headerType === undefined) {
      fmt = 0;
      // Deltas only go forward: a timestamp going back needs a type 0 header (§5.3.1.2.1).
      if (prev && prev.streamId === streamId && timestamp >= prev.timestamp) {
        const delta = timestamp - prev.timestamp;
        if (prev.type !== type || prev.length !== length) fmt = 1;
        else fmt = delta === prev.delta ? 3 : 2;
      }
    } else {
      fmt = headerType;
      if (fmt !== 0) {
        if (!prev) fail('bad-header-type', `type ${fmt} header on chunk stream ${csid}, which has no message yet`);
        if (prev.streamId !== streamId) fail('bad-header-type', `type ${fmt} header cannot change the message stream id`);
        if (fmt >= 2 && (prev.type !== type || prev.length !== length)) fail('bad-header-type', `type ${fmt} header cannot change the type or length`);
        if (fmt === 3 && (timestamp - prev.timestamp + 0x100000000) % 0x100000000 !== prev.delta) fail('bad-header-type', 'type 3 header cannot change the delta');
      }
    }

    // The value of the timestamp field: absolute for type 0, a delta (modulo 2^32) otherwise.
    const value = fmt === 0 ? timestamp : (timestamp - prev!.timestamp + 0x100000000) % 0x100000000;
    const extended = fmt === 3 ? prev!.extended : value >= EXTENDED_TIMESTAMP;
    const ext = extended ? be32(value) : new Uint8Array(0);

    const head: number[] = [...encodeBasicHeader(fmt, csid)];
    if (fmt <= 2) {
      const field = extended ? EXTENDED_TIMESTAMP : value;
      head.push((field >> 16) & 0xff, (field >> 8) & 0xff, field & 0xff);
    }
    if (fmt <= 1) head.push((length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff, type);
    if (fmt === 0) head.push(streamId & 0xff, (streamId >>> 8) & 0xff, (streamId >>> 16) & 0xff, streamId >>> 24);

    const size = this.#chunkSize;
    const out: Uint8Array[] = [concat([Uint8Array.from(head), ext, payload.subarray(0, size)])];
    // Continuation chunks: a type 3 basic header, and the extended timestamp again if the first
    // chunk had one (what FFmpeg and nginx-rtmp send and expect).
    const more = concat([encodeBasicHeader(3, csid), ext]);
    for (let at = size; at < length; at += size) out.push(concat([more, payload.subarray(at, at + size)]));

    this.#streams.set(csid, {
      type,
      length,
      streamId,
      timestamp,
      delta: fmt === 0 ? timestamp : fmt === 3 ? prev!.delta : value,
      extended,
    });
    if (control?.kind === 'set-chunk-size') this.#chunkSize = control.size;
    return out;
  }

  /** The message's chunks, one after the other. */
  encode(message: RtmpMessage, headerType?: HeaderType): Uint8Array {
    return concat(this.chunks(message, headerType));
  }
}
