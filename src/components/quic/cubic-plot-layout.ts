/**
 * Layout of the congestion-window plot: pure functions from window traces to SVG coordinates
 * and markup. The chapter renders the default plot at build time with `renderPlotSvg`, and the
 * slider code renders the same markup in the browser, so both draw exactly the same picture.
 *
 * Nothing here knows about congestion control: a series is a list of (time, window) points and
 * the loss events to mark on it. Text widths are estimated from character counts (there is no
 * font at build time), generously, as the sequence diagrams do.
 */

export interface TracePointLike {
  tMs: number;
  cwnd: number;
}

export interface SeriesInput {
  id: string;
  label: string;
  /** How the line is drawn: solid or dashed (so the series stay apart in print too). */
  style: 'solid' | 'dashed';
  points: readonly TracePointLike[];
  /** Points at which a loss was detected, marked with a cross. */
  losses: readonly TracePointLike[];
}

export interface PlotInput {
  durationMs: number;
  /** The window the path holds, drawn as a dotted horizontal line. */
  capacity: number;
  series: readonly SeriesInput[];
  /** Times of losses that were not caused by the window (a lossy link), marked under the axis. */
  extraLossesMs: readonly number[];
}

/** The size of one rendering of the plot, in SVG user units. */
export interface PlotFrame {
  width: number;
  height: number;
  /** Room around the plotting area; the top grows to fit the legend's rows. */
  margin: { top: number; right: number; bottom: number; left: number };
  fontSize: number;
  /** Average advance of one character at fontSize. */
  charWidth: number;
  maxXTicks: number;
  maxYTicks: number;
}

/** For a column of about 40rem and more. */
export const WIDE: PlotFrame = {
  width: 680,
  height: 360,
  margin: { top: 20, right: 18, bottom: 48, left: 62 },
  fontSize: 14,
  charWidth: 7.6,
  maxXTicks: 7,
  maxYTicks: 6,
};

/** For a phone: fewer ticks, a legend on two rows, text that stays readable at 360 units wide. */
export const NARROW: PlotFrame = {
  width: 360,
  height: 320,
  margin: { top: 20, right: 12, bottom: 44, left: 56 },
  fontSize: 13,
  charWidth: 7.1,
  maxXTicks: 4,
  maxYTicks: 5,
};

export interface XY {
  x: number;
  y: number;
}

export interface Tick {
  /** Position along the axis, in SVG units. */
  pos: number;
  value: number;
  label: string;
}

export interface LegendItem {
  kind: 'series' | 'capacity' | 'loss' | 'extra-loss';
  /** The series it stands for (kind 'series'). */
  id?: string;
  style?: 'solid' | 'dashed';
  label: string;
  /** Left end of the swatch, and the baseline of the row. */
  x: number;
  y: number;
  /** Where the label text starts. */
  textX: number;
}

export interface SeriesLayout {
  id: string;
  label: string;
  style: 'solid' | 'dashed';
  /** The line, as an SVG path. */
  d: string;
  markers: XY[];
}

export interface PlotLayout {
  width: number;
  height: number;
  fontSize: number;
  area: { x: number; y: number; w: number; h: number };
  xTicks: Tick[];
  yTicks: Tick[];
  xTitle: XY & { text: string };
  yTitle: XY & { text: string };
  capacity: { y: number; x1: number; x2: number };
  series: SeriesLayout[];
  /** x positions of extra (non-congestion) losses, drawn as short ticks under the axis. */
  extraLosses: number[];
  extraLossY: { y1: number; y2: number };
  legend: LegendItem[];
}

export class PlotInputError extends Error {
  override name = 'PlotInputError';
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The smallest "nice" step (1, 2 or 5 times a power of ten) that cuts `span` into at most
 * `maxTicks` intervals.
 */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0) || !Number.isFinite(span)) throw new PlotInputError(`a tick span must be a positive number, got ${span}`);
  if (!(maxTicks >= 1)) throw new PlotInputError(`maxTicks must be at least 1, got ${maxTicks}`);
  const raw = span / Math.floor(maxTicks);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    const step = m * pow;
    // Tolerate the rounding of log10 and of the division (e.g. 0.30000000000000004).
    if (step >= raw * (1 - 1e-9)) return step;
  }
  return 10 * pow;
}

