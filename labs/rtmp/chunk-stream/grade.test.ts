import { it, expect } from 'vitest';
import { task, graded, vectors, forAll, fc, outcome, hex, fromHex, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import type { Control, DecodedMessage, HeaderType, RtmpMessage } from './types';
import { FFMPEG_4096, FFMPEG_128_EXTENDED, NGINX_4096, NGINX_128 } from './capture';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);
type Lib = typeof reference;

// ---------------------------------------------------------------------------------------------
// The captures (capture.ts): ffmpeg publishing to nginx-rtmp, each side after its handshake.

const A_CLIENT = fromHex(FFMPEG_4096);
const A_SERVER = fromHex(NGINX_4096);
const B_CLIENT = fromHex(FFMPEG_128_EXTENDED);
const B_SERVER = fromHex(NGINX_128);
const CAPTURES = [
  { name: 'ffmpeg, chunk size 4096 (set-up A)', bytes: A_CLIENT },
  { name: 'nginx, chunk size 4096 (set-up A)', bytes: A_SERVER },
  { name: 'ffmpeg, extended timestamps (set-up B)', bytes: B_CLIENT },
  { name: 'nginx, chunk size 128 (set-up B)', bytes: B_SERVER },
];

// ---------------------------------------------------------------------------------------------
// Helpers

function rtmpError(code: string) {
  return { ok: false, error: 'RtmpChunkError', code };
}

function concat(...parts: (Uint8Array | string)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? fromHex(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** n bytes counting up from `start`: payloads whose every byte says where it belongs. */
function bytesFrom(start: number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
}

/** A decoded message as plain data, payload in hex: readable in a report. */
interface View { csid: number; type: number; streamId: number; timestamp: number; headerType: HeaderType; payload: string }
function view(m: DecodedMessage): View {
  return { csid: m.csid, type: m.type, streamId: m.streamId, timestamp: m.timestamp, headerType: m.headerType, payload: hex(m.payload) };
}
function msg(csid: number, type: number, streamId: number, timestamp: number, headerType: HeaderType, payload: Uint8Array | string): View {
  return { csid, type, streamId, timestamp, headerType, payload: typeof payload === 'string' ? hex(fromHex(payload)) : hex(payload) };
}

/** Feed `pieces` to a fresh decoder; the messages (as views), or the error. */
function decode(lib: Lib, pieces: Uint8Array[], options?: reference.DecoderOptions) {
  return outcome(() => {
    const d = new lib.ChunkDecoder(options);
    const out: View[] = [];
    for (const p of pieces) out.push(...d.push(p).map(view));
    return out;
  });
}

/** Bytes cut into pieces of `size` (the last one shorter). */
function piecesOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Bytes cut at the given offsets. */
function cutAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((x, y) => x - y);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of [...points, bytes.length]) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out;
}

/** What the first AMF0 value of a command or data message names ("connect", "@setDataFrame"). */
function commandName(v: View): string {
  const p = fromHex(v.payload);
  if ((v.type !== 20 && v.type !== 18) || p[0] !== 0x02) return `type ${v.type}`;
  return String.fromCharCode(...p.subarray(3, 3 + ((p[1]! << 8) | p[2]!)));
}

function expectMessages(got: unknown, want: View[], label: string): void {
  expect(got, label).toEqual({ ok: true, value: want });
}

/** The learner decodes like the reference: the same messages, or the same error. */
function agreeDecode(label: string, pieces: Uint8Array[], options?: reference.DecoderOptions): void {
  expect(decode(learner as Lib, pieces, options), label).toEqual(decode(reference, pieces, options));
}

/** Feed pieces, taking acknowledgements after each one: the messages, the acknowledgements and the state. */
function decodeWithAcks(lib: Lib, pieces: Uint8Array[]) {
  return outcome(() => {
    const d = new lib.ChunkDecoder();
    const messages: number[] = [];
    const acks: number[] = [];
    for (const p of pieces) {
      for (const m of d.push(p)) messages.push(m.type);
      acks.push(...d.takeAcknowledgements());
    }
    return { messages, acks, bytesReceived: d.bytesReceived, windowSize: d.windowSize, chunkSize: d.chunkSize };
  });
}

/** Encode messages with a fresh encoder (each with its forced header type, if any); hex, or the error. */
function encodeAll(lib: Lib, items: { message: RtmpMessage; headerType?: HeaderType }[]) {
  return outcome(() => {
    const e = new lib.ChunkEncoder();
    return items.map((x) => hex(e.encode(x.message, x.headerType))).join(' | ');
  });
}

function encodeBytes(lib: Lib, items: { message: RtmpMessage; headerType?: HeaderType }[]): Uint8Array {
  const e = new lib.ChunkEncoder();
  return concat(...items.map((x) => e.encode(x.message, x.headerType)));
}

const asMessage = (v: View): RtmpMessage => ({ csid: v.csid, type: v.type, streamId: v.streamId, timestamp: v.timestamp, payload: fromHex(v.payload) });

/** The reference's decoding of a capture: trusted (the peer test holds it against ffmpeg and nginx). */
function referenceMessages(bytes: Uint8Array): View[] {
  return new reference.ChunkDecoder().push(bytes).map(view);
}

// ---------------------------------------------------------------------------------------------
// Generated messages (fixed seed)

const arbCsid = fc.oneof(
  fc.integer({ min: 2, max: 63 }),
  fc.integer({ min: 64, max: 319 }),
  fc.integer({ min: 320, max: 65599 }),
);
const arbTimestamp = fc.oneof(
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: 0xfffff0, max: 0x1000010 }),
  fc.integer({ min: 0, max: 0xffffffff }),
);

/**
 * A run of messages on a few chunk streams, each with a header type to force (or none), built so
 * that every forced type is one the message allows: the reference encoder writes them.
 */
interface Plan { items: { message: RtmpMessage; headerType?: HeaderType }[] }
function arbPlan(maxPayload: number, maxMessages = 12): fc.Arbitrary<Plan> {
  return fc
    .record({
      csids: fc.uniqueArray(arbCsid, { minLength: 1, maxLength: 3 }),
      steps: fc.array(
        fc.record({
          stream: fc.nat(2),
          same: fc.constantFrom('all', 'type-length', 'stream', 'none'),
          type: fc.constantFrom(8, 9, 18, 20, 4),
          streamId: fc.constantFrom(0, 1, 0x01020304, 0xffffffff),
          step: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0xfffff0, max: 0x1000100 })),
          start: arbTimestamp,
          length: fc.integer({ min: 0, max: maxPayload }),
          force: fc.boolean(),
          seed: fc.nat(255),
        }),
        { minLength: 1, maxLength: maxMessages },
      ),
    })
    .map(({ csids, steps }) => {
      const last = new Map<number, { message: RtmpMessage; delta: number }>();
      const items: Plan['items'] = [];
      for (const s of steps) {
        const csid = csids[s.stream % csids.length]!;
        const prev = last.get(csid);
        let message: RtmpMessage;
        let delta: number;
        if (!prev || s.same === 'none') {
          message = { csid, type: s.type, streamId: s.streamId, timestamp: s.start, payload: bytesFrom(s.seed, s.length) };
          delta = message.timestamp;
        } else {
          const p = prev.message;
          const step = s.same === 'all' ? prev.delta : s.step;
          const timestamp = (p.timestamp + step) % 0x100000000;
          const keep = s.same === 'all' || s.same === 'type-length';
          const length = keep ? p.payload.length : s.length;
          message = { csid, type: keep ? p.type : s.type, streamId: p.streamId, timestamp, payload: bytesFrom(s.seed, length) };
          delta = step;
        }
        let headerType: HeaderType | undefined;
        if (s.force) {
          // The smallest header the message allows, as ffmpeg would pick it without the
          // encoder's "no deltas backwards" rule: delta modulo 2^32.
          if (!prev || prev.message.streamId !== message.streamId) headerType = 0;
          else if (prev.message.type !== message.type || prev.message.payload.length !== message.payload.length) headerType = 1;
          else headerType = (message.timestamp - prev.message.timestamp + 0x100000000) % 0x100000000 === prev.delta ? 3 : 2;
          if (headerType === 0) delta = message.timestamp;
          else if (headerType !== 3) delta = (message.timestamp - prev!.message.timestamp + 0x100000000) % 0x100000000;
        } else {
          // What the reference's own choice will remember as this chunk stream's delta.
          const r = new reference.ChunkEncoder();
          for (const x of items) r.encode(x.message, x.headerType);
          const bytes = r.encode(message);
          const fmt = bytes[0]! >> 6;
          if (fmt === 0) delta = message.timestamp;
          else if (fmt !== 3) delta = (message.timestamp - prev!.message.timestamp + 0x100000000) % 0x100000000;
          else delta = prev!.delta;
        }
        items.push({ message, headerType });
        last.set(csid, { message, delta });
      }
      return { items };
    });
}

