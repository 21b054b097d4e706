/**
 * Real DNS servers on 127.0.0.1 for peer tests: unbound (authoritative zone data with real TTLs)
 * and dnsmasq, plus small UDP tools (send one query, relay and record what a client like `dig`
 * sends and receives).
 *
 * Nothing here talks to anything but 127.0.0.1. unbound refuses every name outside the zones
 * it serves ("." refuse) and may only send from 127.0.0.1; dnsmasq runs with no upstream
 * servers and without reading /etc/dnsmasq.conf, /etc/hosts or /etc/resolv.conf.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitFor } from './peer';

export const LOOPBACK = '127.0.0.1';

export interface DnsServer {
  /** Which program answers. */
  kind: 'unbound' | 'dnsmasq';
  host: typeof LOOPBACK;
  /** UDP and TCP port on 127.0.0.1. */
  port: number;
  /** What the server printed so far (for failure messages). */
  log(): string;
  /** Stop the server and remove its temporary files. Safe to call twice. */
  stop(): Promise<void>;
}

/** One zone served by unbound as an authoritative zone (RFC 1035 master-file lines). */
export interface Zone {
  /** e.g. "lab.test." (a trailing dot is added when missing). */
  origin: string;
  /** Zone-file lines; names relative to the origin are fine, every line carries its own TTL. */
  records: string[];
}

/**
 * The zone most DNS peer tests use: `lab.test.` (RFC 6761 reserves `.test`), with a CNAME
 * chain, several A and AAAA records, MX, TXT with several strings, and one name (`big`) whose
 * TXT records are far larger than 512 bytes, so a small UDP buffer gets a truncated (TC) reply.
 */
export const LAB_ZONE: Zone = {
  origin: 'lab.test.',
  records: [
    '@        3600 IN SOA   ns1 hostmaster 2024010101 7200 900 1209600 300',
    '@        3600 IN NS    ns1',
    'ns1      3600 IN A     192.0.2.53',
    'www       300 IN CNAME web',
    'web       300 IN CNAME servers',
    'servers   120 IN A     192.0.2.10',
    'servers   120 IN A     192.0.2.11',
    'servers   120 IN A     192.0.2.12',
    'v6        600 IN AAAA  2001:db8::1',
    'v6        600 IN AAAA  2001:db8:0:1::53',
    '@        3600 IN MX    10 mail',
    '@        3600 IN MX    20 backup.mail',
    'mail     3600 IN A     192.0.2.25',
    'txt        60 IN TXT   "v=spf1 -all" "second string" ""',
    ...Array.from({ length: 12 }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return `big 60 IN TXT "record ${n} ${'x'.repeat(200)}" "tail ${n}"`;
    }),
  ],
};

function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * A minimal query for `. SOA`, built by hand so this helper depends on no DNS code under test.
 * Any reply (even REFUSED) means the server is up.
 */
function probeQuery(id: number): Uint8Array {
  return Uint8Array.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x00, 0, 6, 0, 1]);
}

async function waitUntilAnswering(port: number, what: string, log: () => string): Promise<void> {
  try {
    await waitFor(() => udpExchange(port, probeQuery(0x5eed), 300), 10_000, what);
  } catch (e) {
    throw new Error(`${String(e)}\n--- ${what} output ---\n${log()}`);
  }
}

function makeServer(kind: DnsServer['kind'], port: number, proc: ReturnType<typeof startProcess>, dir: string): DnsServer {
  let stopped: Promise<void> | undefined;
  return {
    kind,
    host: LOOPBACK,
    port,
    log: proc.output,
    stop: () => {
      stopped ??= proc.stop().then(() => rm(dir, { recursive: true, force: true }));
      return stopped;
    },
  };
}

export interface UnboundOptions {
  /** Authoritative zones to serve; default: [LAB_ZONE]. */
  zones?: Zone[];
  /** unbound `local-data:` lines (RR strings) in static local zones, e.g. `"host.local.test. 60 IN A 192.0.2.1"`. */
  localData?: { zone: string; records: string[] }[];
  /** Extra lines for the `server:` clause (e.g. "minimal-responses: no"). */
  serverConfig?: string[];
}

