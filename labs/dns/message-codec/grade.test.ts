import { it, expect } from 'vitest';
import { task, graded, vectors, forAll, fc, outcome, hex, fromHex, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import type { DnsFlags, DnsHeader, DnsMessage, DnsQuestion, DnsRecord, Edns, RecordType } from './reference';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

// ---------------------------------------------------------------------------------------------
// Real packets, captured on 127.0.0.1: dig 9.18 asking unbound 1.17 (serving the zone lab.test
// from a zone file) and dnsmasq 2.90. The peer test (tests/peers/dns-message-codec.peer.test.ts)
// captures the same kind of packets afresh and checks the reference against npm dns-packet.

/** dig www.lab.test A: RD and AD set, EDNS with a COOKIE option. */
const DIG_QUERY = fromHex('a32f0120000100000000000103777777036c61620474657374000001000100002904d000000000000c000a0008258bf7ef30b1b05b');
/** dig www.lab.test A +noedns: the plainest query. */
const DIG_QUERY_NOEDNS = fromHex('f7c80120000100000000000003777777036c616204746573740000010001');
/** unbound: www.lab.test -> CNAME web -> CNAME servers -> three A records, compressed. */
const UB_CNAME_CHAIN = fromHex(
  'f7c88580000100050000000003777777036c616204746573740000010001c00c000500010000012c000603776562c010c02a00050001' +
    '0000012c000a0773657276657273c010c03c00010001000000780004c000020cc03c00010001000000780004c000020ac03c0001000100' +
    '0000780004c000020b',
);
/** unbound: two AAAA records for v6.lab.test. */
const UB_AAAA = fromHex(
  '719585800001000200000000027636036c6162047465737400001c0001c00c001c000100000258001020010db800000001000000000000' +
    '0053c00c001c000100000258001020010db8000000000000000000000001',
);
/** unbound: two MX records; the second exchange points into the first one's RDATA. */
const UB_MX = fromHex(
  'fe1f85800001000200000000036c6162047465737400000f0001c00c000f000100000e1000100014066261636b7570046d61696cc00cc0' +
    '0c000f000100000e100004000ac02f',
);
/** unbound: a TXT record with three strings, the last one empty. */
const UB_TXT = fromHex(
  'cf098580000100010000000003747874036c616204746573740000100001c00c001000010000003c001b0b763d73706631202d616c6c0d' +
    '7365636f6e6420737472696e6700',
);
/** unbound: NXDOMAIN (RCODE 3) with the zone's SOA in the authority section. */
const UB_NXDOMAIN = fromHex(
  '470485830001000000010000046e6f7065036c616204746573740000010001c011000600010000012c0027036e7331c0110a686f73746d' +
    '6173746572c01178a3f17500001c2000000384001275000000012c',
);
/** unbound: NS record, with the name server's address in the additional section. */
const UB_NS = fromHex(
  '7cc485800001000100000001036c616204746573740000020001c00c0002000100000e100006036e7331c00cc0260001000100000e1000' +
    '04c0000235',
);
/** dnsmasq: the same CNAME chain; dnsmasq writes RDATA names uncompressed. */
const DM_CNAME_CHAIN = fromHex(
  '40ab8580000100040000000003777777036c616204746573740000010001c00c000500010000012c000e03776562036c61620474657374' +
    '00c02a000500010000012c00120773657276657273036c6162047465737400c044000100010000012c0004c000020ac044000100010000' +
    '012c0004c000020b',
);
/** dnsmasq: MX with the exchange's address; the A record's owner points into the MX RDATA. */
const DM_MX = fromHex(
  '88ba85800001000100000001036c6162047465737400000f0001c00c000f00010000012c0011000a046d61696c036c616204746573740' +
    '0c028000100010000012c0004c0000219',
);
/** dig big.lab.test TXT +bufsize=512 +ignore: the query, and unbound's truncated (TC) answer. */
const DIG_QUERY_512 = fromHex('e7930120000100000000000103626967036c6162047465737400001000010000290200000000000000');
const UB_TRUNCATED = fromHex('e7938780000100000000000103626967036c61620474657374000010000100002904d0000000000000');
/** dig lab.test SOA +dnssec: the DO bit, in the query and in the answer. */
const DIG_QUERY_DO = fromHex('f3f901200001000000000001036c61620474657374000006000100002904d0000080000000');
const UB_ANSWER_DO = fromHex(
  'f3f985800001000100000001036c616204746573740000060001c00c0006000100000e100027036e7331c00c0a686f73746d617374657' +
    '2c00c78a3f17500001c2000000384001275000000012c00002904d0000080000000',
);
/** dig mail.lab.test +nsid: unbound answers with an NSID option (code 3). */
const UB_ANSWER_NSID = fromHex(
  '5c4685800001000100000001046d61696c036c616204746573740000010001c00c0001000100000e100004c000021900002904d000000' +
    '00000100003000c6e73312e6c61622e74657374',
);
/** dig +edns=1: unbound answers BADVERS, RCODE 16 = header 0 + extended 1 in the OPT record. */
const DIG_QUERY_EDNS1 = fromHex('95f301200001000000000001036c61620474657374000006000100002904d0000100000000');
const UB_BADVERS = fromHex('95f381800001000000000001036c61620474657374000006000100002904d0010000000000');

const REAL_PACKETS: { name: string; bytes: Uint8Array }[] = [
  { name: 'dig query', bytes: DIG_QUERY },
  { name: 'dig query without EDNS', bytes: DIG_QUERY_NOEDNS },
  { name: 'unbound CNAME chain', bytes: UB_CNAME_CHAIN },
  { name: 'unbound AAAA', bytes: UB_AAAA },
  { name: 'unbound MX', bytes: UB_MX },
  { name: 'unbound TXT', bytes: UB_TXT },
  { name: 'unbound NXDOMAIN', bytes: UB_NXDOMAIN },
  { name: 'unbound NS', bytes: UB_NS },
  { name: 'dnsmasq CNAME chain', bytes: DM_CNAME_CHAIN },
  { name: 'dnsmasq MX', bytes: DM_MX },
  { name: 'dig query, 512-byte buffer', bytes: DIG_QUERY_512 },
  { name: 'unbound truncated answer', bytes: UB_TRUNCATED },
  { name: 'dig query with DO', bytes: DIG_QUERY_DO },
  { name: 'unbound answer with DO', bytes: UB_ANSWER_DO },
  { name: 'unbound answer with NSID', bytes: UB_ANSWER_NSID },
  { name: 'dig query, EDNS version 1', bytes: DIG_QUERY_EDNS1 },
  { name: 'unbound BADVERS', bytes: UB_BADVERS },
];

// ---------------------------------------------------------------------------------------------
// Helpers

const NO_FLAGS: DnsFlags = { qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false };

function dnsError(code: string) {
  return { ok: false, error: 'DnsFormatError', code };
}

/** What a call did, labelled, so a failing comparison in a loop says which case it was. */
/** A value in a report: JSON, with bytes as hex. */
function show(v: unknown): string {
  if (v instanceof Uint8Array) return `<${hex(v)}>`;
  if (v === undefined) return 'undefined';
  return JSON.stringify(v, (_, x: unknown) => (x instanceof Uint8Array ? `<${hex(x)}>` : x));
}

/**
 * Where two values first differ, in words ("answers[1].ttl: got -1, want 4294967295"), so a
 * report on a generated input points at the field, not at two long objects.
 */
function firstDifference(got: unknown, want: unknown, path = ''): string | undefined {
  if (Object.is(got, want)) return undefined;
  const at = path || 'the value';
  if (got instanceof Uint8Array && want instanceof Uint8Array) {
    return hex(got) === hex(want) ? undefined : `${at}: got ${show(got)}, want ${show(want)}`;
  }
  if (typeof got === 'string' && typeof want === 'string' && /^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(want)) {
    const g = got.split(' ');
    const w = want.split(' ');
    let i = 0;
    while (i < g.length && i < w.length && g[i] === w[i]) i++;
    return `${at}: bytes differ from offset ${i}: got ${g.slice(i, i + 12).join(' ') || '(end)'}, want ${w.slice(i, i + 12).join(' ') || '(end)'}`;
  }
  if (typeof got === 'object' && got !== null && typeof want === 'object' && want !== null && Array.isArray(got) === Array.isArray(want)) {
    const g = got as Record<string, unknown>;
    const w = want as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(w), ...Object.keys(g)])];
    for (const k of keys) {
      const sub = Array.isArray(want) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      const d = firstDifference(g[k], w[k], sub);
      if (d) return d;
    }
    return undefined;
  }
  return `${at}: got ${show(got)}, want ${show(want)}`;
}

