import { expect, it } from 'vitest';
import { task, graded, vectors, forAll, fc, outcome, hex, fromHex, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

const MAX = (1n << 62n) - 1n;

/** Every varint value class: 1, 2, 4 and 8 bytes, with their edges well represented. */
const arbVarint = fc.oneof(
  fc.bigInt({ min: 0n, max: 63n }),
  fc.bigInt({ min: 64n, max: 16383n }),
  fc.bigInt({ min: 16384n, max: (1n << 30n) - 1n }),
  fc.bigInt({ min: 1n << 30n, max: MAX }),
  fc.constantFrom(0n, 63n, 64n, 16383n, 16384n, (1n << 30n) - 1n, 1n << 30n, MAX),
);

// ---- Task 1 -------------------------------------------------------------------------------

task('varint', () => {
  // RFC 9000 Appendix A.1: "the eight-byte sequence 0xc2197c5eff14e88c decodes to the decimal
  // value 151,288,809,941,952,652; the four-byte sequence 0x9d7f3e7d decodes to 494,878,333;
  // the two-byte sequence 0x7bbd decodes to 15,293; and the single byte 0x25 decodes to 37 (as
  // does the two-byte sequence 0x4025)."
  vectors(
    [
      { name: 'RFC 9000 A.1: c2197c5eff14e88c decodes to 151288809941952652', bytes: 'c2197c5eff14e88c', value: 151288809941952652n, length: 8 },
      { name: 'RFC 9000 A.1: 9d7f3e7d decodes to 494878333', bytes: '9d7f3e7d', value: 494878333n, length: 4 },
      { name: 'RFC 9000 A.1: 7bbd decodes to 15293', bytes: '7bbd', value: 15293n, length: 2 },
      { name: 'RFC 9000 A.1: 25 decodes to 37', bytes: '25', value: 37n, length: 1 },
      { name: 'RFC 9000 A.1: 4025 decodes to 37 too (not the shortest encoding, still valid)', bytes: '4025', value: 37n, length: 2 },
    ],
    (row) => {
      expect(learner.decodeVarint(fromHex(row.bytes))).toEqual({ value: row.value, length: row.length });
    },
  );

  graded('encodes the RFC values and every length boundary in the fewest bytes', 2, () => {
    const rows: [bigint, string][] = [
      [0n, '00'], [37n, '25'], [63n, '3f'], [64n, '40 40'], [15293n, '7b bd'], [16383n, '7f ff'],
      [16384n, '80 00 40 00'], [494878333n, '9d 7f 3e 7d'], [(1n << 30n) - 1n, 'bf ff ff ff'],
      [1n << 30n, 'c0 00 00 00 40 00 00 00'], [151288809941952652n, 'c2 19 7c 5e ff 14 e8 8c'],
      [MAX, 'ff ff ff ff ff ff ff ff'],
    ];
    for (const [v, want] of rows) expect(hex(learner.encodeVarint(v)), `encodeVarint(${v}n)`).toBe(want);
    for (const [v, want] of rows) expect(learner.varintLength(v), `varintLength(${v}n)`).toBe(want.split(' ').length);
  });

  it('encodes in a longer length when asked, and refuses one too short', () => {
    expect(hex(learner.encodeVarint(37n, 2))).toBe('40 25');
    expect(hex(learner.encodeVarint(37n, 8))).toBe('c0 00 00 00 00 00 00 25');
    expect(hex(learner.encodeVarint(1170n, 4))).toBe('80 00 04 92');
    expect(outcome(() => learner.encodeVarint(16384n, 2))).toEqual({ ok: false, error: 'QuicRangeError', code: 'out-of-range' });
    expect(outcome(() => learner.encodeVarint(64n, 1))).toEqual({ ok: false, error: 'QuicRangeError', code: 'out-of-range' });
  });

  graded('refuses values out of range, and input that ends too soon', 2, () => {
    const range = { ok: false, error: 'QuicRangeError', code: 'out-of-range' };
    const truncated = { ok: false, error: 'QuicParseError', code: 'truncated' };
    expect(outcome(() => learner.encodeVarint(-1n))).toEqual(range);
    expect(outcome(() => learner.encodeVarint(MAX + 1n))).toEqual(range);
    expect(outcome(() => learner.varintLength(1n << 64n))).toEqual(range);
    expect(outcome(() => learner.decodeVarint(new Uint8Array(0)))).toEqual(truncated);
    expect(outcome(() => learner.decodeVarint(fromHex('40')))).toEqual(truncated);
    expect(outcome(() => learner.decodeVarint(fromHex('80 00 00')))).toEqual(truncated);
    expect(outcome(() => learner.decodeVarint(fromHex('c2 19 7c 5e ff 14 e8')))).toEqual(truncated);
    expect(outcome(() => learner.decodeVarint(fromHex('25'), 1))).toEqual(truncated);
  });

  it('knows the largest value, 2^62 − 1, and refuses one more when asked its length', () => {
    expect(learner.varintLength(MAX)).toBe(8);
    expect(hex(learner.encodeVarint(MAX))).toBe('ff ff ff ff ff ff ff ff');
    expect(outcome(() => learner.varintLength(MAX + 1n))).toEqual({ ok: false, error: 'QuicRangeError', code: 'out-of-range' });
  });

  it('decodes at an offset, reporting the bytes it used', () => {
    const bytes = fromHex('ff 25 7b bd 9d 7f 3e 7d 00');
    expect(learner.decodeVarint(bytes, 1)).toEqual({ value: 37n, length: 1 });
    expect(learner.decodeVarint(bytes, 2)).toEqual({ value: 15293n, length: 2 });
    expect(learner.decodeVarint(bytes, 4)).toEqual({ value: 494878333n, length: 4 });
    expect(learner.decodeVarint(bytes, 8)).toEqual({ value: 0n, length: 1 });
  });

  graded('round-trips generated values, in the shortest and in every longer length', 2, () => {
    forAll(fc.tuple(arbVarint, fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const)), ([v, len]) => {
      const bytes = learner.encodeVarint(v);
      expect(hex(bytes)).toBe(hex(reference.encodeVarint(v)));
      expect(learner.decodeVarint(bytes)).toEqual({ value: v, length: reference.varintLength(v) });
      expect(outcome(() => hex(learner.encodeVarint(v, len)))).toEqual(outcome(() => hex(reference.encodeVarint(v, len))));
    }, 200);
  });

  graded('agrees with the reference on generated bytes and offsets', 2, () => {
    forAll(fc.tuple(fc.uint8Array({ maxLength: 12 }), fc.nat(13)), ([bytes, offset]) => {
      expect(outcome(() => learner.decodeVarint(bytes, offset))).toEqual(outcome(() => reference.decodeVarint(bytes, offset)));
    }, 300);
  });
});