// =============================================================================================
task('basic-header', () => {
  const ROWS: { name: string; fmt: HeaderType; csid: number; bytes: string }[] = [
    { name: 'csid 2, type 0: one byte, 0x02 (protocol control)', fmt: 0, csid: 2, bytes: '02' },
    { name: 'csid 3, type 3: 0xc3, the continuation byte in ffmpeg\'s connect', fmt: 3, csid: 3, bytes: 'c3' },
    { name: 'csid 63, type 1: the largest one-byte id', fmt: 1, csid: 63, bytes: '7f' },
    { name: 'csid 64, type 0: the smallest two-byte id', fmt: 0, csid: 64, bytes: '00 00' },
    { name: 'csid 319, type 2: the largest two-byte id', fmt: 2, csid: 319, bytes: '80 ff' },
    { name: 'csid 320, type 0: the smallest three-byte id', fmt: 0, csid: 320, bytes: '01 00 01' },
    { name: 'csid 1000, type 3: three bytes, csid - 64 little-endian', fmt: 3, csid: 1000, bytes: 'c1 a8 03' },
    { name: 'csid 65599, type 1: the largest id', fmt: 1, csid: 65599, bytes: '41 ff ff' },
  ];

  vectors(ROWS, (row) => {
    expect(hex(learner.encodeBasicHeader(row.fmt, row.csid))).toBe(row.bytes);
    const size = fromHex(row.bytes).length;
    expect(learner.decodeBasicHeader(concat('ee', row.bytes, 'ff'), 1)).toEqual({ fmt: row.fmt, csid: row.csid, size });
  });

  it('reads the longer forms even when a shorter one would do, and reads at an offset', () => {
    expect(learner.decodeBasicHeader(fromHex('01 05 00'))).toEqual({ fmt: 0, csid: 69, size: 3 });
    expect(learner.decodeBasicHeader(fromHex('c0 00'))).toEqual({ fmt: 3, csid: 64, size: 2 });
    expect(learner.decodeBasicHeader(fromHex('43 44 c5'), 2)).toEqual({ fmt: 3, csid: 5, size: 1 });
  });

  it('answers null when the header\'s bytes have not all arrived', () => {
    for (const [bytes, offset] of [['', 0], ['00', 0], ['01', 0], ['01 ff', 0], ['c3 01 ff', 1], ['c3', 1]] as const) {
      expect(outcome(() => learner.decodeBasicHeader(fromHex(bytes), offset)), `${bytes || '(empty)'} at ${offset}`).toEqual({ ok: true, value: null });
    }
  });

  it('refuses chunk stream ids 0 and 1 (they only select the longer forms) and anything past 65599', () => {
    for (const csid of [0, 1, 65600, -1, 2.5, NaN]) {
      expect(outcome(() => learner.encodeBasicHeader(0, csid)), `csid ${csid}`).toEqual(rtmpError('bad-csid'));
    }
    expect(outcome(() => learner.encodeBasicHeader(4 as HeaderType, 3))).toEqual(rtmpError('bad-value'));
  });

  graded('round-trips every header type with generated ids, as the reference writes them', 2, () => {
    forAll(fc.record({ fmt: fc.constantFrom<HeaderType>(0, 1, 2, 3), csid: arbCsid }), ({ fmt, csid }) => {
      const bytes = learner.encodeBasicHeader(fmt, csid);
      expect(hex(bytes)).toBe(hex(reference.encodeBasicHeader(fmt, csid)));
      expect(learner.decodeBasicHeader(bytes)).toEqual({ fmt, csid, size: bytes.length });
    }, 300);
  });
});

