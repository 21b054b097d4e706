/**
 * Layout of a message sequence diagram: a pure function from actors, messages and notes to
 * positions in SVG user units. SequenceDiagram.astro draws the result at build time.
 *
 * Rows go top to bottom in this order: the actor boxes, then one row per message, with each
 * note placed after the message it follows (`after: i`; `after: -1` puts it before the first).
 * Text widths are estimated from character counts (there is no font at build time), with
 * generous per-character widths so labels do not collide in common sans-serif fonts.
 */

export type ActorInput = string | { id: string; label?: string };

export interface MessageInput {
  from: string;
  to: string;
  label: string;
  /** A second, smaller line under the arrow (sizes, timers, flags). */
  note?: string;
  /** Dashed line: a reply, by convention. */
  dashed?: boolean;
  /** The message is lost on the way: the line stops partway with an X. */
  lost?: boolean;
}

export interface NoteInput {
  /** Index of the message this note follows; -1 places it before the first message. */
  after: number;
  /** Text; "\n" breaks lines. */
  text: string;
  /** The actor(s) the note spans: one id, or the first and last of a range. Default: all. */
  over?: string | [string, string];
  /** A time gap: no box; lifelines turn dotted across the row. */
  gap?: boolean;
}

export interface SequenceInput {
  actors: ActorInput[];
  messages: MessageInput[];
  notes?: NoteInput[];
}