// ---- Task 2 -------------------------------------------------------------------------------

task('packet-number', () => {
  // RFC 9000 Appendix A.2: "if an endpoint has received an acknowledgment for packet 0xabe8b3
  // and is sending a packet with a number of 0xac5c02, there are 29,519 (0x734f) outstanding
  // packet numbers. In order to represent at least twice this range (59,038 packets, or
  // 0xe69e), 16 bits are required. In the same state, sending a packet with a number of
  // 0xace8fe uses the 24-bit encoding, because at least 18 bits are required to represent
  // twice the range (131,222 packets, or 0x020096)."
  vectors(
    [
      { name: 'RFC 9000 A.2: 0xac5c02 after ack of 0xabe8b3 takes 2 bytes', full: 0xac5c02n, acked: 0xabe8b3n, want: '5c 02' },
      { name: 'RFC 9000 A.2: 0xace8fe after ack of 0xabe8b3 takes 3 bytes', full: 0xace8fen, acked: 0xabe8b3n, want: 'ac e8 fe' },
    ],
    (row) => {
      expect(hex(learner.encodePacketNumber(row.full, row.acked))).toBe(row.want);
      expect(learner.packetNumberLength(row.full, row.acked)).toBe(row.want.split(' ').length);
    },
  );

  it('picks lengths right at the edges, with and without an acknowledgment', () => {
    // Nothing acknowledged: full_pn + 1 packet numbers are outstanding.
    expect(learner.packetNumberLength(0n, null)).toBe(1);
    expect(learner.packetNumberLength(127n, null)).toBe(1);
    expect(learner.packetNumberLength(128n, null)).toBe(2);
    // 2^15 outstanding still fit in 2 bytes; one more needs 3.
    expect(learner.packetNumberLength(1000n + 32768n, 1000n)).toBe(2);
    expect(learner.packetNumberLength(1000n + 32769n, 1000n)).toBe(3);
    expect(learner.packetNumberLength(5n + (1n << 31n), 5n)).toBe(4);
    expect(hex(learner.encodePacketNumber(0x1234n, 0x1233n))).toBe('34');
  });

  it('counts packet 0 as outstanding when nothing is acknowledged, up to the limit of 2^31', () => {
    // 32,769 outstanding packet numbers need 17 bits: 3 bytes.
    expect(learner.packetNumberLength(32768n, null)).toBe(3);
    // 2^31 outstanding are the most that 4 bytes cover; one more cannot be encoded.
    expect(learner.packetNumberLength((1n << 31n) - 1n, null)).toBe(4);
    expect(outcome(() => learner.packetNumberLength(1n << 31n, null))).toEqual({ ok: false, error: 'QuicRangeError', code: 'too-many-unacked' });
  });

  it('refuses packet numbers it cannot encode', () => {
    expect(outcome(() => learner.packetNumberLength(-1n, null))).toEqual({ ok: false, error: 'QuicRangeError', code: 'out-of-range' });
    expect(outcome(() => learner.packetNumberLength(MAX + 1n, null))).toEqual({ ok: false, error: 'QuicRangeError', code: 'out-of-range' });
    expect(outcome(() => learner.packetNumberLength(10n, 10n))).toEqual({ ok: false, error: 'QuicRangeError', code: 'pn-not-after-acked' });
    expect(outcome(() => learner.encodePacketNumber(6n + (1n << 31n), 5n))).toEqual({ ok: false, error: 'QuicRangeError', code: 'too-many-unacked' });
  });

  // RFC 9000 Appendix A.3: "if the highest successfully authenticated packet had a packet
  // number of 0xa82f30ea, then a packet containing a 16-bit value of 0x9b32 will be decoded
  // as 0xa82f9b32."
  vectors(
    [{ name: 'RFC 9000 A.3: 0x9b32 (16 bits) after 0xa82f30ea is 0xa82f9b32', largest: 0xa82f30ean, truncated: 0x9b32n, bits: 16 as const, want: 0xa82f9b32n }],
    (row) => {
      expect(learner.decodePacketNumber(row.largest, row.truncated, row.bits)).toBe(row.want);
    },
    2,
  );

  graded('decodes across a window edge, both ways, and with nothing received yet', 2, () => {
    // Expected 0x100: 0x01 is nearer as 0x101 than as 0x001.
    expect(learner.decodePacketNumber(0xffn, 0x01n, 8)).toBe(0x101n);
    // Expected 0x101: 0xff is nearer as 0x0ff than as 0x1ff.
    expect(learner.decodePacketNumber(0x100n, 0xffn, 8)).toBe(0xffn);
    // Expected 0x180: 0x00 is at exactly half a window below (0x100) or above (0x200):
    // the window is (expected − 128, expected + 128], so 0x200.
    expect(learner.decodePacketNumber(0x17fn, 0x00n, 8)).toBe(0x200n);
    expect(learner.decodePacketNumber(null, 0x00n, 8)).toBe(0n);
    expect(learner.decodePacketNumber(null, 0xffffn, 16)).toBe(0xffffn);
    // Near 2^62 no value past the largest packet number is produced.
    expect(learner.decodePacketNumber(MAX - 1n, 0x00n, 8)).toBe(MAX - 0xffn);
    expect(outcome(() => learner.decodePacketNumber(5n, 0x100n, 8))).toEqual({ ok: false, error: 'QuicRangeError', code: 'out-of-range' });
  });

  // RFC 9000 A.3: pn_hwin = pn_win / 2, and the window around expected_pn is
  // (expected − pn_hwin, expected + pn_hwin]. One test per edge, each one value inside it.
  it('keeps a value at the top edge of the window: 0x90 after 0x10f is 0x190', () => {
    // expected 0x110; 0x190 = expected + 0x80 is still inside, so it is not moved down.
    expect(learner.decodePacketNumber(0x10fn, 0x90n, 8)).toBe(0x190n);
    expect(learner.decodePacketNumber(0x10fn, 0x91n, 8)).toBe(0x91n);
  });
  it('keeps a value just above the bottom edge: 0x71 after 0x1ef is 0x171', () => {
    // expected 0x1f0; 0x171 = expected − 0x7f is inside, 0x170 = expected − 0x80 is not.
    expect(learner.decodePacketNumber(0x1efn, 0x71n, 8)).toBe(0x171n);
    expect(learner.decodePacketNumber(0x1efn, 0x70n, 8)).toBe(0x270n);
  });

  graded('a receiver decodes what a sender encoded (generated packet numbers)', 3, () => {
    const arb = fc
      .tuple(fc.bigInt({ min: 0n, max: (1n << 62n) - (1n << 33n) }), fc.bigInt({ min: 1n, max: 1n << 31n }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }))
      .map(([acked, gap, where]) => ({ acked, full: acked + gap, receivedUpTo: acked + BigInt(Math.floor(Number(gap) * where)) }))
      .filter((c) => c.receivedUpTo < c.full);
    forAll(arb, ({ acked, full, receivedUpTo }) => {
      const bytes = learner.encodePacketNumber(full, acked);
      expect(hex(bytes)).toBe(hex(reference.encodePacketNumber(full, acked)));
      let truncated = 0n;
      for (const b of bytes) truncated = (truncated << 8n) | BigInt(b);
      const bits = (bytes.length * 8) as 8 | 16 | 24 | 32;
      expect(learner.decodePacketNumber(receivedUpTo, truncated, bits)).toBe(full);
    }, 200);
  });

  it('agrees with the reference on generated (largest, truncated, bits)', () => {
    const arb = fc.tuple(
      fc.option(fc.oneof(fc.bigInt({ min: 0n, max: 1n << 20n }), fc.bigInt({ min: 0n, max: MAX })), { nil: null }),
      fc.constantFrom(8 as const, 16 as const, 24 as const, 32 as const),
      fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
    );
    forAll(arb, ([largest, bits, raw]) => {
      const truncated = raw & ((1n << BigInt(bits)) - 1n);
      expect(outcome(() => learner.decodePacketNumber(largest, truncated, bits))).toEqual(outcome(() => reference.decodePacketNumber(largest, truncated, bits)));
    }, 300);
  });
});

