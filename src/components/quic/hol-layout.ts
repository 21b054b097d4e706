/**
 * Head-of-line blocking, TCP beside QUIC: the model (when each piece of data arrives and when it
 * can be handed to the application) and the layout of the diagram that draws it. Pure functions;
 * HolBlocking.astro renders the layout at build time, in a wide and a narrow variant.
 *
 * The scenario: three streams (A, B, C) share one connection. The sender sends six packets, one
 * frame of one stream in each, a fixed interval apart; one of them is lost. The sender notices
 * the loss when the packet sent `threshold` packets after it is acknowledged (TCP's third
 * duplicate ACK, QUIC's kPacketThreshold of RFC 9002 §6.1.1) and sends the lost data again at
 * once. TCP delivers its byte stream in order, so everything after the hole waits; QUIC orders
 * each stream on its own, so only the stream whose frame was lost waits.
 *
 * Text widths are estimated from character counts, generously, as the other diagrams do.
 */

export interface HolScenario {
  rttMs: number;
  /** Time between two packets leaving the sender. */
  spacingMs: number;
  /** The streams' frames in sending order: one frame per packet, named by its stream. */
  streams: readonly string[];
  /** Index (0-based) of the lost packet. */
  lost: number;
  /** Packets sent after the lost one that must be acknowledged before it is declared lost. */
  threshold: number;
}

export const DEFAULT_SCENARIO: HolScenario = {
  rttMs: 100,
  spacingMs: 1,
  streams: ['A', 'B', 'C', 'A', 'B', 'C'],
  lost: 1,
  threshold: 3,
};

export type Transport = 'tcp' | 'quic';

export interface Frame {
  /** Index of the packet that first carried the frame. */
  packet: number;
  stream: string;
  /** "A1", "B2": the stream and the frame's place in it. */
  name: string;
  /** When the first copy reached the receiver (or would have, if lost). */
  arrivesMs: number;
  lost: boolean;
  /** When the data reached the receiver: the retransmission for the lost frame. */
  receivedMs: number;
}

export interface Delivery extends Frame {
  /** When the receiver could hand the data to the application. */
  deliveredMs: number;
  /** deliveredMs − receivedMs: time spent in the receive buffer. */
  heldMs: number;
}

export interface HolModel {
  scenario: HolScenario;
  frames: Frame[];
  /** When the sender declares the packet lost and sends its data again. */
  detectedMs: number;
  retransmitArrivesMs: number;
  /** How late the lost data arrives, against when the original would have. */
  lateMs: number;
  tcp: Delivery[];
  quic: Delivery[];
}

export class HolInputError extends Error {
  override name = 'HolInputError';
}

/** RFC 9002 §6.1.2: a packet sent more than 9/8 of the RTT before a later one was acknowledged is lost. */
export const TIME_THRESHOLD = 9 / 8;

export function computeHol(s: HolScenario = DEFAULT_SCENARIO): HolModel {
  if (!(s.rttMs > 0) || !(s.spacingMs > 0)) throw new HolInputError('the RTT and the spacing must be positive');
  if (!Number.isInteger(s.lost) || s.lost < 0 || s.lost + s.threshold >= s.streams.length) {
    throw new HolInputError(`packet ${s.lost} cannot be declared lost: fewer than ${s.threshold} packets follow it`);
  }
  const oneWay = s.rttMs / 2;
  const sentAt = (i: number) => i * s.spacingMs;
  const detectedMs = sentAt(s.lost + s.threshold) + s.rttMs;
  // The picture claims detection by packet threshold: the time threshold must not have fired first.
  const byTime = sentAt(s.lost) + TIME_THRESHOLD * s.rttMs;
  if (byTime < detectedMs) {
    throw new HolInputError(`the time threshold (${byTime} ms) would declare the loss before the packet threshold (${detectedMs} ms)`);
  }
  const retransmitArrivesMs = detectedMs + oneWay;
  const seen = new Map<string, number>();
  const frames: Frame[] = s.streams.map((stream, i) => {
    const n = (seen.get(stream) ?? 0) + 1;
    seen.set(stream, n);
    const arrivesMs = sentAt(i) + oneWay;
    const lost = i === s.lost;
    return { packet: i, stream, name: `${stream}${n}`, arrivesMs, lost, receivedMs: lost ? retransmitArrivesMs : arrivesMs };
  });
  const deliver = (sameOrder: (a: Frame, b: Frame) => boolean): Delivery[] => {
    const out: Delivery[] = [];
    for (const f of frames) {
      // In order: no earlier frame of the same ordered sequence may still be missing.
      const before = out.filter((d) => sameOrder(d, f)).map((d) => d.deliveredMs);
      const deliveredMs = Math.max(f.receivedMs, ...before);
      out.push({ ...f, deliveredMs, heldMs: deliveredMs - f.receivedMs });
    }
    return out;
  };
  return {
    scenario: s,
    frames,
    detectedMs,
    retransmitArrivesMs,
    lateMs: retransmitArrivesMs - frames[s.lost]!.arrivesMs,
    tcp: deliver(() => true),
    quic: deliver((a, b) => a.stream === b.stream),
  };
}