/**
 * Start unbound on a free port of 127.0.0.1 serving the given zones with their real TTLs
 * (auth-zone, answered like an authoritative server: AA set, CNAME chains inside the zone
 * followed). Every other name is REFUSED; unbound never recurses.
 */
export async function startUnbound(opts: UnboundOptions = {}): Promise<DnsServer> {
  const zones = opts.zones ?? [LAB_ZONE];
  return withTempDir('netlabs-unbound-', async (dir) => {
    const port = await freePort();
    const zoneClauses: string[] = [];
    const localZones: string[] = [];
    for (const [i, zone] of zones.entries()) {
      const origin = fqdn(zone.origin);
      const file = join(dir, `zone${i}.db`);
      await writeFile(file, [`$ORIGIN ${origin}`, ...zone.records, ''].join('\n'));
      // Let the name through unbound's local zones (".test" is a built-in static zone) to the auth zone.
      localZones.push(`  local-zone: "${origin}" transparent`);
      zoneClauses.push(
        'auth-zone:',
        `  name: "${origin}"`,
        `  zonefile: "${file}"`,
        '  for-downstream: yes',
        '  for-upstream: no',
        '  fallback-enabled: no',
      );
    }
    for (const ld of opts.localData ?? []) {
      localZones.push(`  local-zone: "${fqdn(ld.zone)}" static`);
      for (const rr of ld.records) localZones.push(`  local-data: "${rr.replaceAll('"', '\\"')}"`);
    }
    const conf = [
      'server:',
      '  interface: 127.0.0.1',
      `  port: ${port}`,
      '  do-ip6: no',
      '  do-daemonize: no',
      '  username: ""',
      '  chroot: ""',
      `  directory: "${dir}"`,
      '  pidfile: ""',
      '  use-syslog: no',
      '  logfile: ""',
      '  verbosity: 1',
      '  num-threads: 1',
      '  outgoing-interface: 127.0.0.1',
      '  access-control: 127.0.0.0/8 allow',
      '  module-config: "iterator"',
      '  local-zone: "." refuse',
      ...localZones,
      ...(opts.serverConfig ?? []).map((l) => `  ${l}`),
      ...zoneClauses,
      'remote-control:',
      '  control-enable: no',
      '',
    ].join('\n');
    const confFile = join(dir, 'unbound.conf');
    await writeFile(confFile, conf);
    const proc = startProcess('unbound', ['-d', '-c', confFile], { cwd: dir });
    const server = makeServer('unbound', port, proc, dir);
    try {
      await waitUntilAnswering(port, 'unbound', proc.output);
    } catch (e) {
      await proc.stop();
      throw e;
    }
    return server;
  });
}

export interface DnsmasqOptions {
  /** dnsmasq options that define the data, e.g. `--host-record=www.lab.test,192.0.2.10`. */
  args?: string[];
  /** TTL for local data (`--local-ttl`; dnsmasq's default 0 makes TTL tests meaningless). Default 300. */
  ttl?: number;
  /** Domains answered locally (NXDOMAIN for unknown names instead of REFUSED). Default ["lab.test"]. */
  localDomains?: string[];
}

/** Start dnsmasq on a free port of 127.0.0.1 with no upstream servers. */
export async function startDnsmasq(opts: DnsmasqOptions = {}): Promise<DnsServer> {
  return withTempDir('netlabs-dnsmasq-', async (dir) => {
    const port = await freePort();
    const args = [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-poll',
      '--no-hosts',
      '--user=root',
      '--pid-file=',
      '--log-facility=-',
      `--local-ttl=${opts.ttl ?? 300}`,
      ...(opts.localDomains ?? ['lab.test']).map((d) => `--local=/${d}/`),
      ...(opts.args ?? []),
    ];
    const proc = startProcess('dnsmasq', args, { cwd: dir });
    const server = makeServer('dnsmasq', port, proc, dir);
    try {
      await waitUntilAnswering(port, 'dnsmasq', proc.output);
    } catch (e) {
      await proc.stop();
      throw e;
    }
    return server;
  });
}