// =============================================================================================
task('message-headers', () => {
  it('reads a type 0 header: timestamp, length and type big-endian, the message stream id little-endian', () => {
    expectMessages(decode(learner as Lib, [fromHex('03 000064 000005 14 01000000 68656c6c6f')]), [msg(3, 20, 1, 100, 0, '68656c6c6f')], 'stream 1');
    expectMessages(decode(learner as Lib, [fromHex('04 000000 000001 09 78563412 aa')]), [msg(4, 9, 0x12345678, 0, 0, 'aa')], 'stream 0x12345678');
    expectMessages(decode(learner as Lib, [fromHex('04 000000 000001 09 00000080 aa')]), [msg(4, 9, 0x80000000, 0, 0, 'aa')], 'stream 2^31, not negative');
  });

  graded('types 1, 2 and 3 take what they leave out from the last message on their chunk stream', 2, () => {
    const bytes = concat(
      '03 0003e8 000002 08 05000000 0102', // type 0: t = 1000, 2 bytes of audio on stream 5
      '43 000014 000003 09 030405', //         type 1: delta 20, 3 bytes of video
      '83 00001e 060708', //                    type 2: delta 30, same length and type
      'c3 090a0b', //                           type 3: the same delta again
      'c3 0c0d0e',
    );
    expectMessages(decode(learner as Lib, [bytes]), [
      msg(3, 8, 5, 1000, 0, '0102'),
      msg(3, 9, 5, 1020, 1, '030405'),
      msg(3, 9, 5, 1050, 2, '060708'),
      msg(3, 9, 5, 1080, 3, '090a0b'),
      msg(3, 9, 5, 1110, 3, '0c0d0e'),
    ], 'the four header types in a row');
  });

  it("a type 3 message right after a type 0 one adds the type 0 message's timestamp (§5.3.1.2.4)", () => {
    expectMessages(decode(learner as Lib, [fromHex('05 000028 000001 08 00000000 01  c5 02  c5 03')]), [
      msg(5, 8, 0, 40, 0, '01'),
      msg(5, 8, 0, 80, 3, '02'),
      msg(5, 8, 0, 120, 3, '03'),
    ], 'timestamps 40, 80, 120');
  });

  it('keeps each chunk stream\'s header apart', () => {
    const bytes = concat('03 000010 000001 14 00000000 aa', '04 000100 000002 09 01000000 bbbb', '83 000005 cc', 'c4 dddd', '43 000001 000002 12 eeee');
    expectMessages(decode(learner as Lib, [bytes]), [
      msg(3, 20, 0, 0x10, 0, 'aa'),
      msg(4, 9, 1, 0x100, 0, 'bbbb'),
      msg(3, 20, 0, 0x15, 2, 'cc'),
      msg(4, 9, 1, 0x200, 3, 'dddd'),
      msg(3, 18, 0, 0x16, 1, 'eeee'),
    ], 'two chunk streams');
  });

  graded('reads extended timestamps after type 0, 1 and 2 headers, and again on the type 3 one after them', 2, () => {
    const bytes = concat(
      '06 ffffff 000002 09 01000000 01234567 aabb', // type 0, t = 0x01234567
      '46 ffffff 000001 09 01000000 cc', //            type 1, delta 0x01000000
      'c6 01000000 dd', //                             type 3 repeats the 4-byte delta
      '86 ffffff 02000000 ee', //                      type 2, delta 0x02000000
    );
    expectMessages(decode(learner as Lib, [bytes]), [
      msg(6, 9, 1, 0x01234567, 0, 'aabb'),
      msg(6, 9, 1, 0x02234567, 1, 'cc'),
      msg(6, 9, 1, 0x03234567, 3, 'dd'),
      msg(6, 9, 1, 0x05234567, 2, 'ee'),
    ], 'extended timestamps');
  });

  it('reads 32-bit timestamps as unsigned and wraps sums modulo 2^32; a plain header ends the extended run', () => {
    const bytes = concat(
      '07 ffffff 000001 08 00000000 fffffff0 aa', // t = 0xfffffff0
      '87 000020 bb', //                             delta 0x20: 0x1_0000_0010 wraps to 0x10
      'c7 cc', //                                    no extended field: the last header had none
    );
    expectMessages(decode(learner as Lib, [bytes]), [msg(7, 8, 0, 0xfffffff0, 0, 'aa'), msg(7, 8, 0, 0x10, 2, 'bb'), msg(7, 8, 0, 0x30, 3, 'cc')], 'wrap');
    expectMessages(decode(learner as Lib, [fromHex('08 ffffff 000001 09 00000000 fedcba98 aa')]), [msg(8, 9, 0, 0xfedcba98, 0, 'aa')], 'top bit set');
  });

  it('reads two- and three-byte basic headers before the message header', () => {
    const bytes = concat('00 00 000001 000001 08 00000000 aa', 'c0 00 bb', '01 a8 03 000002 000001 09 02000000 cc', '81 a8 03 000003 dd');
    expectMessages(decode(learner as Lib, [bytes]), [msg(64, 8, 0, 1, 0, 'aa'), msg(64, 8, 0, 2, 3, 'bb'), msg(1000, 9, 2, 2, 0, 'cc'), msg(1000, 9, 2, 5, 2, 'dd')], 'csids 64 and 1000');
  });

  graded('refuses a type 1, 2 or 3 header on a chunk stream that has carried no message, as soon as the basic header is in', 2, () => {
    for (const bytes of ['43 000000 000001 08 aa', '83 000000 aa', 'c3 aa', '43', 'c3', '40 05 000000 000001 08 aa']) {
      expect(decode(learner as Lib, [fromHex(bytes)]), bytes).toEqual(rtmpError('no-previous-header'));
    }
    // Another chunk stream's history does not count.
    expect(decode(learner as Lib, [fromHex('03 000000 000001 08 00000000 aa  84 000000 bb')])).toEqual(rtmpError('no-previous-header'));
  });

  it('refuses a message longer than the decoder allows once its header is in (default 1 MiB)', () => {
    expect(decode(learner as Lib, [fromHex('03 000000 100001 08 00000000')]), 'one byte over 1 MiB').toEqual(rtmpError('message-too-long'));
    expect(decode(learner as Lib, [fromHex('03 000000 100000 08 00000000 0102')]), 'exactly 1 MiB: wait for it').toEqual({ ok: true, value: [] });
    expect(decode(learner as Lib, [fromHex('03 000000 000065 08 00000000')], { maxMessageLength: 100 }), 'limit 100').toEqual(rtmpError('message-too-long'));
    expect(decode(learner as Lib, [fromHex('03 000000 000064 08 00000000')], { maxMessageLength: 100 }), 'exactly 100').toEqual({ ok: true, value: [] });
    expect(decode(learner as Lib, [fromHex('03 000000 000001 08 00000000 aa  43 000000 000065 08')], { maxMessageLength: 100 }), 'a type 1 header too').toEqual(rtmpError('message-too-long'));
  });

  it('delivers messages exactly as long as the limit, and no longer', () => {
    const p = bytesFrom(0, 300);
    const bytes = concat('03 000000 00012c 09 01000000', p.subarray(0, 128), 'c3', p.subarray(128, 256), 'c3', p.subarray(256));
    expectMessages(decode(learner as Lib, [bytes], { maxMessageLength: 300 }), [msg(3, 9, 1, 0, 0, p)], 'limit 300');
    expectMessages(decode(learner as Lib, [fromHex('03 000064 000005 14 01000000 68656c6c6f')], { maxMessageLength: 5 }), [msg(3, 20, 1, 100, 0, '68656c6c6f')], 'limit 5');
    expect(decode(learner as Lib, [bytes], { maxMessageLength: 299 }), 'limit 299').toEqual(rtmpError('message-too-long'));
  });

  it('treats a header cut short as "more bytes needed", never as an error or a message', () => {
    const whole = fromHex('06 ffffff 000002 09 01000000 01234567 aabb');
    for (let n = 0; n < whole.length; n++) {
      expect(decode(learner as Lib, [whole.subarray(0, n)]), `the first ${n} bytes`).toEqual({ ok: true, value: [] });
    }
    expectMessages(decode(learner as Lib, piecesOf(whole, 1)), [msg(6, 9, 1, 0x01234567, 0, 'aabb')], 'one byte at a time');
  });

  graded('decodes generated single-chunk messages (every header type, extended timestamps, long ids) to what was sent', 3, () => {
    forAll(arbPlan(128), (plan) => {
      const bytes = encodeBytes(reference, plan.items);
      const got = decode(learner as Lib, [bytes]);
      const want = new reference.ChunkDecoder().push(bytes).map(view);
      expect(got).toEqual({ ok: true, value: want });
      expect(want.map((v) => asMessage(v))).toEqual(plan.items.map((x) => x.message));
    }, 150);
  });
});

