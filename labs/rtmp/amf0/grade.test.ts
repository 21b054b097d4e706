import { it, expect } from 'vitest';
import { task, graded, vectors, forAll, fc, outcome, hex, fromHex, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { amfObject, ecmaArray, MAX_DEPTH } from './types';
import type { Amf0Command, Amf0Date, Amf0EcmaArray, Amf0Object, Amf0Property, Amf0Value } from './types';
import * as cap from './captures';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

// ---------------------------------------------------------------------------------------------
// Helpers

function amfError(code: string) {
  return { ok: false, error: 'Amf0Error', code };
}

/** A value in a report: JSON, with bytes as hex and the values JSON has no words for. */
function show(v: unknown): string {
  if (v instanceof Uint8Array) return `<${v.length > 64 ? `${hex(v.subarray(0, 64))} ... (${v.length} bytes)` : hex(v)}>`;
  if (v === undefined) return 'undefined';
  return JSON.stringify(v, (_, x: unknown) => {
    if (x instanceof Uint8Array) return `<${hex(x)}>`;
    if (x === undefined) return '(undefined)';
    if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
    if (typeof x === 'number' && Object.is(x, -0)) return '-0';
    if (typeof x === 'string' && x.length > 80) return `${x.slice(0, 40)}... (${x.length} characters)`;
    return x;
  });
}

/** Where two values first differ, in words ("value.properties[2][1]: got 1, want 2"). */
function firstDifference(got: unknown, want: unknown, path = ''): string | undefined {
  if (Object.is(got, want)) return undefined;
  const at = path || 'the value';
  if (typeof got === 'string' && typeof want === 'string' && /^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(want)) {
    const g = got.split(' ');
    const w = want.split(' ');
    let i = 0;
    while (i < g.length && i < w.length && g[i] === w[i]) i++;
    return `${at}: bytes differ from offset ${i}: got ${g.slice(i, i + 12).join(' ') || '(end)'}, want ${w.slice(i, i + 12).join(' ') || '(end)'}`;
  }
  if (typeof got === 'object' && got !== null && typeof want === 'object' && want !== null && Array.isArray(got) === Array.isArray(want)) {
    const g = got as Record<string, unknown>;
    const w = want as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(w), ...Object.keys(g)])];
    for (const k of keys) {
      const sub = Array.isArray(want) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      const d = firstDifference(g[k], w[k], sub);
      if (d) return d;
    }
    return undefined;
  }
  return `${at}: got ${show(got)}, want ${show(want)}`;
}

/** toEqual, with a message naming the case and the first place that differs. */
function same(got: unknown, want: unknown, label: string): void {
  try {
    expect(got, label).toEqual(want);
  } catch {
    const d = firstDifference(got, want);
    expect(got, d ? `${label}: ${d}` : label).toEqual(want);
  }
}

type Api = typeof reference;

/** Learner and reference do the same thing: the same value, or the same error and code. */
function agree<T>(label: string, call: (m: Api) => T): void {
  same(outcome(() => call(learner as Api)), outcome(() => call(reference)), label);
}

/** Bytes compared as hex, so a mismatch names the first differing offset. */
function agreeBytes(label: string, call: (m: Api) => Uint8Array): void {
  agree(label, (m) => hex(call(m)));
}

/** Two byte strings of any size: equal, or a message with the first offset that differs. */
function sameBytes(got: Uint8Array, want: Uint8Array, label: string): void {
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  if (i === got.length && i === want.length) return;
  const around = (b: Uint8Array) => (i < b.length ? hex(b.subarray(i, i + 12)) : '(end)');
  expect.fail(`${label}: ${got.length} bytes, want ${want.length}; they differ from offset ${i}: got ${around(got)}, want ${around(want)}`);
}