/** toEqual, with a message naming the case and the first field that differs. */
function same(got: unknown, want: unknown, label: string): void {
  // The first difference is looked for only once toEqual has found one (a passing run makes
  // thousands of these comparisons).
  try {
    expect(got, label).toEqual(want);
  } catch {
    const d = firstDifference(got, want);
    expect(got, d ? `${label}: ${d}` : label).toEqual(want);
  }
}

/** Learner and reference do the same thing: the same value, or the same error and code. */
function agree<T>(label: string, call: (m: typeof reference) => T): void {
  same(outcome(() => call(learner as typeof reference)), outcome(() => call(reference)), label);
}

/** Bytes compared as hex, so a mismatch names the first differing offset. */
function agreeBytes(label: string, call: (m: typeof reference) => Uint8Array): void {
  agree(label, (m) => hex(call(m)));
}

function concat(...parts: (Uint8Array | string)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? fromHex(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

// ---------------------------------------------------------------------------------------------
// Generated inputs (fixed seed: every run draws the same ones)

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

const arbFlags: fc.Arbitrary<DnsFlags> = fc.record({
  qr: fc.boolean(),
  opcode: fc.integer({ min: 0, max: 15 }),
  aa: fc.boolean(),
  tc: fc.boolean(),
  rd: fc.boolean(),
  ra: fc.boolean(),
  ad: fc.boolean(),
  cd: fc.boolean(),
});

const arbHeader: fc.Arbitrary<DnsHeader> = fc.record({
  id: u16,
  flags: arbFlags,
  rcode: fc.integer({ min: 0, max: 15 }),
  qdcount: u16,
  ancount: u16,
  nscount: u16,
  arcount: u16,
});

/** A label in presentation form, from raw bytes (so dots, backslashes and odd bytes appear). */
function presentLabel(bytes: Uint8Array): string {
  return reference.decodeName(Uint8Array.from([bytes.length, ...bytes, 0]), 0).name;
}

const COMMON_LABELS = ['www', 'mail', 'ns1', 'lab', 'test', 'LAB', 'Test', 'example', 'com', 'a', 'b-2', 'xn--bcher-kva'];
const arbLabel = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...COMMON_LABELS) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }).map(presentLabel) },
  { weight: 1, arbitrary: fc.integer({ min: 55, max: 63 }).map((n) => 'q'.repeat(n)) },
);
/** Names from a small pool of labels, so suffixes repeat and compression has work to do. */
const arbName = fc
  .tuple(fc.array(arbLabel, { maxLength: 4 }), fc.boolean())
  .map(([labels, dot]) => (labels.length === 0 ? '.' : labels.join('.') + (dot ? '.' : '')));

const arbClass = fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: u16 });
const arbTxtString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => String.fromCharCode(...b)) },
);
const KNOWN_CODES = new Set([1, 2, 5, 6, 15, 16, 28, 41]);
const arbUnknownType = u16.filter((n) => !KNOWN_CODES.has(n)).map((n): `TYPE${number}` => `TYPE${n}`);

