/**
 * Just enough RTMP after the handshake for a live run to ask "does the server accept my
 * connection?": a `connect` command in AMF0, cut into chunks of the default size, and a reader
 * that reassembles the server's chunks into messages and decodes AMF0 commands. It is the live
 * run's own code, not a lab's answer: the chunk stream and AMF0 are labs of their own.
 */

export const DEFAULT_CHUNK_SIZE = 128;

export interface RtmpMessage {
  csid: number;
  type: number;
  streamId: number;
  timestamp: number;
  payload: Uint8Array;
}

export type AmfValue = number | boolean | string | null | undefined | AmfValue[] | { [key: string]: AmfValue };

// ---- AMF0 -----------------------------------------------------------------------------------

const utf8 = new TextEncoder();

function amfString(s: string): number[] {
  const b = utf8.encode(s);
  return [b.length >> 8, b.length & 0xff, ...b];
}

function amfNumber(n: number): number[] {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, n);
  return [0x00, ...new Uint8Array(dv.buffer)];
}

function amfValue(v: AmfValue): number[] {
  if (typeof v === 'number') return amfNumber(v);
  if (typeof v === 'string') return [0x02, ...amfString(v)];
  if (typeof v === 'boolean') return [0x01, v ? 1 : 0];
  if (v === null) return [0x05];
  if (v === undefined) return [0x06];
  if (Array.isArray(v)) throw new Error('the live run writes no arrays');
  const out = [0x03];
  for (const [k, x] of Object.entries(v)) out.push(...amfString(k), ...amfValue(x));
  return [...out, 0x00, 0x00, 0x09];
}

/** The body of an AMF0 command: name, transaction id, then the other values. */
export function encodeCommand(name: string, transactionId: number, ...values: AmfValue[]): Uint8Array {
  return Uint8Array.from([0x02, ...amfString(name), ...amfNumber(transactionId), ...values.flatMap(amfValue)]);
}

/** Decode a command body into its values; stops quietly at anything it does not know. */
export function decodeValues(bytes: Uint8Array): AmfValue[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder();
  let p = 0;
  const need = (n: number): void => {
    if (p + n > bytes.length) throw new RangeError('truncated');
  };
  const str = (wide: boolean): string => {
    need(wide ? 4 : 2);
    const n = wide ? dv.getUint32(p) : dv.getUint16(p);
    p += wide ? 4 : 2;
    need(n);
    const s = text.decode(bytes.subarray(p, p + n));
    p += n;
    return s;
  };
  const value = (depth: number): AmfValue => {
    if (depth > 32) throw new RangeError('too deep');
    need(1);
    const marker = bytes[p++]!;
    switch (marker) {
      case 0x00: need(8); p += 8; return dv.getFloat64(p - 8);
      case 0x01: need(1); return bytes[p++] !== 0;
      case 0x02: return str(false);
      case 0x0c: return str(true);
      case 0x05: return null;
      case 0x06: return undefined;
      case 0x08: need(4); p += 4; return object(depth); // the count is a hint only
      case 0x03: return object(depth);
      case 0x0a: {
        need(4);
        const n = dv.getUint32(p);
        p += 4;
        const arr: AmfValue[] = [];
        for (let i = 0; i < n; i++) arr.push(value(depth + 1));
        return arr;
      }
      default: throw new RangeError(`AMF0 marker 0x${marker.toString(16)}`);
    }
  };
  const object = (depth: number): AmfValue => {
    const o: Record<string, AmfValue> = {};
    for (;;) {
      const key = str(false);
      if (key === '') { need(1); p++; return o; } // the object-end marker
      o[key] = value(depth + 1);
    }
  };
  const out: AmfValue[] = [];
  try {
    while (p < bytes.length) out.push(value(0));
  } catch {
    // A live run only reports what it could read.
  }
  return out;
}

// ---- Chunks -----------------------------------------------------------------------------------

