import { expect, it } from 'vitest';
import { task, graded, vectors, forAll, samples, fc, outcome, hex, fromHex, withCopiedInputs, referenceAnswer, referenceAnswerAsync, SEED } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { ID_SPACE, K, type AddResult, type Contact, type KrpcMessage, type LookupOptions, type LookupResult, type TableOptions } from './types';
import { Bench, HandTopology, RandomTopology, SimNetwork, type HandNode, type Topology } from './network';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

/** What the tests drive, in the learner's module and the reference alike. */
interface TableLike {
  readonly size: number;
  bucket(index: number): Contact[];
  add(contact: Contact): Promise<AddResult>;
  closest(target: bigint, count?: number): Contact[];
}
interface Impl {
  RoutingTable: new (self: bigint, options: TableOptions) => TableLike;
  lookup: (options: LookupOptions) => Promise<LookupResult>;
}

// ---- Ids, as the tests compute them (independently of both implementations) -----------------

const MAX_ID = ID_SPACE - 1n;
/** 1-based bit length: the highest set bit is bitLength - 1. */
const bitLength = (d: bigint): number => (d === 0n ? 0 : d.toString(2).length);
const sortIds = (ids: readonly bigint[], target: bigint): bigint[] =>
  [...ids].sort((a, b) => ((a ^ target) < (b ^ target) ? -1 : (a ^ target) > (b ^ target) ? 1 : 0));

/** Random 160-bit ids, with the extremes and ids that share long prefixes well represented. */
const arbId = fc.oneof(
  fc.bigInt({ min: 0n, max: MAX_ID }),
  fc.constantFrom(0n, 1n, MAX_ID, 1n << 159n, (1n << 159n) - 1n),
);

const b4 = (s: string): bigint => BigInt(`0b${s}`);

// ---- Task 1 ---------------------------------------------------------------------------------

// The chapter's table: ids seen from 0110, their distance and bucket.
const FROM_0110: [string, number, number | null][] = [
  ['0110', 0, null], ['0111', 1, 0], ['0100', 2, 1], ['0101', 3, 1], ['0011', 5, 2], ['1110', 8, 3], ['1001', 15, 3],
];

task('distance', () => {
  it('XOR distance: the chapter\'s 4-bit ids seen from 0110', () => {
    expect(FROM_0110.map(([id]) => learner.distance(b4('0110'), b4(id)))).toEqual(FROM_0110.map(([, d]) => BigInt(d)));
    expect(learner.distance(0n, MAX_ID)).toBe(MAX_ID);
  });

  graded('distance is a XOR b on generated 160-bit ids, and symmetric', 2, () => {
    forAll(fc.tuple(arbId, arbId), ([a, b]) => {
      expect(learner.distance(a, b)).toBe(a ^ b);
      expect(learner.distance(b, a)).toBe(a ^ b);
    }, 100);
  });

  it('bucket index: the highest bit in which two ids differ (the chapter\'s table, and the ends of 0..159)', () => {
    expect(FROM_0110.slice(1).map(([id]) => learner.bucketIndex(b4('0110'), b4(id)))).toEqual(FROM_0110.slice(1).map(([, , b]) => b));
    expect([learner.bucketIndex(0n, 1n), learner.bucketIndex(0n, 1n << 159n), learner.bucketIndex(MAX_ID, 0n), learner.bucketIndex(MAX_ID, MAX_ID - 1n)]).toEqual([0, 159, 159, 0]);
  });

  graded('bucket index on generated ids at every distance', 2, () => {
    const arb = fc.tuple(arbId, fc.integer({ min: 0, max: 159 }), fc.bigInt({ min: 0n, max: MAX_ID })).map(([self, i, low]) => {
      const bit = 1n << BigInt(i);
      return { self, i, id: self ^ (bit | (low & (bit - 1n))) };
    });
    forAll(arb, ({ self, i, id }) => {
      expect(learner.bucketIndex(self, id)).toBe(i);
      expect(learner.bucketIndex(id, self)).toBe(i);
    }, 150);
  });

  it('bucket ranges of 0110: 1000-1111, 0000-0011, 0100-0101, 0111', () => {
    const r = (i: number) => learner.bucketRange(b4('0110'), i);
    expect([3, 2, 1, 0].map(r)).toEqual([
      { first: b4('1000'), last: b4('1111') },
      { first: b4('0000'), last: b4('0011') },
      { first: b4('0100'), last: b4('0101') },
      { first: b4('0111'), last: b4('0111') },
    ]);
    expect(learner.bucketRange(0n, 159)).toEqual({ first: 1n << 159n, last: MAX_ID });
  });

  graded('bucket ranges on generated ids: 2^i ids, all in bucket i, and their neighbours not', 2, () => {
    forAll(fc.tuple(arbId, fc.integer({ min: 0, max: 159 })), ([self, i]) => {
      const { first, last } = learner.bucketRange(self, i);
      expect(last - first + 1n).toBe(1n << BigInt(i));
      expect(bitLength(self ^ first) - 1).toBe(i);
      expect(bitLength(self ^ last) - 1).toBe(i);
      if (first > 0n) expect(bitLength(self ^ (first - 1n)) - 1).not.toBe(i);
      if (last < MAX_ID) expect(bitLength(self ^ (last + 1n)) - 1).not.toBe(i);
    }, 100);
  });

  it('refuses its own id, ids outside 0..2^160-1 and bad bucket numbers, with typed errors', () => {
    const code = (f: () => unknown) => outcome(f);
    expect(code(() => learner.bucketIndex(5n, 5n))).toEqual({ ok: false, error: 'KademliaError', code: 'own-id' });
    for (const bad of [ID_SPACE, -1n]) {
      expect(code(() => learner.distance(bad, 0n))).toEqual({ ok: false, error: 'KademliaError', code: 'bad-id' });
      expect(code(() => learner.bucketIndex(0n, bad))).toEqual({ ok: false, error: 'KademliaError', code: 'bad-id' });
    }
    expect(code(() => learner.distance(5 as unknown as bigint, 0n))).toEqual({ ok: false, error: 'KademliaError', code: 'bad-id' });
    for (const bad of [160, -1, 1.5]) {
      expect(code(() => learner.bucketRange(0n, bad))).toEqual({ ok: false, error: 'KademliaError', code: 'bad-bucket' });
    }
  });
});

// ---- Task 2 ---------------------------------------------------------------------------------

/** How a contact answers a ping in a test. */
type PingBehaviour = { kind: 'answer'; after: number } | { kind: 'silent' } | { kind: 'reject'; after: number };

const contact = (id: bigint, port = 6881): Contact => ({ id, host: '127.0.0.1', port });