function arbRecord(): fc.Arbitrary<DnsRecord> {
  const base = { name: arbName, class: arbClass, ttl: u32 };
  return fc.oneof(
    fc.record({ ...base, type: fc.constant('A' as const), data: fc.ipV4() }),
    fc.record({ ...base, type: fc.constant('AAAA' as const), data: fc.ipV6() }),
    fc.record({ ...base, type: fc.constant('NS' as const), data: arbName }),
    fc.record({ ...base, type: fc.constant('CNAME' as const), data: arbName }),
    fc.record({ ...base, type: fc.constant('MX' as const), data: fc.record({ preference: u16, exchange: arbName }) }),
    fc.record({
      ...base,
      type: fc.constant('SOA' as const),
      data: fc.record({ mname: arbName, rname: arbName, serial: u32, refresh: u32, retry: u32, expire: u32, minimum: u32 }),
    }),
    fc.record({ ...base, type: fc.constant('TXT' as const), data: fc.array(arbTxtString, { minLength: 1, maxLength: 3 }) }),
    fc.record({ ...base, type: arbUnknownType, data: fc.uint8Array({ maxLength: 16 }) }),
  );
}

const arbQuestion: fc.Arbitrary<DnsQuestion> = fc.record({
  name: arbName,
  type: fc.oneof(
    fc.constantFrom<RecordType>('A', 'AAAA', 'NS', 'CNAME', 'SOA', 'MX', 'TXT'),
    arbUnknownType,
  ),
  class: arbClass,
});

const arbEdns: fc.Arbitrary<Edns> = fc.record({
  udpPayloadSize: u16,
  version: u8,
  dnssecOk: fc.boolean(),
  options: fc.array(fc.record({ code: u16, data: fc.uint8Array({ maxLength: 12 }) }), { maxLength: 3 }),
});

function arbMessage(withEdns: boolean): fc.Arbitrary<DnsMessage> {
  const parts = {
    id: u16,
    flags: arbFlags,
    questions: fc.array(arbQuestion, { maxLength: 3 }),
    answers: fc.array(arbRecord(), { maxLength: 4 }),
    authorities: fc.array(arbRecord(), { maxLength: 2 }),
    additionals: fc.array(arbRecord(), { maxLength: 2 }),
  };
  if (!withEdns) return fc.record({ ...parts, rcode: fc.integer({ min: 0, max: 15 }) });
  return fc.record({ ...parts, rcode: fc.integer({ min: 0, max: 0xfff }), edns: arbEdns });
}

/** What the reference makes of a message: names and addresses in their canonical form. */
function canonical(m: DnsMessage): DnsMessage {
  return reference.decodeMessage(reference.encodeMessage(m));
}

// =============================================================================================

