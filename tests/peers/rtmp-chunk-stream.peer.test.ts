/**
 * Peer proof for labs/rtmp/chunk-stream: the reference chunk stream decoder and encoder against
 * ffmpeg (libavformat's RTMP client) and nginx-rtmp-module, on 127.0.0.1.
 *
 * - ffmpeg publishes testsrc (H.264 in FLV) to nginx through a relay that keeps every byte, in two
 *   set-ups: nginx's chunk size 4096 (ffmpeg echoes it with its own Set Chunk Size), and chunk
 *   size 128 with timestamps moved past 2^24 ms, so ffmpeg's keyframe travels with an extended
 *   timestamp repeated on each type 3 continuation chunk.
 * - The reference decodes both directions, fed whole and in pieces of every size: the command
 *   sequence (connect, releaseStream, FCPublish, createStream, publish, @setDataFrame, video) and
 *   nginx's answers (Window Acknowledgement Size, Set Peer Bandwidth, Set Chunk Size, _result,
 *   onStatus), with the type ids, stream ids, timestamps and lengths the commands imply.
 * - The reference encoder, given each message's header type as the peer chose it, writes the
 *   captured bytes again exactly; with its own choice it writes bytes that decode to the same.
 * - A publisher made of the reference (a hand-made handshake, then the reference encoder and
 *   decoder) publishes ffmpeg's video through nginx at a chunk size of its own, while ffmpeg
 *   plays the stream through a second relay: ffmpeg receives every frame bit for bit, nginx's
 *   chunks to the player decode to the very messages published, and nginx acknowledges the bytes
 *   the reference sent, at the window the reference asked for.
 */
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPeers, startProcess } from './support/peer';
import { startRelay, type Relay } from './support/relay';
import { HANDSHAKE_LENGTH, LOOPBACK, RTMP_PEER_COMMANDS, capturePublish, chunkStream, rtmpVersions, startRtmpServer, type PublishCapture, type RtmpServer } from './support/rtmp-capture';
import { ChunkDecoder, ChunkEncoder, MessageType, controlMessage, parseControl, type DecodedMessage, type RtmpMessage } from '../../labs/rtmp/chunk-stream/reference';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// ---- AMF0, just as far as commands need it (AMF0 spec §2) ---------------------------------------

type Amf = number | boolean | string | null | undefined | { [key: string]: Amf };

function amfEncode(values: Amf[]): Uint8Array {
  const out: number[] = [];
  const str = (s: string): void => {
    const b = Buffer.from(s, 'utf8');
    out.push(b.length >> 8, b.length & 0xff, ...b);
  };
  const value = (v: Amf): void => {
    if (typeof v === 'number') {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(v);
      out.push(0x00, ...b);
    } else if (typeof v === 'boolean') out.push(0x01, v ? 1 : 0);
    else if (typeof v === 'string') {
      out.push(0x02);
      str(v);
    } else if (v === null || v === undefined) out.push(0x05);
    else {
      out.push(0x03);
      for (const [k, x] of Object.entries(v)) {
        str(k);
        value(x);
      }
      out.push(0x00, 0x00, 0x09);
    }
  };
  for (const v of values) value(v);
  return Uint8Array.from(out);
}

function amfDecode(bytes: Uint8Array): Amf[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  const str = (): string => {
    const n = b.readUInt16BE(p);
    const s = b.toString('utf8', p + 2, p + 2 + n);
    p += 2 + n;
    return s;
  };
  const props = (): { [key: string]: Amf } => {
    const o: { [key: string]: Amf } = {};
    for (;;) {
      const k = str();
      if (k === '' && b[p] === 0x09) {
        p++;
        return o;
      }
      o[k] = value();
    }
  };
  const value = (): Amf => {
    const marker = b[p++];
    switch (marker) {
      case 0x00: {
        const v = b.readDoubleBE(p);
        p += 8;
        return v;
      }
      case 0x01:
        return b[p++] !== 0;
      case 0x02:
        return str();
      case 0x03:
        return props();
      case 0x05:
      case 0x06:
        return null;
      case 0x08:
        p += 4; // ECMA array: an approximate count, then properties like an object
        return props();
      default:
        throw new Error(`AMF0 marker ${marker} at ${p - 1} not handled`);
    }
  };
  const out: Amf[] = [];
  while (p < b.length) out.push(value());
  return out;
}

