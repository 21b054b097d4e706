// Bug: compact node info is read 26 bytes at a time without checking that the length is a multiple of 26, so a cut-short list is silently truncated (BEP 5's own 'def456...' example decodes to no nodes).
/**
 * Kademlia with BEP 5's parameters: the reference implementation.
 *
 * - XOR distance on 160-bit ids held as bigints; bucket i holds the contacts at a distance in
 *   [2^i, 2^(i+1)), i = 0..159: the paper's flat table of 160 buckets (instructions.md says why
 *   not BEP 5's splitting one).
 * - K = 8 contacts per bucket, least recently seen at the head; a full bucket pings its head
 *   before it lets a newcomer in, one add at a time per bucket.
 * - An iterative find_node in lockstep rounds of α = 3 queries, then of every unqueried node of
 *   the K closest once a round brings nothing closer.
 * - KRPC (BEP 5) messages over the provided bencode.ts.
 */
import { decode, encode, fromUtf8, isBytes, isDict, isInteger, isList, type BencodeDict, type BencodeValue } from './bencode';
import {
  ALPHA,
  ID_BITS,
  ID_SPACE,
  K,
  KademliaError,
  KrpcError,
  LOOKUP_TIMEOUT_MS,
  PING_TIMEOUT_MS,
  type AddResult,
  type Clock,
  type Contact,
  type KrpcMessage,
  type KrpcResponse,
  type LookupOptions,
  type LookupResult,
  type NodeInfo,
  type PeerInfo,
  type TableOptions,
} from './types';

export * from './types';

// ---- Task 1: distance and buckets -------------------------------------------------------------

function checkId(id: unknown, what = 'id'): bigint {
  if (typeof id !== 'bigint' || id < 0n || id >= ID_SPACE) throw new KademliaError('bad-id', `${what} is not a 160-bit id`);
  return id;
}

/** The XOR distance between two ids. */
export function distance(a: bigint, b: bigint): bigint {
  return checkId(a, 'a') ^ checkId(b, 'b');
}

/** The position of the highest set bit of a positive bigint (its bit length - 1). */
function highestBit(d: bigint): number {
  let i = 0;
  // Whole 32-bit words first: at most 5 steps, then at most 31.
  while (d >= 0x100000000n) {
    d >>= 32n;
    i += 32;
  }
  let w = Number(d);
  while (w > 1) {
    w = Math.floor(w / 2);
    i += 1;
  }
  return i;
}

/** Which of self's buckets `id` belongs in: the highest bit in which they differ. */
export function bucketIndex(self: bigint, id: bigint): number {
  const d = distance(self, id);
  if (d === 0n) throw new KademliaError('own-id', 'a node has no bucket for its own id');
  return highestBit(d);
}

function checkBucket(index: unknown): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= ID_BITS) {
    throw new KademliaError('bad-bucket', `${String(index)} is not a bucket index`);
  }
  return index;
}

/** The ids of bucket `index` of self: the same bits as self above bit index, the other one at it. */
export function bucketRange(self: bigint, index: number): { first: bigint; last: bigint } {
  checkId(self, 'self');
  const i = BigInt(checkBucket(index));
  const bit = 1n << i;
  const prefix = (self >> (i + 1n)) << (i + 1n);
  const first = prefix | ((self & bit) === 0n ? bit : 0n);
  return { first, last: first | (bit - 1n) };
}

// ---- Task 2: the routing table -----------------------------------------------------------------

const copyContact = (c: Contact): Contact => ({ id: c.id, host: c.host, port: c.port });

export class RoutingTable {
  readonly self: bigint;
  readonly #buckets: Contact[][] = Array.from({ length: ID_BITS }, () => []);
  /** Per bucket, the end of its line of adds: the next add waits for it. */
  readonly #line: Promise<void>[] = Array.from({ length: ID_BITS }, () => Promise.resolve());
  readonly #clock: Clock;
  readonly #ping: TableOptions['ping'];
  readonly #timeout: number;

  constructor(self: bigint, options: TableOptions) {
    this.self = checkId(self, 'self');
    this.#clock = options.clock;
    this.#ping = options.ping;
    this.#timeout = options.pingTimeoutMs ?? PING_TIMEOUT_MS;
  }