// =============================================================================================
task('reassembly', () => {
  graded("puts ffmpeg's 140-byte connect back together from its two chunks (0xc3 after byte 128)", 2, () => {
    const got = decode(learner as Lib, [A_CLIENT.subarray(0, 12 + 128 + 1 + 12)]);
    expect(A_CLIENT[12 + 128]).toBe(0xc3);
    const payload = concat(A_CLIENT.subarray(12, 140), A_CLIENT.subarray(141, 153));
    expectMessages(got, [msg(3, 20, 0, 0, 0, payload)], 'connect');
    expect(commandName(msg(3, 20, 0, 0, 0, payload))).toBe('connect');
  });

  graded('reassembles interleaved chunk streams, each message complete when its own last chunk is', 2, () => {
    const a = bytesFrom(0, 300);
    const b = bytesFrom(100, 200);
    const bytes = concat(
      '04 000010 00012c 09 01000000', a.subarray(0, 128),
      '05 000011 0000c8 08 01000000', b.subarray(0, 128),
      'c4', a.subarray(128, 256),
      'c5', b.subarray(128),
      'c4', a.subarray(256),
    );
    expectMessages(decode(learner as Lib, [bytes]), [msg(5, 8, 1, 0x11, 0, b), msg(4, 9, 1, 0x10, 0, a)], 'b completes first');
    expectMessages(decode(learner as Lib, piecesOf(bytes, 7)), [msg(5, 8, 1, 0x11, 0, b), msg(4, 9, 1, 0x10, 0, a)], 'in pieces of 7');
  });

  graded('skips the extended timestamp repeated after each type 3 continuation header', 2, () => {
    const p = bytesFrom(7, 200);
    const q = bytesFrom(9, 130);
    const bytes = concat(
      '03 ffffff 0000c8 09 01000000 12345678', p.subarray(0, 128),
      'c3 12345678', p.subarray(128),
      // A new message with a type 3 header: the field again, now as the delta to add.
      'c3 12345678', p.subarray(0, 128),
      'c3 12345678', p.subarray(128),
      // A type 1 header without an extended timestamp: its continuation has none either.
      '43 000001 000082 09', q.subarray(0, 128),
      'c3', q.subarray(128),
    );
    expectMessages(decode(learner as Lib, [bytes]), [msg(3, 9, 1, 0x12345678, 0, p), msg(3, 9, 1, 0x2468acf0, 3, p), msg(3, 9, 1, 0x2468acf1, 1, q)], 'extended continuation');
  });

  it("reads ffmpeg's keyframe with its extended timestamp on every continuation chunk (set-up B)", () => {
    const got = decode(learner as Lib, [B_CLIENT]);
    expect(got.ok).toBe(true);
    const ms = (got as { value: View[] }).value;
    const video = ms.filter((m) => m.type === 9);
    expect(video[1]!.timestamp, 'the keyframe: 16800 s - 200 ms').toBe(16_799_800);
    expect(fromHex(video[1]!.payload).length).toBe(731);
    expect(video.slice(2).map((m) => m.timestamp - video[1]!.timestamp)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 900]);
  });

  graded('decodes both directions of set-up B to the publish sequence', 2, () => {
    const client = decode(learner as Lib, [B_CLIENT]);
    expect(client).toEqual({ ok: true, value: referenceMessages(B_CLIENT) });
    const names = (client as { value: View[] }).value.map(commandName);
    expect(names.slice(0, 8)).toEqual(['connect', 'type 1', 'releaseStream', 'FCPublish', 'createStream', 'publish', '@setDataFrame', 'type 9']);
    expect(names.slice(-2)).toEqual(['FCUnpublish', 'deleteStream']);
    expect((client as { value: View[] }).value.map((m) => m.headerType)).toEqual([0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 3, 3, 1, 1, 1, 3, 1, 1, 1, 1]);
    const server = decode(learner as Lib, [B_SERVER]);
    expect(server).toEqual({ ok: true, value: referenceMessages(B_SERVER) });
    expect((server as { value: View[] }).value.map(commandName)).toEqual(['type 5', 'type 6', 'type 1', '_result', '_result', 'onStatus', 'onStatus']);
  });

  graded('decodes set-up B the same in pieces of every size from 1 to 160 bytes', 2, () => {
    for (const bytes of [B_CLIENT, B_SERVER]) {
      const want = { ok: true, value: referenceMessages(bytes) };
      for (let size = 1; size <= 160; size++) expect(decode(learner as Lib, piecesOf(bytes, size)), `pieces of ${size}`).toEqual(want);
    }
  });

  it('decodes set-up B the same when cut at generated places', () => {
    forAll(fc.array(fc.nat(B_CLIENT.length), { maxLength: 40 }), (cuts) => {
      expect(decode(learner as Lib, cutAt(B_CLIENT, cuts))).toEqual({ ok: true, value: referenceMessages(B_CLIENT) });
    }, 100);
  });

  it('gives the messages of a prefix, without an error, for every prefix of nginx\'s bytes', () => {
    const all = referenceMessages(B_SERVER);
    for (let n = 0; n <= B_SERVER.length; n++) {
      const got = decode(learner as Lib, [B_SERVER.subarray(0, n)]);
      const want = decode(reference, [B_SERVER.subarray(0, n)]);
      expect(got, `the first ${n} bytes`).toEqual(want);
      expect(all.slice(0, (want as { value: View[] }).value.length)).toEqual((want as { value: View[] }).value);
    }
  });

  graded('refuses a type 0, 1 or 2 header on a chunk stream in the middle of a message', 2, () => {
    const start = concat('03 000000 0000c8 14 00000000', bytesFrom(0, 128));
    for (const next of ['03 000000 000001 14 00000000 aa', '43 000000 000001 14 aa', '83 000000 aa', '03', '43']) {
      expect(decode(learner as Lib, [start, fromHex(next)]), next).toEqual(rtmpError('unexpected-header'));
    }
    // Another chunk stream may start a message meanwhile.
    expectMessages(decode(learner as Lib, [start, fromHex('04 000000 000001 14 00000000 aa')]), [msg(4, 20, 0, 0, 0, 'aa')], 'csid 4 meanwhile');
  });

  graded('answers corrupted captures like the reference: the same messages, or the same error', 2, () => {
    const arb = fc.record({
      which: fc.constantFrom(0, 1, 2, 3),
      edits: fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'insert', 'delete'), byte: fc.nat(255) }), { minLength: 1, maxLength: 4 }),
      size: fc.integer({ min: 1, max: 200 }),
    });
    forAll(arb, ({ which, edits, size }) => {
      const bytes = Array.from(CAPTURES[which]!.bytes.subarray(0, 700));
      for (const e of edits) {
        const at = e.at % (bytes.length + 1);
        if (e.kind === 'flip') bytes[Math.min(at, bytes.length - 1)] = e.byte;
        else if (e.kind === 'insert') bytes.splice(at, 0, e.byte);
        else bytes.splice(at, 1);
      }
      const corrupted = Uint8Array.from(bytes);
      expect(decode(learner as Lib, piecesOf(corrupted, size)), hex(corrupted)).toEqual(decode(reference, [corrupted]));
    }, 300);
  });

  it("refuses ffmpeg's keyframe when a type 0 header replaces one of its continuation chunks", () => {
    // The keyframe (set-up B) is the first message whose header has an extended timestamp and
    // more than one chunk: find its first continuation, c6 and the 4-byte field.
    const video = referenceMessages(B_CLIENT).filter((m) => m.type === 9);
    const d = video[1]!.timestamp - video[0]!.timestamp; // the keyframe's delta: 16799800
    const at = hex(B_CLIENT).indexOf(hex(Uint8Array.of(0xc6, d >>> 24, (d >>> 16) & 0xff, (d >>> 8) & 0xff, d & 0xff))) / 3;
    expect(at).toBeGreaterThan(0);
    const restart = concat(B_CLIENT.subarray(0, at), '06 000000 000010 09 01000000', B_CLIENT.subarray(at + 5));
    expect(decode(learner as Lib, [restart])).toEqual(rtmpError('unexpected-header'));
    expect(decode(learner as Lib, piecesOf(restart, 64))).toEqual(rtmpError('unexpected-header'));
  });

  it('completes a zero-length message at its header', () => {
    expectMessages(decode(learner as Lib, [fromHex('03 000005 000000 14 00000000  c3  43 000001 000001 14 aa')]), [
      msg(3, 20, 0, 5, 0, ''),
      msg(3, 20, 0, 10, 3, ''),
      msg(3, 20, 0, 11, 1, 'aa'),
    ], 'empty messages');
  });

  graded('agrees with the reference on generated multi-chunk, interleaved streams, in generated pieces', 2, () => {
    const arb = fc.record({
      plan: arbPlan(400, 8),
      order: fc.array(fc.nat(), { maxLength: 60 }),
      cuts: fc.array(fc.nat(4000), { maxLength: 20 }),
    });
    forAll(arb, ({ plan, order, cuts }) => {
      // Chunks of each chunk stream stay in order; the streams interleave as `order` says.
      const e = new reference.ChunkEncoder();
      const queues = new Map<number, Uint8Array[]>();
      const out: Uint8Array[] = [];
      for (const x of plan.items) {
        const chunks = e.chunks(x.message, x.headerType);
        const q = queues.get(x.message.csid) ?? [];
        // A chunk stream's next message begins only after its last one is all out.
        q.push(...chunks);
        queues.set(x.message.csid, q);
      }
      const ids = [...queues.keys()];
      let k = 0;
      while (ids.some((id) => queues.get(id)!.length > 0)) {
        const live = ids.filter((id) => queues.get(id)!.length > 0);
        const id = live[(order[k++] ?? 0) % live.length]!;
        out.push(queues.get(id)!.shift()!);
      }
      const bytes = concat(...out);
      const pieces = cutAt(bytes, cuts);
      expect(decode(learner as Lib, pieces)).toEqual(decode(reference, [bytes]));
    }, 100);
  });
});