task('header', () => {
  vectors(
    [
      {
        name: "decodes dig's query header (RD and AD set, one additional record)",
        bytes: DIG_QUERY,
        want: { id: 0xa32f, flags: { ...NO_FLAGS, rd: true, ad: true }, rcode: 0, qdcount: 1, ancount: 0, nscount: 0, arcount: 1 },
      },
      {
        name: "decodes unbound's NXDOMAIN header (QR AA RD RA, RCODE 3)",
        bytes: UB_NXDOMAIN,
        want: { id: 0x4704, flags: { ...NO_FLAGS, qr: true, aa: true, rd: true, ra: true }, rcode: 3, qdcount: 1, ancount: 0, nscount: 1, arcount: 0 },
      },
      {
        name: "decodes unbound's truncated answer header (TC set)",
        bytes: UB_TRUNCATED,
        want: { id: 0xe793, flags: { ...NO_FLAGS, qr: true, aa: true, tc: true, rd: true, ra: true }, rcode: 0, qdcount: 1, ancount: 0, nscount: 0, arcount: 1 },
      },
    ],
    (row) => {
      expect(learner.decodeHeader(row.bytes)).toEqual(row.want);
    },
  );

  it('puts every flag and field in its own bits, both ways', () => {
    const base: DnsHeader = { id: 0, flags: NO_FLAGS, rcode: 0, qdcount: 0, ancount: 0, nscount: 0, arcount: 0 };
    const cases: DnsHeader[] = [
      base,
      ...(['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const).map((f) => ({ ...base, flags: { ...NO_FLAGS, [f]: true } })),
      { ...base, flags: { ...NO_FLAGS, opcode: 15 } },
      { ...base, flags: { ...NO_FLAGS, opcode: 2 } },
      { ...base, rcode: 15 },
      { ...base, id: 0xbeef, qdcount: 1, ancount: 0x0203, nscount: 0xfffe, arcount: 4 },
    ];
    for (const h of cases) agreeBytes(`encodeHeader(${JSON.stringify(h)})`, (m) => m.encodeHeader(h));
    forAll(arbHeader, (h) => {
      agreeBytes('encodeHeader', (m) => m.encodeHeader(h));
      agree('decodeHeader', (m) => m.decodeHeader(reference.encodeHeader(h)));
    });
    forAll(fc.uint8Array({ minLength: 12, maxLength: 12 }), (b) => agree(`decodeHeader(${hex(b)})`, (m) => m.decodeHeader(b)));
  });

  it('rejects a short header ("truncated") and out-of-range fields ("bad-value")', () => {
    for (let n = 0; n < 12; n++) {
      expect({ bytes: n, outcome: outcome(() => learner.decodeHeader(DIG_QUERY.slice(0, n))) }).toEqual({ bytes: n, outcome: dnsError('truncated') });
    }
    const base: DnsHeader = { id: 1, flags: NO_FLAGS, rcode: 0, qdcount: 1, ancount: 0, nscount: 0, arcount: 0 };
    const bad: DnsHeader[] = [
      { ...base, id: 0x10000 },
      { ...base, id: -1 },
      { ...base, id: 1.5 },
      { ...base, flags: { ...NO_FLAGS, opcode: 16 } },
      { ...base, rcode: 16 },
      { ...base, arcount: 70000 },
    ];
    for (const h of bad) {
      expect({ header: h, outcome: outcome(() => learner.encodeHeader(h)) }).toEqual({ header: h, outcome: dnsError('bad-value') });
    }
  });
});

// =============================================================================================

task('names', () => {
  vectors(
    [
      { name: 'encodes www.lab.test', input: 'www.lab.test', want: '03 77 77 77 03 6c 61 62 04 74 65 73 74 00' },
      { name: 'keeps case and ignores one trailing dot: Mail.LAB.test.', input: 'Mail.LAB.test.', want: '04 4d 61 69 6c 03 4c 41 42 04 74 65 73 74 00' },
      { name: 'reads escapes: a\\.b\\032c.test is two labels', input: 'a\\.b\\032c.test', want: '05 61 2e 62 20 63 04 74 65 73 74 00' },
    ],
    (row) => {
      expect(hex(learner.encodeName(row.input))).toBe(row.want);
    },
  );

  graded('follows compression pointers in the example of RFC 1035 §4.1.4', 2, () => {
    const msg = new Uint8Array(100);
    msg.set([1, ...ascii('F'), 3, ...ascii('ISI'), 4, ...ascii('ARPA'), 0], 20);
    msg.set([3, ...ascii('FOO'), 0xc0, 20], 40);
    msg.set([0xc0, 26], 64);
    msg.set([0], 92);
    expect(learner.decodeName(msg, 20)).toEqual({ name: 'F.ISI.ARPA', next: 32 });
    expect(learner.decodeName(msg, 40)).toEqual({ name: 'FOO.F.ISI.ARPA', next: 46 });
    expect(learner.decodeName(msg, 64)).toEqual({ name: 'ARPA', next: 66 });
    expect(learner.decodeName(msg, 92)).toEqual({ name: '.', next: 93 });
  });

  it('writes label bytes in presentation form: \\. \\\\ and \\DDD', () => {
    const wire = Uint8Array.from([7, ...ascii('a.b\\'), 0x20, 0xff, 0x7f, 1, ...ascii('Z'), 0]);
    expect(learner.decodeName(wire, 0)).toEqual({ name: 'a\\.b\\\\\\032\\255\\127.Z', next: 11 });
  });

  it('rejects names it cannot encode: bad-name, label-too-long, name-too-long', () => {
    const l63 = 'x'.repeat(63);
    const cases: { input: string; want: string }[] = [
      { input: l63 + '.test', want: 'ok' },
      { input: 'x'.repeat(64) + '.test', want: 'label-too-long' },
      { input: `${l63}.${l63}.${l63}.${'y'.repeat(61)}`, want: 'ok' }, // 255 bytes on the wire
      { input: `${l63}.${l63}.${l63}.${'y'.repeat(62)}`, want: 'name-too-long' }, // 256
      { input: 'a..b', want: 'bad-name' },
      { input: '.a', want: 'bad-name' },
      { input: 'a.b..', want: 'bad-name' },
      { input: 'a\\', want: 'bad-name' },
      { input: 'a\\25', want: 'bad-name' },
      { input: 'a\\256', want: 'bad-name' },
      { input: 'caf\u00e9.test', want: 'ok' },
      { input: '\u65e5\u672c.test', want: 'bad-name' },
    ];
    for (const c of cases) {
      const got = outcome(() => learner.encodeName(c.input));
      if (c.want === 'ok') {
        expect({ input: c.input, bytes: got.ok ? hex(got.value) : got }).toEqual({ input: c.input, bytes: hex(reference.encodeName(c.input)) });
      } else {
        expect({ input: c.input, outcome: got }).toEqual({ input: c.input, outcome: dnsError(c.want) });
      }
    }
  });

  graded('rejects broken names: bad-label-type, bad-pointer, pointer-loop, name-too-long, truncated', 2, () => {
    const label63 = [63, ...new Array<number>(63).fill(0x61)];
    const cases: { what: string; bytes: number[]; offset: number; want: string }[] = [
      { what: 'label type 01 (0x40)', bytes: [0x41, 0x61, 0], offset: 0, want: 'bad-label-type' },
      { what: 'label type 10 (0x80)', bytes: [1, 0x61, 0x80, 0], offset: 0, want: 'bad-label-type' },
      { what: 'a pointer to itself', bytes: [0xc0, 0x00], offset: 0, want: 'bad-pointer' },
      { what: 'a forward pointer', bytes: [1, 0x61, 0xc0, 0x05, 0, 0], offset: 0, want: 'bad-pointer' },
      { what: 'a pointer beyond the end', bytes: [0xc0, 0x00, 0xff, 0xff], offset: 2, want: 'bad-pointer' },
      { what: 'a pointer back into the same name', bytes: [1, 0x61, 0xc0, 0x00], offset: 0, want: 'pointer-loop' },
      { what: 'a loop reached through a pointer', bytes: [1, 0x78, 0xc0, 0x00, 1, 0x79, 0xc0, 0x00], offset: 4, want: 'pointer-loop' },
      { what: '257 bytes of labels', bytes: [...label63, ...label63, ...label63, ...label63, 0], offset: 0, want: 'name-too-long' },
      { what: 'too long and cut short: length first', bytes: [...label63, ...label63, ...label63, 63, 0x61], offset: 0, want: 'name-too-long' },
      { what: 'an offset at the end', bytes: [0], offset: 1, want: 'truncated' },
      { what: 'a label cut short', bytes: [3, 0x61, 0x62], offset: 0, want: 'truncated' },
      { what: 'no root label', bytes: [1, 0x61], offset: 0, want: 'truncated' },
      { what: 'half a pointer', bytes: [0, 0xc0], offset: 1, want: 'truncated' },
    ];
    for (const c of cases) {
      const got = outcome(() => learner.decodeName(Uint8Array.from(c.bytes), c.offset));
      expect({ case: c.what, outcome: got }).toEqual({ case: c.what, outcome: dnsError(c.want) });
    }
  });

  it('counts the final zero when decoding: a 255-octet name reads, a 256-octet one is name-too-long', () => {
    // RFC 1035 §3.1: label octets and length octets, the final zero included, are 255 or less.
    const label = (n: number) => [n, ...new Array<number>(n).fill(0x61)];
    const head = [...label(63), ...label(63), ...label(63)]; // 192 octets
    const a63 = ['a'.repeat(63), 'a'.repeat(63), 'a'.repeat(63)];
    const cases = [
      { what: '255 octets in place', bytes: [...head, ...label(61), 0], offset: 0, want: { ok: true, value: { name: [...a63, 'a'.repeat(61)].join('.'), next: 255 } } },
      { what: '256 octets in place', bytes: [...head, ...label(62), 0], offset: 0, want: dnsError('name-too-long') },
      // the name at 193 ends with a pointer to the 193-octet name at 0
      { what: '255 octets through a pointer', bytes: [...head, 0, ...label(61), 0xc0, 0], offset: 193, want: { ok: true, value: { name: ['a'.repeat(61), ...a63].join('.'), next: 257 } } },
      { what: '256 octets through a pointer', bytes: [...head, 0, ...label(62), 0xc0, 0], offset: 193, want: dnsError('name-too-long') },
    ];
    for (const c of cases) {
      const got = outcome(() => learner.decodeName(Uint8Array.from(c.bytes), c.offset));
      expect({ case: c.what, outcome: got }).toEqual({ case: c.what, outcome: c.want });
    }
  });

  it('agrees with the reference on generated names', () => {
    forAll(arbName, (name) => {
      agreeBytes(`encodeName(${JSON.stringify(name)})`, (m) => m.encodeName(name));
      const wire = concat('c0 01', reference.encodeName(name));
      agree('decodeName', (m) => m.decodeName(wire, 2));
    });
  });

  it('agrees with the reference on random bytes', () => {
    // Name-shaped pieces: labels, roots, pointers (mostly to the start of a piece), junk bytes.
    type Piece = { bytes: number[] } | { pointTo: number };
    const piece: fc.Arbitrary<Piece> = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }).map((n) => ({ bytes: [n, ...ascii('abcd').slice(0, n)] })) },
      { weight: 1, arbitrary: fc.constant<Piece>({ bytes: [63, ...new Array<number>(63).fill(0x2d)] }) },
      { weight: 2, arbitrary: fc.nat().map((k) => ({ pointTo: k })) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x3fff }).map((to) => ({ bytes: [0xc0 | (to >> 8), to & 0xff] })) },
      { weight: 2, arbitrary: fc.constant<Piece>({ bytes: [0] }) },
      { weight: 1, arbitrary: fc.oneof(u8, fc.constantFrom(0x2e, 0x5c, 0x20, 0x40, 0x80, 0xff)).map((b) => ({ bytes: [b] })) },
    );
    const arb = fc.tuple(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.nat());
    forAll(
      arb,
      ([pieces, at]) => {
        const starts: number[] = [];
        let length = 0;
        for (const p of pieces) {
          starts.push(length);
          length += 'bytes' in p ? p.bytes.length : 2;
        }
        const b = Uint8Array.from(
          pieces.flatMap((p) => ('bytes' in p ? p.bytes : [0xc0 | (starts[p.pointTo % starts.length]! >> 8), starts[p.pointTo % starts.length]! & 0xff])),
        );
        const offset = starts[at % starts.length]!;
        agree(`decodeName(${hex(b)}, ${offset})`, (m) => m.decodeName(b, offset));
      },
      400,
    );
  });
});

