/**
 * Layout of a ladder diagram: two lifelines with time running down, and each message a slanted
 * arrow from the instant it is sent to the instant it arrives, so messages in flight at the same
 * time cross, as they do on a real path. A sequence diagram draws one row per message and cannot
 * show that C2 and S2 of an RTMP handshake travel at once, nor how many round trips pass before
 * the first command may leave. A pure function from data to SVG coordinates; Ladder.astro draws
 * it at build time. Text widths are estimated from character counts, generously; labels that
 * would collide are a build error, so a bad diagram never ships.
 */

export type Side = 'left' | 'right';

export interface LadderMessage {
  from: Side;
  label: string;
  /** The instant it leaves its sender, in the diagram's unit. */
  send: number;
  /** The instant it reaches the other side. */
  arrive: number;
  /** Dashed: a reply, by convention. */
  dashed?: boolean;
  /** Where along the arrow, from its sender, the label begins: a fraction (default 0.12). */
  labelAt?: number;
}

/** A state or a remark written beside one lifeline at an instant. */
export interface LadderMark {
  side: Side;
  at: number;
  text: string;
}

export interface LadderInput {
  left: string;
  right: string;
  /** The last instant drawn. */
  max: number;
  /** Distance between the axis' ticks. */
  tick: number;
  unit?: string;
  messages: LadderMessage[];
  marks?: LadderMark[];
}