// =============================================================================================
task('control', () => {
  const CONTROLS: { name: string; control: Control; type: number; payload: string }[] = [
    { name: 'Set Chunk Size 4096 (nginx and ffmpeg, set-up A)', control: { kind: 'set-chunk-size', size: 4096 }, type: 1, payload: '00 00 10 00' },
    { name: 'Set Chunk Size 2^31 - 1, the largest', control: { kind: 'set-chunk-size', size: 0x7fffffff }, type: 1, payload: '7f ff ff ff' },
    { name: 'Abort chunk stream 6', control: { kind: 'abort', csid: 6 }, type: 2, payload: '00 00 00 06' },
    { name: 'Acknowledgement of 3000000000 bytes', control: { kind: 'acknowledgement', sequence: 3_000_000_000 }, type: 3, payload: 'b2 d0 5e 00' },
    { name: 'Window Acknowledgement Size 5000000 (nginx)', control: { kind: 'window-ack-size', size: 5_000_000 }, type: 5, payload: '00 4c 4b 40' },
    { name: 'Set Peer Bandwidth 5000000, dynamic (nginx)', control: { kind: 'set-peer-bandwidth', size: 5_000_000, limit: 2 }, type: 6, payload: '00 4c 4b 40 02' },
  ];

  vectors(CONTROLS, (row) => {
    const m = learner.controlMessage(row.control);
    expect({ ...m, payload: hex(m.payload) }).toEqual({ csid: 2, type: row.type, streamId: 0, timestamp: 0, payload: row.payload });
    expect(learner.parseControl({ csid: 2, type: row.type, streamId: 0, timestamp: 0, payload: fromHex(row.payload) })).toEqual(row.control);
  });

  it("parses nginx's first three messages, and writes them back to nginx's bytes", () => {
    const ms = referenceMessages(A_SERVER).slice(0, 3).map(asMessage);
    const controls = ms.map((m) => learner.parseControl(m));
    expect(controls).toEqual([
      { kind: 'window-ack-size', size: 5_000_000 },
      { kind: 'set-peer-bandwidth', size: 5_000_000, limit: 2 },
      { kind: 'set-chunk-size', size: 4096 },
    ]);
    const e = new reference.ChunkEncoder();
    const again = concat(...controls.map((c) => e.encode(learner.controlMessage(c!), 0)));
    expect(hex(again)).toBe(hex(A_SERVER.subarray(0, again.length)));
    expect(learner.parseControl(asMessage(referenceMessages(A_SERVER)[3]!)), '_result is no control message').toBe(null);
  });

  graded('refuses malformed control payloads', 2, () => {
    const bad: [number, string, string][] = [
      [1, '00 00 00 00', 'bad-chunk-size'],
      [1, '80 00 00 00', 'bad-chunk-size'],
      [1, 'ff ff ff ff', 'bad-chunk-size'],
      [1, '00 00 10', 'bad-control'],
      [1, '00 00 10 00 00', 'bad-control'],
      [2, '00 00 00 01', 'bad-csid'],
      [2, '00 00 00 00', 'bad-csid'],
      [2, '00 01 00 40', 'bad-csid'],
      [3, '', 'bad-control'],
      [5, '00 4c 4b', 'bad-control'],
      [6, '00 4c 4b 40', 'bad-control'],
      [6, '00 4c 4b 40 03', 'bad-control'],
    ];
    for (const [type, payload, code] of bad) {
      expect(outcome(() => learner.parseControl({ csid: 2, type, streamId: 0, timestamp: 0, payload: fromHex(payload) })), `type ${type}: ${payload}`).toEqual(rtmpError(code));
    }
    expect(outcome(() => learner.parseControl({ csid: 2, type: 2, streamId: 0, timestamp: 0, payload: fromHex('00 01 00 3f') }))).toEqual({ ok: true, value: { kind: 'abort', csid: 65599 } });
    expect(outcome(() => learner.parseControl({ csid: 3, type: 9, streamId: 1, timestamp: 0, payload: fromHex('00') }))).toEqual({ ok: true, value: null });
  });

  it('refuses control values it cannot write', () => {
    const bad: [Control, string][] = [
      [{ kind: 'set-chunk-size', size: 0 }, 'bad-chunk-size'],
      [{ kind: 'set-chunk-size', size: 0x80000000 }, 'bad-chunk-size'],
      [{ kind: 'set-chunk-size', size: 1.5 }, 'bad-chunk-size'],
      [{ kind: 'abort', csid: 1 }, 'bad-csid'],
      [{ kind: 'acknowledgement', sequence: -1 }, 'bad-value'],
      [{ kind: 'window-ack-size', size: 2 ** 32 }, 'bad-value'],
      [{ kind: 'set-peer-bandwidth', size: 1000, limit: 3 as 2 }, 'bad-value'],
      [{ kind: 'ping', size: 1 } as unknown as Control, 'bad-value'],
    ];
    for (const [c, code] of bad) expect(outcome(() => learner.controlMessage(c)), JSON.stringify(c)).toEqual(rtmpError(code));
  });

  graded("applies nginx's and ffmpeg's Set Chunk Size 4096: one-chunk _result and @setDataFrame (set-up A)", 2, () => {
    for (const bytes of [A_SERVER, A_CLIENT]) {
      const got = decode(learner as Lib, [bytes]);
      expect(got).toEqual({ ok: true, value: referenceMessages(bytes) });
    }
    const server = (decode(learner as Lib, [A_SERVER]) as { value: View[] }).value;
    expect(server.map(commandName)).toEqual(['type 5', 'type 6', 'type 1', '_result', '_result', 'onStatus', 'onStatus']);
    expect(fromHex(server[3]!.payload).length, 'the connect _result: 190 bytes in one chunk').toBe(190);
    const d = new learner.ChunkDecoder();
    expect(d.chunkSize).toBe(128);
    d.push(A_CLIENT);
    expect(d.chunkSize).toBe(4096);
  });

  graded('decodes set-up A the same in pieces of every size from 1 to 160 bytes', 2, () => {
    for (const bytes of [A_CLIENT, A_SERVER]) {
      const want = { ok: true, value: referenceMessages(bytes) };
      for (let size = 1; size <= 160; size++) expect(decode(learner as Lib, piecesOf(bytes, size)), `pieces of ${size}`).toEqual(want);
    }
  });

  it('applies a new chunk size to the rest of a message already under way', () => {
    const p = bytesFrom(0, 300);
    const bytes = concat('05 000000 00012c 09 01000000', p.subarray(0, 128), '02 000000 000004 01 00000000 000003e8', 'c5', p.subarray(128));
    expectMessages(decode(learner as Lib, [bytes]), [msg(2, 1, 0, 0, 0, '000003e8'), msg(5, 9, 1, 0, 0, p)], 'chunk size 1000 mid-message');
    agreeDecode('the same, in pieces of 5', piecesOf(bytes, 5));
  });

  graded('refuses a Set Chunk Size of 0 or with its top bit set, or of the wrong length, in the stream', 2, () => {
    expect(decode(learner as Lib, [fromHex('02 000000 000004 01 00000000 00000000')])).toEqual(rtmpError('bad-chunk-size'));
    expect(decode(learner as Lib, [fromHex('02 000000 000004 01 00000000 80000080')])).toEqual(rtmpError('bad-chunk-size'));
    expect(decode(learner as Lib, [fromHex('02 000000 000003 01 00000000 001000')])).toEqual(rtmpError('bad-control'));
    expect(decode(learner as Lib, [fromHex('02 000000 000004 02 00000000 00000001')]), 'abort csid 1').toEqual(rtmpError('bad-csid'));
    expectMessages(decode(learner as Lib, [fromHex('02 000000 000004 01 00000000 00000001  03 000000 000003 09 00000000 aa c3 bb c3 cc')]), [
      msg(2, 1, 0, 0, 0, '00000001'),
      msg(3, 9, 0, 0, 0, 'aabbcc'),
    ], 'chunk size 1 is allowed');
  });

  graded('Abort drops the message in progress on that chunk stream, and the next header starts afresh', 2, () => {
    const p = bytesFrom(0, 300);
    const bytes = concat(
      '04 000064 00012c 09 01000000', p.subarray(0, 128), // a 300-byte message begins on csid 4
      '02 000000 000004 02 00000000 00000004', //           Abort chunk stream 4
      '04 0000c8 000002 08 01000000 abcd', //                a new type 0 message on csid 4
    );
    expectMessages(decode(learner as Lib, [bytes]), [msg(2, 2, 0, 0, 0, '00000004'), msg(4, 8, 1, 200, 0, 'abcd')], 'abort, then type 0');
    // After an Abort a type 3 header starts a new message, with the aborted one's header.
    const again = concat('04 000064 00012c 09 01000000', p.subarray(0, 128), '02 000000 000004 02 00000000 00000004', 'c4', p.subarray(0, 128), 'c4', p.subarray(128, 256), 'c4', p.subarray(256));
    expectMessages(decode(learner as Lib, [again]), [msg(2, 2, 0, 0, 0, '00000004'), msg(4, 9, 1, 200, 3, p)], 'abort, then type 3');
    // An Abort for a chunk stream with nothing in progress changes nothing.
    expectMessages(decode(learner as Lib, [fromHex('02 000000 000004 02 00000000 00000009  42 000000 000001 09 aa')]), [msg(2, 2, 0, 0, 0, '00000009'), msg(2, 9, 0, 0, 1, 'aa')], 'abort of nothing');
  });

  it('Abort drops only the aborted chunk stream\'s message, whatever is interleaved, in any pieces', () => {
    const a = bytesFrom(0, 300);
    const b = bytesFrom(9, 200);
    const bytes = concat(
      '04 000001 00012c 09 01000000', a.subarray(0, 128),
      '05 000002 0000c8 08 01000000', b.subarray(0, 128),
      '02 000000 000004 02 00000000 00000004', // Abort csid 4: its 128 bytes are dropped
      'c5', b.subarray(128), //                  csid 5 completes
      '44 000003 000002 09 eeff', //             csid 4 starts over with a type 1 header
    );
    const want = [msg(2, 2, 0, 0, 0, '00000004'), msg(5, 8, 1, 2, 0, b), msg(4, 9, 1, 4, 1, 'eeff')];
    for (const size of [1, 13, 1000]) expectMessages(decode(learner as Lib, piecesOf(bytes, size)), want, `pieces of ${size}`);
  });

  graded('follows Set Chunk Size changes that land between the chunks of other messages (generated)', 2, () => {
    // A sender simulated here: messages on chunk streams 3 to 6 and Set Chunk Size messages on 2,
    // chunk by chunk in a generated order, each chunk cut with the size in force when it is sent.
    const arb = fc.record({
      sizes: fc.array(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 100, max: 300 })), { minLength: 1, maxLength: 5 }),
      lengths: fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 8 }),
      order: fc.array(fc.nat(), { maxLength: 400 }),
      cut: fc.integer({ min: 1, max: 90 }),
    });
    forAll(arb, ({ sizes, lengths, order, cut }) => {
      const queues = new Map<number, { header: Uint8Array; payload: Uint8Array; sent: number; size?: number }[]>();
      const put = (csid: number, header: string, payload: Uint8Array, size?: number) => {
        const q = queues.get(csid) ?? [];
        q.push({ header: fromHex(header), payload, sent: -1, size });
        queues.set(csid, q);
      };
      for (const s of sizes) put(2, '02 000000 000004 01 00000000', reference.controlMessage({ kind: 'set-chunk-size', size: s }).payload, s);
      lengths.forEach((n, i) => {
        const csid = 3 + (i % 4);
        const len = n.toString(16).padStart(6, '0');
        put(csid, `0${csid} 000000 ${len} 09 01000000`, bytesFrom(i, n));
      });
      let chunkSize = 128;
      const out: Uint8Array[] = [];
      let k = 0;
      for (;;) {
        const live = [...queues.keys()].filter((id) => queues.get(id)!.length > 0);
        if (live.length === 0) break;
        const csid = live[(order[k++] ?? 0) % live.length]!;
        const m = queues.get(csid)![0]!;
        const from = Math.max(m.sent, 0);
        const to = Math.min(m.payload.length, from + chunkSize);
        out.push(m.sent < 0 ? m.header : Uint8Array.of(0xc0 | csid), m.payload.subarray(from, to));
        m.sent = to;
        if (to === m.payload.length) {
          queues.get(csid)!.shift();
          if (m.size !== undefined) chunkSize = m.size;
        }
      }
      const bytes = concat(...out);
      const want = decode(reference, [bytes]);
      expect(want.ok, 'the simulated stream is sound').toBe(true);
      expect(decode(learner as Lib, piecesOf(bytes, cut))).toEqual(want);
    }, 150);
  });

  /** Window Acknowledgement Size `size` on chunk stream 2: 16 bytes (12 of header, 4 of payload). */
  const was = (size: number) => encodeBytes(reference, [{ message: reference.controlMessage({ kind: 'window-ack-size', size }), headerType: 0 }]);
  /** A message of n bytes on chunk stream 3: 12 header bytes, n, and one byte per continuation chunk. */
  const filler = (n: number) => new reference.ChunkEncoder().encode({ csid: 3, type: 9, streamId: 1, timestamp: 0, payload: bytesFrom(0, n) });

  graded('owes an Acknowledgement each time the bytes since the last one reach the window', 3, () => {
    // Window 1000 (16 bytes), a 2900-byte message (12 + 2900 + 22 = 2934 bytes: to 2950), then a
    // 40-byte one in two pieces (to 3002): owed at 1000, 2000 and 3000.
    expect(was(1000).length).toBe(16);
    expect(filler(2900).length).toBe(2934);
    const got = decodeWithAcks(learner as Lib, [concat(was(1000), filler(2900)), fromHex('03 000000 000028 09 01000000'), bytesFrom(0, 40)]);
    expect(got).toEqual({ ok: true, value: { messages: [5, 9, 9], acks: [1000, 2000, 3000], bytesReceived: 3002, windowSize: 1000, chunkSize: 128 } });
    // The window counts from the byte where its message ended: 1019 bytes came before a window
    // of 500 whose message ends at 1035, so one is owed right there.
    const late = decodeWithAcks(learner as Lib, [filler(1000), was(500)]);
    expect(late).toEqual({ ok: true, value: { messages: [9, 5], acks: [1035], bytesReceived: 1035, windowSize: 500, chunkSize: 128 } });
  });

  it('keeps counting across a window change, and owes nothing without a window', () => {
    const none = decodeWithAcks(learner as Lib, [filler(5000)]);
    expect(none).toEqual({ ok: true, value: { messages: [9], acks: [], bytesReceived: 12 + 5000 + 39, windowSize: 0, chunkSize: 128 } });
    // Window 1000 (to 16), 1019 bytes (to 1035: owed at 1000), window 3000 (to 1051), then 3035
    // bytes (to 4086): the next is owed at 1000 + 3000 = 4000.
    const got = decodeWithAcks(learner as Lib, [was(1000), filler(1000), fromHex('02 000000 000004 05 00000000 00000bb8'), filler(3000)]);
    expect(got).toEqual({ ok: true, value: { messages: [5, 9, 5, 9], acks: [1000, 4000], bytesReceived: 4086, windowSize: 3000, chunkSize: 128 } });
  });

  graded('owes the same Acknowledgements however the bytes are cut', 2, () => {
    const bytes = concat(was(700), filler(1500), was(250), filler(600), filler(90), was(1200), filler(3000));
    const want = decodeWithAcks(reference, [bytes]);
    expect((want as { value: { acks: number[] } }).value.acks.length).toBeGreaterThan(5);
    for (const size of [1, 2, 3, 7, 16, 100, 129, 1000]) expect(decodeWithAcks(learner as Lib, piecesOf(bytes, size)), `pieces of ${size}`).toEqual(want);
    forAll(fc.array(fc.nat(bytes.length), { maxLength: 30 }), (cuts) => {
      expect(decodeWithAcks(learner as Lib, cutAt(bytes, cuts))).toEqual(want);
    }, 60);
  });

  it('hands each owed Acknowledgement over once', () => {
    const d = new learner.ChunkDecoder();
    d.push(was(100));
    expect(d.takeAcknowledgements()).toEqual([]);
    d.push(filler(200)); // 16 + 213 = 229: owed at 100 and 200
    expect(d.takeAcknowledgements()).toEqual([100, 200]);
    expect(d.takeAcknowledgements()).toEqual([]);
    expect(d.bytesReceived).toBe(229);
    expect(d.windowSize).toBe(100);
  });
});

