import { it, expect } from 'vitest';
import { task, graded, vectors, forAll, fc, outcome, hex, fromHex, withCopiedInputs, referenceAnswer } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { dict, lookup, utf8, MAX_DEPTH } from './types';
import type { BencodeDict, BencodeEntry, BencodeValue, Torrent } from './types';
import { sha1, toHex } from './hash';
import { FIXTURES, content, type Fixture } from './torrents';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

type Api = typeof reference;

// ---------------------------------------------------------------------------------------------
// Helpers

const bencodeError = (code: string) => ({ ok: false as const, error: 'BencodeError', code });
const torrentError = (code: string) => ({ ok: false as const, error: 'TorrentError', code });

/** Bytes as text when they are printable ASCII, as hex otherwise: what a report shows. */
function showBytes(b: Uint8Array): string {
  const printable = b.every((c) => c >= 0x20 && c <= 0x7e);
  if (printable) return JSON.stringify(String.fromCharCode(...b.subarray(0, 120))) + (b.length > 120 ? `... (${b.length} bytes)` : '');
  return `<${b.length > 48 ? `${hex(b.subarray(0, 48))} ... (${b.length} bytes)` : hex(b)}>`;
}

/**
 * A decoded value as plain data, every type told apart: 42n is "42n" (a number 42 stays 42),
 * a byte string is "bytes ..." (a JavaScript string stays as it is), a dictionary is
 * { dict: [[key, value], ...] }.
 */
function view(v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `bytes ${showBytes(v)}`;
  if (Array.isArray(v)) return v.map(view);
  if (typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'dict') {
    const entries = (v as { entries?: unknown }).entries;
    return { dict: Array.isArray(entries) ? entries.map((e) => (Array.isArray(e) ? e.map(view) : view(e))) : entries };
  }
  return v;
}

/** A torrent as plain data: its piece hashes as hex. */
function torrentView(t: unknown): unknown {
  if (typeof t !== 'object' || t === null) return t;
  const pieces = (t as { pieces?: unknown }).pieces;
  return { ...t, pieces: Array.isArray(pieces) ? pieces.map((p) => (p instanceof Uint8Array ? hex(p) : p)) : pieces };
}

function outcomeOf<T>(fn: () => T, as: (v: T) => unknown = view): unknown {
  const r = outcome(fn);
  return r.ok ? { ok: true, value: as(r.value) } : r;
}

/** A fingerprint of plain data in which every value JSON would blur (NaN, -0, undefined, bigint) stays apart. */
function fingerprint(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) => {
    if (typeof x === 'number' && (!Number.isFinite(x) || Object.is(x, -0))) return `(number ${Object.is(x, -0) ? '-0' : String(x)})`;
    if (typeof x === 'bigint') return `(bigint ${x})`;
    if (x === undefined) return '(undefined)';
    if (typeof x === 'function' || typeof x === 'symbol') return `(${typeof x})`;
    return x;
  });
}

/**
 * toEqual, called only when the two differ: vitest's deep equality costs tens of microseconds a
 * call, and a grade makes thousands of comparisons. Equal fingerprints are equal values;
 * different ones (keys in another order, say) are left to toEqual to decide.
 */
function same(got: unknown, want: unknown, label?: string): void {
  if (fingerprint(got) === fingerprint(want)) return;
  expect(got, label).toEqual(want);
}

/** Learner and reference do the same thing: the same value, or the same error and code. */
function agree<T>(label: string, call: (m: Api) => T, as: (v: T) => unknown = view): void {
  same(outcomeOf(() => call(learner as Api), as), outcomeOf(() => call(reference), as), label);
}

const bytesOut = (fn: () => Uint8Array) => outcomeOf(fn, (b) => (b instanceof Uint8Array ? hex(b) : b));

function concat(...parts: (Uint8Array | string)[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? latin1(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** One byte per character (for bencode text written by hand; every character here is < 0x100). */
function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function repeat(unit: string, times: number): Uint8Array {
  const u = latin1(unit);
  const out = new Uint8Array(u.length * times);
  for (let i = 0; i < times; i++) out.set(u, i * u.length);
  return out;
}

/** `bytes` as a window in the middle of a larger buffer. */
function windowed(bytes: Uint8Array, before: number, after: number): Uint8Array {
  const big = new Uint8Array(before + bytes.length + after).fill(0x65);
  big.set(bytes, before);
  return big.subarray(before, before + bytes.length);
}

const list = (...items: BencodeValue[]): BencodeValue[] => items;
const str = (s: string) => utf8(s);

// ---------------------------------------------------------------------------------------------
// The real torrents (torrents.ts says how they were made)

const TORRENTS = FIXTURES.map((f) => ({ ...f, bytes: fromHex(f.hex) }));
const byId = (id: string) => TORRENTS.find((t) => t.id === id)!;

/** The bytes a fixture describes: its files, one after another, in the torrent's order. */
function contentOf(f: Fixture): Uint8Array {
  return referenceAnswer('fixture content', f.id, () => concat(...f.files.map((file) => content(file.seed, file.length))));
}

/** transmission-show's "32.00 KiB" in bytes. */
function shownSize(s: string): number {
  const m = /^([\d.]+) (KiB|MiB)$/.exec(s)!;
  return Math.round(Number(m[1]) * (m[2] === 'KiB' ? 1024 : 1024 * 1024));
}

/** A date as ctime() writes it, in UTC ("Mon Dec  7 16:43:06 2026"), as transmission-show prints it. */
function ctime(seconds: number | null): string {
  if (seconds === null) return 'Unknown';
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** What transmission-show prints, from a parsed torrent. */
function asShown(t: Torrent) {
  return {
    name: t.name,
    pieceCount: t.pieces.length,
    pieceSize: t.pieceLength,
    privacy: t.private ? 'Private torrent' : 'Public torrent',
    createdBy: t.createdBy,
    createdOn: ctime(t.creationDate),
    comment: t.comment,
    // TRACKERS: the announce-list's tiers, or the one announce URL when there is no list.
    tiers: t.announceList.length > 0 ? t.announceList : t.announce === null ? [] : [[t.announce]],
    files: t.files.map((f) => f.path.join('/')),
  };
}

function shown(f: Fixture) {
  const s = f.shown;
  return { name: f.name, pieceCount: s.pieceCount, pieceSize: shownSize(s.pieceSize), privacy: s.privacy, createdBy: s.createdBy, createdOn: s.createdOn, comment: s.comment, tiers: s.tiers, files: s.files };
}

/** A fixture's top-level dictionary, to edit into single-fault torrents (decoded once; never changed). */
const TOPS = new Map<string, BencodeDict>();
function topOf(id: string): BencodeDict {
  let top = TOPS.get(id);
  if (top === undefined) TOPS.set(id, (top = reference.decode(byId(id).bytes) as BencodeDict));
  return top;
}

/** `d` with `key` set to `value` (or removed, for undefined); keys as UTF-8. */
function withEntry(d: BencodeDict, key: string, value: BencodeValue | undefined): BencodeDict {
  const k = str(key);
  const rest = d.entries.filter(([x]) => hex(x) !== hex(k));
  return { type: 'dict', entries: value === undefined ? rest : [...rest, [k, value]] };
}

/** The file `top` with its info dictionary edited by `edit`. */
function editInfo(top: BencodeDict, edit: (info: BencodeDict) => BencodeValue): Uint8Array {
  return reference.encode(withEntry(top, 'info', edit(lookup(top, 'info') as BencodeDict)));
}

// ---------------------------------------------------------------------------------------------
// Generated inputs (fixed seed: every run draws the same ones)

const arbInt = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -1000, max: 100000 }).map(BigInt) },
  { weight: 2, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }) },
  { weight: 1, arbitrary: fc.constantFrom(0n, -1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 63n), 2n ** 64n - 1n, 10n ** 30n) },
);