  /** Contacts in the table. */
  get size(): number {
    let n = 0;
    for (const b of this.#buckets) n += b.length;
    return n;
  }

  /** Bucket `index`, least recently seen first. */
  bucket(index: number): Contact[] {
    return this.#buckets[checkBucket(index)]!.map(copyContact);
  }

  /** Note that `contact` was seen (paper §2.2): adds to one bucket are handled one at a time. */
  async add(contact: Contact): Promise<AddResult> {
    const index = bucketIndex(this.self, contact.id);
    const fresh = copyContact(contact);
    const before = this.#line[index]!;
    let done!: () => void;
    this.#line[index] = new Promise<void>((resolve) => { done = resolve; });
    await before;
    try {
      return await this.#addNow(index, fresh);
    } finally {
      done();
    }
  }

  async #addNow(index: number, contact: Contact): Promise<AddResult> {
    const bucket = this.#buckets[index]!;
    const at = bucket.findIndex((c) => c.id === contact.id);
    if (at >= 0) {
      bucket.splice(at, 1);
      bucket.push(contact);
      return 'refreshed';
    }
    if (bucket.length < K) {
      bucket.push(contact);
      return 'added';
    }
    const oldest = bucket[0]!;
    const alive = await this.#answers(oldest);
    // Nothing else touched this bucket meanwhile: its adds wait in line behind this one.
    bucket.shift();
    if (alive) {
      bucket.push(oldest);
      return 'dropped';
    }
    bucket.push(contact);
    return 'replaced';
  }

  /** Whether `contact` answers a ping within the timeout. */
  #answers(contact: Contact): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const finish = (alive: boolean) => {
        if (settled) return;
        settled = true;
        this.#clock.clearTimeout(timer);
        resolve(alive);
      };
      const timer = this.#clock.setTimeout(() => finish(false), this.#timeout);
      let reply: Promise<unknown>;
      try {
        reply = Promise.resolve(this.#ping(copyContact(contact)));
      } catch {
        reply = Promise.reject(new Error('ping threw'));
      }
      reply.then(() => finish(true), () => finish(false));
    });
  }

  // ---- Task 3 ----

  /** The `count` contacts closest to `target`, nearest first. */
  closest(target: bigint, count: number = K): Contact[] {
    checkId(target, 'target');
    const all: { c: Contact; d: bigint }[] = [];
    for (const b of this.#buckets) for (const c of b) all.push({ c, d: c.id ^ target });
    all.sort(byDistance);
    return all.slice(0, Math.max(0, count)).map((e) => copyContact(e.c));
  }
}

// ---- Task 3: closest nodes ---------------------------------------------------------------------

const byDistance = (p: { d: bigint }, q: { d: bigint }): number => (p.d < q.d ? -1 : p.d > q.d ? 1 : 0);

/** `ids` ordered by XOR distance to `target`, nearest first (a new array). */
export function sortByDistance(ids: readonly bigint[], target: bigint): bigint[] {
  checkId(target, 'target');
  return ids.map((id) => ({ id, d: checkId(id) ^ target })).sort(byDistance).map((e) => e.id);
}

// ---- Task 4: the iterative lookup --------------------------------------------------------------

type State = 'new' | 'asked' | 'answered' | 'failed';
interface Candidate {
  id: bigint;
  d: bigint;
  state: State;
}

/** find_node's iterative lookup (paper §2.3), in lockstep rounds. */
export async function lookup(options: LookupOptions): Promise<LookupResult> {
  const self = checkId(options.self, 'self');
  const target = checkId(options.target, 'target');
  const { network, clock } = options;
  const timeoutMs = options.timeoutMs ?? LOOKUP_TIMEOUT_MS;

  const known = new Map<bigint, Candidate>();
  let shortlist: Candidate[] = [];
  const learn = (id: bigint): void => {
    if (id === self || known.has(id)) return;
    const c: Candidate = { id, d: id ^ target, state: 'new' };
    known.set(id, c);
    shortlist.push(c);
  };
  for (const id of options.start) learn(checkId(id, 'a start contact'));
  shortlist.sort(byDistance);

  /** The K closest that have not failed. */
  const closestAlive = (): Candidate[] => {
    const out: Candidate[] = [];
    for (const c of shortlist) {
      if (c.state === 'failed') continue;
      out.push(c);
      if (out.length === K) break;
    }
    return out;
  };

  let rounds = 0;
  let queried = 0;
  let improved = true; // the first round is an α round
  for (;;) {
    const unasked = closestAlive().filter((c) => c.state === 'new');
    if (unasked.length === 0) break;
    const batch = improved ? unasked.slice(0, ALPHA) : unasked;
    rounds++;
    queried += batch.length;
    const best = shortlist[0]!.d;
    for (const c of batch) c.state = 'asked';
    const answers = await Promise.all(batch.map((c) => ask(network, clock, c.id, target, timeoutMs)));
    batch.forEach((c, i) => {
      const ids = answers[i];
      c.state = ids ? 'answered' : 'failed';
      if (ids) for (const id of ids) learn(id);
    });
    shortlist.sort(byDistance);
    improved = shortlist[0]!.d < best;
  }
  shortlist = closestAlive();
  return { closest: shortlist.map((c) => c.id), rounds, queried };
}

