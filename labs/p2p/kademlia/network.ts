/**
 * A simulated Kademlia network on a virtual clock (provided, read-only). The tests run your
 * lookup on it, and so can you:
 *
 *   const topology = new RandomTopology({ n: 1000, seed: 7 });
 *   const bench = new Bench();
 *   const network = new SimNetwork(topology, bench.clock);
 *   const self = topology.ids[0]!, target = topology.ids[1]! ^ 1n;
 *   const run = await bench.settle(lookup({ self, target, start: topology.closestKnown(self, target), network, clock: bench.clock }));
 *   // run.value.rounds, network.sent ...
 *
 * A RandomTopology is n nodes with seeded random 160-bit ids, each with a routing table filled
 * as if it had been on the network for a long time: for every one of its buckets it knows every
 * node in that bucket's range if there are at most K of them, and K of them picked at random
 * (seeded) otherwise. A node answers find_node with the K nodes of its table closest to the
 * target, after its own latency (10 to 149 ms); a node that is down never answers, and a slow one
 * answers after SLOW_MS, later than any lookup waits. Tables are built the first time a node is
 * asked, so a network of 8,000 nodes costs only the nodes a lookup visits.
 *
 * A HandTopology is a network written out node by node, for small worked examples.
 */
import { seededRandom, type Clock } from '../../kit';
import { K, type FindNodeNetwork } from './types';

/** When a slow node answers: later than LOOKUP_TIMEOUT_MS, so a lookup has given up on it. */
export const SLOW_MS = 5000;

/** What SimNetwork needs to know about the nodes. */
export interface Topology {
  /** How long `id` takes to answer, or null if it never does (down, or not a node at all). */
  latency(id: bigint): number | null;
  /** What `id` answers to find_node: the `count` nodes of its table closest to `target`, nearest first. */
  closestKnown(id: bigint, target: bigint, count?: number): bigint[];
}

export interface RandomTopologyOptions {
  /** Nodes in the network. */
  n: number;
  seed: number;
  /** The fraction of nodes that are down (never answer), chosen at random. Default 0. */
  down?: number;
  /** The fraction of nodes that answer only after SLOW_MS. Default 0. */
  slow?: number;
}

/** 2^i for i = 0..159. */
const BIT = Array.from({ length: 160 }, (_, i) => 1n << BigInt(i));

export class RandomTopology implements Topology {
  /** Every node's id, in the order they were generated. */
  readonly ids: readonly bigint[];
  readonly #seed: number;
  readonly #sorted: bigint[];
  readonly #position = new Map<bigint, number>();
  readonly #number = new Map<bigint, number>();
  readonly #latency: (number | null)[];
  readonly #tables = new Map<bigint, bigint[]>();