/** A table on a bench, pinging contacts as `behaviour` says, and logging every ping. */
function tableBench(impl: Impl, self: bigint, behaviour: (id: bigint) => PingBehaviour, pingTimeoutMs?: number) {
  const bench = new Bench();
  const pings: string[] = [];
  const ping = (c: Contact): Promise<void> => {
    pings.push(`t=${bench.clock.now()} ${c.id}`);
    const b = behaviour(c.id);
    if (b.kind === 'silent') return new Promise<void>(() => {});
    return new Promise<void>((resolve, reject) => {
      bench.clock.setTimeout(() => (b.kind === 'answer' ? resolve() : reject(new Error('unreachable'))), b.after);
    });
  };
  const options = pingTimeoutMs === undefined ? { clock: bench.clock, ping } : { clock: bench.clock, ping, pingTimeoutMs };
  const table = new impl.RoutingTable(self, options);
  /** Call add now; the promise gives "<result> at t=<when it settled>" (or the error's code). */
  const call = (c: Contact): Promise<string> => {
    let p: Promise<unknown>;
    try {
      p = Promise.resolve(table.add(c));
    } catch (e) {
      p = Promise.reject(e);
    }
    return p.then(
      (r) => `${String(r)} at t=${bench.clock.now()}`,
      (e: unknown) => `${(e as { code?: string })?.code ?? String(e)} at t=${bench.clock.now()}`,
    );
  };
  /** Run the virtual clock until `p` settles. */
  const drive = async <T>(p: Promise<T>): Promise<T> => {
    const s = await bench.settle(p, 20_000);
    if (!s.ok) throw s.error;
    return s.value;
  };
  /** Call add and run the clock until it settles. */
  const add = (c: Contact): Promise<string> => drive(call(c));
  const ids = (i: number) => table.bucket(i).map((c) => Number(c.id));
  return { bench, table, pings, call, drive, add, ids };
}

const answers = (after: number): PingBehaviour => ({ kind: 'answer', after });
const SILENT: PingBehaviour = { kind: 'silent' };
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Self 0, bucket 4 (ids 16..31) filled with 16..23, oldest first. */
async function fullBucket(impl: Impl, behaviour: (id: bigint) => PingBehaviour, pingTimeoutMs?: number) {
  const t = tableBench(impl, 0n, behaviour, pingTimeoutMs);
  for (const id of range(16, 23)) expect(await t.add(contact(BigInt(id)))).toBe('added at t=0');
  return t;
}

interface TableScenario {
  self: bigint;
  /** Each add: `gap` ms after the previous one, of id self ^ offset (offset 0: self itself). */
  steps: { gap: number; offset: number; port: number }[];
  /** How the contact at each offset answers pings. */
  behaviours: PingBehaviour[];
}

interface TableTrace {
  results: string[];
  pings: string[];
  buckets: string[];
  size: number;
  /** The most contacts seen in one bucket, checked after every step. */
  fullest: number;
  /** Contacts found in a bucket they do not belong in, or twice. */
  misplaced: string[];
}

const GENERATED_TIMEOUT = 1000;

async function runTable(impl: Impl, sc: TableScenario): Promise<TableTrace> {
  const offsetOf = (id: bigint) => Number(id ^ sc.self);
  const t = tableBench(impl, sc.self, (id) => sc.behaviours[offsetOf(id)] ?? SILENT, GENERATED_TIMEOUT);
  const results: string[] = [];
  const pending: Promise<void>[] = [];
  let fullest = 0;
  const misplaced: string[] = [];
  const inspect = () => {
    for (let i = 0; i <= 6; i++) {
      const b = t.table.bucket(i);
      fullest = Math.max(fullest, b.length);
      const seen = new Set<bigint>();
      for (const c of b) {
        if (bitLength(c.id ^ sc.self) - 1 !== i || seen.has(c.id)) misplaced.push(`${offsetOf(c.id)} in bucket ${i}`);
        seen.add(c.id);
      }
    }
  };
  let now = 0;
  for (const [i, s] of sc.steps.entries()) {
    // Adds with no gap are made in the same tick, one after another.
    if (s.gap > 0) {
      now += s.gap;
      await t.bench.runUntil(now);
      inspect();
    }
    pending.push(t.call(contact(sc.self ^ BigInt(s.offset), s.port)).then((r) => { results[i] = r; }));
  }
  await t.bench.settle(Promise.all(pending), 20_000);
  inspect();
  const buckets: string[] = [];
  for (let i = 0; i <= 6; i++) {
    const b = t.table.bucket(i);
    if (b.length) buckets.push(`bucket ${i}: ${b.map((c) => `${offsetOf(c.id)}:${c.port}`).join(' ')}`);
  }
  const pings = t.pings.map((p) => p.replace(/ (\d+)$/, (_, id: string) => ` ${offsetOf(BigInt(id))}`));
  // Pings of different buckets at one instant may come in either order.
  pings.sort();
  return { results, pings, buckets, size: t.table.size, fullest, misplaced };
}

const arbBehaviour: fc.Arbitrary<PingBehaviour> = fc.oneof(
  fc.record({ kind: fc.constant('answer' as const), after: fc.oneof(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1001, max: 3000 })) }),
  fc.constant(SILENT),
  fc.record({ kind: fc.constant('reject' as const), after: fc.integer({ min: 1, max: 999 }) }),
);
const arbTableScenario: fc.Arbitrary<TableScenario> = fc.record({
  self: arbId,
  steps: fc.array(
    fc.record({
      gap: fc.constantFrom(0, 0, 0, 0, 1, 10, 100, 700, 1000, 2500),
      // Buckets 4 and 5 (offsets 16..63) fill up and evict; offset 0 is self.
      offset: fc.oneof(fc.integer({ min: 16, max: 63 }), fc.integer({ min: 0, max: 127 }), fc.integer({ min: 16, max: 31 })),
      port: fc.integer({ min: 1, max: 65535 }),
    }),
    { minLength: 20, maxLength: 32 },
  ),
  behaviours: fc.array(arbBehaviour, { minLength: 128, maxLength: 128 }),
});

const TABLE_SCENARIOS = samples(arbTableScenario, 16);

// The learner's runs of the generated sequences, shared by the two tests that read them.
let learnerTables: Promise<TableTrace[]> | undefined;
const learnerTableRuns = (): Promise<TableTrace[]> => (learnerTables ??= (async () => {
  const out: TableTrace[] = [];
  for (const sc of TABLE_SCENARIOS) out.push(await runTable(learner, sc));
  return out;
})());

