/**
 * Kademlia with BEP 5's parameters: XOR distance, k-buckets, an iterative find_node, and KRPC.
 * Read instructions.md for the exact rules. types.ts has the constants, types and errors;
 * bencode.ts is a bencode codec for task 5; network.ts is the simulated network the tests run
 * your lookup on (you can run it too).
 */
import { decode, encode, fromUtf8, isBytes, isDict, isInteger, isList, utf8, type BencodeDict, type BencodeValue } from './bencode';
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
  type LookupOptions,
  type LookupResult,
  type NodeInfo,
  type PeerInfo,
  type TableOptions,
} from './types';

export * from './types';

// (Imported for you; remove what you do not use.)
void [decode, encode, fromUtf8, isBytes, isDict, isInteger, isList, utf8, ALPHA, ID_BITS, ID_SPACE, K, KademliaError, KrpcError, LOOKUP_TIMEOUT_MS, PING_TIMEOUT_MS];

// ---- Task 1: distance and buckets -------------------------------------------------------------

/** The XOR distance between two ids; an id outside 0..2^160-1: KademliaError 'bad-id'. */
export function distance(a: bigint, b: bigint): bigint {
  throw new Error('TODO: distance');
}

/** Which of self's buckets (0..159) `id` belongs in; its own id: 'own-id'. */
export function bucketIndex(self: bigint, id: bigint): number {
  throw new Error('TODO: bucketIndex');
}

/** The first and last id of bucket `index` of self; an index outside 0..159: 'bad-bucket'. */
export function bucketRange(self: bigint, index: number): { first: bigint; last: bigint } {
  throw new Error('TODO: bucketRange');
}

// ---- Task 2: the routing table (and task 3: closest) ------------------------------------------

export class RoutingTable {
  readonly self: bigint;

  constructor(self: bigint, options: TableOptions) {
    throw new Error('TODO: RoutingTable');
  }

  /** How many contacts the table holds. */
  get size(): number {
    throw new Error('TODO: size');
  }

  /** A copy of bucket `index`, least recently seen first. */
  bucket(index: number): Contact[] {
    throw new Error('TODO: bucket');
  }

  /** Note that `contact` was seen: add it, refresh it, or ping the bucket's head to decide. */
  async add(contact: Contact): Promise<AddResult> {
    throw new Error('TODO: add');
  }

  /** Task 3: the `count` contacts closest to `target`, nearest first. */
  closest(target: bigint, count: number = K): Contact[] {
    throw new Error('TODO: closest');
  }
}

// ---- Task 3: closest nodes ---------------------------------------------------------------------

/** `ids` ordered by XOR distance to `target`, nearest first (a new array). */
export function sortByDistance(ids: readonly bigint[], target: bigint): bigint[] {
  throw new Error('TODO: sortByDistance');
}

// ---- Task 4: the iterative lookup --------------------------------------------------------------

/** An iterative find_node in rounds of ALPHA queries (see instructions.md for what a round is). */
export async function lookup(options: LookupOptions): Promise<LookupResult> {
  throw new Error('TODO: lookup');
}

// ---- Task 5: KRPC ------------------------------------------------------------------------------

/** An id as 20 bytes, big-endian. */
export function idToBytes(id: bigint): Uint8Array {
  throw new Error('TODO: idToBytes');
}

/** 20 bytes, big-endian, as an id. */
export function idFromBytes(bytes: Uint8Array): bigint {
  throw new Error('TODO: idFromBytes');
}

/** A peer as 6 bytes: the IPv4 address, then the port, big-endian. */
export function encodeCompactPeer(peer: PeerInfo): Uint8Array {
  throw new Error('TODO: encodeCompactPeer');
}

export function decodeCompactPeer(bytes: Uint8Array): PeerInfo {
  throw new Error('TODO: decodeCompactPeer');
}

/** Nodes as 26 bytes each: the id, then the address and port. */
export function encodeCompactNodes(nodes: NodeInfo[]): Uint8Array {
  throw new Error('TODO: encodeCompactNodes');
}

export function decodeCompactNodes(bytes: Uint8Array): NodeInfo[] {
  throw new Error('TODO: decodeCompactNodes');
}

/** A KRPC message as the bytes of one UDP datagram. */
export function encodeKrpc(message: KrpcMessage): Uint8Array {
  throw new Error('TODO: encodeKrpc');
}

/** One datagram's KRPC message; anything malformed: KrpcError with the code of the first problem. */
export function decodeKrpc(bytes: Uint8Array): KrpcMessage {
  throw new Error('TODO: decodeKrpc');
}