/** The frames that waited in the receive buffer although they had arrived. */
export const heldFrames = (d: readonly Delivery[]) => d.filter((x) => !x.lost && x.heldMs > 0);

function range(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? `${lo}` : `${lo}–${hi}`;
}

/** What the picture says, in words: the SVG's description. */
export function describeHol(m: HolModel): string {
  const s = m.scenario;
  const lostF = m.frames[s.lost]!;
  const list = (d: Delivery[]) =>
    d.map((x) => (x.lost ? `${x.name} lost, arrives again at ${x.receivedMs} ms` : `${x.name} arrives at ${x.arrivesMs} ms${x.heldMs ? `, held ${x.heldMs} ms` : ', delivered at once'}`)).join('; ');
  return (
    `${new Set(s.streams).size} streams, ${[...new Set(s.streams)].join(', ')}, send one frame per packet, ${s.spacingMs} ms apart, RTT ${s.rttMs} ms. ` +
    `Packet ${lostF.packet + 1}, carrying ${lostF.name}, is lost; its data arrives again at ${m.retransmitArrivesMs} ms, ${m.lateMs} ms late. ` +
    `TCP: ${list(m.tcp)}. QUIC: ${list(m.quic)}.`
  );
}

/** The caption's sentence on the cost. */
export function costSentence(m: HolModel): string {
  const tcpHeld = heldFrames(m.tcp).filter((x) => x.stream !== m.frames[m.scenario.lost]!.stream);
  const quicOther = heldFrames(m.quic).filter((x) => x.stream !== m.frames[m.scenario.lost]!.stream);
  const lostStream = m.frames[m.scenario.lost]!.stream;
  return (
    `At an RTT of ${m.scenario.rttMs} ms, the data of the other streams waits ${range(tcpHeld.map((x) => x.heldMs))} ms in TCP's receive buffer, ` +
    `a round trip, and ${quicOther.length === 0 ? '0 ms' : `${range(quicOther.map((x) => x.heldMs))} ms`} in QUIC; only stream ${lostStream} waits for its lost frame.`
  );
}

// ---------- layout ----------

export interface HolFrame {
  width: number;
  fontSize: number;
  charWidth: number;
  /** Average advance of one bold character (titles, lane labels). */
  boldCharWidth: number;
  smallFontSize: number;
  smallCharWidth: number;
  margin: number;
  /** Room for the lane labels. */
  labelW: number;
  /** Width of one packet's column. */
  cellW: number;
  /** The column of the retransmission, after the break. */
  lastW: number;
  laneH: number;
  boxH: number;
  titleH: number;
  panelGap: number;
  axisH: number;
  /** Long labels ("waits 99–102 ms", "2 again") or short ones ("99–102", "2"). */
  long: boolean;
}

export const HOL_WIDE: HolFrame = {
  width: 680,
  fontSize: 14,
  charWidth: 7.6,
  boldCharWidth: 8.7,
  smallFontSize: 12.5,
  smallCharWidth: 7.3,
  margin: 12,
  labelW: 96,
  cellW: 44,
  lastW: 64,
  laneH: 32,
  boxH: 22,
  titleH: 30,
  panelGap: 16,
  axisH: 46,
  long: true,
};

