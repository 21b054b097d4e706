import { expect, it } from 'vitest';
import { task, graded, forAll, fc, VirtualClock, withCopiedInputs, referenceAnswer } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { windowTrace, type Clock, type ControllerOptions, type Scenario, type TracePoint } from './sim';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

/**
 * Windows are doubles: two correct programs may round differently in the last bits. Numbers
 * agree when they are within a relative 1e-9 (absolute below 1); Infinity and null must match.
 */
function expectClose(got: number | null | undefined, want: number | null | undefined, what: string): void {
  if (got === want) return;
  if (typeof got === 'number' && typeof want === 'number' && Number.isFinite(want) && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want))) return;
  expect(got, what).toBe(want);
}

type Kind = 'reno' | 'cubic';
const makeLearner = (kind: Kind, opts: ControllerOptions) => (kind === 'cubic' ? new learner.Cubic(opts) : new learner.Reno(opts));
const makeReference = (kind: Kind, opts: ControllerOptions) => (kind === 'cubic' ? new reference.Cubic(opts) : new reference.Reno(opts));

/** A CUBIC controller on its own clock, for hand-driven tests. */
function cubicAt(opts: Omit<ControllerOptions, 'clock'>) {
  const clock = new VirtualClock();
  return { clock, cc: new learner.Cubic({ ...opts, clock }) };
}

function traceOf(kind: Kind, scenario: Scenario, opts: Omit<ControllerOptions, 'clock' | 'rttMs'> = {}): TracePoint[] {
  return windowTrace((clock: Clock) => makeLearner(kind, { ...opts, clock, rttMs: scenario.rttMs }), scenario);
}

