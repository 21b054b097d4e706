import { describe, expect, it } from 'vitest';
import {
  computeHol,
  costSentence,
  DEFAULT_SCENARIO,
  describeHol,
  heldFrames,
  HOL_NARROW,
  HOL_WIDE,
  HolInputError,
  layoutHol,
  textWidth,
  type Box,
} from '../../src/components/quic/hol-layout.ts';

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('head-of-line blocking model', () => {
  const m = computeHol();

  it('declares the loss when the third later packet is acknowledged, one RTT after it was sent', () => {
    // Packet 2 (index 1) is lost; packet 5 leaves at 4 ms and its ACK is back at 104 ms.
    expect(m.detectedMs).toBe(104);
    expect(m.retransmitArrivesMs).toBe(154);
    expect(m.frames.map((f) => f.arrivesMs)).toEqual([50, 51, 52, 53, 54, 55]);
    expect(m.lateMs).toBe(103);
    // RFC 9002's time threshold (9/8 RTT after sending: 113.5 ms) has not fired yet.
    expect(1 + (9 / 8) * 100).toBeGreaterThan(m.detectedMs);
  });

  it('names each frame by its stream and place in it', () => {
    expect(m.frames.map((f) => f.name)).toEqual(['A1', 'B1', 'C1', 'A2', 'B2', 'C2']);
  });

  it('holds every byte after the hole in TCP', () => {
    expect(m.tcp.map((d) => d.deliveredMs)).toEqual([50, 154, 154, 154, 154, 154]);
    expect(heldFrames(m.tcp).map((d) => [d.name, d.heldMs])).toEqual([
      ['C1', 102],
      ['A2', 101],
      ['B2', 100],
      ['C2', 99],
    ]);
  });

  it('holds only the lost stream in QUIC', () => {
    expect(m.quic.map((d) => d.deliveredMs)).toEqual([50, 154, 52, 53, 154, 55]);
    expect(heldFrames(m.quic).map((d) => d.name)).toEqual(['B2']);
  });

  it('never delivers a frame before it arrived, nor out of order within a stream', () => {
    for (const d of [...m.tcp, ...m.quic]) expect(d.deliveredMs).toBeGreaterThanOrEqual(d.receivedMs);
    for (const list of [m.tcp, m.quic]) {
      for (const st of ['A', 'B', 'C']) {
        const t = list.filter((d) => d.stream === st).map((d) => d.deliveredMs);
        expect(t).toEqual([...t].sort((a, b) => a - b));
      }
    }
  });

  it('says what it costs, in the caption and the description', () => {
    expect(costSentence(m)).toBe(
      "At an RTT of 100 ms, the data of the other streams waits 99–102 ms in TCP's receive buffer, a round trip, and 0 ms in QUIC; only stream B waits for its lost frame.",
    );
    expect(describeHol(m)).toMatch(/Packet 2, carrying B1, is lost; its data arrives again at 154 ms, 103 ms late/);
    expect(describeHol(m)).toMatch(/QUIC: A1 arrives at 50 ms, delivered at once/);
  });

  it('refuses scenarios the picture would misdescribe', () => {
    // Packets 10 ms apart: RFC 9002's time threshold would fire first (at 122.5 ms, before 140).
    expect(() => computeHol({ ...DEFAULT_SCENARIO, spacingMs: 10 })).toThrow(HolInputError);
    expect(() => computeHol({ ...DEFAULT_SCENARIO, lost: 3 })).toThrow(/fewer than 3 packets follow/);
    expect(() => computeHol({ ...DEFAULT_SCENARIO, rttMs: 0 })).toThrow(HolInputError);
  });
});

describe('head-of-line blocking layout', () => {
  const m = computeHol();
  for (const [name, frame] of [['wide', HOL_WIDE], ['narrow', HOL_NARROW]] as const) {
    const L = layoutHol(m, frame);
    const cells = L.panels.flatMap((p) => p.lanes.flatMap((l) => l.cells));

    it(`keeps every box, band and label inside the ${name} drawing`, () => {
      for (const c of cells) {
        expect(c.x).toBeGreaterThanOrEqual(0);
        expect(c.x + c.w).toBeLessThanOrEqual(L.width);
        expect(c.y + c.h).toBeLessThanOrEqual(L.axis.y);
        expect(textWidth(c.text, frame.smallCharWidth), `${c.text} fits its box`).toBeLessThanOrEqual(c.w - 2);
      }
      for (const p of L.panels) {
        expect(textWidth(p.title.text, frame.boldCharWidth)).toBeLessThanOrEqual(L.width - 2 * frame.margin);
        for (const lane of p.lanes) {
          expect(textWidth(lane.label.text, frame.boldCharWidth), lane.label.text).toBeLessThanOrEqual(frame.labelW - 4);
        }
      }
      expect(L.axis.title.y).toBeLessThanOrEqual(L.height);
    });

    it(`puts no two boxes of the ${name} drawing on top of each other`, () => {
      for (let i = 0; i < cells.length; i++) for (let j = i + 1; j < cells.length; j++) expect(overlaps(cells[i]!, cells[j]!), `${cells[i]!.text} / ${cells[j]!.text}`).toBe(false);
    });

    it(`fits each band's label between the last waiting box and the arrow (${name})`, () => {
      for (const p of L.panels) {
        for (const lane of p.lanes) {
          for (const b of lane.bands) {
            const w = textWidth(b.label!.text, frame.smallCharWidth);
            const boxesInBand = lane.cells.filter((c) => c.kind === 'held');
            for (const c of boxesInBand) expect(b.label!.x - w / 2).toBeGreaterThanOrEqual(c.x + c.w);
            expect(b.label!.x + w / 2).toBeLessThanOrEqual(b.x + b.w);
          }
        }
      }
    });

    it(`draws what the model says (${name})`, () => {
      const [tcp, quic] = L.panels;
      expect(tcp!.transport).toBe('tcp');
      // TCP: a band in every stream's lane; QUIC: only in the lost stream's.
      expect(tcp!.lanes.slice(1).map((l) => l.bands.length)).toEqual([1, 1, 1]);
      expect(quic!.lanes.slice(1).map((l) => l.bands.length)).toEqual([0, 1, 0]);
      expect(quic!.lanes[2]!.cells.map((c) => `${c.text}:${c.kind}`)).toEqual(['B1:lost', 'B1:late', 'B2:held']);
      expect(quic!.lanes[1]!.cells.map((c) => c.kind)).toEqual(['delivered', 'delivered']);
      expect(tcp!.lanes[0]!.cells.at(-1)!.text).toBe(frame.long ? '2 again' : '2');
      expect(quic!.lanes[0]!.cells.at(-1)!.text).toBe('7');
      expect(L.axis.ticks.map((t) => t.label)).toEqual(['50', '51', '52', '53', '54', '55', '154']);
      // Columns go left to right, the retransmission's after the break.
      for (let i = 1; i < L.columns.length; i++) expect(L.columns[i]!).toBeGreaterThan(L.columns[i - 1]!);
      expect(L.columns.at(-1)!).toBeGreaterThan(L.gap.x2);
    });
  }

  it('refuses a frame too narrow for the columns', () => {
    expect(() => layoutHol(m, { ...HOL_NARROW, width: 280 })).toThrow(HolInputError);
  });
});
