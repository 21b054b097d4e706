// Bug: next is overwritten at every pointer, not fixed at the first one, so a name that jumps twice reports where its last pointer sits (the name as it sits ends after its first pointer; later jumps land elsewhere in the message).
/**
 * DNS message codec: the reference implementation.
 *
 * RFC 1035 §4 (messages, names, compression), RFC 3596 (AAAA), RFC 6891 (EDNS(0) and the
 * OPT pseudo-record), RFC 3597 (unknown types as raw bytes, TYPEnnn), RFC 4035 (AD/CD bits),
 * RFC 5952 (IPv6 text form). The exact rules are written down in instructions.md.
 */

// ---------------------------------------------------------------------------------------------
// Types

/** Record types this codec understands; any other type is written `TYPE<number>` (RFC 3597). */
export type KnownType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'MX' | 'TXT' | 'AAAA';
export type RecordType = KnownType | `TYPE${number}`;

/** Type codes (IANA "Resource Record (RR) TYPEs"). */
export const TYPE_CODES: Readonly<Record<KnownType | 'OPT', number>> = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, OPT: 41,
};

/** The Internet class. */
export const CLASS_IN = 1;

export interface DnsFlags {
  /** 0 = query, 1 = response. */
  qr: boolean;
  /** 4 bits; 0 = standard query. */
  opcode: number;
  /** Authoritative answer. */
  aa: boolean;
  /** Truncated: the answer did not fit. */
  tc: boolean;
  /** Recursion desired. */
  rd: boolean;
  /** Recursion available. */
  ra: boolean;
  /** Authentic data (RFC 4035). */
  ad: boolean;
  /** Checking disabled (RFC 4035). */
  cd: boolean;
}

/** The fixed 12-byte header, as it is on the wire. */
export interface DnsHeader {
  id: number;
  flags: DnsFlags;
  /** The header's 4-bit RCODE (the upper bits of an extended RCODE live in the OPT record). */
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

export interface DnsQuestion {
  name: string;
  type: RecordType;
  class: number;
}

interface RecordBase {
  /** Owner name. */
  name: string;
  class: number;
  /** Seconds, 0 .. 2^32-1. */
  ttl: number;
}

export interface ARecord extends RecordBase { type: 'A'; data: string }
export interface AaaaRecord extends RecordBase { type: 'AAAA'; data: string }
export interface NsRecord extends RecordBase { type: 'NS'; data: string }
export interface CnameRecord extends RecordBase { type: 'CNAME'; data: string }
export interface MxRecord extends RecordBase { type: 'MX'; data: { preference: number; exchange: string } }
export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}
export interface SoaRecord extends RecordBase { type: 'SOA'; data: SoaData }
/** Each string is a byte string: one character per byte (char codes 0..255). */
export interface TxtRecord extends RecordBase { type: 'TXT'; data: string[] }
/** Any other type: RDATA kept as raw bytes. */
export interface UnknownRecord extends RecordBase { type: `TYPE${number}`; data: Uint8Array }

export type DnsRecord = ARecord | AaaaRecord | NsRecord | CnameRecord | MxRecord | SoaRecord | TxtRecord | UnknownRecord;

export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** The OPT pseudo-record (RFC 6891), taken out of the additional section. */
export interface Edns {
  /** The sender's UDP payload size (OPT CLASS). */
  udpPayloadSize: number;
  /** EDNS version (0). */
  version: number;
  /** The DO bit: DNSSEC records wanted. */
  dnssecOk: boolean;
  options: EdnsOption[];
}

export interface DnsMessage {
  id: number;
  flags: DnsFlags;
  /** The full RCODE: 4 bits from the header, plus 8 more from the OPT record when there is one. */
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  /** Additional records, without the OPT pseudo-record. */
  additionals: DnsRecord[];
  /** Present when the message carries an OPT record. */
  edns?: Edns;
}

export interface EncodeOptions {
  /** Compress names (RFC 1035 §4.1.4). Default true. */
  compress?: boolean;
}

export type DnsErrorCode =
  // decoding
  | 'truncated'
  | 'bad-label-type'
  | 'bad-pointer'
  | 'pointer-loop'
  | 'name-too-long'
  | 'bad-rdata'
  | 'bad-opt'
  | 'trailing-bytes'
  // encoding
  | 'bad-name'
  | 'label-too-long'
  | 'bad-value';

