import { it, expect } from 'vitest';
import { task, graded, forAllAsync, fc, withCopiedInputs, referenceAnswerAsync } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { RCODE, TransportError, type Attempt, type Outcome, type Proto, type Question, type Reply, type ResolverOptions } from './types';
import { Bench, SimNetwork, type Behaviour, type SimServer } from './simnet';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

type Impl = typeof reference;

const Q: Question = { name: 'www.example.com', type: 'A' };
const S1 = '192.0.2.1';
const S2 = '192.0.2.2';
const S3 = '192.0.2.3';
const S4 = '192.0.2.4';
const SERVERS = [S1, S2, S3, S4];

const reply = (rcode: number, tc = false): Reply => ({ rcode, tc, answers: [] });
const A = (server: string, proto: Proto, start: number, timeout: number, end: number, outcome: Outcome): Attempt => ({ server, proto, start, timeout, end, outcome });
/** The record SimNetwork answers with: its data names the server. */
const rr = (server: string, servers: string[]) => [{ name: Q.name, type: Q.type, ttl: 300, data: `203.0.113.${servers.indexOf(server) + 1}` }];

// ---- Running a resolver on the simulated network ----------------------------------------------

interface Scenario {
  servers: string[];
  scripts: Record<string, SimServer>;
  options?: Partial<Pick<ResolverOptions, 'initialTimeout' | 'maxTimeout' | 'rounds' | 'deadline'>>;
  /** Virtual time at which resolve() is called. */
  startAt?: number;
}

type Summary =
  | { ok: true; at: number; server: string; proto: Proto; reply: Reply; attempts: Attempt[]; sent: string[] }
  | { ok: false; at: number; error: string; code?: string; attempts?: unknown; sent: string[] };

async function run(impl: Impl, sc: Scenario): Promise<Summary> {
  const bench = new Bench();
  const net = new SimNetwork(bench.clock, sc.scripts);
  if (sc.startAt) await bench.runUntil(sc.startAt);
  const settled = await bench.settle(
    Promise.resolve().then(() => impl.resolve({ ...Q }, { servers: [...sc.servers], transport: net, clock: bench.clock, ...sc.options })),
  );
  const sent = net.sent.map((s) => `t=${s.at} ${s.server} ${s.proto}`);
  if (settled.ok) {
    const r = settled.value;
    return { ok: true, at: settled.at, server: r.server, proto: r.proto, reply: r.reply, attempts: r.attempts, sent };
  }
  const e = settled.error as { name?: unknown; code?: unknown; attempts?: unknown } | undefined;
  return {
    ok: false,
    at: settled.at,
    error: e instanceof Error ? e.name : typeof e,
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    attempts: e?.attempts,
    sent,
  };
}

/** The learner's run must equal `want` (checked by hand against the rules). */
type Want = Summary extends infer S ? (S extends unknown ? Omit<S, 'sent'> : never) : never;

async function expectRun(sc: Scenario, want: Want): Promise<void> {
  const got = await run(learner, sc);
  const { sent, ...rest } = got;
  expect(rest).toEqual(want);
  const attempts = Array.isArray(want.attempts) ? (want.attempts as Attempt[]) : [];
  expect(sent).toEqual(attempts.map((a) => `t=${a.start} ${a.server} ${a.proto}`));
}

/** On generated scenarios, the learner's run (result, attempt log, queries sent) equals the reference's. */
async function agree(arb: fc.Arbitrary<Scenario>, runs = 60): Promise<void> {
  await forAllAsync(arb, async (sc) => {
    expect(await run(learner, sc)).toEqual(await referenceAnswerAsync('run', sc, () => run(reference, sc)));
  }, runs);
}

// ---- Generated scenarios ------------------------------------------------------------------------
// Delays are 100·k + 1 ms and timeouts multiples of 100 ms, so a reply never lands on the very
// millisecond its timer fires: every scenario has exactly one right attempt log.