/** One find_node, given up on after timeoutMs: the answer's ids, or null. */
function ask(network: LookupOptions['network'], clock: Clock, to: bigint, target: bigint, timeoutMs: number): Promise<bigint[] | null> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ids: bigint[] | null) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      resolve(ids);
    };
    const timer = clock.setTimeout(() => finish(null), timeoutMs);
    let reply: Promise<bigint[]>;
    try {
      reply = Promise.resolve(network.findNode(to, target));
    } catch {
      reply = Promise.reject(new Error('findNode threw'));
    }
    reply.then((ids) => finish(Array.isArray(ids) ? ids : []), () => finish(null));
  });
}

// ---- Task 5: KRPC ------------------------------------------------------------------------------

function krpcFail(code: ConstructorParameters<typeof KrpcError>[0], message?: string): never {
  throw new KrpcError(code, message);
}

/** An id as 20 bytes, big-endian ("network byte order"). */
export function idToBytes(id: bigint): Uint8Array {
  if (typeof id !== 'bigint' || id < 0n || id >= ID_SPACE) krpcFail('bad-id', 'not a 160-bit id');
  const out = new Uint8Array(20);
  let v = id;
  for (let i = 19; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** 20 bytes, big-endian, as an id. */
export function idFromBytes(bytes: Uint8Array): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 20) krpcFail('bad-id', 'an id is 20 bytes');
  let v = 0n;
  for (let i = 0; i < 20; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

const IPV4 = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

function hostBytes(host: unknown): number[] {
  const m = typeof host === 'string' ? IPV4.exec(host) : null;
  const parts = m ? m.slice(1).map(Number) : [];
  if (!m || parts.some((p) => p > 255)) krpcFail('bad-value', `${String(host)} is not a dotted-quad IPv4 address`);
  return parts;
}

function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) krpcFail('bad-port', `${String(port)} is not a port`);
  return port;
}

/** A peer as 6 bytes: IPv4 address, then port, both big-endian. */
export function encodeCompactPeer(peer: PeerInfo): Uint8Array {
  const [a, b, c, d] = hostBytes(peer.host);
  const port = checkPort(peer.port);
  return Uint8Array.of(a!, b!, c!, d!, port >> 8, port & 0xff);
}

export function decodeCompactPeer(bytes: Uint8Array): PeerInfo {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 6) krpcFail('bad-compact', 'compact peer info is 6 bytes');
  return { host: `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`, port: (bytes[4]! << 8) | bytes[5]! };
}

/** Nodes as 26 bytes each: the id, then the compact peer info. */
export function encodeCompactNodes(nodes: NodeInfo[]): Uint8Array {
  const out = new Uint8Array(nodes.length * 26);
  nodes.forEach((n, i) => {
    out.set(idToBytes(n.id), i * 26);
    out.set(encodeCompactPeer(n), i * 26 + 20);
  });
  return out;
}

export function decodeCompactNodes(bytes: Uint8Array): NodeInfo[] {
  if (!(bytes instanceof Uint8Array)) krpcFail('bad-compact', 'compact node info is 26 bytes per node');
  const out: NodeInfo[] = [];
  for (let p = 0; p + 26 <= bytes.length; p += 26) {
    out.push({ id: idFromBytes(bytes.subarray(p, p + 20)), ...decodeCompactPeer(bytes.subarray(p + 20, p + 26)) });
  }
  return out;
}

function checkBytes(v: unknown, what: string): Uint8Array {
  if (!(v instanceof Uint8Array)) krpcFail('bad-value', `${what} must be a Uint8Array`);
  return v;
}

