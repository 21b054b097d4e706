/**
 * Peer proof for labs/p2p/kademlia: the reference's KRPC (BEP 5) against a real DHT node, npm's
 * `bittorrent-dht` (with `k-rpc` and `k-rpc-socket` under it), over UDP on 127.0.0.1, both ways.
 *
 * We ask it (a dgram socket of ours, the reference's encoder and decoder): ping, find_node,
 * get_peers, announce_peer with the token it gave, get_peers again to find our peer in `values`
 * (and the UDP source port with implied_port), a bad token and a query without its target (error
 * replies 203). Its find_node and get_peers answers must list the nodes of its table in the
 * reference's XOR order. It asks us (a second node, started with our socket as its only bootstrap
 * node): find_node for its own id, ping, get_peers for a lookup and for an announce, then
 * announce_peer with the token we gave; the reference decodes each query the real implementation
 * built and answers it, and the real node must act on the answers (learn our id, emit our peers,
 * announce with our token). Every datagram from the real node must re-encode byte for byte with
 * the reference (the one exception, announce_peer's implied_port 0, is the lab's documented model).
 *
 * The lab's bencode.ts is checked against npm's `bencode` (the codec k-rpc uses) on generated
 * values. npm's `k-bucket` is not used as an oracle for the routing table: its distance is a
 * float (64-bit doubles keep 53 of the 160 bits) and its buckets hold 20, not BEP 5's 8; here it
 * only orders the real node's answers, and the ids are random, so their distances differ in their
 * top 53 bits.
 */
import { createSocket, type Socket, type RemoteInfo } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeers, freePort } from './support/peer';
import { fc, samples, seededRandom } from '../../labs/kit';
import {
  decodeKrpc,
  encodeKrpc,
  idFromBytes,
  idToBytes,
  sortByDistance,
  type KrpcMessage,
  type KrpcQuery,
  type KrpcResponse,
  type NodeInfo,
} from '../../labs/p2p/kademlia/reference';
import { decode as labDecode, encode as labEncode, type BencodeInput } from '../../labs/p2p/kademlia/bencode';

const LOOPBACK = '127.0.0.1';

// ---- The npm packages, which ship no type declarations: the parts used here -------------------

interface DhtNode { id: Buffer; host: string; port: number }
interface Dht {
  nodeId: Buffer;
  nodes: { get(id: Buffer): DhtNode | null; toArray(): DhtNode[] };
  listen(port: number, host: string, cb?: () => void): void;
  address(): { port: number };
  addNode(node: { id?: Buffer; host: string; port: number }): void;
  lookup(infoHash: Buffer, cb: (err: Error | null, n?: number) => void): void;
  announce(infoHash: Buffer, port: number | ((err: Error | null) => void), cb?: (err: Error | null) => void): void;
  on(event: 'ready' | 'listening', cb: () => void): void;
  on(event: 'peer', cb: (peer: { host: string; port: number }, infoHash: Buffer) => void): void;
  on(event: 'error' | 'warning', cb: (err: Error) => void): void;
  destroy(cb?: () => void): void;
}
type DhtCtor = new (opts: { bootstrap: false | string[]; host: string }) => Dht;
interface NpmBencode { encode(v: unknown): Uint8Array; decode(b: Uint8Array): unknown }