function concat(...parts: (Uint8Array | string | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? fromHex(p) : Array.isArray(p) ? Uint8Array.from(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** `bytes` as a window in the middle of a larger buffer, as a socket's data often is. */
function windowed(bytes: Uint8Array, before: number, after: number): Uint8Array {
  const big = new Uint8Array(before + bytes.length + after).fill(0xee);
  big.set(bytes, before);
  return big.subarray(before, before + bytes.length);
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const canonical = (v: Amf0Value): Amf0Value => reference.decodeValue(reference.encodeValue(v));

/** Container nesting of `depth` levels, kinds taken in turn from `kinds`, around a null. */
function nested(depth: number, kinds: readonly ('object' | 'ecma' | 'strict')[]): { value: Amf0Value; bytes: Uint8Array } {
  let value: Amf0Value = null;
  let bytes: Uint8Array = Uint8Array.of(0x05);
  for (let i = depth - 1; i >= 0; i--) {
    const kind = kinds[i % kinds.length]!;
    if (kind === 'object') {
      value = amfObject([['k', value]]);
      bytes = concat('03 0001 6b', bytes, '00 00 09');
    } else if (kind === 'ecma') {
      value = { type: 'ecma-array', properties: [['k', value]], count: 1 };
      bytes = concat('08 00000001 0001 6b', bytes, '00 00 09');
    } else {
      value = [value];
      bytes = concat('0a 00000001', bytes);
    }
  }
  return { value, bytes };
}

// ---------------------------------------------------------------------------------------------
// Captured bodies (captures.ts says how they were made)

const CAPTURES = cap.CAPTURES.map((c) => ({ ...c, bytes: fromHex(c.hex) }));
const COMMANDS = CAPTURES.filter((c) => c.type === 20);
const bytesOf = (name: string) => CAPTURES.find((c) => c.name === name)!.bytes;

const CONNECT_SUCCESS = amfObject([
  ['level', 'status'],
  ['code', 'NetConnection.Connect.Success'],
  ['description', 'Connection succeeded.'],
  ['objectEncoding', 0],
]);
const status = (code: string, description: string) => amfObject([['level', 'status'], ['code', code], ['description', description]]);

const COMMAND_ROWS: { name: string; capture: string; want: Amf0Command }[] = [
  {
    name: "ffmpeg's connect: app, type, flashVer, tcUrl",
    capture: 'FFMPEG_CONNECT',
    want: {
      name: 'connect', transactionId: 1, args: [],
      commandObject: amfObject([
        ['app', 'live'],
        ['type', 'nonprivate'],
        ['flashVer', 'FMLE/3.0 (compatible; Lavf59.27.100)'],
        ['tcUrl', 'rtmp://127.0.0.1:39961/live'],
      ]),
    },
  },
  {
    name: "nginx-rtmp's _result to connect: fmsVer, capabilities 31, NetConnection.Connect.Success",
    capture: 'NGINX_CONNECT_RESULT',
    want: { name: '_result', transactionId: 1, commandObject: amfObject([['fmsVer', 'FMS/3,0,1,123'], ['capabilities', 31]]), args: [CONNECT_SUCCESS] },
  },
  { name: "ffmpeg's releaseStream('s'), transaction 2", capture: 'FFMPEG_RELEASE_STREAM', want: { name: 'releaseStream', transactionId: 2, commandObject: null, args: ['s'] } },
  { name: "ffmpeg's createStream, transaction 4", capture: 'FFMPEG_CREATE_STREAM', want: { name: 'createStream', transactionId: 4, commandObject: null, args: [] } },
  { name: "nginx-rtmp's _result to createStream: stream id 1", capture: 'NGINX_CREATE_STREAM_RESULT', want: { name: '_result', transactionId: 4, commandObject: null, args: [1] } },
  { name: "ffmpeg's publish('s', 'live')", capture: 'FFMPEG_PUBLISH', want: { name: 'publish', transactionId: 5, commandObject: null, args: ['s', 'live'] } },
  {
    name: "nginx-rtmp's onStatus NetStream.Publish.Start",
    capture: 'NGINX_PUBLISH_START',
    want: { name: 'onStatus', transactionId: 0, commandObject: null, args: [status('NetStream.Publish.Start', 'Start publishing')] },
  },
  {
    name: "rtmpdump's connect: fpad false, capabilities 15, audioCodecs 3191, videoCodecs 252",
    capture: 'RTMPDUMP_CONNECT',
    want: {
      name: 'connect', transactionId: 1, args: [],
      commandObject: amfObject([
        ['app', 'live'],
        ['flashVer', 'LNX 10,0,32,18'],
        ['tcUrl', 'rtmp://127.0.0.1:44077/live'],
        ['fpad', false],
        ['capabilities', 15],
        ['audioCodecs', 3191],
        ['videoCodecs', 252],
        ['videoFunction', 1],
      ]),
    },
  },
  { name: "rtmpdump's play('s', -1000)", capture: 'RTMPDUMP_PLAY', want: { name: 'play', transactionId: 4, commandObject: null, args: ['s', -1000] } },
];

/** Every other captured command, as the tests expect it decoded. */
const OTHER_COMMANDS: Record<string, Amf0Command> = {
  FFMPEG_FCPUBLISH: { name: 'FCPublish', transactionId: 3, commandObject: null, args: ['s'] },
  FFMPEG_FCUNPUBLISH: { name: 'FCUnpublish', transactionId: 6, commandObject: null, args: ['s'] },
  FFMPEG_DELETE_STREAM: { name: 'deleteStream', transactionId: 7, commandObject: null, args: [1] },
  NGINX_UNPUBLISH_SUCCESS: { name: 'onStatus', transactionId: 0, commandObject: null, args: [status('NetStream.Unpublish.Success', 'Stop publishing')] },
  RTMPDUMP_CREATE_STREAM: { name: 'createStream', transactionId: 2, commandObject: null, args: [] },
  RTMPDUMP_FCSUBSCRIBE: { name: 'FCSubscribe', transactionId: 3, commandObject: null, args: ['s'] },
  NGINX_CREATE_STREAM_RESULT_TO_RTMPDUMP: { name: '_result', transactionId: 2, commandObject: null, args: [1] },
  NGINX_PLAY_START: { name: 'onStatus', transactionId: 0, commandObject: null, args: [status('NetStream.Play.Start', 'Start live')] },
};

const FFMPEG_METADATA: Amf0EcmaArray = {
  type: 'ecma-array',
  count: 8,
  properties: [
    ['duration', 60],
    ['width', 160],
    ['height', 120],
    ['videodatarate', 0],
    ['framerate', 10],
    ['videocodecid', 7],
    ['encoder', 'Lavf59.27.100'],
    ['filesize', 0],
  ],
};

const NGINX_METADATA: Amf0Object = amfObject([
  ['Server', 'NGINX RTMP (github.com/arut/nginx-rtmp-module)'],
  ['width', 160],
  ['height', 120],
  ['displayWidth', 160],
  ['displayHeight', 120],
  ['duration', 60],
  ['framerate', 10],
  ['fps', 10],
  ['videodatarate', 0],
  ['videocodecid', 7],
  ['audiodatarate', 0],
  ['audiocodecid', 0],
  ['profile', '\u0000'.repeat(32)],
  ['level', '\u0000'.repeat(32)],
]);

// ---------------------------------------------------------------------------------------------
// Generated inputs (fixed seed: every run draws the same ones)

const u32 = fc.integer({ min: 0, max: 0xffffffff });

const arbNumber = fc.oneof(
  { weight: 3, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer({ min: -100000, max: 100000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1000, 31, 0.1, 5e-324, Number.MAX_VALUE, Infinity, -Infinity, NaN, 2 ** 53, 2 ** 32) },
);

const arbText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }).map((s) => `\uFEFF${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '\uFEFF', '\u0000'.repeat(32), 'NetStream.Publish.Start', 'caf\u00e9', '\u{1F600}', '\u65e5\u672c') },
);

const KEYS = ['app', 'type', 'tcUrl', 'code', 'level', 'objectEncoding', 'duration', '0', '1', '10', '__proto__', 'constructor', 'a b', 'caf\u00e9', '\uFEFFk'];
const arbKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
);

const arbDate: fc.Arbitrary<Amf0Date> = fc.record({
  type: fc.constant('date' as const),
  time: arbNumber,
  timezone: fc.oneof(fc.constant(0), fc.integer({ min: -32768, max: 32767 })),
});

const arbLeaf: fc.Arbitrary<Amf0Value> = fc.oneof(
  { weight: 3, arbitrary: arbNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 3, arbitrary: arbText },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
  { weight: 1, arbitrary: arbDate },
);

interface Tree {
  value: Amf0Value;
  object: Amf0Object;
  ecma: Amf0EcmaArray;
  strict: Amf0Value[];
}

function trees(leaf: fc.Arbitrary<unknown>, key: fc.Arbitrary<unknown>, count: fc.Arbitrary<unknown>): fc.LetrecValue<Tree> {
  return fc.letrec<Tree>((tie) => {
    const properties = fc.array(fc.tuple(key, tie('value')), { maxLength: 4, depthIdentifier: 'amf' }) as fc.Arbitrary<Amf0Property[]>;
    return {
      value: fc.oneof({ maxDepth: 4, depthIdentifier: 'amf' }, leaf as fc.Arbitrary<Amf0Value>, tie('object'), tie('ecma'), tie('strict')) as fc.Arbitrary<Amf0Value>,
      object: fc.record({ type: fc.constant('object' as const), properties }),
      ecma: fc.record(
        { type: fc.constant('ecma-array' as const), properties, count: count as fc.Arbitrary<number> },
        { requiredKeys: ['type', 'properties'] },
      ) as fc.Arbitrary<Amf0EcmaArray>,
      strict: fc.array(tie('value'), { maxLength: 4, depthIdentifier: 'amf' }) as fc.Arbitrary<Amf0Value[]>,
    };
  });
}

const arbCount = fc.oneof(fc.integer({ min: 0, max: 6 }), u32);
const { value: arbValue, object: arbObject } = trees(arbLeaf, arbKey, arbCount);

/** Values with, now and then, a part that cannot be encoded. */
const arbBadLeaf = fc.oneof(
  { weight: 12, arbitrary: arbLeaf },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      '\ud800', 'live\udfff', {}, { type: 'map' }, new Map(), new Uint8Array(2), 10n,
      { type: 'date', time: 0, timezone: 1.5 }, { type: 'date', time: 0, timezone: 32768 }, { type: 'date', time: '0', timezone: 0 },
      { type: 'ecma-array', properties: [], count: -1 }, { type: 'ecma-array', properties: [], count: 2 ** 32 },
      { type: 'object', properties: {} }, { type: 'object', properties: [['a']] }, { type: 'object', properties: [[1, 2]] },
    ),
  },
);
const arbBadKey = fc.oneof({ weight: 12, arbitrary: arbKey }, { weight: 1, arbitrary: fc.constantFrom('', '\udc00k', 'k\ud83d') });
const { value: arbMaybeBadValue } = trees(arbBadLeaf, arbBadKey, fc.oneof(arbCount, fc.constantFrom(-1, 0.5)));

const arbCommand: fc.Arbitrary<Amf0Command> = fc.record({
  name: fc.oneof(fc.constantFrom('connect', '_result', '_error', 'onStatus', 'createStream', 'publish', 'play', 'deleteStream'), arbText),
  transactionId: arbNumber,
  commandObject: fc.oneof(fc.constant(null), arbObject),
  args: fc.array(arbValue, { maxLength: 3 }),
});

// =============================================================================================

task('scalars', () => {
  vectors(
    [
      { name: 'the number 1.0, transaction id of every connect: 00 3ff0000000000000', values: [1], bytes: '00 3f f0 00 00 00 00 00 00' },
      { name: "rtmpdump's play start -1000: 00 c08f400000000000", values: [-1000], bytes: '00 c0 8f 40 00 00 00 00 00' },
      { name: "nginx's capabilities 31 and the double closest to 0.1", values: [31, 0.1], bytes: '00 40 3f 00 00 00 00 00 00 00 3f b9 99 99 99 99 99 9a' },
      { name: 'true and false: 01 01, 01 00', values: [true, false], bytes: '01 01 01 00' },
      { name: 'null and undefined: 05, 06', values: [null, undefined], bytes: '05 06' },
    ],
    (row) => {
      for (const v of row.values) {
        const want = hex(reference.encodeValue(v));
        expect({ value: v, bytes: hex(learner.encodeValue(v)) }).toEqual({ value: v, bytes: want });
        expect({ bytes: want, value: learner.decodeValue(fromHex(want)) }).toEqual({ bytes: want, value: v });
      }
      expect(hex(learner.encodeValues(row.values))).toBe(row.bytes);
      expect(learner.decodeValues(fromHex(row.bytes))).toEqual(row.values);
    },
  );

  it('decodes any non-zero boolean byte as true (§2.3)', () => {
    for (const [b, want] of [[0x00, false], [0x01, true], [0x02, true], [0x80, true], [0xff, true]] as const) {
      expect({ bytes: `01 ${b.toString(16)}`, value: learner.decodeValue(Uint8Array.of(0x01, b)) }).toEqual({ bytes: `01 ${b.toString(16)}`, value: want });
    }
  });

  it('writes -0, the infinities, the smallest subnormal and NaN exactly, and reads any NaN as NaN', () => {
    const cases: [number, string][] = [
      [-0, '00 80 00 00 00 00 00 00 00'],
      [Infinity, '00 7f f0 00 00 00 00 00 00'],
      [-Infinity, '00 ff f0 00 00 00 00 00 00'],
      [5e-324, '00 00 00 00 00 00 00 00 01'],
      [Number.MAX_VALUE, '00 7f ef ff ff ff ff ff ff'],
      [NaN, '00 7f f8 00 00 00 00 00 00'],
    ];
    for (const [v, bytes] of cases) {
      expect({ value: String(v), bytes: hex(learner.encodeValue(v)) }).toEqual({ value: String(v), bytes });
      expect(Object.is(learner.decodeValue(fromHex(bytes)), v)).toBe(true);
    }
    for (const nan of ['00 7f f0 00 00 00 00 00 01', '00 ff f8 00 00 00 00 00 00', '00 7f ff ff ff ff ff ff ff']) {
      expect({ bytes: nan, value: learner.decodeValue(fromHex(nan)) }).toEqual({ bytes: nan, value: NaN });
    }
  });

  it('agrees with the reference on generated numbers and booleans, both ways', () => {
    forAll(arbNumber, (v) => {
      agreeBytes(`encodeValue(${show(v)})`, (m) => m.encodeValue(v));
    });
    forAll(fc.uint8Array({ minLength: 8, maxLength: 8 }), (b) => {
      const bytes = concat([0x00], b);
      agree(`decodeValue(${hex(bytes)})`, (m) => m.decodeValue(bytes));
    });
    forAll(fc.integer({ min: 0, max: 255 }), (b) => {
      agree(`decodeValue(01 ${b.toString(16)})`, (m) => m.decodeValue(Uint8Array.of(0x01, b)));
    });
  });

  it('reads a value from a window into a larger buffer (byteOffset is not 0)', () => {
    const cases: [string, Amf0Value][] = [
      ['00 3f f0 00 00 00 00 00 00', 1],
      ['00 c0 8f 40 00 00 00 00 00', -1000],
      ['01 00', false],
      ['06', undefined],
    ];
    for (const [bytes, want] of cases) {
      for (const before of [1, 3, 8]) {
        const view = windowed(fromHex(bytes), before, 5);
        expect({ bytes, before, value: learner.decodeValue(view) }).toEqual({ bytes, before, value: want });
      }
    }
  });

  it('reports a cut value as truncated and bytes after it as trailing-bytes', () => {
    const one = fromHex('00 3f f0 00 00 00 00 00 00');
    for (let n = 0; n < one.length; n++) {
      expect({ bytes: n, outcome: outcome(() => learner.decodeValue(one.subarray(0, n))) }).toEqual({ bytes: n, outcome: amfError('truncated') });
    }
    expect(outcome(() => learner.decodeValue(fromHex('01')))).toEqual(amfError('truncated'));
    for (const bytes of ['05 05', '06 00', '01 01 01', '00 3f f0 00 00 00 00 00 00 00']) {
      expect({ bytes, outcome: outcome(() => learner.decodeValue(fromHex(bytes))) }).toEqual({ bytes, outcome: amfError('trailing-bytes') });
    }
    expect(learner.decodeValues(new Uint8Array(0))).toEqual([]);
    expect(learner.decodeValues(fromHex('05 05 06'))).toEqual([null, null, undefined]);
  });
});

// =============================================================================================

task('strings', () => {
  vectors(
    [
      { name: '"connect": 02 0007 636f6e6e656374', value: 'connect', bytes: '02 00 07 63 6f 6e 6e 65 63 74' },
      { name: 'the empty string: 02 0000', value: '', bytes: '02 00 00' },
      { name: '"café" is 5 bytes of UTF-8', value: 'caf\u00e9', bytes: '02 00 05 63 61 66 c3 a9' },
      { name: '"😀" is 4 bytes of UTF-8 (and 2 UTF-16 code units)', value: '\u{1F600}', bytes: '02 00 04 f0 9f 98 80' },
      { name: 'a leading U+FEFF is kept both ways', value: '\uFEFFhi', bytes: '02 00 05 ef bb bf 68 69' },
      { name: 'NUL characters are characters (nginx pads profile with 32 of them)', value: 'a\u0000b', bytes: '02 00 03 61 00 62' },
    ],
    (row) => {
      expect(hex(learner.encodeValue(row.value))).toBe(row.bytes);
      expect(learner.decodeValue(fromHex(row.bytes))).toBe(row.value);
    },
  );

  graded('writes 0x02 up to 65535 UTF-8 bytes and 0x0C beyond, and reads both back', 2, () => {
    const cases = [
      { what: '21845 euro signs (65535 bytes)', s: '\u20ac'.repeat(21845), head: '02 ff ff e2 82 ac' },
      { what: '21846 euro signs (65538 bytes)', s: '\u20ac'.repeat(21846), head: '0c 00 01 00 02 e2' },
      { what: '65536 letters', s: 'a'.repeat(65536), head: '0c 00 01 00 00 61' },
      { what: '65534 letters and an e-acute (65536 bytes)', s: `${'a'.repeat(65534)}\u00e9`, head: '0c 00 01 00 00 61' },
    ];
    for (const c of cases) {
      const got = learner.encodeValue(c.s);
      expect({ case: c.what, head: hex(got.subarray(0, 6)), length: got.length }).toEqual({ case: c.what, head: c.head, length: reference.encodeValue(c.s).length });
      sameBytes(got, reference.encodeValue(c.s), c.what);
      expect(learner.decodeValue(reference.encodeValue(c.s)) === c.s, `decoding ${c.what}`).toBe(true);
    }
  });

  it('keeps a string of exactly 65535 bytes a short string', () => {
    const s = 'a'.repeat(65535);
    const got = learner.encodeValue(s);
    expect({ head: hex(got.subarray(0, 4)), length: got.length }).toEqual({ head: '02 ff ff 61', length: 65538 });
    expect(learner.decodeValue(got) === s).toBe(true);
  });

  it('counts UTF-8 bytes, not UTF-16 code units, when choosing the long form', () => {
    // 40000 characters, 80000 bytes: too long for a u16, whatever s.length says.
    const s = '\u00e9'.repeat(40000);
    const got = learner.encodeValue(s);
    expect(hex(got.subarray(0, 7))).toBe('0c 00 01 38 80 c3 a9');
    expect(got.length).toBe(80005);
    expect(hex(learner.encodeValue('\u65e5\u672c\u8a9e'))).toBe('02 00 09 e6 97 a5 e6 9c ac e8 aa 9e');
  });

  it('decodes a long string of any length, and re-encodes a short one as 0x02', () => {
    expect(learner.decodeValue(fromHex('0c 00 00 00 03 61 62 63'))).toBe('abc');
    expect(learner.decodeValue(fromHex('0c 00 00 00 00'))).toBe('');
    expect(learner.decodeValues(fromHex('0c 00 00 00 02 c3 a9 02 00 01 78'))).toEqual(['\u00e9', 'x']);
    expect(hex(learner.encodeValue(learner.decodeValue(fromHex('0c 00 00 00 03 61 62 63'))))).toBe('02 00 03 61 62 63');
  });

  it('rejects bytes that are not UTF-8 ("bad-utf8"), in strings, long strings and keys', () => {
    const bad = [
      { what: 'a stray ff', utf8: 'ff' },
      { what: 'a lone continuation byte', utf8: '61 80' },
      { what: 'an overlong NUL (c0 80)', utf8: 'c0 80' },
      { what: 'an overlong slash (e0 80 af)', utf8: 'e0 80 af' },
      { what: 'an encoded surrogate (ed a0 80)', utf8: 'ed a0 80' },
      { what: 'a code point above U+10FFFF', utf8: 'f4 90 80 80' },
      { what: 'a sequence cut short', utf8: 'e2 82' },
    ];
    for (const b of bad) {
      const n = fromHex(b.utf8).length;
      const len16 = n.toString(16).padStart(4, '0');
      const inputs = [
        { where: 'string', bytes: concat([0x02], len16, b.utf8) },
        { where: 'long string', bytes: concat([0x0c], n.toString(16).padStart(8, '0'), b.utf8) },
        { where: 'key', bytes: concat([0x03], len16, b.utf8, '05 00 00 09') },
      ];
      for (const i of inputs) {
        expect({ case: `${b.what} in a ${i.where}`, outcome: outcome(() => learner.decodeValue(i.bytes)) }).toEqual({ case: `${b.what} in a ${i.where}`, outcome: amfError('bad-utf8') });
      }
    }
  });

  it('refuses to encode a lone surrogate ("bad-value"), in a value or a key', () => {
    const cases: Amf0Value[] = ['\ud800', 'a\udc00', 'live\ud83d', '\ude00\ud83d', amfObject([['k\udfff', 1]]), ['ok', '\udbff']];
    for (const v of cases) {
      expect({ value: show(v), outcome: outcome(() => learner.encodeValue(v)) }).toEqual({ value: show(v), outcome: amfError('bad-value') });
    }
    expect(hex(learner.encodeValue('\ud83d\ude00'))).toBe('02 00 04 f0 9f 98 80');
  });

  it('agrees with the reference on generated strings and on random string bytes', () => {
    forAll(arbText, (s) => {
      agreeBytes(`encodeValue(${show(s)})`, (m) => m.encodeValue(s));
      const bytes = reference.encodeValue(s);
      agree(`decodeValue(${hex(bytes)})`, (m) => m.decodeValue(bytes));
    });
    // Mostly text, with bytes that make UTF-8 go wrong.
    const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constantFrom(0x00, 0x80, 0xbf, 0xc0, 0xc3, 0xa9, 0xe2, 0xed, 0xa0, 0xef, 0xbb, 0xf0, 0xf4, 0x90, 0xff));
    forAll(fc.array(byte, { maxLength: 10 }), (b) => {
      const bytes = concat([0x02, 0x00, b.length], b);
      agree(`decodeValue(${hex(bytes)})`, (m) => m.decodeValue(bytes));
    }, 300);
  });
});

// =============================================================================================

task('containers', () => {
  vectors(
    [
      { name: 'an object {app: "live"}', value: amfObject([['app', 'live']]), bytes: '03 00 03 61 70 70 02 00 04 6c 69 76 65 00 00 09' },
      { name: 'an empty object: 03 0000 09', value: amfObject([]), bytes: '03 00 00 09' },
      { name: 'a key is UTF-8 too: {café: true}', value: amfObject([['caf\u00e9', true]]), bytes: '03 00 05 63 61 66 c3 a9 01 01 00 00 09' },
      { name: 'a strict array [1, "a", null]', value: [1, 'a', null], bytes: '0a 00 00 00 03 00 3f f0 00 00 00 00 00 00 02 00 01 61 05' },
      { name: 'an ECMA array {duration: 0} with count 1', value: ecmaArray([['duration', 0]], 1), bytes: '08 00 00 00 01 00 08 64 75 72 61 74 69 6f 6e 00 00 00 00 00 00 00 00 00 00 00 09' },
      { name: 'a date: 10^12 ms, time zone 0', value: { type: 'date', time: 1e12, timezone: 0 } as Amf0Date, bytes: '0b 42 6d 1a 94 a2 00 00 00 00 00' },
      { name: 'nesting: [{}, []]', value: [amfObject([]), []], bytes: '0a 00 00 00 02 03 00 00 09 0a 00 00 00 00' },
    ],
    (row) => {
      expect(hex(learner.encodeValue(row.value))).toBe(row.bytes);
      expect(learner.decodeValue(fromHex(row.bytes))).toEqual(row.value);
    },
  );

  it('keeps properties in wire order, integer-like and repeated keys included', () => {
    const props: Amf0Property[] = [['b', 1], ['a', 2], ['10', 3], ['0', 4], ['b', 5]];
    for (const v of [amfObject(props), ecmaArray(props, 5)]) {
      const bytes = reference.encodeValue(v);
      expect(hex(learner.encodeValue(v))).toBe(hex(bytes));
      const got = learner.decodeValue(bytes) as Amf0Object;
      expect(got.properties).toEqual(props);
    }
  });

  graded('reads an ECMA array up to its object end, whatever its count says, and keeps the count', 2, () => {
    const cases = [
      { what: 'count 0, two properties', bytes: '08 00000000 0001 61 05 0001 62 01 01 0000 09', want: { type: 'ecma-array', count: 0, properties: [['a', null], ['b', true]] } },
      { what: 'count 5, one property', bytes: '08 00000005 0001 61 05 0000 09', want: { type: 'ecma-array', count: 5, properties: [['a', null]] } },
      { what: 'count 2^32-1, no properties', bytes: '08 ffffffff 0000 09', want: { type: 'ecma-array', count: 0xffffffff, properties: [] } },
      { what: 'count 2, two properties', bytes: '08 00000002 0001 78 00 3ff0000000000000 0001 79 06 0000 09', want: { type: 'ecma-array', count: 2, properties: [['x', 1], ['y', undefined]] } },
    ];
    for (const c of cases) {
      const bytes = fromHex(c.bytes);
      const got = outcome(() => learner.decodeValue(bytes));
      same(got, { ok: true, value: c.want }, c.what);
      same(hex(learner.encodeValue(c.want as Amf0EcmaArray)), hex(bytes), `${c.what}, encoded again`);
    }
  });

  it('writes an ECMA array count when given, and the number of properties otherwise', () => {
    expect(hex(learner.encodeValue(ecmaArray([['a', 1], ['b', 2]])))).toBe(hex(fromHex('08 00000002 0001 61 00 3ff0000000000000 0001 62 00 4000000000000000 0000 09')));
    expect(hex(learner.encodeValue(ecmaArray([['a', 1]], 0)))).toBe(hex(fromHex('08 00000000 0001 61 00 3ff0000000000000 0000 09')));
    expect(hex(learner.encodeValue(ecmaArray([], 7)))).toBe('08 00 00 00 07 00 00 09');
  });

  it('ends an object or ECMA array only at an empty key followed by 0x09', () => {
    const cases = [
      { bytes: '03 0000 05', want: 'missing-object-end' },
      { bytes: '03 0001 61 05 0000 0a 00000000', want: 'missing-object-end' },
      { bytes: '08 00000000 0000 01 01', want: 'missing-object-end' },
      { bytes: '03 0000', want: 'truncated' },
      { bytes: '03 0001 61 05', want: 'truncated' },
      { bytes: '03 0001 61 09', want: 'unexpected-object-end' },
      { bytes: '0a 00000001 09', want: 'unexpected-object-end' },
    ];
    for (const c of cases) {
      expect({ bytes: c.bytes, outcome: outcome(() => learner.decodeValue(fromHex(c.bytes))) }).toEqual({ bytes: c.bytes, outcome: amfError(c.want) });
    }
  });

  it('reads a date with its signed time zone, and writes it back', () => {
    const cases: [string, Amf0Date][] = [
      ['0b 42 6d 1a 94 a2 00 00 00 ff c4', { type: 'date', time: 1e12, timezone: -60 }],
      ['0b 00 00 00 00 00 00 00 00 80 00', { type: 'date', time: 0, timezone: -32768 }],
      ['0b c2 6d 1a 94 a2 00 00 00 7f ff', { type: 'date', time: -1e12, timezone: 32767 }],
    ];
    for (const [bytes, want] of cases) {
      expect({ bytes, value: learner.decodeValue(fromHex(bytes)) }).toEqual({ bytes, value: want });
      expect(hex(learner.encodeValue(want))).toBe(hex(fromHex(bytes)));
    }
  });

  graded(`allows ${MAX_DEPTH} nested containers and refuses one more ("too-deep"), both ways`, 2, () => {
    for (const kinds of [['object'], ['strict'], ['ecma'], ['strict', 'object', 'ecma']] as const) {
      const ok = nested(MAX_DEPTH, kinds);
      const deep = nested(MAX_DEPTH + 1, kinds);
      const label = `${kinds.join(', ')} nested`;
      same(outcome(() => learner.decodeValue(ok.bytes)), { ok: true, value: ok.value }, `${label} ${MAX_DEPTH} deep, decoded`);
      same(outcome(() => hex(learner.encodeValue(ok.value))), { ok: true, value: hex(ok.bytes) }, `${label} ${MAX_DEPTH} deep, encoded`);
      same(outcome(() => learner.decodeValue(deep.bytes)), amfError('too-deep'), `${label} ${MAX_DEPTH + 1} deep, decoded`);
      same(outcome(() => learner.encodeValue(deep.value)), amfError('too-deep'), `${label} ${MAX_DEPTH + 1} deep, encoded`);
    }
  });

  it('refuses a value that contains itself ("too-deep")', () => {
    const arr: Amf0Value[] = [1];
    arr.push(arr);
    const obj: Amf0Object = amfObject([['a', 1]]);
    obj.properties.push(['self', obj]);
    expect(outcome(() => learner.encodeValue(arr))).toEqual(amfError('too-deep'));
    expect(outcome(() => learner.encodeValue(obj))).toEqual(amfError('too-deep'));
  });

  it('refuses values outside the model ("bad-value")', () => {
    const bad: { what: string; value: unknown }[] = [
      { what: 'a plain object', value: { app: 'live' } },
      { what: 'a Map', value: new Map([['app', 'live']]) },
      { what: 'a JavaScript Date', value: new Date(0) },
      { what: 'bytes', value: new Uint8Array(3) },
      { what: 'a bigint', value: 1n },
      { what: 'a function', value: () => 1 },
      { what: 'a symbol', value: Symbol('x') },
      { what: 'properties that are a record', value: { type: 'object', properties: { app: 'live' } } },
      { what: 'a property without a value', value: { type: 'object', properties: [['app']] } },
      { what: 'a number as a key', value: { type: 'object', properties: [[1, 'live']] } },
      { what: 'an empty key', value: amfObject([['', 1]]) },
      { what: 'an empty key in an ECMA array', value: ecmaArray([['', 1]]) },
      { what: 'a key of 65536 bytes', value: amfObject([['k'.repeat(65536), 1]]) },
      { what: 'a time zone of 1.5', value: { type: 'date', time: 0, timezone: 1.5 } },
      { what: 'a time zone of 32768', value: { type: 'date', time: 0, timezone: 32768 } },
      { what: 'a time zone of -32769', value: { type: 'date', time: 0, timezone: -32769 } },
      { what: 'a date whose time is a string', value: { type: 'date', time: '0', timezone: 0 } },
      { what: 'a count of -1', value: { type: 'ecma-array', properties: [], count: -1 } },
      { what: 'a count of 2^32', value: { type: 'ecma-array', properties: [], count: 2 ** 32 } },
      { what: 'a count of 1.5', value: { type: 'ecma-array', properties: [], count: 1.5 } },
      { what: 'a bad value deep inside', value: [amfObject([['a', [1, 2, { type: 'box' } as unknown as Amf0Value]]])] },
    ];
    for (const b of bad) {
      expect({ case: b.what, outcome: outcome(() => learner.encodeValue(b.value as Amf0Value)) }).toEqual({ case: b.what, outcome: amfError('bad-value') });
    }
    // The largest key is fine.
    const big = amfObject([['k'.repeat(65535), 1]]);
    expect(hex(learner.encodeValue(big).subarray(0, 4))).toBe('03 ff ff 6b');
  });

  graded('agrees with the reference on generated values, and round-trips them byte for byte', 3, () => {
    forAll(arbValue, (v) => {
      agreeBytes('encodeValue(v)', (m) => m.encodeValue(v));
      const bytes = reference.encodeValue(v);
      same(outcome(() => learner.decodeValue(bytes)), { ok: true, value: canonical(v) }, `decodeValue(${hex(bytes)})`);
      same(outcome(() => hex(learner.encodeValue(reference.decodeValue(bytes)))), { ok: true, value: hex(bytes) }, 'encodeValue(decodeValue(bytes))');
    }, 300);
  });

  it('agrees with the reference on generated values with parts that cannot be encoded', () => {
    forAll(arbMaybeBadValue, (v) => {
      agreeBytes('encodeValue(v)', (m) => m.encodeValue(v));
    }, 300);
  });

  it('decodes generated values from windows into larger buffers', () => {
    forAll(fc.tuple(arbValue, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 9 })), ([v, before, after]) => {
      const view = windowed(reference.encodeValue(v), before, after);
      agree(`decodeValue(${hex(view)}) at byteOffset ${before}`, (m) => m.decodeValue(view));
      agree(`decodeValues(${hex(view)}) at byteOffset ${before}`, (m) => m.decodeValues(view));
    }, 100);
  });
});

// =============================================================================================

task('commands', () => {
  vectors(COMMAND_ROWS, (row) => {
    const bytes = bytesOf(row.capture);
    same(outcome(() => learner.decodeCommand(bytes)), { ok: true, value: row.want }, `decodeCommand(${row.capture})`);
    same(outcome(() => hex(learner.encodeCommand(row.want))), { ok: true, value: hex(bytes) }, `encodeCommand: ${row.capture} again`);
  });

  it('decodes every other captured command, and writes each one back byte for byte', () => {
    for (const [name, want] of Object.entries(OTHER_COMMANDS)) {
      const bytes = bytesOf(name);
      same(outcome(() => learner.decodeCommand(bytes)), { ok: true, value: want }, `decodeCommand(${name})`);
    }
    for (const c of COMMANDS) {
      same(outcome(() => hex(learner.encodeCommand(reference.decodeCommand(c.bytes)))), { ok: true, value: hex(c.bytes) }, `encodeCommand(decodeCommand(${c.name}))`);
    }
  });

  it('decodes the data messages: @setDataFrame with its ECMA array, |RtmpSampleAccess, onMetaData', () => {
    same(outcome(() => learner.decodeValues(bytesOf('FFMPEG_SET_DATA_FRAME'))), { ok: true, value: ['@setDataFrame', 'onMetaData', FFMPEG_METADATA] }, 'decodeValues(FFMPEG_SET_DATA_FRAME)');
    same(outcome(() => learner.decodeValues(bytesOf('NGINX_SAMPLE_ACCESS'))), { ok: true, value: ['|RtmpSampleAccess', true, true] }, 'decodeValues(NGINX_SAMPLE_ACCESS)');
    same(outcome(() => learner.decodeValues(bytesOf('NGINX_ON_METADATA'))), { ok: true, value: ['onMetaData', NGINX_METADATA] }, 'decodeValues(NGINX_ON_METADATA)');
    for (const c of CAPTURES.filter((x) => x.type === 18)) {
      same(outcome(() => hex(learner.encodeValues(reference.decodeValues(c.bytes)))), { ok: true, value: hex(c.bytes) }, `encodeValues(decodeValues(${c.name}))`);
    }
  });

  it('refuses bodies that are not commands ("bad-command")', () => {
    const cases: { what: string; values: Amf0Value[] }[] = [
      { what: 'no values', values: [] },
      { what: 'a name only', values: ['connect'] },
      { what: 'no command object', values: ['connect', 1] },
      { what: 'a number as the name', values: [1, 1, null] },
      { what: 'a string as the transaction id', values: ['connect', '1', null] },
      { what: 'a string as the command object', values: ['connect', 1, 'live'] },
      { what: 'an ECMA array as the command object', values: ['connect', 1, ecmaArray([])] },
      { what: 'undefined as the command object', values: ['connect', 1, undefined] },
      { what: 'a strict array as the command object', values: ['connect', 1, []] },
      { what: 'a date as the command object', values: ['connect', 1, { type: 'date', time: 0, timezone: 0 }] },
    ];
    for (const c of cases) {
      const bytes = reference.encodeValues(c.values);
      expect({ case: c.what, outcome: outcome(() => learner.decodeCommand(bytes)) }).toEqual({ case: c.what, outcome: amfError('bad-command') });
    }
    for (const name of ['FFMPEG_SET_DATA_FRAME', 'NGINX_SAMPLE_ACCESS', 'NGINX_ON_METADATA']) {
      expect({ case: name, outcome: outcome(() => learner.decodeCommand(bytesOf(name))) }).toEqual({ case: name, outcome: amfError('bad-command') });
    }
  });

  it('reports a broken value before a wrong shape', () => {
    const cases = [
      { bytes: '01 01 02 00', want: 'truncated' }, // a boolean name, then a cut string
      { bytes: '02 0001 78 02 0001 ff', want: 'bad-utf8' }, // a string transaction id, then bad UTF-8
      { bytes: '05 12', want: 'unknown-marker' },
      { bytes: '02 0001 78 00 3ff0000000000000 05 09', want: 'unexpected-object-end' },
    ];
    for (const c of cases) {
      expect({ bytes: c.bytes, outcome: outcome(() => learner.decodeCommand(fromHex(c.bytes))) }).toEqual({ bytes: c.bytes, outcome: amfError(c.want) });
    }
  });

  it('refuses commands it cannot encode ("bad-command"), and their bad values ("bad-value")', () => {
    const base: Amf0Command = { name: 'createStream', transactionId: 4, commandObject: null, args: [] };
    const cases: { what: string; command: unknown; want: string }[] = [
      { what: 'a number as the name', command: { ...base, name: 4 }, want: 'bad-command' },
      { what: 'a string transaction id', command: { ...base, transactionId: '4' }, want: 'bad-command' },
      { what: 'a missing transaction id', command: { name: 'x', commandObject: null, args: [] }, want: 'bad-command' },
      { what: 'a string as the command object', command: { ...base, commandObject: 'live' }, want: 'bad-command' },
      { what: 'undefined as the command object', command: { ...base, commandObject: undefined }, want: 'bad-command' },
      { what: 'an ECMA array as the command object', command: { ...base, commandObject: ecmaArray([]) }, want: 'bad-command' },
      { what: 'args that are not an array', command: { ...base, args: 's' }, want: 'bad-command' },
      { what: 'null', command: null, want: 'bad-command' },
      { what: 'a bad argument', command: { ...base, args: [1, new Map()] }, want: 'bad-value' },
      { what: 'a bad key in the command object', command: { ...base, commandObject: amfObject([['', 1]]) }, want: 'bad-value' },
    ];
    for (const c of cases) {
      expect({ case: c.what, outcome: outcome(() => learner.encodeCommand(c.command as Amf0Command)) }).toEqual({ case: c.what, outcome: amfError(c.want) });
    }
  });

  graded('encodes and decodes generated commands like the reference', 2, () => {
    forAll(arbCommand, (c) => {
      agreeBytes('encodeCommand(c)', (m) => m.encodeCommand(c));
      const bytes = reference.encodeCommand(c);
      agree(`decodeCommand(${hex(bytes)})`, (m) => m.decodeCommand(bytes));
    });
  });

  it('decodes generated bodies like the reference, commands or not', () => {
    forAll(fc.array(arbValue, { maxLength: 5 }), (values) => {
      const bytes = reference.encodeValues(values);
      agree(`decodeCommand(${hex(bytes)})`, (m) => m.decodeCommand(bytes));
      agree(`decodeValues(${hex(bytes)})`, (m) => m.decodeValues(bytes));
      agreeBytes('encodeValues(values)', (m) => m.encodeValues(values));
    }, 200);
  });
});

// =============================================================================================

task('malformed', () => {
  vectors(
    [
      { name: 'no bytes at all: truncated', bytes: '', want: 'truncated' },
      { name: 'a string announcing 5 bytes with 3 there: truncated, not "abc"', bytes: '02 0005 616263', want: 'truncated' },
      { name: 'a strict array announcing 2^32-1 values: truncated', bytes: '0a ffffffff 05 05 05', want: 'truncated' },
      { name: 'a long string announcing 4 GB: truncated', bytes: '0c ffffffff 61 62 63', want: 'truncated' },
      { name: 'an object end where a value should be: unexpected-object-end', bytes: '09', want: 'unexpected-object-end' },
      { name: 'a reference (0x07): unsupported-marker', bytes: '07 0000', want: 'unsupported-marker' },
      { name: 'the switch to AMF3 (0x11): unsupported-marker', bytes: '11 02', want: 'unsupported-marker' },
      { name: 'a typed object (0x10): unsupported-marker', bytes: '10 0001 41 0000 09', want: 'unsupported-marker' },
      { name: 'marker 0x12: unknown-marker', bytes: '12', want: 'unknown-marker' },
      { name: 'an empty key then a null: missing-object-end', bytes: '03 0000 05', want: 'missing-object-end' },
      { name: 'two nulls for one value: trailing-bytes', bytes: '05 05', want: 'trailing-bytes' },
    ],
    (row) => {
      expect(outcome(() => learner.decodeValue(fromHex(row.bytes)))).toEqual(amfError(row.want));
    },
  );

  it('classifies every marker byte like the reference', () => {
    for (let m = 0; m <= 0xff; m++) {
      for (const tail of ['', '00', '00 00 00 00 00 00 00 00 00 09', '00 01 61 05 00 00 09']) {
        const bytes = concat([m], tail);
        agree(`decodeValue(${hex(bytes)})`, (x) => x.decodeValue(bytes));
      }
    }
  });

  it('agrees with the reference on every prefix of every captured message', () => {
    for (const c of CAPTURES) {
      for (let n = 0; n <= c.bytes.length; n++) {
        const b = c.bytes.subarray(0, n);
        agree(`${c.name}, first ${n} of ${c.bytes.length} bytes: decodeValues`, (m) => m.decodeValues(b));
        if (c.type === 20) agree(`${c.name}, first ${n} of ${c.bytes.length} bytes: decodeCommand`, (m) => m.decodeCommand(b));
      }
    }
  });

  graded('agrees with the reference on mutated captured messages (never hangs, never reads past the end)', 3, () => {
    const interesting = fc.constantFrom(0x00, 0x01, 0x02, 0x03, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x11, 0x12, 0x80, 0xc3, 0xff);
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(fc.integer({ min: 0, max: 255 }), interesting) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), value: fc.constant(0) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: interesting }),
    );
    const arb = fc.tuple(fc.integer({ min: 0, max: CAPTURES.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }));
    forAll(arb, ([index, edits]) => {
      const c = CAPTURES[index]!;
      let bytes = Array.from(c.bytes);
      for (const e of edits) {
        const at = e.at % (bytes.length + 1);
        if (e.kind === 'set' && at < bytes.length) bytes[at] = e.value;
        if (e.kind === 'cut') bytes = bytes.slice(0, at);
        if (e.kind === 'insert') bytes.splice(at, 0, e.value);
      }
      const b = Uint8Array.from(bytes);
      agree(`${c.name} mutated to ${hex(b)}: decodeCommand`, (m) => m.decodeCommand(b));
      agree(`${c.name} mutated to ${hex(b)}: decodeValues`, (m) => m.decodeValues(b));
    }, 500);
  });

  it('survives hostile nesting without running out of stack ("too-deep")', () => {
    const repeat = (unit: string, times: number) => {
      const u = fromHex(unit);
      const out = new Uint8Array(u.length * times);
      for (let i = 0; i < times; i++) out.set(u, i * u.length);
      return out;
    };
    const cases = [
      { what: '100000 strict arrays of one', bytes: repeat('0a 00000001', 100000) },
      { what: '50000 objects, each with a key', bytes: repeat('03 0001 61', 50000) },
      { what: '50000 ECMA arrays, each with a key', bytes: repeat('08 00000000 0001 61', 50000) },
      { what: `${MAX_DEPTH + 1} array markers without their counts`, bytes: concat(repeat('0a 00000001', MAX_DEPTH), '0a') },
    ];
    for (const c of cases) {
      expect({ case: c.what, outcome: outcome(() => learner.decodeValue(c.bytes)) }).toEqual({ case: c.what, outcome: amfError('too-deep') });
    }
    expect(outcome(() => learner.decodeValue(repeat('0a 00000001', MAX_DEPTH)))).toEqual(amfError('truncated'));
  });

  it('agrees with the reference on nestings around the depth limit, whole and cut', () => {
    const kind = fc.constantFrom('object' as const, 'ecma' as const, 'strict' as const);
    const arb = fc.tuple(fc.integer({ min: MAX_DEPTH - 3, max: MAX_DEPTH + 3 }), fc.array(kind, { minLength: 1, maxLength: 6 }), fc.option(fc.nat(), { nil: undefined }));
    forAll(arb, ([depth, kinds, cut]) => {
      const { value, bytes } = nested(depth, kinds);
      const b = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      agree(`decodeValue(${hex(b)})`, (m) => m.decodeValue(b));
      agreeBytes(`encodeValue(${depth} nested)`, (m) => m.encodeValue(value));
    }, 200);
  });
});