/** A KRPC message as the bytes of one UDP datagram. */
export function encodeKrpc(message: KrpcMessage): Uint8Array {
  const t = checkBytes(message.t, 't');
  switch (message.y) {
    case 'q': {
      const a: BencodeDict = { id: idToBytes(message.id) };
      switch (message.q) {
        case 'ping':
          break;
        case 'find_node':
          a.target = idToBytes(message.target);
          break;
        case 'get_peers':
          a.info_hash = idToBytes(message.infoHash);
          break;
        case 'announce_peer':
          a.info_hash = idToBytes(message.infoHash);
          a.port = checkPort(message.port);
          a.token = checkBytes(message.token, 'token');
          if (message.impliedPort) a.implied_port = 1;
          break;
        default:
          krpcFail('bad-value', `unknown query ${String((message as { q: unknown }).q)}`);
      }
      return encode({ t, y: 'q', q: message.q, a });
    }
    case 'r': {
      const r: BencodeDict = { id: idToBytes(message.id) };
      if (message.nodes !== undefined) r.nodes = encodeCompactNodes(message.nodes);
      if (message.token !== undefined) r.token = checkBytes(message.token, 'token');
      if (message.values !== undefined) r.values = message.values.map(encodeCompactPeer);
      return encode({ t, y: 'r', r });
    }
    case 'e': {
      if (!isInteger(message.code)) krpcFail('bad-value', 'an error code is an integer');
      if (typeof message.message !== 'string') krpcFail('bad-value', 'an error message is a string');
      return encode({ t, y: 'e', e: [message.code, message.message] });
    }
    default:
      return krpcFail('bad-value', `unknown message type ${String((message as { y: unknown }).y)}`);
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** The value of `key`, which must be there. */
function need(d: BencodeDict, key: string, where: string): BencodeValue {
  const v = d[key];
  if (v === undefined) krpcFail('missing-key', `${where}${key}`);
  return v;
}

function needBytes(d: BencodeDict, key: string, where: string): Uint8Array {
  const v = need(d, key, where);
  if (!isBytes(v)) krpcFail('bad-type', `${where}${key} is not a byte string`);
  return v;
}

function needId(d: BencodeDict, key: string, where: string): bigint {
  const v = needBytes(d, key, where);
  if (v.length !== 20) krpcFail('bad-id', `${where}${key} is ${v.length} bytes, not 20`);
  return idFromBytes(v);
}

function needDict(d: BencodeDict, key: string): BencodeDict {
  const v = need(d, key, '');
  if (!isDict(v)) krpcFail('bad-type', `${key} is not a dictionary`);
  return v;
}

/** One datagram's KRPC message. */
export function decodeKrpc(bytes: Uint8Array): KrpcMessage {
  let value: BencodeValue;
  try {
    value = decode(bytes);
  } catch (e) {
    return krpcFail('bad-bencode', e instanceof Error ? e.message : String(e));
  }
  if (!isDict(value)) krpcFail('not-a-dict', 'a KRPC message is a dictionary');
  const t = needBytes(value, 't', '');
  const y = latin1(needBytes(value, 'y', ''));
  if (y === 'q') {
    const q = latin1(needBytes(value, 'q', ''));
    if (q !== 'ping' && q !== 'find_node' && q !== 'get_peers' && q !== 'announce_peer') krpcFail('unknown-method', q);
    const a = needDict(value, 'a');
    const id = needId(a, 'id', 'a.');
    if (q === 'ping') return { y: 'q', t, q, id };
    if (q === 'find_node') return { y: 'q', t, q, id, target: needId(a, 'target', 'a.') };
    const infoHash = needId(a, 'info_hash', 'a.');
    if (q === 'get_peers') return { y: 'q', t, q, id, infoHash };
    const port = need(a, 'port', 'a.');
    if (!isInteger(port)) krpcFail('bad-type', 'a.port is not an integer');
    checkPort(port);
    const token = needBytes(a, 'token', 'a.');
    const implied = a.implied_port;
    if (implied !== undefined && !isInteger(implied)) krpcFail('bad-type', 'a.implied_port is not an integer');
    return { y: 'q', t, q, id, infoHash, port, token, impliedPort: implied !== undefined && implied !== 0 };
  }
  if (y === 'r') {
    const r = needDict(value, 'r');
    const out: KrpcResponse = { y: 'r', t, id: needId(r, 'id', 'r.') };
    if (r.nodes !== undefined) {
      if (!isBytes(r.nodes)) krpcFail('bad-type', 'r.nodes is not a byte string');
      out.nodes = decodeCompactNodes(r.nodes);
    }
    if (r.token !== undefined) {
      if (!isBytes(r.token)) krpcFail('bad-type', 'r.token is not a byte string');
      out.token = r.token;
    }
    if (r.values !== undefined) {
      if (!isList(r.values)) krpcFail('bad-type', 'r.values is not a list');
      out.values = r.values.map((v) => {
        if (!isBytes(v)) krpcFail('bad-type', 'a peer in r.values is not a byte string');
        return decodeCompactPeer(v);
      });
    }
    return out;
  }
  if (y === 'e') {
    const e = need(value, 'e', '');
    if (!isList(e)) krpcFail('bad-type', 'e is not a list');
    const [code, text] = e;
    if (e.length !== 2 || !isInteger(code) || !isBytes(text)) krpcFail('bad-error', 'e is [code, message]');
    let message: string;
    try {
      message = fromUtf8(text);
    } catch {
      return krpcFail('bad-error', 'the error message is not UTF-8');
    }
    return { y: 'e', t, code, message };
  }
  return krpcFail('unknown-type', `y = "${y}"`);
}
