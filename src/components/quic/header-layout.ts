/**
 * QUIC's long and short headers, field by field (RFC 9000 §17.2 and §17.3; RFC 8999 for what
 * every version keeps): the data, and the layout of the diagram that draws it. Pure functions;
 * PacketHeaders.astro renders the layout at build time, in a wide and a narrow variant.
 *
 * Each header is drawn as its first byte, bit by bit, then the fields that follow as boxes
 * flowed into rows. Sizes are written as RFC 9000 writes them: bits, "i" for a variable-length
 * integer, ".." for a length given elsewhere. The long header is the Initial packet that the
 * chapter dumps byte by byte, with that capture's bytes and offsets.
 */

export type Protection = 'none' | 'header' | 'aead';

export interface BitField {
  /** The label under the bits, one entry per line. */
  name: string[];
  bits: number;
  /** What the cells show, one character per bit: a value ("1", "00") or a letter. */
  cells: string;
  protection: Protection;
}

export interface Field {
  /** Name and size, as in RFC 9000: "Version (32)". */
  label: string;
  /** The capture's bytes, or a note. */
  detail?: string;
  /** Monospace detail (bytes) or prose. */
  mono?: boolean;
  /** Byte offset in the capture. */
  offset?: number;
  protection: Protection;
  /** Variable-length fields take the spare width of their row. */
  grow?: boolean;
  /** Absent in this packet (a zero-length token): drawn dashed. */
  empty?: boolean;
}

export interface HeaderSpec {
  id: 'long' | 'short';
  title: string;
  firstByte: BitField[];
  /** What the first byte holds in the example, next to its bits: lines (joined into one under them). */
  firstByteNote?: string[];
  fields: Field[];
}

export const LONG_INITIAL: HeaderSpec = {
  id: 'long',
  title: 'Long header: Initial (RFC 9000 §17.2.2)',
  firstByte: [
    { name: ['Header', 'Form'], bits: 1, cells: '1', protection: 'none' },
    { name: ['Fixed', 'Bit'], bits: 1, cells: '1', protection: 'none' },
    { name: ['Long', 'Packet', 'Type'], bits: 2, cells: '00', protection: 'none' },
    { name: ['Reserved', 'Bits'], bits: 2, cells: 'RR', protection: 'header' },
    { name: ['Packet', 'Number', 'Length'], bits: 2, cells: 'PP', protection: 'header' },
  ],
  firstByteNote: ['in the capture: cf', '= 1100 1111'],
  fields: [
    { label: 'Version (32)', detail: '00 00 00 01', mono: true, offset: 1, protection: 'none' },
    { label: 'DCID Length (8)', detail: '12 = 18', mono: true, offset: 5, protection: 'none' },
    { label: 'Destination Connection ID (0..160)', detail: '35 fc … 8f c5', mono: true, offset: 6, protection: 'none', grow: true },
    { label: 'SCID Length (8)', detail: '11 = 17', mono: true, offset: 24, protection: 'none' },
    { label: 'Source Connection ID (0..160)', detail: '2b 16 … d2 85', mono: true, offset: 25, protection: 'none', grow: true },
    { label: 'Token Length (i)', detail: '00 = 0', mono: true, offset: 42, protection: 'none' },
    { label: 'Token (..)', detail: 'none here', protection: 'none', empty: true },
    { label: 'Length (i)', detail: '80 00 04 81 = 1,153', mono: true, offset: 43, protection: 'none' },
    { label: 'Packet Number (8..32)', detail: '1 to 4 bytes', offset: 47, protection: 'header' },
    { label: 'Packet Payload (8..)', detail: 'frames, encrypted', protection: 'aead', grow: true },
  ],
};

