/**
 * The types, constants and errors of the Kademlia lab (provided, read-only).
 *
 * Sources: P. Maymounkov and D. Mazières, "Kademlia: A Peer-to-peer Information System Based on
 * the XOR Metric" (IPTPS 2002), cited as "the paper"; BEP 5, "DHT Protocol" (BitTorrent's
 * Mainline DHT, Kademlia over KRPC). The tests check an error's class name and `code`, never its
 * message.
 */
import type { Clock } from '../../kit';

export type { Clock };

// ---- Ids -------------------------------------------------------------------------------------

/** Bits in a node id or an infohash (BEP 5: the 160-bit space of SHA-1). */
export const ID_BITS = 160;

/** The number of ids: a valid id is a bigint from 0n to ID_SPACE - 1n. */
export const ID_SPACE = 1n << 160n;

/** Contacts per bucket, and nodes a find_node answer carries (BEP 5: "currently eight"). */
export const K = 8;

/** Queries a lookup keeps in flight in one round (the paper's α). */
export const ALPHA = 3;

/** How long the routing table waits for a ping's answer, unless told otherwise. */
export const PING_TIMEOUT_MS = 2000;

/** How long a lookup waits for one find_node answer, unless told otherwise. */
export const LOOKUP_TIMEOUT_MS = 2000;

// ---- The routing table (tasks 2 and 3) -------------------------------------------------------

/** A node we know: its id and where it listens (UDP). Also BEP 5's "compact node info". */
export interface Contact {
  id: bigint;
  /** Dotted-quad IPv4, e.g. "127.0.0.1". */
  host: string;
  port: number;
}

/** What `RoutingTable.add` did with a contact. */
export type AddResult =
  /** Its bucket had room: it is now the bucket's tail (most recently seen). */
  | 'added'
  /** It was already in its bucket: it moved to the tail, with the host and port just given. */
  | 'refreshed'
  /** The bucket was full and its least recently seen contact answered the ping: that one moved
   * to the tail, and the newcomer was not kept. */
  | 'dropped'
  /** The bucket was full and its least recently seen contact did not answer in time: it was
   * evicted, and the newcomer is now the tail. */
  | 'replaced';

export interface TableOptions {
  /** The clock that times pings (the tests' virtual clock). */
  clock: Clock;
  /**
   * Ping a contact. The promise resolves when it answers; it may also reject (the network said
   * no), or never settle (the datagram, or its answer, was lost).
   */
  ping: (contact: Contact) => Promise<unknown>;
  /** How long to wait for a ping's answer (default PING_TIMEOUT_MS). */
  pingTimeoutMs?: number;
}

// ---- The lookup (task 4) ---------------------------------------------------------------------

/** What a lookup needs from the network: one find_node query to one node. */
export interface FindNodeNetwork {
  /**
   * Ask node `to` for the K nodes it knows closest to `target`. Resolves with their ids, in any
   * order, when the answer arrives; a node that is down never answers (the promise never
   * settles), and the promise may also reject.
   */
  findNode(to: bigint, target: bigint): Promise<bigint[]>;
}

export interface LookupOptions {
  /** The node doing the lookup: it never queries itself, nor lists itself in the result. */
  self: bigint;
  target: bigint;
  /** Where to start: the contacts of self's own table closest to the target. */
  start: bigint[];
  network: FindNodeNetwork;
  clock: Clock;
  /** How long to wait for each find_node answer (default LOOKUP_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface LookupResult {
  /** The K nodes closest to the target that answered, nearest first (fewer if fewer are known). */
  closest: bigint[];
  /** Rounds of queries sent (see instructions.md for what one round is). */
  rounds: number;
  /** find_node queries sent, over all rounds. */
  queried: number;
}

export type KademliaErrorCode =
  /** Not a bigint from 0n to 2^160 - 1. */
  | 'bad-id'
  /** The table's own id, where another node's id is needed (it has no bucket). */
  | 'own-id'
  /** A bucket index that is not an integer from 0 to 159. */
  | 'bad-bucket';