task('table', () => {
  it('adds contacts at the tail of their bucket, least recently seen first', async () => {
    const t = tableBench(learner, 0n, () => answers(1));
    const got = [];
    for (const id of [16, 1, 17, 2, 3, 8, 18]) got.push(await t.add(contact(BigInt(id))));
    expect(got).toEqual(Array(7).fill('added at t=0'));
    expect([t.ids(0), t.ids(1), t.ids(2), t.ids(3), t.ids(4)]).toEqual([[1], [2, 3], [], [8], [16, 17, 18]]);
    expect(t.table.size).toBe(7);
    expect(t.pings).toEqual([]);
  });

  graded('a contact seen again moves to the tail, with the address it came from', 2, async () => {
    const t = tableBench(learner, 0n, () => answers(1));
    for (const id of [16, 17, 18]) await t.add(contact(BigInt(id)));
    expect(await t.add(contact(16n, 9999))).toBe('refreshed at t=0');
    expect(t.table.bucket(4)).toEqual([contact(17n), contact(18n), contact(16n, 9999)]);
    expect(t.table.size).toBe(3);
  });

  graded('a full bucket pings its least recently seen contact: it answers, moves to the tail, and the newcomer is dropped', 2, async () => {
    const t = await fullBucket(learner, (id) => (id === 16n ? answers(30) : SILENT));
    expect(await t.add(contact(24n))).toBe('dropped at t=30');
    expect(t.pings).toEqual(['t=0 16']);
    expect(t.ids(4)).toEqual([17, 18, 19, 20, 21, 22, 23, 16]);
  });

  graded('a silent least recently seen contact is evicted when the ping times out, and the newcomer takes the tail', 2, async () => {
    const t = await fullBucket(learner, (id) => (id === 16n ? answers(800) : SILENT), 500); // answers too late
    expect(await t.add(contact(24n))).toBe('replaced at t=500');
    expect(t.pings).toEqual(['t=0 16']);
    expect(t.ids(4)).toEqual([17, 18, 19, 20, 21, 22, 23, 24]);
    expect(await t.add(contact(25n))).toBe('replaced at t=1000'); // 17 is silent too
    expect(t.ids(4)).toEqual([18, 19, 20, 21, 22, 23, 24, 25]);
  });

  it('a ping that rejects is no answer, at once; the default timeout is 2000 ms', async () => {
    const t = await fullBucket(learner, (id) => (id === 16n ? { kind: 'reject', after: 40 } : SILENT));
    expect(await t.add(contact(24n))).toBe('replaced at t=40');
    expect(await t.add(contact(25n))).toBe('replaced at t=2040');
    expect(t.pings).toEqual(['t=0 16', 't=40 17']);
  });

  graded('adds to a bucket with a ping in flight wait their turn, in call order (the worked example)', 3, async () => {
    const behaviour = (id: bigint) => (id === 16n ? answers(30) : id === 18n ? answers(20) : SILENT);
    const t = await fullBucket(learner, behaviour, 1000);
    const results = await t.drive(Promise.all([t.call(contact(24n)), t.call(contact(25n)), t.call(contact(26n)), t.call(contact(17n))]));
    expect(results).toEqual(['dropped at t=30', 'replaced at t=1030', 'dropped at t=1050', 'replaced at t=2050']);
    expect(t.pings).toEqual(['t=0 16', 't=30 17', 't=1030 18', 't=1050 19']);
    expect(t.ids(4)).toEqual([20, 21, 22, 23, 16, 25, 18, 17]);
  });

  it('a ping in one bucket does not hold up the others', async () => {
    const t = await fullBucket(learner, () => SILENT);
    const waiting = t.call(contact(24n));
    const others = await Promise.all([t.call(contact(8n)), t.call(contact(1n))]);
    expect(others).toEqual(['added at t=0', 'added at t=0']);
    expect([t.ids(0), t.ids(3)]).toEqual([[1], [8]]);
    expect(await t.drive(waiting)).toBe('replaced at t=2000');
  });

  graded('never more than K per bucket, each contact once and in its own bucket, on generated add sequences', 2, async () => {
    const runs = await learnerTableRuns();
    for (const got of runs) {
      expect(got.fullest).toBeLessThanOrEqual(K);
      expect(got.misplaced).toEqual([]);
      expect(got.results.every((r) => typeof r === 'string')).toBe(true);
    }
  });

  graded('agrees with the reference on generated add sequences: results, pings and buckets', 3, async () => {
    const runs = await learnerTableRuns();
    for (const [i, sc] of TABLE_SCENARIOS.entries()) {
      expect(runs[i]).toEqual(await referenceAnswerAsync('table', sc, () => runTable(reference, sc)));
    }
  });

  it('refuses its own id and bad ids with typed errors, and bad bucket numbers', async () => {
    const t = tableBench(learner, 7n, () => answers(1));
    expect(await t.add(contact(7n))).toBe('own-id at t=0');
    expect(await t.add(contact(ID_SPACE))).toBe('bad-id at t=0');
    expect(t.table.size).toBe(0);
    expect(outcome(() => t.table.bucket(160))).toEqual({ ok: false, error: 'KademliaError', code: 'bad-bucket' });
    const bench = new Bench();
    expect(outcome(() => new learner.RoutingTable(-1n, { clock: bench.clock, ping: async () => {} }))).toEqual({ ok: false, error: 'KademliaError', code: 'bad-id' });
  });
});

// ---- Task 3 ---------------------------------------------------------------------------------

/** Fill a table with `ids` (pings always answer), and say what it must hold: per bucket, the first K. */
async function filledTable(impl: Impl, self: bigint, ids: bigint[]) {
  const t = tableBench(impl, self, () => answers(1));
  const kept = new Map<number, bigint[]>();
  const others = ids.filter((id) => id !== self);
  // All added at once: each bucket takes them in call order.
  await t.drive(Promise.all(others.map((id) => t.call(contact(id)))));
  for (const id of others) {
    const i = bitLength(id ^ self) - 1;
    const b = kept.get(i) ?? [];
    if (!b.includes(id) && b.length < K) b.push(id);
    kept.set(i, b);
  }
  return { table: t.table, contents: [...kept.values()].flat() };
}

/**
 * A self, contacts at every prefix length from it, and a cluster of six in bucket 150 that differ
 * only in their last 8 bits (`cluster`, a point of that cluster).
 */
const arbTableIds = fc.tuple(
  arbId,
  fc.array(fc.tuple(fc.integer({ min: 0, max: 159 }), fc.bigInt({ min: 0n, max: MAX_ID })), { minLength: 1, maxLength: 50 }),
  fc.bigInt({ min: 0n, max: (1n << 150n) - 1n }),
  fc.array(fc.bigInt({ min: 0n, max: 255n }), { minLength: 6, maxLength: 6 }),
).map(([self, picks, low, offsets]) => {
  const cluster = (self ^ (1n << 150n) ^ low) & ~255n;
  return { self, cluster, ids: [...picks.map(([bits, r]) => self ^ (r & ((1n << BigInt(bits + 1)) - 1n))), ...offsets.map((o) => cluster | o)] };
});