/** Round a multiple of `step` so that binary fractions do not leak into labels (0.30000000000000004). */
function snap(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(decimals));
}

/** Tick values: every multiple of `step` from `min` to `max`, both included when they are multiples. */
export function tickValues(min: number, max: number, step: number): number[] {
  if (!(step > 0)) throw new PlotInputError(`a tick step must be positive, got ${step}`);
  if (max < min) throw new PlotInputError(`tick range is empty: ${min} > ${max}`);
  const out: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let i = first; i <= last; i++) out.push(snap(i * step, step));
  return out;
}

/** The upper end of an axis starting at 0 that holds `value`: the next multiple of a nice step. */
export function niceMax(value: number, maxTicks: number): { max: number; step: number } {
  if (!(value > 0)) throw new PlotInputError(`an axis needs a positive maximum, got ${value}`);
  const step = niceStep(value, maxTicks);
  return { max: snap(Math.ceil(value / step - 1e-9) * step, step), step };
}

/** A linear map from [d0, d1] to [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d0 === d1) throw new PlotInputError(`a scale needs a domain of non-zero width, got [${d0}, ${d1}]`);
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Thousands separated with commas, whatever the reader's locale: 83333 -> "83,333". */
export function formatNumber(n: number, decimals = 0): string {
  const fixed = Math.abs(n).toFixed(decimals);
  const [int, frac] = fixed.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = n < 0 && Number(fixed) !== 0 ? '−' : '';
  return sign + grouped + (frac ? `.${frac}` : '');
}

/**
 * Fewer points, same picture: points are grouped into columns `columnWidth` wide (in SVG
 * units), and a column with more than four points keeps only its first, lowest, highest and
 * last, in their original order. Peaks and troughs survive; the path stays short.
 */
export function decimate(points: readonly XY[], columnWidth = 1): XY[] {
  if (!(columnWidth > 0)) throw new PlotInputError(`columnWidth must be positive, got ${columnWidth}`);
  const out: XY[] = [];
  let i = 0;
  while (i < points.length) {
    const col = Math.floor(points[i]!.x / columnWidth);
    let j = i;
    while (j < points.length && Math.floor(points[j]!.x / columnWidth) === col) j++;
    if (j - i <= 4) {
      for (let k = i; k < j; k++) out.push(points[k]!);
    } else {
      let lo = i;
      let hi = i;
      for (let k = i; k < j; k++) {
        if (points[k]!.y < points[lo]!.y) lo = k;
        if (points[k]!.y > points[hi]!.y) hi = k;
      }
      for (const k of [...new Set([i, lo, hi, j - 1])].sort((a, b) => a - b)) out.push(points[k]!);
    }
    i = j;
  }
  return out;
}