// ---- Task 3 -------------------------------------------------------------------------------

/** A datagram: `header` hex, then zeros up to `size` bytes (stand-ins for protected bytes). */
function datagram(header: string, size: number): Uint8Array {
  const h = fromHex(header);
  const out = new Uint8Array(Math.max(size, h.length));
  out.set(h);
  return out;
}

interface HeaderFields {
  first: number;
  version: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  token: Uint8Array;
  tokenLenBytes: 1 | 2 | 4 | 8;
  length: number;
  lengthBytes: 1 | 2 | 4 | 8;
  extra: number;
}

/** Build a long header the way the RFC lays it out (with the reference's varints) plus a body. */
function build(f: HeaderFields): Uint8Array {
  const v = f.version >>> 0;
  const tl = reference.encodeVarint(BigInt(f.token.length), Math.max(f.tokenLenBytes, reference.varintLength(BigInt(f.token.length))) as 1 | 2 | 4 | 8);
  const ll = reference.encodeVarint(BigInt(f.length), Math.max(f.lengthBytes, reference.varintLength(BigInt(f.length))) as 1 | 2 | 4 | 8);
  const parts = [
    Uint8Array.of(f.first, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff, f.dcid.length),
    f.dcid, Uint8Array.of(f.scid.length), f.scid, tl, f.token, ll, new Uint8Array(Math.max(0, f.length + f.extra)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const arbFields: fc.Arbitrary<HeaderFields> = fc.record({
  first: fc.oneof(fc.integer({ min: 0xc0, max: 0xcf }), fc.integer({ min: 0x80, max: 0x8f }), fc.integer({ min: 0, max: 255 })),
  version: fc.oneof(fc.constant(1), fc.constant(1), fc.constant(0), fc.constant(0x6b3343cf), fc.integer({ min: 0, max: 0xffffffff })),
  dcid: fc.uint8Array({ maxLength: 21 }),
  scid: fc.uint8Array({ maxLength: 21 }),
  token: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 80 })),
  tokenLenBytes: fc.constantFrom(1 as const, 2 as const, 4 as const),
  length: fc.integer({ min: 0, max: 300 }),
  lengthBytes: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
  extra: fc.integer({ min: -3, max: 3 }),
});