const arbAfter = fc.integer({ min: 0, max: 40 }).map((k) => 100 * k + 1);
const arbDrop: fc.Arbitrary<Behaviour> = fc.constant({ kind: 'drop' as const });
const arbReply = (withTc: boolean): fc.Arbitrary<Behaviour> =>
  fc.record({
    kind: fc.constant('reply' as const),
    after: arbAfter,
    rcode: fc.constantFrom(0, 0, 0, 3, 2, 2, 5, 1, 4, 9),
    tc: withTc ? fc.boolean() : fc.constant(false),
  });
const arbFail: fc.Arbitrary<Behaviour> = fc.record({
  kind: fc.constant('fail' as const),
  after: arbAfter,
  code: fc.constantFrom('port-unreachable' as const, 'connection-refused' as const, 'connection-reset' as const, 'network-error' as const),
});
const arbBehaviour = (withTc: boolean) =>
  fc.oneof({ weight: 3, arbitrary: arbDrop }, { weight: 5, arbitrary: arbReply(withTc) }, { weight: 2, arbitrary: arbFail });

function arbScenario(opts: { tc: boolean; deadline: boolean }): fc.Arbitrary<Scenario> {
  return fc.integer({ min: 1, max: 4 }).chain((n) => {
    const servers = SERVERS.slice(0, n);
    const arbServer: fc.Arbitrary<SimServer> = fc.record({
      udp: fc.array(arbBehaviour(opts.tc), { minLength: 1, maxLength: 4 }),
      tcp: fc.array(arbBehaviour(false), { minLength: 1, maxLength: 3 }),
    });
    return fc.record({
      servers: fc.constant(servers),
      scripts: fc.tuple(...servers.map(() => arbServer)).map((list) => Object.fromEntries(servers.map((s, i) => [s, list[i]!]))),
      options: fc
        .record({
          initialTimeout: fc.constantFrom(500, 1000, 2000),
          factor: fc.constantFrom(1, 2, 4),
          rounds: fc.integer({ min: 1, max: 4 }),
          deadline: opts.deadline ? fc.integer({ min: 5, max: 200 }).map((k) => k * 100) : fc.constant(100_000_000),
        })
        .map(({ initialTimeout, factor, rounds, deadline }) => ({ initialTimeout, maxTimeout: initialTimeout * factor, rounds, deadline })),
      startAt: opts.deadline ? fc.constantFrom(0, 0, 7000) : fc.constant(0),
    });
  });
}

// ---- Task 1 ----------------------------------------------------------------------------------------

task('classify', () => {
  const cases = (rows: [Reply, Proto, Outcome][]) => {
    for (const [r, proto, want] of rows) {
      expect({ reply: r, proto, outcome: learner.classifyReply(r, proto) }).toEqual({ reply: r, proto, outcome: want });
    }
  };

  it('NOERROR is an answer (with or without records), NXDOMAIN too', () => {
    cases([
      [{ rcode: RCODE.NOERROR, tc: false, answers: [{ name: 'a.example', type: 'A', ttl: 60, data: '192.0.2.7' }] }, 'udp', 'answer'],
      [reply(RCODE.NOERROR), 'udp', 'answer'],
      [reply(RCODE.NXDOMAIN), 'udp', 'nxdomain'],
      [reply(RCODE.NXDOMAIN), 'tcp', 'nxdomain'],
    ]);
  });

  it('other RCODEs are failures: servfail, refused, bad-rcode', () => {
    cases([
      [reply(RCODE.SERVFAIL), 'udp', 'servfail'],
      [reply(RCODE.REFUSED), 'tcp', 'refused'],
      [reply(RCODE.FORMERR), 'udp', 'bad-rcode'],
      [reply(RCODE.NOTIMP), 'udp', 'bad-rcode'],
      [reply(9), 'udp', 'bad-rcode'],
    ]);
  });

  it('TC over UDP means truncated, whatever the RCODE; over TCP the bit is ignored', () => {
    cases([
      [reply(RCODE.NOERROR, true), 'udp', 'truncated'],
      [reply(RCODE.SERVFAIL, true), 'udp', 'truncated'],
      [reply(RCODE.NOERROR, true), 'tcp', 'answer'],
      [reply(RCODE.NXDOMAIN, true), 'tcp', 'nxdomain'],
    ]);
  });

  it('transport errors: unreachable or network-error', () => {
    const rows: [unknown, Outcome][] = [
      [new TransportError('port-unreachable'), 'unreachable'],
      [new TransportError('connection-refused'), 'unreachable'],
      [new TransportError('connection-reset'), 'network-error'],
      [new TransportError('network-error'), 'network-error'],
      [new Error('EHOSTUNREACH'), 'network-error'],
      ['a string', 'network-error'],
    ];
    for (const [error, want] of rows) {
      expect({ error: String(error), outcome: learner.classifyError(error) }).toEqual({ error: String(error), outcome: want });
    }
  });
});