const ODD_BYTES = ['', ':', 'e', 'i1e', '0:', 'spam', 'l', 'd', '-', '\x00', '\xff'].map(latin1);
const arbBytes = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }).map(utf8) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_BYTES) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 20, maxLength: 60 }) },
);

// Keys whose order as bytes is not their order as JavaScript strings: U+E000-U+FFFF sort after
// an astral character's surrogates in UTF-16, before its 4 UTF-8 bytes.
const KEYS = ['', 'a', 'b', 'ab', 'B', 'info', 'length', 'name', 'piece length', 'pieces', 'private', 'a\x00', '10', '9', 'caf\u00e9', '\uE000', '\uFFFD', '\u{1F600}', '\u{10FFFF}'].map(utf8);
const arbKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 4 }).map(utf8) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }).map(utf8) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 3 }) },
);

const { value: arbValue } = fc.letrec<{ value: BencodeValue; list: BencodeValue[]; dict: BencodeDict }>((tie) => ({
  value: fc.oneof({ maxDepth: 4, depthIdentifier: 'bencode' }, arbInt, arbBytes, tie('list'), tie('dict')),
  list: fc.array(tie('value'), { maxLength: 4, depthIdentifier: 'bencode' }),
  dict: fc
    .uniqueArray(fc.tuple(arbKey, tie('value')), { maxLength: 4, selector: ([k]) => hex(k), depthIdentifier: 'bencode' })
    .map((entries) => ({ type: 'dict' as const, entries: entries as BencodeEntry[] })),
}));

/** Decoded values are what encoding and decoding again gives: dictionaries sorted. */
const canonical = (v: BencodeValue) => reference.decode(reference.encode(v));

/** `depth` lists, one inside the other, around 0 (`l` * depth, `i0e`, `e` * depth). */
function nestedLists(depth: number): { value: BencodeValue; bytes: Uint8Array } {
  let value: BencodeValue = 0n;
  for (let i = 0; i < depth; i++) value = [value];
  return { value, bytes: concat(repeat('l', depth), 'i0e', repeat('e', depth)) };
}

// =============================================================================================

task('scalars', () => {
  vectors(
    [
      { name: 'BEP 3: 4:spam is the byte string "spam"', bytes: '4:spam', want: str('spam') },
      { name: 'BEP 3: 0: is the empty byte string', bytes: '0:', want: new Uint8Array(0) },
      { name: 'BEP 3: i3e is 3', bytes: 'i3e', want: 3n },
      { name: 'BEP 3: i-3e is -3', bytes: 'i-3e', want: -3n },
      { name: 'BEP 3: i0e is 0', bytes: 'i0e', want: 0n },
    ],
    (row) => {
      same({ decode: row.bytes, got: outcomeOf(() => learner.decode(latin1(row.bytes))) }, { decode: row.bytes, got: { ok: true, value: view(row.want) } });
      same({ encode: view(row.want), got: bytesOut(() => learner.encode(row.want)) }, { encode: view(row.want), got: { ok: true, value: hex(latin1(row.bytes)) } });
    },
  );

  it('keeps integers past 2^53 exact, both ways (they are bigints)', () => {
    for (const n of [2n ** 53n + 1n, 9223372036854775807n, -9223372036854775808n, 18446744073709551616n, -(10n ** 40n) - 7n]) {
      const bytes = latin1(`i${n}e`);
      same({ decode: `i${n}e`, got: outcomeOf(() => learner.decode(bytes)) }, { decode: `i${n}e`, got: { ok: true, value: `${n}n` } });
      same({ encode: `${n}n`, got: bytesOut(() => learner.encode(n)) }, { encode: `${n}n`, got: { ok: true, value: hex(bytes) } });
    }
  });

  it('keeps byte strings as bytes: every byte value, and bytes that look like bencode', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const cases = [all, latin1('i1e'), latin1('e:e:'), latin1('10:0123456789'), Uint8Array.of(0xc3, 0x28), sha1(utf8('a piece'))];
    for (const b of cases) {
      const bytes = concat(`${b.length}:`, b);
      same({ decode: showBytes(bytes), got: outcomeOf(() => learner.decode(bytes)) }, { decode: showBytes(bytes), got: { ok: true, value: view(b) } });
      same({ encode: showBytes(b), got: bytesOut(() => learner.encode(b)) }, { encode: showBytes(b), got: { ok: true, value: hex(bytes) } });
    }
  });

  it('reads a value from a window into a larger buffer (byteOffset is not 0)', () => {
    for (const [text, want] of [['4:spam', str('spam')], ['i-42e', -42n], ['3:e:e', str('e:e')]] as const) {
      for (const before of [1, 5]) {
        const b = windowed(latin1(text), before, 3);
        same({ decode: text, before, got: outcomeOf(() => learner.decode(b)) }, { decode: text, before, got: { ok: true, value: view(want) } });
      }
    }
  });

  graded('agrees with the reference on generated integers and byte strings, both ways', 2, () => {
    forAll(fc.oneof(arbInt, arbBytes), (v) => {
      const bytes = reference.encode(v);
      same({ encode: view(v), got: bytesOut(() => learner.encode(v)) }, { encode: view(v), got: { ok: true, value: hex(bytes) } });
      agree(`decode(${showBytes(bytes)})`, (m) => m.decode(bytes));
    }, 150);
  });

  it('refuses values outside the model ("bad-value"): numbers, strings, booleans, null', () => {
    const cases: [string, unknown][] = [
      ['the number 3', 3], ['the number 0', 0], ['the string "spam"', 'spam'], ['true', true], ['null', null], ['undefined', undefined],
      ['an Int8Array', new Int8Array(2)], ['a Uint16Array', new Uint16Array(1)], ['a Symbol', Symbol('x')],
    ];
    for (const [what, v] of cases) {
      same({ encode: what, got: outcome(() => learner.encode(v as BencodeValue)) }, { encode: what, got: bencodeError('bad-value') });
    }
  });
});

