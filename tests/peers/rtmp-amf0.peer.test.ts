/**
 * Peer proof for labs/rtmp/amf0: the reference AMF0 codec against what ffmpeg (libavformat),
 * rtmpdump (librtmp) and nginx-rtmp-module send and understand, on 127.0.0.1.
 *
 * One live capture per run: ffmpeg publishes testsrc to nginx through one relay; once it is
 * publishing, rtmpdump plays the stream through a second relay; then rtmpdump (SIGTERM) and
 * ffmpeg (SIGINT) stop cleanly, so both send their goodbye commands. From the bytes the relays
 * kept, every AMF0 command (type 20) and data message (type 18) in both directions of both
 * connections must:
 * - decode with the reference, and encode again byte for byte (as values, and as a command);
 * - say what the RTMP exchange implies: the names and transaction ids in order, each _result
 *   answering its request's transaction id, the stream id createStream returned being the one
 *   publish and play travel on, the status codes;
 * - agree with the lab's captures.ts (the same values, tcUrl's port aside), so the fixture still
 *   shows what these programs send.
 * And two independent AMF0 decoders read the same messages as the reference: librtmp, whose debug
 * log (rtmpdump -z) prints every command and data message nginx sent it, property by property; and
 * nginx-rtmp, whose info log prints the fields it read from each connect, publish and play.
 *
 * No AMF0 implementation from npm is installed, so there is no third cross-check.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { describeWithPeers, freePort, startProcess, waitFor } from './support/peer';
import { startNginx, type Nginx } from './support/nginx';
import { startRelay, type Relay } from './support/relay';
import { decodeCommand, decodeValues, encodeCommand, encodeValues, type Amf0Command, type Amf0Value } from '../../labs/rtmp/amf0/reference';
import { CAPTURES } from '../../labs/rtmp/amf0/captures';

const run = promisify(execFile);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const LOOPBACK = '127.0.0.1';

// ---- A small chunk stream reader (RTMP specification 1.0 §5.3), enough for these captures ----

/** C0 + C1 + C2 (or S0 + S1 + S2): the chunk stream starts after them (§5.2). */
const HANDSHAKE = 1 + 1536 + 1536;

interface Message { type: number; streamId: number; payload: Uint8Array }

/** Every complete message of one direction; Set Chunk Size from the same side is obeyed. */
function messages(side: Uint8Array): Message[] {
  const b = Buffer.from(side.buffer, side.byteOffset, side.byteLength);
  let p = HANDSHAKE;
  let chunkSize = 128;
  const streams = new Map<number, { length: number; type: number; streamId: number; extended: boolean; parts: Buffer[]; got: number }>();
  const out: Message[] = [];
  while (p < b.length) {
    const first = b[p]!;
    const fmt = first >> 6;
    let csid = first & 0x3f;
    let q = p + 1;
    if (csid === 0) csid = 64 + b[q++]!;
    else if (csid === 1) {
      csid = 64 + b[q]! + 256 * b[q + 1]!;
      q += 2;
    }
    const s = streams.get(csid) ?? { length: 0, type: 0, streamId: 0, extended: false, parts: [], got: 0 };
    if (q + [11, 7, 3, 0][fmt]! > b.length) break;
    if (fmt <= 2) {
      s.extended = b.readUIntBE(q, 3) === 0xffffff;
      q += 3;
    }
    if (fmt <= 1) {
      s.length = b.readUIntBE(q, 3);
      s.type = b[q + 3]!;
      q += 4;
    }
    if (fmt === 0) {
      s.streamId = b.readUInt32LE(q);
      q += 4;
    }
    if (s.extended) q += 4; // the timestamp itself does not matter here
    const n = Math.min(chunkSize, s.length - s.got);
    if (q + n > b.length) break; // the connection closed mid-chunk
    s.parts.push(b.subarray(q, q + n));
    s.got += n;
    p = q + n;
    streams.set(csid, s);
    if (s.got === s.length) {
      const payload = new Uint8Array(Buffer.concat(s.parts));
      s.parts = [];
      s.got = 0;
      out.push({ type: s.type, streamId: s.streamId, payload });
      if (s.type === 1) chunkSize = Buffer.from(payload).readUInt32BE(0) & 0x7fffffff;
    }
  }
  return out;
}