// ---- Task 2 ----------------------------------------------------------------------------------------

task('attempt', () => {
  /** One attempt started at t=500 (so "start" is not 0) with a 1000 ms timer. */
  async function once(impl: Impl, b: Behaviour, proto: Proto = 'udp', timeout = 1000) {
    const bench = new Bench();
    const net = new SimNetwork(bench.clock, { [S1]: { udp: [b], tcp: [b] } });
    await bench.runUntil(500);
    const settled = await bench.settle(Promise.resolve().then(() => impl.attempt(net, bench.clock, S1, proto, { ...Q }, timeout)));
    return { bench, net, settled };
  }

  it('a reply before the timer: its outcome, the reply, when it started and ended', async () => {
    const { settled, bench, net } = await once(learner, { kind: 'reply', after: 41 });
    expect(settled).toEqual({
      ok: true,
      at: 541,
      value: { attempt: A(S1, 'udp', 500, 1000, 541, 'answer'), reply: { rcode: 0, tc: false, answers: rr(S1, [S1]) } },
    });
    expect(net.sent.map((s) => [s.at, s.server, s.proto, s.question])).toEqual([[500, S1, 'udp', Q]]);
    expect(net.sent[0]!.signal.aborted, 'the signal is aborted only when the attempt gives up waiting').toBe(false);
    expect(bench.nextDue(), 'the attempt must clear its timer once the reply is in').toBeUndefined();
  });

  it('silence: the attempt times out at start + timeout and aborts the exchange', async () => {
    const { settled, net } = await once(learner, { kind: 'drop' }, 'tcp', 700);
    expect(settled).toEqual({ ok: true, at: 1200, value: { attempt: A(S1, 'tcp', 500, 700, 1200, 'timeout') } });
    expect(net.sent.length).toBe(1);
    expect(net.sent[0]!.signal.aborted, 'abort the exchange when you stop waiting').toBe(true);
  });

  it('a reply after the timer changes nothing', async () => {
    const { settled, bench } = await once(learner, { kind: 'reply', after: 1501, rcode: RCODE.NXDOMAIN });
    expect(settled).toEqual({ ok: true, at: 1500, value: { attempt: A(S1, 'udp', 500, 1000, 1500, 'timeout') } });
    await bench.runUntil(5000);
    expect(settled.ok && settled.value).toEqual({ attempt: A(S1, 'udp', 500, 1000, 1500, 'timeout') });
  });

  it('a network error ends the attempt when it arrives', async () => {
    const { settled, bench } = await once(learner, { kind: 'fail', after: 3, code: 'port-unreachable' });
    expect(settled).toEqual({ ok: true, at: 503, value: { attempt: A(S1, 'udp', 500, 1000, 503, 'unreachable') } });
    expect(bench.nextDue(), 'the attempt must clear its timer once the error is in').toBeUndefined();
  });

  it('agrees with the reference on generated behaviours', async () => {
    const arb = fc.record({ b: arbBehaviour(true), proto: fc.constantFrom<Proto>('udp', 'tcp'), timeout: fc.constantFrom(300, 1000, 2500) });
    await forAllAsync(arb, async ({ b, proto, timeout }) => {
      const mine = await once(learner, b, proto, timeout);
      const ref = await once(reference, b, proto, timeout);
      expect(mine.settled).toEqual(ref.settled);
      expect(mine.bench.nextDue()).toEqual(ref.bench.nextDue());
    }, 60);
  });
});

// ---- Task 3 ----------------------------------------------------------------------------------------