// =============================================================================================

task('records', () => {
  vectors(
    [
      { name: "decodes unbound's CNAME chain with three A records", bytes: UB_CNAME_CHAIN },
      { name: "decodes unbound's AAAA answer (RFC 5952 text)", bytes: UB_AAAA },
      { name: "decodes unbound's MX answer (a name pointing into RDATA)", bytes: UB_MX },
      { name: "decodes unbound's TXT answer (three strings, one empty)", bytes: UB_TXT },
      { name: "decodes unbound's NXDOMAIN with its SOA record", bytes: UB_NXDOMAIN },
    ],
    (row) => {
      expect(learner.decodeMessage(row.bytes)).toEqual(reference.decodeMessage(row.bytes));
    },
  );

  it('encodes generated messages uncompressed, byte for byte', () => {
    forAll(arbMessage(false), (msg) => {
      agreeBytes('encodeMessage(msg, { compress: false })', (m) => m.encodeMessage(msg, { compress: false }));
    });
  });

  graded('round-trips generated messages with the reference, both ways', 2, () => {
    forAll(arbMessage(false), (msg) => {
      const want = canonical(msg);
      same(outcome(() => reference.decodeMessage(learner.encodeMessage(msg, { compress: false }))), { ok: true, value: want }, 'reference.decodeMessage(your encodeMessage(msg, { compress: false }))');
      same(outcome(() => learner.decodeMessage(reference.encodeMessage(msg))), { ok: true, value: want }, 'your decodeMessage(reference.encodeMessage(msg))');
    });
  });

  it('splits a TXT string longer than 255 bytes into 255-byte strings', () => {
    const long = Array.from({ length: 600 }, (_, i) => String.fromCharCode(0x41 + (i % 26))).join('');
    const msg: DnsMessage = {
      id: 7, flags: { ...NO_FLAGS, qr: true }, rcode: 0, questions: [], authorities: [], additionals: [],
      answers: [{ name: 'long.lab.test', type: 'TXT', class: 1, ttl: 60, data: ['', long, 'end'] }],
    };
    const decoded = reference.decodeMessage(learner.encodeMessage(msg, { compress: false }));
    expect(decoded.answers[0]?.data).toEqual(['', long.slice(0, 255), long.slice(255, 510), long.slice(510), 'end']);
  });

  it('splits TXT strings at exactly 255 bytes, byte for byte', () => {
    // RFC 1035 §3.3: a <character-string> is one length octet and at most 255 octets after it.
    const msg: DnsMessage = {
      id: 8, flags: { ...NO_FLAGS, qr: true }, rcode: 0, questions: [], authorities: [], additionals: [],
      answers: [{ name: '.', type: 'TXT', class: 1, ttl: 60, data: ['a'.repeat(255), 'b'.repeat(256)] }],
    };
    const rdata = concat('ff', '61'.repeat(255), 'ff', '62'.repeat(255), '01 62'); // 514 = 0x0202 bytes
    const want = concat('0008 8000 0000 0001 0000 0000', '00 0010 0001 0000003c 0202', rdata);
    same(hex(learner.encodeMessage(msg, { compress: false })), hex(want), "encodeMessage(TXT ['a' x 255, 'b' x 256])");
  });

  it('agrees with the reference on TXT strings around 255 and 510 bytes', () => {
    const length = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 253, max: 257 }), fc.integer({ min: 508, max: 512 }));
    const str = fc.tuple(length, fc.integer({ min: 0x20, max: 0xff })).map(([n, c]) => String.fromCharCode(c).repeat(n));
    forAll(fc.array(str, { minLength: 1, maxLength: 3 }), (data) => {
      const msg: DnsMessage = {
        id: 8, flags: { ...NO_FLAGS, qr: true }, rcode: 0, questions: [], authorities: [], additionals: [],
        answers: [{ name: 'txt.lab.test', type: 'TXT', class: 1, ttl: 60, data }],
      };
      agreeBytes(`encodeMessage(TXT of lengths ${data.map((d) => d.length).join(', ')})`, (m) => m.encodeMessage(msg));
    });
  });

  it('writes AAAA addresses in RFC 5952 text: of two equally long zero runs, the first becomes ::', () => {
    const aaaa = (groups: string) => concat('1234 8180 0000 0001 0000 0000', '00 001c 0001 0000003c 0010', groups);
    const cases = [
      // RFC 5952 §4.2.3: runs of equal length, the first is shortened (its own example)
      { groups: '2001 0db8 0000 0000 0001 0000 0000 0001', want: '2001:db8::1:0:0:1' },
      { groups: '0000 0000 0001 0000 0000 0001 0000 0000', want: '::1:0:0:1:0:0' },
      // §4.2.3: the longest run is shortened, even when it comes last
      { groups: '2001 0000 0000 0001 0000 0000 0000 0001', want: '2001:0:0:1::1' },
      // §4.2.2: one zero group alone is never ::
      { groups: '2001 0db8 0000 0001 0001 0001 0001 0001', want: '2001:db8:0:1:1:1:1:1' },
      { groups: '0000 0000 0000 0000 0000 0000 0000 0000', want: '::' },
    ];
    for (const c of cases) {
      const got = outcome(() => learner.decodeMessage(aaaa(c.groups)).answers[0]?.data);
      expect({ groups: c.groups, got }).toEqual({ groups: c.groups, got: { ok: true, value: c.want } });
    }
  });

  it('agrees with the reference on AAAA records full of zero groups', () => {
    const group = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: u16 });
    forAll(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
      const rdata = Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
      const b = concat('1234 8180 0000 0001 0000 0000', '00 001c 0001 0000003c 0010', rdata);
      agree(`decodeMessage(${hex(b)})`, (m) => m.decodeMessage(b));
    });
  });

  it('refuses records it cannot encode ("bad-value")', () => {
    const rec = (r: Record<string, unknown>) => ({ name: 'x.lab.test', class: 1, ttl: 60, ...r }) as unknown as DnsRecord;
    const bad: DnsRecord[] = [
      rec({ type: 'A', data: '192.0.2.256' }),
      rec({ type: 'A', data: '192.0.2' }),
      rec({ type: 'AAAA', data: '2001:db8::1::2' }),
      rec({ type: 'AAAA', data: '2001:db8:1:2:3:4:5:6:7' }),
      rec({ type: 'TXT', data: [] }),
      rec({ type: 'TXT', data: ['\u0100'] }),
      rec({ type: 'MX', data: { preference: 65536, exchange: 'mail.lab.test' } }),
      rec({ type: 'A', data: '192.0.2.1', ttl: 2 ** 32 }),
      rec({ type: 'A', data: '192.0.2.1', class: -1 }),
      rec({ type: 'PTR', data: 'x.lab.test' }),
      rec({ type: 'TYPE65536', data: new Uint8Array(0) }),
      rec({ type: 'TYPE41', data: new Uint8Array(0) }),
    ];
    for (const r of bad) {
      const msg: DnsMessage = { id: 1, flags: NO_FLAGS, rcode: 0, questions: [], answers: [r], authorities: [], additionals: [] };
      expect({ record: r, outcome: outcome(() => learner.encodeMessage(msg)) }).toEqual({ record: r, outcome: dnsError('bad-value') });
    }
  });
});