export class DnsFormatError extends Error {
  readonly code: DnsErrorCode;
  constructor(code: DnsErrorCode, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'DnsFormatError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function fail(code: DnsErrorCode, message?: string): never {
  throw new DnsFormatError(code, message);
}

function isUint(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

function checkUint(v: unknown, max: number, what: string): number {
  if (!isUint(v, max)) fail('bad-value', `${what} must be an integer 0..${max}, got ${String(v)}`);
  return v;
}

const U8 = 0xff;
const U16 = 0xffff;
const U32 = 0xffffffff;

function u16(b: Uint8Array, p: number): number {
  return (b[p]! << 8) | b[p + 1]!;
}

/** Unsigned 32-bit read: `<< 24` would make the top bit a sign bit. */
function u32(b: Uint8Array, p: number): number {
  return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
}

class Writer {
  bytes: number[] = [];
  get length(): number { return this.bytes.length; }
  u8(v: number): void { this.bytes.push(v & 0xff); }
  u16(v: number): void { this.bytes.push((v >>> 8) & 0xff, v & 0xff); }
  u32(v: number): void { this.bytes.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff); }
  raw(b: ArrayLike<number>): void { for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!); }
  setU16(at: number, v: number): void { this.bytes[at] = (v >>> 8) & 0xff; this.bytes[at + 1] = v & 0xff; }
  done(): Uint8Array { return Uint8Array.from(this.bytes); }
}

// ---------------------------------------------------------------------------------------------
// Header

export function encodeHeader(header: DnsHeader): Uint8Array {
  const w = new Writer();
  writeHeader(w, header);
  return w.done();
}

function writeHeader(w: Writer, h: DnsHeader): void {
  const f = h.flags;
  w.u16(checkUint(h.id, U16, 'id'));
  const opcode = checkUint(f.opcode, 15, 'opcode');
  const rcode = checkUint(h.rcode, 15, 'header rcode');
  w.u8((f.qr ? 0x80 : 0) | (opcode << 3) | (f.aa ? 0x04 : 0) | (f.tc ? 0x02 : 0) | (f.rd ? 0x01 : 0));
  w.u8((f.ra ? 0x80 : 0) | (f.ad ? 0x20 : 0) | (f.cd ? 0x10 : 0) | rcode);
  w.u16(checkUint(h.qdcount, U16, 'qdcount'));
  w.u16(checkUint(h.ancount, U16, 'ancount'));
  w.u16(checkUint(h.nscount, U16, 'nscount'));
  w.u16(checkUint(h.arcount, U16, 'arcount'));
}

export function decodeHeader(bytes: Uint8Array): DnsHeader {
  if (bytes.length < 12) fail('truncated', `a header is 12 bytes, got ${bytes.length}`);
  const b2 = bytes[2]!;
  const b3 = bytes[3]!;
  return {
    id: u16(bytes, 0),
    flags: {
      qr: (b2 & 0x80) !== 0,
      opcode: (b2 >> 3) & 0x0f,
      aa: (b2 & 0x04) !== 0,
      tc: (b2 & 0x02) !== 0,
      rd: (b2 & 0x01) !== 0,
      ra: (b3 & 0x80) !== 0,
      ad: (b3 & 0x20) !== 0,
      cd: (b3 & 0x10) !== 0,
    },
    rcode: b3 & 0x0f,
    qdcount: u16(bytes, 4),
    ancount: u16(bytes, 6),
    nscount: u16(bytes, 8),
    arcount: u16(bytes, 10),
  };
}

// ---------------------------------------------------------------------------------------------
// Names