task('failover', () => {
  it('roundTimeout doubles each round, up to maxTimeout', () => {
    expect([0, 1, 2, 3, 4].map((r) => learner.roundTimeout(r))).toEqual([2000, 4000, 8000, 8000, 8000]);
    expect([0, 1, 2, 3].map((r) => learner.roundTimeout(r, { initialTimeout: 300, maxTimeout: 1000 }))).toEqual([300, 600, 1000, 1000]);
    expect([0, 1, 2].map((r) => learner.roundTimeout(r, { initialTimeout: 500, maxTimeout: 500 }))).toEqual([500, 500, 500]);
  });

  it('the first server answers: one attempt', async () => {
    await expectRun(
      { servers: [S1, S2], scripts: { [S1]: { udp: [{ kind: 'reply', after: 23 }] }, [S2]: { udp: [{ kind: 'reply', after: 1 }] } } },
      { ok: true, at: 23, server: S1, proto: 'udp', reply: { rcode: 0, tc: false, answers: rr(S1, [S1, S2]) }, attempts: [A(S1, 'udp', 0, 2000, 23, 'answer')] },
    );
  });

  it('a silent server: wait for its timeout, then ask the next one', async () => {
    await expectRun(
      { servers: [S1, S2], scripts: { [S1]: { udp: [{ kind: 'drop' }] }, [S2]: { udp: [{ kind: 'reply', after: 41 }] } } },
      {
        ok: true, at: 2041, server: S2, proto: 'udp', reply: { rcode: 0, tc: false, answers: rr(S2, [S1, S2]) },
        attempts: [A(S1, 'udp', 0, 2000, 2000, 'timeout'), A(S2, 'udp', 2000, 2000, 2041, 'answer')],
      },
    );
  });

  it('NXDOMAIN is an answer: no failover', async () => {
    await expectRun(
      { servers: [S1, S2], scripts: { [S1]: { udp: [{ kind: 'reply', after: 17, rcode: RCODE.NXDOMAIN }] }, [S2]: { udp: [{ kind: 'reply', after: 1 }] } } },
      { ok: true, at: 17, server: S1, proto: 'udp', reply: reply(RCODE.NXDOMAIN), attempts: [A(S1, 'udp', 0, 2000, 17, 'nxdomain')] },
    );
  });

  it('SERVFAIL, REFUSED, unreachable: the next server at once', async () => {
    const servers = [S1, S2, S3, S4];
    await expectRun(
      {
        servers,
        scripts: {
          [S1]: { udp: [{ kind: 'reply', after: 21, rcode: RCODE.SERVFAIL }] },
          [S2]: { udp: [{ kind: 'reply', after: 31, rcode: RCODE.REFUSED }] },
          [S3]: { udp: [{ kind: 'fail', after: 1, code: 'port-unreachable' }] },
          [S4]: { udp: [{ kind: 'reply', after: 41 }] },
        },
      },
      {
        ok: true, at: 94, server: S4, proto: 'udp', reply: { rcode: 0, tc: false, answers: rr(S4, servers) },
        attempts: [
          A(S1, 'udp', 0, 2000, 21, 'servfail'),
          A(S2, 'udp', 21, 2000, 52, 'refused'),
          A(S3, 'udp', 52, 2000, 53, 'unreachable'),
          A(S4, 'udp', 53, 2000, 94, 'answer'),
        ],
      },
    );
  });

  it('all silent: every round doubles the timeout up to the cap, then all-servers-failed', async () => {
    await expectRun(
      { servers: [S1, S2], scripts: { [S1]: { udp: [{ kind: 'drop' }] }, [S2]: { udp: [{ kind: 'drop' }] } } },
      {
        ok: false, at: 28000, error: 'ResolveError', code: 'all-servers-failed',
        attempts: [
          A(S1, 'udp', 0, 2000, 2000, 'timeout'),
          A(S2, 'udp', 2000, 2000, 4000, 'timeout'),
          A(S1, 'udp', 4000, 4000, 8000, 'timeout'),
          A(S2, 'udp', 8000, 4000, 12000, 'timeout'),
          A(S1, 'udp', 12000, 8000, 20000, 'timeout'),
          A(S2, 'udp', 20000, 8000, 28000, 'timeout'),
        ],
      },
    );
  });

  it('refused or unreachable servers are dropped; silent and SERVFAIL ones are asked again', async () => {
    await expectRun(
      {
        servers: [S1, S2, S3, S4],
        options: { initialTimeout: 1000, rounds: 2 },
        scripts: {
          [S1]: { udp: [{ kind: 'reply', after: 11, rcode: RCODE.REFUSED }] },
          [S2]: { udp: [{ kind: 'reply', after: 21, rcode: RCODE.SERVFAIL }] },
          [S3]: { udp: [{ kind: 'drop' }] },
          [S4]: { udp: [{ kind: 'fail', after: 1, code: 'port-unreachable' }] },
        },
      },
      {
        ok: false, at: 3054, error: 'ResolveError', code: 'all-servers-failed',
        attempts: [
          A(S1, 'udp', 0, 1000, 11, 'refused'),
          A(S2, 'udp', 11, 1000, 32, 'servfail'),
          A(S3, 'udp', 32, 1000, 1032, 'timeout'),
          A(S4, 'udp', 1032, 1000, 1033, 'unreachable'),
          A(S2, 'udp', 1033, 2000, 1054, 'servfail'),
          A(S3, 'udp', 1054, 2000, 3054, 'timeout'),
        ],
      },
    );
  });

  it('no servers: ResolveError no-servers, nothing sent', async () => {
    await expectRun({ servers: [], scripts: {} }, { ok: false, at: 0, error: 'ResolveError', code: 'no-servers', attempts: [] });
  });

  graded('agrees with the reference on generated scenarios (UDP only)', 2, () => agree(arbScenario({ tc: false, deadline: false })));
});