task('closest', () => {
  it('sortByDistance: the chapter\'s ids, nearest to 0110 first', () => {
    const ids = ['1001', '0011', '0111', '1110', '0101', '0110', '0100'].map(b4);
    expect(learner.sortByDistance(ids, b4('0110'))).toEqual(['0110', '0111', '0100', '0101', '0011', '1110', '1001'].map(b4));
  });

  graded('sortByDistance on ids that differ only in their last bits (no rounding through Number)', 2, () => {
    const arb = fc.tuple(arbId, fc.array(fc.bigInt({ min: 0n, max: 1023n }), { minLength: 2, maxLength: 30 }), fc.bigInt({ min: 0n, max: 1023n }))
      // Distances of about 2^150 that differ in their last 10 bits: equal as Numbers.
      .map(([base, lows, t]) => ({ ids: [...new Set(lows)].map((l) => base ^ l), target: base ^ (1n << 150n) ^ t }));
    forAll(arb, ({ ids, target }) => {
      expect(learner.sortByDistance(ids, target)).toEqual(sortIds(ids, target));
    }, 150);
  });

  graded('table.closest: the nearest contacts of the table, nearest first, on generated tables', 2, async () => {
    for (const { self, cluster, ids } of samples(arbTableIds, 16)) {
      const { table, contents } = await filledTable(learner, self, ids);
      expect(table.size).toBe(contents.length);
      // Far targets put many contacts at distances equal in their top 53 bits.
      const targets = [self, contents[0]!, contents[0]! ^ 1n, cluster ^ (1n << 120n), cluster ^ (1n << 140n) ^ 77n, ...samples(arbId, 2, Number(self & 0xffffn))];
      for (const target of targets) {
        expect(table.closest(target).map((c) => c.id)).toEqual(sortIds(contents, target).slice(0, K));
        expect(table.closest(target, 3).map((c) => c.id)).toEqual(sortIds(contents, target).slice(0, 3));
      }
    }
  });

  it('table.closest with a count of 0, of more than the table holds, and a target in the table', async () => {
    const self = 1n << 100n;
    const ids = [3n, 5n, 6n, 1n << 150n, (1n << 100n) + 1n];
    const { table } = await filledTable(learner, self, ids);
    expect(table.closest(6n, 0)).toEqual([]);
    expect(table.closest(6n, 50).map((c) => c.id)).toEqual(sortIds(ids, 6n));
    expect(table.closest(6n, 1)).toEqual([contact(6n)]);
  });
});

// ---- Task 4 ---------------------------------------------------------------------------------

interface LookupRun {
  ok: boolean;
  closest?: string[];
  rounds?: number;
  queried?: number;
  error?: string;
  /** The find_node queries the network carried: "t=<time> <to, hex>". */
  sent: string[];
}

const idHex = (id: bigint): string => id.toString(16);

async function runLookup(impl: Impl, topology: Topology, self: bigint, target: bigint, start: bigint[], timeoutMs?: number): Promise<LookupRun> {
  const bench = new Bench();
  const network = new SimNetwork(topology, bench.clock);
  const options = { self, target, start, network, clock: bench.clock, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  let settled;
  try {
    settled = await bench.settle(Promise.resolve().then(() => impl.lookup(options)), 5000);
  } catch (e) {
    settled = { ok: false as const, error: e };
  }
  const sent = network.sent.map((s) => `t=${s.at} ${idHex(s.to)}`);
  if (!settled.ok) {
    const e = settled.error as { name?: string; code?: string; message?: string };
    return { ok: false, error: `${e?.name ?? typeof e}${e?.code ? ` ${e.code}` : ''}: ${e?.message ?? ''}`, sent };
  }
  const r = settled.value;
  return { ok: true, closest: r.closest.map(idHex), rounds: r.rounds, queried: r.queried, sent };
}

const hand = (nodes: [number, number[], number | null][]): HandTopology =>
  new HandTopology(nodes.map(([id, knows, latency]): [bigint, HandNode] => [BigInt(id), { knows: knows.map(BigInt), latency }]));

// The worked example of instructions.md: target 0, so a node's distance is its id.
const WORKED = hand([
  [200, [60, 50, 45, 40, 33], 10],
  [33, [20, 18, 200], 20], [40, [20, 12, 33], 30], [45, [41, 60], 10],
  [12, [3, 5, 18], 15], [18, [5, 7, 12], 25], [20, [3], null],
  [3, [5, 7, 12, 9], 10], [5, [3, 7, 10], 40], [7, [3, 5, 11, 14], 20],
  [9, [3, 5], 5], [10, [7, 9], 12], [11, [5, 14], 8], [14, [11, 12], 30],
  [41, [], 10], [50, [], 10], [60, [], 10],
]);

/** The true K closest: every node but self (and those that do not answer), by brute force. */
function trueClosest(topology: RandomTopology, self: bigint, target: bigint, answers = (_id: bigint) => true): string[] {
  const best: { id: bigint; d: bigint }[] = [];
  for (const id of topology.ids) {
    if (id === self || !answers(id)) continue;
    const d = id ^ target;
    if (best.length === K && d >= best[K - 1]!.d) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.d > d) at--;
    best.splice(at, 0, { id, d });
    if (best.length > K) best.pop();
  }
  return best.map((b) => idHex(b.id));
}

interface NetCase {
  n: number;
  seed: number;
  down?: number;
  slow?: number;
}

const SMALL: NetCase = { n: 1000, seed: 0x6b616431 };
const LARGE: NetCase = { n: 8000, seed: 0x6b616438 };
const FAULTY: NetCase = { n: 2000, seed: 0x6b616432, down: 0.1, slow: 0.05 };

// Built once per test file, the first time a test needs it (tables only for nodes a lookup asks).
const topologies = new Map<string, RandomTopology>();
function topologyOf(net: NetCase): RandomTopology {
  const key = JSON.stringify(net);
  let t = topologies.get(key);
  if (!t) topologies.set(key, (t = new RandomTopology(net)));
  return t;
}

/** Who looks up what: random targets, a node's own id, its next-door id, and a target next to self. */
function lookupCases(net: NetCase, count: number): { self: bigint; target: bigint }[] {
  const topology = topologyOf(net);
  const alive = topology.ids.filter((id) => topology.answers(id, 2000));
  const picks = samples(fc.tuple(fc.nat(alive.length - 1), fc.nat(alive.length - 1), arbId), count, (SEED ^ net.seed) >>> 0);
  return picks.map(([a, b, random], i) => {
    const self = alive[a]!;
    const other = alive[b]!;
    const target = i % 4 === 1 ? other : i % 4 === 2 ? other ^ 1n : i % 4 === 3 ? self ^ 0xffn : random;
    return { self, target };
  });
}

