/**
 * RTMP peers for the handshake lab's peer test, all on 127.0.0.1: a TCP server that drives one
 * handshake machine (the lab's reference server) and can hold its output back to see what a real
 * client sends without it; a TCP client that drives a machine against a real server; a runner
 * for ffmpeg and rtmpdump with a kill deadline; and the bytes of one RTMP `connect` command.
 */
import { spawn } from 'node:child_process';
import { chunkMessage, encodeCommand } from '../../../src/live/rtmp/wire';
import { createHmac } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** The part of a handshake machine these helpers drive (the lab's Handshake interface). */
export interface Machine {
  readonly state: string;
  readonly error: { code: string } | null;
  receive(bytes: Uint8Array): void;
  takeOutput(): Uint8Array;
  leftover(): Uint8Array;
}

const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

// ---- A server that drives a machine ---------------------------------------------------------

/** One `data` event from the client, with how many bytes the server had written before it came. */
export interface ClientChunk { bytes: Uint8Array; serverBytesBefore: number }

/**
 * How many of the machine's output bytes may be written once the client has sent `clientBytes`
 * bytes: a gate that holds S0+S1 or S2 back to see whether the client sends on without them.
 */
export type Gate = (clientBytes: number) => number;

export const OPEN: Gate = () => Infinity;

export interface MachineServer {
  port: number;
  /** Every data event from the client, in order. */
  chunks(): ClientChunk[];
  fromClient(): Uint8Array;
  /** Everything written to the client. */
  written(): Uint8Array;
  machine(): Machine | undefined;
  /** Lift the gate: everything queued, and everything later, is written. */
  release(): void;
  /** Resolves when `test` holds after a data event (or at once), rejects after `ms`. */
  until(test: () => boolean, ms: number, what: string): Promise<void>;
  stop(): void;
}

/** Serve the first connection to 127.0.0.1 with `make()`'s machine, writing its output as `gate` allows. */
export async function serveMachine(make: () => Machine, gate: Gate = OPEN): Promise<MachineServer> {
  const chunks: ClientChunk[] = [];
  const out: Uint8Array[] = [];
  let queued: Uint8Array = new Uint8Array(0);
  let written = 0;
  let released = false;
  let machine: Machine | undefined;
  let socket: Socket | undefined;
  const waiters = new Set<() => void>();
  const poke = (): void => { for (const w of [...waiters]) w(); };
  const clientBytes = (): number => chunks.reduce((n, c) => n + c.bytes.length, 0);

  const flush = (): void => {
    if (!machine || !socket) return;
    const fresh = machine.takeOutput();
    if (fresh.length > 0) queued = concat([queued, fresh]);
    const limit = released ? Infinity : gate(clientBytes());
    const n = Math.max(0, Math.min(queued.length, limit - written));
    if (n > 0) {
      const now = queued.subarray(0, n);
      out.push(now.slice());
      socket.write(now.slice());
      written += n;
      queued = queued.slice(n);
    }
  };

  const server: Server = createServer((s) => {
    if (socket) { s.destroy(); return; }
    socket = s;
    machine = make();
    s.on('data', (d) => {
      chunks.push({ bytes: new Uint8Array(d), serverBytesBefore: written });
      machine!.receive(new Uint8Array(d));
      flush();
      poke();
    });
    s.on('error', () => {});
    s.on('close', poke);
    flush();
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    chunks: () => chunks.slice(),
    fromClient: () => concat(chunks.map((c) => c.bytes)),
    written: () => concat(out),
    machine: () => machine,
    release: () => { released = true; flush(); },
    until: (test, ms, what) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!test()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${what}: not seen in ${ms} ms (client sent ${clientBytes()} bytes, server wrote ${written})`));
        }, ms);
        waiters.add(check);
        check();
      }),
    stop: () => { socket?.destroy(); server.close(); },
  };
}

// ---- A client that drives a machine ---------------------------------------------------------

export interface MachineClient {
  /** Every data event from the server, in order. */
  chunks(): Uint8Array[];
  fromServer(): Uint8Array;
  write(bytes: Uint8Array): void;
  /** Resolves when `test` holds after a data event (or at once), rejects after `ms`. */
  until(test: () => boolean, ms: number, what: string): Promise<void>;
  stop(): void;
}

/**
 * Connect to 127.0.0.1:`port` and run `machine` over the socket: its output is written as soon
 * as it is queued, and every data event is fed to it.
 */
export async function connectMachine(port: number, machine: Machine): Promise<MachineClient> {
  const chunks: Uint8Array[] = [];
  const waiters = new Set<() => void>();
  const poke = (): void => { for (const w of [...waiters]) w(); };
  const socket = connect({ host: LOOPBACK, port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const flush = (): void => {
    const out = machine.takeOutput();
    if (out.length > 0) socket.write(out);
  };
  socket.on('data', (d) => {
    chunks.push(new Uint8Array(d));
    machine.receive(new Uint8Array(d));
    flush();
    poke();
  });
  socket.on('close', poke);
  flush();
  return {
    chunks: () => chunks.slice(),
    fromServer: () => concat(chunks),
    write: (bytes) => { socket.write(bytes); },
    until: (test, ms, what) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!test()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${what}: not seen in ${ms} ms (server sent ${chunks.reduce((n, c) => n + c.length, 0)} bytes)`));
        }, ms);
        waiters.add(check);
        check();
      }),
    stop: () => { socket.destroy(); },
  };
}