// ---- Task 4 ----------------------------------------------------------------------------------------

task('truncation', () => {
  it('TC over UDP: the same server again over TCP, at once', async () => {
    await expectRun(
      {
        servers: [S1, S2],
        scripts: { [S1]: { udp: [{ kind: 'reply', after: 21, tc: true }], tcp: [{ kind: 'reply', after: 31 }] }, [S2]: { udp: [{ kind: 'reply', after: 1 }] } },
      },
      {
        ok: true, at: 52, server: S1, proto: 'tcp', reply: { rcode: 0, tc: false, answers: rr(S1, [S1, S2]) },
        attempts: [A(S1, 'udp', 0, 2000, 21, 'truncated'), A(S1, 'tcp', 21, 2000, 52, 'answer')],
      },
    );
  });

  it('a truncated SERVFAIL still goes to TCP, and TCP may say NXDOMAIN', async () => {
    await expectRun(
      {
        servers: [S1],
        scripts: { [S1]: { udp: [{ kind: 'reply', after: 11, tc: true, rcode: RCODE.SERVFAIL }], tcp: [{ kind: 'reply', after: 101, rcode: RCODE.NXDOMAIN, tc: true }] } },
      },
      {
        ok: true, at: 112, server: S1, proto: 'tcp', reply: reply(RCODE.NXDOMAIN, true),
        attempts: [A(S1, 'udp', 0, 2000, 11, 'truncated'), A(S1, 'tcp', 11, 2000, 112, 'nxdomain')],
      },
    );
  });

  it('TCP refused: that server is dropped, the next one asked', async () => {
    await expectRun(
      {
        servers: [S1, S2],
        options: { rounds: 2, initialTimeout: 1000 },
        scripts: {
          [S1]: { udp: [{ kind: 'reply', after: 21, tc: true }], tcp: [{ kind: 'fail', after: 1, code: 'connection-refused' }] },
          [S2]: { udp: [{ kind: 'drop' }] },
        },
      },
      {
        ok: false, at: 3022, error: 'ResolveError', code: 'all-servers-failed',
        attempts: [
          A(S1, 'udp', 0, 1000, 21, 'truncated'),
          A(S1, 'tcp', 21, 1000, 22, 'unreachable'),
          A(S2, 'udp', 22, 1000, 1022, 'timeout'),
          A(S2, 'udp', 1022, 2000, 3022, 'timeout'),
        ],
      },
    );
  });

  it('TCP silent: the next server; the next round starts over UDP again', async () => {
    await expectRun(
      {
        servers: [S1, S2],
        options: { rounds: 2, initialTimeout: 1000 },
        scripts: {
          [S1]: { udp: [{ kind: 'reply', after: 21, tc: true }], tcp: [{ kind: 'drop' }] },
          [S2]: { udp: [{ kind: 'drop' }, { kind: 'reply', after: 5 }] },
        },
      },
      {
        ok: true, at: 4047, server: S2, proto: 'udp', reply: { rcode: 0, tc: false, answers: rr(S2, [S1, S2]) },
        attempts: [
          A(S1, 'udp', 0, 1000, 21, 'truncated'),
          A(S1, 'tcp', 21, 1000, 1021, 'timeout'),
          A(S2, 'udp', 1021, 1000, 2021, 'timeout'),
          A(S1, 'udp', 2021, 2000, 2042, 'truncated'),
          A(S1, 'tcp', 2042, 2000, 4042, 'timeout'),
          A(S2, 'udp', 4042, 2000, 4047, 'answer'),
        ],
      },
    );
  });

  graded('agrees with the reference on generated scenarios (with TC)', 2, () => agree(arbScenario({ tc: true, deadline: false })));
});