const learnerRuns = new Map<string, Promise<LookupRun>>();
/** The learner's run of one case, shared by the tests that look at it. */
function learnerRun(net: NetCase, c: { self: bigint; target: bigint }): Promise<LookupRun> {
  const key = `${JSON.stringify(net)} ${c.self} ${c.target}`;
  let run = learnerRuns.get(key);
  if (!run) {
    const topology = topologyOf(net);
    learnerRuns.set(key, (run = runLookup(learner, topology, c.self, c.target, topology.closestKnown(c.self, c.target))));
  }
  return run;
}

function referenceRun(net: NetCase, c: { self: bigint; target: bigint }): Promise<LookupRun> {
  const topology = topologyOf(net);
  return referenceAnswerAsync('lookup', { net, self: c.self, target: c.target }, () =>
    runLookup(reference, topology, c.self, c.target, topology.closestKnown(c.self, c.target)));
}

const CASES = 8;

interface SmallNet {
  nodes: { knows: number[]; latency: number | null }[];
  self: bigint;
  target: bigint;
  start: bigint[];
  timeoutMs?: number;
}
/** 48 nodes with ids 0..47; some down (null) or slower than the timeout (2500). */
const arbSmallNet: fc.Arbitrary<SmallNet> = fc.record({
  nodes: fc.array(
    fc.record({
      knows: fc.array(fc.nat(47), { minLength: 2, maxLength: 12 }),
      latency: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.constant(null), fc.constant(2500)),
    }),
    { minLength: 48, maxLength: 48 },
  ),
  self: fc.nat(47).map(BigInt),
  target: fc.nat(63).map(BigInt),
  start: fc.array(fc.nat(47).map(BigInt), { minLength: 1, maxLength: 12 }),
  timeoutMs: fc.constantFrom(undefined, 500, 3000),
});
const SMALL_NETS = samples(arbSmallNet, 24);
const smallNet = (sc: SmallNet): HandTopology => hand(sc.nodes.map((n, id) => [id, n.knows, n.latency]));

async function expectTrueClosest(net: NetCase): Promise<void> {
  const topology = topologyOf(net);
  for (const c of lookupCases(net, CASES)) {
    const got = await learnerRun(net, c);
    expect({ ok: got.ok, error: got.error, closest: got.closest }).toEqual({ ok: true, error: undefined, closest: trueClosest(topology, c.self, c.target) });
  }
}

async function expectRoundsAsReference(net: NetCase): Promise<void> {
  const bound = Math.ceil(Math.log2(net.n));
  for (const c of lookupCases(net, CASES)) {
    const got = await learnerRun(net, c);
    const want = await referenceRun(net, c);
    expect(want.rounds).toBeLessThanOrEqual(bound);
    expect(got.ok && got.rounds! <= bound).toBe(true);
    expect(got).toEqual(want);
  }
}

task('lookup', () => {
  graded('the worked example: four rounds, a timeout, a final round of four, and the eight closest', 3, async () => {
    const got = await runLookup(learner, WORKED, 200n, 0n, [60n, 50n, 45n, 40n, 33n]);
    expect(got).toEqual({
      ok: true,
      closest: ['3', '5', '7', '9', 'a', 'b', 'c', 'e'],
      rounds: 4,
      queried: 13,
      sent: [
        't=0 21', 't=0 28', 't=0 2d', // 33, 40, 45
        't=30 c', 't=30 12', 't=30 14', // 12, 18, 20 (20 is down)
        't=2030 3', 't=2030 5', 't=2030 7',
        't=2070 9', 't=2070 a', 't=2070 b', 't=2070 e', // nothing closer than 3: all of the K closest not yet asked
      ],
    });
  });

  it('from an empty start nothing is sent', async () => {
    expect(await runLookup(learner, WORKED, 200n, 0n, [])).toEqual({ ok: true, closest: [], rounds: 0, queried: 0, sent: [] });
  });

  it('never queries itself nor lists itself, even looking up its own id', async () => {
    // Node 4 looks up 4: everyone knows it, and answers with it.
    const net = hand([[4, [5, 6, 7], 10], [5, [4, 6], 10], [6, [4, 7], 20], [7, [4, 5, 6, 1], 30], [1, [4, 7], 10]]);
    const got = await runLookup(learner, net, 4n, 4n, [4n, 5n, 6n, 7n]);
    expect(got).toEqual({ ok: true, closest: ['5', '6', '7', '1'], rounds: 2, queried: 4, sent: ['t=0 5', 't=0 6', 't=0 7', 't=30 1'] });
  });

  it('a round waits for its slowest answer, or the timeout, and a node that times out is dropped', async () => {
    const net = hand([[1, [], 10], [2, [3], 400], [3, [], null], [9, [], 10]]);
    const got = await runLookup(learner, net, 100n, 0n, [1n, 2n, 9n], 300);
    // 2 answers after the 300 ms timeout: dropped too, and its late answer (3) is never learned.
    expect(got).toEqual({ ok: true, closest: ['1', '9'], rounds: 1, queried: 3, sent: ['t=0 1', 't=0 2', 't=0 9'] });
    const slow = await runLookup(learner, net, 100n, 0n, [1n, 2n, 9n], 500);
    expect(slow).toEqual({ ok: true, closest: ['1', '2', '9'], rounds: 2, queried: 4, sent: ['t=0 1', 't=0 2', 't=0 9', 't=400 3'] });
  });

  it('an α round picks from the K closest only, even when fewer than α of them are left to ask', async () => {
    // Round 1 (10, 11, 12) brings nothing; round 2 asks the rest of the K closest (13..17), and
    // 13 brings 1; round 3 is an α round again, but 1 is the only one of the K closest not asked
    // (18 was never among them).
    const net = hand([
      [10, [], 10], [11, [], 10], [12, [], 10], [13, [1], 10], [14, [], 10], [15, [], 10], [16, [], 10], [17, [], 10], [18, [], 10], [1, [], 10],
    ]);
    const got = await runLookup(learner, net, 200n, 0n, [10n, 11n, 12n, 13n, 14n, 15n, 16n, 17n, 18n]);
    expect(got).toEqual({
      ok: true,
      closest: ['1', 'a', 'b', 'c', 'd', 'e', 'f', '10'],
      rounds: 3,
      queried: 9,
      sent: ['t=0 a', 't=0 b', 't=0 c', 't=10 d', 't=10 e', 't=10 f', 't=10 10', 't=10 11', 't=20 1'],
    });
  });

  graded('agrees with the reference on generated small networks (nodes down, slow, and answering with the asker)', 2, async () => {
    for (const sc of SMALL_NETS) {
      const got = await runLookup(learner, smallNet(sc), sc.self, sc.target, sc.start, sc.timeoutMs);
      expect(got).toEqual(await referenceAnswerAsync('small-lookup', sc, () => runLookup(reference, smallNet(sc), sc.self, sc.target, sc.start, sc.timeoutMs)));
    }
  });

  graded(`n = 1,000: finds the true ${K} closest nodes`, 2, () => expectTrueClosest(SMALL));
  graded('n = 1,000: at most ⌈log₂ n⌉ = 10 rounds, and the same rounds and queries as the reference', 2, () => expectRoundsAsReference(SMALL));
  graded(`n = 8,000: finds the true ${K} closest nodes`, 2, () => expectTrueClosest(LARGE));
  graded('n = 8,000: at most ⌈log₂ n⌉ = 13 rounds, and the same rounds and queries as the reference', 2, () => expectRoundsAsReference(LARGE));

  graded('with 15% of nodes down or slow: the nearest of the nodes that answered, and none closer left unasked', 2, async () => {
    const topology = topologyOf(FAULTY);
    for (const c of lookupCases(FAULTY, CASES)) {
      const got = await learnerRun(FAULTY, c);
      expect(got.ok).toBe(true);
      const asked = new Set(got.sent.map((s) => s.split(' ')[1]!));
      const answered = [...asked].map((h) => BigInt(`0x${h}`)).filter((id) => topology.answers(id, 2000));
      expect(asked.size).toBe(got.sent.length); // nobody asked twice
      expect(got.closest).toEqual(sortIds(answered, c.target).slice(0, K).map(idHex));
      // Every node heard of that is nearer than the farthest result was asked.
      const heard = new Set([...topology.closestKnown(c.self, c.target), ...answered.flatMap((id) => topology.closestKnown(id, c.target))]);
      heard.delete(c.self);
      const farthest = BigInt(`0x${got.closest!.at(-1)}`) ^ c.target;
      const unasked = [...heard].filter((id) => (id ^ c.target) < farthest && !asked.has(idHex(id)));
      expect(unasked.map(idHex)).toEqual([]);
    }
  });

  graded('with 15% of nodes down or slow: the same rounds and queries as the reference', 2, () => expectRoundsAsReference(FAULTY));
});

