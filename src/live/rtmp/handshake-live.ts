/**
 * The live run of rtmp/handshake: the learner's client (createClient from their file) does the
 * handshake with a real server over a real socket; every byte each way is printed with its
 * offset and what it means; then the run sends a `connect` and says whether the server
 * accepted it. The learner's bytes go to the server unchanged: a server that hangs up or never
 * answers is part of the lesson, and the run says so.
 */
import type { LiveContext, LiveOutcome, LiveRun } from '../types.ts';
import { ChunkReader, chunkMessage, decodeValues, encodeCommand, MESSAGE_TYPES, type AmfValue } from './wire.ts';

const PACKET = 1536;
/** How long to wait for the peer before giving up on this step. */
const STEP_TIMEOUT_MS = 5000;

interface LearnerHandshake {
  readonly state: string;
  readonly error: { code?: string; message?: string } | null;
  receive(bytes: Uint8Array): void;
  takeOutput(): Uint8Array;
  leftover(): Uint8Array;
}

const hex = (b: Uint8Array, max = 8): string =>
  [...b.subarray(0, max)].map((x) => x.toString(16).padStart(2, '0')).join(' ') + (b.length > max ? ' …' : '');
const u32 = (b: Uint8Array, i: number): number => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;

/** Name the handshake packets a range of one side's stream covers: [0] is C0/S0, [1, 1537) C1/S1, [1537, 3073) C2/S2. */
function describePackets(side: 'C' | 'S', start: number, bytes: Uint8Array, all: Uint8Array): string[] {
  const lines: string[] = [];
  const end = start + bytes.length;
  const parts: [string, number, number][] = [[`${side}0`, 0, 1], [`${side}1`, 1, 1 + PACKET], [`${side}2`, 1 + PACKET, 1 + 2 * PACKET]];
  for (const [name, a, b] of parts) {
    const from = Math.max(a, start);
    const to = Math.min(b, end);
    if (from >= to) continue;
    const whole = from === a && to === b;
    let what = whole ? '' : ` (bytes ${from - a}–${to - a - 1} of ${b - a})`;
    if (whole && name.endsWith('0')) what = `: version ${all[0]}`;
    if (whole && name.endsWith('1')) {
      what = `: time ${u32(all, 1)}, bytes 4–7 ${hex(all.subarray(5, 9), 4)}${u32(all, 5) === 0 ? ' (zero: the simple handshake)' : ' (not zero: asks for the digest handshake)'}, random ${hex(all.subarray(9), 6)}`;
    }
    if (whole && name.endsWith('2')) what = `: time ${u32(all, 1 + PACKET)}, time2 ${u32(all, 5 + PACKET)}, echo ${hex(all.subarray(9 + PACKET), 6)}`;
    lines.push(`      ${name} at offset ${from}–${to - 1}${what}`);
  }
  if (end > 1 + 2 * PACKET) lines.push(`      ${end - Math.max(start, 1 + 2 * PACKET)} more bytes after the handshake (chunks)`);
  return lines;
}

