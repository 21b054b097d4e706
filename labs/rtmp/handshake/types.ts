/**
 * The lab's constants, types and error (provided, read-only). The tests check the error's class
 * name and `code`, never its message.
 */

/** The only RTMP version there is: C0 and S0 carry it (RTMP 1.0 §5.2.2). */
export const RTMP_VERSION = 3;
/** C1, S1, C2 and S2 are all this long (§5.2.3, §5.2.4). */
export const PACKET_SIZE = 1536;
/** The random bytes of C1/S1, and their echo in C2/S2: the packet less its two 4-byte times. */
export const RANDOM_SIZE = 1528;
/** C0/S0 values from here up are not allowed, so that a server can tell RTMP from a text protocol (§5.2.2). */
export const FIRST_TEXT_BYTE = 32;

/** Why a handshake, or a call, failed. */
export type HandshakeErrorCode =
  /** A packet to decode that is not exactly its size: 1 byte for C0/S0, PACKET_SIZE for the others. */
  | 'bad-length'
  /** A packet to encode with a time that is not an integer from 0 to 2^32 − 1, or random bytes that are not RANDOM_SIZE long. */
  | 'bad-field'
  /** A C0/S0 version below FIRST_TEXT_BYTE that is not RTMP_VERSION (0–2 are deprecated, 6 is RTMPE, 4–31 are reserved). */
  | 'version-mismatch'
  /** A C0/S0 byte of FIRST_TEXT_BYTE or more: the peer is not speaking RTMP at all (an HTTP request starts with "G"). */
  | 'not-rtmp'
  /** A C2/S2 whose time or random echo is not what this side sent in its C1/S1. */
  | 'echo-mismatch';

export class HandshakeError extends Error {
  readonly name = 'HandshakeError';
  readonly code: HandshakeErrorCode;
  constructor(code: HandshakeErrorCode, message?: string) {
    super(message ?? code);
    this.code = code;
  }
}

/** C1 or S1 (§5.2.3): a time, four bytes the spec says are zero, and random bytes. */
export interface Packet1 {
  /** Bytes 0–3, big-endian: the sender's epoch for the chunks it will send. */
  time: number;
  /** Bytes 4–7, big-endian: zero in the spec; real clients put a Flash version here. */
  zero: number;
  /** Bytes 8–1535: RANDOM_SIZE bytes. */
  random: Uint8Array;
}

/** C2 or S2 (§5.2.4): the peer's C1/S1 echoed back. */
export interface Packet2 {
  /** Bytes 0–3: the time the peer sent in its C1/S1. */
  time: number;
  /** Bytes 4–7: this side's clock when it read the peer's C1/S1. */
  time2: number;
  /** Bytes 8–1535: the peer's random bytes, copied. */
  echo: Uint8Array;
}

export type Role = 'client' | 'server';

/** §5.2.5's states, and one for a handshake that broke. */
export type HandshakeState = 'uninitialized' | 'version-sent' | 'ack-sent' | 'handshake-done' | 'failed';

export interface HandshakeOptions {
  /** The RANDOM_SIZE random bytes of this side's C1 or S1 (injected, so a test can repeat a run). */
  random: Uint8Array;
  /** This side's clock in milliseconds; written into packets modulo 2^32. */
  clock: () => number;
}

/** One side of a handshake, fed the bytes that arrive and asked for the bytes to send. */
export interface Handshake {
  readonly role: Role;
  readonly state: HandshakeState;
  /** Why the handshake failed; null until it does. */
  readonly error: HandshakeError | null;
  /** The peer's C1 (for a server) or S1 (for a client), decoded, once it has all arrived. */
  readonly peer: Packet1 | null;
  /** Bytes from the peer, in order, split or coalesced in any way. Never throws for what the peer sent. */
  receive(bytes: Uint8Array): void;
  /** Every byte queued to send since the last call, in order; empty when there is nothing. */
  takeOutput(): Uint8Array;
  /** Every byte received after the peer's last handshake packet (once the handshake is done). */
  leftover(): Uint8Array;
}