  constructor(options: RandomTopologyOptions) {
    const { n, seed, down = 0, slow = 0 } = options;
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive integer');
    this.#seed = seed >>> 0;
    const random = seededRandom(this.#seed);
    const word = (): bigint => BigInt(Math.floor(random() * 4294967296));
    const ids: bigint[] = [];
    const seen = new Set<bigint>();
    while (ids.length < n) {
      let id = 0n;
      for (let w = 0; w < 5; w++) id = (id << 32n) | word();
      if (seen.has(id)) continue;
      seen.add(id);
      this.#number.set(id, ids.length);
      ids.push(id);
    }
    this.ids = Object.freeze(ids);
    this.#latency = ids.map(() => {
      const r = random();
      if (r < down) return null;
      if (r < down + slow) return SLOW_MS;
      return 10 + Math.floor(random() * 140);
    });
    this.#sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.#sorted.forEach((id, i) => this.#position.set(id, i));
  }

  latency(id: bigint): number | null {
    const i = this.#number.get(id);
    return i === undefined ? null : this.#latency[i]!;
  }

  /** Whether `id` answers within `timeoutMs` (up and not too slow). */
  answers(id: bigint, timeoutMs: number): boolean {
    const l = this.latency(id);
    return l !== null && l < timeoutMs;
  }

  /** Every node in `id`'s routing table (any order). */
  knownBy(id: bigint): bigint[] {
    return [...this.#table(id)];
  }

  closestKnown(id: bigint, target: bigint, count = K): bigint[] {
    return nearest(this.#table(id), target, count);
  }

  #table(id: bigint): bigint[] {
    let table = this.#tables.get(id);
    if (!table) {
      table = this.#build(id);
      this.#tables.set(id, table);
    }
    return table;
  }

  /**
   * Walk down from the top bit. `lo..hi` (sorted positions) are the nodes that share every bit
   * above bit i with x; those of them that differ from x at bit i are bucket i of x, a run at
   * one end of the block, and the others are the next block.
   */
  #build(x: bigint): bigint[] {
    const sorted = this.#sorted;
    const number = this.#number.get(x);
    if (number === undefined) return [];
    // Each node's own stream, so a table does not depend on which nodes were built before it.
    const random = seededRandom((Math.imul(this.#seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(number + 1, 0xc2b2ae35)) >>> 0);
    const out: bigint[] = [];
    let lo = 0;
    let hi = sorted.length;
    for (let i = 159; i >= 0 && hi - lo > 1; i--) {
      const bit = BIT[i]!;
      const firstSet = (sorted[lo]! & bit) !== 0n;
      const lastSet = (sorted[hi - 1]! & bit) !== 0n;
      if (firstSet === lastSet) continue; // every node of the block is on x's side of bit i
      // The first position whose bit i is set: sorted[a] has it clear, sorted[b] set.
      let a = lo;
      let b = hi - 1;
      while (b - a > 1) {
        const m = (a + b) >> 1;
        if ((sorted[m]! & bit) !== 0n) b = m;
        else a = m;
      }
      const xSet = (x & bit) !== 0n;
      const [bucketLo, bucketHi] = xSet ? [lo, b] : [b, hi];
      pick(sorted, bucketLo, bucketHi, random, out);
      if (xSet) lo = b;
      else hi = b;
    }
    return out;
  }
}

/** K of sorted[lo..hi) at random (all of them if there are at most K), appended to `out`. */
function pick(sorted: bigint[], lo: number, hi: number, random: () => number, out: bigint[]): void {
  const m = hi - lo;
  if (m <= K) {
    for (let i = lo; i < hi; i++) out.push(sorted[i]!);
    return;
  }
  // Floyd's sampling: K distinct offsets with exactly K draws.
  const chosen = new Set<number>();
  for (let j = m - K; j < m; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  for (const o of [...chosen].sort((p, q) => p - q)) out.push(sorted[lo + o]!);
}

/** The `count` ids of `ids` closest to `target` by XOR, nearest first. */
function nearest(ids: readonly bigint[], target: bigint, count: number): bigint[] {
  return ids
    .map((id) => ({ id, d: id ^ target }))
    .sort((p, q) => (p.d < q.d ? -1 : p.d > q.d ? 1 : 0))
    .slice(0, count)
    .map((e) => e.id);
}

/** One node of a HandTopology. */
export interface HandNode {
  /** The ids in its routing table. */
  knows: bigint[];
  /** Its latency in ms, or null: down. */
  latency: number | null;
}

/** A network written out by hand: `new HandTopology([[0b0110n, { knows: [...], latency: 20 }], ...])`. */
export class HandTopology implements Topology {
  readonly #nodes: Map<bigint, HandNode>;

  constructor(nodes: Iterable<readonly [bigint, HandNode]>) {
    this.#nodes = new Map([...nodes].map(([id, node]) => [id, { knows: [...node.knows], latency: node.latency }]));
  }

  latency(id: bigint): number | null {
    return this.#nodes.get(id)?.latency ?? null;
  }

  closestKnown(id: bigint, target: bigint, count = K): bigint[] {
    return nearest(this.#nodes.get(id)?.knows ?? [], target, count);
  }
}

/** One find_node the network carried. */
export interface SentQuery {
  /** Virtual time it was sent. */
  at: number;
  to: bigint;
  target: bigint;
}

/** The network a lookup talks to: find_node answered on the virtual clock. */
export class SimNetwork implements FindNodeNetwork {
  /** Every query sent, in order. */
  readonly sent: SentQuery[] = [];
  readonly #topology: Topology;
  readonly #clock: Clock;

  constructor(topology: Topology, clock: Clock) {
    this.#topology = topology;
    this.#clock = clock;
  }

  findNode(to: bigint, target: bigint): Promise<bigint[]> {
    this.sent.push({ at: this.#clock.now(), to, target });
    const latency = this.#topology.latency(to);
    if (latency === null) return new Promise<bigint[]>(() => {}); // nobody answers, ever
    const answer = this.#topology.closestKnown(to, target, K);
    return new Promise<bigint[]>((resolve) => {
      this.#clock.setTimeout(() => resolve([...answer]), latency);
    });
  }
}

/** The Bench (a virtual clock driven to the end) is the kit's. */
export { Bench, type Settled } from '../../kit';