async function readWithin(ctx: LiveContext, ms: number): Promise<Uint8Array | null | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), ms); });
  try {
    return await Promise.race([ctx.stream.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function summarize(v: AmfValue[]): string {
  const [name, tid, ...rest] = v;
  const info = rest.map((x) => (x && typeof x === 'object' && !Array.isArray(x) && 'code' in x ? String(x.code) : null)).filter(Boolean);
  return `${String(name)}(${typeof tid === 'number' ? tid : ''})${info.length ? ` ${info.join(', ')}` : ''}`;
}

async function run(ctx: LiveContext): Promise<LiveOutcome> {
  const { learner, print } = ctx;
  const createClient = learner.createClient;
  if (typeof createClient !== 'function') return { ok: false, verdict: 'your file exports no createClient()' };
  const random = new Uint8Array(1528);
  crypto.getRandomValues(random);
  let client: LearnerHandshake;
  try {
    client = createClient({ random, clock: ctx.clock }) as LearnerHandshake;
  } catch (e) {
    return { ok: false, verdict: `createClient() threw: ${(e as Error).message}` };
  }
  print(`Your client against ${ctx.peer} on ${ctx.address}`);
  let sent: Uint8Array = new Uint8Array(0);
  let got: Uint8Array = new Uint8Array(0);
  const append = (a: Uint8Array, b: Uint8Array): Uint8Array => { const c = new Uint8Array(a.length + b.length); c.set(a); c.set(b, a.length); return c; };
  const flush = (): void => {
    const out = client.takeOutput();
    if (out.length === 0) return;
    const at = sent.length;
    sent = append(sent, out);
    print(`  → ${out.length} bytes`);
    for (const l of describePackets('C', at, out, sent)) print(l);
    ctx.stream.write(out);
  };
  try {
    flush();
    while (client.state !== 'handshake-done' && client.state !== 'failed') {
      const data = await readWithin(ctx, STEP_TIMEOUT_MS);
      if (data === 'timeout') return { ok: false, verdict: `the server sent nothing for ${STEP_TIMEOUT_MS / 1000} s; your client is in state "${client.state}"` };
      if (data === null) return { ok: false, verdict: `the server closed the connection; your client is in state "${client.state}"` };
      const at = got.length;
      got = append(got, data);
      print(`  ← ${data.length} bytes`);
      for (const l of describePackets('S', at, data, got)) print(l);
      client.receive(data);
      flush();
    }
  } catch (e) {
    return { ok: false, verdict: `your client threw: ${(e as Error).message}` };
  }
  if (client.state === 'failed') return { ok: false, verdict: `your client gave up: ${client.error?.code ?? client.error?.message ?? 'no error given'}` };
  // Facts the run checks itself, on the bytes that crossed the wire.
  const c1 = sent.subarray(1, 1 + PACKET);
  const s1 = got.subarray(1, 1 + PACKET);
  const c2 = sent.subarray(1 + PACKET, 1 + 2 * PACKET);
  const s2 = got.subarray(1 + PACKET, 1 + 2 * PACKET);
  const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  print(`  C2 echoes S1's time and random bytes: ${c2.length === PACKET && u32(c2, 0) === u32(s1, 0) && same(c2.subarray(8), s1.subarray(8)) ? 'yes' : 'NO'}`);
  print(`  S2 echoes C1's time and random bytes: ${s2.length === PACKET && u32(s2, 0) === u32(c1, 0) && same(s2.subarray(8), c1.subarray(8)) ? 'yes' : 'no (a digest handshake, or a server that does not echo)'}`);
  if (same(s1, c1)) print("  (S1 is your C1 sent back: nginx-rtmp's way of answering a C1 whose bytes 4–7 are zero.)");
  print('  Handshake done.');

  const app = 'live';
  const connect = encodeCommand('connect', 1, { app, type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; netlabs)', tcUrl: `rtmp://${ctx.address}/${app}` });
  const chunks = chunkMessage({ csid: 3, type: 20, streamId: 0, timestamp: 0, payload: connect });
  print(`  → ${chunks.length} bytes: connect('${app}'), a ${connect.length}-byte AMF0 command in ${Math.ceil(connect.length / 128)} chunks`);
  ctx.stream.write(chunks);
  const reader = new ChunkReader();
  const first = client.leftover();
  const pending = first.length > 0 ? [first] : [];
  for (;;) {
    const data = pending.shift() ?? (await readWithin(ctx, STEP_TIMEOUT_MS));
    if (data === 'timeout') return { ok: true, verdict: 'the handshake worked, but the server did not answer connect' };
    if (data === null) return { ok: true, verdict: 'the handshake worked, but the server closed the connection after connect' };
    let messages;
    try {
      messages = reader.push(data);
    } catch (e) {
      return { ok: true, verdict: `the handshake worked; the server's reply did not parse: ${(e as Error).message}` };
    }
    for (const m of messages) {
      const name = MESSAGE_TYPES[m.type] ?? `type ${m.type}`;
      const values = m.type === 20 ? decodeValues(m.payload) : [];
      print(`  ← ${name} on chunk stream ${m.csid}, ${m.payload.length} bytes${values.length ? `: ${summarize(values)}` : m.payload.length <= 8 ? `: ${hex(m.payload)}` : ''}`);
      if (m.type === 20 && (values[0] === '_result' || values[0] === '_error')) {
        const info = values.find((v) => v && typeof v === 'object' && !Array.isArray(v) && 'code' in v) as Record<string, AmfValue> | undefined;
        const code = String(info?.code ?? '');
        return values[0] === '_result'
          ? { ok: true, verdict: `the server accepted connect: ${code}` }
          : { ok: true, verdict: `the server refused connect: ${code}` };
      }
    }
  }
}

export const rtmpHandshakeLive: LiveRun = {
  labId: 'rtmp/handshake',
  summary: 'your client does the handshake and a connect with nginx-rtmp (or the reference server) on 127.0.0.1',
  run,
};
