import { describe, expect, it } from 'vitest';
import { describeLadder, layoutLadder, type LadderInput } from '../../src/components/rtmp/ladder-layout';

const handshake: LadderInput = {
  left: 'Client',
  right: 'Server',
  max: 100,
  tick: 25,
  messages: [
    { from: 'left', label: 'C0 + C1', send: 0, arrive: 25 },
    { from: 'right', label: 'S0 + S1 + S2', send: 25, arrive: 50, dashed: true },
    { from: 'left', label: 'C2', send: 50, arrive: 75 },
  ],
  marks: [{ side: 'right', at: 25, text: 'reads 1,537 bytes' }],
};

describe('ladder layout', () => {
  it('draws each message from its sender at the send time to the receiver at the arrival time', () => {
    const L = layoutLadder(handshake, 4);
    const [c01, s012, c2] = L.arrows;
    expect(c01!.x1).toBe(L.lifelines.left);
    expect(c01!.x2).toBe(L.lifelines.right);
    expect(s012!.x1).toBe(L.lifelines.right);
    expect(s012!.x2).toBe(L.lifelines.left);
    // 4 px per unit: 25 units apart is 100 px, and a reply leaves where the request arrived.
    expect(c01!.y2 - c01!.y1).toBe(100);
    expect(s012!.y1).toBe(c01!.y2);
    expect(c2!.y1).toBe(s012!.y2);
    expect(s012!.dashed).toBe(true);
    expect(L.ticks.map((t) => t.label.text)).toEqual(['0 ms', '25 ms', '50 ms', '75 ms', '100 ms']);
    expect(L.height).toBeGreaterThan(c2!.y2);
  });

  it('labels each arrow beside its sender, on the sender side of the diagram', () => {
    const L = layoutLadder(handshake, 4);
    expect(L.arrows[0]!.label.anchor).toBe('start');
    expect(L.arrows[0]!.label.x).toBeGreaterThan(L.lifelines.left);
    expect(L.arrows[1]!.label.anchor).toBe('end');
    expect(L.arrows[1]!.label.x).toBeLessThan(L.lifelines.right);
    expect(L.marks[0]!.label.x).toBeGreaterThan(L.lifelines.right);
  });

  it('refuses a message that arrives before it is sent, or after the end', () => {
    const back = { ...handshake, messages: [{ from: 'left' as const, label: 'x', send: 30, arrive: 20 }] };
    expect(() => layoutLadder(back)).toThrow(/must arrive after/);
    const late = { ...handshake, messages: [{ from: 'left' as const, label: 'x', send: 90, arrive: 120 }] };
    expect(() => layoutLadder(late)).toThrow(/within/);
  });

  it('refuses labels that would overlap', () => {
    const crowded = {
      ...handshake,
      messages: [
        { from: 'left' as const, label: 'C0', send: 0, arrive: 25 },
        { from: 'left' as const, label: 'C1', send: 1, arrive: 26 },
      ],
    };
    expect(() => layoutLadder(crowded, 4)).toThrow(/overlaps/);
  });

  it('describes the exchange in words, in order of sending', () => {
    expect(describeLadder(handshake)).toBe(
      'Client sends C0 + C1 at 0 ms, arriving at 25 ms. Server sends S0 + S1 + S2 at 25 ms, arriving at 50 ms. ' +
        'Client sends C2 at 50 ms, arriving at 75 ms. At 25 ms, Server: reads 1,537 bytes.',
    );
  });
});