async function load(): Promise<{ DHT: DhtCtor; bencode: NpmBencode; versions: Record<string, string> }> {
  const name = (n: string): string => n; // a computed specifier: no declarations to look for
  const DHT = ((await import(name('bittorrent-dht'))) as { default: DhtCtor }).default;
  const bencode = ((await import(name('bencode'))) as { default: NpmBencode }).default;
  const versions: Record<string, string> = {};
  for (const p of ['bittorrent-dht', 'k-rpc', 'k-rpc-socket', 'k-bucket', 'bencode']) {
    // package.json is not in these packages' exports: read it from node_modules.
    versions[p] = (JSON.parse(readFileSync(new URL(`../../node_modules/${p}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
  }
  return { DHT, bencode, versions };
}

// ---- Helpers ---------------------------------------------------------------------------------

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const idOfBuffer = (b: Buffer): bigint => idFromBytes(new Uint8Array(b));
const bufferOfId = (id: bigint): Buffer => Buffer.from(idToBytes(id));
/** Uniformly random 160-bit ids (not fast-check's, which favours the extremes and long shared prefixes). */
function randomIds(n: number, seed: number): bigint[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    let id = 0n;
    for (let w = 0; w < 5; w++) id = (id << 32n) | BigInt(Math.floor(random() * 2 ** 32));
    return id;
  });
}

function bind(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => resolve(socket.address().port));
  });
}

/** Datagrams arriving on a socket, taken in order by whoever waits for one. */
function inbox(socket: Socket) {
  const queue: { bytes: Uint8Array; from: RemoteInfo }[] = [];
  const waiting: ((m: { bytes: Uint8Array; from: RemoteInfo }) => void)[] = [];
  socket.on('message', (msg, from) => {
    const m = { bytes: new Uint8Array(msg), from };
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  return {
    next(ms = 3000): Promise<{ bytes: Uint8Array; from: RemoteInfo }> {
      const m = queue.shift();
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no datagram within ${ms} ms`)), ms);
        waiting.push((got) => {
          clearTimeout(timer);
          resolve(got);
        });
      });
    },
  };
}

function send(socket: Socket, bytes: Uint8Array, port: number): Promise<void> {
  return new Promise((resolve, reject) => socket.send(bytes, port, LOOPBACK, (err) => (err ? reject(err) : resolve())));
}

/** What the real node's k-bucket holds, as the reference's NodeInfo. */
const tableOf = (dht: Dht): NodeInfo[] => dht.nodes.toArray().map((n) => ({ id: idOfBuffer(n.id), host: n.host, port: n.port }));

/** The real node's table ordered by the reference's XOR distance to `target`, as it must answer. */
function expectedNodes(dht: Dht, target: bigint, k = 20): NodeInfo[] {
  const table = tableOf(dht);
  return sortByDistance(table.map((n) => n.id), target).slice(0, k).map((id) => table.find((n) => n.id === id)!);
}

// ---- The test ----------------------------------------------------------------------------------