task('initial-header', () => {
  vectors(
    [
      {
        // RFC 9001 Appendix A.2, the protected client Initial: first byte 0xc0 (low bits are
        // under header protection), DCID 8394c8f03e515708, no SCID, no token, Length 0x449e.
        name: 'RFC 9001 A.2: the client Initial',
        bytes: datagram('c0 00000001 08 8394c8f03e515708 00 00 449e 7b9aec34', 1200),
        want: { fixedBit: true, version: 1, dcid: '83 94 c8 f0 3e 51 57 08', scid: '', token: '', length: 1182, pnOffset: 18, packetEnd: 1200 },
      },
      {
        // RFC 9001 Appendix A.3, the protected server Initial: 135 bytes in all.
        name: 'RFC 9001 A.3: the server Initial',
        bytes: datagram('cf 00000001 00 08 f067a5502a4262b5 00 4075 c0d9', 135),
        want: { fixedBit: true, version: 1, dcid: '', scid: 'f0 67 a5 50 2a 42 62 b5', token: '', length: 117, pnOffset: 18, packetEnd: 135 },
      },
      {
        // Captured on loopback from ngtcp2's client (the peer test shows how): an 18-byte
        // DCID, a 17-byte SCID, and a Length written as a 4-byte varint though 2 would do.
        name: "ngtcp2's first client Initial (captured)",
        bytes: datagram('cf 00000001 12 35fc93ad39f1aaca9454ad4a9c46b82e8fc5 11 2b1677179668ce9b1ce18b396ff183d285 00 80000481 04ac8940', 1200),
        want: {
          fixedBit: true, version: 1, dcid: '35 fc 93 ad 39 f1 aa ca 94 54 ad 4a 9c 46 b8 2e 8f c5',
          scid: '2b 16 77 17 96 68 ce 9b 1c e1 8b 39 6f f1 83 d2 85', token: '', length: 1153, pnOffset: 47, packetEnd: 1200,
        },
      },
    ],
    (row) => {
      const h = learner.parseInitialHeader(row.bytes);
      expect({ ...h, dcid: hex(h.dcid), scid: hex(h.scid), token: hex(h.token) }).toEqual(row.want);
    },
  );

  it('reads a token, and a packet that leaves room for a coalesced one after it', () => {
    const bytes = datagram('c3 00000001 04 0a0b0c0d 02 e0e1 05 746f6b656e 0a 00', 40);
    const h = learner.parseInitialHeader(bytes);
    expect({ ...h, dcid: hex(h.dcid), scid: hex(h.scid), token: hex(h.token) }).toEqual({
      fixedBit: true, version: 1, dcid: '0a 0b 0c 0d', scid: 'e0 e1', token: '74 6f 6b 65 6e', length: 10, pnOffset: 20, packetEnd: 30,
    });
  });

  it('reports a cleared fixed bit instead of rejecting the packet', () => {
    const h = learner.parseInitialHeader(datagram('80 00000001 08 8394c8f03e515708 00 00 449e', 1200));
    expect(h.fixedBit).toBe(false);
    expect(h.length).toBe(1182);
  });

  graded('says which kind of packet it was given when it is not an Initial', 3, () => {
    const err = (code: string) => ({ ok: false, error: 'QuicParseError', code });
    // RFC 9001 A.4: a Retry (long packet type 3).
    expect(outcome(() => learner.parseInitialHeader(fromHex('ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba')))).toEqual(err('not-initial'));
    // A Handshake packet (type 2) and a 0-RTT packet (type 1).
    expect(outcome(() => learner.parseInitialHeader(datagram('e0 00000001 00 00 10', 40)))).toEqual(err('not-initial'));
    expect(outcome(() => learner.parseInitialHeader(datagram('d0 00000001 00 00 10', 40)))).toEqual(err('not-initial'));
    // A short header (RFC 9001 A.5's ChaCha20 example starts 0x4c).
    expect(outcome(() => learner.parseInitialHeader(fromHex('4cfe4189655e5cd55c41f69080575d7999c25a5bfb')))).toEqual(err('not-long-header'));
    // Version Negotiation, and QUIC version 2 (RFC 9369, whose Initial type bits are 01).
    expect(outcome(() => learner.parseInitialHeader(datagram('c0 00000000 00 00 00000001', 20)))).toEqual(err('version-negotiation'));
    expect(outcome(() => learner.parseInitialHeader(datagram('d0 6b3343cf 00 00 00 10', 40)))).toEqual(err('unsupported-version'));
    // A 21-byte connection ID.
    expect(outcome(() => learner.parseInitialHeader(datagram(`c0 00000001 15 ${'ab'.repeat(21)} 00 00 10`, 60)))).toEqual(err('cid-too-long'));
    expect(outcome(() => learner.parseInitialHeader(datagram(`c0 00000001 00 15 ${'ab'.repeat(21)} 00 10`, 60)))).toEqual(err('cid-too-long'));
  });

  it('takes connection IDs of exactly 20 bytes, the most version 1 allows, and refuses 21', () => {
    const header = learner.parseInitialHeader(datagram(`c0 00000001 14 ${'ab'.repeat(20)} 14 ${'cd'.repeat(20)} 00 10`, 80));
    expect([header.dcid.length, header.scid.length]).toEqual([20, 20]);
    expect(outcome(() => learner.parseInitialHeader(datagram(`c0 00000001 14 ${'ab'.repeat(20)} 15 ${'cd'.repeat(21)} 00 10`, 80))))
      .toEqual({ ok: false, error: 'QuicParseError', code: 'cid-too-long' });
  });

  graded('every prefix of a header is "truncated", never a read past the end', 3, () => {
    // A 64-byte token (its length a 2-byte varint), then Length 10 as a 2-byte varint.
    const whole = datagram('c3 00000001 04 0a0b0c0d 02 e0e1 4040 ' + '5a'.repeat(64) + ' 400a', 91);
    expect(learner.parseInitialHeader(whole).packetEnd).toBe(91);
    for (let n = 0; n < whole.length; n++) {
      const cut = whole.slice(0, n);
      expect(outcome(() => learner.parseInitialHeader(cut)), `first ${n} bytes`).toEqual({ ok: false, error: 'QuicParseError', code: 'truncated' });
    }
  });

  graded('agrees with the reference on generated headers', 3, () => {
    forAll(arbFields, (f) => {
      const bytes = build(f);
      expect(outcome(() => learner.parseInitialHeader(bytes))).toEqual(outcome(() => reference.parseInitialHeader(bytes)));
    }, 300);
  });

  graded('agrees with the reference on damaged Initials (bytes changed, cut short)', 3, () => {
    const arb = fc.tuple(
      arbFields.map((f) => ({ ...f, first: 0xc0 | (f.first & 0x0f), version: 1 })),
      fc.array(fc.tuple(fc.nat(60), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
      fc.option(fc.nat(80), { nil: undefined }),
    );
    forAll(arb, ([f, edits, cut]) => {
      const bytes = build(f);
      for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
      const damaged = cut === undefined ? bytes : bytes.slice(0, cut);
      expect(outcome(() => learner.parseInitialHeader(damaged))).toEqual(outcome(() => reference.parseInitialHeader(damaged)));
    }, 400);
  });
});
