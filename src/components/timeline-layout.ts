/**
 * Layout of a time-line chart: one lane per actor (a server, a cache entry), bars for the
 * intervals in which something happens (an attempt waiting for its timeout, an entry that is
 * fresh or stale), marks for instants (an answer arrives) and events drawn across every lane
 * (the TTL runs out). A pure function from data to SVG coordinates; Timeline.astro draws it at
 * build time. Text widths are estimated from character counts, generously, as in the sequence
 * diagrams; a label that would collide is a build error, so a bad chart never ships.
 */

export type SpanKind = 'wait' | 'fail' | 'ok' | 'fresh' | 'stale' | 'idle';

export interface TimelineSpan {
  from: number;
  to: number;
  /** Drawn inside the bar when it fits, otherwise just after it. */
  label?: string;
  kind?: SpanKind;
}

export interface TimelineMark {
  at: number;
  label: string;
  kind?: 'ok' | 'fail' | 'info';
}

export interface TimelineLane {
  label: string;
  /** A second, smaller line under the lane's label. */
  sub?: string;
  spans?: TimelineSpan[];
  marks?: TimelineMark[];
}

export interface TimelineEvent {
  at: number;
  label: string;
}

export interface TimelineInput {
  /** The axis runs from 0 to max. */
  max: number;
  /** Distance between labelled ticks. */
  tick: number;
  /** Unit written after tick values ("s", "ms"). */
  unit: string;
  lanes: TimelineLane[];
  /** Vertical lines across all lanes, labelled at the top. */
  events?: TimelineEvent[];
}

export const TL = {
  fontSize: 13,
  charWidth: 7.4,
  smallFontSize: 12,
  smallCharWidth: 6.7,
  margin: 12,
  plotWidth: 560,
  laneH: 42,
  barH: 22,
  eventRowH: 18,
  axisH: 34,
  labelGap: 16,
} as const;

