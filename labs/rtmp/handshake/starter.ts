/**
 * The RTMP handshake. Read instructions.md for the rules; types.ts has the constants, the
 * packet types, the Handshake interface and the error to throw; captures.ts has real bytes
 * from ffmpeg, rtmpdump and nginx-rtmp to try your code on.
 */
import {
  FIRST_TEXT_BYTE,
  HandshakeError,
  PACKET_SIZE,
  RANDOM_SIZE,
  RTMP_VERSION,
  type Handshake,
  type HandshakeOptions,
  type Packet1,
  type Packet2,
} from './types';

export { HandshakeError, PACKET_SIZE, RANDOM_SIZE, RTMP_VERSION, FIRST_TEXT_BYTE } from './types';
export type { Handshake, HandshakeErrorCode, HandshakeOptions, HandshakeState, Packet1, Packet2, Role } from './types';

// (Imported for you; remove what you do not use.)
void [FIRST_TEXT_BYTE, HandshakeError, PACKET_SIZE, RANDOM_SIZE, RTMP_VERSION];

// ---- Task 1: the packets (§5.2.2–§5.2.4) ------------------------------------------------------

/** C0/S0: returns the version if it is 3; throws 'bad-length', 'version-mismatch' or 'not-rtmp'. */
export function decodeVersion(bytes: Uint8Array): number {
  throw new Error('TODO: decodeVersion');
}

/** C1/S1 as 1536 bytes: time, zero, random. */
export function encodePacket1(p: Packet1): Uint8Array {
  throw new Error('TODO: encodePacket1');
}

/** C1/S1 from exactly 1536 bytes. */
export function decodePacket1(bytes: Uint8Array): Packet1 {
  throw new Error('TODO: decodePacket1');
}

/** C2/S2 as 1536 bytes: time, time2, random echo. */
export function encodePacket2(p: Packet2): Uint8Array {
  throw new Error('TODO: encodePacket2');
}

/** C2/S2 from exactly 1536 bytes. */
export function decodePacket2(bytes: Uint8Array): Packet2 {
  throw new Error('TODO: decodePacket2');
}

/** Throws 'echo-mismatch' unless `got` (the peer's C2/S2) echoes `sent` (this side's C1/S1). */
export function checkEcho(sent: Packet1, got: Packet2): void {
  throw new Error('TODO: checkEcho');
}

// ---- Tasks 2 and 3: the client and the server (§5.2.1, §5.2.5) -------------------------------

/** A client: C0 and C1 are queued at once; C2 goes out when S1 has arrived; done when S2 echoes C1. */
export function createClient(options: HandshakeOptions): Handshake {
  throw new Error('TODO: createClient');
}

/** A server: S0 and S1 go out when C0 arrives, S2 when C1 has; done when C2 echoes S1. */
export function createServer(options: HandshakeOptions): Handshake {
  throw new Error('TODO: createServer');
}