// ---- Task 5 ----------------------------------------------------------------------------------------

task('deadline', () => {
  it('the deadline cuts the last wait short, then resolve fails with timeout', async () => {
    await expectRun(
      { servers: [S1, S2], options: { deadline: 3000 }, scripts: { [S1]: { udp: [{ kind: 'drop' }] }, [S2]: { udp: [{ kind: 'drop' }] } } },
      {
        ok: false, at: 3000, error: 'ResolveError', code: 'timeout',
        attempts: [A(S1, 'udp', 0, 2000, 2000, 'timeout'), A(S2, 'udp', 2000, 1000, 3000, 'timeout')],
      },
    );
  });

  it('an answer that comes before the deadline still wins', async () => {
    await expectRun(
      { servers: [S1, S2], options: { deadline: 3000 }, scripts: { [S1]: { udp: [{ kind: 'drop' }] }, [S2]: { udp: [{ kind: 'reply', after: 901 }] } } },
      {
        ok: true, at: 2901, server: S2, proto: 'udp', reply: { rcode: 0, tc: false, answers: rr(S2, [S1, S2]) },
        attempts: [A(S1, 'udp', 0, 2000, 2000, 'timeout'), A(S2, 'udp', 2000, 1000, 2901, 'answer')],
      },
    );
  });

  it('nothing left to try at the deadline: all-servers-failed, not timeout', async () => {
    await expectRun(
      { servers: [S1], options: { deadline: 2000, rounds: 1 }, scripts: { [S1]: { udp: [{ kind: 'drop' }] } } },
      { ok: false, at: 2000, error: 'ResolveError', code: 'all-servers-failed', attempts: [A(S1, 'udp', 0, 2000, 2000, 'timeout')] },
    );
  });

  it('the TCP retry is cut short by the deadline too', async () => {
    await expectRun(
      {
        servers: [S1],
        options: { deadline: 2000, rounds: 2 },
        scripts: { [S1]: { udp: [{ kind: 'reply', after: 1501, tc: true }], tcp: [{ kind: 'drop' }] } },
      },
      {
        ok: false, at: 2000, error: 'ResolveError', code: 'timeout',
        attempts: [A(S1, 'udp', 0, 2000, 1501, 'truncated'), A(S1, 'tcp', 1501, 499, 2000, 'timeout')],
      },
    );
  });

  it('the deadline counts from the call of resolve(), not from time 0', async () => {
    await expectRun(
      { servers: [S1, S2], startAt: 10_000, options: { deadline: 2500, initialTimeout: 1000 }, scripts: { [S1]: { udp: [{ kind: 'drop' }] }, [S2]: { udp: [{ kind: 'drop' }] } } },
      {
        ok: false, at: 12_500, error: 'ResolveError', code: 'timeout',
        attempts: [A(S1, 'udp', 10_000, 1000, 11_000, 'timeout'), A(S2, 'udp', 11_000, 1000, 12_000, 'timeout'), A(S1, 'udp', 12_000, 500, 12_500, 'timeout')],
      },
    );
  });

  graded('agrees with the reference on generated scenarios (everything)', 3, () => agree(arbScenario({ tc: true, deadline: true }), 80));
});