// ---- Task 5 ---------------------------------------------------------------------------------

/** A string of bytes as written in BEP 5 (one byte per character). */
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
/** 20 bytes, big-endian, as an id: the tests' own conversion. */
const idOf = (s: string): bigint => BigInt(`0x${[...bytes(s)].map((b) => b.toString(16).padStart(2, '0')).join('')}`);

const ABC = 'abcdefghij0123456789';
const MNO = 'mnopqrstuvwxyz123456';
const AA = bytes('aa');

// BEP 5's example packets ("Example Packets" under each query). BEP 5 writes its announce_peer
// example's dictionary with "implied_port": 1 but its bencoded line without it; both are here.
const BEP5: { name: string; wire: string; message: KrpcMessage }[] = [
  { name: 'BEP 5 ping query', wire: `d1:ad2:id20:${ABC}e1:q4:ping1:t2:aa1:y1:qe`, message: { y: 'q', t: AA, q: 'ping', id: idOf(ABC) } },
  { name: 'BEP 5 ping answer', wire: `d1:rd2:id20:${MNO}e1:t2:aa1:y1:re`, message: { y: 'r', t: AA, id: idOf(MNO) } },
  {
    name: 'BEP 5 find_node query',
    wire: `d1:ad2:id20:${ABC}6:target20:${MNO}e1:q9:find_node1:t2:aa1:y1:qe`,
    message: { y: 'q', t: AA, q: 'find_node', id: idOf(ABC), target: idOf(MNO) },
  },
  {
    name: 'BEP 5 get_peers query',
    wire: `d1:ad2:id20:${ABC}9:info_hash20:${MNO}e1:q9:get_peers1:t2:aa1:y1:qe`,
    message: { y: 'q', t: AA, q: 'get_peers', id: idOf(ABC), infoHash: idOf(MNO) },
  },
  {
    name: 'BEP 5 get_peers answer with peers ("axje.u" is 97.120.106.101 port 11893)',
    wire: `d1:rd2:id20:${ABC}5:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re`,
    message: { y: 'r', t: AA, id: idOf(ABC), token: bytes('aoeusnth'), values: [{ host: '97.120.106.101', port: 11893 }, { host: '105.100.104.116', port: 28269 }] },
  },
  {
    name: 'BEP 5 announce_peer query, as its bencoded line (no implied_port)',
    wire: `d1:ad2:id20:${ABC}9:info_hash20:${MNO}4:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe`,
    message: { y: 'q', t: AA, q: 'announce_peer', id: idOf(ABC), infoHash: idOf(MNO), port: 6881, token: bytes('aoeusnth'), impliedPort: false },
  },
  {
    name: 'BEP 5 announce_peer query, as its dictionary (implied_port 1)',
    wire: `d1:ad2:id20:${ABC}12:implied_porti1e9:info_hash20:${MNO}4:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe`,
    message: { y: 'q', t: AA, q: 'announce_peer', id: idOf(ABC), infoHash: idOf(MNO), port: 6881, token: bytes('aoeusnth'), impliedPort: true },
  },
  { name: 'BEP 5 error', wire: 'd1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee', message: { y: 'e', t: AA, code: 201, message: 'A Generic Error Ocurred' } },
];

const NODE_A = { id: idOf('\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14'), host: '127.0.0.1', port: 6881 };
const NODE_A_WIRE = '01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 7f 00 00 01 1a e1';

const arbHost = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const arbNode = fc.record({ id: arbId, host: arbHost, port: fc.nat(65535) });
const arbPeer = fc.record({ host: arbHost, port: fc.nat(65535) });
const arbT = fc.uint8Array({ minLength: 0, maxLength: 4 });
const arbToken = fc.uint8Array({ minLength: 0, maxLength: 20 });
const arbMessage: fc.Arbitrary<KrpcMessage> = fc.oneof(
  fc.record({ y: fc.constant('q' as const), t: arbT, q: fc.constant('ping' as const), id: arbId }),
  fc.record({ y: fc.constant('q' as const), t: arbT, q: fc.constant('find_node' as const), id: arbId, target: arbId }),
  fc.record({ y: fc.constant('q' as const), t: arbT, q: fc.constant('get_peers' as const), id: arbId, infoHash: arbId }),
  fc.record({ y: fc.constant('q' as const), t: arbT, q: fc.constant('announce_peer' as const), id: arbId, infoHash: arbId, port: fc.nat(65535), token: arbToken, impliedPort: fc.boolean() }),
  fc.record(
    { y: fc.constant('r' as const), t: arbT, id: arbId, nodes: fc.array(arbNode, { maxLength: 8 }), token: arbToken, values: fc.array(arbPeer, { maxLength: 5 }) },
    { requiredKeys: ['y', 't', 'id'] },
  ),
  fc.record({ y: fc.constant('e' as const), t: arbT, code: fc.integer({ min: 0, max: 999 }), message: fc.string({ unit: 'grapheme', maxLength: 30 }) }),
);

