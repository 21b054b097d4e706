/**
 * Peer proof for labs/p2p/bencode-infohash: the reference against real .torrent files made on
 * this machine, against what Transmission prints for them, and against npm's bencode package.
 *
 * Every run writes content files (xorshift bytes, torrents.ts's content()) to a fresh directory:
 * one file of 1.5 MB, and a tree of eleven files (nested directories, an empty file, UTF-8 names,
 * files that end mid-piece and files smaller than a piece). From them mktorrent and
 * transmission-create make torrents: single-file and multi-file, public and private (BEP 27),
 * piece lengths from 16 KiB to 1 MiB, no tracker, one tracker, several tiers (BEP 12), with and
 * without a comment and a creation date. For each, the reference must:
 * - print what `transmission-show -u` prints (TZ=UTC): name, infohash, created by, created on,
 *   comment, piece count and size, total size, privacy, every tracker tier, every file with its
 *   size, in the torrent's order; and what `transmission-show -m` prints, the magnet link;
 * - find every piece of the content good, with its own SHA-1 (noble) and with Node's (OpenSSL),
 *   and the infohash likewise from the span it found;
 * - decode and re-encode the file byte for byte, and agree with npm's bencode on it.
 * The lab's fixtures (torrents.ts) are made again from their commands and must come out the same.
 * Then npm's bencode on generated valid values (both directions), and the findings the lab's
 * instructions state: what bencode and Transmission accept that a strict decoder refuses, and
 * that Transmission 3.00 hashes a non-canonical info dictionary re-encoded.
 * Nothing here uses the network.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPeers } from './support/peer';
import { fc, samples } from '../../labs/kit';
import { content, FIXTURES } from '../../labs/p2p/bencode-infohash/torrents';
import {
  badPieces, decode, encode, infoHash, infoSpan, magnetLink, parseTorrent,
  BencodeError, type BencodeDict, type BencodeValue, type Torrent,
} from '../../labs/p2p/bencode-infohash/reference';

const run = promisify(execFile);
const sha1Node = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
const TRACKER = 'http://127.0.0.1:6969/announce';

// ---- The content -----------------------------------------------------------------------------

interface ContentFile { path: string[]; length: number; seed: number }

const SINGLE: ContentFile = { path: ['big file.bin'], length: 1_500_000, seed: 11 };
const TREE_NAME = 'a tree';
const TREE: ContentFile[] = [
  { path: ['README'], length: 1_234, seed: 21 },
  { path: ['empty'], length: 0, seed: 0 },
  { path: ['data', '01 first.bin'], length: 16_384, seed: 22 },
  { path: ['data', '02 second.bin'], length: 40_001, seed: 23 },
  { path: ['data', 'deep', 'deeper', 'x.txt'], length: 7, seed: 24 },
  { path: ['data', 'deep', 'y-z_1,2.~'], length: 65_537, seed: 25 },
  { path: ['caf\u00e9', 'na\u00efve r\u00e9sum\u00e9.txt'], length: 3_000, seed: 26 },
  { path: ['\u65e5\u672c', '\u2603 snow.bin'], length: 100_000, seed: 27 },
  { path: ['z', 'one byte'], length: 1, seed: 28 },
  { path: ['z', 'also empty'], length: 0, seed: 0 },
  { path: ['z', 'last.bin'], length: 250_000, seed: 29 },
];

interface Made { what: string; file: string; bytes: Uint8Array; multi: boolean }

/** A command line as the shell splits it: words, '...' and "..." quoting, nothing else. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) words.push(m[1] ?? (m[2] !== undefined ? JSON.parse(`"${m[2]}"`) as string : m[3]!));
  return words;
}

// ---- What transmission-show prints -------------------------------------------------------------

interface Shown {
  name: string;
  hash: string;
  createdBy: string;
  createdOn: string;
  comment: string | null;
  pieceCount: number;
  pieceSize: string;
  totalSize: string;
  privacy: string;
  tiers: string[][];
  files: string[];
}

async function show(file: string): Promise<{ shown: Shown; magnet: string }> {
  const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C.UTF-8' };
  const { stdout: text } = await run('transmission-show', ['-u', file], { env });
  const { stdout: magnet } = await run('transmission-show', ['-m', file], { env });
  const field = (k: string) => new RegExp(`^  ${k}: (.*)$`, 'm').exec(text)?.[1] ?? null;
  const trackers = text.split('\nTRACKERS\n')[1]?.split('\nFILES\n')[0] ?? '';
  const tiers: string[][] = [];
  for (const line of trackers.split('\n')) {
    if (/^ {2}Tier #/.test(line)) tiers.push([]);
    else if (/^ {2}\S/.test(line)) tiers[tiers.length - 1]!.push(line.trim());
  }
  const files = text.split('\nFILES\n')[1]!.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
  return {
    shown: {
      name: field('Name')!, hash: field('Hash')!, createdBy: field('Created by')!, createdOn: field('Created on')!, comment: field('Comment'),
      pieceCount: Number(field('Piece Count')), pieceSize: field('Piece Size')!, totalSize: field('Total Size')!, privacy: field('Privacy')!, tiers, files,
    },
    magnet: magnet.trim(),
  };
}

/**
 * Transmission 3.00's size formats (libtransmission/utils.c): sizes in SI units (kB = 1000 bytes,
 * "kB" even below 1000), memory such as the piece size in IEC units (KiB = 1024); two decimals
 * below 100, one above.
 */
