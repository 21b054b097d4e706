import { describe, expect, it } from 'vitest';
import {
  checkSpec,
  describeHeader,
  firstByteMask,
  HEADER_NARROW,
  HEADER_WIDE,
  HeaderInputError,
  HEADERS,
  layoutHeaders,
  LONG_INITIAL,
  SHORT_1RTT,
  type TextAt,
} from '../../src/components/quic/header-layout.ts';

/** The start of the Initial that the chapter dumps (ngtcp2's client, on loopback). */
const CAPTURE = Buffer.from(
  'cf00000001' + '12' + '35fc93ad39f1aaca9454ad4a9c46b82e8fc5' + '11' + '2b16771796' + '68ce9b1ce18b396ff183d285' + '00' + '80000481' + '04ac8940',
  'hex',
);

describe('the header data', () => {
  it('gives each first byte eight bits, in RFC 9000 order', () => {
    for (const h of HEADERS) expect(() => checkSpec(h)).not.toThrow();
    expect(LONG_INITIAL.firstByte.map((f) => f.bits)).toEqual([1, 1, 2, 2, 2]);
    expect(LONG_INITIAL.firstByte.map((f) => f.cells).join('')).toBe('1100RRPP');
    expect(SHORT_1RTT.firstByte.map((f) => f.bits)).toEqual([1, 1, 1, 2, 1, 2]);
    expect(SHORT_1RTT.firstByte.map((f) => f.cells).join('')).toBe('01SRRKPP');
  });

  it('masks the low 4 bits of a long header and the low 5 of a short one (RFC 9001 §5.4.1)', () => {
    expect(firstByteMask(LONG_INITIAL)).toBe(0x0f);
    expect(firstByteMask(SHORT_1RTT)).toBe(0x1f);
    for (const h of HEADERS) {
      expect(h.fields.find((f) => f.label.startsWith('Packet Number'))!.protection).toBe('header');
      expect(h.fields.at(-1)!.protection).toBe('aead');
      expect(h.fields.filter((f) => f.protection === 'header')).toHaveLength(1);
    }
  });

  it('agrees with the captured Initial, offset by offset', () => {
    const first = CAPTURE[0]!;
    expect(first & 0x80).toBe(0x80); // long header
    expect(first & 0x40).toBe(0x40); // fixed bit
    expect((first & 0x30) >> 4).toBe(0); // Initial
    const fields = Object.fromEntries(LONG_INITIAL.fields.map((f) => [f.label.replace(/ \(.*$/, ''), f]));
    const hex = (off: number, n: number) => [...CAPTURE.subarray(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    expect(fields['Version']!.offset).toBe(1);
    expect(fields['Version']!.detail).toBe(hex(1, 4));
    const dcidLen = CAPTURE[5]!;
    expect(fields['DCID Length']!.detail).toBe(`${hex(5, 1)} = ${dcidLen}`);
    expect(fields['Destination Connection ID']!.offset).toBe(6);
    expect(fields['Destination Connection ID']!.detail).toBe(`${hex(6, 2)} … ${hex(6 + dcidLen - 2, 2)}`);
    const scidAt = 6 + dcidLen;
    expect(fields['SCID Length']!.offset).toBe(scidAt);
    const scidLen = CAPTURE[scidAt]!;
    expect(fields['SCID Length']!.detail).toBe(`${hex(scidAt, 1)} = ${scidLen}`);
    expect(fields['Source Connection ID']!.offset).toBe(scidAt + 1);
    expect(fields['Source Connection ID']!.detail).toBe(`${hex(scidAt + 1, 2)} … ${hex(scidAt + scidLen - 1, 2)}`);
    const tokenAt = scidAt + 1 + scidLen;
    expect(fields['Token Length']!.offset).toBe(tokenAt);
    expect(CAPTURE[tokenAt]).toBe(0);
    // Length: a 4-byte varint (prefix 10).
    expect(fields['Length']!.offset).toBe(tokenAt + 1);
    expect(CAPTURE[tokenAt + 1]! >> 6).toBe(2);
    const length = CAPTURE.readUInt32BE(tokenAt + 1) & 0x3fffffff;
    expect(fields['Length']!.detail).toBe(`${hex(tokenAt + 1, 4)} = ${length.toLocaleString('en-US')}`);
    expect(fields['Packet Number']!.offset).toBe(tokenAt + 5);
    // 47 header bytes and 1,153 more: the 1,200-byte datagram.
    expect(tokenAt + 5 + length).toBe(1200);
  });

  it('describes each header in words', () => {
    expect(describeHeader(LONG_INITIAL)).toMatch(/Header Form \(1 bit\) = 1; Fixed Bit \(1 bit\) = 1; Long Packet Type \(2 bits\) = 00; Reserved Bits \(2 bits\), masked/);
    expect(describeHeader(LONG_INITIAL)).toMatch(/mask 0x0f/);
    expect(describeHeader(SHORT_1RTT)).toMatch(/Spin Bit \(1 bit\); Reserved Bits \(2 bits\), masked; Key Phase \(1 bit\), masked/);
    expect(describeHeader(SHORT_1RTT)).toMatch(/mask 0x1f/);
  });

  it('rejects a first byte that is not eight bits', () => {
    const bad = { ...SHORT_1RTT, firstByte: SHORT_1RTT.firstByte.slice(1) };
    expect(() => checkSpec(bad)).toThrow(HeaderInputError);
    const cells = { ...SHORT_1RTT, firstByte: [{ ...SHORT_1RTT.firstByte[0]!, cells: '00' }, ...SHORT_1RTT.firstByte.slice(1)] };
    expect(() => checkSpec(cells)).toThrow(/2 cells for 1 bits/);
  });
});

const spans = (t: TextAt) => {
  const x1 = t.anchor === 'start' ? t.x : t.anchor === 'middle' ? t.x - t.w / 2 : t.x - t.w;
  return { x1, x2: x1 + t.w };
};

describe('the header layout', () => {
  for (const [name, frame] of [['wide', HEADER_WIDE], ['narrow', HEADER_NARROW]] as const) {
    const L = layoutHeaders(frame);

    it(`keeps every box and text inside the ${name} drawing`, () => {
      for (const h of L.headers) {
        const texts = [h.title, h.mask.label, ...h.notes, ...h.bitLabels.flat(), ...h.boxes.flatMap((b) => [b.label, ...(b.detail ? [b.detail] : []), ...(b.offset ? [b.offset] : [])])];
        for (const t of texts) {
          const s = spans(t);
          expect(s.x1, t.text).toBeGreaterThanOrEqual(0);
          expect(s.x2, t.text).toBeLessThanOrEqual(L.width);
          expect(t.y, t.text).toBeLessThanOrEqual(L.height);
        }
        for (const b of h.boxes) {
          expect(b.x).toBeGreaterThanOrEqual(0);
          expect(b.x + b.w).toBeLessThanOrEqual(L.width - frame.margin + 0.1);
          for (const t of [b.label, b.detail].filter((x) => x !== undefined)) expect(t.x + t.w, t.text).toBeLessThanOrEqual(b.x + b.w - 2);
        }
      }
      expect(L.headers.at(-1)!.bottom).toBeLessThanOrEqual(L.height);
    });

    it(`keeps the bit labels apart, each under its own bits (${name})`, () => {
      for (const h of L.headers) {
        const depth = Math.max(...h.bitLabels.map((l) => l.length));
        for (let line = 0; line < depth; line++) {
          const row = h.bitLabels.map((l) => l[line]).filter((t) => t !== undefined).map(spans);
          for (let i = 1; i < row.length; i++) expect(row[i]!.x1, `line ${line}`).toBeGreaterThanOrEqual(row[i - 1]!.x2 + 1);
        }
        expect(h.cells).toHaveLength(8);
        expect(h.cells.map((c) => c.protection === 'header')).toEqual([...Array(8).keys()].map((i) => ((h.id === 'long' ? 0x0f : 0x1f) >> (7 - i)) & 1 ? true : false));
        // The bracket spans exactly the masked cells.
        const masked = h.cells.filter((c) => c.protection === 'header');
        expect(h.mask.x1).toBe(masked[0]!.x);
        expect(h.mask.x2).toBe(masked.at(-1)!.x + masked.at(-1)!.w);
      }
    });

    it(`flows the fields in order, in rows that do not overlap (${name})`, () => {
      for (const [i, h] of L.headers.entries()) {
        expect(h.boxes.map((b) => b.label.text)).toEqual(HEADERS[i]!.fields.map((f) => f.label));
        for (let j = 1; j < h.boxes.length; j++) {
          const a = h.boxes[j - 1]!;
          const b = h.boxes[j]!;
          if (b.y === a.y) expect(b.x).toBeGreaterThan(a.x + a.w);
          else expect(b.y).toBeGreaterThanOrEqual(a.y + a.h);
        }
        expect(h.boxes[0]!.y).toBeGreaterThan(Math.max(...h.bitLabels.flat().map((t) => t.y)));
      }
      expect(L.headers[1]!.top).toBeGreaterThan(L.headers[0]!.boxes.at(-1)!.y + L.headers[0]!.boxes.at(-1)!.h);
    });
  }

  it('refuses a frame too narrow for the longest field', () => {
    expect(() => layoutHeaders({ ...HEADER_NARROW, width: 240 })).toThrow(HeaderInputError);
  });
});