/** dnsmasq options mirroring LAB_ZONE's names (CNAME chain, A, AAAA, MX, TXT). */
export const LAB_DNSMASQ_ARGS = [
  '--cname=www.lab.test,web.lab.test',
  '--cname=web.lab.test,servers.lab.test',
  '--host-record=servers.lab.test,192.0.2.10',
  '--host-record=servers.lab.test,192.0.2.11',
  '--host-record=v6.lab.test,2001:db8::1',
  '--mx-host=lab.test,mail.lab.test,10',
  '--host-record=mail.lab.test,192.0.2.25',
  // No shell here: dnsmasq splits on commas, and quotes would become part of the data.
  '--txt-record=txt.lab.test,v=spf1 -all,second string',
];

/** Send one datagram to 127.0.0.1:port and resolve with the first reply (reject on timeout). */
export function udpExchange(port: number, query: Uint8Array, timeoutMs = 2000): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error(`no reply from 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.once('error', (e) => {
      clearTimeout(timer);
      sock.close();
      reject(e);
    });
    sock.once('message', (msg) => {
      clearTimeout(timer);
      sock.close();
      resolve(new Uint8Array(msg));
    });
    sock.send(query, port, LOOPBACK);
  });
}

export interface UdpExchange {
  query: Uint8Array;
  /** Replies the upstream sent for this query (normally one). */
  replies: Uint8Array[];
}

export interface UdpRelay {
  /** Point the client here (127.0.0.1). */
  port: number;
  /** Every query seen so far, in order, with the upstream's replies. */
  exchanges: UdpExchange[];
  stop(): Promise<void>;
}

function bind(sock: Socket, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, LOOPBACK, () => {
      sock.off('error', reject);
      resolve(sock.address().port);
    });
  });
}

/**
 * A UDP relay on 127.0.0.1 that forwards each datagram to 127.0.0.1:upstreamPort and the
 * replies back, recording both: the way to capture the exact bytes `dig` sends and receives.
 */
export async function startUdpRelay(upstreamPort: number): Promise<UdpRelay> {
  const front = createSocket('udp4');
  const port = await bind(front);
  const exchanges: UdpExchange[] = [];
  const backs: Socket[] = [];
  front.on('message', (msg, rinfo) => {
    const ex: UdpExchange = { query: new Uint8Array(msg), replies: [] };
    exchanges.push(ex);
    // One upstream socket per query, so replies go back to the right client port.
    const back = createSocket('udp4');
    backs.push(back);
    back.on('message', (reply) => {
      ex.replies.push(new Uint8Array(reply));
      front.send(reply, rinfo.port, rinfo.address);
    });
    back.on('error', () => back.close());
    back.send(msg, upstreamPort, LOOPBACK);
  });
  return {
    port,
    exchanges,
    stop: async () => {
      for (const b of backs) {
        try { b.close(); } catch { /* already closed */ }
      }
      await new Promise<void>((r) => front.close(() => r()));
    },
  };
}

/** Run `dig @127.0.0.1 -p port ...args` (one try, short timeout) and return its output. */
export function dig(port: number, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'dig',
      [`@${LOOPBACK}`, '-p', String(port), '+tries=1', '+time=2', ...args],
      { timeout: timeoutMs },
      (err, stdout, stderr) => (err ? reject(new Error(`dig ${args.join(' ')}: ${String(err)}\n${stderr}${stdout}`)) : resolve(stdout)),
    );
  });
}

/**
 * Run dig through a fresh relay and return the query it sent and the reply it got, as bytes.
 * (dig retries over TCP after a TC reply unless told `+ignore`; only the UDP exchange is recorded.)
 */
export async function digCapture(port: number, args: string[]): Promise<{ query: Uint8Array; reply: Uint8Array; output: string }> {
  const relay = await startUdpRelay(port);
  try {
    const output = await dig(relay.port, args);
    const ex = relay.exchanges.find((e) => e.replies.length > 0);
    if (!ex) throw new Error(`relay saw no answered query for dig ${args.join(' ')}:\n${output}`);
    return { query: ex.query, reply: ex.replies[0]!, output };
  } finally {
    await relay.stop();
  }
}
