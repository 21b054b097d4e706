/**
 * DNS over HTTPS on 127.0.0.1 for peer tests: dnsdist as the DoH front end (RFC 8484, HTTP/2
 * only) in front of a DNS server of ours (unbound from dns-servers.ts), with a self-signed
 * certificate for IP 127.0.0.1 made by openssl in a temporary folder; and an HTTP/2 client
 * (node:http2) that trusts exactly that certificate.
 *
 * Nothing here talks to anything but 127.0.0.1: dnsdist's security polling is off, its only
 * backend is the given port, and its health checks ask that backend for a name it serves.
 */
import { execFile } from 'node:child_process';
import { connect as h2connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitFor } from './peer';

export interface DohServer {
  /** RFC 8484 URI template of this server: https://127.0.0.1:PORT/dns-query{?dns} */
  template: string;
  /** https://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** The self-signed certificate (PEM), to trust as the only CA. */
  ca: string;
  log(): string;
  stop(): Promise<void>;
}

export interface DohOptions {
  /** The DNS server dnsdist forwards to, on 127.0.0.1. */
  upstreamPort: number;
  /** A name (and type) the upstream answers, for dnsdist's health checks. */
  checkName: string;
  checkType?: string;
  /** Put dnsdist's packet cache in front of the upstream (it ages TTLs as it serves). Default true. */
  packetCache?: boolean;
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: 30_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${String(err)}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** A self-signed certificate for IP 127.0.0.1 (and no other name), valid one day. */
export async function selfSignedCert(dir: string): Promise<{ cert: string; key: string; pem: string }> {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], dir);
  return { cert, key, pem: await readFile(cert, 'utf8') };
}

/** Start dnsdist with a DoH listener on a free port of 127.0.0.1. */
export async function startDnsdistDoh(opts: DohOptions): Promise<DohServer> {
  const dir = await mkdtemp(join(tmpdir(), 'netlabs-dnsdist-'));
  try {
    const { cert, key, pem } = await selfSignedCert(dir);
    const dohPort = await freePort();
    const dnsPort = await freePort();
    const conf = [
      'setSecurityPollSuffix("")',
      `setLocal("127.0.0.1:${dnsPort}")`,
      `newServer{address="127.0.0.1:${opts.upstreamPort}", checkName="${opts.checkName}", checkType="${opts.checkType ?? 'A'}", mustResolve=false}`,
      `addDOHLocal("127.0.0.1:${dohPort}", "${cert}", "${key}", "/dns-query")`,
      ...(opts.packetCache === false ? [] : ['pc = newPacketCache(1000, {maxTTL=86400, minTTL=0})', 'getPool(""):setCache(pc)']),
      '',
    ].join('\n');
    const confFile = join(dir, 'dnsdist.conf');
    await writeFile(confFile, conf);
    const proc = startProcess('dnsdist', ['--supervised', '--disable-syslog', '-C', confFile], { cwd: dir });
    const origin = `https://127.0.0.1:${dohPort}`;
    let stopped: Promise<void> | undefined;
    const server: DohServer = {
      template: `${origin}/dns-query{?dns}`,
      origin,
      port: dohPort,
      ca: pem,
      log: proc.output,
      stop: () => {
        stopped ??= proc.stop().then(() => rm(dir, { recursive: true, force: true }));
        return stopped;
      },
    };
    try {
      // Ready when the backend is marked up and a DoH query for the health-check name gets a 200.
      await waitFor(async () => {
        if (!/Marking downstream .* as 'up'/.test(proc.output())) throw new Error('backend not up yet');
        const q = Buffer.from(probeQuery(opts.checkName)).toString('base64url');
        const res = await http2Request({ method: 'GET', url: `${origin}/dns-query?dns=${q}`, headers: { accept: 'application/dns-message' } }, { ca: pem });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      }, 15_000, 'dnsdist DoH');
    } catch (e) {
      await server.stop();
      throw new Error(`${String(e)}\n--- dnsdist output ---\n${proc.output()}`);
    }
    return server;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** A query for `name` A (ID 0, RD), built by hand so this helper depends on no DNS code under test. */
function probeQuery(name: string): Uint8Array {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const bytes = [0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
  for (const l of labels) bytes.push(l.length, ...Buffer.from(l, 'ascii'));
  bytes.push(0, 0, 1, 0, 1);
  return Uint8Array.from(bytes);
}

export interface H2Request {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface H2Response {
  status: number;
  /** Lower-case names, pseudo-headers left out. */
  headers: Record<string, string>;
  body: Uint8Array;
}

let openSessions = 0;
/** HTTP/2 sessions opened by http2Request and not yet closed (a test can check nothing leaks). */
export const openHttp2Sessions = () => openSessions;

/**
 * One request over a fresh HTTP/2 connection that trusts only `ca`. Rejects with the socket error
 * (e.g. ECONNREFUSED); an aborted `signal` destroys the connection and rejects with an AbortError.
 */
export function http2Request(req: H2Request, opts: { ca: string; signal?: AbortSignal }): Promise<H2Response> {
  const url = new URL(req.url);
  if (url.hostname !== '127.0.0.1') return Promise.reject(new Error(`refusing to leave loopback: ${url.hostname}`));
  return new Promise((resolve, reject) => {
    let session: ClientHttp2Session | undefined;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (session) {
        if (!session.destroyed) session.destroy();
        openSessions--;
      }
      fn();
    };
    const onAbort = () => finish(() => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    session = h2connect(url.origin, { ca: opts.ca });
    openSessions++;
    session.on('error', (e) => finish(() => reject(e)));
    const stream = session.request({
      ':method': req.method,
      ':path': `${url.pathname}${url.search}`,
      ...req.headers,
      ...(req.body ? { 'content-length': String(req.body.length) } : {}),
    });
    let head: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => { head = h; });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (e) => finish(() => reject(e)));
    stream.on('end', () =>
      finish(() => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(head)) {
          if (k.startsWith(':') || v === undefined) continue;
          headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
        }
        resolve({ status: Number(head[':status']), headers, body: new Uint8Array(Buffer.concat(chunks)) });
      }),
    );
    stream.end(req.body ? Buffer.from(req.body) : undefined);
  });
}
