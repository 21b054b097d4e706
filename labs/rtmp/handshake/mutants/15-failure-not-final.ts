// Bug: a failed version check records the error but the loop goes on reading: the bytes after a bad C0/S0 are taken as C1/S1 and answered, and the state moves on from failed.
/**
 * The RTMP handshake (Adobe's RTMP specification 1.0, §5.2): its packets, and a client and a
 * server that are fed bytes as they arrive. Reference implementation.
 */
import {
  FIRST_TEXT_BYTE,
  HandshakeError,
  PACKET_SIZE,
  RANDOM_SIZE,
  RTMP_VERSION,
  type Handshake,
  type HandshakeOptions,
  type HandshakeState,
  type Packet1,
  type Packet2,
  type Role,
} from './types';

export { HandshakeError, PACKET_SIZE, RANDOM_SIZE, RTMP_VERSION, FIRST_TEXT_BYTE } from './types';
export type { Handshake, HandshakeErrorCode, HandshakeOptions, HandshakeState, Packet1, Packet2, Role } from './types';

// ---- Task 1: the packets (§5.2.2–§5.2.4) ------------------------------------------------------

const U32_MAX = 0xffffffff;

function checkTime(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) throw new HandshakeError('bad-field', `${field} ${value} is not a 32-bit unsigned integer`);
}

function checkRandom(bytes: Uint8Array, field: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== RANDOM_SIZE) throw new HandshakeError('bad-field', `${field} must be ${RANDOM_SIZE} bytes`);
}

/** Two big-endian 32-bit numbers and RANDOM_SIZE bytes: the layout C1, S1, C2 and S2 share. */
function layOut(first: number, second: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(PACKET_SIZE);
  const view = new DataView(out.buffer);
  view.setUint32(0, first);
  view.setUint32(4, second);
  out.set(rest, 8);
  return out;
}

