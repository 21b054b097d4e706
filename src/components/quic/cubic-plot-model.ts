/**
 * What the CUBIC-beside-Reno plot shows: the scenario behind it, the window traces (computed by
 * the cubic lab's reference `windowTrace`, never re-implemented here), and the numbers the
 * caption and the table quote. Used at build time by CubicPlot.astro and in the browser by the
 * slider code, so the default picture and a recomputed one come from the same code.
 */
import {
  ALPHA_CUBIC,
  BETA_CUBIC,
  BETA_RENO,
  cubicK,
  windowTrace,
  type Scenario,
  type TracePoint,
} from '../../../labs/quic/cubic/reference.ts';
import { formatNumber, type PlotInput, type TracePointLike } from './cubic-plot-layout.ts';

/** The path holds this many full-sized segments (bandwidth-delay product, no extra buffer). */
export const PATH_SEGMENTS = 200;
export const SEGMENT_BYTES = 1500;
export const DURATION_MS = 60_000;

/** The RTT slider, in milliseconds. */
export const RTT_RANGE = { min: 20, max: 300, step: 10 } as const;

/** The loss slider's positions: a link loss every so many seconds; 0 means none. */
export const LOSS_EVERY_S = [0, 30, 20, 15, 10, 5, 3, 2] as const;

export interface PlotSettings {
  rttMs: number;
  /** A loss not caused by congestion every this many seconds; 0 for none. */
  lossEveryS: number;
}

export const DEFAULT_SETTINGS: PlotSettings = { rttMs: 100, lossEveryS: 0 };

export const PLOT_TITLE = 'Congestion window over time: CUBIC beside Reno';

export type Kind = 'cubic' | 'reno';
export const KINDS: readonly Kind[] = ['cubic', 'reno'];
export const KIND_LABEL: Record<Kind, string> = { cubic: 'CUBIC', reno: 'Reno' };

export function lossLabel(everyS: number): string {
  return everyS > 0 ? `every ${everyS} s` : 'none';
}

/** The scheduled link losses: every `everyS` seconds, before the end. */
export function extraLossTimes(everyS: number, durationMs = DURATION_MS): number[] {
  if (!(everyS > 0)) return [];
  const out: number[] = [];
  for (let t = everyS * 1000; t < durationMs; t += everyS * 1000) out.push(t);
  return out;
}

/** Clamp and round slider values to the positions the sliders offer. */
export function normalizeSettings(s: PlotSettings): PlotSettings {
  const rtt = Number.isFinite(s.rttMs) ? s.rttMs : DEFAULT_SETTINGS.rttMs;
  const rttMs = Math.min(RTT_RANGE.max, Math.max(RTT_RANGE.min, Math.round(rtt / RTT_RANGE.step) * RTT_RANGE.step));
  const lossEveryS = (LOSS_EVERY_S as readonly number[]).includes(s.lossEveryS) ? s.lossEveryS : 0;
  return { rttMs, lossEveryS };
}

/**
 * The network: a path that holds PATH_SEGMENTS segments, so a round trip with more in flight
 * loses one, plus the scheduled link losses.
 */
export function scenarioFor(s: PlotSettings): Scenario {
  return { rttMs: s.rttMs, durationMs: DURATION_MS, capacity: PATH_SEGMENTS, lossesAtMs: extraLossTimes(s.lossEveryS) };
}

/**
 * Both flows start with a full window (cwnd = ssthresh = the path's capacity): slow start is
 * the same for both and would only push the interesting part of the picture down.
 */
export function traceFor(kind: Kind, s: PlotSettings): TracePoint[] {
  return windowTrace(kind, scenarioFor(s), { initialCwnd: PATH_SEGMENTS, initialSsthresh: PATH_SEGMENTS });
}

