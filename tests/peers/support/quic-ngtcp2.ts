/**
 * ngtcp2's example QUIC server and client (Debian `ngtcp2-server`/`ngtcp2-client`: `gtlsserver`,
 * `gtlsclient`) on 127.0.0.1 for peer tests, plus a UDP relay that records every datagram the
 * client and the server exchange.
 *
 * Nothing here talks to anything but 127.0.0.1: the server binds 127.0.0.1, the client is told
 * 127.0.0.1 and a port, and the relay listens and forwards on 127.0.0.1 only.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess } from './peer';

export const LOOPBACK = '127.0.0.1';
export const NGTCP2_SERVER = 'gtlsserver';
export const NGTCP2_CLIENT = 'gtlsclient';

/** A scratch directory with a self-signed certificate, a document root and qlog folders. */
export interface QuicWorkdir {
  dir: string;
  key: string;
  cert: string;
  htdocs: string;
  serverQlogDir: string;
  clientQlogDir: string;
  remove(): Promise<void>;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Make the scratch directory: an EC P-256 self-signed certificate (openssl) and `files` in htdocs. */
export async function makeWorkdir(files: Record<string, Uint8Array> = {}): Promise<QuicWorkdir> {
  const dir = await mkdtemp(join(tmpdir(), 'netlabs-quic-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const htdocs = join(dir, 'htdocs');
  const serverQlogDir = join(dir, 'qlog-server');
  const clientQlogDir = join(dir, 'qlog-client');
  await Promise.all([mkdir(htdocs), mkdir(serverQlogDir), mkdir(clientQlogDir)]);
  const res = await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
  ], 20_000);
  if (res.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`openssl could not make a certificate:\n${res.output}`);
  }
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(htdocs, name), bytes);
  return { dir, key, cert, htdocs, serverQlogDir, clientQlogDir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface QuicServer {
  port: number;
  log(): string;
  /** Stop the server (SIGTERM, then SIGKILL). Safe to call twice. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Extra flags, e.g. ['--cc=cubic', '-t', '0.02', '--qlog-dir', dir]. */
  args?: string[];
}

/**
 * Start gtlsserver on 127.0.0.1. `--max-gso-dgrams=1`: on loopback the server otherwise hands
 * the kernel batches of datagrams (GSO), which a relay or a loss model sees as one.
 */
export async function startServer(work: QuicWorkdir, opts: ServerOptions = {}): Promise<QuicServer> {
  const port = await freePort();
  const proc = startProcess(NGTCP2_SERVER, [
    '--max-gso-dgrams=1', '-q', '-d', work.htdocs, ...(opts.args ?? []),
    LOOPBACK, String(port), work.key, work.cert,
  ]);
  // gtlsserver prints "Using document root ..." once it is set up; give it a moment to bind.
  const until = Date.now() + 5000;
  while (Date.now() < until && !proc.output().includes('document root') && proc.proc.exitCode === null) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (proc.proc.exitCode !== null) throw new Error(`gtlsserver exited at start:\n${proc.output()}`);
  await new Promise((r) => setTimeout(r, 100));
  let stopped: Promise<void> | undefined;
  return { port, log: proc.output, stop: () => (stopped ??= proc.stop()) };
}

/** Run gtlsclient against 127.0.0.1:port until its streams close (or the time limit). */
export async function runClient(port: number, paths: string[], args: string[] = [], timeoutMs = 30_000, opts: { quiet?: boolean } = {}): Promise<{ code: number; output: string }> {
  return run(NGTCP2_CLIENT, [
    ...(opts.quiet === false ? [] : ['-q']), '--exit-on-all-streams-close', '--no-quic-dump', '--no-http-dump', '--timeout=5s', ...args,
    LOOPBACK, String(port), ...paths.map((p) => `https://${LOOPBACK}:${port}${p}`),
  ], timeoutMs);
}

export interface Datagram {
  /** Who sent it. */
  from: 'client' | 'server';
  bytes: Uint8Array;
}

export interface QuicRelay {
  /** Point the client here (127.0.0.1). */
  port: number;
  /** Every datagram in either direction, in the order the relay saw them. */
  datagrams: Datagram[];
  stop(): Promise<void>;
}

function bind(sock: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, LOOPBACK, () => {
      sock.off('error', reject);
      resolve(sock.address().port);
    });
  });
}

/**
 * A UDP relay on 127.0.0.1: each client address gets its own upstream socket towards
 * 127.0.0.1:serverPort (a QUIC connection is one 4-tuple), and both directions are recorded.
 */
export async function startRelay(serverPort: number): Promise<QuicRelay> {
  const front = createSocket('udp4');
  const port = await bind(front);
  const datagrams: Datagram[] = [];
  const backs = new Map<string, Socket>();
  front.on('message', (msg, rinfo) => {
    datagrams.push({ from: 'client', bytes: new Uint8Array(msg) });
    const key = `${rinfo.address}:${rinfo.port}`;
    let back = backs.get(key);
    if (!back) {
      const sock = createSocket('udp4');
      back = sock;
      backs.set(key, sock);
      sock.on('message', (reply) => {
        datagrams.push({ from: 'server', bytes: new Uint8Array(reply) });
        front.send(reply, rinfo.port, rinfo.address);
      });
      sock.on('error', () => sock.close());
      sock.bind(0, LOOPBACK);
    }
    back.send(msg, serverPort, LOOPBACK);
  });
  return {
    port,
    datagrams,
    stop: async () => {
      for (const b of backs.values()) {
        try { b.close(); } catch { /* already closed */ }
      }
      await new Promise<void>((r) => front.close(() => r()));
    },
  };
}

/** One qlog event (qlog 0.3 as ngtcp2 0.12 writes it). */
export interface QlogEvent {
  time: number;
  name: string;
  data: Record<string, unknown>;
}

/**
 * Read the qlog files in `dir`. ngtcp2 0.12 writes JSON-SEQ (RFC 7464: each record starts with
 * the RS byte 0x1e), file extension `.sqlog`, a header record first and then one record per
 * event. A process stopped by a signal may leave its last record cut short: records that do not
 * parse are skipped (and counted).
 */
export async function readQlogs(dir: string): Promise<{ file: string; vantage: string; events: QlogEvent[]; skipped: number }[]> {
  const out: { file: string; vantage: string; events: QlogEvent[]; skipped: number }[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.sqlog')).sort()) {
    const text = await readFile(join(dir, file), 'utf8');
    let vantage = '';
    const events: QlogEvent[] = [];
    let skipped = 0;
    for (const rec of text.split('\x1e')) {
      if (!rec.trim()) continue;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(rec) as Record<string, unknown>;
      } catch {
        skipped++;
        continue;
      }
      if ('qlog_format' in obj) {
        const trace = obj.trace as { vantage_point?: { type?: string } } | undefined;
        vantage = trace?.vantage_point?.type ?? '';
      } else if (typeof obj.name === 'string' && typeof obj.time === 'number') {
        events.push({ time: obj.time, name: obj.name, data: (obj.data ?? {}) as Record<string, unknown> });
      }
    }
    out.push({ file, vantage, events, skipped });
  }
  return out;
}