// =============================================================================================

task('containers', () => {
  vectors(
    [
      { name: 'BEP 3: l4:spam4:eggse is ["spam", "eggs"]', bytes: 'l4:spam4:eggse', want: list(str('spam'), str('eggs')) },
      { name: 'BEP 3: d3:cow3:moo4:spam4:eggse is { cow: "moo", spam: "eggs" }', bytes: 'd3:cow3:moo4:spam4:eggse', want: dict({ cow: str('moo'), spam: str('eggs') }) },
      { name: 'BEP 3: d4:spaml1:a1:bee is { spam: ["a", "b"] }', bytes: 'd4:spaml1:a1:bee', want: dict({ spam: list(str('a'), str('b')) }) },
      { name: 'the empty list le and the empty dictionary de', bytes: 'lldeleee', want: list(list(dict([]), list())) },
      { name: 'lists of every kind: li1e0:li-1eed0:i0eee', bytes: 'li1e0:li-1eed0:i0eee', want: list(1n, new Uint8Array(0), list(-1n), dict([['', 0n]])) },
    ],
    (row) => {
      same({ decode: row.bytes, got: outcomeOf(() => learner.decode(latin1(row.bytes))) }, { decode: row.bytes, got: { ok: true, value: view(row.want) } });
      same({ encode: row.bytes, got: bytesOut(() => learner.encode(row.want)) }, { encode: row.bytes, got: { ok: true, value: hex(latin1(row.bytes)) } });
    },
  );

  it('writes dictionary keys sorted, whatever order they are given in', () => {
    const shuffled = dict([['spam', str('eggs')], ['cow', str('moo')], ['a', 1n], ['', list()]]);
    same(bytesOut(() => learner.encode(shuffled)), { ok: true, value: hex(latin1('d0:le1:ai1e3:cow3:moo4:spam4:eggse')) });
    const torrentish = dict([['info', dict([['pieces', new Uint8Array(0)], ['name', str('a')], ['piece length', 16384n], ['length', 0n]])], ['announce', str('x')]]);
    same(bytesOut(() => learner.encode(torrentish)), { ok: true, value: hex(latin1('d8:announce1:x4:infod6:lengthi0e4:name1:a12:piece lengthi16384e6:pieces0:ee')) });
  });

  it('sorts keys as raw bytes, not as JavaScript strings, both ways', () => {
    // As bytes: "" < "B" < "a" < "a\0" < "ab" < é (c3 a9) < U+E000 (ee 80 80) < U+FFFD (ef bf bd) < 😀 (f0 9f 98 80) < ff.
    const order = ['', 'B', 'a', 'a\x00', 'ab', 'caf\u00e9', '\uE000', '\uFFFD', '\u{1F600}'].map(utf8);
    const keys = [...order, Uint8Array.of(0xff)];
    const given = [keys[7]!, keys[9]!, keys[2]!, keys[8]!, keys[0]!, keys[5]!, keys[3]!, keys[6]!, keys[1]!, keys[4]!];
    const d: BencodeDict = { type: 'dict', entries: given.map((k, i) => [k, BigInt(i)]) };
    const want = reference.encode(d);
    same(bytesOut(() => learner.encode(d)), { ok: true, value: hex(want) });
    same(outcomeOf(() => learner.decode(want)), { ok: true, value: view(reference.decode(want)) });
    // The two keys JavaScript's sort and comparisons put the other way round.
    const pair = concat('d3:', utf8('\uFFFD'), 'i1e4:', utf8('\u{1F600}'), 'i2ee');
    same(outcomeOf(() => learner.decode(pair)), { ok: true, value: view(dict([['\uFFFD', 1n], ['\u{1F600}', 2n]])) });
    same(bytesOut(() => learner.encode(dict([['\u{1F600}', 2n], ['\uFFFD', 1n]]))), { ok: true, value: hex(pair) });
  });

  it('refuses two entries with the same key ("duplicate-key")', () => {
    const cases: [string, BencodeDict][] = [
      ['"a" twice', dict([['a', 1n], ['a', 2n]])],
      ['"a" twice, apart', dict([['a', 1n], ['b', 2n], ['a', 1n]])],
      ['the empty key twice', dict([['', 1n], ['', 1n]])],
      ['a nested dictionary with "x" twice', dict([['info', dict([['x', 1n], ['y', 1n], ['x', 3n]])]])],
    ];
    for (const [what, d] of cases) {
      same({ encode: what, got: outcome(() => learner.encode(d)) }, { encode: what, got: bencodeError('duplicate-key') });
    }
  });

  it('agrees with the reference on generated dictionaries with a key given twice', () => {
    const arb = fc.tuple(fc.uniqueArray(fc.tuple(arbKey, arbValue), { minLength: 1, maxLength: 4, selector: ([k]) => hex(k) }), fc.nat(), fc.nat(), arbValue, fc.boolean());
    forAll(arb, ([entries, which, where, other, nested]) => {
      const pairs = entries as BencodeEntry[];
      const twice = pairs.slice();
      twice.splice(where % (twice.length + 1), 0, [pairs[which % pairs.length]![0], other]);
      const d: BencodeDict = { type: 'dict', entries: twice };
      const v: BencodeValue = nested ? [0n, dict([['info', d]])] : d;
      agree(`encode(${JSON.stringify(view(v))})`, (m) => m.encode(v), (b) => hex(b));
    }, 100);
  });

  it('writes and reads lists and dictionaries nested up to MAX_DEPTH', () => {
    for (const depth of [1, 2, 10, MAX_DEPTH]) {
      const { value, bytes } = nestedLists(depth);
      same({ depth, encode: bytesOut(() => learner.encode(value)) }, { depth, encode: { ok: true, value: hex(bytes) } });
      same({ depth, decode: outcomeOf(() => learner.decode(bytes)) }, { depth, decode: { ok: true, value: view(value) } });
    }
    let d: BencodeValue = new Uint8Array(0);
    for (let i = 0; i < MAX_DEPTH; i++) d = dict([['k', d]]);
    const bytes = concat(repeat('d1:k', MAX_DEPTH), '0:', repeat('e', MAX_DEPTH));
    same(bytesOut(() => learner.encode(d)), { ok: true, value: hex(bytes) });
    same(outcomeOf(() => learner.decode(bytes)), { ok: true, value: view(d) });
  });

  it(`refuses to write more than ${MAX_DEPTH} nested lists or dictionaries ("too-deep")`, () => {
    const deep = nestedLists(MAX_DEPTH + 1).value;
    same(outcome(() => learner.encode(deep)), bencodeError('too-deep'));
    let d: BencodeValue = 0n;
    for (let i = 0; i <= MAX_DEPTH; i++) d = i % 2 ? dict([['k', d]]) : [d];
    same(outcome(() => learner.encode(d)), bencodeError('too-deep'));
    const loop: BencodeValue[] = [];
    loop.push(loop);
    same(outcome(() => learner.encode(loop)), bencodeError('too-deep'));
  });

  it('refuses dictionaries it cannot write ("bad-value")', () => {
    const cases: [string, unknown][] = [
      ['entries that are not an array', { type: 'dict', entries: {} }],
      ['an entry that is not a pair', { type: 'dict', entries: [[str('a')]] }],
      ['a key that is a string', { type: 'dict', entries: [['a', 1n]] }],
      ['a key that is a number', { type: 'dict', entries: [[1, 1n]] }],
      ['a plain object', { a: 1n }],
      ['a Map', new Map([['a', 1n]])],
      ['a value that is a number, inside', dict([['a', list(1n, 2 as unknown as bigint)]])],
      ['a value that is a string, inside', list(dict([['name', 'a' as unknown as Uint8Array]]))],
    ];
    for (const [what, v] of cases) {
      same({ encode: what, got: outcome(() => learner.encode(v as BencodeValue)) }, { encode: what, got: bencodeError('bad-value') });
    }
  });

  graded('agrees with the reference on generated values: encode, decode, and back', 3, () => {
    forAll(arbValue, (v) => {
      const bytes = reference.encode(v);
      same({ encode: view(v), got: bytesOut(() => learner.encode(v)) }, { encode: view(v), got: { ok: true, value: hex(bytes) } });
      same({ decode: showBytes(bytes), got: outcomeOf(() => learner.decode(bytes)) }, { decode: showBytes(bytes), got: { ok: true, value: view(canonical(v)) } });
    }, 200);
  });

  it('decodes and re-encodes every real torrent byte for byte', () => {
    for (const t of TORRENTS) {
      const got = outcome(() => learner.encode(learner.decode(t.bytes)));
      same({ torrent: t.id, got: got.ok ? hex(got.value) : got }, { torrent: t.id, got: hex(t.bytes) });
    }
  });
});