// One problem each; the code is the first check of instructions.md's order that fails.
const ID20 = `2:id20:${ABC}`;
const MALFORMED: { name: string; wire: string; code: string }[] = [
  { name: 'not bencode (cut short)', wire: `d1:ad2:id20:abc`, code: 'bad-bencode' },
  { name: 'not bencode (keys out of order)', wire: `d1:y1:r1:t2:aae`, code: 'bad-bencode' },
  { name: 'not bencode (a byte after the message)', wire: `d1:rd${ID20}e1:t2:aa1:y1:reX`, code: 'bad-bencode' },
  { name: 'a list, not a dictionary', wire: 'l1:t2:aae', code: 'not-a-dict' },
  { name: 'no t', wire: `d1:rd${ID20}e1:y1:re`, code: 'missing-key' },
  { name: 't is an integer', wire: `d1:rd${ID20}e1:ti7e1:y1:re`, code: 'bad-type' },
  { name: 'no y', wire: `d1:rd${ID20}e1:t2:aae`, code: 'missing-key' },
  { name: 'y is "x"', wire: `d1:t2:aa1:y1:xe`, code: 'unknown-type' },
  { name: 'y is a list', wire: `d1:t2:aa1:yl1:qee`, code: 'bad-type' },
  { name: 'q is BEP 44\'s "get"', wire: `d1:ad${ID20}6:target20:${MNO}e1:q3:get1:t2:aa1:y1:qe`, code: 'unknown-method' },
  { name: 'a query without q', wire: `d1:ad${ID20}e1:t2:aa1:y1:qe`, code: 'missing-key' },
  { name: 'a query without a', wire: `d1:q4:ping1:t2:aa1:y1:qe`, code: 'missing-key' },
  { name: 'a is a list', wire: `d1:ale1:q4:ping1:t2:aa1:y1:qe`, code: 'bad-type' },
  { name: 'ping with a 19-byte id', wire: `d1:ad2:id19:${ABC.slice(1)}e1:q4:ping1:t2:aa1:y1:qe`, code: 'bad-id' },
  { name: 'ping whose id is an integer', wire: `d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe`, code: 'bad-type' },
  { name: 'find_node without target', wire: `d1:ad${ID20}e1:q9:find_node1:t2:aa1:y1:qe`, code: 'missing-key' },
  { name: 'get_peers with a 21-byte info_hash', wire: `d1:ad${ID20}9:info_hash21:${MNO}Xe1:q9:get_peers1:t2:aa1:y1:qe`, code: 'bad-id' },
  { name: 'announce_peer with port 65536', wire: `d1:ad${ID20}9:info_hash20:${MNO}4:porti65536e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe`, code: 'bad-port' },
  { name: 'announce_peer whose port is a string', wire: `d1:ad${ID20}9:info_hash20:${MNO}4:port4:68815:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe`, code: 'bad-type' },
  { name: 'announce_peer without token', wire: `d1:ad${ID20}9:info_hash20:${MNO}4:porti6881ee1:q13:announce_peer1:t2:aa1:y1:qe`, code: 'missing-key' },
  { name: 'announce_peer whose implied_port is a string', wire: `d1:ad${ID20}12:implied_port1:19:info_hash20:${MNO}4:porti6881e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe`, code: 'bad-type' },
  { name: 'an answer without r', wire: 'd1:t2:aa1:y1:re', code: 'missing-key' },
  { name: 'an answer without id', wire: 'd1:rd5:token1:xe1:t2:aa1:y1:re', code: 'missing-key' },
  { name: 'BEP 5\'s find_node answer: nodes "def456..." is 9 bytes', wire: `d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re`, code: 'bad-compact' },
  { name: 'nodes of 27 bytes', wire: `d1:rd${ID20}5:nodes27:${ABC}1234567e1:t2:aa1:y1:re`, code: 'bad-compact' },
  { name: 'nodes is a list', wire: `d1:rd${ID20}5:nodeslee1:t2:aa1:y1:re`, code: 'bad-type' },
  { name: 'token is an integer', wire: `d1:rd${ID20}5:tokeni1ee1:t2:aa1:y1:re`, code: 'bad-type' },
  { name: 'a peer of 7 bytes', wire: `d1:rd${ID20}5:token1:x6:valuesl7:axje.u!ee1:t2:aa1:y1:re`, code: 'bad-compact' },
  { name: 'values is a string', wire: `d1:rd${ID20}5:token1:x6:values6:axje.ue1:t2:aa1:y1:re`, code: 'bad-type' },
  { name: 'a peer that is an integer', wire: `d1:rd${ID20}5:token1:x6:valuesli1eee1:t2:aa1:y1:re`, code: 'bad-type' },
  { name: 'an error without e', wire: 'd1:t2:aa1:y1:ee', code: 'missing-key' },
  { name: 'e is a string', wire: 'd1:e5:oops!1:t2:aa1:y1:ee', code: 'bad-type' },
  { name: 'e with a code only', wire: 'd1:eli201ee1:t2:aa1:y1:ee', code: 'bad-error' },
  { name: 'e with the message first', wire: 'd1:el4:oopsi201ee1:t2:aa1:y1:ee', code: 'bad-error' },
  { name: 'e whose message is not UTF-8', wire: 'd1:eli201e2:\xff\xfee1:t2:aa1:y1:ee', code: 'bad-error' },
  { name: 'e with three elements', wire: 'd1:eli201e4:oops4:moree1:t2:aa1:y1:ee', code: 'bad-error' },
];