export interface TraceStats {
  /** Losses that reduced the window (a loss inside a recovery period does not). */
  reductions: number;
  /** Mean time between two reductions, in seconds; null with fewer than two. */
  meanGapS: number | null;
  /** Mean window at the start of each round trip, in segments. */
  meanWindow: number;
  /** Share of the path's capacity the flow kept busy: mean of min(window, capacity) / capacity. */
  pathShare: number;
  minWindow: number;
  maxWindow: number;
}

export function traceStats(trace: readonly TracePoint[], capacity: number): TraceStats {
  const reductionTimes: number[] = [];
  for (let i = 1; i < trace.length; i++) {
    if (trace[i]!.event === 'loss' && trace[i]!.cwnd < trace[i - 1]!.cwnd) reductionTimes.push(trace[i]!.tMs);
  }
  // The window each round trip started with: the start point and every round's end but the last.
  const starts = trace.filter((p) => p.event !== 'loss').slice(0, -1);
  const windows = starts.length > 0 ? starts.map((p) => p.cwnd) : trace.map((p) => p.cwnd);
  const sum = windows.reduce((a, w) => a + w, 0);
  const used = windows.reduce((a, w) => a + Math.min(Math.max(1, Math.floor(w)), capacity), 0);
  const gaps = reductionTimes.slice(1).map((t, i) => t - reductionTimes[i]!);
  return {
    reductions: reductionTimes.length,
    meanGapS: gaps.length > 0 ? gaps.reduce((a, g) => a + g, 0) / gaps.length / 1000 : null,
    meanWindow: sum / windows.length,
    pathShare: used / windows.length / capacity,
    minWindow: Math.min(...trace.map((p) => p.cwnd)),
    maxWindow: Math.max(...trace.map((p) => p.cwnd)),
  };
}

/** How long each controller takes to climb back after one loss at the path's capacity. */
export interface ClimbBack {
  window: number;
  bandwidthMbps: number;
  cubicAfter: number;
  /** K: the cubic curve's time back to W_max, independent of the RTT. */
  kS: number;
  /** The Reno-friendly estimate W_est's time back (α_cubic segments per RTT), which does depend on it. */
  wEstS: number;
  /** Whichever comes first: CUBIC's window is the larger of the two curves. */
  cubicS: number;
  cubicVia: 'cubic' | 'reno-friendly';
  renoAfter: number;
  /** Reno adds one segment per RTT: window/2 round trips. */
  renoRtts: number;
  renoS: number;
}

export function climbBack(s: PlotSettings, window = PATH_SEGMENTS): ClimbBack {
  const rttS = s.rttMs / 1000;
  const cubicAfter = window * BETA_CUBIC;
  const kS = cubicK(window, cubicAfter);
  const wEstS = ((window - cubicAfter) / ALPHA_CUBIC) * rttS;
  const renoAfter = window * BETA_RENO;
  const renoRtts = window - renoAfter;
  return {
    window,
    bandwidthMbps: (window * SEGMENT_BYTES * 8) / rttS / 1e6,
    cubicAfter,
    kS,
    wEstS,
    cubicS: Math.min(kS, wEstS),
    cubicVia: wEstS < kS ? 'reno-friendly' : 'cubic',
    renoAfter,
    renoRtts,
    renoS: renoRtts * rttS,
  };
}

/** The points to draw: each loss gets a point just before it at the window it hit, so the drop is vertical. */
export function drawnPoints(trace: readonly TracePoint[]): { points: TracePointLike[]; losses: TracePointLike[] } {
  const points: TracePointLike[] = [];
  const losses: TracePointLike[] = [];
  let prev: TracePoint | undefined;
  for (const p of trace) {
    if (p.event === 'loss' && prev) {
      const before = { tMs: p.tMs, cwnd: prev.cwnd };
      points.push(before);
      losses.push(before);
    }
    points.push({ tMs: p.tMs, cwnd: p.cwnd });
    prev = p;
  }
  return { points, losses };
}

export interface PlotModel {
  settings: PlotSettings;
  traces: Record<Kind, TracePoint[]>;
  stats: Record<Kind, TraceStats>;
  climb: ClimbBack;
  plot: PlotInput;
}

