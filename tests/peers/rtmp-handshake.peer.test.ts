/**
 * Peer proof for labs/rtmp/handshake, on 127.0.0.1:
 * - the reference client completes the handshake with nginx-rtmp (S2 echoes its C1) and nginx
 *   answers its connect command with _result; nginx's bytes are still those in captures.ts;
 * - what nginx-rtmp does with C1's bytes 4–7 (zeros: an echo; a version without a digest: an
 *   echo; a Flash Player digest: the digest handshake, whose S2 no echo check accepts), that it
 *   waits for all of C0 and C1 before writing, and that it never checks C2;
 * - a real ffmpeg (publishing, and playing) and a real rtmpdump (playing) complete the handshake
 *   with the reference server: their C2 is its S1, its S2 echoes their C1, and their connect
 *   command follows, which the server hands on as leftover;
 * - the orderings they use, seen by holding the server's S0+S1 or S2 back: both send C1 without
 *   waiting for S0; ffmpeg sends C2 only after S2, rtmpdump as soon as S1 is in;
 * - why the lab's S1 carries zeros in bytes 4–7: with a version there, ffmpeg as a player looks
 *   for a server digest and gives up.
 * The clients fail once the test closes the connection after their connect; that is expected,
 * and every program runs under a kill deadline.
 */
import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPeers } from './support/peer';
import { startRtmpServer } from './support/rtmp-capture';
import type { Nginx } from './support/nginx';
import {
  LOOPBACK,
  connectCommand,
  connectMachine,
  ffmpegPlay,
  ffmpegPublish,
  findServerDigest,
  hasText,
  imprintPlayerDigest,
  rtmpdumpPlay,
  serveMachine,
  serverSignature,
  type Machine,
} from './support/rtmp-peers';
import { FFMPEG_PUBLISH, NGINX_RTMP, captureRandom } from '../../labs/rtmp/handshake/captures';
import { checkEcho, createClient, createServer, decodePacket1, decodePacket2, type Handshake } from '../../labs/rtmp/handshake/reference';

const C0C1 = 1 + 1536;
const HANDSHAKE = 1 + 2 * 1536;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const fromHex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A clock that is never 0: ms since the test began, plus 1000. */
const clockFrom = (start: number) => () => 1000 + (Date.now() - start);
/** A program's first line of output for `args` (nginx -v and rtmpdump -h print to stderr). */
const version = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0]!.trim();
};

/**
 * The echo checks, done here with plain byte comparisons (not the reference's checkEcho): a C2
 * or S2 must carry the time and the random bytes of the C1 or S1 it answers.
 */
function echoes(answer: Uint8Array, original: Uint8Array): boolean {
  return sameBytes(answer.subarray(0, 4), original.subarray(0, 4)) && sameBytes(answer.subarray(8), original.subarray(8));
}

/** What the reference server saw of a real client and what it wrote back, cut into packets. */
function packetsOf(fromClient: Uint8Array, written: Uint8Array) {
  return {
    c0: fromClient[0],
    c1: fromClient.subarray(1, C0C1),
    c2: fromClient.subarray(C0C1, HANDSHAKE),
    after: fromClient.subarray(HANDSHAKE),
    s0: written[0],
    s1: written.subarray(1, C0C1),
    s2: written.subarray(C0C1, HANDSHAKE),
  };
}

/** The data events that brought C0 and C1 (the last may hold more). */
function beforeC1IsWhole<T extends { bytes: Uint8Array }>(chunks: T[]): T[] {
  const out: T[] = [];
  let n = 0;
  for (const c of chunks) {
    if (n >= C0C1) break;
    out.push(c);
    n += c.bytes.length;
  }
  return out;
}

/** How the client's bytes arrived: each data event's size and how much the server had written before it. */
const arrival = (chunks: { bytes: Uint8Array; serverBytesBefore: number }[]) => chunks.map((c) => `${c.bytes.length}@${c.serverBytesBefore}`).join(' ');

// ---- nginx-rtmp as the server -------------------------------------------------------------------

/** A plain socket to nginx that keeps what it received. */
async function rawSocket(port: number): Promise<{ socket: Socket; received: () => Uint8Array; until: (n: number, ms: number) => Promise<void> }> {
  const socket = connect({ host: LOOPBACK, port });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  socket.on('error', () => {});
  const parts: Buffer[] = [];
  socket.on('data', (d) => parts.push(d));
  const received = () => new Uint8Array(Buffer.concat(parts));
  const until = async (n: number, ms: number) => {
    const deadline = Date.now() + ms;
    while (received().length < n) {
      if (Date.now() > deadline) throw new Error(`only ${received().length} of ${n} bytes from nginx in ${ms} ms`);
      await sleep(10);
    }
  };
  return { socket, received, until };
}