const DOT = 0x2e;
const BACKSLASH = 0x5c;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Presentation form -> labels (bytes). Validates escapes, label and name lengths. */
function parseName(name: string): number[][] {
  if (typeof name !== 'string') fail('bad-value', `a name must be a string, got ${typeof name}`);
  if (name === '.' || name === '') return [];
  const labels: number[][] = [];
  let cur: number[] = [];
  const endLabel = () => {
    if (cur.length === 0) fail('bad-name', `empty label in "${name}"`);
    if (cur.length > 63) fail('label-too-long', `a label of ${cur.length} bytes in "${name}" (max 63)`);
    labels.push(cur);
    cur = [];
  };
  let fullyQualified = false;
  let i = 0;
  while (i < name.length) {
    const c = name.charCodeAt(i);
    if (c === DOT) {
      endLabel();
      i++;
      if (i === name.length) fullyQualified = true; // one trailing dot: the same name
      continue;
    }
    if (c === BACKSLASH) {
      if (i + 1 >= name.length) fail('bad-name', `"${name}" ends with a lone backslash`);
      const n = name.charCodeAt(i + 1);
      if (isDigit(n)) {
        const d = name.slice(i + 1, i + 4);
        if (!/^[0-9]{3}$/.test(d) || Number(d) > 255) fail('bad-name', `bad \\DDD escape in "${name}"`);
        cur.push(Number(d));
        i += 4;
      } else {
        if (n > 255) fail('bad-name', `character U+${n.toString(16)} in "${name}" is not one byte`);
        cur.push(n);
        i += 2;
      }
      continue;
    }
    if (c > 255) fail('bad-name', `character U+${c.toString(16)} in "${name}" is not one byte`);
    cur.push(c);
    i++;
  }
  if (!fullyQualified) endLabel();
  const wire = labels.reduce((n, l) => n + 1 + l.length, 1);
  if (wire > 255) fail('name-too-long', `"${name}" is ${wire} bytes on the wire (max 255)`);
  return labels;
}

/** Uncompressed wire form of a name. */
export function encodeName(name: string): Uint8Array {
  const w = new Writer();
  for (const l of parseName(name)) {
    w.u8(l.length);
    w.raw(l);
  }
  w.u8(0);
  return w.done();
}

function formatLabel(bytes: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = start; i < start + len; i++) {
    const b = bytes[i]!;
    if (b === DOT || b === BACKSLASH) s += '\\' + String.fromCharCode(b);
    else if (b >= 0x21 && b <= 0x7e) s += String.fromCharCode(b);
    else s += '\\' + String(b).padStart(3, '0');
  }
  return s;
}

/**
 * Read a name at `offset`. `limit`/`overrun` bound the bytes read in place (before the first
 * pointer): RDATA names must stay inside their RDATA.
 */
function readName(msg: Uint8Array, offset: number, limit = msg.length, overrun: DnsErrorCode = 'truncated'): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let segmentStart = offset;
  let next = -1;
  let wire = 1;
  for (;;) {
    if (pos >= limit) fail(overrun, `name at ${offset} runs past ${limit}`);
    const b = msg[pos]!;
    if ((b & 0xc0) === 0xc0) {
      if (pos + 1 >= limit) fail(overrun, `pointer at ${pos} cut short`);
      const target = ((b & 0x3f) << 8) | msg[pos + 1]!;
      if (target >= pos) fail('bad-pointer', `pointer at ${pos} to ${target} does not point backward`);
      if (target >= segmentStart) fail('pointer-loop', `pointer at ${pos} to ${target} points into the labels just read`);
      next = pos + 2;
      pos = segmentStart = target;
      limit = msg.length;
      overrun = 'truncated';
      continue;
    }
    if ((b & 0xc0) !== 0) fail('bad-label-type', `label type 0x${(b & 0xc0).toString(16)} at ${pos}`);
    if (b === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    wire += 1 + b;
    if (wire > 255) fail('name-too-long', `name at ${offset} exceeds 255 bytes`);
    if (pos + 1 + b > limit) fail(overrun, `label at ${pos} runs past ${limit}`);
    labels.push(formatLabel(msg, pos + 1, b));
    pos += 1 + b;
  }
  return { name: labels.length === 0 ? '.' : labels.join('.'), next };
}

export function decodeName(message: Uint8Array, offset: number): { name: string; next: number } {
  return readName(message, offset);
}

// ---------------------------------------------------------------------------------------------
// Addresses

function parseIPv4(s: unknown): number[] | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