task('krpc', () => {
  vectors(BEP5, (row) => {
    expect(hex(learner.encodeKrpc(row.message))).toBe(hex(bytes(row.wire)));
    expect(learner.decodeKrpc(bytes(row.wire))).toEqual(row.message);
  });

  it('ids are 20 bytes, big-endian', () => {
    expect(hex(learner.idToBytes(1n))).toBe(`${'00 '.repeat(19)}01`);
    expect(hex(learner.idToBytes(1n << 159n))).toBe(`80${' 00'.repeat(19)}`);
    expect(learner.idFromBytes(bytes(ABC))).toBe(idOf(ABC));
    forAll(arbId, (id) => {
      expect(learner.idFromBytes(learner.idToBytes(id))).toBe(id);
    }, 100);
    expect(outcome(() => learner.idFromBytes(new Uint8Array(19)))).toEqual({ ok: false, error: 'KrpcError', code: 'bad-id' });
    expect(outcome(() => learner.idToBytes(ID_SPACE))).toEqual({ ok: false, error: 'KrpcError', code: 'bad-id' });
  });

  it('compact node info (26 bytes) and compact peer info (6 bytes)', () => {
    expect(hex(learner.encodeCompactNodes([NODE_A]))).toBe(NODE_A_WIRE);
    expect(learner.decodeCompactNodes(fromHex(NODE_A_WIRE))).toEqual([NODE_A]);
    expect(learner.decodeCompactNodes(new Uint8Array(0))).toEqual([]);
    expect(hex(learner.encodeCompactPeer({ host: '97.120.106.101', port: 11893 }))).toBe(hex(bytes('axje.u')));
    expect(learner.decodeCompactPeer(bytes('idhtnm'))).toEqual({ host: '105.100.104.116', port: 28269 });
    expect(outcome(() => learner.decodeCompactNodes(new Uint8Array(27)))).toEqual({ ok: false, error: 'KrpcError', code: 'bad-compact' });
    expect(outcome(() => learner.decodeCompactPeer(new Uint8Array(5)))).toEqual({ ok: false, error: 'KrpcError', code: 'bad-compact' });
  });

  it('compact info round-trips on generated nodes and peers', () => {
    forAll(fc.array(arbNode, { maxLength: 10 }), (nodes) => {
      const wire = learner.encodeCompactNodes(nodes);
      expect(wire.length).toBe(26 * nodes.length);
      expect(learner.decodeCompactNodes(wire)).toEqual(nodes);
      expect(hex(wire)).toBe(hex(reference.encodeCompactNodes(nodes)));
    }, 60);
  });

  graded('generated messages: the same bytes as the reference, and decoded back to themselves', 2, () => {
    forAll(arbMessage, (m) => {
      const want = referenceAnswer('encodeKrpc', m, () => reference.encodeKrpc(m));
      expect(hex(learner.encodeKrpc(m))).toBe(hex(want));
      expect(learner.decodeKrpc(want)).toEqual(m);
    }, 100);
  });

  it('ignores keys it does not know (v, ip); implied_port 0 is false, any other integer true', () => {
    const withExtras = `d2:ip6:axje.u1:rd${ID20}e1:t2:aa1:v4:LT011:y1:re`;
    expect(learner.decodeKrpc(bytes(withExtras))).toEqual({ y: 'r', t: AA, id: idOf(ABC) });
    const zero = `d1:ad${ID20}12:implied_porti0e9:info_hash20:${MNO}4:porti0e5:token1:x1:v4:UT01e1:q13:announce_peer1:t2:aa1:y1:qe`;
    expect(learner.decodeKrpc(bytes(zero))).toEqual({ y: 'q', t: AA, q: 'announce_peer', id: idOf(ABC), infoHash: idOf(MNO), port: 0, token: bytes('x'), impliedPort: false });
    // "If it is present and non-zero, the port argument should be ignored" (BEP 5).
    expect(learner.decodeKrpc(bytes(zero.replace('implied_porti0e', 'implied_porti2e')))).toMatchObject({ q: 'announce_peer', impliedPort: true });
  });

  graded('refuses malformed messages with the right code', 3, () => {
    const got = MALFORMED.map((row) => `${row.name}: ${outcomeCode(() => learner.decodeKrpc(bytes(row.wire)))}`);
    expect(got).toEqual(MALFORMED.map((row) => `${row.name}: KrpcError ${row.code}`));
  });

  it('error replies: BEP 5\'s four codes decode, and e is exactly [integer, string]', () => {
    const wire = (e: string) => bytes(`d1:e${e}1:t2:aa1:y1:ee`);
    const codes: [number, string][] = [[201, 'Generic Error'], [202, 'Server Error'], [203, 'Protocol Error'], [204, 'Method Unknown']];
    for (const [code, text] of codes) {
      expect(learner.decodeKrpc(wire(`li${code}e${text.length}:${text}e`))).toEqual({ y: 'e', t: AA, code, message: text });
    }
    expect(learner.decodeKrpc(wire('li203e9:caf\xc3\xa9 \xe2\x82\xace'))).toEqual({ y: 'e', t: AA, code: 203, message: 'café €' });
    for (const bad of ['l3:2013:abce', 'li201e3:abci1ee', 'le', 'li201eli1eee']) {
      expect(outcomeCode(() => learner.decodeKrpc(wire(bad)))).toBe('KrpcError bad-error');
    }
  });

  it('every cut-short valid message is bad-bencode (nothing read past the end)', () => {
    forAll(fc.tuple(arbMessage, fc.nat()), ([m, at]) => {
      const wire = reference.encodeKrpc(m);
      expect(outcomeCode(() => learner.decodeKrpc(wire.subarray(0, at % wire.length)))).toBe('KrpcError bad-bencode');
    }, 100);
  });

  it('refuses to encode what it cannot write', () => {
    const ping = { y: 'q' as const, t: AA, q: 'ping' as const, id: 1n };
    const announce = { y: 'q' as const, t: AA, q: 'announce_peer' as const, id: 1n, infoHash: 2n, port: 6881, token: AA, impliedPort: false };
    const answer = { y: 'r' as const, t: AA, id: 1n };
    const cases: [string, KrpcMessage][] = [
      ['bad-id', { ...ping, id: ID_SPACE }],
      ['bad-id', { ...ping, id: -1n }],
      ['bad-id', { ...answer, nodes: [{ ...NODE_A, id: ID_SPACE }] }],
      ['bad-port', { ...announce, port: 65536 }],
      ['bad-port', { ...announce, port: 1.5 }],
      ['bad-port', { ...answer, values: [{ host: '127.0.0.1', port: -1 }] }],
      ['bad-value', { ...answer, nodes: [{ ...NODE_A, host: '256.0.0.1' }] }],
      ['bad-value', { ...answer, values: [{ host: 'localhost', port: 80 }] }],
      ['bad-value', { ...ping, t: 'aa' as unknown as Uint8Array }],
      ['bad-value', { ...announce, token: 'x' as unknown as Uint8Array }],
    ];
    expect(cases.map(([, m]) => outcomeCode(() => learner.encodeKrpc(m)))).toEqual(cases.map(([code]) => `KrpcError ${code}`));
  });
});

function outcomeCode(f: () => unknown): string {
  const o = outcome(f);
  return o.ok ? 'no error' : `${o.error} ${o.code ?? ''}`.trim();
}