/** The first AMF0 value of a command or data message: its name. */
function commandName(m: RtmpMessage): string | undefined {
  if (m.type !== MessageType.COMMAND_AMF0 && m.type !== MessageType.DATA_AMF0) return undefined;
  const p = m.payload;
  if (p[0] !== 0x02) return undefined;
  return Buffer.from(p.subarray(3, 3 + ((p[1]! << 8) | p[2]!))).toString('latin1');
}

/** A message, readably, for sequence comparisons. */
function describeMessage(m: DecodedMessage): string {
  const name = commandName(m);
  return `${m.type}${name ? ` ${name}` : ''} csid=${m.csid} stream=${m.streamId}`;
}

// ---- decoding helpers -------------------------------------------------------------------------

function decodeWhole(bytes: Uint8Array): DecodedMessage[] {
  return new ChunkDecoder().push(bytes);
}

function decodeInPieces(bytes: Uint8Array, size: number): DecodedMessage[] {
  const d = new ChunkDecoder();
  const out: DecodedMessage[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...d.push(bytes.subarray(i, i + size)));
  return out;
}

/** How many times a type 3 basic header for `csid` is followed by `value` as a 4-byte extended timestamp. */
function continuationsWithExtended(bytes: Uint8Array, csid: number, value: number): number {
  const needle = Buffer.from([0xc0 | csid, value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
  let n = 0;
  for (let i = Buffer.from(bytes).indexOf(needle); i >= 0; i = Buffer.from(bytes).indexOf(needle, i + 1)) n++;
  return n;
}

const plain = (ms: DecodedMessage[]) => ms.map((m) => ({ ...m, payload: hex(m.payload) }));

function reencode(ms: DecodedMessage[], forced: boolean): Uint8Array {
  const e = new ChunkEncoder();
  return new Uint8Array(Buffer.concat(ms.map((m) => e.encode(m, forced ? m.headerType : undefined))));
}

// ---- the two captures ---------------------------------------------------------------------------

interface Setup {
  what: string;
  chunkSize: number;
  outputOptions: string[];
  size?: string;
  /** ffmpeg's -output_ts_offset in ms (the keyframe comes a little earlier: x264's B-frame delay). */
  offsetMs: number;
}

const SETUPS: Setup[] = [
  { what: 'chunk size 4096', chunkSize: 4096, outputOptions: [], offsetMs: 0 },
  {
    what: 'chunk size 128, timestamps past 2^24 ms',
    chunkSize: 128,
    // No SEI (x264 writes its whole option string into the first keyframe): smaller frames.
    outputOptions: ['-output_ts_offset', '16800', '-bsf:v', 'filter_units=remove_types=6'],
    size: '64x48',
    offsetMs: 16_800_000,
  },
];

describeWithPeers('the RTMP chunk stream reference against ffmpeg and nginx-rtmp', RTMP_PEER_COMMANDS, () => {
  for (const setup of SETUPS) {
    describe(`ffmpeg publishing to nginx, ${setup.what}`, () => {
      let cap: PublishCapture;
      let client: Uint8Array;
      let server: Uint8Array;
      beforeAll(async () => {
        cap = await capturePublish({ seconds: 1, chunkSize: setup.chunkSize, outputOptions: setup.outputOptions, size: setup.size });
        client = chunkStream(cap.fromClient);
        server = chunkStream(cap.fromServer);
      }, 60_000);

      it("decodes ffmpeg's messages to the publish sequence", () => {
        expect(cap.fromClient[0], 'C0: version 3').toBe(3);
        const ms = decodeWhole(client);
        const names = ms.map(describeMessage);
        console.log(`${setup.what}: ${cap.versions.ffmpeg}; ${cap.versions.nginx}; RTMP module ${cap.versions.rtmpModule}\n  client: ${names.join(' | ')}`);
        // The commands, in order, on the connection's stream 0 until createStream gave stream 1.
        const commands = ms.filter((m) => m.type === MessageType.COMMAND_AMF0).map((m) => `${commandName(m)}@${m.streamId}`);
        expect(commands.slice(0, 5)).toEqual(['connect@0', 'releaseStream@0', 'FCPublish@0', 'createStream@0', 'publish@1']);
        const connect = ms[0]!;
        expect(connect.type).toBe(MessageType.COMMAND_AMF0);
        // connect is longer than 128 bytes: its second chunk starts with a type 3 header.
        expect(connect.payload.length).toBeGreaterThan(128);
        expect(client[12 + 128], 'a type 3 basic header after the first 128 bytes').toBe(0xc0 | connect.csid);
        const connectArgs = amfDecode(connect.payload);
        expect(connectArgs[0]).toBe('connect');
        expect((connectArgs[2] as { app: string }).app).toBe('live');
        // ffmpeg answers nginx's Set Chunk Size with the same size, and sends with it from then on.
        const sizes = ms.filter((m) => m.type === MessageType.SET_CHUNK_SIZE).map((m) => parseControl(m));
        expect(sizes).toEqual([{ kind: 'set-chunk-size', size: setup.chunkSize }]);
        const meta = ms.find((m) => commandName(m) === '@setDataFrame')!;
        expect(meta.type).toBe(MessageType.DATA_AMF0);
        expect(meta.streamId).toBe(1);
        expect(amfDecode(meta.payload)[1]).toBe('onMetaData');
        // Video: ten frames a second, AVC sequence header first (FLV video tag: 0x17 0x00).
        const video = ms.filter((m) => m.type === MessageType.VIDEO);
        expect(video.length).toBeGreaterThanOrEqual(10);
        expect(video.every((m) => m.streamId === 1)).toBe(true);
        expect(hex(video[0]!.payload.subarray(0, 2))).toBe('1700');
        expect(hex(video[1]!.payload.subarray(0, 2)), 'then a keyframe').toBe('1701');
        expect(video[1]!.timestamp).toBeGreaterThanOrEqual(setup.offsetMs - 1000);
        for (let i = 2; i < video.length; i++) {
          const d = video[i]!.timestamp - video[i - 1]!.timestamp;
          expect(d === 100 || d === 0, `frame ${i}: ${d} ms after the previous one`).toBe(true);
        }
        if (setup.offsetMs >= 0x1000000) {
          // The keyframe's delta needs the extended timestamp, and ffmpeg repeats it after the
          // type 3 basic header of each continuation chunk.
          const key = video[1]!;
          const delta = key.timestamp - video[0]!.timestamp;
          expect(delta).toBeGreaterThanOrEqual(0xffffff);
          expect(continuationsWithExtended(client, key.csid, delta)).toBe(Math.ceil(key.payload.length / setup.chunkSize) - 1);
        }
      });

      it("decodes nginx's answers: window, bandwidth, chunk size, the two _results, publish and unpublish onStatus", () => {
        const ms = decodeWhole(server);
        console.log(`  server: ${ms.map(describeMessage).join(' | ')}`);
        expect(ms.slice(0, 3).map((m) => parseControl(m))).toEqual([
          { kind: 'window-ack-size', size: 5_000_000 },
          { kind: 'set-peer-bandwidth', size: 5_000_000, limit: 2 },
          { kind: 'set-chunk-size', size: setup.chunkSize },
        ]);
        expect(ms.slice(0, 3).every((m) => m.csid === 2 && m.streamId === 0)).toBe(true);
        const results = ms.slice(3).map((m) => amfDecode(m.payload));
        expect(results.slice(0, 3).map((r) => r[0])).toEqual(['_result', '_result', 'onStatus']);
        expect((results[0]![3] as { code: string }).code).toBe('NetConnection.Connect.Success');
        expect(results[1]![3], 'createStream gave message stream 1').toBe(1);
        // Then NetStream.Publish.Start, and the answer to deleteStream if it left nginx before
        // ffmpeg's socket closed (the relay keeps what nginx wrote until then).
        const codes = ms.slice(5).map(statusCode);
        expect(codes[0]).toBe('NetStream.Publish.Start');
        expect(codes.slice(1).every((c) => c === 'NetStream.Unpublish.Success'), codes.join(', ')).toBe(true);
        expect(ms.slice(5).every((m) => m.streamId === 1)).toBe(true);
      });

      it('decodes both directions alike in pieces of every size from 1 to 300 bytes', () => {
        for (const bytes of [client, server]) {
          const whole = plain(decodeWhole(bytes));
          for (let size = 1; size <= 300; size++) expect(plain(decodeInPieces(bytes, size)), `pieces of ${size}`).toEqual(whole);
        }
      });

      it("re-encodes both directions to the captured bytes, given the peers' header types", () => {
        for (const [side, bytes] of [['ffmpeg', client], ['nginx', server]] as const) {
          const ms = decodeWhole(bytes);
          expect(hex(reencode(ms, true)), side).toBe(hex(bytes));
        }
      });

      it('re-encodes with its own header choice to bytes that decode to the same messages', () => {
        for (const bytes of [client, server]) {
          const ms = decodeWhole(bytes);
          const own = reencode(ms, false);
          const strip = (xs: DecodedMessage[]) => plain(xs).map(({ headerType: _, ...m }) => m);
          expect(strip(decodeWhole(own))).toEqual(strip(ms));
          expect(own.length).toBeLessThanOrEqual(bytes.length);
        }
      });
    });
  }

  describe('a publisher made of the reference, through nginx to ffmpeg as a player', () => {
    // Held here, not in the test, so that they are stopped even if the test times out.
    let rtmp: RtmpServer | undefined;
    let playRelay: Relay | undefined;
    let player: ReturnType<typeof startProcess> | undefined;
    afterAll(async () => {
      stopWaiting = true;
      await player?.stop();
      playRelay?.stop();
      await rtmp?.stop();
    });

    it('publishes ffmpeg\'s video at chunk size 100; ffmpeg plays every frame; nginx acknowledges at the window asked for', { timeout: 120_000 }, async () => {
      // The media: what ffmpeg published in the extended-timestamp set-up.
      const source = await capturePublish({ seconds: 1, chunkSize: 128, outputOptions: SETUPS[1]!.outputOptions, size: SETUPS[1]!.size });
      const media = decodeWhole(chunkStream(source.fromClient)).filter((m) => m.type === MessageType.VIDEO || commandName(m) === '@setDataFrame');
      const video = media.filter((m) => m.type === MessageType.VIDEO);

      // nginx sends with chunks of 256 bytes: the keyframe reaches the player in type 3 continuation
      // chunks that repeat its extended timestamp; publish_notify makes nginx tell ffmpeg the end.
      rtmp = await startRtmpServer({ chunkSize: 256, directives: 'publish_notify on;' });
      const relay = await startRelay(rtmp.port);
      playRelay = relay;

      // 1. ffmpeg starts playing a stream nobody publishes yet (nginx keeps it waiting).
      const ff = startProcess('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', rtmp.url('e2e', relay.port), '-map', '0:v', '-c', 'copy', '-f', 'framemd5', '-']);
      player = ff;
      const playerExit = new Promise<number | null>((resolve) => ff.proc.once('exit', (c) => resolve(c)));
      await until(() => decodeWhole(afterHandshake(relay.fromServer())).some((m) => statusCode(m) === 'NetStream.Play.Start'), 'ffmpeg to be playing');

      // 2. The reference publishes.
      const published = await publishWithReference(rtmp.port, 'e2e', media, 100, 1000);

      // 3. ffmpeg ends when nginx tells it the stream is gone.
      expect(await playerExit, ff.output()).toBe(0);
      await relay.closed();

      // ffmpeg got every frame, bit for bit: framemd5 hashes each packet, which for H.264 in FLV is
      // the video tag after its 5-byte header (frame type and codec, AVC packet type, composition time).
      const md5s = ff.output().split('\n').filter((l) => /^0,/.test(l)).map((l) => l.split(',').pop()!.trim());
      const frames = video.filter((m) => m.payload[1] === 1).map((m) => createHash('md5').update(m.payload.subarray(5)).digest('hex'));
      expect(md5s).toEqual(frames);

      // nginx's chunks to the player decode to the messages published (its own header choices,
      // its chunk size 256, the extended timestamp repeated on the keyframe's type 3 chunks).
      const toPlayer = decodeWhole(afterHandshake(relay.fromServer()));
      const forwarded = toPlayer.filter((m) => m.type === MessageType.VIDEO).map((m) => ({ timestamp: m.timestamp, payload: hex(m.payload) }));
      expect(forwarded).toEqual(video.map((m) => ({ timestamp: m.timestamp, payload: hex(m.payload) })));
      expect(hex(reencode(toPlayer, true)), "nginx's bytes to the player, re-encoded").toBe(hex(afterHandshake(relay.fromServer())));
      const [sequenceHeader, key] = toPlayer.filter((m) => m.type === MessageType.VIDEO);
      expect(key!.payload.length).toBeGreaterThan(256);
      const keyDelta = key!.timestamp - sequenceHeader!.timestamp;
      expect(keyDelta).toBeGreaterThanOrEqual(0xffffff);
      expect(continuationsWithExtended(afterHandshake(relay.fromServer()), key!.csid, keyDelta), 'nginx repeats the extended timestamp on type 3 chunks').toBe(Math.ceil(key!.payload.length / 256) - 1);

      // nginx acknowledged what it received, every 1000 bytes or more, never more than was sent.
      expect(published.acks.length).toBeGreaterThan(0);
      let last = 0;
      for (const a of published.acks) {
        expect(a - last).toBeGreaterThanOrEqual(1000);
        last = a;
      }
      expect(last).toBeLessThanOrEqual(published.sent);
      const v = await rtmpVersions();
      console.log(`end to end: ${video.length} video messages, ${frames.length} frames played by ${v.ffmpeg}; ${published.acks.length} acknowledgements from ${v.nginx}`);
    });
  });
});

// ---- the reference as a publisher ---------------------------------------------------------------

function afterHandshake(side: Uint8Array): Uint8Array {
  return side.length <= HANDSHAKE_LENGTH ? new Uint8Array(0) : side.subarray(HANDSHAKE_LENGTH);
}

function statusCode(m: RtmpMessage): string | undefined {
  if (commandName(m) !== 'onStatus') return undefined;
  return (amfDecode(m.payload)[3] as { code?: string } | undefined)?.code;
}

/** Set when the test's resources are stopped: a wait still going on gives up. */
let stopWaiting = false;

/** Poll a condition (no time limit of its own: the test's timeout bounds it). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (;;) {
    if (stopWaiting) throw new Error(`stopped while waiting for ${what}`);
    try {
      if (condition()) return;
    } catch (e) {
      throw new Error(`while waiting for ${what}: ${String(e)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A socket whose incoming bytes can be awaited. */
class Conn {
  #socket: Socket;
  #buf = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  closed: Promise<void>;
  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (d) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => {
      for (const w of this.#waiters.splice(0)) w();
      resolve();
    }));
  }
  write(b: Uint8Array): void {
    this.#socket.write(b);
  }
  end(): void {
    this.#socket.end();
  }
  /** Exactly n bytes. */
  async read(n: number): Promise<Uint8Array> {
    while (this.#buf.length < n) {
      if (this.#socket.destroyed) throw new Error(`connection closed with ${this.#buf.length} of ${n} bytes`);
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return new Uint8Array(out);
  }
  /** Whatever has arrived, waiting for at least one byte; empty once closed. */
  async some(): Promise<Uint8Array> {
    while (this.#buf.length === 0) {
      if (this.#socket.destroyed) return new Uint8Array(0);
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    const out = new Uint8Array(this.#buf);
    this.#buf = Buffer.alloc(0);
    return out;
  }
}

/**
 * Handshake by hand (C1 with zeros in bytes 4-7: nginx answers with the plain handshake of §5.2,
 * S2 echoing C1), then connect, Set Chunk Size, Window Acknowledgement Size, createStream and
 * publish with the reference encoder, reading nginx's answers with the reference decoder; then
 * the media, and a clean end. Returns the Acknowledgements nginx sent and the bytes sent after
 * the handshake.
 */
async function publishWithReference(port: number, stream: string, media: DecodedMessage[], chunkSize: number, window: number): Promise<{ acks: number[]; sent: number }> {
  const socket = connect({ host: LOOPBACK, port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const conn = new Conn(socket);
  const c1 = new Uint8Array(1536);
  for (let i = 8; i < c1.length; i++) c1[i] = (i * 131 + 7) & 0xff;
  conn.write(Uint8Array.of(3));
  conn.write(c1);
  const s0 = await conn.read(1);
  expect(s0[0], 'S0: version 3').toBe(3);
  const s1 = await conn.read(1536);
  const s2 = await conn.read(1536);
  expect(hex(s2), 'S2 echoes C1').toBe(hex(c1));
  conn.write(s1);

  const encoder = new ChunkEncoder();
  const decoder = new ChunkDecoder();
  const acks: number[] = [];
  const inbox: DecodedMessage[] = [];
  let sent = 0;
  const send = (m: RtmpMessage): void => {
    const bytes = encoder.encode(m);
    sent += bytes.length;
    conn.write(bytes);
  };
  const next = async (want: (m: DecodedMessage) => boolean, what: string): Promise<DecodedMessage> => {
    for (;;) {
      const i = inbox.findIndex(want);
      if (i >= 0) return inbox.splice(0, i + 1).pop()!;
      const bytes = await conn.some();
      if (bytes.length === 0) throw new Error(`nginx closed the connection before ${what}`);
      for (const m of decoder.push(bytes)) {
        const c = parseControl(m);
        if (c?.kind === 'acknowledgement') acks.push(c.sequence);
        inbox.push(m);
      }
    }
  };
  const command = (csid: number, streamId: number, values: Amf[]): RtmpMessage => ({ csid, type: MessageType.COMMAND_AMF0, streamId, timestamp: 0, payload: amfEncode(values) });
  const result = (tx: number) => (m: DecodedMessage) => commandName(m) === '_result' && amfDecode(m.payload)[1] === tx;

  send(command(3, 0, ['connect', 1, { app: 'live', type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; netlabs)', tcUrl: `rtmp://${LOOPBACK}:${port}/live` }]));
  const connected = await next(result(1), 'the answer to connect');
  expect((amfDecode(connected.payload)[3] as { code: string }).code).toBe('NetConnection.Connect.Success');
  expect(decoder.chunkSize, "nginx's Set Chunk Size applied").toBe(256);
  send(controlMessage({ kind: 'set-chunk-size', size: chunkSize }));
  expect(encoder.chunkSize).toBe(chunkSize);
  send(controlMessage({ kind: 'window-ack-size', size: window }));
  send(command(3, 0, ['createStream', 2, null]));
  const created = await next(result(2), 'the answer to createStream');
  const streamId = amfDecode(created.payload)[3] as number;
  expect(streamId).toBeGreaterThan(0);
  send(command(8, streamId, ['publish', 3, null, stream, 'live']));
  await next((m) => statusCode(m) === 'NetStream.Publish.Start', 'NetStream.Publish.Start');
  for (const m of media) send({ csid: m.csid, type: m.type, streamId, timestamp: m.timestamp, payload: m.payload });
  send(command(3, 0, ['deleteStream', 4, null, streamId]));
  conn.end();
  // Read until nginx closes: its last Acknowledgements come in the meantime.
  for (;;) {
    const bytes = await conn.some();
    if (bytes.length === 0) break;
    for (const m of decoder.push(bytes)) {
      const c = parseControl(m);
      if (c?.kind === 'acknowledgement') acks.push(c.sequence);
    }
  }
  await conn.closed;
  return { acks, sent };
}

