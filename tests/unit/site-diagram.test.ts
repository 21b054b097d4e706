import { describe, expect, it } from 'vitest';
import {
  describeSequence,
  layoutSequence,
  METRICS,
  SequenceInputError,
  sequenceId,
  textWidth,
  type SequenceInput,
} from '../../src/components/sequence-layout.ts';

const resolution: SequenceInput = {
  actors: ['stub', { id: 'rec', label: 'Recursive\nresolver' }, 'root', 'auth'],
  messages: [
    { from: 'stub', to: 'rec', label: 'www.example.com A?', note: 'RD=1' },
    { from: 'rec', to: 'rec', label: 'cache: nothing' },
    { from: 'rec', to: 'root', label: 'www.example.com A?', lost: true },
    { from: 'rec', to: 'auth', label: 'www.example.com A?' },
    { from: 'auth', to: 'rec', label: 'A 192.0.2.10', dashed: true },
    { from: 'rec', to: 'stub', label: 'A 192.0.2.10', dashed: true },
  ],
  notes: [
    { after: 2, gap: true, text: 'timeout' },
    { after: 5, over: 'rec', text: 'cached for\nits TTL' },
  ],
};

/** The y of a straight message's line, from its path "M<x> <y>H<x>". */
const lineY = (path: string) => Number(/^M[\d.]+ ([\d.]+)/.exec(path)![1]);
const pathXs = (path: string) => [...path.matchAll(/[MH]([\d.]+)/g)].map((m) => Number(m[1]));

describe('sequence diagram layout', () => {
  const L = layoutSequence(resolution);
  const x = Object.fromEntries(L.actors.map((a) => [a.id, a.x]));

  it('places actors left to right inside the drawing', () => {
    expect(L.actors.map((a) => a.id)).toEqual(['stub', 'rec', 'root', 'auth']);
    for (let i = 1; i < L.actors.length; i++) expect(L.actors[i]!.x).toBeGreaterThan(L.actors[i - 1]!.x);
    for (const a of L.actors) {
      expect(a.box.x).toBeGreaterThanOrEqual(0);
      expect(a.box.x + a.box.w).toBeLessThanOrEqual(L.width);
    }
    expect(L.actors[1]!.lines).toEqual(['Recursive', 'resolver']);
  });

  it('keeps neighbouring actor boxes apart', () => {
    for (let i = 1; i < L.actors.length; i++) {
      const a = L.actors[i - 1]!.box;
      const b = L.actors[i]!.box;
      expect(b.x).toBeGreaterThan(a.x + a.w);
    }
  });

  it('stacks messages downwards without overlap', () => {
    const ys = L.messages.map((m) => lineY(m.path));
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeGreaterThan(ys[i - 1]! + 20);
    expect(Math.max(...ys)).toBeLessThan(L.height);
  });

  it('points arrowheads at the receiver', () => {
    const m0 = L.messages[0]!;
    expect(m0.kind).toBe('arrow');
    const tip = m0.head!.split(' ')[0]!.split(',').map(Number);
    expect(tip[0]).toBe(x.rec);
    expect(tip[1]).toBe(lineY(m0.path));
    const back = L.messages[5]!;
    expect(back.dashed).toBe(true);
    expect(Number(back.head!.split(' ')[0]!.split(',')[0])).toBe(x.stub);
  });

  it('gives every label room above its arrow', () => {
    for (const [i, m] of resolution.messages.entries()) {
      if (m.from === m.to) continue;
      const span = Math.abs(x[m.to]! - x[m.from]!);
      expect(span, m.label).toBeGreaterThanOrEqual(textWidth(m.label) + METRICS.labelPad - 1);
      expect(L.messages[i]!.label.y).toBeLessThan(lineY(L.messages[i]!.path));
    }
  });

  it('draws a self-message as a loop back to the same lifeline', () => {
    const self = L.messages[1]!;
    expect(self.kind).toBe('self');
    const xs = pathXs(self.path);
    expect(xs[0]).toBe(x.rec);
    expect(Math.max(...xs)).toBeGreaterThan(x.rec!);
    expect(Number(self.head!.split(' ')[0]!.split(',')[0])).toBe(x.rec);
    // Its label stays left of the next lifeline.
    expect(self.label.x + textWidth(self.label.text)).toBeLessThan(x.root!);
  });

  it('ends a lost message with an X partway, without an arrowhead', () => {
    const lost = L.messages[2]!;
    expect(lost.kind).toBe('lost');
    expect(lost.head).toBeUndefined();
    expect(lost.cross).toBeDefined();
    expect(lost.cross!.x).toBeGreaterThan(x.rec!);
    expect(lost.cross!.x).toBeLessThan(x.root!);
    expect(Math.max(...pathXs(lost.path))).toBe(lost.cross!.x);
  });

  it('turns lifelines dotted across a time gap', () => {
    for (const life of L.lifelines) {
      const dotted = life.segments.filter((s) => s.dotted);
      expect(dotted).toHaveLength(1);
      // The gap sits between the lost message and the next one.
      expect(dotted[0]!.y1).toBeGreaterThan(lineY(L.messages[2]!.path));
      expect(dotted[0]!.y2).toBeLessThan(lineY(L.messages[3]!.path));
      // Segments are contiguous from the boxes to the bottom.
      for (let i = 1; i < life.segments.length; i++) expect(life.segments[i]!.y1).toBe(life.segments[i - 1]!.y2);
    }
    expect(L.notes[0]!.gap).toBe(true);
    expect(L.notes[0]!.lines[0]!.text).toBe('timeout');
  });

  it('centres a note over its actor, one line per "\\n"', () => {
    const note = L.notes[1]!;
    expect(note.gap).toBe(false);
    expect(note.lines.map((l) => l.text)).toEqual(['cached for', 'its TTL']);
    expect(note.box!.x + note.box!.w / 2).toBeCloseTo(x.rec!, 0);
    expect(note.box!.y).toBeGreaterThan(lineY(L.messages[5]!.path));
    expect(note.box!.y + note.box!.h).toBeLessThanOrEqual(L.height);
  });

  it('is deterministic', () => {
    expect(layoutSequence(resolution)).toEqual(L);
    expect(sequenceId(resolution, 't')).toBe(sequenceId(resolution, 't'));
    expect(sequenceId(resolution, 't')).not.toBe(sequenceId(resolution, 'u'));
  });
});