/** One message as type 0 and type 3 chunks on chunk stream `csid` (2–63). */
export function chunkMessage(m: RtmpMessage, chunkSize = DEFAULT_CHUNK_SIZE): Uint8Array {
  const out: number[] = [];
  const n = m.payload.length;
  out.push(m.csid & 0x3f, (m.timestamp >> 16) & 0xff, (m.timestamp >> 8) & 0xff, m.timestamp & 0xff);
  out.push((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, m.type);
  out.push(m.streamId & 0xff, (m.streamId >> 8) & 0xff, (m.streamId >> 16) & 0xff, (m.streamId >>> 24) & 0xff); // little-endian
  for (let i = 0; i < n; i += chunkSize) {
    if (i > 0) out.push(0xc0 | (m.csid & 0x3f));
    out.push(...m.payload.subarray(i, Math.min(n, i + chunkSize)));
  }
  return Uint8Array.from(out);
}

interface StreamState { timestamp: number; length: number; type: number; streamId: number; parts: Uint8Array[]; got: number; extended: boolean }

/** Reassembles messages from chunks that arrive in pieces of any size; obeys Set Chunk Size. */
export class ChunkReader {
  private buf = new Uint8Array(0);
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private streams = new Map<number, StreamState>();

  push(bytes: Uint8Array): RtmpMessage[] {
    const joined = new Uint8Array(this.buf.length + bytes.length);
    joined.set(this.buf);
    joined.set(bytes, this.buf.length);
    this.buf = joined;
    const out: RtmpMessage[] = [];
    for (;;) {
      const m = this.one();
      if (m === 'more') break;
      if (m) {
        if (m.type === 1 && m.payload.length >= 4) {
          this.chunkSize = new DataView(m.payload.buffer, m.payload.byteOffset, 4).getUint32(0) & 0x7fffffff;
        }
        out.push(m);
      }
    }
    return out;
  }

  /** One chunk from the buffer: a finished message, null for a chunk mid-message, 'more' to wait. */
  private one(): RtmpMessage | null | 'more' {
    const b = this.buf;
    if (b.length < 1) return 'more';
    const fmt = b[0]! >> 6;
    let csid = b[0]! & 0x3f;
    let p = 1;
    if (csid === 0) { if (b.length < 2) return 'more'; csid = 64 + b[1]!; p = 2; }
    else if (csid === 1) { if (b.length < 3) return 'more'; csid = 64 + b[1]! + b[2]! * 256; p = 3; }
    const headerLength = [11, 7, 3, 0][fmt]!;
    if (b.length < p + headerLength) return 'more';
    const u24 = (i: number) => (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    const prev = this.streams.get(csid);
    if (!prev && fmt !== 0) throw new Error(`chunk stream ${csid} starts with a type ${fmt} header`);
    const s: StreamState = prev && prev.got < prev.length ? prev : { ...(prev ?? { timestamp: 0, length: 0, type: 0, streamId: 0, extended: false }), parts: [], got: 0 };
    let ts = fmt === 3 ? -1 : u24(p);
    if (fmt <= 1) { s.length = u24(p + 3); s.type = b[p + 6]!; }
    if (fmt === 0) s.streamId = b[p + 7]! | (b[p + 8]! << 8) | (b[p + 9]! << 16) | (b[p + 10]! << 24);
    p += headerLength;
    // A type 3 chunk repeats the extended timestamp when its stream's last header had one.
    if (fmt !== 3) s.extended = ts === 0xffffff;
    if (s.extended) {
      if (b.length < p + 4) return 'more';
      const ext = ((b[p]! << 24) >>> 0) + u24(p + 1);
      if (fmt !== 3) ts = ext;
      p += 4;
    }
    const take = Math.min(this.chunkSize, s.length - s.got);
    if (b.length < p + take) return 'more';
    if (s.got === 0 && ts >= 0) s.timestamp = fmt === 0 ? ts : s.timestamp + ts;
    s.parts.push(b.slice(p, p + take));
    s.got += take;
    this.buf = b.slice(p + take);
    this.streams.set(csid, s);
    if (s.got < s.length) return null;
    const payload = new Uint8Array(s.length);
    let o = 0;
    for (const part of s.parts) { payload.set(part, o); o += part.length; }
    return { csid, type: s.type, streamId: s.streamId, timestamp: s.timestamp, payload };
  }
}

/** The names of the message types a live run prints. */
export const MESSAGE_TYPES: Readonly<Record<number, string>> = {
  1: 'Set Chunk Size', 2: 'Abort', 3: 'Acknowledgement', 4: 'User Control', 5: 'Window Acknowledgement Size',
  6: 'Set Peer Bandwidth', 8: 'audio', 9: 'video', 18: 'data (AMF0)', 20: 'command (AMF0)',
};