// =============================================================================================

task('strict', () => {
  const cases = (label: string, rows: [string | Uint8Array, string][]) => {
    for (const [input, code] of rows) {
      const bytes = typeof input === 'string' ? latin1(input) : input;
      same({ [label]: showBytes(bytes), got: outcome(() => learner.decode(bytes)) }, { [label]: showBytes(bytes), got: bencodeError(code) });
    }
  };

  graded('refuses integers that are not written the one canonical way', 2, () => {
    cases('integer', [
      ['i03e', 'leading-zero'], ['i00e', 'leading-zero'], ['i-03e', 'leading-zero'], ['i-0e', 'negative-zero'],
      ['ie', 'bad-int'], ['i-e', 'bad-int'], ['i1.5e', 'bad-int'], ['i+1e', 'bad-int'], ['i 1e', 'bad-int'], ['i--1e', 'bad-int'], ['i1-e', 'bad-int'], ['i0x10e', 'bad-int'],
      ['i12', 'truncated'], ['i', 'truncated'], ['i-', 'truncated'],
    ]);
  });

  graded('refuses string lengths that are not canonical, or run past the end', 2, () => {
    cases('string', [
      ['03:abc', 'leading-zero'], ['00:', 'leading-zero'], ['3x:abc', 'bad-length'], ['1 :a', 'bad-length'], ['2e2:ab', 'bad-length'],
      ['5:abc', 'truncated'], ['4:spa', 'truncated'], ['1:', 'truncated'], ['12', 'truncated'], ['4', 'truncated'],
      ['4294967296:abc', 'truncated'], ['99999999999999999999999999:x', 'truncated'],
    ]);
  });

  graded('refuses dictionaries whose keys are not byte strings in increasing order', 2, () => {
    cases('dictionary', [
      ['d4:spam4:eggs3:cow3:mooe', 'unsorted-keys'], ['d1:bi1e1:ai2ee', 'unsorted-keys'], ['d2:abi1e1:ai2ee', 'unsorted-keys'],
      ['d3:cow3:moo3:cow3:mooe', 'duplicate-key'], ['d0:i1e0:i1ee', 'duplicate-key'],
      ['di1e3:mooe', 'non-string-key'], ['dle3:mooe', 'non-string-key'], ['dde3:mooe', 'non-string-key'],
      ['dxe', 'unexpected-byte'], ['d-1:ae', 'unexpected-byte'],
      ['d3:cowe', 'unexpected-byte'], ['d3:cow', 'truncated'], ['d', 'truncated'], ['d3:cow3:moo', 'truncated'],
      [concat('d4:', utf8('\u{1F600}'), 'i1e3:', utf8('\uFFFD'), 'i2ee'), 'unsorted-keys'],
    ]);
  });

  it('refuses what is not one value: nothing, bytes after it, bytes that begin no value', () => {
    cases('input', [
      ['', 'truncated'], ['i1ei2e', 'trailing-data'], ['4:spam ', 'trailing-data'], ['lee', 'trailing-data'], ['de\n', 'trailing-data'],
      ['x', 'unexpected-byte'], ['e', 'unexpected-byte'], [' i1e', 'unexpected-byte'], ['-1', 'unexpected-byte'], ['l', 'truncated'], ['li1e', 'truncated'],
      [concat(byId('MKTORRENT_SINGLE').bytes, '\n'), 'trailing-data'],
    ]);
  });

  it('reports the first problem, reading from the start', () => {
    cases('input', [
      ['li03ei-0ee', 'leading-zero'], ['li-0ei03ee', 'negative-zero'], ['d1:bi03e1:ai1ee', 'leading-zero'], ['d1:bi1e1:ai03ee', 'unsorted-keys'],
      ['d1:ai1e1:ai1e', 'duplicate-key'], ['l5:abc', 'truncated'], ['i1ei-0e', 'trailing-data'], ['l03:abce', 'leading-zero'],
    ]);
  });

  graded('reports every prefix of a real torrent as truncated', 2, () => {
    // Every prefix of the two smallest, every third of the others: each kind of field is cut everywhere.
    for (const t of TORRENTS) {
      const step = t.bytes.length < 300 ? 1 : 3;
      for (let n = 0; n < t.bytes.length; n += step) {
        const b = t.bytes.subarray(0, n);
        same({ torrent: t.id, first: n, got: outcome(() => learner.decode(b)) }, { torrent: t.id, first: n, got: bencodeError('truncated') });
      }
    }
  });

  graded('agrees with the reference on mutated real torrents, and writes back what it accepts', 3, () => {
    const interesting = fc.constantFrom(...latin1('ilde:0123-x '));
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(fc.integer({ min: 0, max: 255 }), interesting) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), value: fc.constant(0) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: interesting }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), value: fc.constant(0) }),
    );
    const arb = fc.tuple(fc.integer({ min: 0, max: TORRENTS.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }));
    forAll(arb, ([index, edits]) => {
      const t = TORRENTS[index]!;
      let bytes = Array.from(t.bytes);
      for (const e of edits) {
        const at = e.at % (bytes.length + 1);
        if (e.kind === 'set' && at < bytes.length) bytes[at] = e.value;
        if (e.kind === 'cut') bytes = bytes.slice(0, at);
        if (e.kind === 'insert') bytes.splice(at, 0, e.value);
        if (e.kind === 'delete') bytes.splice(at, 1);
      }
      const b = Uint8Array.from(bytes);
      const label = `${t.id} mutated to ${showBytes(b)}`;
      agree(`decode(${label})`, (m) => m.decode(b));
      const got = outcome(() => learner.decode(b));
      if (got.ok) same(bytesOut(() => learner.encode(got.value)), { ok: true, value: hex(b) }, `encode(decode(${label}))`);
    }, 250);
  });

  it('agrees with the reference on generated pairs of keys (in order, out of order, equal)', () => {
    forAll(fc.tuple(arbKey, fc.oneof(arbKey, fc.constant(null))), ([k1, k2]) => {
      const second = k2 ?? k1;
      const b = concat('d', `${k1.length}:`, k1, 'i1e', `${second.length}:`, second, 'i2ee');
      agree(`decode(${showBytes(b)})`, (m) => m.decode(b));
    }, 300);
  });

  it('agrees with the reference on short byte strings made of bencode\'s own characters', () => {
    forAll(fc.array(fc.constantFrom(...latin1('ilde:0123-x')), { maxLength: 10 }), (chars) => {
      const b = Uint8Array.from(chars);
      agree(`decode(${showBytes(b)})`, (m) => m.decode(b));
    }, 500);
  });

  it(`survives hostile nesting without running out of stack ("too-deep" past ${MAX_DEPTH})`, () => {
    const hostile: [string, Uint8Array][] = [
      ['100000 open lists', repeat('l', 100000)],
      ['50000 open dictionaries, each with a key', repeat('d1:k', 50000)],
      [`${MAX_DEPTH + 1} lists around i0e`, nestedLists(MAX_DEPTH + 1).bytes],
      [`${MAX_DEPTH} lists, then a dictionary`, concat(repeat('l', MAX_DEPTH), 'de', repeat('e', MAX_DEPTH))],
    ];
    for (const [what, bytes] of hostile) {
      same({ input: what, got: outcome(() => learner.decode(bytes)) }, { input: what, got: bencodeError('too-deep') });
    }
    same(outcome(() => learner.decode(repeat('l', MAX_DEPTH))), bencodeError('truncated'));
  });

  it('agrees with the reference on nestings around the depth limit, whole and cut', () => {
    forAll(fc.tuple(fc.integer({ min: MAX_DEPTH - 2, max: MAX_DEPTH + 2 }), fc.boolean(), fc.option(fc.nat(), { nil: undefined })), ([depth, dicts, cut]) => {
      const bytes = dicts ? concat(repeat('d1:k', depth), 'i0e', repeat('e', depth)) : nestedLists(depth).bytes;
      const b = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      agree(`decode(${showBytes(b)})`, (m) => m.decode(b));
    }, 60);
  });

  it('agrees with the reference on writing nestings around the depth limit', () => {
    forAll(fc.tuple(fc.integer({ min: MAX_DEPTH - 2, max: MAX_DEPTH + 2 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 4 })), ([depth, kinds]) => {
      let v: BencodeValue = str('leaf');
      for (let i = 0; i < depth; i++) v = kinds[i % kinds.length] ? dict([['k', v]]) : [v];
      agree(`encode(${depth} nested)`, (m) => m.encode(v), (b) => hex(b));
    }, 40);
  });
});