describe('sequence diagram input errors', () => {
  it('names the message and the unknown actor', () => {
    expect(() => layoutSequence({ actors: ['a', 'b'], messages: [{ from: 'a', to: 'c', label: 'hello' }] })).toThrow(
      new SequenceInputError('messages[0] ("hello"): unknown actor "c" (actors: a, b)'),
    );
  });

  it('rejects duplicate actors, bad note positions and lost self-messages', () => {
    expect(() => layoutSequence({ actors: ['a', 'a'], messages: [] })).toThrow(/actor "a" is listed twice/);
    expect(() => layoutSequence({ actors: ['a'], messages: [], notes: [{ after: 0, text: 'x' }] })).toThrow(/notes\[0\]: after must be/);
    expect(() => layoutSequence({ actors: ['a'], messages: [{ from: 'a', to: 'a', label: 'x', lost: true }] })).toThrow(/self-message cannot be lost/);
    expect(() => layoutSequence({ actors: [], messages: [] })).toThrow(/at least one actor/);
  });
});

describe('sequence diagram description', () => {
  it('tells the steps in order, in words', () => {
    const d = describeSequence(resolution);
    expect(d).toMatch(/^Participants: stub, Recursive resolver, root, auth\./);
    expect(d).toContain('1. stub to Recursive resolver: www.example.com A? (RD=1).');
    expect(d).toContain('2. Recursive resolver to itself: cache: nothing.');
    expect(d).toContain('3. Recursive resolver to root: www.example.com A? (lost on the way). (timeout)');
    expect(d).toContain('(cached for its TTL)');
  });
});