export const SHORT_1RTT: HeaderSpec = {
  id: 'short',
  title: 'Short header: 1-RTT (RFC 9000 §17.3.1)',
  firstByte: [
    { name: ['Header', 'Form'], bits: 1, cells: '0', protection: 'none' },
    { name: ['Fixed', 'Bit'], bits: 1, cells: '1', protection: 'none' },
    { name: ['Spin', 'Bit'], bits: 1, cells: 'S', protection: 'none' },
    { name: ['Reserved', 'Bits'], bits: 2, cells: 'RR', protection: 'header' },
    { name: ['Key', 'Phase'], bits: 1, cells: 'K', protection: 'header' },
    { name: ['Packet', 'Number', 'Length'], bits: 2, cells: 'PP', protection: 'header' },
  ],
  fields: [
    { label: 'Destination Connection ID (0..160)', detail: 'no length byte: the receiver chose the ID', protection: 'none', grow: true },
    { label: 'Packet Number (8..32)', detail: '1 to 4 bytes', protection: 'header' },
    { label: 'Packet Payload (8..)', detail: 'frames, encrypted', protection: 'aead', grow: true },
  ],
};

export const HEADERS: readonly HeaderSpec[] = [LONG_INITIAL, SHORT_1RTT];

/** The mask header protection applies to the first byte (RFC 9001 §5.4.1): 0x0f long, 0x1f short. */
export function firstByteMask(spec: HeaderSpec): number {
  let mask = 0;
  let bit = 7;
  for (const f of spec.firstByte) {
    for (let i = 0; i < f.bits; i++, bit--) if (f.protection === 'header') mask |= 1 << bit;
  }
  return mask;
}

export class HeaderInputError extends Error {
  override name = 'HeaderInputError';
}

export function checkSpec(spec: HeaderSpec): void {
  const bits = spec.firstByte.reduce((a, f) => a + f.bits, 0);
  if (bits !== 8) throw new HeaderInputError(`${spec.id}: the first byte's fields add up to ${bits} bits, not 8`);
  for (const f of spec.firstByte) {
    if ([...f.cells].length !== f.bits) throw new HeaderInputError(`${spec.id}: "${f.name.join(' ')}" shows ${f.cells.length} cells for ${f.bits} bits`);
  }
}

/** A description of one header, for the SVG's <desc>. */
export function describeHeader(spec: HeaderSpec): string {
  const first = spec.firstByte
    .map((f) => `${f.name.join(' ')} (${f.bits} bit${f.bits > 1 ? 's' : ''})${/^[01]+$/.test(f.cells) ? ` = ${f.cells}` : ''}${f.protection === 'header' ? ', masked' : ''}`)
    .join('; ');
  const rest = spec.fields
    .map((f) => `${f.label}${f.offset !== undefined ? ` at byte ${f.offset}` : ''}${f.detail ? `: ${f.detail}` : ''}${f.protection === 'header' ? ', masked by header protection' : f.protection === 'aead' ? ', encrypted and authenticated' : ''}`)
    .join('; ');
  const mask = firstByteMask(spec).toString(16).padStart(2, '0');
  return `${spec.title}. First byte, most significant bit first: ${first} (header protection mask 0x${mask}). Then: ${rest}.`;
}

// ---------- layout ----------

export interface HeaderFrame {
  width: number;
  margin: number;
  fontSize: number;
  charWidth: number;
  /** Average advance of one bold character (titles, field names). */
  boldCharWidth: number;
  smallFontSize: number;
  smallCharWidth: number;
  monoCharWidth: number;
  cellW: number;
  cellH: number;
  /** The first byte's note to the right of the bits (wide) or under their labels (narrow). */
  noteBeside: boolean;
  boxPadX: number;
  boxGap: number;
  lineH: number;
}

export const HEADER_WIDE: HeaderFrame = {
  width: 680,
  margin: 10,
  fontSize: 14,
  charWidth: 7.6,
  boldCharWidth: 8.7,
  smallFontSize: 12.5,
  smallCharWidth: 7.3,
  monoCharWidth: 7.6,
  cellW: 52,
  cellH: 30,
  noteBeside: true,
  boxPadX: 8,
  boxGap: 4,
  lineH: 17,
};