/** Throw (or reject with) this for tasks 1 to 4: `throw new KademliaError('bad-id')`. */
export class KademliaError extends Error {
  readonly code: KademliaErrorCode;
  constructor(code: KademliaErrorCode, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'KademliaError';
    this.code = code;
  }
}

// ---- KRPC (task 5) ---------------------------------------------------------------------------

/** A peer of a torrent, as get_peers returns it: BEP 5's 6-byte "compact peer info". */
export interface PeerInfo {
  host: string;
  port: number;
}

/** A node, as find_node and get_peers return it: BEP 5's 26-byte "compact node info". */
export type NodeInfo = Contact;

export interface PingQuery {
  y: 'q';
  /** The transaction id, echoed in the answer: a short byte string (2 bytes is usual). */
  t: Uint8Array;
  q: 'ping';
  /** The querying node's id. */
  id: bigint;
}

export interface FindNodeQuery {
  y: 'q';
  t: Uint8Array;
  q: 'find_node';
  id: bigint;
  target: bigint;
}

export interface GetPeersQuery {
  y: 'q';
  t: Uint8Array;
  q: 'get_peers';
  id: bigint;
  /** BEP 5's `info_hash`. */
  infoHash: bigint;
}

export interface AnnouncePeerQuery {
  y: 'q';
  t: Uint8Array;
  q: 'announce_peer';
  id: bigint;
  infoHash: bigint;
  /** The TCP port the announcing peer accepts connections on (0 to 65535). */
  port: number;
  /** The token from that node's earlier get_peers answer. */
  token: Uint8Array;
  /** BEP 5's `implied_port`: store the UDP source port instead of `port`. */
  impliedPort: boolean;
}

export type KrpcQuery = PingQuery | FindNodeQuery | GetPeersQuery | AnnouncePeerQuery;

/**
 * An answer (`y: 'r'`). KRPC answers do not say which query they answer (only `t` ties them to
 * it), so one shape covers all four: a ping or announce_peer answer has only `id`; find_node's has
 * `nodes`; get_peers' has `token` and `values` or `nodes`. A key absent on the wire is absent here.
 */
export interface KrpcResponse {
  y: 'r';
  t: Uint8Array;
  /** The answering node's id. */
  id: bigint;
  nodes?: NodeInfo[];
  token?: Uint8Array;
  values?: PeerInfo[];
}

/** An error (`y: 'e'`): BEP 5's `e: [code, message]`, e.g. 203 "Protocol Error". */
export interface KrpcErrorReply {
  y: 'e';
  t: Uint8Array;
  code: number;
  message: string;
}

export type KrpcMessage = KrpcQuery | KrpcResponse | KrpcErrorReply;

export type KrpcErrorCode =
  /** The bytes are not one well-formed bencoded value (bencode.ts refused them). */
  | 'bad-bencode'
  /** The value is not a dictionary. */
  | 'not-a-dict'
  /** A key the message needs is not there. */
  | 'missing-key'
  /** A key holds the wrong kind of value (an integer for a byte string, ...). */
  | 'bad-type'
  /** `y` is not "q", "r" or "e". */
  | 'unknown-type'
  /** A query `q` other than ping, find_node, get_peers and announce_peer. */
  | 'unknown-method'
  /** An id, target or info_hash that is not 20 bytes (decoding) or not a valid id (encoding). */
  | 'bad-id'
  /** A port that is not an integer from 0 to 65535. */
  | 'bad-port'
  /** Compact node info whose length is not a multiple of 26, or a peer that is not 6 bytes. */
  | 'bad-compact'
  /** `e` that is not a list of exactly an integer and a UTF-8 string. */
  | 'bad-error'
  /** Encoding: a field of the message that cannot be written (see instructions.md). */
  | 'bad-value';

/** Throw this for task 5: `throw new KrpcError('missing-key', 'a.target')`. */
export class KrpcError extends Error {
  readonly code: KrpcErrorCode;
  constructor(code: KrpcErrorCode, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'KrpcError';
    this.code = code;
  }
}
