// Bug: numbers are read and written little-endian (DataView with littleEndian true), the machine order of a Float64Array, where AMF0 §2.2 says network byte order.
/**
 * AMF0: the reference implementation.
 *
 * Adobe, "Action Message Format -- AMF 0" (2007), and the command layout of the RTMP
 * specification 1.0 §7.1.1. The exact rules, and the order in which problems are reported, are
 * in instructions.md. In short:
 * - every value is decoded to the model of types.ts, which keeps what the bytes say (key order,
 *   repeated keys, an ECMA array's count), so encoding a decoded value gives its bytes back;
 * - a string is written 0x02 up to 65535 UTF-8 bytes and 0x0C beyond;
 * - reference (0x07), typed object (0x10), AMF3 (0x11) and the reserved markers are refused.
 */
import { Amf0Error, MARKER, MAX_DEPTH, MAX_SHORT_STRING_BYTES } from './types';
import type { Amf0Command, Amf0ErrorCode, Amf0Object, Amf0Property, Amf0Value } from './types';

export * from './types';

function fail(code: Amf0ErrorCode, message?: string): never {
  throw new Amf0Error(code, message);
}

// ---------------------------------------------------------------------------------------------
// Reading

// fatal: malformed UTF-8 throws instead of turning into U+FFFD.
// ignoreBOM: a leading EF BB BF is part of the string, not a byte order mark to drop.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

