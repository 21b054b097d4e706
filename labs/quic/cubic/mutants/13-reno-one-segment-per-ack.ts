// Bug: Reno in congestion avoidance adds a whole segment per ACK (slow start forever) instead of 1/cwnd per ACK, one segment per round trip (RFC 5681 section 3.1).
/**
 * CUBIC (RFC 9438) beside Reno (RFC 5681, RFC 9002 §7.3), counted in segments, driven by ACK
 * and loss events on a clock. Reference implementation.
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

/**
 * The additive increase per RTT that lets an AIMD flow with decrease factor `beta` match Reno's
 * average window: α = 3(1 − β)/(1 + β) (RFC 9438 §4.3). For β = 0.5 it is 1: Reno itself.
 */
export function renoFriendlyAlpha(beta: number): number {
  return (3 * (1 - beta)) / (1 + beta);
}

/** α_cubic ≈ 0.529. */
export const ALPHA_CUBIC = renoFriendlyAlpha(BETA_CUBIC);

/**
 * K, in seconds: how long the cubic function takes to climb from `cwndEpoch` back to `wMax`
 * (RFC 9438 §4.2, Figure 2): cbrt((W_max − cwnd_epoch)/C), and 0 when there is nothing to climb.
 */
export function cubicK(wMax: number, cwndEpoch: number): number {
  return wMax > cwndEpoch ? Math.cbrt((wMax - cwndEpoch) / C) : 0;
}

/** W_cubic(t) = C·(t − K)³ + W_max, t in seconds since the epoch began (RFC 9438 §4.2, Figure 1). */
export function wCubic(tSeconds: number, k: number, wMax: number): number {
  const d = tSeconds - k;
  return C * d * d * d + wMax;
}

// ---- Task 2: Reno ---------------------------------------------------------------------------

/**
 * Reno as QUIC specifies it (RFC 9002 §7.3, NewReno-style): slow start adds one segment per
 * segment acknowledged, congestion avoidance 1/cwnd per segment (one segment per round trip),
 * a congestion event halves the window, once per round trip.
 */
export class Reno implements CongestionController {
  #clock: Clock;
  #rttMs: number;
  #cwnd: number;
  #ssthresh: number;
  #recoveryEndMs = -Infinity;

  constructor(opts: ControllerOptions) {
    this.#clock = opts.clock;
    this.#rttMs = opts.rttMs;
    this.#cwnd = opts.initialCwnd ?? DEFAULT_INITIAL_CWND;
    this.#ssthresh = opts.initialSsthresh ?? Infinity;
  }

