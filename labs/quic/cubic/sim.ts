/**
 * The congestion-control lab's shared types and a small network to drive a controller
 * (provided, read-only).
 *
 * Windows are counted in **segments** (full-sized packets) as doubles: 10.5 means ten and a half
 * segments' worth of bytes. Time comes from a Clock in milliseconds; CUBIC's formulas take
 * seconds.
 */
import { VirtualClock, type Clock } from '../../kit';

export type { Clock };

/** What both controllers (Reno and CUBIC) offer. */
export interface CongestionController {
  /** The congestion window, in segments. */
  readonly cwnd: number;
  /** The slow start threshold, in segments (Infinity until the first congestion event). */
  readonly ssthresh: number;
  /** `segments` new segments (default 1) were acknowledged at clock.now(). */
  onAck(segments?: number): void;
  /** A loss was detected at clock.now(). */
  onLoss(): void;
}

export interface ControllerOptions {
  clock: Clock;
  /** The round-trip time, fixed for the whole connection (a smoothed RTT that never moves). */
  rttMs: number;
  /** Starting congestion window in segments (default 10, RFC 9002 §7.2). */
  initialCwnd?: number;
  /** Starting slow start threshold in segments (default Infinity). */
  initialSsthresh?: number;
  /** CUBIC only: fast convergence (RFC 9438 §4.7), default true. */
  fastConvergence?: boolean;
}

/** RFC 9002 §7.2: the initial window is about ten full-sized datagrams. */
export const DEFAULT_INITIAL_CWND = 10;
/** RFC 9002 §7.2 kMinimumWindow / RFC 9438 §4.6: never below two segments. */
export const MIN_CWND = 2;

/** A network for `windowTrace`: a bottleneck and/or losses at set times. */
export interface Scenario {
  rttMs: number;
  /** Stop after this much time. */
  durationMs: number;
  /**
   * Whole segments the path holds (bandwidth-delay product plus buffer). In a round where the sender
   * has more than this in flight, segment number capacity + 1 is lost. Default: no limit.
   */
  capacity?: number;
  /** Times at which one loss is detected (at the first ACK slot at or after each time). */
  lossesAtMs?: number[];
}

export interface TracePoint {
  tMs: number;
  cwnd: number;
  ssthresh: number;
  /** 'start' at 0, 'round' at the end of each round trip, 'loss' right after a loss was signalled. */
  event: 'start' | 'round' | 'loss';
}

/**
 * Drive a controller through `scenario` and record its window.
 *
 * The model: the sender always has data and sends a full window each round trip. A round
 * starting at time T carries n = max(1, floor(cwnd at T)) segments, and their acknowledgments
 * come back evenly spread over the round, the i-th at T + rttMs·i/n. Each one calls
 * `onAck(1)`, unless that segment was lost: then `onLoss()` is called at that moment instead.
 * The next round starts at T + rttMs. Nothing is random: the same controller code and the
 * same scenario give the same trace.
 */
export function windowTrace(make: (clock: Clock) => CongestionController, scenario: Scenario): TracePoint[] {
  const clock = new VirtualClock();
  const cc = make(clock);
  const { rttMs, durationMs } = scenario;
  const capacity = scenario.capacity ?? Infinity;
  const losses = [...(scenario.lossesAtMs ?? [])].sort((a, b) => a - b);
  const points: TracePoint[] = [{ tMs: 0, cwnd: cc.cwnd, ssthresh: cc.ssthresh, event: 'start' }];
  for (let round = 0; (round + 1) * rttMs <= durationMs; round++) {
    const start = round * rttMs;
    const n = Math.max(1, Math.floor(cc.cwnd));
    for (let i = 1; i <= n; i++) {
      const at = start + (rttMs * i) / n;
      clock.advance(at - clock.now());
      let lost = n > capacity && i === Math.floor(capacity) + 1;
      while (losses.length > 0 && losses[0]! <= at) {
        losses.shift();
        lost = true;
      }
      if (lost) {
        cc.onLoss();
        points.push({ tMs: at, cwnd: cc.cwnd, ssthresh: cc.ssthresh, event: 'loss' });
      } else {
        cc.onAck(1);
      }
    }
    points.push({ tMs: start + rttMs, cwnd: cc.cwnd, ssthresh: cc.ssthresh, event: 'round' });
  }
  return points;
}