const amfMessages = (side: Uint8Array): Message[] => messages(side).filter((m) => m.type === 18 || m.type === 20);

// ---- librtmp's AMF_Dump / AMFProp_Dump (librtmp/amf.c), rebuilt from decoded values ---------

/** The lines `rtmpdump -z` logs for one message it received, as librtmp would print `values`. */
function librtmpDump(values: Amf0Value[]): string[] {
  const lines: string[] = [];
  const cString = (s: string) => (s.includes('\u0000') ? s.slice(0, s.indexOf('\u0000')) : s);
  const prop = (name: string, v: Amf0Value): void => {
    if (v === null) {
      lines.push('Property: NULL');
      return;
    }
    const label = `Name: ${(name === '' ? 'no-name.' : name).slice(0, 18).padStart(18)}, `;
    if (Array.isArray(v)) {
      lines.push(`Property: <${label}OBJECT>`);
      block(v.map((x) => ['', x]));
    } else if (typeof v === 'object' && v !== undefined && v.type !== 'date') {
      lines.push(`Property: <${label}OBJECT>`);
      block(v.properties);
    } else if (typeof v === 'number') lines.push(`Property: <${label}NUMBER:\t${v.toFixed(2)}>`);
    else if (typeof v === 'boolean') lines.push(`Property: <${label}BOOLEAN:\t${v ? 'TRUE' : 'FALSE'}>`);
    else if (typeof v === 'string') lines.push(`Property: <${label}STRING:\t${cString(v)}>`);
    else throw new Error(`no librtmp form for ${String(v)} in this test`);
  };
  const block = (props: [string, Amf0Value][]): void => {
    lines.push('(object begin)');
    for (const [k, v] of props) prop(k, v);
    lines.push('(object end)');
  };
  block(values.map((v) => ['', v]));
  return lines;
}

/** From rtmpdump's -z log: for each invoke or notify it received, its length and dump lines. */
function librtmpReceived(log: string): { kind: string; length: number; lines: string[] }[] {
  const lines = log.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: { kind: string; length: number; lines: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^DEBUG: RTMP_ClientPacket, received: (invoke|notify) (\d+) bytes$/.exec(lines[i]!);
    if (!m) continue;
    const dump: string[] = [];
    let depth = 0;
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!.replace(/^DEBUG: /, '');
      if (!lines[j]!.startsWith('DEBUG: ')) continue;
      if (!/^(\(object (begin|end)\)|Property: )/.test(l)) continue;
      dump.push(l);
      if (l === '(object begin)') depth++;
      if (l === '(object end)' && --depth === 0) break;
    }
    out.push({ kind: m[1]!, length: Number(m[2]), lines: dump });
  }
  return out;
}

// ---- The live capture ------------------------------------------------------------------------------

interface LiveRun {
  ffmpegToNginx: Message[];
  nginxToFfmpeg: Message[];
  rtmpdumpToNginx: Message[];
  nginxToRtmpdump: Message[];
  rtmpdumpLog: string;
  nginxLog: string;
  ffmpegRelayPort: number;
  rtmpdumpRelayPort: number;
  versions: string;
}

const has = (bytes: Uint8Array, text: string): boolean => Buffer.from(bytes).includes(Buffer.from(text, 'latin1'));

