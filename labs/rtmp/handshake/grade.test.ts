import { expect, it } from 'vitest';
import { task, graded, forAll, fc, outcome, hex, fromHex, withCopiedInputs, VirtualClock } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { FFMPEG_PUBLISH, NGINX_RTMP, RTMPDUMP_PLAY, captureRandom } from './captures';
import { PACKET_SIZE, RANDOM_SIZE, type Handshake, type Packet1, type Packet2, type Role } from './types';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);
type Api = Pick<typeof reference, 'createClient' | 'createServer'>;

// ---- Bytes ------------------------------------------------------------------------------------

function cat(...parts: (Uint8Array | string)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? fromHex(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** A 32-bit number as four bytes, big-endian, worked out here and not by either implementation. */
const u32 = (n: number): Uint8Array => Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const readU32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
/** C1/S1 or C2/S2 laid out by hand: two big-endian numbers and 1528 bytes. */
const packet = (first: number, second: number, rest: Uint8Array): Uint8Array => cat(u32(first), u32(second), rest);
const flipped = (b: Uint8Array, at: number, mask = 0x01): Uint8Array => {
  const c = b.slice();
  c[at]! ^= mask;
  return c;
};
const events = (hexes: string[]): Uint8Array[] => hexes.map((h) => fromHex(h));
const ffmpegStream = cat(...events(FFMPEG_PUBLISH.fromClient));
const rtmpdumpStream = cat(...events(RTMPDUMP_PLAY.fromClient));
const nginxStream = cat(...events(NGINX_RTMP.fromServer));

// ---- Comparing ----------------------------------------------------------------------------------

/** A few bytes from `at`, for a message. */
const around = (b: Uint8Array, at: number): string => (at >= b.length ? '(end)' : hex(b.subarray(at, at + 12)) + (at + 12 < b.length ? ' …' : ''));

/**
 * Where `got` first differs from `wanted`, in words ("output: 3073 bytes, want 3073; from byte
 * 1541: ..."), or null. Bytes are compared as bytes and only the bytes around the first
 * difference are printed: a diff of two long hex strings would take longer than the test.
 */
function difference(got: unknown, wanted: unknown, path = ''): string | null {
  const at = path || 'the value';
  if (got instanceof Uint8Array && wanted instanceof Uint8Array) {
    let i = 0;
    while (i < got.length && i < wanted.length && got[i] === wanted[i]) i++;
    if (i === got.length && i === wanted.length) return null;
    return `${at}: ${got.length} bytes, want ${wanted.length}; from byte ${i}: got ${around(got, i)}, want ${around(wanted, i)}`;
  }
  if (typeof got === 'object' && got !== null && typeof wanted === 'object' && wanted !== null && !(got instanceof Uint8Array) && !(wanted instanceof Uint8Array)) {
    const g = got as Record<string, unknown>;
    const w = wanted as Record<string, unknown>;
    for (const k of new Set([...Object.keys(w), ...Object.keys(g)])) {
      const d = difference(g[k], w[k], Array.isArray(wanted) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  if (Object.is(got, wanted)) return null;
  const show = (v: unknown) => (v instanceof Uint8Array ? `${v.length} bytes` : v === undefined ? 'nothing' : JSON.stringify(v));
  return `${at}: got ${show(got)}, want ${show(wanted)}`;
}

/** `got` equals `wanted`, bytes and all; a failure names the first difference. */
function same(got: unknown, wanted: unknown, label = ''): void {
  const d = difference(got, wanted);
  if (d !== null) throw new Error(label ? `${label}: ${d}` : d);
}

// ---- Outcomes ---------------------------------------------------------------------------------

const typed = (code: string) => ({ ok: false, error: 'HandshakeError', code });
const bytesOf = (fn: () => Uint8Array) => {
  const r = outcome(fn);
  return r.ok ? { ok: true, bytes: r.value } : r;
};
const want = (bytes: Uint8Array) => ({ ok: true, bytes });
const copyOf = (b: Uint8Array): Uint8Array => (b instanceof Uint8Array ? b.slice() : b);
const packet1Of = (fn: () => Packet1) => {
  const r = outcome(fn);
  return r.ok ? { ok: true, time: r.value.time, zero: r.value.zero, random: copyOf(r.value.random) } : r;
};
const packet2Of = (fn: () => Packet2) => {
  const r = outcome(fn);
  return r.ok ? { ok: true, time: r.value.time, time2: r.value.time2, echo: copyOf(r.value.echo) } : r;
};
const peerOf = (m: Handshake) => (m.peer ? { time: m.peer.time, zero: m.peer.zero, random: copyOf(m.peer.random) } : null);
const errorOf = (m: Handshake) => (m.error ? `${m.error.name}: ${m.error.code}` : null);
const failedWith = (code: string) => `HandshakeError: ${code}`;

// ---- Driving a machine --------------------------------------------------------------------------

/** A machine on a virtual clock (the clock the options hand it reads `clock.now()`). */
function make(api: Api, role: Role, random: Uint8Array, clock: VirtualClock): Handshake {
  const options = { random, clock: () => clock.now() };
  return role === 'client' ? api.createClient(options) : api.createServer(options);
}

interface Step { state: string; error: string | null; output: Uint8Array; threw?: string }

/** What a machine shows after a call: its state, its error, and the output it queued. */
function look(m: Handshake, threw?: string): Step {
  const step: Step = { state: m.state, error: errorOf(m), output: m.takeOutput() };
  if (threw !== undefined) step.threw = threw;
  return step;
}
const step = (state: string, output: Uint8Array = new Uint8Array(0), error: string | null = null): Step => ({ state, error, output });

interface Played { made: string | null; steps: Step[]; peer: ReturnType<typeof peerOf>; leftover: Uint8Array }

/**
 * Create a machine, feed it `chunks` (each a fresh copy), advancing the clock by `tick` before
 * each one, and record every step.
 */
function play(api: Api, role: Role, random: Uint8Array, chunks: Uint8Array[], clockStart = 0x1000, tick = 0): Played {
  const clock = new VirtualClock(clockStart);
  const made = outcome(() => make(api, role, random, clock));
  if (!made.ok) return { made: made.error, steps: [], peer: null, leftover: new Uint8Array(0) };
  const m = made.value;
  const steps = [look(m)];
  for (const c of chunks) {
    clock.advance(tick);
    const r = outcome(() => m.receive(c.slice()));
    steps.push(look(m, r.ok ? undefined : r.error));
  }
  return { made: null, steps, peer: peerOf(m), leftover: m.leftover() };
}

/** Where a run ends, whatever the split: all it wrote, its last state and error, the peer, the leftover. */
function ending(p: Played) {
  const last = p.steps[p.steps.length - 1];
  return {
    made: p.made,
    output: cat(...p.steps.map((s) => s.output)),
    state: last?.state ?? null,
    error: last?.error ?? null,
    threw: p.steps.find((s) => s.threw !== undefined)?.threw ?? null,
    peer: p.peer,
    leftover: p.leftover,
  };
}

/** `stream` cut at the sorted `cuts` (repeated cuts give empty pieces). */
function cutAt(stream: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = cuts.map((c) => Math.min(c, stream.length)).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(stream.subarray(from, p));
    from = p;
  }
  out.push(stream.subarray(from));
  return out;
}

// ---- Generated inputs (fixed seed) ------------------------------------------------------------

/** The value type of a generated input. */
type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

/** `n` bytes from a seed (xorshift32): a generated input that shrinks to a small seed, not to 1528 numbers. */
function noise(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x >>> 24;
  }
  return out;
}

const u32Arb = fc.integer({ min: 0, max: 0xffffffff });
/** Random bytes are generated as a seed, so a failing input prints as a number, not 1528 of them. */
const seedArb = u32Arb;
const randomOf = (seed: number): Uint8Array => noise(seed, RANDOM_SIZE);
const versionArb = fc.oneof({ weight: 6, arbitrary: fc.constant(3) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) });
const zeroArb = fc.oneof(fc.constant(0), fc.constant(0x09007c02), u32Arb);
const echoArb = fc.constantFrom('echo', 'echo', 'echo', 'time', 'byte');
const cutsArb = fc.array(fc.integer({ min: 0, max: 3200 }), { maxLength: 6 });
const tailArb = fc.record({ seed: seedArb, length: fc.integer({ min: 0, max: 40 }) });

/** The chunk (0-based) that holds stream offset 0: the first that is not empty. */
const firstByteChunk = (chunks: Uint8Array[]): number => chunks.findIndex((c) => c.length > 0);

/** The peer's C2/S2 for `sent`: a true echo, or one with the time or one random byte wrong. */
function echoOf(kind: string, time: number, time2: number, random: Uint8Array, at: number): Uint8Array {
  if (kind === 'time') return packet((time + 1) >>> 0, time2, random);
  if (kind === 'byte') return packet(time, time2, flipped(random, at));
  return packet(time, time2, random);
}

/** A generated server for the client: S0, S1, an S2 that may not echo, bytes after it, cuts, a clock. */
const serverSideArb = fc.record({
  s0: versionArb, time: u32Arb, zero: zeroArb, s1Seed: seedArb, s2: echoArb, time2: u32Arb, at: fc.integer({ min: 0, max: RANDOM_SIZE - 1 }),
  tail: tailArb, cuts: cutsArb, clockStart: u32Arb, tick: fc.integer({ min: 0, max: 100 }), seed: seedArb,
});

function serverStream(g: Generated<typeof serverSideArb>): Uint8Array {
  // The client's C1 carries its clock at creation, before any chunk is fed.
  return cat(Uint8Array.of(g.s0), packet(g.time, g.zero, randomOf(g.s1Seed)), echoOf(g.s2, g.clockStart, g.time2, randomOf(g.seed), g.at), noise(g.tail.seed, g.tail.length));
}

/** A generated client for the server: C0, C1, a C2 that may not echo, bytes after it, cuts, a clock. */
const clientSideArb = fc.record({
  c0: versionArb, time: u32Arb, zero: zeroArb, c1Seed: seedArb, c2: echoArb, time2: u32Arb, at: fc.integer({ min: 0, max: RANDOM_SIZE - 1 }),
  tail: tailArb, cuts: cutsArb, clockStart: u32Arb, tick: fc.integer({ min: 0, max: 100 }), seed: seedArb,
});

function clientChunks(g: Generated<typeof clientSideArb>): Uint8Array[] {
  const length = 1 + 2 * PACKET_SIZE + g.tail.length;
  const shape = cutAt(new Uint8Array(length), g.cuts);
  // S1's time is the server's clock when C0 arrives: the clock has moved once per chunk so far.
  const s1Time = (g.clockStart + (firstByteChunk(shape) + 1) * g.tick) >>> 0;
  const stream = cat(Uint8Array.of(g.c0), packet(g.time, g.zero, randomOf(g.c1Seed)), echoOf(g.c2, s1Time, g.time2, randomOf(g.seed), g.at), noise(g.tail.seed, g.tail.length));
  return cutAt(stream, g.cuts);
}

// =============================================================================================

const R = captureRandom(21);
const ok = { ok: true, value: undefined };

task('packets', () => {
  it('C0/S0: 3 is the version; 0–2 are deprecated, 4–31 reserved (6 is RTMPE, 0x16 starts TLS)', () => {
    expect(outcome(() => learner.decodeVersion(Uint8Array.of(3)))).toEqual({ ok: true, value: 3 });
    for (const v of [0, 1, 2, 4, 6, 8, 0x16, 31]) {
      expect({ v, ...outcome(() => learner.decodeVersion(Uint8Array.of(v))) }).toEqual({ v, ...typed('version-mismatch') });
    }
    for (const b of [new Uint8Array(0), Uint8Array.of(3, 3)]) {
      expect({ length: b.length, ...outcome(() => learner.decodeVersion(b)) }).toEqual({ length: b.length, ...typed('bad-length') });
    }
  });

  it('a first byte of 32 or more is not RTMP at all: a space, the "G" of GET, 0x7f, 0xff', () => {
    for (const v of [32, 0x47, 0x7f, 0xff]) {
      expect({ v, ...outcome(() => learner.decodeVersion(Uint8Array.of(v))) }).toEqual({ v, ...typed('not-rtmp') });
    }
  });

  it('C1/S1: the time and the zero field big-endian, then the random bytes', () => {
    same(bytesOf(() => learner.encodePacket1({ time: 0x01020304, zero: 0, random: R })), want(cat('01020304 00000000', R)));
    same(bytesOf(() => learner.encodePacket1({ time: 0xfffffffe, zero: 0x09007c02, random: R })), want(cat('fffffffe 09007c02', R)));
  });

  it("decodes ffmpeg's real C1 (Flash version 9.0.124.2 where the spec has zeros) and rtmpdump's (its uptime, then zeros)", () => {
    const ff = ffmpegStream.subarray(1, 1 + PACKET_SIZE);
    same(packet1Of(() => learner.decodePacket1(ff)), { ok: true, time: 0, zero: 0x09007c02, random: ff.subarray(8) }, 'ffmpeg');
    const rd = rtmpdumpStream.subarray(1, 1 + PACKET_SIZE);
    same(packet1Of(() => learner.decodePacket1(rd)), { ok: true, time: readU32(rd, 0), zero: 0, random: rd.subarray(8) }, 'rtmpdump');
  });

  it("C2/S2: ffmpeg's real C2 echoes the S1 it was sent, and an S2 is laid out the same way", () => {
    const c2 = ffmpegStream.subarray(1 + PACKET_SIZE, 1 + 2 * PACKET_SIZE);
    same(packet2Of(() => learner.decodePacket2(c2)), { ok: true, time: FFMPEG_PUBLISH.clock, time2: 0, echo: captureRandom(FFMPEG_PUBLISH.randomSeed) });
    same(bytesOf(() => learner.encodePacket2({ time: 0x5000, time2: 0x00abcdef, echo: R })), want(cat('00005000 00abcdef', R)));
  });

  graded('encodes and decodes generated packets as the reference does', 2, () => {
    forAll(fc.record({ time: u32Arb, zero: u32Arb, seed: seedArb }), ({ time, zero, seed }) => {
      const p = { time, zero, random: randomOf(seed) };
      same(bytesOf(() => learner.encodePacket1(p)), bytesOf(() => reference.encodePacket1(p)), 'encodePacket1');
      const bytes = reference.encodePacket1(p);
      same(packet1Of(() => learner.decodePacket1(bytes)), packet1Of(() => reference.decodePacket1(bytes)), 'decodePacket1');
      const p2 = { time: p.zero, time2: p.time, echo: p.random };
      same(bytesOf(() => learner.encodePacket2(p2)), bytesOf(() => reference.encodePacket2(p2)), 'encodePacket2');
      same(packet2Of(() => learner.decodePacket2(bytes)), packet2Of(() => reference.decodePacket2(bytes)), 'decodePacket2');
    }, 60);
  });

  it('refuses fields it cannot write and packets that are not 1536 bytes', () => {
    for (const t of [-1, 0x100000000, 1.5, Number.NaN]) {
      expect({ t, ...outcome(() => learner.encodePacket1({ time: t, zero: 0, random: R })) }).toEqual({ t, ...typed('bad-field') });
      expect({ t, ...outcome(() => learner.encodePacket1({ time: 0, zero: t, random: R })) }).toEqual({ t, ...typed('bad-field') });
      expect({ t, ...outcome(() => learner.encodePacket2({ time: 0, time2: t, echo: R })) }).toEqual({ t, ...typed('bad-field') });
    }
    for (const n of [0, RANDOM_SIZE - 1, RANDOM_SIZE + 1]) {
      expect({ n, ...outcome(() => learner.encodePacket1({ time: 0, zero: 0, random: new Uint8Array(n) })) }).toEqual({ n, ...typed('bad-field') });
      expect({ n, ...outcome(() => learner.encodePacket2({ time: 0, time2: 0, echo: new Uint8Array(n) })) }).toEqual({ n, ...typed('bad-field') });
    }
    for (const n of [0, PACKET_SIZE - 1, PACKET_SIZE + 1]) {
      expect({ n, ...outcome(() => learner.decodePacket1(new Uint8Array(n))) }).toEqual({ n, ...typed('bad-length') });
      expect({ n, ...outcome(() => learner.decodePacket2(new Uint8Array(n))) }).toEqual({ n, ...typed('bad-length') });
    }
  });

  it("an echo matches on the time and the random bytes, whatever time2 holds: ffmpeg's C2, nginx's S2", () => {
    const c2 = ffmpegStream.subarray(1 + PACKET_SIZE, 1 + 2 * PACKET_SIZE);
    const s1: Packet1 = { time: FFMPEG_PUBLISH.clock, zero: 0, random: captureRandom(FFMPEG_PUBLISH.randomSeed) };
    const fromFfmpeg: Packet2 = { time: readU32(c2, 0), time2: readU32(c2, 4), echo: c2.slice(8) };
    expect(outcome(() => learner.checkEcho(s1, fromFfmpeg))).toEqual(ok);
    expect(outcome(() => learner.checkEcho(s1, { ...fromFfmpeg, time2: 0x12345678 }))).toEqual(ok);
    const s2 = nginxStream.subarray(1 + PACKET_SIZE, 1 + 2 * PACKET_SIZE);
    const c1: Packet1 = { time: NGINX_RTMP.clock, zero: 0, random: captureRandom(NGINX_RTMP.randomSeed) };
    expect(outcome(() => learner.checkEcho(c1, { time: readU32(s2, 0), time2: 0xffffffff, echo: s2.slice(8) }))).toEqual(ok);
  });

  it('an echo with another time, or any one random byte changed, does not match', () => {
    const sent: Packet1 = { time: 0x01020304, zero: 0, random: R };
    const cases: [string, Packet2][] = [
      ['time + 1', { time: 0x01020305, time2: 0, echo: R }],
      ['time of zero', { time: 0, time2: 0x01020304, echo: R }],
      ['first echo byte', { time: 0x01020304, time2: 0, echo: flipped(R, 0) }],
      ['last echo byte', { time: 0x01020304, time2: 0, echo: flipped(R, RANDOM_SIZE - 1, 0x80) }],
      ['echo one byte short', { time: 0x01020304, time2: 0, echo: R.slice(0, RANDOM_SIZE - 1) }],
    ];
    for (const [name, got] of cases) expect({ name, ...outcome(() => learner.checkEcho(sent, got)) }).toEqual({ name, ...typed('echo-mismatch') });
  });
});

// =============================================================================================

const CLIENT_RANDOM = captureRandom(31);
const SERVER_RANDOM = captureRandom(41);
const nothing = new Uint8Array(0);

task('client', () => {
  it('queues C0 and C1 at once: version 3, its clock, four zero bytes, its random bytes', () => {
    const m = make(learner, 'client', CLIENT_RANDOM, new VirtualClock(0x00c0ffee));
    same({ state: m.state, error: errorOf(m), peer: m.peer }, { state: 'version-sent', error: null, peer: null });
    same(m.takeOutput(), cat('03', u32(0x00c0ffee), '00000000', CLIENT_RANDOM), 'C0 and C1');
    same(m.takeOutput(), nothing, 'a second takeOutput()');
  });

  graded('answers S1 as soon as it is whole: C2 has its time, the clock when it was read, its random bytes', 2, () => {
    const clock = new VirtualClock(1000);
    const m = make(learner, 'client', CLIENT_RANDOM, clock);
    m.takeOutput();
    // nginx-rtmp's version, as it sends it in a digest handshake: any value in bytes 4–7 is accepted.
    const s1 = packet(0x11223344, 0x0d0e0a0d, SERVER_RANDOM);
    clock.advance(250);
    m.receive(Uint8Array.of(3));
    same(look(m), step('version-sent'), 'after S0');
    clock.advance(250);
    m.receive(s1.subarray(0, 700));
    same(look(m), step('version-sent'), 'after 700 bytes of S1');
    clock.advance(250);
    m.receive(s1.subarray(700));
    same(look(m), step('ack-sent', packet(0x11223344, 1750, SERVER_RANDOM)), 'after all of S1');
    same(peerOf(m), { time: 0x11223344, zero: 0x0d0e0a0d, random: SERVER_RANDOM }, 'peer');
  });

  it("is done when S2 echoes C1, whatever S2's time2 (the server's clock) holds", () => {
    const m = make(learner, 'client', CLIENT_RANDOM, new VirtualClock(1000));
    m.takeOutput();
    m.receive(cat('03', packet(7, 0, SERVER_RANDOM)));
    m.takeOutput();
    m.receive(packet(1000, 0xdeadbeef, CLIENT_RANDOM));
    same(look(m), step('handshake-done'));
    same(m.leftover(), nothing, 'leftover');
  });

  it("fails when S2 does not echo C1: another time, one random byte changed, or the server's own S1", () => {
    const cases = [
      ['time', packet(1001, 0, CLIENT_RANDOM)],
      ['random', packet(1000, 0, flipped(CLIENT_RANDOM, 600))],
      ["the server's own S1", packet(7, 0, SERVER_RANDOM)],
    ] as const;
    for (const [name, s2] of cases) {
      const m = make(learner, 'client', CLIENT_RANDOM, new VirtualClock(1000));
      m.receive(cat('03', packet(7, 0, SERVER_RANDOM)));
      m.takeOutput();
      m.receive(s2);
      same(look(m), step('failed', nothing, failedWith('echo-mismatch')), name);
    }
  });

  it('refuses a server that is not version 3 as soon as S0 arrives, and sends nothing more', () => {
    for (const [s0, code] of [[4, 'version-mismatch'], [6, 'version-mismatch'], [31, 'version-mismatch'], [32, 'not-rtmp'], [0x48, 'not-rtmp']] as const) {
      const m = make(learner, 'client', CLIENT_RANDOM, new VirtualClock(0));
      m.takeOutput();
      m.receive(Uint8Array.of(s0));
      same(look(m), step('failed', nothing, failedWith(code)), `S0 ${s0}`);
      m.receive(packet(7, 0, SERVER_RANDOM));
      same(look(m), step('failed', nothing, failedWith(code)), `S0 ${s0}, then S1`);
    }
  });

  graded("completes the handshake with nginx-rtmp's real answer, and hands on what came after it", 2, () => {
    const m = make(learner, 'client', captureRandom(NGINX_RTMP.randomSeed), new VirtualClock(NGINX_RTMP.clock));
    // nginx-rtmp answers a C1 with zeros in bytes 4–7 by sending C0 and C1 back as S0 and S1...
    const c0c1 = m.takeOutput();
    same(c0c1, nginxStream.subarray(0, 1 + PACKET_SIZE), 'C0 and C1, as nginx sent them back');
    const [first, ...rest] = events(NGINX_RTMP.fromServer);
    m.receive(first!);
    // ... and C1 once more as S2. C2 echoes S1, with the clock in time2.
    same(look(m), step('handshake-done', packet(NGINX_RTMP.clock, NGINX_RTMP.clock, c0c1.subarray(9))), 'after S0, S1 and S2');
    for (const e of rest) m.receive(e);
    same(look(m), step('handshake-done'), "after nginx's answer to connect");
    same(m.leftover(), cat(...rest), 'leftover');
  });

  it('writes its clock modulo 2^32, as RTMP timestamps wrap', () => {
    const clock = new VirtualClock(1_700_000_000_123);
    const m = make(learner, 'client', CLIENT_RANDOM, clock);
    const wrapped = 1_700_000_000_123 % 2 ** 32;
    same(m.takeOutput(), cat('03', u32(wrapped), '00000000', CLIENT_RANDOM), 'C0 and C1');
    clock.advance(2 ** 32 + 5);
    m.receive(cat('03', packet(9, 0, SERVER_RANDOM)));
    same(look(m), step('ack-sent', packet(9, wrapped + 5, SERVER_RANDOM)), 'after S1');
  });

  graded('agrees with the reference against generated servers, cut anywhere, the clock moving', 2, () => {
    forAll(serverSideArb, (g) => {
      const chunks = cutAt(serverStream(g), g.cuts);
      same(play(learner, 'client', randomOf(g.seed), chunks, g.clockStart, g.tick), play(reference, 'client', randomOf(g.seed), chunks, g.clockStart, g.tick));
    }, 80);
  });
});

// =============================================================================================

task('server', () => {
  it('says nothing before C0; once C0 is in, S0 and S1: version 3, its clock, four zero bytes, its random bytes', () => {
    const clock = new VirtualClock(5);
    const m = make(learner, 'server', SERVER_RANDOM, clock);
    same(look(m), step('uninitialized'), 'new');
    m.receive(new Uint8Array(0));
    same(look(m), step('uninitialized'), 'after no bytes');
    clock.advance(0x01000000);
    m.receive(Uint8Array.of(3));
    same(look(m), step('version-sent', cat('03', u32(0x01000005), '00000000', SERVER_RANDOM)), 'after C0');
  });

  graded('answers C1 as soon as it is whole: S2 has its time, the clock when it was read, its random bytes', 2, () => {
    const clock = new VirtualClock(100);
    const m = make(learner, 'server', SERVER_RANDOM, clock);
    // ffmpeg's version in bytes 4–7: accepted, and reported in peer.
    const c1 = packet(0xcafe, 0x09007c02, CLIENT_RANDOM);
    m.receive(cat('03', c1.subarray(0, 1000)));
    same(look(m), step('version-sent', cat('03', u32(100), '00000000', SERVER_RANDOM)), 'after C0 and 1000 bytes of C1');
    clock.advance(40);
    m.receive(c1.subarray(1000, 1535));
    same(look(m), step('version-sent'), 'after all of C1 but its last byte');
    clock.advance(2);
    m.receive(c1.subarray(1535));
    same(look(m), step('ack-sent', packet(0xcafe, 142, CLIENT_RANDOM)), 'after all of C1');
    same(peerOf(m), { time: 0xcafe, zero: 0x09007c02, random: CLIENT_RANDOM }, 'peer');
  });

  it("is done when C2 echoes S1, whatever C2's time2 (the client's clock) holds", () => {
    const clock = new VirtualClock(100);
    const m = make(learner, 'server', SERVER_RANDOM, clock);
    m.receive(cat('03', packet(1, 0, CLIENT_RANDOM)));
    m.takeOutput();
    clock.advance(10);
    m.receive(packet(100, 0x7fffffff, SERVER_RANDOM));
    same(look(m), step('handshake-done'));
  });

  it("fails when C2 does not echo S1: another time, one random byte changed, or the client's own C1", () => {
    const cases = [
      ['time', packet(99, 0, SERVER_RANDOM)],
      ['random', packet(100, 0, flipped(SERVER_RANDOM, 1527, 0x40))],
      ["the client's own C1", packet(1, 0, CLIENT_RANDOM)],
    ] as const;
    for (const [name, c2] of cases) {
      const m = make(learner, 'server', SERVER_RANDOM, new VirtualClock(100));
      m.receive(cat('03', packet(1, 0, CLIENT_RANDOM)));
      m.takeOutput();
      m.receive(c2);
      same(look(m), step('failed', nothing, failedWith('echo-mismatch')), name);
    }
  });

  it('refuses a C0 that is not version 3 without a word: RTMPE (6), TLS (0x16), 31, a space, an HTTP request', () => {
    for (const [c0, code] of [[6, 'version-mismatch'], [0x16, 'version-mismatch'], [31, 'version-mismatch'], [32, 'not-rtmp'], [0x47, 'not-rtmp']] as const) {
      const m = make(learner, 'server', SERVER_RANDOM, new VirtualClock(0));
      m.receive(cat(Uint8Array.of(c0), packet(1, 0, CLIENT_RANDOM)));
      same(look(m), step('failed', nothing, failedWith(code)), `C0 ${c0}`);
    }
  });

  graded("completes ffmpeg's real handshake: its C2 is the S1 it was sent, and its connect command is handed on", 2, () => {
    const m = make(learner, 'server', captureRandom(FFMPEG_PUBLISH.randomSeed), new VirtualClock(FFMPEG_PUBLISH.clock));
    const [c0c1, c2, connect] = events(FFMPEG_PUBLISH.fromClient);
    m.receive(c0c1!);
    const sent = m.takeOutput();
    // ffmpeg copied S1 into C2 byte for byte: what this server sent must be what ffmpeg echoed.
    same(sent.subarray(0, 1 + PACKET_SIZE), cat('03', c2!), 'S0 and S1, as ffmpeg echoed S1');
    same(sent.subarray(1 + PACKET_SIZE), packet(0, FFMPEG_PUBLISH.clock, c0c1!.subarray(9)), "S2, the echo of ffmpeg's C1");
    same(peerOf(m)?.zero, 0x09007c02, 'peer.zero');
    m.receive(c2!);
    m.receive(connect!);
    same(look(m), step('handshake-done'), 'after C2 and the connect command');
    same(m.leftover(), connect!, 'leftover');
  });

  it("completes rtmpdump's real handshake, whose C2 arrived with its connect command", () => {
    const m = make(learner, 'server', captureRandom(RTMPDUMP_PLAY.randomSeed), new VirtualClock(RTMPDUMP_PLAY.clock));
    const [c0c1, c2AndConnect] = events(RTMPDUMP_PLAY.fromClient);
    m.receive(c0c1!);
    m.takeOutput();
    m.receive(c2AndConnect!);
    same(look(m), step('handshake-done'), 'after C2 and the connect command');
    same(m.leftover(), c2AndConnect!.subarray(PACKET_SIZE), 'leftover');
  });

  it('writes its clock modulo 2^32, as RTMP timestamps wrap', () => {
    const clock = new VirtualClock(2 ** 32 + 77);
    const m = make(learner, 'server', SERVER_RANDOM, clock);
    m.receive(Uint8Array.of(3));
    same(look(m), step('version-sent', cat('03', u32(77), '00000000', SERVER_RANDOM)), 'after C0');
    clock.advance(3 * 2 ** 32 + 1);
    m.receive(packet(1, 0, CLIENT_RANDOM));
    same(look(m), step('ack-sent', packet(1, 78, CLIENT_RANDOM)), 'after C1');
  });

  graded('agrees with the reference against generated clients, cut anywhere, the clock moving', 2, () => {
    forAll(clientSideArb, (g) => {
      const chunks = clientChunks(g);
      same(play(learner, 'server', randomOf(g.seed), chunks, g.clockStart, g.tick), play(reference, 'server', randomOf(g.seed), chunks, g.clockStart, g.tick));
    }, 80);
  });
});

// =============================================================================================

/** Every split of `stream` in two ends where the whole stream in one piece does (in the reference). */
function everySplitInTwo(role: Role, random: Uint8Array, stream: Uint8Array, clockStart: number): void {
  const whole = ending(play(reference, role, random, [stream], clockStart));
  for (let cut = 0; cut <= stream.length; cut++) {
    same(ending(play(learner, role, random, [stream.subarray(0, cut), stream.subarray(cut)], clockStart)), whole, `cut at ${cut}`);
  }
}

const FFMPEG_RANDOM = captureRandom(FFMPEG_PUBLISH.randomSeed);
const NGINX_RANDOM = captureRandom(NGINX_RTMP.randomSeed);

task('robustness', () => {
  graded("every split in two of ffmpeg's stream leaves the server where the whole stream does", 2, () => {
    everySplitInTwo('server', FFMPEG_RANDOM, ffmpegStream, FFMPEG_PUBLISH.clock);
  });

  graded("every split in two of nginx-rtmp's stream leaves the client where the whole stream does", 2, () => {
    everySplitInTwo('client', NGINX_RANDOM, nginxStream, NGINX_RTMP.clock);
  });

  it('any number of pieces, empty ones among them, on both sides', () => {
    const streams: [Role, Uint8Array, Uint8Array, number][] = [
      ['server', FFMPEG_RANDOM, ffmpegStream, FFMPEG_PUBLISH.clock],
      ['server', captureRandom(RTMPDUMP_PLAY.randomSeed), rtmpdumpStream, RTMPDUMP_PLAY.clock],
      ['client', NGINX_RANDOM, nginxStream, NGINX_RTMP.clock],
    ];
    for (const [role, random, stream, clockStart] of streams) {
      const whole = ending(play(reference, role, random, [stream], clockStart));
      forAll(fc.array(fc.integer({ min: 0, max: stream.length }), { minLength: 1, maxLength: 12 }), (cuts) => {
        same(ending(play(learner, role, random, cutAt(stream, cuts), clockStart)), whole, `${role}, cut at ${cuts.join(', ')}`);
      }, 60);
    }
  });

  it('one byte at a time, on both sides', () => {
    const bytewise = (s: Uint8Array) => Array.from(s, (b) => Uint8Array.of(b));
    same(ending(play(learner, 'server', FFMPEG_RANDOM, bytewise(ffmpegStream), FFMPEG_PUBLISH.clock)), ending(play(reference, 'server', FFMPEG_RANDOM, [ffmpegStream], FFMPEG_PUBLISH.clock)), 'server');
    same(ending(play(learner, 'client', NGINX_RANDOM, bytewise(nginxStream), NGINX_RTMP.clock)), ending(play(reference, 'client', NGINX_RANDOM, [nginxStream], NGINX_RTMP.clock)), 'client');
  });

  it('a stream cut short anywhere: nothing read past the end, no packet answered before it is whole', () => {
    for (const [role, random, stream, clockStart] of [['server', FFMPEG_RANDOM, ffmpegStream, FFMPEG_PUBLISH.clock], ['client', NGINX_RANDOM, nginxStream, NGINX_RTMP.clock]] as const) {
      for (let n = 0; n <= 1 + 2 * PACKET_SIZE + 1; n++) {
        const prefix = stream.subarray(0, n);
        same(ending(play(learner, role, random, [prefix], clockStart)), ending(play(reference, role, random, [prefix], clockStart)), `${role}, the first ${n} bytes`);
      }
    }
  });

  it('a failure is final: later bytes change nothing, and what was queued before it is still there to send', () => {
    const m = make(learner, 'server', SERVER_RANDOM, new VirtualClock(100));
    // C0, C1 and a C2 that echoes the wrong thing, in one piece: S0, S1 and S2 were already due.
    m.receive(cat('03', packet(1, 0, CLIENT_RANDOM), packet(1, 0, CLIENT_RANDOM), 'c3'));
    same(look(m), step('failed', cat('03', packet(100, 0, SERVER_RANDOM), packet(1, 100, CLIENT_RANDOM)), failedWith('echo-mismatch')), 'server, after a bad C2');
    m.receive(packet(100, 0, SERVER_RANDOM));
    m.receive(Uint8Array.of(3, 3, 3));
    same(look(m), step('failed', nothing, failedWith('echo-mismatch')), 'server, after more bytes');
    same(m.leftover(), nothing, 'server leftover');
    const c = make(learner, 'client', CLIENT_RANDOM, new VirtualClock(0));
    c.takeOutput();
    c.receive(cat('05', packet(7, 0, SERVER_RANDOM), packet(0, 0, CLIENT_RANDOM)));
    same(look(c), step('failed', nothing, failedWith('version-mismatch')), 'client, after a bad S0 and more');
    same(c.leftover(), nothing, 'client leftover');
  });

  it('never throws on garbage, and fails where the reference does', () => {
    const garbage = fc.record({ first: versionArb, seed: u32Arb, length: fc.integer({ min: 0, max: 3300 }), cuts: cutsArb, role: fc.constantFrom<Role>('client', 'server') });
    forAll(garbage, ({ first, seed, length, cuts, role }) => {
      const chunks = cutAt(cat(Uint8Array.of(first), noise(seed, length)), cuts);
      same(ending(play(learner, role, SERVER_RANDOM, chunks)), ending(play(reference, role, SERVER_RANDOM, chunks)), role);
    }, 80);
  });

  it('the server copies what it keeps: the caller may reuse its read buffer', () => {
    // A reader that fills one buffer again and again, as a BYOB stream reader does.
    const scratch = new Uint8Array(500);
    const m = make(learner, 'server', FFMPEG_RANDOM, new VirtualClock(FFMPEG_PUBLISH.clock));
    for (let at = 0; at < ffmpegStream.length; at += scratch.length) {
      const piece = ffmpegStream.subarray(at, at + scratch.length);
      scratch.set(piece);
      m.receive(scratch.subarray(0, piece.length));
      scratch.fill(0xee);
    }
    const wanted = ending(play(reference, 'server', FFMPEG_RANDOM, [ffmpegStream], FFMPEG_PUBLISH.clock));
    same({ state: m.state, error: errorOf(m), leftover: m.leftover() }, { state: wanted.state, error: wanted.error, leftover: wanted.leftover });
  });

  it('the client copies what it keeps: the caller may reuse its read buffer', () => {
    const scratch = new Uint8Array(333);
    const m = make(learner, 'client', NGINX_RANDOM, new VirtualClock(NGINX_RTMP.clock));
    for (let at = 0; at < nginxStream.length; at += scratch.length) {
      const piece = nginxStream.subarray(at, at + scratch.length);
      scratch.set(piece);
      m.receive(scratch.subarray(0, piece.length));
      scratch.fill(0x11);
    }
    const wanted = ending(play(reference, 'client', NGINX_RANDOM, [nginxStream], NGINX_RTMP.clock));
    same({ state: m.state, error: errorOf(m), leftover: m.leftover() }, { state: wanted.state, error: wanted.error, leftover: wanted.leftover });
  });

  it('leftover is empty until the handshake is done, then holds every byte after it, across calls', () => {
    const m = make(learner, 'server', SERVER_RANDOM, new VirtualClock(100));
    m.receive(cat('03', packet(1, 0, CLIENT_RANDOM), packet(100, 0, SERVER_RANDOM).subarray(0, 1535)));
    same({ state: m.state, leftover: m.leftover() }, { state: 'ack-sent', leftover: nothing }, 'before the last byte of C2');
    m.receive(cat(packet(100, 0, SERVER_RANDOM).subarray(1535), '03 00'));
    m.receive(new Uint8Array(0));
    m.receive(fromHex('00 00 01'));
    same({ state: m.state, leftover: m.leftover() }, { state: 'handshake-done', leftover: fromHex('03 00 00 00 01') }, 'after C2 and five more bytes');
  });
});