export const HEADER_NARROW: HeaderFrame = {
  width: 360,
  margin: 8,
  fontSize: 13,
  charWidth: 7.1,
  boldCharWidth: 8.1,
  smallFontSize: 12,
  smallCharWidth: 7,
  monoCharWidth: 7.3,
  cellW: 42,
  cellH: 28,
  noteBeside: false,
  boxPadX: 6,
  boxGap: 4,
  lineH: 16,
};

export interface TextAt {
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'middle' | 'end';
  /** Estimated width, for the overlap checks. */
  w: number;
}

export interface CellLayout {
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
  protection: Protection;
}

export interface FieldBox {
  x: number;
  y: number;
  w: number;
  h: number;
  protection: Protection;
  empty: boolean;
  label: TextAt;
  detail?: TextAt & { mono: boolean };
  offset?: TextAt;
}

export interface HeaderLayout {
  id: HeaderSpec['id'];
  title: TextAt;
  /** The bracket over the masked bits. */
  mask: { x1: number; x2: number; y: number; label: TextAt };
  cells: CellLayout[];
  /** Field separators drawn heavier between the first byte's fields. */
  fieldEdges: number[];
  bitLabels: TextAt[][];
  /** The example's first byte, beside or under the bits. */
  notes: TextAt[];
  boxes: FieldBox[];
  top: number;
  bottom: number;
}