describeWithPeers('p2p/kademlia: KRPC with a real bittorrent-dht node on 127.0.0.1', [], () => {
  let npm: Awaited<ReturnType<typeof load>>;
  let real: Dht; // the node we query
  let realPort: number;
  let ours: Socket;
  let oursPort: number;
  let box: ReturnType<typeof inbox>;
  const OUR_ID = randomIds(1, 501)[0]!;
  const FAKES = randomIds(12, 502);
  let tid = 0;

  beforeAll(async () => {
    npm = await load();
    console.log('versions:', npm.versions);
    realPort = await freePort();
    real = new npm.DHT({ bootstrap: false, host: LOOPBACK });
    real.on('error', (e) => { throw e; });
    await new Promise<void>((resolve) => real.listen(realPort, LOOPBACK, resolve));
    // Contacts with ids go straight into its table (no ping: nothing is sent to these ports).
    FAKES.forEach((id, i) => real.addNode({ id: bufferOfId(id), host: LOOPBACK, port: 40000 + i }));
    ours = createSocket('udp4');
    oursPort = await bind(ours);
    box = inbox(ours);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (real ? real.destroy(() => resolve()) : resolve()));
    ours?.close();
  });

  /** Send a query built by the reference; return the answer decoded by the reference (and its bytes). */
  async function ask(query: KrpcQuery | Uint8Array): Promise<{ message: KrpcMessage; bytes: Uint8Array }> {
    const bytes = query instanceof Uint8Array ? query : encodeKrpc(query);
    await send(ours, bytes, realPort);
    const got = await box.next();
    expect(got.from).toMatchObject({ address: LOOPBACK, port: realPort });
    const message = decodeKrpc(got.bytes);
    // The reference writes the real node's answer again, byte for byte.
    expect(hex(encodeKrpc(message))).toBe(hex(got.bytes));
    return { message, bytes: got.bytes };
  }
  const t = (): Uint8Array => Uint8Array.of(0xaa, ++tid);

  it('our encoding is what npm bencode writes for the same dictionaries', () => {
    const id = idToBytes(OUR_ID);
    const q = encodeKrpc({ y: 'q', t: ascii('aa'), q: 'get_peers', id: OUR_ID, infoHash: FAKES[0]! });
    expect(hex(q)).toBe(hex(npm.bencode.encode({ t: ascii('aa'), y: 'q', q: 'get_peers', a: { id, info_hash: idToBytes(FAKES[0]!) } })));
    // And bencode.ts agrees with npm bencode on generated values (ASCII keys: npm writes keys as UTF-8).
    const key = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_0123456789'), maxLength: 8 });
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        fc.uint8Array({ maxLength: 30 }),
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    for (const v of samples(value, 300, 503)) {
      const ourBytes = labEncode(v as BencodeInput);
      expect(hex(ourBytes)).toBe(hex(npm.bencode.encode(v)));
      expect(hex(labEncode(labDecode(ourBytes)))).toBe(hex(ourBytes));
      expect(hex(npm.bencode.encode(npm.bencode.decode(ourBytes)))).toBe(hex(ourBytes));
    }
  });

  it('ping: it answers with its id, echoing our transaction id', async () => {
    const tx = t();
    const { message } = await ask({ y: 'q', t: tx, q: 'ping', id: OUR_ID });
    expect(message).toEqual({ y: 'r', t: tx, id: idOfBuffer(real.nodeId) });
    // It took our id from the query and our address from the datagram.
    expect(tableOf(real)).toContainEqual({ id: OUR_ID, host: LOOPBACK, port: oursPort });
  });

  it('find_node: it answers with its table in XOR order to the target, as compact node info', async () => {
    for (const target of [...randomIds(3, 504), FAKES[3]!, OUR_ID ^ 1n]) {
      const tx = t();
      const { message } = await ask({ y: 'q', t: tx, q: 'find_node', id: OUR_ID, target });
      const r = message as KrpcResponse;
      expect(r.y).toBe('r');
      expect(r.id).toBe(idOfBuffer(real.nodeId));
      expect(r.nodes).toHaveLength(FAKES.length + 1); // its whole table: 12 contacts and us
      expect(r.nodes).toEqual(expectedNodes(real, target));
    }
  });

  it('k-bucket orders by a float: ids that differ only in their low bits come back as a set, not in XOR order', async () => {
    // A second node whose table holds ids sharing their top 140 bits with each other.
    const port = await freePort();
    const other = new npm.DHT({ bootstrap: false, host: LOOPBACK });
    await new Promise<void>((resolve) => other.listen(port, LOOPBACK, resolve));
    try {
      const base = randomIds(1, 509)[0]! & ~((1n << 20n) - 1n);
      const near = randomIds(15, 510).map((r) => base | (r & ((1n << 20n) - 1n)));
      near.forEach((id, i) => other.addNode({ id: bufferOfId(id), host: LOOPBACK, port: 41000 + i }));
      const target = base ^ (1n << 150n); // every distance is 2^150 plus 20 low bits
      await send(ours, encodeKrpc({ y: 'q', t: t(), q: 'find_node', id: OUR_ID, target }), port);
      const got = decodeKrpc((await box.next()).bytes) as KrpcResponse;
      const want = expectedNodes(other, target);
      expect(new Set(got.nodes!.map((n) => n.id))).toEqual(new Set(want.map((n) => n.id)));
      const inOrder = got.nodes!.every((n, i) => n.id === want[i]!.id);
      console.log(`k-bucket ${npm.versions['k-bucket']}: find_node answer for near ids ${inOrder ? 'in' : 'NOT in'} XOR order (its distance is a double)`);
    } finally {
      await new Promise<void>((resolve) => other.destroy(() => resolve()));
    }
  });

  it('get_peers, announce_peer with its token, get_peers again: our peer is in values', async () => {
    const infoHash = randomIds(1, 505)[0]!;
    const first = (await ask({ y: 'q', t: t(), q: 'get_peers', id: OUR_ID, infoHash })).message as KrpcResponse;
    expect(first.token).toBeInstanceOf(Uint8Array);
    expect(first.token!.length).toBe(20); // SHA-1 of our address and its secret
    expect(first.values).toBeUndefined();
    expect(first.nodes).toEqual(expectedNodes(real, infoHash));

    const ack = await ask({ y: 'q', t: t(), q: 'announce_peer', id: OUR_ID, infoHash, port: 6881, token: first.token!, impliedPort: false });
    expect(ack.message).toMatchObject({ y: 'r', id: idOfBuffer(real.nodeId) });
    expect(Object.keys(ack.message).sort()).toEqual(['id', 't', 'y']);

    const again = (await ask({ y: 'q', t: t(), q: 'get_peers', id: OUR_ID, infoHash })).message as KrpcResponse;
    expect(again.values).toEqual([{ host: LOOPBACK, port: 6881 }]);
    expect(again.nodes).toBeUndefined();
    expect(hex(again.token!)).toBe(hex(first.token!));

    // implied_port: the port is the UDP source port of the datagram, whatever `port` says.
    await ask({ y: 'q', t: t(), q: 'announce_peer', id: OUR_ID, infoHash, port: 0, token: first.token!, impliedPort: true });
    const third = (await ask({ y: 'q', t: t(), q: 'get_peers', id: OUR_ID, infoHash })).message as KrpcResponse;
    expect([...third.values!].sort((a, b) => a.port - b.port)).toEqual([{ host: LOOPBACK, port: 6881 }, { host: LOOPBACK, port: oursPort }].sort((a, b) => a.port - b.port));
  });

  it('error replies: a bad token, and find_node without its target (203, Protocol Error)', async () => {
    const tx = t();
    const bad = await ask({ y: 'q', t: tx, q: 'announce_peer', id: OUR_ID, infoHash: 5n, port: 6881, token: ascii('not-a-token'), impliedPort: false });
    expect(bad.message).toEqual({ y: 'e', t: tx, code: 203, message: 'cannot `announce_peer` with bad token' });
    const tx2 = t();
    const raw = labEncode({ t: tx2, y: 'q', q: 'find_node', a: { id: idToBytes(OUR_ID) } });
    const missing = await ask(raw);
    expect(missing.message).toEqual({ y: 'e', t: tx2, code: 203, message: '`find_node` missing required `a.target` field' });
  });

  it('it queries us: find_node, ping, get_peers and announce_peer, built by it, decoded and answered by the reference', async () => {
    const us = createSocket('udp4');
    const usPort = await bind(us);
    const US_ID = randomIds(1, 506)[0]!;
    const TOKEN = ascii('tok-0123');
    const PEERS = [{ host: '127.0.0.5', port: 51413 }, { host: '127.0.0.6', port: 6881 }];
    const LOOKED_UP = randomIds(1, 507)[0]!;
    const queries: KrpcQuery[] = [];
    const reencoded: string[] = [];
    us.on('message', (msg, from) => {
      const bytes = new Uint8Array(msg);
      const q = decodeKrpc(bytes);
      if (q.y !== 'q') throw new Error(`expected a query, got ${q.y}`);
      queries.push(q);
      // Byte for byte, but for implied_port 0, which the model does not keep (it writes no key).
      const again = encodeKrpc(q);
      reencoded.push(hex(again) === hex(bytes) ? 'same' : q.q === 'announce_peer' && !q.impliedPort ? 'implied_port 0 dropped' : `differs: ${hex(bytes)}`);
      let answer: KrpcResponse = { y: 'r', t: q.t, id: US_ID };
      if (q.q === 'find_node') answer = { ...answer, nodes: [] };
      if (q.q === 'get_peers') answer = q.infoHash === LOOKED_UP ? { ...answer, token: TOKEN, values: PEERS } : { ...answer, token: TOKEN, nodes: [] };
      if (q.q === 'announce_peer' && hex(q.token) !== hex(TOKEN)) {
        us.send(encodeKrpc({ y: 'e', t: q.t, code: 203, message: 'bad token' }), from.port, from.address);
        return;
      }
      us.send(encodeKrpc(answer), from.port, from.address);
    });

    const asker = new npm.DHT({ bootstrap: [`${LOOPBACK}:${usPort}`], host: LOOPBACK });
    try {
      asker.on('error', (e) => { throw e; });
      asker.listen(0, LOOPBACK); // before its first query leaves, so it leaves from 127.0.0.1
      await new Promise<void>((resolve) => asker.on('ready', resolve));
      const askerId = idOfBuffer(asker.nodeId);
      // Bootstrap: find_node for its own id, to us. It learned our id from our answer.
      expect(queries[0]).toMatchObject({ y: 'q', q: 'find_node', id: askerId, target: askerId });
      expect(tableOf(asker)).toContainEqual({ id: US_ID, host: LOOPBACK, port: usPort });

      // A contact without an id is pinged first.
      const before = queries.length;
      asker.addNode({ host: LOOPBACK, port: usPort });
      await until(() => queries.length > before);
      expect(queries[before]).toMatchObject({ q: 'ping', id: askerId });

      // A lookup: get_peers to us; it reads our compact peers.
      const found: { host: string; port: number }[] = [];
      asker.on('peer', (peer, ih) => { if (idOfBuffer(ih) === LOOKED_UP) found.push(peer); });
      await new Promise<void>((resolve, reject) => asker.lookup(bufferOfId(LOOKED_UP), (err) => (err ? reject(err) : resolve())));
      expect(queries.at(-1)).toMatchObject({ q: 'get_peers', id: askerId, infoHash: LOOKED_UP });
      expect(found).toEqual(PEERS);

      // An announce: get_peers for the infohash first, then announce_peer with the token we gave.
      const INFO = randomIds(1, 508)[0]!;
      await new Promise<void>((resolve, reject) => asker.announce(bufferOfId(INFO), 7000, (err) => (err ? reject(err) : resolve())));
      const announce = queries.at(-1)!;
      expect(queries.at(-2)).toMatchObject({ q: 'get_peers', infoHash: INFO });
      expect(announce).toMatchObject({ q: 'announce_peer', id: askerId, infoHash: INFO, port: 7000, impliedPort: false });
      expect(hex((announce as { token: Uint8Array }).token)).toBe(hex(TOKEN));
      // Without a port it asks for the source port instead (implied_port 1, port 0).
      await new Promise<void>((resolve, reject) => asker.announce(bufferOfId(INFO), (err) => (err ? reject(err) : resolve())));
      expect(queries.at(-1)).toMatchObject({ q: 'announce_peer', infoHash: INFO, port: 0, impliedPort: true });

      expect(reencoded.filter((r) => r.startsWith('differs'))).toEqual([]);
      expect(reencoded).toContain('implied_port 0 dropped');
      expect(new Set(queries.map((q) => q.q))).toEqual(new Set(['find_node', 'ping', 'get_peers', 'announce_peer']));
    } finally {
      await new Promise<void>((resolve) => asker.destroy(() => resolve()));
      us.close();
    }
  });
});

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
