/**
 * CUBIC (RFC 9438) beside Reno (RFC 9002 §7.3), counted in segments, driven by ACK and loss
 * events on a clock. Read instructions.md for the exact rules; sim.ts has the shared types and
 * a small network (windowTrace) you can drive your controllers with.
 */
import {
  DEFAULT_INITIAL_CWND,
  MIN_CWND,
  windowTrace as driveTrace,
  type Clock,
  type CongestionController,
  type ControllerOptions,
  type Scenario,
  type TracePoint,
} from './sim';

export type { Clock, CongestionController, ControllerOptions, Scenario, TracePoint } from './sim';

// ---- Task 1: CUBIC's formulas (RFC 9438 §4.1–§4.3) ------------------------------------------

/** C: how fast the cubic function grows (RFC 9438 §4.1.1). */
export const C = 0.4;
/** β_cubic: the window is multiplied by this on a congestion event (RFC 9438 §4.6). */
export const BETA_CUBIC = 0.7;
/** Reno's β: it halves its window (RFC 5681 §3.1, RFC 9002 §7.3.2). */
export const BETA_RENO = 0.5;

/** α = 3(1 − β)/(1 + β) (RFC 9438 §4.3). */
export function renoFriendlyAlpha(beta: number): number {
  throw new Error('TODO: renoFriendlyAlpha');
}

/** K in seconds: cbrt((W_max − cwnd_epoch)/C), or 0 when W_max ≤ cwnd_epoch. */
export function cubicK(wMax: number, cwndEpoch: number): number {
  throw new Error('TODO: cubicK');
}

/** W_cubic(t) = C·(t − K)³ + W_max, t in seconds since the epoch began. */
export function wCubic(tSeconds: number, k: number, wMax: number): number {
  throw new Error('TODO: wCubic');
}

// ---- Task 2: Reno ---------------------------------------------------------------------------

export class Reno implements CongestionController {
  constructor(opts: ControllerOptions) {
    // TODO: keep the clock and the RTT; start at opts.initialCwnd ?? DEFAULT_INITIAL_CWND.
  }

  get cwnd(): number { throw new Error('TODO: Reno.cwnd'); }
  get ssthresh(): number { throw new Error('TODO: Reno.ssthresh'); }

  onAck(segments = 1): void {
    throw new Error('TODO: Reno.onAck');
  }

  onLoss(): void {
    throw new Error('TODO: Reno.onLoss');
  }
}

// ---- Task 3: CUBIC --------------------------------------------------------------------------

/** What the last event did to a CUBIC window. */
export type CubicRegion = 'slow-start' | 'recovery' | 'reno-friendly' | 'concave' | 'convex';

export class Cubic implements CongestionController {
  constructor(opts: ControllerOptions) {
    // TODO: as Reno, plus opts.fastConvergence ?? true and CUBIC's state (RFC 9438 §4.1.2).
  }

  get cwnd(): number { throw new Error('TODO: Cubic.cwnd'); }
  get ssthresh(): number { throw new Error('TODO: Cubic.ssthresh'); }
  /** W_max (null before it is first set). */
  get wMax(): number | null { throw new Error('TODO: Cubic.wMax'); }
  /** K of the current congestion avoidance stage, in seconds (null before the first). */
  get k(): number | null { throw new Error('TODO: Cubic.k'); }
  /** W_est of the current congestion avoidance stage (null before the first). */
  get wEst(): number | null { throw new Error('TODO: Cubic.wEst'); }
  /** What the last event did. */
  get region(): CubicRegion { throw new Error('TODO: Cubic.region'); }

  onAck(segments = 1): void {
    throw new Error('TODO: Cubic.onAck');
  }

  onLoss(): void {
    throw new Error('TODO: Cubic.onLoss');
  }
}

// ---- Task 4: the window over time ----------------------------------------------------------

/** The window of your CUBIC or Reno over a scenario (sim.ts's network). Already done. */
export function windowTrace(
  kind: 'cubic' | 'reno',
  scenario: Scenario,
  opts: Omit<ControllerOptions, 'clock' | 'rttMs'> = {},
): TracePoint[] {
  return driveTrace(
    (clock) => (kind === 'cubic' ? new Cubic({ ...opts, clock, rttMs: scenario.rttMs }) : new Reno({ ...opts, clock, rttMs: scenario.rttMs })),
    scenario,
  );
}


// ---- Task 5: predict the region ---------------------------------------------------------------

/** Where a CUBIC flow's window comes from, seen in closed form. */
export type PredictedRegion = 'reno-friendly' | 'concave' | 'convex';

/** W_est in closed form, `tSeconds` into the stage after a first loss at `wMax` (instructions §5). */
export function estimateAt(tSeconds: number, wMax: number, rttMs: number): number {
  throw new Error('TODO: estimateAt');
}

/** Which window rules `tSeconds` into that stage: the estimate, or the curve (concave or convex). */
export function predictRegion(wMax: number, rttMs: number, tSeconds: number): PredictedRegion {
  throw new Error('TODO: predictRegion');
}

/** The largest W_max for which the estimate is back at W_max no later than the curve. */
export function renoFriendlyLimit(rttMs: number): number {
  throw new Error('TODO: renoFriendlyLimit');
}