export interface LadderText { x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end'; /** Degrees, about (x, y). */ rotate?: number }

export interface LadderLayout {
  width: number;
  height: number;
  heads: { left: LadderText; right: LadderText };
  lifelines: { left: number; right: number; y1: number; y2: number };
  ticks: { y: number; label: LadderText }[];
  arrows: { x1: number; y1: number; x2: number; y2: number; dashed: boolean; label: LadderText; head: string }[];
  marks: { x: number; y: number; label: LadderText }[];
}

const L = {
  charWidth: 7.6,
  lineHeight: 16,
  axisWidth: 64,
  markWidth: 170,
  gap: 380,
  top: 44,
  bottom: 20,
} as const;

const textWidth = (s: string): number => [...s].length * L.charWidth;

/** A rectangle in the diagram, possibly rotated: its four corners, in order. */
type Quad = { corners: [number, number][]; what: string };

function quadOfText(t: LadderText, what: string): Quad {
  const w = textWidth(t.text);
  const x1 = t.anchor === 'start' ? 0 : t.anchor === 'end' ? -w : -w / 2;
  const local: [number, number][] = [[x1, -12], [x1 + w, -12], [x1 + w, 3], [x1, 3]];
  const r = ((t.rotate ?? 0) * Math.PI) / 180;
  const [c, sn] = [Math.cos(r), Math.sin(r)];
  return { what, corners: local.map(([x, y]) => [t.x + x * c - y * sn, t.y + x * sn + y * c]) };
}

// Separating-axis test for two convex quadrilaterals, or a quadrilateral and a segment.
function separated(a: [number, number][], b: [number, number][]): boolean {
  const polys = [a, b];
  for (const poly of polys) {
    for (let i = 0; i < poly.length; i++) {
      const [x1, y1] = poly[i]!;
      const [x2, y2] = poly[(i + 1) % poly.length]!;
      const axis: [number, number] = [y1 - y2, x2 - x1];
      const proj = (p: [number, number][]) => p.map(([x, y]) => x * axis[0] + y * axis[1]);
      const pa = proj(a);
      const pb = proj(b);
      if (Math.max(...pa) <= Math.min(...pb) || Math.max(...pb) <= Math.min(...pa)) return true;
    }
  }
  return false;
}

/** Lay out a ladder; throws when the input is inconsistent or two labels would overlap. */
export function layoutLadder(input: LadderInput, pxPerUnit = 5): LadderLayout {
  const unit = input.unit ?? 'ms';
  const xl = L.axisWidth + L.markWidth;
  const xr = xl + L.gap;
  const width = xr + L.markWidth;
  const y = (t: number): number => L.top + t * pxPerUnit;
  const height = y(input.max) + L.bottom;
  const quads: Quad[] = [];
  const place = (t: LadderText, what: string): LadderText => {
    const q = quadOfText(t, what);
    const hit = quads.find((o) => !separated(o.corners, q.corners));
    if (hit) throw new Error(`ladder: "${what}" overlaps "${hit.what}"`);
    quads.push(q);
    return t;
  };

  const arrows = input.messages.map((m) => {
    if (!(m.arrive > m.send) || m.send < 0 || m.arrive > input.max) {
      throw new Error(`ladder: "${m.label}" must arrive after it is sent, within 0..${input.max}`);
    }
    const [x1, x2] = m.from === 'left' ? [xl, xr] : [xr, xl];
    const y1 = y(m.send);
    const y2 = y(m.arrive);
    // The label runs along its arrow, just above it, starting a little way from the sender:
    // far enough that a reply arriving at the sender at the same instant has moved away, and
    // at the angle of the arrow, so that the arrow never runs through its own label.
    const len = Math.hypot(x2 - x1, y2 - y1);
    const ux = (x2 - x1) / len;
    const uy = (y2 - y1) / len;
    const at = (m.labelAt ?? 0.12) * len;
    const px = x1 + ux * at;
    const py = y1 + uy * at;
    // Up from the line, whichever way it runs: text reads left to right.
    const [rx, ry] = m.from === 'left' ? [ux, uy] : [-ux, -uy];
    const [nx, ny] = [ry, -rx];
    const label = place(
      {
        x: +(px + nx * 5).toFixed(1),
        y: +(py + ny * 5).toFixed(1),
        text: m.label,
        anchor: m.from === 'left' ? 'start' : 'end',
        rotate: +((Math.atan2(ry, rx) * 180) / Math.PI).toFixed(2),
      },
      m.label,
    );
    if (at + textWidth(m.label) > len - 12) throw new Error(`ladder: "${m.label}" is longer than its arrow`);
    const ang = Math.atan2(y2 - y1, x2 - x1);
    const hx = (a: number) => (x2 - 9 * Math.cos(ang + a)).toFixed(1);
    const hy = (a: number) => (y2 - 9 * Math.sin(ang + a)).toFixed(1);
    const head = `${x2},${y2} ${hx(0.4)},${hy(0.4)} ${hx(-0.4)},${hy(-0.4)}`;
    return { x1, y1, x2, y2, dashed: m.dashed ?? false, label, head };
  });

  // No arrow may cross another arrow's label.
  arrows.forEach((a, i) => {
    const q = quadOfText(a.label, a.label.text);
    arrows.forEach((b, j) => {
      if (i !== j && !separated(q.corners, [[b.x1, b.y1], [b.x2, b.y2]])) {
        throw new Error(`ladder: the arrow of "${b.label.text}" runs through the label "${a.label.text}"`);
      }
    });
  });

  const marks = (input.marks ?? []).map((m) => {
    const x = m.side === 'left' ? xl : xr;
    const label = place(
      { x: m.side === 'left' ? xl - 8 : xr + 8, y: y(m.at) + 4, text: m.text, anchor: m.side === 'left' ? 'end' : 'start' },
      m.text,
    );
    if (textWidth(m.text) > L.markWidth - 12) throw new Error(`ladder: mark "${m.text}" is wider than its margin`);
    return { x, y: y(m.at), label };
  });

  const ticks: LadderLayout['ticks'] = [];
  for (let t = 0; t <= input.max + 1e-9; t += input.tick) {
    ticks.push({ y: y(t), label: { x: L.axisWidth - 8, y: y(t) + 4, text: `${+t.toFixed(3)} ${unit}`, anchor: 'end' } });
  }

  return {
    width,
    height,
    heads: {
      left: { x: xl, y: 24, text: input.left, anchor: 'middle' },
      right: { x: xr, y: 24, text: input.right, anchor: 'middle' },
    },
    lifelines: { left: xl, right: xr, y1: 32, y2: y(input.max) },
    ticks,
    arrows,
    marks,
  };
}

/** The diagram in words, for the SVG's description. */
export function describeLadder(input: LadderInput): string {
  const unit = input.unit ?? 'ms';
  const name = (s: Side) => (s === 'left' ? input.left : input.right);
  const parts = [...input.messages]
    .sort((a, b) => a.send - b.send)
    .map((m) => `${name(m.from)} sends ${m.label} at ${m.send} ${unit}, arriving at ${m.arrive} ${unit}.`);
  const marks = (input.marks ?? []).map((m) => `At ${m.at} ${unit}, ${name(m.side)}: ${m.text}.`);
  return [...parts, ...marks].join(' ');
}