export interface HeadersLayout {
  width: number;
  height: number;
  fontSize: number;
  smallFontSize: number;
  headers: HeaderLayout[];
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const est = (s: string, cw: number) => [...s].length * cw;

function layoutOne(spec: HeaderSpec, f: HeaderFrame, top: number): HeaderLayout {
  checkSpec(spec);
  const left = f.margin;
  const right = f.width - f.margin;
  let y = top;
  const title: TextAt = { x: left, y: r1(y + f.fontSize), text: spec.title, anchor: 'start', w: est(spec.title, f.boldCharWidth) };
  if (title.w > right - left) throw new HeaderInputError(`${spec.id}: the title does not fit: "${spec.title}"`);
  y += f.fontSize + 12;

  // The bracket over the masked bits, then the bits.
  const maskY = y + f.smallFontSize + 8;
  const cellsY = maskY + 6;
  const cells: CellLayout[] = [];
  const fieldEdges: number[] = [left];
  const bitLabels: TextAt[][] = [];
  let bit = 0;
  const labelTop = cellsY + f.cellH + f.smallFontSize + 3;
  for (const field of spec.firstByte) {
    const x1 = left + bit * f.cellW;
    [...field.cells].forEach((c, i) => cells.push({ x: x1 + i * f.cellW, y: cellsY, w: f.cellW, h: f.cellH, text: c, protection: field.protection }));
    bit += field.bits;
    const x2 = left + bit * f.cellW;
    fieldEdges.push(x2);
    const cx = r1((x1 + x2) / 2);
    bitLabels.push(field.name.map((line, i) => ({ x: cx, y: r1(labelTop + i * (f.smallFontSize + 2)), text: line, anchor: 'middle', w: est(line, f.smallCharWidth) })));
  }
  const masked = cells.filter((c) => c.protection === 'header');
  const mx1 = Math.min(...masked.map((c) => c.x));
  const mx2 = Math.max(...masked.map((c) => c.x + c.w));
  const maskText = 'masked by header protection';
  const maskLabel: TextAt = { x: r1((mx1 + mx2) / 2), y: r1(maskY - 9), text: maskText, anchor: 'middle', w: est(maskText, f.smallCharWidth) };
  const lines = Math.max(...spec.firstByte.map((b) => b.name.length));
  let labelsBottom = labelTop + (lines - 1) * (f.smallFontSize + 2) + 4;

  const notes: TextAt[] = [];
  if (spec.firstByteNote) {
    if (f.noteBeside) {
      const lh = f.smallFontSize + 3;
      const y0 = cellsY + f.cellH / 2 + f.smallFontSize * 0.36 - ((spec.firstByteNote.length - 1) * lh) / 2;
      spec.firstByteNote.forEach((t, i) => notes.push({ x: left + 8 * f.cellW + 14, y: r1(y0 + i * lh), text: t, anchor: 'start', w: est(t, f.smallCharWidth) }));
    } else {
      const t = spec.firstByteNote.join(' ');
      notes.push({ x: left, y: r1(labelsBottom + f.smallFontSize + 4), text: t, anchor: 'start', w: est(t, f.smallCharWidth) });
      labelsBottom += f.smallFontSize + 8;
    }
  }
  y = labelsBottom + 12;

  // The fields after the first byte, flowed into rows and stretched to the full width.
  const hasOffsets = spec.fields.some((x) => x.offset !== undefined);
  const offsetH = hasOffsets ? f.smallFontSize + 3 : 0;
  const boxH = 2 * f.lineH + 10;
  const natural = spec.fields.map((fl) => {
    const lw = est(fl.label, f.boldCharWidth);
    const dw = fl.detail ? est(fl.detail, fl.mono ? f.monoCharWidth : f.smallCharWidth) : 0;
    const w = Math.max(lw, dw) + 2 * f.boxPadX;
    if (w > right - left) throw new HeaderInputError(`${spec.id}: "${fl.label}" does not fit in one row`);
    return w;
  });
  const rows: number[][] = [];
  let row: number[] = [];
  let used = 0;
  natural.forEach((w, i) => {
    const need = row.length ? used + f.boxGap + w : w;
    if (row.length && need > right - left) {
      rows.push(row);
      row = [];
      used = 0;
    }
    used = row.length ? used + f.boxGap + w : w;
    row.push(i);
  });
  if (row.length) rows.push(row);

  const boxes: FieldBox[] = [];
  for (const r of rows) {
    const sum = r.reduce((a, i) => a + natural[i]!, 0) + f.boxGap * (r.length - 1);
    const spare = right - left - sum;
    const growers = r.filter((i) => spec.fields[i]!.grow);
    const share = (i: number) => (growers.length ? (growers.includes(i) ? spare / growers.length : 0) : spare / r.length);
    let x = left;
    const by = y + (r.some((i) => spec.fields[i]!.offset !== undefined) ? offsetH : 0);
    for (const i of r) {
      const fl = spec.fields[i]!;
      const w = natural[i]! + share(i);
      const box: FieldBox = {
        x: r1(x),
        y: r1(by),
        w: r1(w),
        h: boxH,
        protection: fl.protection,
        empty: !!fl.empty,
        label: { x: r1(x + f.boxPadX), y: r1(by + 5 + f.fontSize), text: fl.label, anchor: 'start', w: est(fl.label, f.boldCharWidth) },
      };
      if (fl.detail) {
        box.detail = {
          x: r1(x + f.boxPadX),
          y: r1(by + 5 + f.fontSize + f.lineH),
          text: fl.detail,
          anchor: 'start',
          w: est(fl.detail, fl.mono ? f.monoCharWidth : f.smallCharWidth),
          mono: !!fl.mono,
        };
      }
      if (fl.offset !== undefined) {
        const t = `${fl.offset}`;
        box.offset = { x: r1(x + 2), y: r1(by - 4), text: t, anchor: 'start', w: est(t, f.smallCharWidth) };
      }
      boxes.push(box);
      x += w + f.boxGap;
    }
    y = by + boxH + 6;
  }
  return {
    id: spec.id,
    title,
    mask: { x1: r1(mx1), x2: r1(mx2), y: r1(maskY), label: maskLabel },
    cells,
    fieldEdges,
    bitLabels,
    notes,
    boxes,
    top,
    bottom: r1(y),
  };
}

export function layoutHeaders(f: HeaderFrame, specs: readonly HeaderSpec[] = HEADERS): HeadersLayout {
  const headers: HeaderLayout[] = [];
  let y = 4;
  for (const spec of specs) {
    const h = layoutOne(spec, f, y);
    headers.push(h);
    y = h.bottom + 18;
  }
  return { width: f.width, height: Math.ceil(y - 18 + 4), fontSize: f.fontSize, smallFontSize: f.smallFontSize, headers };
}