export class TimelineInputError extends Error {
  override name = 'TimelineInputError';
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const tw = (s: string, small = false) => [...s].length * (small ? TL.smallCharWidth : TL.charWidth);

export interface SpanLayout {
  kind: SpanKind;
  x: number;
  y: number;
  w: number;
  h: number;
  label?: { x: number; y: number; text: string; anchor: 'middle' | 'start'; inside: boolean };
}

export interface MarkLayout {
  kind: 'ok' | 'fail' | 'info';
  /** Diamond polygon points. */
  points: string;
  label: { x: number; y: number; text: string; anchor: 'start' | 'end' };
}

export interface LaneLayout {
  label: { x: number; y: number; text: string };
  sub?: { x: number; y: number; text: string };
  /** The lane's guide line, behind the bars. */
  guide: { x1: number; x2: number; y: number };
  spans: SpanLayout[];
  marks: MarkLayout[];
}

export interface TimelineLayout {
  width: number;
  height: number;
  lanes: LaneLayout[];
  axis: { x1: number; x2: number; y: number; ticks: { x: number; label: string }[] };
  events: { x: number; y1: number; y2: number; label: { x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end' } }[];
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(r1(n));
}

export function layoutTimeline(input: TimelineInput): TimelineLayout {
  const { max, tick, unit, lanes } = input;
  const events = input.events ?? [];
  if (!(max > 0) || !(tick > 0)) throw new TimelineInputError(`max and tick must be positive (max ${max}, tick ${tick})`);
  if (lanes.length === 0) throw new TimelineInputError('a timeline needs at least one lane');

  const labelW = Math.ceil(Math.max(...lanes.map((l) => Math.max(tw(l.label), l.sub ? tw(l.sub, true) : 0)))) + TL.labelGap;
  const x0 = TL.margin + labelW;
  const xOf = (t: number) => x0 + (t / max) * TL.plotWidth;
  const width = Math.ceil(x0 + TL.plotWidth + TL.margin + 18);
  const plotEnd = x0 + TL.plotWidth;

  // Events: labels on rows at the top, a new row whenever a label would overlap the last one.
  const rowsEnd: number[] = [];
  const placed = [...events]
    .sort((a, b) => a.at - b.at)
    .map((e) => {
      if (e.at < 0 || e.at > max) throw new TimelineInputError(`event "${e.label}" at ${e.at} is outside 0..${max}`);
      const w = tw(e.label, true);
      const x = xOf(e.at);
      let anchor: 'start' | 'middle' | 'end' = 'middle';
      let left = x - w / 2;
      if (left < x0 - labelW / 2) {
        anchor = 'start';
        left = x - 2;
      } else if (x + w / 2 > width - TL.margin) {
        anchor = 'end';
        left = x - w + 2;
      }
      let row = rowsEnd.findIndex((end) => end + 10 <= left);
      if (row === -1) {
        row = rowsEnd.length;
        rowsEnd.push(0);
      }
      rowsEnd[row] = left + w;
      return { e, x, anchor, row };
    });
  const eventsH = rowsEnd.length * TL.eventRowH + (rowsEnd.length > 0 ? 6 : 0);
  const lanesTop = TL.margin + eventsH;

  const laneLayouts: LaneLayout[] = lanes.map((lane, i) => {
    const top = lanesTop + i * TL.laneH;
    const cy = top + TL.laneH / 2;
    const barY = cy - TL.barH / 2;
    const spans = [...(lane.spans ?? [])].sort((a, b) => a.from - b.from);
    const spanLayouts: SpanLayout[] = spans.map((s, k) => {
      if (s.from < 0 || s.to > max || s.to < s.from) {
        throw new TimelineInputError(`lane "${lane.label}": span ${s.from}..${s.to} is outside 0..${max} or reversed`);
      }
      const x = xOf(s.from);
      const w = Math.max(2, xOf(s.to) - x);
      const out: SpanLayout = { kind: s.kind ?? 'wait', x: r1(x), y: r1(barY), w: r1(w), h: TL.barH };
      if (s.label) {
        const lw = tw(s.label, true);
        if (lw + 10 <= w) {
          out.label = { x: r1(x + w / 2), y: r1(cy + 4), text: s.label, anchor: 'middle', inside: true };
        } else {
          const start = x + w + 5;
          const next = spans[k + 1];
          const limit = next ? xOf(next.from) - 4 : width - TL.margin;
          if (start + lw > limit) {
            throw new TimelineInputError(
              `lane "${lane.label}": label "${s.label}" fits neither inside its bar (${Math.round(w)} units) nor after it`,
            );
          }
          out.label = { x: r1(start), y: r1(cy + 4), text: s.label, anchor: 'start', inside: false };
        }
      }
      return out;
    });
    const marks: MarkLayout[] = (lane.marks ?? []).map((m) => {
      if (m.at < 0 || m.at > max) throw new TimelineInputError(`lane "${lane.label}": mark "${m.label}" at ${m.at} is outside 0..${max}`);
      const x = xOf(m.at);
      const d = 7;
      const lw = tw(m.label, true);
      const right = x + d + 4 + lw <= width - TL.margin;
      return {
        kind: m.kind ?? 'info',
        points: `${r1(x)},${r1(cy - d)} ${r1(x + d)},${r1(cy)} ${r1(x)},${r1(cy + d)} ${r1(x - d)},${r1(cy)}`,
        label: right
          ? { x: r1(x + d + 4), y: r1(cy + 4), text: m.label, anchor: 'start' }
          : { x: r1(x - d - 4), y: r1(cy + 4), text: m.label, anchor: 'end' },
      };
    });
    return {
      label: { x: TL.margin, y: r1(lane.sub ? cy - 2 : cy + 5), text: lane.label },
      ...(lane.sub ? { sub: { x: TL.margin, y: r1(cy + 14), text: lane.sub } } : {}),
      guide: { x1: r1(x0), x2: r1(plotEnd), y: r1(cy) },
      spans: spanLayouts,
      marks,
    };
  });

  const axisY = lanesTop + lanes.length * TL.laneH + 6;
  const ticks: { x: number; label: string }[] = [];
  for (let t = 0; t <= max + 1e-9; t += tick) ticks.push({ x: r1(xOf(t)), label: `${fmt(t)}${t === 0 ? '' : ` ${unit}`}` });
  const height = Math.ceil(axisY + TL.axisH);

  return {
    width,
    height,
    lanes: laneLayouts,
    axis: { x1: r1(x0), x2: r1(plotEnd), y: r1(axisY), ticks },
    events: placed.map(({ e, x, anchor, row }) => ({
      x: r1(x),
      y1: r1(TL.margin + row * TL.eventRowH + 6),
      y2: r1(axisY),
      label: { x: r1(anchor === 'start' ? x - 2 : anchor === 'end' ? x + 2 : x), y: r1(TL.margin + row * TL.eventRowH + 2), text: e.label, anchor },
    })),
  };
}

/** A plain-text account of the chart for screen readers. */
export function describeTimeline(input: TimelineInput): string {
  const u = input.unit;
  const parts = input.lanes.map((l) => {
    const spans = (l.spans ?? []).map((s) => `${fmt(s.from)} to ${fmt(s.to)} ${u}${s.label ? `: ${s.label}` : ''}`);
    const marks = (l.marks ?? []).map((m) => `at ${fmt(m.at)} ${u}: ${m.label}`);
    return `${l.label}${l.sub ? ` (${l.sub})` : ''}: ${[...spans, ...marks].join('; ') || 'nothing'}.`;
  });
  const events = (input.events ?? []).map((e) => `At ${fmt(e.at)} ${u}: ${e.label}.`);
  return [...parts, ...events].join(' ');
}