// =============================================================================================

const parsedView = (fn: () => Torrent) => outcomeOf(fn, torrentView);

task('torrent', () => {
  vectors(
    TORRENTS.map((t) => ({ name: `${t.id}: what transmission-show printed for \`${t.command}\``, t })),
    ({ t }) => {
      const got = outcome(() => learner.parseTorrent(t.bytes));
      same(got.ok ? asShown(got.value) : got, shown(t));
    },
  );

  graded('gives every file its full path, its length and its offset', 2, () => {
    for (const t of TORRENTS) {
      let offset = 0;
      const want = t.files.map((f) => {
        const file = { path: [t.name, ...f.path], length: f.length, offset };
        offset += f.length;
        return file;
      });
      const got = outcome(() => learner.parseTorrent(t.bytes));
      same({ torrent: t.id, files: got.ok ? got.value.files : got, length: got.ok ? got.value.length : undefined }, { torrent: t.id, files: want, length: offset });
    }
  });

  graded("hashes the files' content into the torrent's pieces", 2, () => {
    for (const t of TORRENTS) {
      const torrent = reference.parseTorrent(t.bytes);
      const hashes = outcome(() => learner.pieceHashes(contentOf(t), torrent.pieceLength));
      same({ torrent: t.id, pieces: hashes.ok ? hashes.value.map(hex) : hashes }, { torrent: t.id, pieces: torrent.pieces.map(hex) });
    }
  });

  it('cuts pieces at every length, the last one short', () => {
    const data = content(42, 1000);
    for (const [n, pieceLength] of [[0, 16], [1, 16], [15, 16], [16, 16], [17, 16], [40, 1], [1000, 333], [1000, 1000], [1000, 4096]]) {
      const got = outcome(() => learner.pieceHashes(data.subarray(0, n), pieceLength));
      const want = [];
      for (let at = 0; at < n; at += pieceLength) want.push(toHex(sha1(data.subarray(at, Math.min(n, at + pieceLength)))));
      same({ bytes: n, pieceLength, got: got.ok ? got.value.map(toHex) : got }, { bytes: n, pieceLength, got: want });
    }
    for (const bad of [0, -1, 1.5, NaN]) {
      same({ pieceLength: bad, got: outcome(() => learner.pieceHashes(data, bad)) }, { pieceLength: bad, got: torrentError('bad-field') });
    }
  });

  graded('finds the pieces a damaged download got wrong', 2, () => {
    for (const t of TORRENTS) {
      const torrent = reference.parseTorrent(t.bytes);
      const good = contentOf(t);
      same({ torrent: t.id, clean: outcome(() => learner.badPieces(torrent, good)) }, { torrent: t.id, clean: { ok: true, value: [] } });
      for (const at of [0, good.length - 1, torrent.pieceLength, torrent.pieceLength - 1, Math.floor(good.length / 2)]) {
        if (at < 0 || at >= good.length) continue;
        const damaged = good.slice();
        damaged[at] ^= 0x01;
        same({ torrent: t.id, flipped: at, got: outcome(() => learner.badPieces(torrent, damaged)) }, { torrent: t.id, flipped: at, got: { ok: true, value: [Math.floor(at / torrent.pieceLength)] } });
      }
      same({ torrent: t.id, short: outcome(() => learner.badPieces(torrent, good.subarray(1))) }, { torrent: t.id, short: torrentError('bad-content') });
      same({ torrent: t.id, long: outcome(() => learner.badPieces(torrent, concat(good, 'x'))) }, { torrent: t.id, long: torrentError('bad-content') });
    }
  });

  graded('refuses torrents that break a rule, one rule at a time', 3, () => {
    const single = topOf('MKTORRENT_SINGLE');
    const multi = topOf('MKTORRENT_MULTI_PRIVATE');
    const files = (info: BencodeDict) => lookup(info, 'files') as BencodeDict[];
    const file = (length: BencodeValue | undefined, path: BencodeValue | undefined): BencodeDict => {
      let f: BencodeDict = dict([]);
      if (length !== undefined) f = withEntry(f, 'length', length);
      if (path !== undefined) f = withEntry(f, 'path', path);
      return f;
    };
    const withFile = (f: BencodeDict) => (info: BencodeDict) => withEntry(info, 'files', [...files(info).slice(0, 3), f]);
    const cases: [string, Uint8Array, { ok: false; error: string; code: string }][] = [
      ['a list, not a dictionary', reference.encode(list(single)), torrentError('bad-field')],
      ['no info', reference.encode(withEntry(single, 'info', undefined)), torrentError('missing-field')],
      ['info is a list', reference.encode(withEntry(single, 'info', list())), torrentError('bad-field')],
      ['no name', editInfo(single, (i) => withEntry(i, 'name', undefined)), torrentError('missing-field')],
      ['a name that is an integer', editInfo(single, (i) => withEntry(i, 'name', 1n)), torrentError('bad-field')],
      ['a name that is not UTF-8', editInfo(single, (i) => withEntry(i, 'name', Uint8Array.of(0x61, 0xff))), torrentError('bad-field')],
      ['the name ".."', editInfo(single, (i) => withEntry(i, 'name', str('..'))), torrentError('bad-path')],
      ['the name "a/b"', editInfo(single, (i) => withEntry(i, 'name', str('a/b'))), torrentError('bad-path')],
      ['an empty name', editInfo(single, (i) => withEntry(i, 'name', str(''))), torrentError('bad-path')],
      ['no piece length', editInfo(single, (i) => withEntry(i, 'piece length', undefined)), torrentError('missing-field')],
      ['a piece length of 0', editInfo(single, (i) => withEntry(i, 'piece length', 0n)), torrentError('bad-field')],
      ['a piece length of "32768"', editInfo(single, (i) => withEntry(i, 'piece length', str('32768'))), torrentError('bad-field')],
      ['no pieces', editInfo(single, (i) => withEntry(i, 'pieces', undefined)), torrentError('missing-field')],
      ['pieces as a list', editInfo(single, (i) => withEntry(i, 'pieces', list())), torrentError('bad-field')],
      ['pieces of 79 bytes', editInfo(single, (i) => withEntry(i, 'pieces', new Uint8Array(79))), torrentError('bad-pieces')],
      ['three hashes for four pieces', editInfo(single, (i) => withEntry(i, 'pieces', new Uint8Array(60))), torrentError('bad-pieces')],
      ['five hashes for four pieces', editInfo(single, (i) => withEntry(i, 'pieces', new Uint8Array(100))), torrentError('bad-pieces')],
      ['a length of -1', editInfo(single, (i) => withEntry(withEntry(i, 'length', -1n), 'pieces', new Uint8Array(0))), torrentError('bad-field')],
      ['a length past 2^53', editInfo(single, (i) => withEntry(i, 'length', 2n ** 60n)), torrentError('bad-field')],
      ['neither length nor files', editInfo(single, (i) => withEntry(i, 'length', undefined)), torrentError('missing-field')],
      ['both length and files', editInfo(multi, (i) => withEntry(i, 'length', 135000n)), torrentError('bad-field')],
      ['files that are not a list', editInfo(multi, (i) => withEntry(i, 'files', dict([]))), torrentError('bad-field')],
      ['an empty list of files', editInfo(multi, (i) => withEntry(i, 'files', list())), torrentError('bad-field')],
      ['a file that is a list', editInfo(multi, (i) => withEntry(i, 'files', [...files(i).slice(0, 3), list(0n)])), torrentError('bad-field')],
      ['a file without a length', editInfo(multi, withFile(file(undefined, list(str('x'))))), torrentError('missing-field')],
      ['a file without a path', editInfo(multi, withFile(file(0n, undefined))), torrentError('missing-field')],
      ['a file of -1 bytes', editInfo(multi, withFile(file(-1n, list(str('x'))))), torrentError('bad-field')],
      ['a path that is a string', editInfo(multi, withFile(file(0n, str('x')))), torrentError('bad-field')],
      ['an empty path', editInfo(multi, withFile(file(0n, list()))), torrentError('bad-path')],
      ['a path through ".."', editInfo(multi, withFile(file(0n, list(str('..'), str('etc'), str('passwd'))))), torrentError('bad-path')],
      ['a path ending in "."', editInfo(multi, withFile(file(0n, list(str('a'), str('.'))))), torrentError('bad-path')],
      ['a path component "a/b"', editInfo(multi, withFile(file(0n, list(str('a/b'))))), torrentError('bad-path')],
      ['a path component with a NUL', editInfo(multi, withFile(file(0n, list(str('a\x00b'))))), torrentError('bad-path')],
      ['an empty path component', editInfo(multi, withFile(file(0n, list(str('a'), str(''))))), torrentError('bad-path')],
      ['a path component that is an integer', editInfo(multi, withFile(file(0n, list(7n)))), torrentError('bad-field')],
      ['private = 2', editInfo(single, (i) => withEntry(i, 'private', 2n)), torrentError('bad-field')],
      ['private = "1"', editInfo(single, (i) => withEntry(i, 'private', str('1'))), torrentError('bad-field')],
      ['an announce that is an integer', reference.encode(withEntry(single, 'announce', 1n)), torrentError('bad-field')],
      ['an announce-list that is a list of strings', reference.encode(withEntry(single, 'announce-list', list(str('http://127.0.0.1/')))), torrentError('bad-field')],
      ['a creation date that is a string', reference.encode(withEntry(single, 'creation date', str('today'))), torrentError('bad-field')],
      ['a comment that is not UTF-8', reference.encode(withEntry(single, 'comment', Uint8Array.of(0xc3))), torrentError('bad-field')],
      ['keys out of order (as Transmission 3.00 accepts)', concat('d4:info', latin1('d4:name1:a6:lengthi0e12:piece lengthi1e6:pieces0:e'), 'e'), bencodeError('unsorted-keys')],
      ['a leading zero in a length', concat('d4:info', latin1('d6:lengthi00e4:name1:a12:piece lengthi1e6:pieces0:e'), 'e'), bencodeError('leading-zero')],
    ];
    for (const [what, bytes, want] of cases) {
      same({ torrent: what, got: outcome(() => learner.parseTorrent(bytes)) }, { torrent: what, got: want });
    }
  });

  it('reads private as BEP 27 says: 1 is private, 0 or absent is public', () => {
    const single = topOf('MKTORRENT_SINGLE');
    for (const [what, value, want] of [['private = 1', 1n, true], ['private = 0', 0n, false], ['no private', undefined, false]] as const) {
      const got = outcome(() => learner.parseTorrent(editInfo(single, (i) => withEntry(i, 'private', value))));
      same({ torrent: what, private: got.ok ? got.value.private : got }, { torrent: what, private: want });
    }
  });

  graded('agrees with the reference on generated torrents', 2, () => {
    const arbComponent = fc.oneof(
      fc.constantFrom('a', 'b.txt', 'disc 2', 'caf\u00e9', '\u2603', '...', '.hidden', '-', 'x'.repeat(40)),
      fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '.' && s !== '..' && !s.includes('/') && !s.includes('\0')),
    );
    const arbTorrent = fc.record({
      name: arbComponent,
      pieceLength: fc.oneof(fc.integer({ min: 100, max: 1000 }), fc.constantFrom(64, 16384, 32768)),
      files: fc.oneof(
        fc.integer({ min: 0, max: 3000 }).map((length) => ({ single: true, list: [{ path: [] as string[], length }] })),
        fc.array(fc.record({ path: fc.array(arbComponent, { minLength: 1, maxLength: 3 }), length: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 700 })) }), { minLength: 1, maxLength: 4 })
          .map((list) => ({ single: false, list })),
      ),
      private: fc.constantFrom(undefined, 0n, 1n),
      announce: fc.option(fc.constantFrom('http://127.0.0.1:6969/announce', 'udp://127.0.0.1:1337'), { nil: undefined }),
      announceList: fc.option(fc.array(fc.array(fc.constantFrom('http://127.0.0.1:1/a', 'udp://127.0.0.1:2', 'http://127.0.0.1:3/b?x=1'), { maxLength: 2 }), { maxLength: 3 }), { nil: undefined }),
      comment: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      date: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined }),
      seed: fc.integer({ min: 1, max: 1000 }),
    });
    forAll(arbTorrent, (g) => {
      const total = g.files.list.reduce((n, f) => n + f.length, 0);
      const pieces = reference.pieceHashes(content(g.seed, total), g.pieceLength);
      let info = dict([['name', str(g.name)], ['piece length', BigInt(g.pieceLength)], ['pieces', concat(...pieces)]]);
      info = g.files.single
        ? withEntry(info, 'length', BigInt(total))
        : withEntry(info, 'files', g.files.list.map((f) => dict([['length', BigInt(f.length)], ['path', f.path.map(str)]])));
      if (g.private !== undefined) info = withEntry(info, 'private', g.private);
      let top = dict([['info', info]]);
      if (g.announce !== undefined) top = withEntry(top, 'announce', str(g.announce));
      if (g.announceList !== undefined) top = withEntry(top, 'announce-list', g.announceList.map((tier) => tier.map(str)));
      if (g.comment !== undefined) top = withEntry(top, 'comment', str(g.comment));
      if (g.date !== undefined) top = withEntry(top, 'creation date', BigInt(g.date));
      const bytes = reference.encode(top);
      agree(`parseTorrent(${showBytes(bytes)})`, (m) => m.parseTorrent(bytes), torrentView);
    }, 60);
  });
});