function expectSameTrace(got: TracePoint[], want: TracePoint[], label: string): void {
  expect(got.length, `${label}: trace length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    expect(`${g.event}@${g.tMs}`, `${label}: point ${i}`).toBe(`${w.event}@${w.tMs}`);
    expectClose(g.cwnd, w.cwnd, `${label}: cwnd at ${w.event} t=${w.tMs} ms`);
    expectClose(g.ssthresh, w.ssthresh, `${label}: ssthresh at ${w.event} t=${w.tMs} ms`);
  }
}

interface Ev { dtMs: number; kind: 'ack' | 'loss'; segments: number }

const arbOptions = fc.record({
  rttMs: fc.integer({ min: 5, max: 400 }),
  initialCwnd: fc.integer({ min: 2, max: 60 }),
  initialSsthresh: fc.oneof(fc.constant(Infinity), fc.integer({ min: 2, max: 120 })),
  fastConvergence: fc.boolean(),
});
const arbEvents = fc.array(
  fc.record({
    dtMs: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 400 })),
    kind: fc.constantFrom<'ack' | 'loss'>('ack', 'ack', 'ack', 'ack', 'ack', 'ack', 'ack', 'ack', 'ack', 'loss'),
    segments: fc.integer({ min: 1, max: 4 }),
  }),
  { maxLength: 400 },
);

/** Run learner and reference side by side on the same events, comparing after every one. */
function agreeOnEvents(kind: Kind, opts: Omit<ControllerOptions, 'clock'>, events: Ev[]): void {
  const lc = new VirtualClock();
  const rc = new VirtualClock();
  const l = makeLearner(kind, { ...opts, clock: lc });
  const r = makeReference(kind, { ...opts, clock: rc });
  events.forEach((e, i) => {
    lc.advance(e.dtMs);
    rc.advance(e.dtMs);
    if (e.kind === 'ack') { l.onAck(e.segments); r.onAck(e.segments); } else { l.onLoss(); r.onLoss(); }
    const what = `after event ${i} (${e.kind === 'ack' ? `ack ${e.segments}` : 'loss'} at t=${rc.now()} ms)`;
    expectClose(l.cwnd, r.cwnd, `cwnd ${what}`);
    expectClose(l.ssthresh, r.ssthresh, `ssthresh ${what}`);
    if (l instanceof learner.Cubic && r instanceof reference.Cubic) {
      expectClose(l.wMax, r.wMax, `wMax ${what}`);
      expectClose(l.k, r.k, `k ${what}`);
      expectClose(l.wEst, r.wEst, `wEst ${what}`);
      expect(l.region, `region ${what}`).toBe(r.region);
    }
  });
}

// ---- Task 1 -------------------------------------------------------------------------------

task('formulas', () => {
  it('K for W_max = 100 after a decrease to 70 is cbrt(75) ≈ 4.217 s', () => {
    expect(learner.cubicK(100, 70)).toBeCloseTo(4.2171633, 6);
    expect(learner.cubicK(1000, 700)).toBeCloseTo(9.0856030, 6);
    // With fast convergence W_max is 85 for a loss at 100: K = cbrt(15 / 0.4).
    expect(learner.cubicK(85, 70)).toBeCloseTo(3.3471647, 6);
  });

  it('K is 0 when there is nothing to climb back to', () => {
    expect(learner.cubicK(50, 50)).toBe(0);
    expect(learner.cubicK(40, 50)).toBe(0);
  });

  graded('W_cubic starts at cwnd_epoch, flattens at W_max at t = K, and mirrors around K', 2, () => {
    const k = Math.cbrt(75);
    expect(learner.wCubic(0, k, 100)).toBeCloseTo(70, 9);
    expect(learner.wCubic(k, k, 100)).toBeCloseTo(100, 9);
    expect(learner.wCubic(1, k, 100)).toBeCloseTo(86.6807638, 6);
    expect(learner.wCubic(2, k, 100)).toBeCloseTo(95.6403357, 6);
    expect(learner.wCubic(6, k, 100)).toBeCloseTo(102.2667033, 6);
    for (const d of [0.5, 1, 2, 3]) {
      expect(learner.wCubic(k + d, k, 100) - 100).toBeCloseTo(100 - learner.wCubic(k - d, k, 100), 9);
    }
  });

  it("α is 3(1 − β)/(1 + β): ≈ 0.529 for CUBIC's β = 0.7, exactly 1 for Reno's 0.5", () => {
    expect(learner.renoFriendlyAlpha(0.7)).toBeCloseTo(0.5294118, 6);
    expect(learner.renoFriendlyAlpha(0.5)).toBeCloseTo(1, 12);
    expect(learner.renoFriendlyAlpha(0.8)).toBeCloseTo(0.3333333, 6);
  });
});

// ---- Task 2 -------------------------------------------------------------------------------

task('reno', () => {
  it('slow start doubles the window every round trip', () => {
    const trace = traceOf('reno', { rttMs: 100, durationMs: 300 });
    expect(trace.filter((p) => p.event === 'round').map((p) => p.cwnd)).toEqual([20, 40, 80]);
  });

  it('congestion avoidance adds about one segment per round trip (1/cwnd per segment)', () => {
    const clock = new VirtualClock();
    const cc = new learner.Reno({ clock, rttMs: 100, initialCwnd: 10, initialSsthresh: 10 });
    let want = 10;
    for (let i = 0; i < 10; i++) {
      clock.advance(10);
      cc.onAck();
      want += 1 / want;
    }
    expectClose(cc.cwnd, want, 'cwnd after one window of ACKs');
    expect(cc.cwnd).toBeGreaterThan(10.9);
    expect(cc.cwnd).toBeLessThan(11);
  });

  graded('a loss halves the window; losses and ACKs within the next RTT change nothing', 2, () => {
    const clock = new VirtualClock();
    const cc = new learner.Reno({ clock, rttMs: 100, initialCwnd: 40 });
    cc.onLoss();
    expect([cc.cwnd, cc.ssthresh]).toEqual([20, 20]);
    clock.advance(50);
    cc.onLoss();
    cc.onAck(5);
    expect([cc.cwnd, cc.ssthresh]).toEqual([20, 20]);
    clock.advance(50); // one RTT after the reduction: a new congestion event
    cc.onLoss();
    expect([cc.cwnd, cc.ssthresh]).toEqual([10, 10]);
    clock.advance(100);
    cc.onAck(2);
    expectClose(cc.cwnd, 10 + 1 / 10 + 1 / (10 + 1 / 10), 'cwnd after two ACKs in congestion avoidance');
  });

  it('never goes below two segments', () => {
    const clock = new VirtualClock();
    const cc = new learner.Reno({ clock, rttMs: 10, initialCwnd: 3 });
    for (let i = 0; i < 4; i++) { cc.onLoss(); clock.advance(10); }
    expect([cc.cwnd, cc.ssthresh]).toEqual([2, 2]);
  });

  graded('agrees with the reference on generated ACK and loss sequences', 1, () => {
    forAll(fc.tuple(arbOptions, arbEvents), ([opts, events]) => agreeOnEvents('reno', opts, events), 100);
  });
});

// ---- Task 3 -------------------------------------------------------------------------------

task('cubic', () => {
  it('a first loss in slow start: W_max = cwnd, then cwnd = ssthresh = 0.7·W_max', () => {
    const { cc } = cubicAt({ rttMs: 100, initialCwnd: 100 });
    expect([cc.wMax, cc.k, cc.wEst, cc.region]).toEqual([null, null, null, 'slow-start']);
    cc.onLoss();
    expect(cc.wMax).toBe(100);
    expectClose(cc.cwnd, 70, 'cwnd');
    expectClose(cc.ssthresh, 70, 'ssthresh');
    expect(cc.region).toBe('recovery');
  });

  it('ACKs and losses in the round trip after a reduction change nothing', () => {
    const { clock, cc } = cubicAt({ rttMs: 100, initialCwnd: 100 });
    cc.onLoss();
    clock.advance(99);
    cc.onAck(10);
    cc.onLoss();
    expectClose(cc.cwnd, 70, 'cwnd');
    expect([cc.wMax, cc.region]).toEqual([100, 'recovery']);
  });

  graded('the first ACK after recovery starts an epoch: K = cbrt((W_max − cwnd)/C), W_est = cwnd', 2, () => {
    const { clock, cc } = cubicAt({ rttMs: 100, initialCwnd: 100 });
    cc.onLoss();
    clock.advance(100);
    cc.onAck();
    expectClose(cc.k, Math.cbrt(75), 'k');
    // W_est starts at 70 and grows by α_cubic/cwnd on this ACK; W_cubic(0) = 70 is below it.
    const wEst = 70 + (3 * 0.3) / 1.7 / 70;
    expectClose(cc.wEst, wEst, 'wEst');
    expect(cc.region).toBe('reno-friendly');
    expectClose(cc.cwnd, wEst, 'cwnd');
  });

  graded('concave below W_max and convex above, growing by (target − cwnd)/cwnd per ACK', 2, () => {
    const { clock, cc } = cubicAt({ rttMs: 200, initialCwnd: 100 });
    cc.onLoss();
    clock.advance(200);
    cc.onAck(); // epoch starts at t = 200 ms
    clock.advance(1000);
    let before = cc.cwnd;
    cc.onAck();
    const k = Math.cbrt(75);
    const target = Math.min(Math.max(0.4 * (1.2 - k) ** 3 + 100, before), 1.5 * before);
    expect(cc.region).toBe('concave');
    expectClose(cc.cwnd, before + (target - before) / before, 'cwnd one second into the epoch');
    clock.advance(6000); // t = 7 s, past K; W_cubic(7.2) ≈ 110.6 is above 1.5·cwnd
    before = cc.cwnd;
    cc.onAck();
    expect(cc.region).toBe('concave'); // cwnd is still below W_max: the first ACK in 6 s
    // The target is capped at 1.5·cwnd: one ACK grows the window by at most half a segment.
    expectClose(cc.cwnd, before + 0.5, 'growth with the target capped');
    while (cc.cwnd < 100) cc.onAck();
    cc.onAck();
    expect(cc.region).toBe('convex');
  });

  it('with a small RTT and window the Reno-friendly estimate leads: cwnd = W_est', () => {
    const { clock, cc } = cubicAt({ rttMs: 10, initialCwnd: 20 });
    cc.onLoss();
    clock.advance(10);
    for (let i = 0; i < 200; i++) {
      clock.advance(10 / 14);
      cc.onAck();
      expect(cc.region).toBe('reno-friendly');
      expectClose(cc.cwnd, cc.wEst, `cwnd = W_est after ACK ${i}`);
    }
  });

  it('W_est grows by α_cubic per window until it reaches cwnd_prior, then by 1', () => {
    const { clock, cc } = cubicAt({ rttMs: 10, initialCwnd: 10 });
    cc.onLoss(); // cwnd_prior 10, cwnd 7
    clock.advance(10);
    let wEst = 7;
    let cwnd = 7;
    for (let i = 0; i < 150; i++) {
      clock.advance(1);
      cc.onAck();
      wEst += (wEst >= 10 ? 1 : (3 * 0.3) / 1.7) / cwnd;
      cwnd = Math.max(cwnd, wEst); // at RTT 10 ms the window is Reno-friendly throughout
      expectClose(cc.wEst, wEst, `W_est after ACK ${i}`);
    }
    expect(wEst).toBeGreaterThan(12);
  });

  graded('fast convergence: a loss below the last W_max sets W_max = cwnd·(1 + β)/2', 2, () => {
    for (const fastConvergence of [true, false]) {
      const { clock, cc } = cubicAt({ rttMs: 100, initialCwnd: 100, fastConvergence });
      cc.onLoss(); // W_max 100, cwnd 70
      clock.advance(100);
      cc.onAck();
      const cwnd = cc.cwnd; // just above 70, well below W_max
      clock.advance(100);
      cc.onLoss();
      expectClose(cc.wMax, fastConvergence ? (cwnd * 1.7) / 2 : cwnd, `W_max with fastConvergence: ${fastConvergence}`);
      expectClose(cc.cwnd, cwnd * 0.7, `cwnd with fastConvergence: ${fastConvergence}`);
    }
  });

  it('leaving slow start without a loss: W_max = cwnd and K = 0 (RFC 9438 §4.10)', () => {
    const { clock, cc } = cubicAt({ rttMs: 100, initialCwnd: 10, initialSsthresh: 12 });
    cc.onAck(2);
    expect([cc.cwnd, cc.region]).toEqual([12, 'slow-start']);
    clock.advance(50);
    cc.onAck();
    expect([cc.wMax, cc.k]).toEqual([12, 0]);
    // W_est starts at cwnd_prior = 12, so it grows by 1 per window (α = 1), like Reno.
    expectClose(cc.wEst, 12 + 1 / 12, 'wEst');
  });

  // RFC 9438 §4.2 (and §4.8): an epoch that starts with cwnd above W_max sets W_max = cwnd and
  // K = 0. Two losses at the floor get there: fast convergence puts W_max at 2.1·1.7/2 = 1.785
  // while the window stays at its minimum of 2.
  const belowFloor = (cc: { onLoss(): void }, clock: VirtualClock, rttMs: number): void => {
    cc.onLoss(); // cwnd 3 → W_max 3, cwnd 2.1
    clock.advance(rttMs); // the recovery period is over: the next loss is a new congestion event
    cc.onLoss(); // 2.1 < W_max: W_max 1.785, cwnd max(1.47, 2) = 2
    clock.advance(rttMs);
  };
  it('an epoch that starts above W_max takes W_max = cwnd and K = 0', () => {
    const { clock, cc } = cubicAt({ rttMs: 10, initialCwnd: 3 });
    belowFloor(cc, clock, 10);
    expectClose(cc.wMax, 1.785, 'W_max after the second loss');
    cc.onAck();
    expect([cc.wMax, cc.k]).toEqual([2, 0]);
  });
  it('and then grows from that W_max: the window 3 s later agrees with the reference', () => {
    // A long RTT keeps W_est low, so the cubic curve (which starts at W_max) sets the window.
    const { clock, cc } = cubicAt({ rttMs: 300, initialCwnd: 3 });
    const rClock = new VirtualClock();
    const ref = new reference.Cubic({ rttMs: 300, initialCwnd: 3, clock: rClock });
    belowFloor(cc, clock, 300);
    belowFloor(ref, rClock, 300);
    for (let t = 0; t < 3000; t += 300) {
      cc.onAck(2);
      ref.onAck(2);
      clock.advance(300);
      rClock.advance(300);
    }
    expect(ref.region).toBe('convex'); // K = 0: the curve rises from W_max at once
    expectClose(cc.cwnd, ref.cwnd, 'cwnd after 3 s of ACKs');
  });

  it('never goes below two segments', () => {
    const { clock, cc } = cubicAt({ rttMs: 10, initialCwnd: 3 });
    for (let i = 0; i < 4; i++) { cc.onLoss(); clock.advance(10); }
    expect([cc.cwnd, cc.ssthresh]).toEqual([2, 2]);
  });

  graded('agrees with the reference on generated ACK and loss sequences', 3, () => {
    forAll(fc.tuple(arbOptions, arbEvents), ([opts, events]) => agreeOnEvents('cubic', opts, events), 150);
  });
});

// ---- Task 4 -------------------------------------------------------------------------------

task('shape', () => {
  const afterLoss = (kind: Kind, rttMs: number, wMax: number, durationMs: number) =>
    traceOf(kind, { rttMs, durationMs, lossesAtMs: [1] }, { initialCwnd: wMax, initialSsthresh: wMax }).filter((p) => p.event === 'round');

  it('after a loss at W_max = 100 the window grows concave, flattens near K, then convex', () => {
    const rounds = afterLoss('cubic', 200, 100, 8000);
    const steps = rounds.slice(1).map((p, i) => ({ t: p.tMs / 1000, inc: p.cwnd - rounds[i]!.cwnd }));
    let low = 0;
    steps.forEach((s, i) => { if (s.inc < steps[low]!.inc) low = i; });
    // The epoch starts one RTT in (after recovery), so the plateau is near K + 0.2 s.
    expect(Math.abs(steps[low]!.t - (Math.cbrt(75) + 0.2))).toBeLessThan(0.5);
    for (let i = 1; i < low; i++) expect(steps[i]!.inc, `step ${i} shrinks`).toBeLessThan(steps[i - 1]!.inc);
    for (let i = low + 1; i < steps.length; i++) expect(steps[i]!.inc, `step ${i} grows`).toBeGreaterThan(steps[i - 1]!.inc);
  });

  it("CUBIC's return to W_max takes about K seconds whatever the RTT", () => {
    const k = Math.cbrt(75);
    for (const rtt of [100, 200, 300]) {
      const back = afterLoss('cubic', rtt, 100, 8000).find((p) => p.cwnd >= 99.9);
      expect(back, `RTT ${rtt} ms: never back at W_max`).toBeDefined();
      expect(back!.tMs / 1000, `RTT ${rtt} ms`).toBeGreaterThan(k - 0.6);
      expect(back!.tMs / 1000, `RTT ${rtt} ms`).toBeLessThan(k + 0.4);
    }
  });

  it("Reno's return takes (W_max − ssthresh) round trips: far longer at large RTT, the same at small", () => {
    const back = (kind: Kind, rtt: number) => afterLoss(kind, rtt, 100, rtt * 80).find((p) => p.cwnd >= 99.9)?.tMs ?? Infinity;
    const cubicBack = (rtt: number) => back('cubic', rtt);
    const renoBack = (rtt: number) => back('reno', rtt);
    expect(renoBack(200)).toBeGreaterThan(2 * cubicBack(200));
    // At 10 ms both are in Reno territory: within 20% of each other.
    expect(Math.abs(renoBack(10) - cubicBack(10)) / renoBack(10)).toBeLessThan(0.2);
  });

  graded('the Reno-friendly region rules at small RTT and window, the cubic curve at large', 1, () => {
    const regions = (rttMs: number, w: number, durationMs: number) => {
      const seen: Record<string, number> = {};
      windowTrace((clock) => {
        const cc = new learner.Cubic({ clock, rttMs, initialCwnd: w, initialSsthresh: w });
        return {
          get cwnd() { return cc.cwnd; },
          get ssthresh() { return cc.ssthresh; },
          onLoss: () => cc.onLoss(),
          onAck: (n?: number) => { cc.onAck(n); seen[cc.region] = (seen[cc.region] ?? 0) + 1; },
        };
      }, { rttMs, durationMs, lossesAtMs: [1] });
      return seen;
    };
    const small = regions(10, 20, 2000);
    const large = regions(200, 1000, 12_000);
    expect(small['reno-friendly'] ?? 0).toBeGreaterThan(0.95 * Object.values(small).reduce((a, b) => a + b, 0));
    expect((large.concave ?? 0) + (large.convex ?? 0)).toBeGreaterThan(0.9 * Object.values(large).reduce((a, b) => a + b, 0));
  });

  graded('traces agree with the reference on generated scenarios (a bottleneck, scheduled losses)', 2, () => {
    const arb = fc.record({
      kind: fc.constantFrom<Kind>('cubic', 'reno'),
      rttMs: fc.integer({ min: 10, max: 300 }),
      rounds: fc.integer({ min: 1, max: 30 }),
      capacity: fc.integer({ min: 4, max: 120 }),
      losses: fc.array(fc.integer({ min: 0, max: 12_000 }), { maxLength: 4 }),
      initialCwnd: fc.integer({ min: 2, max: 40 }),
    });
    forAll(arb, (s) => {
      const scenario: Scenario = { rttMs: s.rttMs, durationMs: s.rounds * s.rttMs, capacity: s.capacity, lossesAtMs: s.losses };
      expectSameTrace(traceOf(s.kind, scenario, { initialCwnd: s.initialCwnd }), referenceAnswer('windowTrace', s, () => reference.windowTrace(s.kind, scenario, { initialCwnd: s.initialCwnd })), `${s.kind} trace`);
    }, 60);
  });
});

// ---- Task 5 ------------------------------------------------------------------------------

/** K after a first loss at W_max: the curve climbs back from β·W_max (task 1's formula). */
const kAfterLoss = (wMax: number): number => reference.cubicK(wMax, reference.BETA_CUBIC * wMax);

interface SeenRegion { tSeconds: number; region: string }

/**
 * What the reference CUBIC shows on sim.ts's network after a first loss at W_max: the region at
 * every ACK, timed from the first ACK of the congestion avoidance stage (t = 0 of the formulas).
 */
function simulatedRegions(wMax: number, rttMs: number, durationMs: number): SeenRegion[] {
  const seen: SeenRegion[] = [];
  let epochMs: number | null = null;
  let lost = false;
  windowTrace((clock) => {
    const cc = new reference.Cubic({ clock, rttMs, initialCwnd: wMax, initialSsthresh: wMax });
    return {
      get cwnd() { return cc.cwnd; },
      get ssthresh() { return cc.ssthresh; },
      onLoss: () => { cc.onLoss(); lost = true; },
      onAck: (n?: number) => {
        cc.onAck(n);
        if (lost && epochMs === null && cc.region !== 'recovery') epochMs = clock.now();
        if (epochMs !== null) seen.push({ tSeconds: (clock.now() - epochMs) / 1000, region: cc.region });
      },
    };
  }, { rttMs, durationMs, lossesAtMs: [1] });
  return seen;
}

task('predict', () => {
  it('the limit is about 2,030 segments at RTT 10 ms, 64 at 100 ms and 23 at 200 ms', () => {
    for (const [rttMs, about] of [[10, 2030.2], [100, 64.2], [200, 22.7]] as const) {
      const got = learner.renoFriendlyLimit(rttMs);
      expect(Math.abs(got - about), `renoFriendlyLimit(${rttMs}) = ${got}, expected about ${about}`).toBeLessThan(0.05);
      expectClose(got, reference.renoFriendlyLimit(rttMs), `renoFriendlyLimit(${rttMs})`);
    }
  });

  graded('the estimate in closed form: β·W_max, then α_cubic per RTT up to W_max, then 1 per RTT', 2, () => {
    // W_max = 100 at RTT 100 ms: 70 at t = 0; W_max again at 30 segments / (α per 0.1 s) ≈ 5.67 s.
    const reaches = (30 * 0.1) / reference.ALPHA_CUBIC;
    const rows: [number, number][] = [[0, 70], [1, 70 + 10 * reference.ALPHA_CUBIC], [reaches, 100], [reaches + 1, 110], [reaches + 2.5, 125]];
    for (const [t, want] of rows) expectClose(learner.estimateAt(t, 100, 100), want, `estimateAt(${t.toFixed(3)}, 100, 100)`);
    forAll(fc.record({ wMax: fc.double({ min: 2, max: 10_000, noNaN: true }), rttMs: fc.integer({ min: 1, max: 500 }), t: fc.double({ min: 0, max: 60, noNaN: true }) }), ({ wMax, rttMs, t }) => {
      expectClose(learner.estimateAt(t, wMax, rttMs), reference.estimateAt(t, wMax, rttMs), `estimateAt(${t}, ${wMax}, ${rttMs})`);
    });
  });

  graded('W_max = 100 at RTT 100 ms: concave until K, convex, overtaken by the estimate at 5.8 s, convex again from 8.2 s', 2, () => {
    const k = kAfterLoss(100);
    const rows: [number, string][] = [[0.5, 'concave'], [3, 'concave'], [k, 'convex'], [5, 'convex'], [6, 'reno-friendly'], [8, 'reno-friendly'], [9.5, 'convex']];
    expect(rows.map(([t]) => `t=${t.toFixed(2)} s: ${learner.predictRegion(100, 100, t)}`)).toEqual(rows.map(([t, r]) => `t=${t.toFixed(2)} s: ${r}`));
  });

  graded('your limit and your predictions agree: at t = K, just below the limit the estimate leads, just above the curve', 1, () => {
    forAll(fc.integer({ min: 2, max: 400 }), (rttMs) => {
      const limit = learner.renoFriendlyLimit(rttMs);
      for (const [factor, want] of [[0.9, 'reno-friendly'], [1.1, 'convex']] as const) {
        const wMax = factor * limit;
        expect(learner.predictRegion(wMax, rttMs, kAfterLoss(wMax)), `predictRegion(${factor} × your limit ${limit.toFixed(1)}, ${rttMs} ms, t = K)`).toBe(want);
      }
    });
  });

  graded('agrees with the reference on generated flows and times', 2, () => {
    const arb = fc.record({ wMax: fc.double({ min: 4, max: 10_000, noNaN: true }), rttMs: fc.integer({ min: 1, max: 500 }), share: fc.double({ min: 0, max: 3, noNaN: true }) });
    forAll(arb, ({ wMax, rttMs, share }) => {
      const t = share * kAfterLoss(wMax);
      expect(learner.predictRegion(wMax, rttMs, t), `predictRegion(${wMax}, ${rttMs}, ${t})`).toBe(reference.predictRegion(wMax, rttMs, t));
    }, 200);
  });

  graded('predicts what a simulated CUBIC does, wherever the two windows are clearly apart', 2, () => {
    const flows: [number, number][] = [[30, 100], [64, 100], [200, 100], [400, 50], [50, 300], [300, 300], [20, 200], [150, 20]];
    for (const [wMax, rttMs] of flows) {
      const k = kAfterLoss(wMax);
      const durationMs = Math.min(2.5 * k * 1000, 200 * rttMs);
      const seen = referenceAnswer('simulatedRegions', { wMax, rttMs, durationMs }, () => simulatedRegions(wMax, rttMs, durationMs));
      let checked = 0;
      for (const { tSeconds, region } of seen) {
        const curve = reference.wCubic(tSeconds, k, wMax);
        const estimate = reference.estimateAt(tSeconds, wMax, rttMs);
        // Near a crossing the simulation's discrete steps may land either side: skip those.
        if (Math.abs(curve - estimate) <= 0.05 * wMax || Math.abs(tSeconds - k) <= (2 * rttMs) / 1000) continue;
        checked++;
        const got = learner.predictRegion(wMax, rttMs, tSeconds);
        if (got !== region) expect(`W_max ${wMax}, RTT ${rttMs} ms, t = ${tSeconds.toFixed(3)} s: ${got}`).toBe(`W_max ${wMax}, RTT ${rttMs} ms, t = ${tSeconds.toFixed(3)} s: ${region}`);
      }
      expect(checked, `points checked for W_max ${wMax}, RTT ${rttMs} ms`).toBeGreaterThan(100);
    }
  });
});