export interface ActorBox {
  id: string;
  /** Label lines ("\n" in the label breaks lines). */
  lines: string[];
  /** Centre of the actor's lifeline. */
  x: number;
  box: Rect;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TextLine {
  x: number;
  y: number;
  text: string;
}

export interface Segment {
  y1: number;
  y2: number;
  /** Dotted across a time gap. */
  dotted: boolean;
}

export interface Lifeline {
  id: string;
  x: number;
  segments: Segment[];
}

export type MessageKind = 'arrow' | 'self' | 'lost';

export interface MessageLayout {
  index: number;
  kind: MessageKind;
  dashed: boolean;
  /** SVG path of the line (a straight line, or the loop of a self-message). */
  path: string;
  /** Arrowhead polygon points ("x,y x,y x,y"); absent for a lost message. */
  head?: string;
  /** The X that ends a lost message: two crossing lines. */
  cross?: { x: number; y: number; r: number };
  label: TextLine & { anchor: 'start' | 'middle' };
  note?: TextLine & { anchor: 'start' | 'middle' };
}

export interface NoteLayout {
  gap: boolean;
  /** Box of a note; for a gap, the backdrop behind its text. */
  box?: Rect;
  lines: TextLine[];
}

export interface SequenceLayout {
  width: number;
  height: number;
  actors: ActorBox[];
  lifelines: Lifeline[];
  messages: MessageLayout[];
  notes: NoteLayout[];
}

/** Metrics in SVG user units; the SVG scales to its container through its viewBox. */
export const METRICS = {
  fontSize: 14,
  smallFontSize: 12,
  /** Average advance of one character at fontSize, deliberately generous. */
  charWidth: 7.9,
  smallCharWidth: 6.8,
  lineHeight: 18,
  smallLineHeight: 16,
  margin: 12,
  minGap: 110,
  /** Room beside a message label, shared by both sides. */
  labelPad: 20,
  actorPadX: 14,
  actorMinW: 96,
  actorLineH: 18,
  actorPadY: 9,
  /** Space between the actor boxes and the first row. */
  headGap: 16,
  /** Height of a plain message row: label above, arrow, breathing room. */
  rowH: 44,
  /** Extra height when a message has a note line. */
  noteLineH: 16,
  selfLoopW: 34,
  selfLoopH: 22,
  arrowLen: 10,
  arrowHalf: 5,
  /** A lost message stops at this fraction of the way. */
  lostAt: 0.62,
  crossR: 6,
  notePadX: 10,
  notePadY: 6,
  noteOverhang: 40,
  bottom: 14,
} as const;

export class SequenceInputError extends Error {
  override name = 'SequenceInputError';
}

export function textWidth(text: string, small = false): number {
  return [...text].length * (small ? METRICS.smallCharWidth : METRICS.charWidth);
}

function actorId(a: ActorInput): string {
  return typeof a === 'string' ? a : a.id;
}

function actorLabel(a: ActorInput): string {
  return typeof a === 'string' ? a : (a.label ?? a.id);
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** Check the input: actors unique and non-empty, messages and notes naming known actors. */
export function validateSequence(input: SequenceInput): void {
  const ids = input.actors.map(actorId);
  if (ids.length === 0) throw new SequenceInputError('a sequence diagram needs at least one actor');
  const seen = new Set<string>();
  for (const id of ids) {
    if (!id) throw new SequenceInputError('an actor has an empty id');
    if (seen.has(id)) throw new SequenceInputError(`actor "${id}" is listed twice`);
    seen.add(id);
  }
  input.messages.forEach((m, i) => {
    for (const end of [m.from, m.to]) {
      if (!seen.has(end)) throw new SequenceInputError(`messages[${i}] ("${m.label}"): unknown actor "${end}" (actors: ${ids.join(', ')})`);
    }
    if (m.lost && m.from === m.to) throw new SequenceInputError(`messages[${i}] ("${m.label}"): a self-message cannot be lost`);
  });
  (input.notes ?? []).forEach((n, i) => {
    if (!Number.isInteger(n.after) || n.after < -1 || n.after >= input.messages.length) {
      throw new SequenceInputError(`notes[${i}]: after must be -1 or a message index below ${input.messages.length}, got ${n.after}`);
    }
    const over = n.over === undefined ? [] : typeof n.over === 'string' ? [n.over] : n.over;
    for (const a of over) {
      if (!seen.has(a)) throw new SequenceInputError(`notes[${i}]: unknown actor "${a}" (actors: ${ids.join(', ')})`);
    }
  });
}

/** How far right of its lifeline a self-message reaches (loop, label, note). */
function selfMessageWidth(m: MessageInput): number {
  return 8 + Math.max(textWidth(m.label), METRICS.selfLoopW + 8 + (m.note ? textWidth(m.note, true) : 0));
}

/**
 * The distance between each pair of neighbouring lifelines (gaps[i] is between column i and
 * i + 1). Each gap starts wide enough for the two actor boxes; then every message, shortest
 * span first, widens the gaps it crosses (evenly) until its label fits above its arrow.
 */
export function columnGaps(input: SequenceInput, col: Map<string, number>, boxW: number[]): number[] {
  const M = METRICS;
  const gaps = boxW.slice(1).map((w, i) => Math.max(M.minGap, (boxW[i]! + w) / 2 + 16));
  const spans = input.messages
    .map((m) => {
      const a = col.get(m.from)!;
      const b = col.get(m.to)!;
      if (a === b) {
        // A self-message's label and note sit right of the lifeline, before the next one.
        return { lo: a, hi: a + 1, need: selfMessageWidth(m) + 16 };
      }
      const need = Math.max(textWidth(m.label), m.note ? textWidth(m.note, true) : 0) + M.labelPad;
      return { lo: Math.min(a, b), hi: Math.max(a, b), need };
    })
    .filter((s) => s.hi <= gaps.length)
    .sort((x, y) => x.hi - x.lo - (y.hi - y.lo));
  for (const s of spans) {
    let have = 0;
    for (let i = s.lo; i < s.hi; i++) have += gaps[i]!;
    if (have >= s.need) continue;
    const add = (s.need - have) / (s.hi - s.lo);
    for (let i = s.lo; i < s.hi; i++) gaps[i]! += add;
  }
  return gaps.map((g) => Math.ceil(g));
}

export function layoutSequence(input: SequenceInput): SequenceLayout {
  validateSequence(input);
  const M = METRICS;
  const ids = input.actors.map(actorId);
  const col = new Map(ids.map((id, i) => [id, i]));
  const actorLines = input.actors.map((a) => actorLabel(a).split('\n'));
  const boxW = actorLines.map((lines) => Math.max(M.actorMinW, Math.max(...lines.map((l) => textWidth(l))) + 2 * M.actorPadX));
  const boxH = Math.max(...actorLines.map((l) => l.length)) * M.actorLineH + 2 * M.actorPadY;
  const colGaps = columnGaps(input, col, boxW);
  const offsets = [0];
  for (const g of colGaps) offsets.push(offsets[offsets.length - 1]! + g);

  // Room on the left and right: half the outer boxes, self-message labels and note overhangs.
  let left = Math.max(boxW[0]! / 2, M.noteOverhang) + M.margin;
  let right = Math.max(boxW[boxW.length - 1]! / 2, M.noteOverhang) + M.margin;
  const last = ids.length - 1;
  for (const m of input.messages) {
    if (m.from === m.to && col.get(m.from) === last) right = Math.max(right, selfMessageWidth(m) + M.margin);
  }
  for (const n of input.notes ?? []) {
    const w = Math.max(...n.text.split('\n').map((l) => textWidth(l, true))) + 2 * M.notePadX;
    if (n.over !== undefined && typeof n.over === 'string') {
      const c = col.get(n.over)!;
      if (c === 0) left = Math.max(left, w / 2 + M.margin);
      if (c === last) right = Math.max(right, w / 2 + M.margin);
    }
  }
  const xOf = (id: string) => left + offsets[col.get(id)!]!;
  const width = Math.ceil(left + offsets[last]! + right);

  const actors: ActorBox[] = ids.map((id, i) => ({
    id,
    lines: actorLines[i]!,
    x: xOf(id),
    box: { x: r1(xOf(id) - boxW[i]! / 2), y: M.margin, w: r1(boxW[i]!), h: boxH },
  }));

  const notesAfter = new Map<number, NoteInput[]>();
  for (const n of input.notes ?? []) notesAfter.set(n.after, [...(notesAfter.get(n.after) ?? []), n]);

  let y = M.margin + boxH + M.headGap;
  const messages: MessageLayout[] = [];
  const notes: NoteLayout[] = [];
  const timeGaps: { y1: number; y2: number }[] = [];

  const placeNotes = (after: number) => {
    for (const n of notesAfter.get(after) ?? []) {
      const lines = n.text.split('\n');
      const textH = lines.length * M.smallLineHeight;
      if (n.gap) {
        const h = textH + 2 * M.notePadY + 8;
        const cx = width / 2;
        const w = Math.max(...lines.map((l) => textWidth(l, true))) + 2 * M.notePadX;
        notes.push({
          gap: true,
          // Drawn in the background colour, so lifelines do not run through the text.
          box: { x: r1(cx - w / 2), y: r1(y + 4), w: r1(w), h: textH + 2 * M.notePadY },
          lines: lines.map((text, k) => ({ x: r1(cx), y: r1(y + 4 + M.notePadY + (k + 1) * M.smallLineHeight - 4), text })),
        });
        timeGaps.push({ y1: y, y2: y + h });
        y += h;
        continue;
      }
      const over = n.over === undefined ? [ids[0]!, ids[last]!] : typeof n.over === 'string' ? [n.over, n.over] : n.over;
      const xa = Math.min(xOf(over[0]), xOf(over[1]));
      const xb = Math.max(xOf(over[0]), xOf(over[1]));
      const textW = Math.max(...lines.map((l) => textWidth(l, true))) + 2 * M.notePadX;
      const w = Math.max(textW, xb - xa + 2 * M.noteOverhang);
      const cx = (xa + xb) / 2;
      const box = { x: r1(cx - w / 2), y: r1(y + 4), w: r1(w), h: textH + 2 * M.notePadY };
      notes.push({
        gap: false,
        box,
        lines: lines.map((text, k) => ({ x: r1(cx), y: r1(box.y + M.notePadY + (k + 1) * M.smallLineHeight - 4), text })),
      });
      y += box.h + 12;
    }
  };

  placeNotes(-1);
  input.messages.forEach((m, index) => {
    const x1 = xOf(m.from);
    const x2 = xOf(m.to);
    const dashed = !!m.dashed;
    if (m.from === m.to) {
      const ay = y + M.lineHeight + 4;
      const by = ay + M.selfLoopH;
      const xr = x1 + M.selfLoopW;
      messages.push({
        index,
        kind: 'self',
        dashed,
        path: `M${r1(x1)} ${r1(ay)}H${r1(xr)}V${r1(by)}H${r1(x1 + M.arrowLen)}`,
        head: `${r1(x1)},${r1(by)} ${r1(x1 + M.arrowLen)},${r1(by - M.arrowHalf)} ${r1(x1 + M.arrowLen)},${r1(by + M.arrowHalf)}`,
        label: { x: r1(x1 + 6), y: r1(ay - 6), text: m.label, anchor: 'start' },
        ...(m.note ? { note: { x: r1(xr + 8), y: r1((ay + by) / 2 + 4), text: m.note, anchor: 'start' as const } } : {}),
      });
      y = by + 14;
    } else {
      const ay = y + M.lineHeight + 4;
      const dir = x2 > x1 ? 1 : -1;
      const cx = (x1 + x2) / 2;
      const note = m.note ? { note: { x: r1(cx), y: r1(ay + M.noteLineH), text: m.note, anchor: 'middle' as const } } : {};
      if (m.lost) {
        const xe = x1 + (x2 - x1) * M.lostAt;
        messages.push({
          index,
          kind: 'lost',
          dashed,
          path: `M${r1(x1)} ${r1(ay)}H${r1(xe)}`,
          cross: { x: r1(xe), y: r1(ay), r: M.crossR },
          label: { x: r1(cx), y: r1(ay - 6), text: m.label, anchor: 'middle' },
          ...note,
        });
      } else {
        const tipBase = x2 - dir * M.arrowLen;
        messages.push({
          index,
          kind: 'arrow',
          dashed,
          path: `M${r1(x1)} ${r1(ay)}H${r1(tipBase)}`,
          head: `${r1(x2)},${r1(ay)} ${r1(tipBase)},${r1(ay - M.arrowHalf)} ${r1(tipBase)},${r1(ay + M.arrowHalf)}`,
          label: { x: r1(cx), y: r1(ay - 6), text: m.label, anchor: 'middle' },
          ...note,
        });
      }
      y = ay + (m.note ? M.noteLineH + 6 : 0) + (M.rowH - M.lineHeight - 4);
    }
    placeNotes(index);
  });

  const height = Math.ceil(y + M.bottom);
  const top = M.margin + boxH;
  const lifelines: Lifeline[] = actors.map((a) => {
    const segments: Segment[] = [];
    let from = top;
    for (const g of timeGaps) {
      if (g.y1 > from) segments.push({ y1: r1(from), y2: r1(g.y1), dotted: false });
      segments.push({ y1: r1(g.y1), y2: r1(g.y2), dotted: true });
      from = g.y2;
    }
    if (height - M.bottom / 2 > from) segments.push({ y1: r1(from), y2: r1(height - M.bottom / 2), dotted: false });
    return { id: a.id, x: r1(a.x), segments };
  });

  return { width, height, actors, lifelines, messages, notes };
}

/** A plain-text account of the diagram for screen readers (the SVG's <desc>). */
export function describeSequence(input: SequenceInput): string {
  const label = new Map(input.actors.map((a) => [actorId(a), actorLabel(a).replace(/\n/g, ' ')]));
  const notesAfter = new Map<number, string[]>();
  for (const n of input.notes ?? []) notesAfter.set(n.after, [...(notesAfter.get(n.after) ?? []), n.text.replace(/\n/g, ' ')]);
  const parts: string[] = [`Participants: ${[...label.values()].join(', ')}.`];
  for (const t of notesAfter.get(-1) ?? []) parts.push(`(${t})`);
  input.messages.forEach((m, i) => {
    const who = m.from === m.to ? `${label.get(m.from)} to itself` : `${label.get(m.from)} to ${label.get(m.to)}`;
    const extra = [m.note, m.lost ? 'lost on the way' : undefined].filter(Boolean).join('; ');
    parts.push(`${i + 1}. ${who}: ${m.label}${extra ? ` (${extra})` : ''}.`);
    for (const t of notesAfter.get(i) ?? []) parts.push(`(${t})`);
  });
  return parts.join(' ');
}

/** A stable id for the diagram's <title>/<desc> (FNV-1a over the input). */
export function sequenceId(input: SequenceInput, title = ''): string {
  const s = JSON.stringify([title, input.actors, input.messages, input.notes ?? []]);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `seq-${h.toString(16).padStart(8, '0')}`;
}