// =============================================================================================

task('compression', () => {
  graded('compresses the names of RFC 1035 §4.1.4 with pointers to their earliest suffix', 2, () => {
    const msg: DnsMessage = {
      id: 0, flags: NO_FLAGS, rcode: 0, answers: [], authorities: [], additionals: [],
      questions: [
        { name: 'F.ISI.ARPA', type: 'A', class: 1 },
        { name: 'FOO.F.ISI.ARPA', type: 'A', class: 1 },
        { name: 'ARPA', type: 'A', class: 1 },
        { name: '.', type: 'A', class: 1 },
      ],
    };
    const want = [
      '00 00 00 00 00 04 00 00 00 00 00 00',
      '01 46 03 49 53 49 04 41 52 50 41 00 00 01 00 01', // F.ISI.ARPA at offset 12
      '03 46 4f 4f c0 0c 00 01 00 01', // FOO + pointer to 12
      'c0 12 00 01 00 01', // pointer to ARPA at 18
      '00 00 01 00 01', // the root is never compressed
    ].join(' ');
    expect(hex(learner.encodeMessage(msg))).toBe(want);
  });

  vectors(
    [
      { name: "re-encodes unbound's CNAME chain byte for byte", bytes: UB_CNAME_CHAIN },
      { name: "re-encodes unbound's MX answer byte for byte (pointer into RDATA)", bytes: UB_MX },
      { name: "re-encodes unbound's NXDOMAIN answer byte for byte (names in SOA)", bytes: UB_NXDOMAIN },
    ],
    (row) => {
      expect(hex(learner.encodeMessage(reference.decodeMessage(row.bytes)))).toBe(hex(row.bytes));
    },
  );

  graded('compresses generated messages byte for byte like the reference', 2, () => {
    forAll(arbMessage(false), (msg) => {
      agreeBytes('encodeMessage(msg)', (m) => m.encodeMessage(msg));
    });
  });

  it('compares labels case-sensitively, so case survives', () => {
    const msg: DnsMessage = {
      id: 9, flags: { ...NO_FLAGS, qr: true }, rcode: 0, authorities: [], additionals: [],
      questions: [{ name: 'www.Lab.Test', type: 'CNAME', class: 1 }],
      answers: [
        { name: 'www.Lab.Test', type: 'CNAME', class: 1, ttl: 60, data: 'web.lab.test' },
        { name: 'WEB.lab.test', type: 'A', class: 1, ttl: 60, data: '192.0.2.1' },
      ],
    };
    const bytes = learner.encodeMessage(msg);
    expect(hex(bytes)).toBe(hex(reference.encodeMessage(msg)));
    expect(reference.decodeMessage(bytes)).toEqual(msg);
  });

  it('points only at offsets a pointer can hold (below 0x4000)', () => {
    const blob = new Uint8Array(17000).fill(0xab);
    const msg: DnsMessage = {
      id: 10, flags: { ...NO_FLAGS, qr: true }, rcode: 0, authorities: [], additionals: [],
      questions: [{ name: 'big.lab.test', type: 'TYPE65280', class: 1 }],
      answers: [
        { name: 'big.lab.test', type: 'TYPE65280', class: 1, ttl: 60, data: blob },
        { name: 'late.lab.test', type: 'CNAME', class: 1, ttl: 60, data: 'later.lab.test' },
        { name: 'late.lab.test', type: 'CNAME', class: 1, ttl: 60, data: 'later.lab.test' },
      ],
    };
    const bytes = learner.encodeMessage(msg);
    expect(bytes.length).toBe(reference.encodeMessage(msg).length);
    expect(hex(bytes.subarray(17000))).toBe(hex(reference.encodeMessage(msg).subarray(17000)));
  });

  it('records a suffix written at offset 0x3FFF, but not one written at 0x4000', () => {
    // RFC 1035 §4.1.4: a pointer's OFFSET has 14 bits, so 0x3FFF is the last offset it can hold.
    // 12 header bytes, a root owner, 10 bytes of fields, then padding: the next owner is at 23 + padding.
    const at = (offset: number): DnsMessage => ({
      id: 11, flags: { ...NO_FLAGS, qr: true }, rcode: 0, questions: [], authorities: [], additionals: [],
      answers: [
        { name: '.', type: 'TYPE65280', class: 1, ttl: 60, data: new Uint8Array(offset - 23) },
        { name: 'x.lab.test', type: 'A', class: 1, ttl: 60, data: '192.0.2.1' },
        { name: 'x.lab.test', type: 'A', class: 1, ttl: 60, data: '192.0.2.2' },
      ],
    });
    const full = '01 78 03 6c 61 62 04 74 65 73 74 00';
    const fields = (last: string) => `0001 0001 0000003c 0004 c0 00 02 ${last}`;
    const cases = [
      { offset: 0x3fff, tail: concat(full, fields('01'), 'ff ff', fields('02')) }, // 0xC000 | 0x3FFF
      { offset: 0x4000, tail: concat(full, fields('01'), full, fields('02')) }, // no pointer can reach it
    ];
    for (const c of cases) {
      const bytes = learner.encodeMessage(at(c.offset));
      same(hex(bytes.subarray(c.offset)), hex(c.tail), `the names written from offset 0x${c.offset.toString(16)}`);
      expect(bytes.length).toBe(c.offset + c.tail.length);
    }
  });

  it('encodes names across offset 0x4000 so that they decode back', () => {
    // Names start at 0x3ff0 and go on past 0x4000, in owners and in RDATA.
    const msg: DnsMessage = {
      id: 12, flags: { ...NO_FLAGS, qr: true, aa: true }, rcode: 0, questions: [], authorities: [], additionals: [],
      answers: [
        { name: '.', type: 'TYPE65280', class: 1, ttl: 60, data: new Uint8Array(0x3ff0 - 23).fill(0x5a) },
        { name: 'x.lab.test', type: 'CNAME', class: 1, ttl: 60, data: 'y.lab.test' },
        { name: 'y.lab.test', type: 'MX', class: 1, ttl: 60, data: { preference: 10, exchange: 'mail.y.lab.test' } },
        { name: 'mail.y.lab.test', type: 'A', class: 1, ttl: 60, data: '192.0.2.25' },
        { name: 'new.example', type: 'NS', class: 1, ttl: 60, data: 'ns.new.example' },
        { name: 'ns.new.example', type: 'A', class: 1, ttl: 60, data: '192.0.2.53' },
      ],
    };
    same(outcome(() => reference.decodeMessage(learner.encodeMessage(msg))), { ok: true, value: msg }, 'reference.decodeMessage(your encodeMessage(msg))');
  });
});