function parseIPv6(s: unknown): number[] | undefined {
  if (typeof s !== 'string') return undefined;
  let head = s;
  let tail: number[] = [];
  if (s.includes('.')) {
    // x:x:x:x:x:x:d.d.d.d (RFC 4291 §2.2): the IPv4 part is the last two groups
    const i = s.lastIndexOf(':');
    const v4 = i < 0 ? undefined : parseIPv4(s.slice(i + 1));
    if (!v4) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    head = s.slice(0, i + 1).endsWith('::') ? s.slice(0, i + 1) : s.slice(0, i);
  }
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const halves = head.split('::');
  let groups: number[];
  if (halves.length === 1) {
    const g = groupsOf(halves[0]!);
    if (!g) return undefined;
    groups = [...g, ...tail];
    if (groups.length !== 8) return undefined;
  } else if (halves.length === 2) {
    const a = groupsOf(halves[0]!);
    const b = groupsOf(halves[1]!);
    if (!a || !b) return undefined;
    const fill = 8 - a.length - b.length - tail.length;
    if (fill < 1) return undefined;
    groups = [...a, ...new Array<number>(fill).fill(0), ...b, ...tail];
  } else {
    return undefined;
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** RFC 5952 §4: lowercase, no leading zeros, the first longest run (2+) of zero groups as "::". */
function formatIPv6(b: Uint8Array, p: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(u16(b, p + 2 * i));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hexes.join(':');
  return `${hexes.slice(0, bestStart).join(':')}::${hexes.slice(bestStart + bestLen).join(':')}`;
}

// ---------------------------------------------------------------------------------------------
// Types

const TYPE_BY_CODE = new Map<number, KnownType>(
  (Object.entries(TYPE_CODES) as [KnownType | 'OPT', number][]).filter(([k]) => k !== 'OPT').map(([k, v]) => [v, k as KnownType]),
);

function typeName(code: number): RecordType {
  return TYPE_BY_CODE.get(code) ?? `TYPE${code}`;
}

function typeCode(type: unknown): number {
  if (typeof type === 'string') {
    if (type !== 'OPT' && Object.hasOwn(TYPE_CODES, type)) return TYPE_CODES[type as KnownType];
    const m = /^TYPE(0|[1-9][0-9]{0,4})$/.exec(type);
    if (m && Number(m[1]) <= U16) return Number(m[1]);
  }
  return fail('bad-value', `unknown record type ${String(type)}`);
}

// ---------------------------------------------------------------------------------------------
// Encoding

class MessageWriter extends Writer {
  /** Wire form of every name suffix written so far -> offset of its first occurrence. */
  #suffixes: Map<string, number> | null;
  constructor(compress: boolean) {
    super();
    this.#suffixes = compress ? new Map() : null;
  }

  name(name: string): void {
    const labels = parseName(name);
    const table = this.#suffixes;
    const keys = labels.map((_, i) => labels.slice(i).map((l) => String.fromCharCode(l.length, ...l)).join(''));
    for (let i = 0; i < labels.length; i++) {
      const at = table?.get(keys[i]!);
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (table && this.length < 0x4000) table.set(keys[i]!, this.length);
      this.u8(labels[i]!.length);
      this.raw(labels[i]!);
    }
    this.u8(0);
  }
}

function writeRdata(w: MessageWriter, r: DnsRecord): void {
  switch (r.type) {
    case 'A': {
      const a = parseIPv4(r.data);
      if (!a) fail('bad-value', `not an IPv4 address: ${String(r.data)}`);
      w.raw(a);
      return;
    }
    case 'AAAA': {
      const a = parseIPv6(r.data);
      if (!a) fail('bad-value', `not an IPv6 address: ${String(r.data)}`);
      w.raw(a);
      return;
    }
    case 'NS':
    case 'CNAME':
      w.name(r.data);
      return;
    case 'MX':
      w.u16(checkUint(r.data?.preference, U16, 'MX preference'));
      w.name(r.data.exchange);
      return;
    case 'SOA': {
      const d = r.data;
      w.name(d?.mname);
      w.name(d.rname);
      for (const k of ['serial', 'refresh', 'retry', 'expire', 'minimum'] as const) w.u32(checkUint(d[k], U32, `SOA ${k}`));
      return;
    }
    case 'TXT': {
      if (!Array.isArray(r.data) || r.data.length === 0) fail('bad-value', 'TXT data must be a non-empty array of strings');
      for (const s of r.data) {
        if (typeof s !== 'string') fail('bad-value', 'TXT data must be strings');
        for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) fail('bad-value', 'TXT strings hold bytes: char codes 0..255');
        if (s.length === 0) { w.u8(0); continue; }
        for (let i = 0; i < s.length; i += 255) {
          const chunk = s.slice(i, i + 255);
          w.u8(chunk.length);
          for (let j = 0; j < chunk.length; j++) w.u8(chunk.charCodeAt(j));
        }
      }
      return;
    }
    default: {
      const data: unknown = (r as UnknownRecord).data;
      if (!(data instanceof Uint8Array)) fail('bad-value', `${String(r.type)} data must be a Uint8Array`);
      w.raw(data);
    }
  }
}

function writeRecord(w: MessageWriter, r: DnsRecord): void {
  const code = typeCode(r.type);
  if (code === TYPE_CODES.OPT) fail('bad-value', 'OPT goes in edns, not in a section');
  w.name(r.name);
  w.u16(code);
  w.u16(checkUint(r.class, U16, 'class'));
  w.u32(checkUint(r.ttl, U32, 'ttl'));
  const lengthAt = w.length;
  w.u16(0);
  writeRdata(w, r);
  const rdlength = w.length - lengthAt - 2;
  if (rdlength > U16) fail('bad-value', `RDATA of ${rdlength} bytes (max 65535)`);
  w.setU16(lengthAt, rdlength);
}

function writeOpt(w: MessageWriter, e: Edns, rcode: number): void {
  w.u8(0); // owner: the root
  w.u16(TYPE_CODES.OPT);
  w.u16(checkUint(e.udpPayloadSize, U16, 'udpPayloadSize'));
  w.u8(rcode >> 4);
  w.u8(checkUint(e.version, U8, 'EDNS version'));
  w.u16(e.dnssecOk ? 0x8000 : 0);
  const lengthAt = w.length;
  w.u16(0);
  if (!Array.isArray(e.options)) fail('bad-value', 'edns.options must be an array');
  for (const o of e.options) {
    w.u16(checkUint(o?.code, U16, 'option code'));
    if (!(o.data instanceof Uint8Array) || o.data.length > U16) fail('bad-value', 'option data must be a Uint8Array of at most 65535 bytes');
    w.u16(o.data.length);
    w.raw(o.data);
  }
  const rdlength = w.length - lengthAt - 2;
  if (rdlength > U16) fail('bad-value', `OPT RDATA of ${rdlength} bytes (max 65535)`);
  w.setU16(lengthAt, rdlength);
}

export function encodeMessage(message: DnsMessage, options: EncodeOptions = {}): Uint8Array {
  const w = new MessageWriter(options.compress ?? true);
  const rcode = checkUint(message.rcode, 0xfff, 'rcode');
  if (rcode > 15 && !message.edns) fail('bad-value', `rcode ${rcode} needs an OPT record (edns)`);
  const sections = [message.questions, message.answers, message.authorities, message.additionals];
  for (const s of sections) if (!Array.isArray(s)) fail('bad-value', 'sections must be arrays');
  writeHeader(w, {
    id: message.id,
    flags: message.flags,
    rcode: rcode & 0x0f,
    qdcount: message.questions.length,
    ancount: message.answers.length,
    nscount: message.authorities.length,
    arcount: message.additionals.length + (message.edns ? 1 : 0),
  });
  for (const q of message.questions) {
    w.name(q.name);
    w.u16(typeCode(q.type));
    w.u16(checkUint(q.class, U16, 'class'));
  }
  for (const r of message.answers) writeRecord(w, r);
  for (const r of message.authorities) writeRecord(w, r);
  for (const r of message.additionals) writeRecord(w, r);
  if (message.edns) writeOpt(w, message.edns, rcode);
  return w.done();
}

// ---------------------------------------------------------------------------------------------
// Decoding

function readRdata(msg: Uint8Array, type: number, start: number, end: number): DnsRecord['data'] {
  const need = (p: number, n: number) => {
    if (p + n > end) fail('bad-rdata', `RDATA at ${start} is too short`);
  };
  const name = (p: number) => readName(msg, p, end, 'bad-rdata');
  const finish = <T>(p: number, v: T): T => {
    if (p !== end) fail('bad-rdata', `RDATA at ${start} has ${end - p} bytes left over`);
    return v;
  };
  switch (type) {
    case TYPE_CODES.A:
      if (end - start !== 4) fail('bad-rdata', `A RDATA must be 4 bytes, got ${end - start}`);
      return Array.from(msg.subarray(start, end)).join('.');
    case TYPE_CODES.AAAA:
      if (end - start !== 16) fail('bad-rdata', `AAAA RDATA must be 16 bytes, got ${end - start}`);
      return formatIPv6(msg, start);
    case TYPE_CODES.NS:
    case TYPE_CODES.CNAME: {
      const n = name(start);
      return finish(n.next, n.name);
    }
    case TYPE_CODES.MX: {
      need(start, 2);
      const preference = u16(msg, start);
      const n = name(start + 2);
      return finish(n.next, { preference, exchange: n.name });
    }
    case TYPE_CODES.SOA: {
      const m = name(start);
      const r = name(m.next);
      const p = r.next;
      need(p, 20);
      return finish(p + 20, {
        mname: m.name,
        rname: r.name,
        serial: u32(msg, p),
        refresh: u32(msg, p + 4),
        retry: u32(msg, p + 8),
        expire: u32(msg, p + 12),
        minimum: u32(msg, p + 16),
      });
    }
    case TYPE_CODES.TXT: {
      if (start === end) fail('bad-rdata', 'TXT RDATA holds at least one string');
      const strings: string[] = [];
      let p = start;
      while (p < end) {
        const len = msg[p]!;
        need(p + 1, len);
        strings.push(String.fromCharCode(...msg.subarray(p + 1, p + 1 + len)));
        p += 1 + len;
      }
      return strings;
    }
    default:
      return msg.slice(start, end);
  }
}

function readOptions(msg: Uint8Array, start: number, end: number): EdnsOption[] {
  const options: EdnsOption[] = [];
  let p = start;
  while (p < end) {
    if (p + 4 > end) fail('bad-rdata', `OPT option at ${p} is cut short`);
    const code = u16(msg, p);
    const len = u16(msg, p + 2);
    if (p + 4 + len > end) fail('bad-rdata', `OPT option at ${p} runs past its RDATA`);
    options.push({ code, data: msg.slice(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return options;
}

export function decodeMessage(bytes: Uint8Array): DnsMessage {
  const h = decodeHeader(bytes);
  const msg = bytes;
  let pos = 12;
  const need = (n: number, what: string) => {
    if (pos + n > msg.length) fail('truncated', `${what} at ${pos} runs past the end (${msg.length} bytes)`);
  };

  const questions: DnsQuestion[] = [];
  for (let i = 0; i < h.qdcount; i++) {
    const n = readName(msg, pos);
    pos = n.next;
    need(4, 'question');
    questions.push({ name: n.name, type: typeName(u16(msg, pos)), class: u16(msg, pos + 2) });
    pos += 4;
  }

  let edns: Edns | undefined;
  let extendedRcode = 0;
  const section = (count: number, additional: boolean): DnsRecord[] => {
    const records: DnsRecord[] = [];
    for (let i = 0; i < count; i++) {
      const n = readName(msg, pos);
      pos = n.next;
      need(10, 'record');
      const type = u16(msg, pos);
      const cls = u16(msg, pos + 2);
      const ttl = u32(msg, pos + 4);
      const rdlength = u16(msg, pos + 8);
      pos += 10;
      need(rdlength, 'RDATA');
      const start = pos;
      const end = pos + rdlength;
      if (type === TYPE_CODES.OPT) {
        if (!additional) fail('bad-opt', 'OPT outside the additional section');
        if (edns) fail('bad-opt', 'more than one OPT record');
        if (n.name !== '.') fail('bad-opt', `OPT owner must be the root, got "${n.name}"`);
        extendedRcode = ttl >>> 24;
        edns = {
          udpPayloadSize: cls,
          version: (ttl >>> 16) & 0xff,
          dnssecOk: (ttl & 0x8000) !== 0,
          options: readOptions(msg, start, end),
        };
      } else {
        records.push({ name: n.name, type: typeName(type), class: cls, ttl, data: readRdata(msg, type, start, end) } as DnsRecord);
      }
      pos = end;
    }
    return records;
  };
  const answers = section(h.ancount, false);
  const authorities = section(h.nscount, false);
  const additionals = section(h.arcount, true);
  if (pos !== msg.length) fail('trailing-bytes', `${msg.length - pos} bytes after the last record`);

  const message: DnsMessage = {
    id: h.id,
    flags: h.flags,
    rcode: (extendedRcode << 4) | h.rcode,
    questions,
    answers,
    authorities,
    additionals,
  };
  if (edns) message.edns = edns;
  return message;
}