// =============================================================================================
task('encoder', () => {
  const capturedPlan = (bytes: Uint8Array) => referenceMessages(bytes).map((v) => ({ message: asMessage(v), headerType: v.headerType }));

  graded("writes ffmpeg's and nginx's bytes again, given their header types", 3, () => {
    for (const c of CAPTURES) {
      expect(encodeAll(learner as Lib, capturedPlan(c.bytes)), c.name).toEqual(encodeAll(reference, capturedPlan(c.bytes)));
      expect(hex(encodeBytes(learner as Lib, capturedPlan(c.bytes))), c.name).toBe(hex(c.bytes));
    }
  });

  graded("chooses ffmpeg's header types itself where ffmpeg chose the smallest (set-up B, set-up A's first messages)", 2, () => {
    for (const bytes of [B_CLIENT, A_CLIENT]) {
      const own = capturedPlan(bytes).map((x) => ({ message: x.message }));
      expect(hex(encodeBytes(learner as Lib, own))).toBe(hex(bytes));
    }
  });

  const m = (csid: number, type: number, streamId: number, timestamp: number, payload: string): RtmpMessage => ({ csid, type, streamId, timestamp, payload: fromHex(payload) });

  graded('picks the smallest header: type 0 first and on a new stream id or a step back, then 1, 2 or 3', 3, () => {
    const items = [
      m(3, 9, 1, 1000, 'aa'), //   first on csid 3: type 0
      m(3, 9, 1, 1040, 'bb'), //   same type and length, delta 40: type 2
      m(3, 9, 1, 1080, 'cc'), //   the same delta: type 3
      m(3, 9, 1, 1120, 'dddd'), // another length: type 1
      m(3, 8, 1, 1160, 'eeee'), // another type: type 1
      m(3, 8, 2, 1200, 'eeee'), // another stream id: type 0
      m(3, 8, 2, 1100, 'eeee'), // back in time: type 0
      m(3, 8, 2, 2200, 'eeee'), // delta 1100 after a type 0 at 1100: type 3
    ].map((message) => ({ message }));
    expect(encodeAll(learner as Lib, items)).toEqual({
      ok: true,
      value: [
        '03 00 03 e8 00 00 01 09 01 00 00 00 aa',
        '83 00 00 28 bb',
        'c3 cc',
        '43 00 00 28 00 00 02 09 dd dd',
        '43 00 00 28 00 00 02 08 ee ee',
        '03 00 04 b0 00 00 02 08 02 00 00 00 ee ee',
        '03 00 04 4c 00 00 02 08 02 00 00 00 ee ee',
        'c3 ee ee',
      ].join(' | '),
    });
  });

  it('splits a message into chunks of the chunk size, each after the first with a type 3 header', () => {
    const p = bytesFrom(0, 300);
    const e = new learner.ChunkEncoder();
    expect(e.chunkSize).toBe(128);
    const chunks = e.chunks({ csid: 6, type: 9, streamId: 1, timestamp: 0, payload: p });
    expect(chunks.map((c) => hex(c))).toEqual([
      hex(concat('06 000000 00012c 09 01000000', p.subarray(0, 128))),
      hex(concat('c6', p.subarray(128, 256))),
      hex(concat('c6', p.subarray(256))),
    ]);
    const big = e.chunks({ csid: 1000, type: 9, streamId: 1, timestamp: 0, payload: p.subarray(0, 129) });
    expect(big.map((c) => hex(c.subarray(0, 4)))).toEqual(['01 a8 03 00', hex(concat('c1 a8 03', p.subarray(128, 129)))]);
  });

  it('writes an empty message as one chunk, its header alone', () => {
    const e = new learner.ChunkEncoder();
    expect(e.chunks({ csid: 3, type: 20, streamId: 0, timestamp: 5, payload: new Uint8Array(0) }).map((c) => hex(c))).toEqual(['03 00 00 05 00 00 00 14 00 00 00 00']);
    expect(e.chunks({ csid: 3, type: 20, streamId: 0, timestamp: 10, payload: new Uint8Array(0) }).map((c) => hex(c))).toEqual(['c3']);
  });

  graded('writes extended timestamps from 0xFFFFFF up, repeated after each continuation header', 3, () => {
    const p = bytesFrom(0, 130);
    const items = [
      m(4, 9, 1, 0xfffffe, 'aa'), //           just below: a plain field
      m(4, 9, 1, 0xfffffe + 0xffffff, 'bb'), // delta 0xFFFFFF exactly: extended
    ].map((message) => ({ message }));
    expect(encodeAll(learner as Lib, items)).toEqual({ ok: true, value: '04 ff ff fe 00 00 01 09 01 00 00 00 aa | 84 ff ff ff 00 ff ff ff bb' });
    const e = new learner.ChunkEncoder();
    const chunks = e.chunks({ csid: 4, type: 9, streamId: 1, timestamp: 0x12345678, payload: p });
    expect(chunks.map((c) => hex(c.subarray(0, 17)))).toEqual([
      hex(concat('04 ffffff 000082 09 01000000 12345678', p.subarray(0, 1))),
      hex(concat('c4 12345678', p.subarray(128))),
    ]);
    // The next message, with the same delta again: a type 3 header, and the field again.
    const next = e.chunks({ csid: 4, type: 9, streamId: 1, timestamp: 0x2468acf0, payload: p });
    expect(next.map((c) => hex(c.subarray(0, 5)))).toEqual(['c4 12 34 56 78', 'c4 12 34 56 78']);
  });

  graded('applies its own Set Chunk Size to what follows it', 2, () => {
    const e = new learner.ChunkEncoder();
    const p = bytesFrom(0, 300);
    expect(hex(e.encode(reference.controlMessage({ kind: 'set-chunk-size', size: 200 })))).toBe('02 00 00 00 00 00 04 01 00 00 00 00 00 00 00 c8');
    expect(e.chunkSize).toBe(200);
    expect(e.chunks({ csid: 5, type: 9, streamId: 1, timestamp: 0, payload: p }).map((c) => c.length)).toEqual([12 + 200, 1 + 100]);
    // ffmpeg's own answer in set-up A: everything after its Set Chunk Size 4096 in one chunk.
    const a = capturedPlan(A_CLIENT);
    const f = new learner.ChunkEncoder();
    const sizes = a.map((x) => f.chunks(x.message, x.headerType).length);
    expect(sizes).toEqual([2, 1, 1, 1, 1, 1, 1, 1]);
    expect(f.chunkSize).toBe(4096);
  });

  it('refuses a Set Chunk Size it could not apply', () => {
    for (const payload of ['00000000', '80000000', '0010']) {
      const e = new learner.ChunkEncoder();
      expect(outcome(() => e.encode({ csid: 2, type: 1, streamId: 0, timestamp: 0, payload: fromHex(payload) })), payload).toEqual(payload === '0010' ? rtmpError('bad-control') : rtmpError('bad-chunk-size'));
      expect(e.chunkSize).toBe(128);
    }
  });

  graded('refuses a forced header type the message does not allow', 2, () => {
    const first = { message: m(3, 9, 1, 100, 'aa') };
    const cases: [RtmpMessage, HeaderType, string][] = [
      [m(4, 9, 1, 100, 'aa'), 1, 'type 1 on a new chunk stream'],
      [m(3, 9, 2, 200, 'aa'), 1, 'type 1 with another stream id'],
      [m(3, 9, 1, 200, 'aabb'), 2, 'type 2 with another length'],
      [m(3, 8, 1, 200, 'aa'), 2, 'type 2 with another type'],
      [m(3, 9, 1, 250, 'aa'), 3, 'type 3 with another delta (100 after a type 0 at 100)'],
    ];
    for (const [message, headerType, what] of cases) {
      expect(encodeAll(learner as Lib, [first, { message, headerType }]), what).toEqual(rtmpError('bad-header-type'));
    }
    expect(encodeAll(learner as Lib, [first, { message: m(3, 9, 1, 200, 'aa'), headerType: 3 }]), 'type 3 with delta 100').toEqual({ ok: true, value: '03 00 00 64 00 00 01 09 01 00 00 00 aa | c3 aa' });
    expect(encodeAll(learner as Lib, [first, { message: m(3, 9, 1, 90, 'aa'), headerType: 2 }]), 'a forced delta backwards wraps').toEqual({ ok: true, value: '03 00 00 64 00 00 01 09 01 00 00 00 aa | 83 ff ff ff ff ff ff f6 aa' });
  });

  it('refuses values it cannot write', () => {
    const ok = { csid: 3, type: 9, streamId: 1, timestamp: 0, payload: fromHex('aa') };
    const cases: [RtmpMessage, HeaderType | undefined, string][] = [
      [{ ...ok, csid: 1 }, undefined, 'bad-csid'],
      [{ ...ok, csid: 65600 }, undefined, 'bad-csid'],
      [{ ...ok, type: 256 }, undefined, 'bad-value'],
      [{ ...ok, streamId: -1 }, undefined, 'bad-value'],
      [{ ...ok, timestamp: 2 ** 32 }, undefined, 'bad-value'],
      [{ ...ok, timestamp: 1.5 }, undefined, 'bad-value'],
      [{ ...ok, payload: [1, 2] as unknown as Uint8Array }, undefined, 'bad-value'],
      [ok, 4 as HeaderType, 'bad-value'],
      [{ ...ok, payload: new Uint8Array(0x1000000) }, undefined, 'message-too-long'],
    ];
    for (const [message, headerType, code] of cases) {
      const e = new learner.ChunkEncoder();
      expect(outcome(() => e.encode(message, headerType)), `${code}: ${JSON.stringify({ ...message, payload: message.payload.length })}`).toEqual(rtmpError(code));
    }
  });

  graded('agrees with the reference on generated messages, its own choice or forced, and its bytes decode to them', 3, () => {
    forAll(arbPlan(300), (plan) => {
      expect(encodeAll(learner as Lib, plan.items)).toEqual(encodeAll(reference, plan.items));
      const own = plan.items.map((x) => ({ message: x.message }));
      expect(encodeAll(learner as Lib, own)).toEqual(encodeAll(reference, own));
      const decoded = new reference.ChunkDecoder().push(encodeBytes(learner as Lib, own)).map((v) => asMessage(view(v)));
      expect(decoded).toEqual(plan.items.map((x) => x.message));
    }, 120);
  });

  it('writes chunks a decoder can interleave with another chunk stream\'s', () => {
    const e = new learner.ChunkEncoder();
    const a = e.chunks({ csid: 4, type: 9, streamId: 1, timestamp: 40, payload: bytesFrom(0, 300) });
    const b = e.chunks({ csid: 5, type: 8, streamId: 1, timestamp: 41, payload: bytesFrom(50, 200) });
    const bytes = concat(a[0]!, b[0]!, a[1]!, b[1]!, a[2]!);
    expect(new reference.ChunkDecoder().push(bytes).map(view)).toEqual([msg(5, 8, 1, 41, 0, bytesFrom(50, 200)), msg(4, 9, 1, 40, 0, bytesFrom(0, 300))]);
  });
});