/** An SVG path through the points: "M x y L x y ...", to a tenth of a unit. */
export function pathData(points: readonly XY[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r1(p.x)} ${r1(p.y)}`).join('');
}

/** One path of small crosses, radius `r`, centred on the points. */
export function crossesPath(points: readonly XY[], r: number): string {
  return points.map((p) => `M${r1(p.x - r)} ${r1(p.y - r)}l${2 * r} ${2 * r}m0 ${-2 * r}l${-2 * r} ${2 * r}`).join('');
}

export function estimateTextWidth(text: string, frame: PlotFrame): number {
  return [...text].length * frame.charWidth;
}

const SWATCH = 24;
const SWATCH_GAP = 6;
const ITEM_GAP = 18;

/** Legend entries flowed left to right across the top margin, wrapping to new rows. */
export function layoutLegend(items: readonly Omit<LegendItem, 'x' | 'y' | 'textX'>[], frame: PlotFrame): LegendItem[] {
  const left = frame.margin.left;
  const right = frame.width - frame.margin.right;
  const rowH = Math.round(frame.fontSize * 1.45);
  let x = left;
  let y = Math.round(frame.fontSize * 1.2);
  const out: LegendItem[] = [];
  for (const item of items) {
    const w = SWATCH + SWATCH_GAP + estimateTextWidth(item.label, frame);
    if (x > left && x + w > right) {
      x = left;
      y += rowH;
    }
    out.push({ ...item, x, y, textX: x + SWATCH + SWATCH_GAP });
    x += w + ITEM_GAP;
  }
  return out;
}

/** Place everything: the legend, then axes and ticks, the capacity line and the series below it. */
export function layoutPlot(input: PlotInput, frame: PlotFrame): PlotLayout {
  if (!(input.durationMs > 0)) throw new PlotInputError(`durationMs must be positive, got ${input.durationMs}`);
  if (input.series.length === 0) throw new PlotInputError('a plot needs at least one series');
  const { margin } = frame;

  const legendItems: Omit<LegendItem, 'x' | 'y' | 'textX'>[] = [
    ...input.series.map((s) => ({ kind: 'series' as const, id: s.id, style: s.style, label: s.label })),
    { kind: 'loss' as const, label: 'loss' },
  ];
  if (input.extraLossesMs.length > 0) legendItems.push({ kind: 'extra-loss' as const, label: 'link loss' });
  legendItems.push({ kind: 'capacity' as const, label: `path holds ${formatNumber(input.capacity)}` });
  const legend = layoutLegend(legendItems, frame);
  const legendBottom = Math.max(...legend.map((l) => l.y)) + Math.round(frame.fontSize * 0.4);

  const top = Math.max(margin.top, legendBottom + 14);
  const area = {
    x: margin.left,
    y: top,
    w: frame.width - margin.left - margin.right,
    h: frame.height - top - margin.bottom,
  };

  let highest = input.capacity;
  for (const s of input.series) for (const p of s.points) if (p.cwnd > highest) highest = p.cwnd;
  const yAxis = niceMax(highest * 1.04, frame.maxYTicks);
  const durationS = input.durationMs / 1000;
  const xStep = niceStep(durationS, frame.maxXTicks);

  const sx = linearScale(0, durationS, area.x, area.x + area.w);
  const sy = linearScale(0, yAxis.max, area.y + area.h, area.y);

  const xTicks = tickValues(0, durationS, xStep).map((v) => ({ pos: r1(sx(v)), value: v, label: formatNumber(v, xStep < 1 ? 1 : 0) }));
  const yTicks = tickValues(0, yAxis.max, yAxis.step).map((v) => ({ pos: r1(sy(v)), value: v, label: formatNumber(v) }));

  const series: SeriesLayout[] = input.series.map((s) => {
    const px = s.points.map((p) => ({ x: sx(p.tMs / 1000), y: sy(p.cwnd) }));
    return {
      id: s.id,
      label: s.label,
      style: s.style,
      d: pathData(decimate(px, 1)),
      markers: s.losses.map((p) => ({ x: r1(sx(p.tMs / 1000)), y: r1(sy(p.cwnd)) })),
    };
  });

  const axisY = area.y + area.h;
  return {
    width: frame.width,
    height: frame.height,
    fontSize: frame.fontSize,
    area,
    xTicks,
    yTicks,
    xTitle: { x: area.x + area.w / 2, y: frame.height - 8, text: 'time (s)' },
    yTitle: { x: Math.round(frame.fontSize * 0.85), y: area.y + area.h / 2, text: 'window (segments)' },
    capacity: { y: r1(sy(input.capacity)), x1: area.x, x2: area.x + area.w },
    series,
    extraLosses: input.extraLossesMs.filter((t) => t >= 0 && t <= input.durationMs).map((t) => r1(sx(t / 1000))),
    extraLossY: { y1: axisY - 7, y2: axisY },
    legend,
  };
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface RenderOptions {
  /** Prefix of the ids inside the SVG (title, description); unique on the page. */
  id: string;
  title: string;
  description: string;
}

/**
 * The plot as an SVG string. Colours come from classes (styled with the page's CSS variables),
 * so the same markup follows light, dark and print styles.
 */
export function renderPlotSvg(L: PlotLayout, opts: RenderOptions): string {
  const { area } = L;
  const e = escapeXml;
  const axisY = area.y + area.h;
  const parts: string[] = [];
  parts.push(
    `<svg class="cplot__svg" viewBox="0 0 ${L.width} ${L.height}" width="${L.width}" height="${L.height}" role="img" ` +
      `aria-labelledby="${opts.id}-title ${opts.id}-desc" font-size="${L.fontSize}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${opts.id}-title">${e(opts.title)}</title>`,
    `<desc id="${opts.id}-desc">${e(opts.description)}</desc>`,
  );
  // Grid and ticks.
  parts.push('<g class="cplot__grid">');
  for (const t of L.yTicks) parts.push(`<line x1="${area.x}" x2="${area.x + area.w}" y1="${t.pos}" y2="${t.pos}"/>`);
  parts.push('</g>');
  parts.push('<g class="cplot__axis">');
  parts.push(`<line x1="${area.x}" x2="${area.x + area.w}" y1="${axisY}" y2="${axisY}"/>`);
  parts.push(`<line x1="${area.x}" x2="${area.x}" y1="${area.y}" y2="${axisY}"/>`);
  for (const t of L.xTicks) parts.push(`<line x1="${t.pos}" x2="${t.pos}" y1="${axisY}" y2="${axisY + 5}"/>`);
  for (const t of L.yTicks) parts.push(`<line x1="${area.x - 5}" x2="${area.x}" y1="${t.pos}" y2="${t.pos}"/>`);
  parts.push('</g>');
  parts.push('<g class="cplot__ticks">');
  for (const t of L.xTicks) parts.push(`<text x="${t.pos}" y="${axisY + 5 + L.fontSize + 2}" text-anchor="middle">${e(t.label)}</text>`);
  for (const t of L.yTicks) parts.push(`<text x="${area.x - 9}" y="${r1(t.pos + L.fontSize * 0.35)}" text-anchor="end">${e(t.label)}</text>`);
  parts.push('</g>');
  parts.push(
    `<text class="cplot__title" x="${L.xTitle.x}" y="${L.xTitle.y}" text-anchor="middle">${e(L.xTitle.text)}</text>`,
    `<text class="cplot__title" x="${L.yTitle.x}" y="${L.yTitle.y}" text-anchor="middle" transform="rotate(-90 ${L.yTitle.x} ${L.yTitle.y})">${e(L.yTitle.text)}</text>`,
  );
  // The path's capacity.
  const c = L.capacity;
  parts.push(`<line class="cplot__capacity" x1="${c.x1}" x2="${c.x2}" y1="${c.y}" y2="${c.y}"/>`);
  // Extra losses, under the axis line.
  if (L.extraLosses.length > 0) {
    const d = L.extraLosses.map((x) => `M${x} ${L.extraLossY.y1}V${L.extraLossY.y2}`).join('');
    parts.push(`<path class="cplot__extra-loss" d="${d}"/>`);
  }
  // Series: lines first, then every series' markers on top.
  for (const s of L.series) parts.push(`<path class="cplot__line cplot__line--${e(s.id)} cplot__line--${s.style}" d="${s.d}"/>`);
  for (const s of L.series) {
    if (s.markers.length > 0) parts.push(`<path class="cplot__loss cplot__loss--${e(s.id)}" d="${crossesPath(s.markers, 3.5)}"/>`);
  }
  // Legend.
  parts.push('<g class="cplot__legend">');
  for (const item of L.legend) {
    const midY = r1(item.y - L.fontSize * 0.35);
    const x2 = item.x + SWATCH;
    if (item.kind === 'series') {
      parts.push(`<line class="cplot__line cplot__line--${e(item.id ?? '')} cplot__line--${item.style}" x1="${item.x}" x2="${x2}" y1="${midY}" y2="${midY}"/>`);
    } else if (item.kind === 'capacity') {
      parts.push(`<line class="cplot__capacity" x1="${item.x}" x2="${x2}" y1="${midY}" y2="${midY}"/>`);
    } else if (item.kind === 'loss') {
      parts.push(`<path class="cplot__loss" d="${crossesPath([{ x: item.x + SWATCH / 2, y: midY }], 3.5)}"/>`);
    } else {
      parts.push(`<path class="cplot__extra-loss" d="M${item.x + SWATCH / 2} ${r1(midY - 5)}V${r1(midY + 5)}"/>`);
    }
    parts.push(`<text x="${item.textX}" y="${item.y}">${e(item.label)}</text>`);
  }
  parts.push('</g>');
  parts.push('</svg>');
  return parts.join('');
}
