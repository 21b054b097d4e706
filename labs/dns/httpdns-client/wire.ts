/**
 * A small DNS wire codec (provided, read-only): enough of RFC 1035 to build a query and read a
 * reply carried over DNS over HTTPS. The message-codec lab is where you write one yourself.
 *
 *   encodeQuery('www.example.com', 'A')   → the 33 bytes of RFC 8484 §4.1.1's example (ID 0, RD set)
 *   decodeMessage(bytes)                  → a Message, or throws a WireError
 *   encodeMessage(message)                → bytes (names never compressed), to build test replies
 *
 * Record data (`data`) is text for A and AAAA (192.0.2.1, 2001:db8::1 in RFC 5952 form), a name
 * for CNAME/NS/PTR, an Soa object for SOA, and the raw bytes for every other type.
 */

export const TYPE: Readonly<Record<string, number>> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41 };
export const CLASS_IN = 1;

export interface Question {
  name: string;
  type: string;
  class: number;
}

export interface Soa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  /** The TTL of negative answers (RFC 2308 §4). */
  minimum: number;
}

export interface ResourceRecord {
  /** Owner name, without the final dot ("" is the root). */
  name: string;
  /** "A", "AAAA", "CNAME", ... or "TYPE<n>" for a type not in TYPE. */
  type: string;
  class: number;
  ttl: number;
  data: string | Soa | Uint8Array;
}

export interface Message {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

export class WireError extends Error {
  override name = 'WireError';
  readonly code: 'truncated' | 'bad-name' | 'bad-data' | 'unknown-type';
  constructor(code: WireError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

const typeNumber = (type: string): number => {
  const n = TYPE[type] ?? (/^TYPE\d+$/.test(type) ? Number(type.slice(4)) : undefined);
  if (n === undefined || n > 0xffff) throw new WireError('unknown-type', `unknown record type ${type}`);
  return n;
};
const typeName = (n: number): string => Object.keys(TYPE).find((k) => TYPE[k] === n) ?? `TYPE${n}`;

// ---- Encoding -------------------------------------------------------------------------------------

class Writer {
  bytes: number[] = [];
  u8(v: number) { this.bytes.push(v & 0xff); }
  u16(v: number) { this.u8(v >> 8); this.u8(v); }
  u32(v: number) { this.u16(Math.floor(v / 0x10000)); this.u16(v & 0xffff); }
  raw(b: Uint8Array | number[]) { for (const x of b) this.u8(x); }
  name(name: string) {
    const labels = name.replace(/\.$/, '').split('.').filter((l, i, all) => !(all.length === 1 && l === ''));
    let total = 1;
    for (const label of labels) {
      const b = new TextEncoder().encode(label);
      if (b.length === 0 || b.length > 63) throw new WireError('bad-name', `label "${label}" must be 1 to 63 bytes`);
      total += b.length + 1;
      this.u8(b.length);
      this.raw(b);
    }
    if (total > 255) throw new WireError('bad-name', `name "${name}" is longer than 255 bytes`);
    this.u8(0);
  }
}

function ipv4(text: string): number[] {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new WireError('bad-data', `not an IPv4 address: ${text}`);
  return parts.map(Number);
}

function ipv6(text: string): number[] {
  const halves = text.split('::');
  if (halves.length > 2) throw new WireError('bad-data', `not an IPv6 address: ${text}`);
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 2 && fill < 1) || (halves.length === 1 && fill !== 0)) throw new WireError('bad-data', `not an IPv6 address: ${text}`);
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  const out: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) throw new WireError('bad-data', `not an IPv6 address: ${text}`);
    const v = parseInt(g, 16);
    out.push(v >> 8, v & 0xff);
  }
  return out;
}

function rdata(rr: ResourceRecord): number[] {
  const w = new Writer();
  const d = rr.data;
  if (d instanceof Uint8Array) w.raw(d);
  else if (rr.type === 'A' && typeof d === 'string') w.raw(ipv4(d));
  else if (rr.type === 'AAAA' && typeof d === 'string') w.raw(ipv6(d));
  else if ((rr.type === 'CNAME' || rr.type === 'NS' || rr.type === 'PTR') && typeof d === 'string') w.name(d);
  else if (rr.type === 'SOA' && typeof d === 'object') {
    w.name(d.mname);
    w.name(d.rname);
    for (const v of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) w.u32(v);
  } else throw new WireError('bad-data', `cannot encode ${rr.type} data ${String(d)}`);
  return w.bytes;
}

export function encodeMessage(m: Message): Uint8Array {
  const w = new Writer();
  w.u16(m.id);
  w.u16((m.qr ? 0x8000 : 0) | ((m.opcode & 0xf) << 11) | (m.aa ? 0x400 : 0) | (m.tc ? 0x200 : 0) | (m.rd ? 0x100 : 0) | (m.ra ? 0x80 : 0) | (m.rcode & 0xf));
  for (const n of [m.questions.length, m.answers.length, m.authorities.length, m.additionals.length]) w.u16(n);
  for (const q of m.questions) {
    w.name(q.name);
    w.u16(typeNumber(q.type));
    w.u16(q.class);
  }
  for (const rr of [...m.answers, ...m.authorities, ...m.additionals]) {
    w.name(rr.name);
    w.u16(typeNumber(rr.type));
    w.u16(rr.class);
    w.u32(rr.ttl);
    const data = rdata(rr);
    w.u16(data.length);
    w.raw(data);
  }
  return Uint8Array.from(w.bytes);
}