/** `p`, or an error naming `what` after `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function captureLive(): Promise<LiveRun> {
  const port = await freePort();
  const nginx: Nginx = await startNginx('', [port], {
    rtmpBlock: `server { listen ${LOOPBACK}:${port}; chunk_size 4096; application live { live on; record off; } }`,
  });
  const relays: Relay[] = [];
  const procs: ReturnType<typeof startProcess>[] = [];
  try {
    const toFfmpeg = await startRelay(port);
    const toRtmpdump = await startRelay(port);
    relays.push(toFfmpeg, toRtmpdump);
    // -g 10 and zerolatency: a keyframe every second and no lookahead, so the player gets its
    // metadata and first frames at once, not seconds later.
    const ffmpeg = startProcess('ffmpeg', [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10',
      '-t', '60', '-c:v', 'libx264', '-g', '10', '-tune', 'zerolatency', '-f', 'flv', `rtmp://${LOOPBACK}:${toFfmpeg.port}/live/s`,
    ]);
    procs.push(ffmpeg);
    const ffmpegExit = new Promise<void>((resolve) => ffmpeg.proc.once('exit', () => resolve()));
    await waitFor(async () => {
      if (ffmpeg.proc.exitCode !== null) throw new Error(`ffmpeg exited: ${ffmpeg.output()}`);
      if (!has(toFfmpeg.fromClient(), '@setDataFrame') || !has(toFfmpeg.fromServer(), 'NetStream.Publish.Start')) throw new Error('not publishing yet');
    }, 30_000, 'ffmpeg publishing');

    const rtmpdump = startProcess('rtmpdump', ['-z', '-v', '-r', `rtmp://${LOOPBACK}:${toRtmpdump.port}/live/s`, '-o', '/dev/null']);
    procs.push(rtmpdump);
    await waitFor(async () => {
      if (rtmpdump.proc.exitCode !== null) throw new Error(`rtmpdump exited: ${rtmpdump.output().slice(-2000)}`);
      if (!rtmpdump.output().includes('INFO: Metadata:')) throw new Error('no metadata yet');
    }, 30_000, 'rtmpdump playing');
    // SIGTERM: rtmpdump closes the way librtmp does, with a deleteStream.
    await rtmpdump.stop();
    await within(toRtmpdump.closed(), 10_000, 'the player connection closing');
    // SIGINT: ffmpeg finishes its output, which sends FCUnpublish and deleteStream.
    ffmpeg.proc.kill('SIGINT');
    await within(ffmpegExit, 15_000, 'ffmpeg stopping');
    await within(toFfmpeg.closed(), 10_000, 'the publisher connection closing');

    const ffv = (await run('ffmpeg', ['-hide_banner', '-version'])).stdout.split('\n')[0]!.trim();
    const ngv = await run('nginx', ['-v']);
    const rdv = (await run('rtmpdump', ['-h']).catch((e: { stderr?: string }) => ({ stderr: e.stderr ?? '' }))).stderr.split('\n')[0]!.trim();
    let mod = 'unknown';
    try {
      mod = (await run('dpkg-query', ['-W', '-f', '${Version}', 'libnginx-mod-rtmp'])).stdout.trim();
    } catch {
      // not a Debian system
    }
    return {
      ffmpegToNginx: amfMessages(toFfmpeg.fromClient()),
      nginxToFfmpeg: amfMessages(toFfmpeg.fromServer()),
      rtmpdumpToNginx: amfMessages(toRtmpdump.fromClient()),
      nginxToRtmpdump: amfMessages(toRtmpdump.fromServer()),
      rtmpdumpLog: rtmpdump.output(),
      nginxLog: await nginx.errorLog(),
      ffmpegRelayPort: toFfmpeg.port,
      rtmpdumpRelayPort: toRtmpdump.port,
      versions: `${ffv}; ${(ngv.stderr || ngv.stdout).trim()}; libnginx-mod-rtmp ${mod}; ${rdv}`,
    };
  } finally {
    for (const p of procs) await p.stop();
    for (const r of relays) r.stop();
    await nginx.stop();
  }
}

// ---- What each side must have said ---------------------------------------------------------

const obj = (props: [string, Amf0Value][]) => ({ type: 'object' as const, properties: props });
const statusInfo = (code: string, description: string) => obj([['level', 'status'], ['code', code], ['description', description]]);

function command(m: Message): Amf0Command {
  expect(m.type, 'an AMF0 command message').toBe(20);
  return decodeCommand(m.payload);
}

/** A decoded body with tcUrl's port replaced, for comparing captures made on different ports. */
function withoutPort(values: Amf0Value[]): unknown {
  return JSON.parse(JSON.stringify(values, (_, v: unknown) => (typeof v === 'string' ? v.replace(/^rtmp:\/\/127\.0\.0\.1:\d+\//, 'rtmp://127.0.0.1:PORT/') : v === undefined ? '(undefined)' : v)));
}

describeWithPeers('the AMF0 reference against ffmpeg, rtmpdump and nginx-rtmp', ['nginx', 'ffmpeg', 'rtmpdump'], () => {
  let s: LiveRun;
  beforeAll(async () => {
    s = await captureLive();
    console.log(`AMF0 peers: ${s.versions}`);
  }, 90_000);

  it('decodes every command and data message of both connections, both ways, and encodes each again byte for byte', () => {
    const all = [...s.ffmpegToNginx, ...s.nginxToFfmpeg, ...s.rtmpdumpToNginx, ...s.nginxToRtmpdump];
    expect(all.length).toBe(8 + 4 + 5 + 5);
    for (const m of all) {
      const values = decodeValues(m.payload);
      expect(hex(encodeValues(values)), `values of ${hex(m.payload)}`).toBe(hex(m.payload));
      if (m.type === 20) expect(hex(encodeCommand(decodeCommand(m.payload))), `command ${hex(m.payload)}`).toBe(hex(m.payload));
    }
  });

  it("reads ffmpeg's publishing sequence and nginx's answers, transaction by transaction", () => {
    const sent = s.ffmpegToNginx;
    const [connect, release, fcPublish, createStream, publish] = sent.slice(0, 5).map(command);
    expect(connect).toEqual({
      name: 'connect', transactionId: 1, args: [],
      commandObject: obj([
        ['app', 'live'],
        ['type', 'nonprivate'],
        ['flashVer', expect.stringMatching(/^FMLE\/3\.0 \(compatible; Lavf\d+\.\d+\.\d+\)$/) as unknown as string],
        ['tcUrl', `rtmp://127.0.0.1:${s.ffmpegRelayPort}/live`],
      ]),
    });
    expect(release).toEqual({ name: 'releaseStream', transactionId: 2, commandObject: null, args: ['s'] });
    expect(fcPublish).toEqual({ name: 'FCPublish', transactionId: 3, commandObject: null, args: ['s'] });
    expect(createStream).toEqual({ name: 'createStream', transactionId: 4, commandObject: null, args: [] });

    const got = s.nginxToFfmpeg.map(command);
    expect(got[0]).toEqual({
      name: '_result', transactionId: connect!.transactionId,
      commandObject: obj([['fmsVer', 'FMS/3,0,1,123'], ['capabilities', 31]]),
      args: [obj([['level', 'status'], ['code', 'NetConnection.Connect.Success'], ['description', 'Connection succeeded.'], ['objectEncoding', 0]])],
    });
    // The _result to createStream answers its transaction id and carries the new stream id...
    expect(got[1]).toEqual({ name: '_result', transactionId: createStream!.transactionId, commandObject: null, args: [1] });
    const streamId = got[1]!.args[0] as number;
    // ...which publish, the metadata and nginx's onStatus travel on.
    expect({ publish, streamId: sent[4]!.streamId }).toEqual({ publish: { name: 'publish', transactionId: 5, commandObject: null, args: ['s', 'live'] }, streamId });
    expect(s.nginxToFfmpeg[2]!.streamId).toBe(streamId);
    expect(got[2]).toEqual({ name: 'onStatus', transactionId: 0, commandObject: null, args: [statusInfo('NetStream.Publish.Start', 'Start publishing')] });

    expect(sent[5]!.type).toBe(18);
    expect(sent[5]!.streamId).toBe(streamId);
    const [setDataFrame, onMetaData, metadata] = decodeValues(sent[5]!.payload);
    expect([setDataFrame, onMetaData]).toEqual(['@setDataFrame', 'onMetaData']);
    expect(metadata).toMatchObject({ type: 'ecma-array' });
    const meta = metadata as { properties: [string, Amf0Value][]; count: number };
    expect(Object.fromEntries(meta.properties)).toMatchObject({ width: 160, height: 120, framerate: 10, videocodecid: 7, duration: 60 });
    console.log(`ffmpeg's onMetaData ECMA array: count field ${meta.count}, ${meta.properties.length} properties`);

    const [fcUnpublish, deleteStream] = sent.slice(6).map(command);
    expect(fcUnpublish).toEqual({ name: 'FCUnpublish', transactionId: 6, commandObject: null, args: ['s'] });
    expect(deleteStream).toEqual({ name: 'deleteStream', transactionId: 7, commandObject: null, args: [streamId] });
    expect(got[3]).toEqual({ name: 'onStatus', transactionId: 0, commandObject: null, args: [statusInfo('NetStream.Unpublish.Success', 'Stop publishing')] });
  });

  it("reads rtmpdump's playing sequence and nginx's answers, transaction by transaction", () => {
    const sent = s.rtmpdumpToNginx.map(command);
    expect(sent[0]).toEqual({
      name: 'connect', transactionId: 1, args: [],
      commandObject: obj([
        ['app', 'live'],
        ['flashVer', 'LNX 10,0,32,18'],
        ['tcUrl', `rtmp://127.0.0.1:${s.rtmpdumpRelayPort}/live`],
        ['fpad', false],
        ['capabilities', 15],
        ['audioCodecs', 3191],
        ['videoCodecs', 252],
        ['videoFunction', 1],
      ]),
    });
    expect(sent[1]).toEqual({ name: 'createStream', transactionId: 2, commandObject: null, args: [] });
    expect(sent[2]).toEqual({ name: 'FCSubscribe', transactionId: 3, commandObject: null, args: ['s'] });

    const got = s.nginxToRtmpdump;
    expect(command(got[0]!)).toMatchObject({ name: '_result', transactionId: 1, args: [obj([['level', 'status'], ['code', 'NetConnection.Connect.Success'], ['description', 'Connection succeeded.'], ['objectEncoding', 0]])] });
    expect(command(got[1]!)).toEqual({ name: '_result', transactionId: 2, commandObject: null, args: [1] });
    const streamId = command(got[1]!).args[0] as number;
    expect(sent[3]).toEqual({ name: 'play', transactionId: 4, commandObject: null, args: ['s', -1000] });
    expect(s.rtmpdumpToNginx[3]!.streamId).toBe(streamId);
    expect(sent[4]).toEqual({ name: 'deleteStream', transactionId: 5, commandObject: null, args: [streamId] });

    expect(command(got[2]!)).toEqual({ name: 'onStatus', transactionId: 0, commandObject: null, args: [statusInfo('NetStream.Play.Start', 'Start live')] });
    expect(got.slice(2).map((m) => m.streamId)).toEqual([streamId, streamId, streamId]);
    expect(got[3]!.type).toBe(18);
    expect(decodeValues(got[3]!.payload)).toEqual(['|RtmpSampleAccess', true, true]);
    const [name, meta] = decodeValues(got[4]!.payload);
    expect(name).toBe('onMetaData');
    expect(meta).toMatchObject({ type: 'object' });
    expect(Object.fromEntries((meta as { properties: [string, Amf0Value][] }).properties)).toMatchObject({
      Server: 'NGINX RTMP (github.com/arut/nginx-rtmp-module)', width: 160, height: 120, duration: 60, videocodecid: 7,
    });
  });

  it("finds the lab's captured bodies again: the same values, tcUrl's port aside", () => {
    const live: Record<string, Message> = {};
    const sides: [string, Message[]][] = [['ffmpeg>nginx', s.ffmpegToNginx], ['nginx>ffmpeg', s.nginxToFfmpeg], ['rtmpdump>nginx', s.rtmpdumpToNginx], ['nginx>rtmpdump', s.nginxToRtmpdump]];
    const order: Record<string, string[]> = {
      'ffmpeg>nginx': ['FFMPEG_CONNECT', 'FFMPEG_RELEASE_STREAM', 'FFMPEG_FCPUBLISH', 'FFMPEG_CREATE_STREAM', 'FFMPEG_PUBLISH', 'FFMPEG_SET_DATA_FRAME', 'FFMPEG_FCUNPUBLISH', 'FFMPEG_DELETE_STREAM'],
      'nginx>ffmpeg': ['NGINX_CONNECT_RESULT', 'NGINX_CREATE_STREAM_RESULT', 'NGINX_PUBLISH_START', 'NGINX_UNPUBLISH_SUCCESS'],
      'rtmpdump>nginx': ['RTMPDUMP_CONNECT', 'RTMPDUMP_CREATE_STREAM', 'RTMPDUMP_FCSUBSCRIBE', 'RTMPDUMP_PLAY'],
      'nginx>rtmpdump': ['NGINX_CONNECT_RESULT', 'NGINX_CREATE_STREAM_RESULT_TO_RTMPDUMP', 'NGINX_PLAY_START', 'NGINX_SAMPLE_ACCESS', 'NGINX_ON_METADATA'],
    };
    for (const [side, list] of sides) order[side]!.forEach((name, i) => { live[`${side} ${name}`] = list[i]!; });
    let checked = 0;
    for (const [side, names] of Object.entries(order)) {
      for (const name of names) {
        const c = CAPTURES.find((x) => x.name === name)!;
        const m = live[`${side} ${name}`]!;
        expect({ name, side, type: m.type, streamId: m.streamId }).toEqual({ name, side, type: c.type, streamId: c.streamId });
        expect(withoutPort(decodeValues(m.payload)), `${side} ${name}`).toEqual(withoutPort(decodeValues(Buffer.from(c.hex, 'hex'))));
        if (!name.endsWith('CONNECT')) expect(hex(m.payload), `${side} ${name}, byte for byte`).toBe(c.hex);
        checked++;
      }
    }
    expect(checked).toBe(CAPTURES.length + 1); // NGINX_CONNECT_RESULT is sent to both clients
  });

  it('reads what librtmp read: every message nginx sent rtmpdump, property by property', () => {
    const received = librtmpReceived(s.rtmpdumpLog);
    expect(received.map((r) => [r.kind, r.length])).toEqual(s.nginxToRtmpdump.map((m) => [m.type === 20 ? 'invoke' : 'notify', m.payload.length]));
    s.nginxToRtmpdump.forEach((m, i) => {
      expect(received[i]!.lines, `message ${i}: ${hex(m.payload).slice(0, 60)}`).toEqual(librtmpDump(decodeValues(m.payload)));
    });
  });

  it("reads what nginx-rtmp read from each client's connect, publish and play", () => {
    const info = (what: string) => [...s.nginxLog.matchAll(new RegExp(`\\[info\\] [^\\n]*?\\*\\d+ ${what}: ([^\\n]*?), client: 127\\.0\\.0\\.1`, 'g'))].map((m) => m[1]!);
    const connectLine = (c: Amf0Command) => {
      const o = Object.fromEntries(c.commandObject!.properties);
      // nginx-rtmp keeps flashVer in a 32-byte buffer: 31 characters and a NUL.
      return `app='${String(o.app)}' args='' flashver='${String(o.flashVer).slice(0, 31)}' swf_url='' tc_url='${String(o.tcUrl)}' page_url='' ` +
        `acodecs=${Number(o.audioCodecs ?? 0)} vcodecs=${Number(o.videoCodecs ?? 0)} object_encoding=${Number(o.objectEncoding ?? 0)}`;
    };
    const ffConnect = command(s.ffmpegToNginx[0]!);
    const rdConnect = command(s.rtmpdumpToNginx[0]!);
    expect(info('connect')).toEqual([connectLine(ffConnect), connectLine(rdConnect)]);
    const publish = command(s.ffmpegToNginx[4]!);
    expect(info('publish')).toEqual([`name='${String(publish.args[0])}' args='' type=${String(publish.args[1])} silent=0`]);
    const play = command(s.rtmpdumpToNginx[3]!);
    expect(info('play')).toEqual([`name='${String(play.args[0])}' args='' start=${Number(play.args[1])} duration=${Number(play.args[2] ?? 0)} reset=0 silent=0`]);
  });
});