function readOut(bytes: Uint8Array): [number, number, Uint8Array] {
  if (bytes.length !== PACKET_SIZE) throw new HandshakeError('bad-length', `${bytes.length} bytes, not ${PACKET_SIZE}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A copy: the caller may reuse the buffer it decoded from.
  return [view.getUint32(0), view.getUint32(4), bytes.slice(8)];
}

/** C0/S0: the one byte must be version 3. Bytes of 32 and above are not RTMP at all. */
export function decodeVersion(bytes: Uint8Array): number {
  if (bytes.length !== 1) throw new HandshakeError('bad-length', `C0/S0 is one byte, not ${bytes.length}`);
  const version = bytes[0]!;
  if (version >= FIRST_TEXT_BYTE) throw new HandshakeError('not-rtmp', `first byte 0x${version.toString(16)}`);
  if (version !== RTMP_VERSION) throw new HandshakeError('version-mismatch', `version ${version}`);
  return version;
}

/** C1/S1 as 1536 bytes: time, zero, random. */
export function encodePacket1(p: Packet1): Uint8Array {
  checkTime(p.time, 'time');
  checkTime(p.zero, 'zero');
  checkRandom(p.random, 'random');
  return layOut(p.time, p.zero, p.random);
}

/** C1/S1 from exactly 1536 bytes; any value in the zero field is returned as it is. */
export function decodePacket1(bytes: Uint8Array): Packet1 {
  const [time, zero, random] = readOut(bytes);
  return { time, zero, random };
}

/** C2/S2 as 1536 bytes: time, time2, random echo. */
export function encodePacket2(p: Packet2): Uint8Array {
  checkTime(p.time, 'time');
  checkTime(p.time2, 'time2');
  checkRandom(p.echo, 'echo');
  return layOut(p.time, p.time2, p.echo);
}

export function decodePacket2(bytes: Uint8Array): Packet2 {
  const [time, time2, echo] = readOut(bytes);
  return { time, time2, echo };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Does `got` (the peer's C2/S2) echo `sent` (this side's C1/S1)? Its time and its random echo
 * must be ours; time2 is the peer's own clock, so it is not compared.
 */
export function checkEcho(sent: Packet1, got: Packet2): void {
  if (got.time !== sent.time) throw new HandshakeError('echo-mismatch', `time ${got.time}, sent ${sent.time}`);
  if (!sameBytes(got.echo, sent.random)) throw new HandshakeError('echo-mismatch', 'the random echo differs');
}

// ---- Tasks 2 and 3: the client and the server (§5.2.1, §5.2.5) -------------------------------

/** What the machine reads next. */
type Stage = 'version' | 'packet1' | 'packet2' | 'done';

class Machine implements Handshake {
  readonly role: Role;
  #state: HandshakeState;
  #error: HandshakeError | null = null;
  #peer: Packet1 | null = null;
  #stage: Stage = 'version';
  /** This side's C1 or S1, kept to check the peer's echo of it. */
  #mine: Packet1 | null = null;
  /** The packet being read: filled across calls to receive(), so any split works. */
  #packet = new Uint8Array(PACKET_SIZE);
  #filled = 0;
  #output: Uint8Array[] = [];
  #after: Uint8Array[] = [];
  readonly #random: Uint8Array;
  readonly #clock: () => number;

  constructor(role: Role, options: HandshakeOptions) {
    checkRandom(options.random, 'options.random');
    this.role = role;
    this.#random = options.random.slice();
    this.#clock = options.clock;
    if (role === 'client') {
      // The client may send C0 and C1 at once (§5.2.1), and every real client does.
      this.#mine = { time: this.#now(), zero: 0, random: this.#random };
      this.#output.push(Uint8Array.of(RTMP_VERSION), encodePacket1(this.#mine));
      this.#state = 'version-sent';
    } else {
      this.#state = 'uninitialized';
    }
  }

  get state(): HandshakeState { return this.#state; }
  get error(): HandshakeError | null { return this.#error; }
  get peer(): Packet1 | null { return this.#peer; }

  /** The clock as a 32-bit timestamp: RTMP's times are 32 bits and wrap around. */
  #now(): number {
    return this.#clock() >>> 0;
  }

  receive(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length && (this.#state !== 'failed' || this.#stage !== 'version')) {
      if (this.#stage === 'done') {
        this.#after.push(bytes.slice(at));
        return;
      }
      if (this.#stage === 'version') {
        this.#onVersion(bytes[at]!);
        at += 1;
        continue;
      }
      const take = Math.min(PACKET_SIZE - this.#filled, bytes.length - at);
      this.#packet.set(bytes.subarray(at, at + take), this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled === PACKET_SIZE) {
        this.#filled = 0;
        this.#onPacket(this.#packet);
      }
    }
  }

  #fail(e: unknown): void {
    if (!(e instanceof HandshakeError)) throw e;
    this.#error = e;
    this.#state = 'failed';
  }

  #onVersion(byte: number): void {
    try {
      decodeVersion(Uint8Array.of(byte));
    } catch (e) {
      this.#fail(e);
    }
    this.#stage = 'packet1';
    if (this.role === 'server') {
      // The server must wait for C0 before it sends S0 and S1 (§5.2.1); S1 needs nothing of C1.
      this.#mine = { time: this.#now(), zero: 0, random: this.#random };
      this.#output.push(Uint8Array.of(RTMP_VERSION), encodePacket1(this.#mine));
      this.#state = 'version-sent';
    }
  }

  #onPacket(bytes: Uint8Array): void {
    if (this.#stage === 'packet1') {
      // The peer's C1/S1, echoed at once: its time, our clock as it is read, its random bytes.
      this.#peer = decodePacket1(bytes);
      this.#output.push(encodePacket2({ time: this.#peer.time, time2: this.#now(), echo: this.#peer.random }));
      this.#stage = 'packet2';
      this.#state = 'ack-sent';
      return;
    }
    try {
      checkEcho(this.#mine!, decodePacket2(bytes));
    } catch (e) {
      this.#fail(e);
      return;
    }
    this.#stage = 'done';
    this.#state = 'handshake-done';
  }

  takeOutput(): Uint8Array {
    const out = concat(this.#output);
    this.#output = [];
    return out;
  }

  leftover(): Uint8Array {
    return this.#state === 'handshake-done' ? concat(this.#after) : new Uint8Array(0);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A client: C0 and C1 are queued at once; it sends C2 when S1 has arrived and is done when S2 echoes C1. */
export function createClient(options: HandshakeOptions): Handshake {
  return new Machine('client', options);
}

/** A server: S0 and S1 go out when C0 arrives, S2 when C1 has; it is done when C2 echoes S1. */
export function createServer(options: HandshakeOptions): Handshake {
  return new Machine('server', options);
}