// =============================================================================================

task('infohash', () => {
  vectors(
    TORRENTS.map((t) => ({ name: `${t.id}: the infohash transmission-show printed, ${t.shown.hash}`, t })),
    ({ t }) => {
      same(outcome(() => learner.infoHash(t.bytes)), { ok: true, value: t.shown.hash });
    },
  );

  graded('finds where info lies in the file: a span that decodes to info, and re-encodes to itself', 2, () => {
    for (const t of TORRENTS) {
      const top = reference.decode(t.bytes) as BencodeDict;
      const info = lookup(top, 'info')!;
      const span = outcome(() => learner.infoSpan(t.bytes));
      same({ torrent: t.id, ok: span.ok }, { torrent: t.id, ok: true });
      if (!span.ok) return;
      const { start, end } = span.value;
      const cut = t.bytes.subarray(start, end);
      // The key before it, and the value itself: a strict file's info is its own canonical encoding.
      same({ torrent: t.id, before: showBytes(t.bytes.subarray(start - 6, start)), info: hex(cut) }, { torrent: t.id, before: '"4:info"', info: hex(reference.encode(info)) });
      same({ torrent: t.id, hash: toHex(sha1(cut)) }, { torrent: t.id, hash: t.shown.hash });
    }
  });

  it('changes with info only: trackers, comment and date are outside it, private is inside', () => {
    const top = topOf('TRANSMISSION_SINGLE_PRIVATE');
    const before = byId('TRANSMISSION_SINGLE_PRIVATE').shown.hash;
    const outside = [
      withEntry(top, 'announce', str('udp://127.0.0.1:1')),
      withEntry(top, 'comment', undefined),
      withEntry(top, 'creation date', 0n),
      withEntry(top, 'announce-list', list(list(str('http://127.0.0.1:2/')))),
    ];
    for (const d of outside) same(outcome(() => learner.infoHash(reference.encode(d))), { ok: true, value: before });
    const publicCopy = editInfo(top, (i) => withEntry(i, 'private', 0n));
    const want = referenceAnswer('infohash of the public copy', hex(publicCopy), () => reference.infoHash(publicCopy));
    expect(want).not.toBe(before);
    same(outcome(() => learner.infoHash(publicCopy)), { ok: true, value: want });
  });

  it('agrees with the reference on generated files, info anywhere among the keys', () => {
    forAll(fc.tuple(fc.uniqueArray(arbKey, { maxLength: 4, selector: hex }), fc.array(arbValue, { minLength: 4, maxLength: 4 }), arbValue), ([keys, values, infoBody]) => {
      const info: BencodeValue = { type: 'dict', entries: [[str('name'), str('x')], [str('extra'), infoBody]] };
      const entries: BencodeEntry[] = keys.filter((k) => hex(k) !== hex(str('info'))).map((k, i) => [k, values[i]!]);
      const bytes = reference.encode({ type: 'dict', entries: [...entries, [str('info'), info]] });
      agree(`infoSpan(${showBytes(bytes)})`, (m) => m.infoSpan(bytes), (x) => x);
      agree(`infoHash(${showBytes(bytes)})`, (m) => m.infoHash(bytes), (x) => x);
    }, 100);
  });

  it('refuses files without an info dictionary, and broken ones', () => {
    const cases: [string, Uint8Array, object][] = [
      ['no info', latin1('d8:announce1:xe'), torrentError('missing-field')],
      ['info is a string', latin1('d4:info4:spame'), torrentError('bad-field')],
      ['a list', latin1('ld4:infodeee'), torrentError('bad-field')],
      ['a key out of order inside info', concat('d4:info', latin1('d1:bi1e1:ai1ee'), 'e'), bencodeError('unsorted-keys')],
      ['trailing data', concat(byId('MKTORRENT_SINGLE').bytes, 'x'), bencodeError('trailing-data')],
      ['cut short', byId('MKTORRENT_SINGLE').bytes.subarray(0, 200), bencodeError('truncated')],
    ];
    for (const [what, bytes, want] of cases) {
      same({ file: what, span: outcome(() => learner.infoSpan(bytes)) }, { file: what, span: want });
      same({ file: what, hash: outcome(() => learner.infoHash(bytes)) }, { file: what, hash: want });
    }
  });

  vectors(
    TORRENTS.map((t) => ({ name: `${t.id}: the magnet link transmission-show -m printed`, t })),
    ({ t }) => {
      same(outcome(() => learner.magnetLink(t.bytes)), { ok: true, value: t.shown.magnet });
    },
  );

  it('takes trackers from announce-list when it names any, from announce otherwise (BEP 12)', () => {
    const top = topOf('MKTORRENT_SINGLE');
    const hash = byId('MKTORRENT_SINGLE').shown.hash;
    const base = `magnet:?xt=urn:btih:${hash}&dn=movie.bin`;
    const cases: [string, BencodeDict, string][] = [
      ['announce only', top, `${base}&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce`],
      ['no tracker at all', withEntry(top, 'announce', undefined), base],
      ['an announce-list of two tiers', withEntry(top, 'announce-list', list(list(str('udp://127.0.0.1:1')), list(str('http://127.0.0.1:2/a'), str('http://127.0.0.1:3/b')))), `${base}&tr=udp%3A%2F%2F127.0.0.1%3A1&tr=http%3A%2F%2F127.0.0.1%3A2%2Fa&tr=http%3A%2F%2F127.0.0.1%3A3%2Fb`],
      ['an empty announce-list', withEntry(top, 'announce-list', list()), `${base}&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce`],
      ['an announce-list of empty tiers', withEntry(top, 'announce-list', list(list(), list())), `${base}&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce`],
    ];
    for (const [what, d, want] of cases) {
      same({ torrent: what, magnet: outcome(() => learner.magnetLink(reference.encode(d))) }, { torrent: what, magnet: { ok: true, value: want } });
    }
  });

  graded('escapes names and trackers as Transmission does, on generated ones', 2, () => {
    const top = topOf('MKTORRENT_SINGLE');
    const arbText = fc.oneof(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }),
      fc.constantFrom('a b', 'a+b', 'a_b~c', "(it's)", '100%', 'x,y;z', '[1]', 'caf\u00e9', '\u{1F600}', 'A-Z.a-z'),
    ).filter((s) => s !== '.' && s !== '..' && !s.includes('/') && !s.includes('\0'));
    forAll(fc.tuple(arbText, fc.array(arbText, { maxLength: 2 })), ([name, trackers]) => {
      let d = editInfo(top, (i) => withEntry(i, 'name', str(name)));
      if (trackers.length > 0) d = reference.encode(withEntry(reference.decode(d) as BencodeDict, 'announce-list', [trackers.map((u) => str(`http://127.0.0.1/${u}`))]));
      agree(`magnetLink for the name ${JSON.stringify(name)} and trackers ${JSON.stringify(trackers)}`, (m) => m.magnetLink(d), (x) => x);
    }, 60);
  });

  it('refuses a magnet link for a file that is not a valid torrent', () => {
    const single = topOf('MKTORRENT_SINGLE');
    const cases: [string, Uint8Array, object][] = [
      ['no name', editInfo(single, (i) => withEntry(i, 'name', undefined)), torrentError('missing-field')],
      ['pieces of 79 bytes', editInfo(single, (i) => withEntry(i, 'pieces', new Uint8Array(79))), torrentError('bad-pieces')],
      ['the name ".."', editInfo(single, (i) => withEntry(i, 'name', str('..'))), torrentError('bad-path')],
      ['i-0e in info', concat('d4:info', latin1('d6:lengthi-0e4:name1:a12:piece lengthi1e6:pieces0:e'), 'e'), bencodeError('negative-zero')],
    ];
    for (const [what, bytes, want] of cases) {
      same({ torrent: what, got: outcome(() => learner.magnetLink(bytes)) }, { torrent: what, got: want });
    }
  });
});