/** A recursive query (RD=1) for one name and type, class IN. DoH clients use ID 0 (RFC 8484 §4.1). */
export function encodeQuery(name: string, type: string, id = 0): Uint8Array {
  return encodeMessage({
    id, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0,
    questions: [{ name, type, class: CLASS_IN }], answers: [], authorities: [], additionals: [],
  });
}

// ---- Decoding -------------------------------------------------------------------------------------

class Reader {
  pos = 0;
  readonly b: Uint8Array;
  constructor(b: Uint8Array) { this.b = b; }
  need(n: number, what: string) { if (this.pos + n > this.b.length) throw new WireError('truncated', `message ends inside ${what}`); }
  u8(what: string) { this.need(1, what); return this.b[this.pos++]!; }
  u16(what: string) { this.need(2, what); const v = (this.b[this.pos]! << 8) | this.b[this.pos + 1]!; this.pos += 2; return v; }
  u32(what: string) { return this.u16(what) * 0x10000 + this.u16(what); }
  bytes(n: number, what: string) { this.need(n, what); const v = this.b.slice(this.pos, this.pos + n); this.pos += n; return v; }

  /** A name at the current position, following compression pointers (RFC 1035 §4.1.4). */
  name(): string {
    const labels: string[] = [];
    let pos = this.pos;
    let jumped = false;
    let length = 1;
    for (let hops = 0; ; hops++) {
      if (hops > 127) throw new WireError('bad-name', 'too many compression pointers');
      if (pos >= this.b.length) throw new WireError('truncated', 'message ends inside a name');
      const len = this.b[pos]!;
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        break;
      }
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.b.length) throw new WireError('truncated', 'message ends inside a pointer');
        const target = ((len & 0x3f) << 8) | this.b[pos + 1]!;
        if (target >= pos) throw new WireError('bad-name', 'a compression pointer must point backwards');
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if (len > 63) throw new WireError('bad-name', `label length ${len} is not allowed`);
      if (pos + 1 + len > this.b.length) throw new WireError('truncated', 'message ends inside a label');
      length += len + 1;
      if (length > 255) throw new WireError('bad-name', 'name longer than 255 bytes');
      labels.push(new TextDecoder().decode(this.b.subarray(pos + 1, pos + 1 + len)));
      pos += 1 + len;
    }
    return labels.join('.');
  }
}

function ipv6Text(b: Uint8Array): string {
  const g = Array.from({ length: 8 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!);
  // RFC 5952: the longest run of two or more zero groups (the first, on a tie) becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((v) => v.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function record(r: Reader): ResourceRecord {
  const name = r.name();
  const type = typeName(r.u16('a record type'));
  const cls = r.u16('a record class');
  const ttl = r.u32('a TTL');
  const len = r.u16('RDLENGTH');
  r.need(len, 'RDATA');
  const end = r.pos + len;
  let data: ResourceRecord['data'];
  if (type === 'A' && len === 4) data = Array.from(r.bytes(4, 'an A record')).join('.');
  else if (type === 'AAAA' && len === 16) data = ipv6Text(r.bytes(16, 'an AAAA record'));
  else if (type === 'A' || type === 'AAAA') throw new WireError('bad-data', `${type} RDATA of ${len} bytes`);
  else if (type === 'CNAME' || type === 'NS' || type === 'PTR') data = r.name();
  else if (type === 'SOA') {
    const mname = r.name();
    const rname = r.name();
    data = { mname, rname, serial: r.u32('SOA'), refresh: r.u32('SOA'), retry: r.u32('SOA'), expire: r.u32('SOA'), minimum: r.u32('SOA') };
  } else data = r.bytes(len, 'RDATA');
  if (r.pos !== end) throw new WireError('bad-data', `${type} RDATA is ${len} bytes but its fields take ${r.pos - (end - len)}`);
  return { name, type, class: cls, ttl, data };
}

export function decodeMessage(bytes: Uint8Array): Message {
  const r = new Reader(bytes);
  const id = r.u16('the header');
  const flags = r.u16('the header');
  const [qd, an, ns, ar] = [r.u16('the header'), r.u16('the header'), r.u16('the header'), r.u16('the header')];
  const questions: Question[] = [];
  for (let i = 0; i < qd; i++) {
    const name = r.name();
    questions.push({ name, type: typeName(r.u16('a question')), class: r.u16('a question') });
  }
  const section = (n: number) => Array.from({ length: n }, () => record(r));
  const answers = section(an);
  const authorities = section(ns);
  const additionals = section(ar);
  return {
    id,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x400) !== 0,
    tc: (flags & 0x200) !== 0,
    rd: (flags & 0x100) !== 0,
    ra: (flags & 0x80) !== 0,
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals,
  };
}