function c1With(time: number, bytes4to7: number[], seed: number): Uint8Array {
  const c1 = new Uint8Array(1536);
  new DataView(c1.buffer).setUint32(0, time);
  c1.set(bytes4to7, 4);
  c1.set(captureRandom(seed), 8);
  return c1;
}

describeWithPeers('the RTMP handshake reference against nginx-rtmp', ['nginx'], () => {
  let nginx: Nginx;
  let port: number;
  beforeAll(async () => {
    ({ nginx, port } = await startRtmpServer());
  }, 30_000);
  afterAll(async () => { await nginx?.stop(); });

  it('the reference client completes the handshake (S2 echoes its C1) and nginx answers its connect with _result', { timeout: 30_000 }, async () => {
    const m = createClient({ random: captureRandom(NGINX_RTMP.randomSeed), clock: () => NGINX_RTMP.clock });
    // The C1 the client must send, laid out here: its clock, zeros, its random bytes.
    const c1 = c1With(NGINX_RTMP.clock, [0, 0, 0, 0], NGINX_RTMP.randomSeed);
    const client = await connectMachine(port, m);
    try {
      await client.until(() => m.state !== 'version-sent' && m.state !== 'ack-sent', 10_000, 'the end of the handshake');
      expect(m.error, 'the client accepted S2').toBeNull();
      expect(m.state).toBe('handshake-done');
      const got = client.fromServer();
      expect(got[0], 'S0').toBe(3);
      // The client's own check passed; check it again by hand, and see what nginx did.
      expect(echoes(got.subarray(C0C1, HANDSHAKE), c1), 'S2 echoes C1').toBe(true);
      expect(sameBytes(got.subarray(1, C0C1), c1), "nginx's S1 is the client's C1, sent back").toBe(true);
      expect(sameBytes(got.subarray(C0C1, HANDSHAKE), c1), "nginx's S2 is the client's C1 too").toBe(true);

      client.write(connectCommand('live', `rtmp://${LOOPBACK}:${port}/live`));
      await client.until(() => hasText(client.fromServer().subarray(HANDSHAKE), 'NetConnection.Connect.Success'), 10_000, "nginx's _result");
      const answer = client.fromServer().subarray(HANDSHAKE);
      expect(hasText(answer, '_result')).toBe(true);
      expect(hex(m.leftover()), 'the client handed on everything after S2').toBe(hex(answer));
      // captures.ts holds the same run: nginx's bytes have not changed.
      const captured = fromHex(NGINX_RTMP.fromServer.join(''));
      expect(hex(client.fromServer()), 'nginx sends what captures.ts says it does').toBe(hex(captured));
      console.log(`nginx-rtmp: S0+S1+S2 and its connect answer in ${client.chunks().length} data events (${client.chunks().map((c) => c.length).join(', ')} bytes); ${version('nginx', ['-v'])}`);
    } finally {
      client.stop();
    }
  });

  it('nginx-rtmp writes nothing until all of C0 and C1 are in, and never checks C2', { timeout: 30_000 }, async () => {
    const s = await rawSocket(port);
    try {
      const c1 = c1With(12345, [0, 0, 0, 0], 51);
      s.socket.write(Uint8Array.of(3));
      s.socket.write(c1.subarray(0, 1000));
      // Nothing may come back while C1 is incomplete. (Under load this can only fail to see an
      // early write, never invent one.)
      await sleep(500);
      expect(s.received().length, 'bytes from nginx before C1 was whole').toBe(0);
      s.socket.write(c1.subarray(1000));
      await s.until(HANDSHAKE, 10_000);
      // A C2 of zeros, which echoes nothing, then connect: nginx does not look at C2.
      s.socket.write(new Uint8Array(1536));
      s.socket.write(connectCommand('live', `rtmp://${LOOPBACK}:${port}/live`));
      const deadline = Date.now() + 10_000;
      while (!hasText(s.received().subarray(HANDSHAKE), 'NetConnection.Connect.Success')) {
        if (Date.now() > deadline) throw new Error('no _result after a C2 of zeros');
        await sleep(10);
      }
    } finally {
      s.socket.destroy();
    }
  });

  it("nginx-rtmp answers by C1's bytes 4–7: zeros or a version without a digest get an echo, a Flash Player digest gets the digest handshake", { timeout: 30_000 }, async () => {
    const answer = async (c1: Uint8Array) => {
      const s = await rawSocket(port);
      try {
        s.socket.write(Buffer.concat([Uint8Array.of(3), c1]));
        await s.until(HANDSHAKE, 10_000);
        const got = s.received();
        return { s0: got[0], s1: got.subarray(1, C0C1), s2: got.subarray(C0C1, HANDSHAKE) };
      } finally {
        s.socket.destroy();
      }
    };

    const zeros = c1With(4242, [0, 0, 0, 0], 52);
    const plain = await answer(zeros);
    expect(sameBytes(plain.s1, zeros) && sameBytes(plain.s2, zeros), 'zeros: S1 and S2 are C1 sent back').toBe(true);

    // ffmpeg's version, but random bytes where its digest would be.
    const noDigest = c1With(4242, [9, 0, 124, 2], 53);
    const fallback = await answer(noDigest);
    expect(sameBytes(fallback.s1, noDigest) && sameBytes(fallback.s2, noDigest), 'a version without a digest: an echo all the same').toBe(true);
    expect(await nginx.errorLog()).toContain('handshake: digest not found');

    const digested = c1With(4242, [9, 0, 124, 2], 54);
    const at = imprintPlayerDigest(digested);
    const digest = await answer(digested);
    expect(digest.s0).toBe(3);
    expect(hex(digest.s1.subarray(4, 8)), "nginx's version in S1: 13.14.10.13").toBe('0d0e0a0d');
    expect(findServerDigest(digest.s1), 'S1 carries a server digest').toBeGreaterThanOrEqual(0);
    expect(hex(digest.s2.subarray(1504)), "S2's last 32 bytes sign it").toBe(hex(serverSignature(digested.subarray(at, at + 32), digest.s2)));
    expect(echoes(digest.s2, digested), 'a digest S2 is not an echo').toBe(false);
    // ... so the reference's echo check, and the lab's client, refuse it.
    let code: string | undefined;
    try {
      checkEcho(decodePacket1(digested), decodePacket2(digest.s2));
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    expect(code).toBe('echo-mismatch');
  });
});

// ---- Real clients against the reference server ---------------------------------------------------

/** The server is done and has handed on the start of the client's first chunk. */
const connected = (srv: { machine(): Machine | undefined }) => () => {
  const m = srv.machine();
  return m !== undefined && (m.state === 'failed' || (m.state === 'handshake-done' && m.leftover().length >= 32));
};

/** What every real client must have done with the reference server, checked byte by byte. */
function expectCompleted(srv: { machine(): Machine | undefined; fromClient(): Uint8Array; written(): Uint8Array }, who: string) {
  const m = srv.machine()!;
  expect(m.error, `${who}: the server accepted C2`).toBeNull();
  expect(m.state).toBe('handshake-done');
  const p = packetsOf(srv.fromClient(), srv.written());
  expect([p.c0, p.s0]).toEqual([3, 3]);
  expect(echoes(p.c2, p.s1), `${who}: C2 echoes S1`).toBe(true);
  expect(echoes(p.s2, p.c1), `${who}: S2 echoes C1`).toBe(true);
  expect(p.after[0], `${who}: the first chunk after the handshake: basic header 0x03 (chunk stream 3, type 0)`).toBe(0x03);
  expect(hasText(p.after, 'connect'), `${who}: it is the connect command`).toBe(true);
  expect(hex(m.leftover()), `${who}: the server handed on everything after C2`).toBe(hex(p.after));
  return p;
}

describeWithPeers('real ffmpeg against the RTMP handshake reference server', ['ffmpeg'], () => {
  it('ffmpeg publishing completes the handshake: its C2 is S1, S2 echoes its C1, and its connect follows', { timeout: 40_000 }, async () => {
    // The options of captures.ts, so ffmpeg's bytes can be compared with it.
    let server: Handshake | undefined;
    const srv = await serveMachine(() => (server = createServer({ random: captureRandom(FFMPEG_PUBLISH.randomSeed), clock: () => FFMPEG_PUBLISH.clock })));
    const ffmpeg = ffmpegPublish(`rtmp://${LOOPBACK}:${srv.port}/live/s`, 30_000);
    try {
      await srv.until(connected(srv), 30_000, 'ffmpeg: the handshake and its connect');
      const p = expectCompleted(srv, 'ffmpeg');
      expect(sameBytes(p.c2, p.s1), "ffmpeg's C2 is S1 byte for byte").toBe(true);
      expect(hex(p.c1.subarray(0, 8)), 'ffmpeg: time 0, then Flash version 9.0.124.2 where the spec has zeros').toBe('0000000009007c02');
      expect(server?.peer?.zero, "the server's peer.zero").toBe(0x09007c02);
      // ffmpeg's C1 comes from a fixed-seed generator: the same bytes as in captures.ts.
      const captured = fromHex(FFMPEG_PUBLISH.fromClient.join(''));
      expect(hex(srv.fromClient().subarray(0, HANDSHAKE)), 'ffmpeg sends the C0, C1 and C2 of captures.ts').toBe(hex(captured.subarray(0, HANDSHAKE)));
      console.log(`ffmpeg publishing: data events (size@server bytes written before) ${arrival(srv.chunks())}; ${version('ffmpeg', ['-version'])}`);
    } finally {
      srv.stop();
      await ffmpeg.kill();
    }
  });

  it('ffmpeg sends C1 without waiting for S0, and C2 only once S2 is in', { timeout: 40_000 }, async () => {
    // Nothing is written until C0 and C1 are both in; then S0+S1, and S2 only on release.
    const srv = await serveMachine(() => createServer({ random: captureRandom(61), clock: clockFrom(Date.now()) }), (n) => (n < C0C1 ? 0 : C0C1));
    const ffmpeg = ffmpegPublish(`rtmp://${LOOPBACK}:${srv.port}/live/s`, 30_000);
    try {
      await srv.until(() => srv.fromClient().length >= C0C1, 30_000, 'ffmpeg: C0 and C1 with nothing from the server');
      expect(beforeC1IsWhole(srv.chunks()).every((c) => c.serverBytesBefore === 0), 'C0 and C1 arrived with nothing written to ffmpeg').toBe(true);
      await srv.until(() => srv.written().length === C0C1, 5_000, 'the server: S0 and S1');
      // Held back for a second, S2 keeps C2 back. (Load can only hide an early C2, not make one.)
      await sleep(1000);
      expect(srv.fromClient().length, 'bytes from ffmpeg before S2').toBe(C0C1);
      srv.release();
      await srv.until(connected(srv), 20_000, 'ffmpeg: C2 and its connect after S2');
      expectCompleted(srv, 'ffmpeg');
      const c2Chunk = srv.chunks().find((_, i, all) => all.slice(0, i + 1).reduce((n, c) => n + c.bytes.length, 0) > C0C1)!;
      expect(c2Chunk.serverBytesBefore, 'C2 arrived after all of S2 was written').toBe(HANDSHAKE);
      console.log(`ffmpeg publishing, S0+S1 held until C1, S2 held 1 s: ${arrival(srv.chunks())}`);
    } finally {
      srv.stop();
      await ffmpeg.kill();
    }
  });

  it('ffmpeg playing completes the handshake too, because S1 has zeros in bytes 4–7; with a version there it wants a digest and gives up', { timeout: 40_000 }, async () => {
    const srv = await serveMachine(() => createServer({ random: captureRandom(62), clock: clockFrom(Date.now()) }));
    const player = ffmpegPlay(`rtmp://${LOOPBACK}:${srv.port}/live/s`, 30_000);
    try {
      await srv.until(connected(srv), 30_000, 'ffmpeg playing: the handshake and its connect');
      expectCompleted(srv, 'ffmpeg playing');
    } finally {
      srv.stop();
      await player.kill();
    }

    // The same server, but S1 claims to be Flash Media Server 3.5.1.1 in bytes 4–7.
    const fms = (): Machine => {
      const m = createServer({ random: captureRandom(63), clock: clockFrom(Date.now()) });
      let first = true;
      return {
        get state() { return m.state; },
        get error() { return m.error; },
        receive: (b) => m.receive(b),
        leftover: () => m.leftover(),
        takeOutput: () => {
          const out = m.takeOutput();
          if (first && out.length >= 9) {
            first = false;
            out.set([3, 5, 1, 1], 5);
          }
          return out;
        },
      };
    };
    const srv2 = await serveMachine(fms);
    const player2 = ffmpegPlay(`rtmp://${LOOPBACK}:${srv2.port}/live/s`, 30_000);
    try {
      await player2.exited;
      expect(player2.output()).toContain('Server response validating failed');
      expect(srv2.fromClient().length, 'ffmpeg sent no C2').toBe(C0C1);
    } finally {
      srv2.stop();
      await player2.kill();
    }
  });
});

describeWithPeers('real rtmpdump against the RTMP handshake reference server', ['rtmpdump'], () => {
  it('rtmpdump playing completes the handshake: its C2 is S1, S2 echoes its C1, and its connect follows', { timeout: 40_000 }, async () => {
    const srv = await serveMachine(() => createServer({ random: captureRandom(71), clock: clockFrom(Date.now()) }));
    const rtmpdump = rtmpdumpPlay(`rtmp://${LOOPBACK}:${srv.port}/live/s`, 30_000);
    try {
      await srv.until(connected(srv), 30_000, 'rtmpdump: the handshake and its connect');
      const p = expectCompleted(srv, 'rtmpdump');
      expect(sameBytes(p.c2, p.s1), "rtmpdump's C2 is S1 byte for byte").toBe(true);
      expect(hex(p.c1.subarray(4, 8)), 'rtmpdump: zeros in bytes 4–7').toBe('00000000');
      // S2's time2 is the server's clock (never 0 here), not C1's zero field: rtmpdump compares
      // all 1536 bytes of S2 with its C1, warns, and carries on to connect.
      expect(hex(p.s2.subarray(4, 8))).not.toBe(hex(p.c1.subarray(4, 8)));
      // The warning is printed before rtmpdump's "Handshaking finished" line.
      const deadline = Date.now() + 10_000;
      while (!rtmpdump.output().includes('Handshaking finished') && Date.now() < deadline) await sleep(20);
      expect(rtmpdump.output()).toContain('HandShake: Handshaking finished');
      expect(rtmpdump.output()).toContain('HandShake: client signature does not match!');
      console.log(`rtmpdump playing: data events (size@server bytes written before) ${arrival(srv.chunks())}; ${version('rtmpdump', ['-h'])}`);
    } finally {
      srv.stop();
      await rtmpdump.kill();
    }
  });

  it('rtmpdump sends C1 without waiting for S0, and C2 as soon as S1 is in, before S2; its connect waits for S2', { timeout: 40_000 }, async () => {
    // Nothing until C0 and C1 are in; then S0+S1; S2 only once C2 is in (a client that waited
    // for S2 would never get it, and the test would fail on its deadline).
    const srv = await serveMachine(() => createServer({ random: captureRandom(72), clock: clockFrom(Date.now()) }), (n) => (n < C0C1 ? 0 : n < HANDSHAKE ? C0C1 : Infinity));
    const rtmpdump = rtmpdumpPlay(`rtmp://${LOOPBACK}:${srv.port}/live/s`, 30_000);
    try {
      await srv.until(() => srv.fromClient().length >= HANDSHAKE, 30_000, 'rtmpdump: C2 with S2 held back');
      expect(beforeC1IsWhole(srv.chunks()).every((c) => c.serverBytesBefore === 0), 'C0 and C1 arrived with nothing written to rtmpdump').toBe(true);
      const c2Chunk = srv.chunks().find((_, i, all) => all.slice(0, i + 1).reduce((n, c) => n + c.bytes.length, 0) >= HANDSHAKE)!;
      expect(c2Chunk.serverBytesBefore, 'when C2 was whole, the server had written S0 and S1 only').toBe(C0C1);
      await srv.until(connected(srv), 20_000, 'rtmpdump: its connect after S2');
      expectCompleted(srv, 'rtmpdump');
      const firstAfter = srv.chunks().find((_, i, all) => all.slice(0, i + 1).reduce((n, c) => n + c.bytes.length, 0) > HANDSHAKE)!;
      expect(firstAfter.serverBytesBefore, 'the connect command came after S2 was written').toBe(HANDSHAKE);
      console.log(`rtmpdump playing, S0+S1 held until C1, S2 held until C2: ${arrival(srv.chunks())}`);
    } finally {
      srv.stop();
      await rtmpdump.kill();
    }
  });
});

describe('the RTMP handshake peer proof', () => {
  it('builds the connect command it sends to nginx as RTMP chunks: one type-0 header, AMF0 "connect", transaction 1, { app, tcUrl }', () => {
    const bytes = connectCommand('live', 'rtmp://127.0.0.1:1935/live');
    // 0x03: fmt 0, chunk stream 3; timestamp 0; length; type 20 (AMF0 command); stream 0.
    expect(hex(bytes.subarray(0, 12))).toBe(`03000000${(bytes.length - 12).toString(16).padStart(6, '0')}1400000000`);
    expect(hex(bytes.subarray(12, 31))).toBe('020007' + Buffer.from('connect').toString('hex') + '003ff0000000000000');
    expect(hex(bytes.subarray(bytes.length - 3))).toBe('000009');
  });
});