export function computePlot(settings: PlotSettings): PlotModel {
  const s = normalizeSettings(settings);
  const traces = { cubic: traceFor('cubic', s), reno: traceFor('reno', s) };
  const stats = { cubic: traceStats(traces.cubic, PATH_SEGMENTS), reno: traceStats(traces.reno, PATH_SEGMENTS) };
  const plot: PlotInput = {
    durationMs: DURATION_MS,
    capacity: PATH_SEGMENTS,
    extraLossesMs: extraLossTimes(s.lossEveryS),
    series: KINDS.map((k) => ({ id: k, label: KIND_LABEL[k], style: k === 'cubic' ? 'solid' : 'dashed', ...drawnPoints(traces[k]) })),
  };
  return { settings: s, traces, stats, climb: climbBack(s), plot };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const secs = (x: number) => `${formatNumber(x, x < 10 ? 1 : 0)} s`;

/** The numbers of the key-numbers table, by `<kind>.<field>`. */
export function keyNumbers(m: PlotModel): Record<string, string> {
  const c = m.climb;
  const out: Record<string, string> = {
    'cubic.after': formatNumber(c.cubicAfter),
    'reno.after': formatNumber(c.renoAfter),
    'cubic.back': `${secs(c.cubicS)} (${c.cubicVia === 'cubic' ? 'K' : 'W_est'})`,
    'reno.back': `${secs(c.renoS)} (${formatNumber(c.renoRtts)} RTTs)`,
  };
  for (const k of KINDS) {
    const st = m.stats[k];
    out[`${k}.reductions`] = formatNumber(st.reductions);
    out[`${k}.gap`] = st.meanGapS === null ? '—' : secs(st.meanGapS);
    out[`${k}.share`] = pct(st.pathShare);
  }
  return out;
}

/** One sentence on the settings and the path. */
export function settingsSentence(m: PlotModel): string {
  const { rttMs, lossEveryS } = m.settings;
  const losses = lossEveryS > 0 ? `plus a link loss every ${lossEveryS} s` : 'no other losses';
  return (
    `RTT ${rttMs} ms; the path holds ${formatNumber(PATH_SEGMENTS)} segments of ${formatNumber(SEGMENT_BYTES)} bytes ` +
    `(${formatNumber(m.climb.bandwidthMbps, m.climb.bandwidthMbps < 10 ? 1 : 0)} Mb/s at this RTT), ${losses}.`
  );
}

/** What the plot shows, in words: the SVG's description and the live summary. */
export function describePlot(m: PlotModel): string {
  const parts = KINDS.map((k) => {
    const st = m.stats[k];
    return (
      `${KIND_LABEL[k]}: ${formatNumber(st.reductions)} window reductions in ${DURATION_MS / 1000} s, ` +
      `window between ${formatNumber(st.minWindow)} and ${formatNumber(st.maxWindow)} segments, ` +
      `${pct(st.pathShare)} of the path used.`
    );
  });
  return `Congestion window over ${DURATION_MS / 1000} seconds, CUBIC beside Reno. ${settingsSentence(m)} ${parts.join(' ')}`;
}

/** The caption's worked numbers for one loss at the path's capacity. */
export function climbSentence(m: PlotModel): string {
  const c = m.climb;
  const w = formatNumber(c.window);
  const cubic =
    c.cubicVia === 'cubic'
      ? `CUBIC drops to ${formatNumber(c.cubicAfter)} and follows its cubic curve back in K = ${secs(c.kS)}, whatever the RTT`
      : `CUBIC drops to ${formatNumber(c.cubicAfter)}; its cubic curve would need K = ${secs(c.kS)}, but at this RTT the Reno-friendly estimate W_est gets back first, in ${secs(c.wEstS)}`;
  return `After a loss at ${w}, ${cubic}. Reno halves to ${formatNumber(c.renoAfter)} and needs ${formatNumber(c.renoRtts)} round trips, ${secs(c.renoS)}.`;
}