  get cwnd(): number { return this.#cwnd; }
  get ssthresh(): number { return this.#ssthresh; }

  onAck(segments = 1): void {
    if (this.#clock.now() < this.#recoveryEndMs) return; // acknowledges data sent before the loss
    for (let i = 0; i < segments; i++) {
      if (this.#cwnd < this.#ssthresh) this.#cwnd += 1;
      else this.#cwnd += 1;
    }
  }

  onLoss(): void {
    const now = this.#clock.now();
    if (now < this.#recoveryEndMs) return; // the same congestion event
    this.#ssthresh = Math.max(this.#cwnd * BETA_RENO, MIN_CWND);
    this.#cwnd = this.#ssthresh;
    this.#recoveryEndMs = now + this.#rttMs;
  }
}

// ---- Task 3: CUBIC --------------------------------------------------------------------------

/** What the last event did to a CUBIC window. */
export type CubicRegion = 'slow-start' | 'recovery' | 'reno-friendly' | 'concave' | 'convex';

export class Cubic implements CongestionController {
  #clock: Clock;
  #rttMs: number;
  #fastConvergence: boolean;
  #cwnd: number;
  #ssthresh: number;
  #recoveryEndMs = -Infinity;
  #region: CubicRegion = 'slow-start';
  // RFC 9438 §4.1.2 state, null until first defined.
  #wMax: number | null = null;
  #cwndPrior: number | null = null;
  #k: number | null = null;
  #tEpochMs: number | null = null;
  #wEst: number | null = null;

  constructor(opts: ControllerOptions) {
    this.#clock = opts.clock;
    this.#rttMs = opts.rttMs;
    this.#fastConvergence = opts.fastConvergence ?? true;
    this.#cwnd = opts.initialCwnd ?? DEFAULT_INITIAL_CWND;
    this.#ssthresh = opts.initialSsthresh ?? Infinity;
  }

  get cwnd(): number { return this.#cwnd; }
  get ssthresh(): number { return this.#ssthresh; }
  /** W_max: the window just before the last reduction (possibly lowered by fast convergence). */
  get wMax(): number | null { return this.#wMax; }
  /** K of the current congestion avoidance stage, in seconds. */
  get k(): number | null { return this.#k; }
  /** W_est, the Reno-friendly estimate of the current stage. */
  get wEst(): number | null { return this.#wEst; }
  /** What the last event did. */
  get region(): CubicRegion { return this.#region; }

  onAck(segments = 1): void {
    const now = this.#clock.now();
    if (now < this.#recoveryEndMs) {
      this.#region = 'recovery';
      return;
    }
    for (let i = 0; i < segments; i++) this.#ackOne(now);
  }

  #ackOne(now: number): void {
    if (this.#cwnd < this.#ssthresh) {
      this.#region = 'slow-start';
      this.#cwnd += 1;
      return;
    }
    if (this.#tEpochMs === null) this.#startEpoch(now);
    const wMax = this.#wMax!;
    const k = this.#k!;
    const t = (now - this.#tEpochMs!) / 1000;
    // §4.3: W_est grows by α_cubic per window acknowledged; by 1 once it has reached cwnd_prior.
    const alpha = this.#wEst! >= this.#cwndPrior! ? 1 : ALPHA_CUBIC;
    this.#wEst = this.#wEst! + alpha / this.#cwnd;
    if (wCubic(t, k, wMax) < this.#wEst) {
      this.#region = 'reno-friendly';
      this.#cwnd = this.#wEst;
      return;
    }
    // §4.4 and §4.5: aim for W_cubic one RTT ahead, bounded to [cwnd, 1.5·cwnd].
    this.#region = this.#cwnd < wMax ? 'concave' : 'convex';
    const target = Math.min(Math.max(wCubic(t + this.#rttMs / 1000, k, wMax), this.#cwnd), 1.5 * this.#cwnd);
    this.#cwnd += (target - this.#cwnd) / this.#cwnd;
  }

  /** A congestion avoidance stage begins (the first ACK in congestion avoidance). */
  #startEpoch(now: number): void {
    this.#tEpochMs = now;
    this.#wEst = this.#cwnd;
    if (this.#cwndPrior === null) this.#cwndPrior = this.#cwnd; // §4.10: left slow start without a loss
    if (this.#wMax === null || this.#wMax < this.#cwnd) {
      this.#wMax = this.#cwnd;
      this.#k = 0;
    } else {
      this.#k = cubicK(this.#wMax, this.#cwnd);
    }
  }

  onLoss(): void {
    const now = this.#clock.now();
    if (now < this.#recoveryEndMs) return; // the same congestion event
    // §4.7 fast convergence: a loss below the previous W_max releases bandwidth sooner.
    if (this.#fastConvergence && this.#wMax !== null && this.#cwnd < this.#wMax) {
      this.#wMax = (this.#cwnd * (1 + BETA_CUBIC)) / 2;
    } else {
      this.#wMax = this.#cwnd;
    }
    // §4.6 multiplicative decrease (from cwnd: the sender is always window-limited here).
    this.#cwndPrior = this.#cwnd;
    this.#ssthresh = Math.max(this.#cwnd * BETA_CUBIC, MIN_CWND);
    this.#cwnd = this.#ssthresh;
    this.#recoveryEndMs = now + this.#rttMs;
    this.#tEpochMs = null;
    this.#region = 'recovery';
  }
}

// ---- Task 4: the window over time ----------------------------------------------------------

/**
 * The window of the reference CUBIC or Reno over a scenario (see sim.ts for the network
 * model). Deterministic: the chapter draws its plots from this at build time.
 */
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

/**
 * W_est in closed form, `tSeconds` into the congestion avoidance stage that follows a first loss
 * at `wMax` (so cwnd_prior = W_max and the stage starts at β·W_max): it grows by α_cubic per
 * round trip until it reaches W_max, and by one segment per round trip after (RFC 9438 §4.3).
 */
export function estimateAt(tSeconds: number, wMax: number, rttMs: number): number {
  const rtt = rttMs / 1000;
  const start = BETA_CUBIC * wMax;
  const reachesWMax = ((wMax - start) * rtt) / ALPHA_CUBIC;
  if (tSeconds <= reachesWMax) return start + (ALPHA_CUBIC * tSeconds) / rtt;
  return wMax + (tSeconds - reachesWMax) / rtt;
}

/**
 * Which of the two windows rules `tSeconds` into that stage: the estimate when the cubic curve
 * is below it, else the curve, concave before K and convex from K on (RFC 9438 §4.3–§4.5).
 */
export function predictRegion(wMax: number, rttMs: number, tSeconds: number): PredictedRegion {
  const k = cubicK(wMax, BETA_CUBIC * wMax);
  if (wCubic(tSeconds, k, wMax) < estimateAt(tSeconds, wMax, rttMs)) return 'reno-friendly';
  return tSeconds < k ? 'concave' : 'convex';
}

/**
 * The largest W_max, in segments, for which the estimate gets back to W_max no later than the
 * cubic curve does after a loss at W_max: the estimate needs W_max·RTT·(1 + β)/3 seconds, the
 * curve K = ∛(W_max(1 − β)/C); they are equal at W_max = (3∛((1 − β)/C) / ((1 + β)·RTT))^(3/2).
 * Below it the flow comes back as Reno would; above it, on the cubic curve.
 */
export function renoFriendlyLimit(rttMs: number): number {
  const rtt = rttMs / 1000;
  return ((3 * Math.cbrt((1 - BETA_CUBIC) / C)) / ((1 + BETA_CUBIC) * rtt)) ** 1.5;
}