/** For a phone: about 330 px of column, so text stays at 12 px or more. */
export const HOL_NARROW: HolFrame = {
  width: 360,
  fontSize: 13,
  charWidth: 7.1,
  boldCharWidth: 8.1,
  smallFontSize: 12,
  smallCharWidth: 7,
  margin: 8,
  labelW: 70,
  cellW: 31,
  lastW: 34,
  laneH: 30,
  boxH: 21,
  titleH: 28,
  panelGap: 14,
  axisH: 44,
  long: false,
};

export const textWidth = (s: string, charWidth: number) => [...s].length * charWidth;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface HolCell extends Box {
  kind: 'packet' | 'delivered' | 'held' | 'lost' | 'late';
  text: string;
  /** The text's centre and baseline. */
  tx: number;
  ty: number;
}

export interface HolBand extends Box {
  /** The arrowhead at the band's end (delivery), as SVG polygon points. */
  head: string;
  label?: { x: number; y: number; text: string };
}

export interface HolLane {
  label: { x: number; y: number; text: string };
  guide: { x1: number; x2: number; y: number };
  cells: HolCell[];
  bands: HolBand[];
}

export interface HolPanel {
  transport: Transport;
  title: { x: number; y: number; text: string };
  lanes: HolLane[];
  box: Box;
}

export interface HolLayout {
  width: number;
  height: number;
  fontSize: number;
  smallFontSize: number;
  panels: HolPanel[];
  /** Where each packet's column is centred, originals then the retransmission. */
  columns: number[];
  gap: { x1: number; x2: number };
  axis: { y: number; x1: number; x2: number; ticks: { x: number; label: string }[]; breakX: number; breakLabel: { x: number; y: number; text: string }; title: { x: number; y: number; text: string } };
}

const r1 = (n: number) => Math.round(n * 10) / 10;

export const PANEL_TITLES: Record<Transport, string> = {
  tcp: 'TCP: one byte stream, delivered in order',
  quic: 'QUIC: each stream in order on its own',
};