function formatUnits(bytes: number, k: number, names: string[]): string {
  let i = 0;
  while (i < names.length - 1 && bytes >= k ** (i + 2)) i++;
  const value = bytes / k ** (i + 1);
  return `${value.toFixed(value < 100 ? 2 : 1)} ${names[i]}`;
}
const sizeString = (bytes: number) => formatUnits(bytes, 1000, ['kB', 'MB', 'GB', 'TB']);
const memString = (bytes: number) => formatUnits(bytes, 1024, ['KiB', 'MiB', 'GiB', 'TiB']);

/** ctime() in UTC, as transmission-show prints a date: "Mon Dec  7 16:43:06 2026". */
function ctime(seconds: number | null): string {
  if (seconds === null) return 'Unknown';
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

function asShown(t: Torrent, hash: string): Shown {
  return {
    name: t.name,
    hash,
    createdBy: t.createdBy ?? '',
    createdOn: ctime(t.creationDate),
    comment: t.comment,
    pieceCount: t.pieces.length,
    pieceSize: memString(t.pieceLength),
    totalSize: sizeString(t.length),
    privacy: t.private ? 'Private torrent' : 'Public torrent',
    tiers: t.announceList.length > 0 ? t.announceList : t.announce === null ? [] : [[t.announce]],
    files: t.files.map((f) => `${f.path.join('/')} (${sizeString(f.length)})`),
  };
}

// ---- npm's bencode, and the reference's values in its terms -------------------------------------

interface NpmBencode { encode(v: unknown): Uint8Array; decode(b: Uint8Array): unknown }

/** npm's bencode (no type declarations: imported by a computed name), and its version. */
async function loadBencode(): Promise<{ bencode: NpmBencode; version: string }> {
  const name = (n: string): string => n;
  const bencode = ((await import(name('bencode'))) as { default: NpmBencode }).default;
  // package.json is not in the package's exports: read it from node_modules.
  const version = (JSON.parse(readFileSync(new URL('../../node_modules/bencode/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return { bencode, version };
}

/**
 * A reference value as npm's bencode represents it: numbers, Uint8Arrays, arrays, and plain
 * objects keyed by the UTF-8 text of each key.
 */
function asNpm(v: BencodeValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(asNpm);
  const out: Record<string, unknown> = {};
  for (const [k, x] of v.entries) out[new TextDecoder().decode(k)] = asNpm(x);
  return out;
}

/** Plain data for comparing: byte strings as hex. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return `<${hexOf(v)}>`;
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Valid values both codecs represent the same way: safe integers, keys of text below U+D800. */
const arbNpmValue = fc.letrec<{ value: BencodeValue }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'v' },
    fc.maxSafeInteger().map(BigInt),
    fc.uint8Array({ maxLength: 24 }),
    fc.array(tie('value'), { maxLength: 4, depthIdentifier: 'v' }),
    fc.uniqueArray(fc.tuple(fc.string({ unit: fc.integer({ min: 0, max: 0xd7ff }).map((c) => String.fromCharCode(c)), maxLength: 6 }).filter((k) => k !== '__proto__'), tie('value')), { maxLength: 4, selector: ([k]) => k, depthIdentifier: 'v' })
      .map((entries): BencodeDict => ({ type: 'dict', entries: entries.map(([k, x]) => [new TextEncoder().encode(k), x]) })),
  ),
}));

