/**
 * AMF0's markers, the lab's value model, its error, and three small helpers (provided,
 * read-only). The tests check an error's class name and `code`, never its message.
 *
 * Source: Adobe, "Action Message Format -- AMF 0" (2007), §2.1-§2.18.
 */

/** The type markers of AMF0 §2.1: one byte in front of every value. */
export const MARKER = {
  NUMBER: 0x00,
  BOOLEAN: 0x01,
  STRING: 0x02,
  OBJECT: 0x03,
  /** Reserved, not supported (§2.6). */
  MOVIECLIP: 0x04,
  NULL: 0x05,
  UNDEFINED: 0x06,
  /** A u16 index into the objects already read (§2.9). Not supported by this codec. */
  REFERENCE: 0x07,
  ECMA_ARRAY: 0x08,
  /** Ends an object or ECMA array, after an empty key (§2.11). Never a value by itself. */
  OBJECT_END: 0x09,
  STRICT_ARRAY: 0x0a,
  DATE: 0x0b,
  LONG_STRING: 0x0c,
  /** "This type is not supported" (§2.15). Not supported by this codec either. */
  UNSUPPORTED: 0x0d,
  /** Reserved, not supported (§2.16). */
  RECORDSET: 0x0e,
  XML_DOCUMENT: 0x0f,
  TYPED_OBJECT: 0x10,
  /** Switch to AMF3 for the next value (§3.1). */
  AVMPLUS_OBJECT: 0x11,
} as const;

/** The longest string a 0x02 string can hold: its length is a u16 of UTF-8 bytes. */
export const MAX_SHORT_STRING_BYTES = 0xffff;

/**
 * How many containers (objects, ECMA arrays, strict arrays) may be open at once. AMF0 sets no
 * limit; a decoder that recurses needs one, or a few kilobytes of `0a 00000001` repeated
 * exhaust its stack.
 */
export const MAX_DEPTH = 32;

/** One key/value pair of an object or ECMA array, in wire order. */
export type Amf0Property = [key: string, value: Amf0Value];

/** An anonymous object, marker 0x03 (§2.5). Properties stay in wire order; keys may repeat. */
export interface Amf0Object {
  type: 'object';
  properties: Amf0Property[];
}

/**
 * An ECMA array, marker 0x08 (§2.10): a u32 "associative count", then properties like an
 * object's. The count is only a hint (it is written before the properties, and can be wrong):
 * a decoder reads properties until the object end and keeps the count it found in `count`, so
 * the bytes can be written again exactly. An encoder writes `count` when it is given, or the
 * number of properties.
 */
export interface Amf0EcmaArray {
  type: 'ecma-array';
  properties: Amf0Property[];
  count?: number;
}

/** A date, marker 0x0B (§2.13): milliseconds since 1970-01-01 UTC, and a reserved s16 time zone. */
export interface Amf0Date {
  type: 'date';
  time: number;
  timezone: number;
}

/**
 * An AMF0 value as this lab models it:
 * number (0x00), boolean (0x01), string (0x02, or 0x0C when longer than 65535 UTF-8 bytes),
 * null (0x05), undefined (0x06), a JavaScript array for a strict array (0x0A), and the three
 * tagged objects above. AMF0 has no integer type: every number is a double.
 */
export type Amf0Value =
  | number
  | boolean
  | string
  | null
  | undefined
  | Amf0Value[]
  | Amf0Object
  | Amf0EcmaArray
  | Amf0Date;

/**
 * An RTMP command message body (RTMP specification 1.0 §7.1.1): the command name, a
 * transaction id, a command object (null when there is none), then any further arguments.
 */
export interface Amf0Command {
  name: string;
  transactionId: number;
  commandObject: Amf0Object | null;
  args: Amf0Value[];
}

export type Amf0ErrorCode =
  /** The input ends before a value does. */
  | 'truncated'
  /** A marker AMF0 does not define (0x12 and up). */
  | 'unknown-marker'
  /** A marker AMF0 defines that this codec does not decode (0x04, 0x07, 0x0D-0x11). */
  | 'unsupported-marker'
  /** 0x09 where a value should begin. */
  | 'unexpected-object-end'
  /** An empty key in an object or ECMA array not followed by 0x09. */
  | 'missing-object-end'
  /** String bytes that are not well-formed UTF-8. */
  | 'bad-utf8'
  /** A container inside MAX_DEPTH open ones (decoding or encoding). */
  | 'too-deep'
  /** Bytes left after the one value decodeValue reads. */
  | 'trailing-bytes'
  /** A body or an Amf0Command without the shape of a command. */
  | 'bad-command'
  /** A value that cannot be encoded. */
  | 'bad-value';

/** Throw this for every problem: `throw new Amf0Error('truncated', 'what happened')`. */
export class Amf0Error extends Error {
  readonly code: Amf0ErrorCode;
  constructor(code: Amf0ErrorCode, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'Amf0Error';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers, for writing values by hand and reading decoded ones

/**
 * An Amf0Object from a plain record or a list of pairs. A record's keys come out in
 * JavaScript's property order, which puts integer-like keys ("0", "7") first: pass pairs when
 * the order matters.
 */
export function amfObject(properties: Record<string, Amf0Value> | Amf0Property[]): Amf0Object {
  return { type: 'object', properties: Array.isArray(properties) ? properties : Object.entries(properties) };
}

/** An Amf0EcmaArray from a plain record or a list of pairs, with an optional count to write. */
export function ecmaArray(properties: Record<string, Amf0Value> | Amf0Property[], count?: number): Amf0EcmaArray {
  const props = Array.isArray(properties) ? properties : Object.entries(properties);
  return count === undefined ? { type: 'ecma-array', properties: props } : { type: 'ecma-array', properties: props, count };
}

/** The value of the first property named `key` of an object or ECMA array; undefined otherwise. */
export function prop(value: Amf0Value, key: string): Amf0Value {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value.type === 'date') return undefined;
  const found = value.properties.find(([k]) => k === key);
  return found ? found[1] : undefined;
}