export function layoutHol(m: HolModel, f: HolFrame): HolLayout {
  const n = m.frames.length;
  const x0 = f.margin + f.labelW;
  const lastX = f.width - f.margin - f.lastW;
  const gapX1 = x0 + n * f.cellW;
  if (lastX - gapX1 < 40) throw new HolInputError(`the frame is too narrow for ${n} columns and a break`);
  const columns = [...Array.from({ length: n }, (_, i) => x0 + (i + 0.5) * f.cellW), lastX + f.lastW / 2].map(r1);
  const colW = (i: number) => (i === n ? f.lastW : f.cellW);
  const streams = [...new Set(m.scenario.streams)];
  const pad = 3;
  const panels: HolPanel[] = [];
  let y = 0;
  for (const transport of ['tcp', 'quic'] as const) {
    const top = y;
    const d = m[transport];
    const title = { x: f.margin, y: r1(top + f.fontSize + 4), text: PANEL_TITLES[transport] };
    y += f.titleH;
    const lanes: HolLane[] = [];
    const laneFor = (label: string): HolLane => {
      const mid = y + f.laneH / 2;
      const lane: HolLane = {
        label: { x: f.margin + 4, y: r1(mid + f.fontSize * 0.35), text: label },
        guide: { x1: x0, x2: f.width - f.margin, y: r1(mid) },
        cells: [],
        bands: [],
      };
      y += f.laneH;
      lanes.push(lane);
      return lane;
    };
    const cell = (lane: HolLane, col: number, kind: HolCell['kind'], text: string): HolCell => {
      const w = colW(col) - 2 * pad;
      const x = columns[col]! - w / 2;
      const by = lane.guide.y - f.boxH / 2;
      return { kind, text, x: r1(x), y: r1(by), w: r1(w), h: f.boxH, tx: columns[col]!, ty: r1(lane.guide.y + f.smallFontSize * 0.36) };
    };
    // The packets as they reach the receiver.
    const wire = laneFor(transport === 'tcp' ? 'segments' : 'packets');
    m.frames.forEach((fr, i) => wire.cells.push(cell(wire, i, fr.lost ? 'lost' : 'packet', `${i + 1}`)));
    const again = transport === 'tcp' ? (f.long ? `${m.scenario.lost + 1} again` : `${m.scenario.lost + 1}`) : `${n + 1}`;
    wire.cells.push(cell(wire, n, 'packet', again));
    // One lane per stream.
    for (const st of streams) {
      const lane = laneFor(f.long ? `stream ${st}` : st);
      const mine = d.filter((x) => x.stream === st);
      for (const x of mine) {
        if (x.lost) {
          lane.cells.push(cell(lane, x.packet, 'lost', x.name));
          lane.cells.push(cell(lane, n, 'late', x.name));
        } else {
          lane.cells.push(cell(lane, x.packet, x.heldMs > 0 ? 'held' : 'delivered', x.name));
        }
      }
      const held = mine.filter((x) => !x.lost && x.heldMs > 0);
      if (held.length > 0) {
        // One band from the first frame that waits to its delivery, under the boxes.
        const first = held[0]!;
        const bx = columns[first.packet]!;
        const deliveredCol = n;
        const end = columns[deliveredCol]! - colW(deliveredCol) / 2 + pad - 1;
        const bh = f.boxH;
        const by = lane.guide.y - bh / 2;
        const ms = range(held.map((x) => x.heldMs));
        const lastHeld = columns[held.at(-1)!.packet]! + colW(held.at(-1)!.packet) / 2;
        const room = end - 8 - Math.max(lastHeld, gapX1) - 6;
        // The longest label that fits in the band between the last waiting box and the arrow.
        const candidates = f.long ? [`waits ${ms} ms`, `${ms} ms`, ms] : [`${ms} ms`, ms];
        const text = candidates.find((t) => textWidth(t, f.smallCharWidth) <= room);
        if (!text) throw new HolInputError(`no room for the label "${ms}" in stream ${st}'s band (${room} units)`);
        const labelX = r1((Math.max(lastHeld, gapX1) + end - 8) / 2);
        const head = `${r1(end - 8)},${r1(by)} ${r1(end)},${r1(lane.guide.y)} ${r1(end - 8)},${r1(by + bh)}`;
        // A lane with a late frame (the lost stream) ends at its box; the others at the delivery column.
        const stop = mine.some((x) => x.lost) ? end - 1 : end;
        lane.bands.push({
          x: r1(bx),
          y: r1(by),
          w: r1(stop - 8 - bx),
          h: bh,
          head,
          label: { x: labelX, y: r1(lane.guide.y + f.smallFontSize * 0.36), text },
        });
      }
    }
    const box = { x: f.margin / 2, y: top, w: f.width - f.margin, h: y - top };
    panels.push({ transport, title, lanes, box });
    y += f.panelGap;
  }
  y -= f.panelGap;
  // The time axis: when each column's packet reaches the receiver.
  const axisY = y + 8;
  const ticks = [...m.frames.map((fr, i) => ({ x: columns[i]!, label: `${fr.arrivesMs}` })), { x: columns[n]!, label: `${m.retransmitArrivesMs}` }];
  const breakX = r1((gapX1 + lastX) / 2);
  const height = axisY + f.axisH;
  return {
    width: f.width,
    height: Math.ceil(height),
    fontSize: f.fontSize,
    smallFontSize: f.smallFontSize,
    panels,
    columns,
    gap: { x1: r1(gapX1), x2: r1(lastX) },
    axis: {
      y: r1(axisY),
      x1: x0,
      x2: f.width - f.margin,
      ticks,
      breakX,
      breakLabel: { x: breakX, y: r1(axisY + 5 + f.smallFontSize + 2), text: f.long ? `≈ 1 RTT later` : '≈ 1 RTT' },
      title: { x: x0, y: r1(axisY + f.axisH - 6), text: 'arrival at the receiver (ms)' },
    },
  };
}