// =============================================================================================

describeWithPeers('the bencode and infohash reference against mktorrent, transmission-create, transmission-show and npm bencode', ['mktorrent', 'transmission-create', 'transmission-show'], () => {
  let dir: string;
  let bencode: NpmBencode;
  const made: Made[] = [];
  const contentByPath = new Map<string, Uint8Array>();

  beforeAll(async () => {
    const npm = await loadBencode();
    bencode = npm.bencode;
    const versions = await Promise.all([
      run('mktorrent', ['-h']).then((r) => r.stdout.split('\n')[0]!, (e: { stdout?: string }) => e.stdout?.split('\n')[0] ?? '?'),
      run('transmission-show', ['-V']).then((r) => (r.stdout + r.stderr).trim()),
    ]);
    console.info(`[p2p/bencode-infohash peers] ${versions.join('; ')}; npm bencode ${npm.version}`);
    dir = mkdtempSync(join(tmpdir(), 'netlabs-torrents-'));
    for (const f of [SINGLE, ...TREE.map((t) => ({ ...t, path: [TREE_NAME, ...t.path] }))]) {
      const bytes = content(f.seed, f.length);
      const path = join(dir, ...f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
      contentByPath.set(f.path.join('/'), bytes);
    }
    const make = async (what: string, cmd: string, args: string[], target: string, multi: boolean) => {
      const file = join(dir, `${made.length}.torrent`);
      await run(cmd, [...args, '-o', file, target], { cwd: dir });
      made.push({ what: `${what}: ${cmd} ${args.join(' ')}`, file, bytes: new Uint8Array(readFileSync(file)), multi });
    };
    for (const l of [15, 16, 17, 18, 19, 20]) await make(`single file, 2^${l}-byte pieces`, 'mktorrent', ['-l', String(l), '-a', TRACKER], SINGLE.path[0]!, false);
    await make('single file, private, no date, comment', 'mktorrent', ['-d', '-p', '-l', '16', '-a', TRACKER, '-c', 'private, 64 KiB'], SINGLE.path[0]!, false);
    await make('tree, three tiers', 'mktorrent', ['-l', '15', '-a', TRACKER, '-a', 'udp://127.0.0.1:6969', '-a', 'http://127.0.0.1:6970/a,http://127.0.0.1:6971/b'], TREE_NAME, true);
    await make('tree, private, no date', 'mktorrent', ['-d', '-p', '-l', '17', '-a', `${TRACKER}?passkey=0123abcd`], TREE_NAME, true);
    await make('tree, named otherwise', 'mktorrent', ['-l', '18', '-a', TRACKER, '-n', 'Caf\u00e9 (d\u00e9j\u00e0 vu) [1]_~!-\''], TREE_NAME, true);
    for (const s of [16, 32, 64, 1024]) await make(`single file, ${s} KiB pieces`, 'transmission-create', ['-s', String(s), '-t', TRACKER], SINGLE.path[0]!, false);
    await make('single file, private, comment', 'transmission-create', ['-p', '-s', '32', '-t', TRACKER, '-c', 'a comment, with commas'], SINGLE.path[0]!, false);
    await make('tree, no tracker', 'transmission-create', ['-s', '16'], TREE_NAME, true);
    await make('tree, private, two tiers', 'transmission-create', ['-p', '-s', '64', '-t', TRACKER, '-t', 'udp://127.0.0.1:1337'], TREE_NAME, true);
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('made torrents of every kind (the cases below are not vacuous)', () => {
    const parsed = made.map((m) => parseTorrent(m.bytes));
    expect(made.length).toBe(17);
    expect(parsed.some((t) => t.private) && parsed.some((t) => !t.private)).toBe(true);
    expect(new Set(parsed.map((t) => t.pieceLength))).toEqual(new Set([16384, 32768, 65536, 131072, 262144, 524288, 1048576]));
    expect(parsed.filter((t) => t.files.length === TREE.length).length).toBeGreaterThan(0);
    // transmission-create leaves empty files out; mktorrent keeps them.
    expect(parsed.filter((t) => t.files.length === TREE.length - 2).length).toBe(2);
    expect(parsed.some((t) => t.creationDate === null) && parsed.some((t) => t.creationDate !== null)).toBe(true);
  });

  it('prints what transmission-show prints, for every torrent', async () => {
    for (const m of made) {
      const { shown } = await show(m.file);
      const t = parseTorrent(m.bytes);
      expect(asShown(t, infoHash(m.bytes)), m.what).toEqual(shown);
    }
  });

  it('writes the magnet link transmission-show -m writes, for every torrent', async () => {
    for (const m of made) {
      const { magnet } = await show(m.file);
      expect(magnetLink(m.bytes), m.what).toBe(magnet);
    }
  });

  it("finds every piece good, and hashes them and the info span as Node's SHA-1 does", () => {
    for (const m of made) {
      const t = parseTorrent(m.bytes);
      // On disk the tree is TREE_NAME whatever the torrent calls it (mktorrent -n renames it).
      const onDisk = (path: string[]) => (m.multi ? [TREE_NAME, ...path.slice(1)] : path).join('/');
      const whole = Buffer.concat(t.files.map((f) => contentByPath.get(onDisk(f.path))!));
      expect(badPieces(t, whole), m.what).toEqual([]);
      for (let i = 0; i < t.pieces.length; i++) {
        const piece = whole.subarray(i * t.pieceLength, (i + 1) * t.pieceLength);
        expect(hexOf(t.pieces[i]!), `${m.what}: piece ${i}`).toBe(sha1Node(piece));
      }
      const { start, end } = infoSpan(m.bytes);
      expect(infoHash(m.bytes), m.what).toBe(sha1Node(m.bytes.subarray(start, end)));
      // A torrent's offsets are its files laid end to end.
      let offset = 0;
      for (const f of t.files) {
        expect(f.offset, `${m.what}: ${f.path.join('/')}`).toBe(offset);
        offset += f.length;
      }
      expect(t.length).toBe(offset);
    }
  });

  it('decodes and re-encodes every torrent byte for byte, and reads it as npm bencode does', () => {
    for (const m of made) {
      const value = decode(m.bytes);
      expect(hexOf(encode(value)), m.what).toBe(hexOf(m.bytes));
      expect(plain(asNpm(value)), m.what).toEqual(plain(bencode.decode(m.bytes)));
      expect(hexOf(bencode.encode(bencode.decode(m.bytes))), m.what).toBe(hexOf(m.bytes));
    }
  });

  it("re-creates the lab's fixtures: the same bytes (transmission-create's creation date aside)", async () => {
    for (const f of FIXTURES) {
      const at = join(dir, `fixture-${f.id}`);
      for (const file of f.files) {
        const path = join(at, f.name, ...file.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content(file.seed, file.length));
      }
      const [cmd, ...args] = shellWords(f.command);
      await run(cmd!, args.map((a) => (a === 'out.torrent' ? join(at, a) : a)), { cwd: at });
      const fresh = new Uint8Array(readFileSync(join(at, 'out.torrent')));
      const withoutDate = (b: Uint8Array) => {
        const top = decode(b) as BencodeDict;
        return hexOf(encode({ type: 'dict', entries: top.entries.filter(([k]) => new TextDecoder().decode(k) !== 'creation date') }));
      };
      if (f.maker === 'mktorrent') expect(hexOf(fresh), f.command).toBe(f.hex);
      else expect(withoutDate(fresh), f.command).toBe(withoutDate(new Uint8Array(Buffer.from(f.hex, 'hex'))));
    }
  });

  describe('npm bencode 4 on generated valid values', () => {
    const values = samples(arbNpmValue.value, 400);

    it('encodes them to the same bytes', () => {
      for (const v of values) expect(hexOf(bencode.encode(asNpm(v))), JSON.stringify(plain(asNpm(v)))).toBe(hexOf(encode(v)));
    });

    it('decodes the reference\'s bytes to the same values, and the reference decodes its bytes back', () => {
      for (const v of values) {
        const bytes = encode(v);
        expect(plain(bencode.decode(bytes)), hexOf(bytes)).toEqual(plain(asNpm(v)));
        expect(plain(asNpm(decode(new Uint8Array(bencode.encode(asNpm(v)))))), hexOf(bytes)).toEqual(plain(asNpm(v)));
      }
    });
  });

  describe("what the others accept and a strict decoder refuses (the instructions' findings)", () => {
    const strict = (text: string | Uint8Array) => {
      try {
        decode(typeof text === 'string' ? new TextEncoder().encode(text) : text);
        return 'accepted';
      } catch (e) {
        return e instanceof BencodeError ? e.code : String(e);
      }
    };

    it('npm bencode 4 decodes non-canonical input without complaint', () => {
      const loose = (text: string) => bencode.decode(new Uint8Array(Buffer.from(text, 'latin1')));
      expect(loose('i03e')).toBe(3);
      expect(Object.is(loose('i-0e'), -0)).toBe(true);
      expect(plain(loose('5:abc'))).toBe('<616263>');
      expect(loose('i1ei2e')).toBe(1);
      expect(loose('d1:bi1e1:ai2ee')).toEqual({ b: 1, a: 2 });
      expect(loose('i9007199254740993e')).toBe(9007199254740992);
      expect([strict('i03e'), strict('i-0e'), strict('5:abc'), strict('i1ei2e'), strict('d1:bi1e1:ai2ee')]).toEqual(['leading-zero', 'negative-zero', 'truncated', 'trailing-data', 'unsorted-keys']);
      expect(decode(new TextEncoder().encode('i9007199254740993e'))).toBe(9007199254740993n);
    });

    it('npm bencode 4 sorts keys as JavaScript strings, so it writes keys out of byte order', () => {
      const bytes = new Uint8Array(bencode.encode({ '\uFFFD': 1, '\u{1F600}': 2 }));
      expect(strict(bytes)).toBe('unsorted-keys');
      expect(hexOf(encode({ type: 'dict', entries: [[new TextEncoder().encode('\u{1F600}'), 2n], [new TextEncoder().encode('\uFFFD'), 1n]] }))).toBe(hexOf(new TextEncoder().encode('d3:\uFFFDi1e4:\u{1F600}i2ee')));
    });

    it('transmission-show 3.00 hashes an info dictionary with unsorted keys re-encoded; it refuses i03e', async () => {
      const pieces = new Uint8Array(20).fill(1);
      const info = Buffer.concat([Buffer.from('d4:name5:a.bin6:lengthi5e12:piece lengthi32768e6:pieces20:'), pieces, Buffer.from('e')]);
      const sorted = Buffer.concat([Buffer.from('d6:lengthi5e4:name5:a.bin12:piece lengthi32768e6:pieces20:'), pieces, Buffer.from('e')]);
      const file = join(dir, 'unsorted.torrent');
      writeFileSync(file, Buffer.concat([Buffer.from(`d8:announce${TRACKER.length}:${TRACKER}4:info`), info, Buffer.from('e')]));
      const { shown } = await show(file);
      expect(shown.hash).toBe(sha1Node(sorted));
      expect(shown.hash).not.toBe(sha1Node(info));
      expect(strict(new Uint8Array(readFileSync(file)))).toBe('unsorted-keys');

      const zero = join(dir, 'leading-zero.torrent');
      writeFileSync(zero, Buffer.concat([Buffer.from(`d8:announce${TRACKER.length}:${TRACKER}4:info`), Buffer.from('d6:lengthi05e4:name5:a.bin12:piece lengthi32768e6:pieces20:'), pieces, Buffer.from('ee')]));
      await expect(show(zero)).rejects.toThrow();
      expect(strict(new Uint8Array(readFileSync(zero)))).toBe('leading-zero');
    });
  });
});
