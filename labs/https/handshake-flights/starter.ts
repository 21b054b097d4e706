/**
 * Handshake flights and round trips. Read instructions.md for the rules; types.ts has the types,
 * the constants and the error to throw.
 */
import {
  AEAD_TAG,
  FlightError,
  HANDSHAKE_HEADER,
  MAX_BODY,
  MAX_FRAGMENT,
  QUIC,
  RECORD_HEADER,
  type Amplification,
  type AmplificationInput,
  type Flight,
  type FlightBytes,
  type Handshake,
  type Network,
  type Protection,
  type Sizes,
  type Timing,
} from './types';

export { FlightError, QUIC } from './types';
export type * from './types';

// (Imported for you; remove what you do not use.)
void [AEAD_TAG, FlightError, HANDSHAKE_HEADER, MAX_BODY, MAX_FRAGMENT, QUIC, RECORD_HEADER];

// ---- Task 1: the flights (RFC 5246 §7.3, RFC 8446 §2, RFC 9000 §7.1) -------------------------

/** Every flight of the handshake, with the client's request in the first flight that may carry it. */
export function flights(h: Handshake): Flight[] {
  throw new Error('TODO: flights');
}

// ---- Task 2: round trips and the first byte ---------------------------------------------------

/** Round trips of the handshake before the client sends its request. */
export function roundTrips(h: Handshake): number {
  throw new Error('TODO: roundTrips');
}

/** When the request leaves and when the first byte of the response comes back. */
export function firstByte(h: Handshake, net: Network): Timing {
  throw new Error('TODO: firstByte');
}

// ---- Task 3: bytes per flight ---------------------------------------------------------------

/** The body of a Certificate message carrying `chain` (DER lengths, leaf first). */
export function certificateBody(protocol: Handshake['protocol'], chain: number[]): number {
  throw new Error('TODO: certificateBody');
}

/** Bytes on the wire of `content` bytes sent in TLS records under `key`. */
export function recordBytes(protocol: 'tls1.2' | 'tls1.3', key: Protection, content: number, explicitNonce = 8): number {
  throw new Error('TODO: recordBytes');
}

/** Bytes of each message of each flight, and of each flight. */
export function flightBytes(h: Handshake, s: Sizes): FlightBytes[] {
  throw new Error('TODO: flightBytes');
}

// ---- Task 4: QUIC's amplification limit (RFC 9000 §8.1, §14.1) ------------------------------

/** The client's first datagrams. */
export function clientDatagrams(clientHello: number): number[] {
  throw new Error('TODO: clientDatagrams');
}

/** The datagrams of the server's first flight. */
export function serverDatagrams(serverInitial: number, serverHandshake: number): number[] {
  throw new Error('TODO: serverDatagrams');
}

/** Whether the server's first flight fits under the amplification limit, and what it costs if not. */
export function amplification(a: AmplificationInput): Amplification {
  throw new Error('TODO: amplification');
}