// =============================================================================================

task('edns', () => {
  it("decodes dig's EDNS query: payload size 1232, a COOKIE option, no other additionals", () => {
    const m = learner.decodeMessage(DIG_QUERY);
    expect({ additionals: m.additionals, edns: m.edns, rcode: m.rcode }).toEqual({
      additionals: [],
      edns: { udpPayloadSize: 1232, version: 0, dnssecOk: false, options: [{ code: 10, data: fromHex('258bf7ef30b1b05b') }] },
      rcode: 0,
    });
    expect(m).toEqual(reference.decodeMessage(DIG_QUERY));
  });

  it('decodes the DO bit (dig +dnssec) and an NSID option in an answer', () => {
    expect(learner.decodeMessage(DIG_QUERY_DO).edns).toEqual({ udpPayloadSize: 1232, version: 0, dnssecOk: true, options: [] });
    expect(learner.decodeMessage(UB_ANSWER_DO)).toEqual(reference.decodeMessage(UB_ANSWER_DO));
    expect(learner.decodeMessage(UB_ANSWER_NSID).edns?.options).toEqual([{ code: 3, data: Uint8Array.from(ascii('ns1.lab.test')) }]);
  });

  it("combines the extended RCODE: unbound's BADVERS is 16", () => {
    expect(learner.decodeMessage(DIG_QUERY_EDNS1).edns?.version).toBe(1);
    const m = learner.decodeMessage(UB_BADVERS);
    expect({ rcode: m.rcode, edns: m.edns }).toEqual({ rcode: 16, edns: { udpPayloadSize: 1232, version: 0, dnssecOk: false, options: [] } });
    expect(hex(learner.encodeMessage(m))).toBe(hex(UB_BADVERS));
  });

  graded('encodes generated messages with EDNS byte for byte, and round-trips them', 2, () => {
    forAll(arbMessage(true), (msg) => {
      agreeBytes('encodeMessage(msg)', (m) => m.encodeMessage(msg));
      same(outcome(() => learner.decodeMessage(reference.encodeMessage(msg))), { ok: true, value: canonical(msg) }, 'your decodeMessage(reference.encodeMessage(msg))');
    });
  });

  it('refuses an RCODE above 15 without EDNS ("bad-value")', () => {
    const msg: DnsMessage = { id: 1, flags: { ...NO_FLAGS, qr: true }, rcode: 16, questions: [], answers: [], authorities: [], additionals: [] };
    expect(outcome(() => learner.encodeMessage(msg))).toEqual(dnsError('bad-value'));
    expect(outcome(() => learner.encodeMessage({ ...msg, rcode: 4096, edns: { udpPayloadSize: 1232, version: 0, dnssecOk: false, options: [] } }))).toEqual(
      dnsError('bad-value'),
    );
  });

  it('rejects an OPT record that is misplaced, doubled or not owned by the root ("bad-opt")', () => {
    const header = (an: number, ar: number) => `f7c8 0120 0001 ${an.toString(16).padStart(4, '0')} 0000 ${ar.toString(16).padStart(4, '0')}`;
    const question = '03777777036c616204746573740000010001';
    const opt = '00 0029 04d0 00000000 0000';
    const cases = [
      { what: 'OPT in the answer section', bytes: concat(header(1, 0), question, opt) },
      { what: 'two OPT records', bytes: concat(header(0, 2), question, opt, opt) },
      { what: 'OPT owned by www.lab.test', bytes: concat(header(0, 1), question, 'c00c 0029 04d0 00000000 0000') },
    ];
    for (const c of cases) {
      expect({ case: c.what, outcome: outcome(() => learner.decodeMessage(c.bytes)) }).toEqual({ case: c.what, outcome: dnsError('bad-opt') });
    }
  });
});