class Reader {
  readonly bytes: Uint8Array;
  // A view of exactly these bytes: the array may be a window into a larger buffer.
  readonly view: DataView;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** Every read is preceded by this: a Uint8Array read past its end gives undefined, silently. */
  need(n: number, what: string): void {
    if (this.bytes.length - this.pos < n) fail('truncated', `${what} needs ${n} bytes at offset ${this.pos}, ${this.bytes.length - this.pos} left`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  s16(what: string): number {
    this.need(2, what);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  /** An IEEE 754 double, big-endian (DataView's default byte order). */
  f64(what: string): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  utf8(length: number, what: string): string {
    this.need(length, what);
    const start = this.pos;
    this.pos += length;
    try {
      return utf8Decoder.decode(this.bytes.subarray(start, this.pos));
    } catch {
      return fail('bad-utf8', `${what} at offset ${start} is not UTF-8`);
    }
  }
}

/** `open` containers are around the value about to be read. */
function readValue(r: Reader, open: number): Amf0Value {
  const at = r.pos;
  const marker = r.u8('a marker');
  switch (marker) {
    case MARKER.NUMBER:
      return r.f64('a number');
    case MARKER.BOOLEAN:
      // §2.3: 0 is false, anything else true.
      return r.u8('a boolean') !== 0;
    case MARKER.STRING:
      return r.utf8(r.u16('a string length'), 'a string');
    case MARKER.LONG_STRING:
      return r.utf8(r.u32('a long string length'), 'a long string');
    case MARKER.NULL:
      return null;
    case MARKER.UNDEFINED:
      return undefined;
    case MARKER.OBJECT:
      enter(open, at);
      return { type: 'object', properties: readProperties(r, open + 1) };
    case MARKER.ECMA_ARRAY: {
      enter(open, at);
      // The associative count is kept, not obeyed: the properties run to the object end.
      const count = r.u32('an ECMA array count');
      return { type: 'ecma-array', properties: readProperties(r, open + 1), count };
    }
    case MARKER.STRICT_ARRAY: {
      enter(open, at);
      const count = r.u32('a strict array count');
      // No preallocation: a hostile count of 2^32 - 1 fails on the bytes, not on memory.
      const items: Amf0Value[] = [];
      for (let i = 0; i < count; i++) items.push(readValue(r, open + 1));
      return items;
    }
    case MARKER.DATE: {
      const time = r.f64('a date');
      const timezone = r.s16('a date time zone');
      return { type: 'date', time, timezone };
    }
    case MARKER.OBJECT_END:
      return fail('unexpected-object-end', `0x09 at offset ${at}, where a value should begin`);
    default:
      if (marker <= MARKER.AVMPLUS_OBJECT) return fail('unsupported-marker', `marker 0x${marker.toString(16).padStart(2, '0')} at offset ${at}`);
      return fail('unknown-marker', `marker 0x${marker.toString(16)} at offset ${at}`);
  }
}

function enter(open: number, at: number): void {
  if (open >= MAX_DEPTH) fail('too-deep', `a container at offset ${at} inside ${open} others`);
}

/** Key/value pairs up to an empty key and the object end (§2.5, §2.10). */
function readProperties(r: Reader, open: number): Amf0Property[] {
  const properties: Amf0Property[] = [];
  for (;;) {
    const length = r.u16('a key length');
    if (length === 0) {
      const at = r.pos;
      if (r.u8('the object end') !== MARKER.OBJECT_END) fail('missing-object-end', `an empty key not followed by 0x09 at offset ${at}`);
      return properties;
    }
    const key = r.utf8(length, 'a key');
    properties.push([key, readValue(r, open)]);
  }
}

/** Exactly one value: the whole of `bytes`. */
export function decodeValue(bytes: Uint8Array): Amf0Value {
  const r = new Reader(bytes);
  const value = readValue(r, 0);
  if (!r.done) fail('trailing-bytes', `${bytes.length - r.pos} bytes after the value`);
  return value;
}

/** Values one after another to the end of `bytes` (a message body); none for no bytes. */
export function decodeValues(bytes: Uint8Array): Amf0Value[] {
  const r = new Reader(bytes);
  const values: Amf0Value[] = [];
  while (!r.done) values.push(readValue(r, 0));
  return values;
}

// ---------------------------------------------------------------------------------------------
// Writing

class Writer {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  #len = 0;

  #room(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.#room(1);
    this.#buf[this.#len++] = v;
  }

  u16(v: number): void {
    this.#room(2);
    this.#view.setUint16(this.#len, v);
    this.#len += 2;
  }

  s16(v: number): void {
    this.#room(2);
    this.#view.setInt16(this.#len, v);
    this.#len += 2;
  }

  u32(v: number): void {
    this.#room(4);
    this.#view.setUint32(this.#len, v);
    this.#len += 4;
  }

  f64(v: number): void {
    this.#room(8);
    // Every NaN is written as the one quiet NaN, so all engines write the same bytes.
    if (Number.isNaN(v)) {
      this.#view.setUint32(this.#len, 0x7ff80000);
      this.#view.setUint32(this.#len + 4, 0);
    } else {
      this.#view.setFloat64(this.#len, v, true);
    }
    this.#len += 8;
  }

  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  done(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

/** A JavaScript string is UTF-16 and may hold a lone surrogate, which has no UTF-8 form. */
function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const next = s.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

function utf8(s: string, what: string): Uint8Array {
  if (!isWellFormed(s)) fail('bad-value', `${what} has a lone surrogate`);
  return utf8Encoder.encode(s);
}

const isUint = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

function writeValue(w: Writer, v: unknown, open: number): void {
  if (typeof v === 'number') {
    w.u8(MARKER.NUMBER);
    w.f64(v);
  } else if (typeof v === 'boolean') {
    w.u8(MARKER.BOOLEAN);
    w.u8(v ? 1 : 0);
  } else if (typeof v === 'string') {
    const b = utf8(v, 'a string');
    if (b.length <= MAX_SHORT_STRING_BYTES) {
      w.u8(MARKER.STRING);
      w.u16(b.length);
    } else {
      if (b.length > 0xffffffff) fail('bad-value', 'a string longer than 2^32 - 1 bytes');
      w.u8(MARKER.LONG_STRING);
      w.u32(b.length);
    }
    w.bytes(b);
  } else if (v === null) {
    w.u8(MARKER.NULL);
  } else if (v === undefined) {
    w.u8(MARKER.UNDEFINED);
  } else if (Array.isArray(v)) {
    enterWriting(open);
    w.u8(MARKER.STRICT_ARRAY);
    w.u32(v.length);
    for (let i = 0; i < v.length; i++) writeValue(w, v[i], open + 1);
  } else if (typeof v === 'object') {
    const t = (v as { type?: unknown }).type;
    if (t === 'object') {
      enterWriting(open);
      w.u8(MARKER.OBJECT);
      writeProperties(w, (v as { properties?: unknown }).properties, open + 1);
    } else if (t === 'ecma-array') {
      enterWriting(open);
      const e = v as { properties?: unknown; count?: unknown };
      const count = e.count === undefined ? (Array.isArray(e.properties) ? e.properties.length : 0) : e.count;
      if (!isUint(count, 0xffffffff)) fail('bad-value', `an ECMA array count of ${String(count)}`);
      w.u8(MARKER.ECMA_ARRAY);
      w.u32(count);
      writeProperties(w, e.properties, open + 1);
    } else if (t === 'date') {
      const d = v as { time?: unknown; timezone?: unknown };
      if (typeof d.time !== 'number') fail('bad-value', 'a date whose time is not a number');
      if (!(typeof d.timezone === 'number' && Number.isInteger(d.timezone) && d.timezone >= -0x8000 && d.timezone <= 0x7fff)) {
        fail('bad-value', `a date time zone of ${String(d.timezone)}`);
      }
      w.u8(MARKER.DATE);
      w.f64(d.time);
      w.s16(d.timezone);
    } else {
      fail('bad-value', `an object of type ${String(t)}`);
    }
  } else {
    fail('bad-value', `a value AMF0 cannot carry: ${typeof v === 'object' ? Object.prototype.toString.call(v) : typeof v}`);
  }
}

function enterWriting(open: number): void {
  if (open >= MAX_DEPTH) fail('too-deep', `a container inside ${open} others`);
}

function writeProperties(w: Writer, properties: unknown, open: number): void {
  if (!Array.isArray(properties)) fail('bad-value', 'properties that are not an array');
  for (const p of properties as unknown[]) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string') fail('bad-value', 'a property that is not a [key, value] pair');
    const key = utf8(p[0] as string, 'a key');
    // An empty key is how the object end is announced; a u16 is all a key's length has.
    if (key.length === 0) fail('bad-value', 'an empty key');
    if (key.length > MAX_SHORT_STRING_BYTES) fail('bad-value', `a key of ${key.length} bytes`);
    w.u16(key.length);
    w.bytes(key);
    writeValue(w, p[1], open);
  }
  w.u16(0);
  w.u8(MARKER.OBJECT_END);
}

export function encodeValue(value: Amf0Value): Uint8Array {
  const w = new Writer();
  writeValue(w, value, 0);
  return w.done();
}

export function encodeValues(values: Amf0Value[]): Uint8Array {
  if (!Array.isArray(values)) fail('bad-value', 'values that are not an array');
  const w = new Writer();
  for (let i = 0; i < values.length; i++) writeValue(w, values[i], 0);
  return w.done();
}

// ---------------------------------------------------------------------------------------------
// Commands

function isObjectValue(v: unknown): v is Amf0Object {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { type?: unknown }).type === 'object';
}

export function encodeCommand(command: Amf0Command): Uint8Array {
  const c = command as unknown as Partial<Record<keyof Amf0Command, unknown>> | null;
  if (typeof c !== 'object' || c === null) fail('bad-command', 'a command that is not an object');
  if (typeof c.name !== 'string') fail('bad-command', 'a command name that is not a string');
  if (typeof c.transactionId !== 'number') fail('bad-command', 'a transaction id that is not a number');
  if (c.commandObject !== null && !isObjectValue(c.commandObject)) fail('bad-command', 'a command object that is neither an object nor null');
  if (!Array.isArray(c.args)) fail('bad-command', 'arguments that are not an array');
  return encodeValues([c.name, c.transactionId, c.commandObject as Amf0Object | null, ...(c.args as Amf0Value[])]);
}

export function decodeCommand(bytes: Uint8Array): Amf0Command {
  // The whole body first, so a broken value is reported as what it is.
  const values = decodeValues(bytes);
  if (values.length < 3) fail('bad-command', `${values.length} values; a command has at least 3`);
  const [name, transactionId, commandObject, ...args] = values;
  if (typeof name !== 'string') fail('bad-command', 'the first value is not a string');
  if (typeof transactionId !== 'number') fail('bad-command', 'the second value is not a number');
  if (commandObject !== null && !isObjectValue(commandObject)) fail('bad-command', 'the third value is neither an object nor null');
  return { name, transactionId, commandObject, args };
}