// ---- Real programs --------------------------------------------------------------------------

export interface Program {
  output(): string;
  /** Resolves with the exit code (null when killed) once the program has exited. */
  exited: Promise<number | null>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
}

/**
 * Run `cmd` with a deadline: it is killed after `deadlineMs` whatever it is doing (a client
 * whose server went away may wait for a long time).
 */
export function runProgram(cmd: string, args: string[], deadlineMs: number): Program {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => proc.kill('SIGKILL'), deadlineMs);
  void exited.then(() => clearTimeout(timer));
  return {
    output: () => out,
    exited,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** ffmpeg publishing one second of a generated test picture to `url` as FLV over RTMP. */
export function ffmpegPublish(url: string, deadlineMs: number): Program {
  return runProgram('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'debug', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-t', '1', '-f', 'flv', url], deadlineMs);
}

/** ffmpeg playing `url` (reading it as an input) into nothing. */
export function ffmpegPlay(url: string, deadlineMs: number): Program {
  return runProgram('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'debug', '-i', url, '-t', '1', '-f', 'null', '-'], deadlineMs);
}

/** rtmpdump playing `url` into /dev/null, with its debug log (-V). */
export function rtmpdumpPlay(url: string, deadlineMs: number): Program {
  return runProgram('rtmpdump', ['-V', '-r', url, '-o', '/dev/null'], deadlineMs);
}

// ---- One RTMP connect command ----------------------------------------------------------------

/**
 * The chunks of one `connect` command, transaction 1, with `app` and `tcUrl` (what nginx-rtmp
 * needs to pick the application), as a client sends it first after the handshake: chunk stream 3,
 * a type-0 header, and a type-3 header (0xc3) before every further 128 bytes. The live run's own
 * AMF0 and chunk writer (src/live/rtmp/wire.ts) make it.
 */
export function connectCommand(app: string, tcUrl: string): Uint8Array {
  return chunkMessage({ csid: 3, type: 20, streamId: 0, timestamp: 0, payload: encodeCommand('connect', 1, { app, tcUrl }) });
}

/** Does `bytes` contain `text` (an AMF0 string's characters) anywhere? */
export function hasText(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes).includes(Buffer.from(text, 'latin1'));
}

// ---- The "digest" handshake of Flash Player 9 and later (not in the spec) -------------------
// The keys and offsets are nginx-rtmp's ngx_rtmp_handshake.c (and ffmpeg's rtmpproto.c):
// a C1 digest is HMAC-SHA256 keyed with the first 30 bytes of the player key, over the packet
// without the 32 digest bytes, placed at (sum of bytes 8..11) mod 728 + 12; a server answer is
// keyed with the first 36 bytes of the server key.

const KEY_TAIL = Buffer.from('f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae', 'hex');
export const PLAYER_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001', 'latin1'), KEY_TAIL]);
export const SERVER_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001', 'latin1'), KEY_TAIL]);

function digestWithout(packet: Uint8Array, at: number, key: Uint8Array): Buffer {
  return createHmac('sha256', key).update(packet.subarray(0, at)).update(packet.subarray(at + 32)).digest();
}

/** Where a digest sits when its offset is computed from the four bytes at `base`. */
export function digestOffset(packet: Uint8Array, base: number): number {
  return ((packet[base]! + packet[base + 1]! + packet[base + 2]! + packet[base + 3]!) % 728) + base + 4;
}

/** Write a player digest into a 1536-byte C1 (the scheme at base 8), as ffmpeg does. Returns its offset. */
export function imprintPlayerDigest(c1: Uint8Array): number {
  const at = digestOffset(c1, 8);
  c1.set(digestWithout(c1, at, PLAYER_KEY.subarray(0, 30)), at);
  return at;
}

/** The offset of a valid server digest in a 1536-byte S1 (either scheme), or -1. */
export function findServerDigest(s1: Uint8Array): number {
  for (const base of [8, 772]) {
    const at = digestOffset(s1, base);
    if (Buffer.from(s1.subarray(at, at + 32)).equals(digestWithout(s1, at, SERVER_KEY.subarray(0, 36)))) return at;
  }
  return -1;
}

/** The signature a digest-handshake S2 ends with: HMAC(HMAC(full server key, C1's digest), S2 less its last 32 bytes). */
export function serverSignature(clientDigest: Uint8Array, s2: Uint8Array): Buffer {
  const key = createHmac('sha256', SERVER_KEY).update(clientDigest).digest();
  return createHmac('sha256', key).update(s2.subarray(0, 1536 - 32)).digest();
}