// =============================================================================================

task('malformed', () => {
  const header = (qd: number, an: number) => `1234 8180 ${qd.toString(16).padStart(4, '0')} ${an.toString(16).padStart(4, '0')} 0000 0000`;
  const question = '03 777777 04 74657374 00 0001 0001'; // www.test A IN, at offset 12
  const l63 = '3f' + '61'.repeat(63); // a label of 63 'a's
  vectors(
    [
      { name: 'a question cut before its class: truncated', bytes: concat(header(1, 0), '03 777777 04 74657374 00 0001 00'), want: 'truncated' },
      { name: 'RDATA cut short by the end of the message: truncated', bytes: concat(header(1, 1), question, 'c00c 0001 0001 00000e10 0004 c000'), want: 'truncated' },
      { name: 'an A record with 5 bytes of RDATA: bad-rdata', bytes: concat(header(1, 1), question, 'c00c 0001 0001 00000e10 0005 c000020100'), want: 'bad-rdata' },
      { name: 'a TXT string longer than its RDATA: bad-rdata', bytes: concat(header(1, 1), question, 'c00c 0010 0001 00000e10 0004 05616263', '6465'), want: 'bad-rdata' },
      { name: 'a CNAME whose name runs past RDLENGTH: bad-rdata', bytes: concat(header(1, 1), question, 'c00c 0005 0001 00000e10 0003 03616263 00'), want: 'bad-rdata' },
      { name: 'a CNAME cut at the end of its RDATA and of the message: bad-rdata', bytes: concat(header(1, 1), question, 'c00c 0005 0001 00000e10 0003 036162'), want: 'bad-rdata' },
      { name: 'an MX with bytes left over in its RDATA: bad-rdata', bytes: concat(header(1, 1), question, 'c00c 000f 0001 00000e10 0006 000a c00c 0000'), want: 'bad-rdata' },
      { name: 'bytes after the last record: trailing-bytes', bytes: concat(UB_TXT, '00'), want: 'trailing-bytes' },
      // RFC 1035 §3.1: 255 octets at most, the final zero included; 3 x 64 + 63 + 1 = 256.
      { name: 'a question name of 256 octets: name-too-long', bytes: concat(header(1, 0), l63, l63, l63, '3e', '61'.repeat(62), '00 0001 0001'), want: 'name-too-long' },
      { name: 'a question name too long and cut short: name-too-long, not truncated', bytes: concat(header(1, 0), l63, l63, l63, '3f 6161'), want: 'name-too-long' },
    ],
    (row) => {
      expect(outcome(() => learner.decodeMessage(row.bytes))).toEqual(dnsError(row.want));
    },
  );

  it('agrees with the reference on every prefix of every real packet', () => {
    for (const p of REAL_PACKETS) {
      for (let n = 0; n <= p.bytes.length; n++) agree(`${p.name}, first ${n} of ${p.bytes.length} bytes`, (m) => m.decodeMessage(p.bytes.slice(0, n)));
    }
  });

  graded('agrees with the reference on mutated real packets (never hangs, never reads past the end)', 3, () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(u8, fc.constantFrom(0, 1, 0x3f, 0x40, 0xc0, 0xff)) }),
      fc.record({ kind: fc.constant('count' as const), at: fc.integer({ min: 4, max: 11 }), value: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), value: fc.constant(0) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: u8 }),
    );
    const arb = fc.tuple(fc.integer({ min: 0, max: REAL_PACKETS.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }));
    forAll(
      arb,
      ([index, edits]) => {
        const p = REAL_PACKETS[index]!;
        let bytes = Array.from(p.bytes);
        for (const e of edits) {
          const at = e.at % (bytes.length + 1);
          if (e.kind === 'set' && at < bytes.length) bytes[at] = e.value;
          if (e.kind === 'count' && e.at < bytes.length) bytes[e.at] = e.at % 2 === 0 ? 0 : e.value;
          if (e.kind === 'cut') bytes = bytes.slice(0, at);
          if (e.kind === 'insert') bytes.splice(at, 0, e.value);
        }
        const b = Uint8Array.from(bytes);
        agree(`${p.name} mutated to ${hex(b)}`, (m) => m.decodeMessage(b));
      },
      500,
    );
  });
});
