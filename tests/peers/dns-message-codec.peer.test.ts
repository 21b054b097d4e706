/**
 * Peer proof of labs/dns/message-codec: the reference codec against things nobody here wrote.
 *
 * - dig asks unbound (zone lab.test with real TTLs) and dnsmasq on 127.0.0.1 through a UDP relay
 *   that records the exact bytes of each query and reply: a compressed CNAME chain, AAAA, MX
 *   (a name pointing into RDATA), TXT with several strings, NXDOMAIN with SOA, a truncated (TC)
 *   answer, EDNS with COOKIE, NSID and the DO bit, BADVERS (extended RCODE 16), no EDNS at all.
 * - Each packet is decoded by the reference and by npm dns-packet; the normalized structures must
 *   agree (names, types, classes, TTLs, RDATA, flags, RCODE, EDNS fields and options).
 * - Each record is also compared with dig's own text output.
 * - The reference re-encodes unbound's replies byte for byte (the lab's compression rule is
 *   unbound's), and dns-packet decodes the reference's encodings to the same structure.
 * - The reference's own queries, sent over UDP, are answered by unbound and dnsmasq.
 *
 * Nothing here contacts anything but 127.0.0.1.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeers } from './support/peer';
import { digCapture, LAB_DNSMASQ_ARGS, startDnsmasq, startUnbound, udpExchange, type DnsServer } from './support/dns-servers';
import * as codec from '../../labs/dns/message-codec/reference';
import type { DnsMessage, DnsRecord } from '../../labs/dns/message-codec/reference';

// ---- dns-packet, typed just as far as used here -------------------------------------------------

interface PacketRecord {
  name: string;
  type: string;
  class?: string;
  ttl?: number;
  data?: unknown;
  udpPayloadSize?: number;
  extendedRcode?: number;
  ednsVersion?: number;
  flag_do?: boolean;
  options?: { code: number; data?: Uint8Array }[];
}
interface Packet {
  id: number;
  flags: number;
  opcode: string;
  rcode: string;
  flag_qr: boolean;
  flag_aa: boolean;
  flag_tc: boolean;
  flag_rd: boolean;
  flag_ra: boolean;
  flag_ad: boolean;
  flag_cd: boolean;
  questions: { name: string; type: string; class: string }[];
  answers: PacketRecord[];
  authorities: PacketRecord[];
  additionals: PacketRecord[];
}
const require = createRequire(import.meta.url);
const dnsPacket = require('dns-packet') as { decode(b: Buffer): Packet };
/** dns-packet reads with Buffer methods: hand it a Buffer view of the bytes. */
const packetDecode = (b: Uint8Array): Packet => dnsPacket.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const rcodes = require('dns-packet/rcodes') as { toRcode(name: string): number };
const opcodes = require('dns-packet/opcodes') as { toOpcode(name: string): number };
const classes = require('dns-packet/classes') as { toClass(name: string): number };
const types = require('dns-packet/types') as { toType(name: string): number };

// ---- One normalized shape for both decoders -----------------------------------------------------

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const latin1 = (b: Uint8Array) => String.fromCharCode(...b);
/** IPv6 text in one form whatever the decoder printed (the URL parser writes RFC 5952). */
const ipv6 = (s: string) => new URL(`http://[${s}]`).hostname.slice(1, -1);

interface Norm {
  id: number;
  flags: Record<string, boolean | number>;
  rcode: number;
  questions: { name: string; type: number; class: number }[];
  sections: { name: string; type: number; class: number; ttl: number; data: unknown }[][];
  edns: { udpPayloadSize: number; version: number; dnssecOk: boolean; options: { code: number; data: string }[] } | null;
}

function typeNumber(type: string): number {
  const m = /^(?:TYPE|UNKNOWN_)(\d+)$/.exec(type);
  return m ? Number(m[1]) : types.toType(type);
}

function normData(type: string, data: unknown): unknown {
  if (type === 'AAAA') return ipv6(data as string);
  if (type === 'TXT') return (data as (Uint8Array | string)[]).map((s) => (typeof s === 'string' ? s : latin1(s)));
  if (data instanceof Uint8Array) return hex(data);
  return data;
}

function fromReference(m: DnsMessage): Norm {
  const rec = (r: DnsRecord) => ({ name: r.name, type: typeNumber(r.type), class: r.class, ttl: r.ttl, data: normData(r.type, r.data) });
  return {
    id: m.id,
    flags: { ...m.flags },
    rcode: m.rcode,
    questions: m.questions.map((q) => ({ name: q.name, type: typeNumber(q.type), class: q.class })),
    sections: [m.answers.map(rec), m.authorities.map(rec), m.additionals.map(rec)],
    edns: m.edns ? { ...m.edns, options: m.edns.options.map((o) => ({ code: o.code, data: hex(o.data) })) } : null,
  };
}

function fromDnsPacket(p: Packet): Norm {
  const opt = p.additionals.find((r) => r.type === 'OPT');
  const rec = (r: PacketRecord) => ({ name: r.name, type: typeNumber(r.type), class: classes.toClass(r.class!), ttl: r.ttl!, data: normData(r.type, r.data) });
  return {
    id: p.id,
    flags: { qr: p.flag_qr, opcode: opcodes.toOpcode(p.opcode), aa: p.flag_aa, tc: p.flag_tc, rd: p.flag_rd, ra: p.flag_ra, ad: p.flag_ad, cd: p.flag_cd },
    rcode: rcodes.toRcode(p.rcode) | ((opt?.extendedRcode ?? 0) << 4),
    questions: p.questions.map((q) => ({ name: q.name, type: typeNumber(q.type), class: classes.toClass(q.class) })),
    sections: [p.answers.map(rec), p.authorities.map(rec), p.additionals.filter((r) => r.type !== 'OPT').map(rec)],
    edns: opt
      ? {
          udpPayloadSize: opt.udpPayloadSize!,
          version: opt.ednsVersion!,
          dnssecOk: Boolean(opt.flag_do),
          options: (opt.options ?? []).map((o) => ({ code: o.code, data: hex(o.data ?? new Uint8Array(0)) })),
        }
      : null,
  };
}

/** A record as dig prints it: owner, TTL, class, type, data (fields separated by tabs). */
function digLine(r: DnsRecord): string[] {
  const fq = (n: string) => (n === '.' ? '.' : `${n}.`);
  let data: string;
  switch (r.type) {
    case 'NS':
    case 'CNAME': data = fq(r.data); break;
    case 'MX': data = `${r.data.preference} ${fq(r.data.exchange)}`; break;
    case 'SOA': data = `${fq(r.data.mname)} ${fq(r.data.rname)} ${r.data.serial} ${r.data.refresh} ${r.data.retry} ${r.data.expire} ${r.data.minimum}`; break;
    case 'TXT': data = r.data.map((s) => `"${s}"`).join(' '); break;
    case 'A':
    case 'AAAA': data = r.data; break;
    default: data = `\\# ${r.data.length} ${hex(r.data)}`;
  }
  return [fq(r.name), String(r.ttl), r.class === 1 ? 'IN' : `CLASS${r.class}`, r.type, data];
}

function digRecords(output: string): string[][] {
  return output.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';')).map((l) => l.split(/\t+/));
}

// ---- The proof ----------------------------------------------------------------------------------

describeWithPeers('dns/message-codec reference against unbound, dnsmasq, dig and dns-packet', ['unbound', 'dnsmasq', 'dig'], () => {
  let unbound: DnsServer;
  let dnsmasq: DnsServer;

  beforeAll(async () => {
    [unbound, dnsmasq] = await Promise.all([
      startUnbound({ serverConfig: ['nsid: "ascii_ns1.lab.test"'] }),
      startDnsmasq({ args: LAB_DNSMASQ_ARGS }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([unbound?.stop(), dnsmasq?.stop()]);
  });

  /** Capture one dig exchange and prove the reference on both packets; returns the decoded reply. */
  async function prove(server: () => DnsServer, args: string[]): Promise<{ query: DnsMessage; reply: DnsMessage; replyBytes: Uint8Array }> {
    const s = server();
    const { query, reply, output } = await digCapture(s.port, args);
    const decoded: DnsMessage[] = [];
    for (const [what, bytes] of [['query', query], ['reply', reply]] as const) {
      const m = codec.decodeMessage(bytes);
      decoded.push(m);
      // 1. the same structure as dns-packet reads
      expect({ what, norm: fromReference(m) }).toEqual({ what, norm: fromDnsPacket(packetDecode(bytes)) });
      // 2. encoding gives a message that both decoders read back the same, compressed or not
      for (const compress of [true, false]) {
        const again = codec.encodeMessage(m, { compress });
        expect({ what, compress, m: codec.decodeMessage(again) }).toEqual({ what, compress, m });
        expect({ what, compress, norm: fromDnsPacket(packetDecode(again)) }).toEqual({ what, compress, norm: fromReference(m) });
      }
      // 3. unbound compresses exactly like the lab's rule (dig's queries have nothing to compress)
      if (what === 'query' || s.kind === 'unbound') expect({ what, bytes: hex(codec.encodeMessage(m)) }).toEqual({ what, bytes: hex(bytes) });
    }
    const [q, r] = decoded as [DnsMessage, DnsMessage];
    // 4. the records dig printed are the records the reference decoded
    expect(digRecords(output)).toEqual([...r.answers, ...r.authorities, ...r.additionals].map(digLine));
    return { query: q, reply: r, replyBytes: reply };
  }

  it('a compressed CNAME chain with three A records (unbound, EDNS with a COOKIE)', async () => {
    const { query, reply } = await prove(() => unbound, ['www.lab.test', 'A']);
    expect(query.edns?.options.map((o) => o.code)).toEqual([10]);
    expect(query.flags).toMatchObject({ rd: true, ad: true, qr: false });
    expect(reply.answers.map((a) => [a.name, a.type, a.ttl])).toEqual([
      ['www.lab.test', 'CNAME', 300],
      ['web.lab.test', 'CNAME', 300],
      ['servers.lab.test', 'A', 120],
      ['servers.lab.test', 'A', 120],
      ['servers.lab.test', 'A', 120],
    ]);
    expect(reply.answers.filter((a) => a.type === 'A').map((a) => a.data).sort()).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
    expect(reply.flags).toMatchObject({ qr: true, aa: true, tc: false });
  });

  it('AAAA records in RFC 5952 text', async () => {
    const { reply } = await prove(() => unbound, ['v6.lab.test', 'AAAA']);
    expect(reply.answers.map((a) => a.data).sort()).toEqual(['2001:db8:0:1::53', '2001:db8::1']);
  });

  it('MX records, one exchange compressed into the other record\'s RDATA', async () => {
    const { reply, replyBytes } = await prove(() => unbound, ['lab.test', 'MX']);
    expect(reply.answers.map((a) => a.data).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([
      { preference: 10, exchange: 'mail.lab.test' },
      { preference: 20, exchange: 'backup.mail.lab.test' },
    ]);
    // The label "mail" is on the wire once: one exchange points into the other record's RDATA.
    expect(hex(replyBytes).split('046d61696c').length - 1).toBe(1);
  });

  it('TXT with several strings, one of them empty', async () => {
    const { reply } = await prove(() => unbound, ['txt.lab.test', 'TXT']);
    expect(reply.answers.map((a) => [a.ttl, a.data])).toEqual([[60, ['v=spf1 -all', 'second string', '']]]);
  });

  it('NXDOMAIN with the zone\'s SOA (RCODE 3)', async () => {
    const { reply } = await prove(() => unbound, ['nope.lab.test', 'A']);
    expect(reply.rcode).toBe(3);
    expect(reply.authorities).toEqual([
      {
        name: 'lab.test', type: 'SOA', class: 1, ttl: 300,
        data: { mname: 'ns1.lab.test', rname: 'hostmaster.lab.test', serial: 2024010101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 },
      },
    ]);
  });

  it('a truncated answer: TC set when the TXT records exceed a 512-byte buffer', async () => {
    const { query, reply } = await prove(() => unbound, ['big.lab.test', 'TXT', '+bufsize=512', '+ignore']);
    expect(query.edns?.udpPayloadSize).toBe(512);
    expect(reply.flags.tc).toBe(true);
    expect(reply.answers).toEqual([]);
  });

  it('no EDNS at all, and an NS answer with its glue in the additional section', async () => {
    const { query, reply } = await prove(() => unbound, ['lab.test', 'NS', '+noedns']);
    expect(query.edns).toBeUndefined();
    expect(reply.edns).toBeUndefined();
    expect(reply.additionals.map((r) => [r.name, r.type, r.data])).toEqual([['ns1.lab.test', 'A', '192.0.2.53']]);
  });

  it('EDNS options and flags: NSID in the answer, the DO bit, BADVERS as extended RCODE 16', async () => {
    const nsid = await prove(() => unbound, ['mail.lab.test', 'A', '+nsid', '+nocookie']);
    expect(nsid.reply.edns?.options).toEqual([{ code: 3, data: new TextEncoder().encode('ns1.lab.test') }]);
    const dnssec = await prove(() => unbound, ['lab.test', 'SOA', '+dnssec', '+nocookie']);
    expect([dnssec.query.edns?.dnssecOk, dnssec.reply.edns?.dnssecOk]).toEqual([true, true]);
    const badvers = await prove(() => unbound, ['lab.test', 'SOA', '+edns=1', '+noednsneg', '+nocookie']);
    expect(badvers.query.edns?.version).toBe(1);
    expect(badvers.reply.rcode).toBe(16);
  });

  it('dnsmasq: its CNAME chain (RDATA names uncompressed), MX with glue, TXT', async () => {
    const chain = await prove(() => dnsmasq, ['www.lab.test', 'A']);
    expect(chain.reply.answers.map((a) => a.data)).toEqual(['web.lab.test', 'servers.lab.test', '192.0.2.10', '192.0.2.11']);
    expect(chain.reply.answers.every((a) => a.ttl === 300)).toBe(true);
    const mx = await prove(() => dnsmasq, ['lab.test', 'MX']);
    expect(mx.reply.additionals.map((r) => [r.name, r.data])).toEqual([['mail.lab.test', '192.0.2.25']]);
    const txt = await prove(() => dnsmasq, ['txt.lab.test', 'TXT']);
    expect(txt.reply.answers[0]?.data).toEqual(['v=spf1 -all', 'second string']);
  });

  it('the reference\'s own queries are answered by unbound and dnsmasq', async () => {
    const query = (id: number, name: string, type: 'A' | 'AAAA' | 'TXT', edns?: codec.Edns): DnsMessage => ({
      id, flags: { qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false }, rcode: 0,
      questions: [{ name, type, class: codec.CLASS_IN }], answers: [], authorities: [], additionals: [],
      ...(edns ? { edns } : {}),
    });
    const ask = async (server: DnsServer, q: DnsMessage) => {
      const bytes = await udpExchange(server.port, codec.encodeMessage(q));
      const reply = codec.decodeMessage(bytes);
      expect(fromReference(reply)).toEqual(fromDnsPacket(packetDecode(bytes)));
      expect(reply.id).toBe(q.id);
      expect(reply.questions).toEqual(q.questions);
      return reply;
    };
    const edns = { udpPayloadSize: 1232, version: 0, dnssecOk: false, options: [] };
    for (const server of [unbound, dnsmasq]) {
      const chain = await ask(server, query(0x1001, 'www.lab.test', 'A', edns));
      expect({ server: server.kind, rcode: chain.rcode, last: chain.answers.at(-1)?.name }).toEqual({ server: server.kind, rcode: 0, last: 'servers.lab.test' });
      const v6 = await ask(server, query(0x1002, 'v6.lab.test', 'AAAA'));
      expect(v6.answers.map((a) => a.data)).toContain('2001:db8::1');
      const nx = await ask(server, query(0x1003, 'nope.lab.test', 'A'));
      expect({ server: server.kind, rcode: nx.rcode }).toEqual({ server: server.kind, rcode: 3 });
    }
    // Case is kept on the way out and echoed back (what DNS 0x20 relies on).
    const mixed = await ask(unbound, query(0x1004, 'WwW.LaB.tEsT', 'A'));
    expect(mixed.answers.length).toBe(5);
    // A small buffer and an NSID request: unbound truncates and names itself.
    const small = await ask(unbound, query(0x1005, 'big.lab.test', 'TXT', { udpPayloadSize: 512, version: 0, dnssecOk: false, options: [{ code: 3, data: new Uint8Array(0) }] }));
    expect(small.flags.tc).toBe(true);
    expect(small.edns?.options).toEqual([{ code: 3, data: new TextEncoder().encode('ns1.lab.test') }]);
    // Without EDNS the classic 512-byte limit applies.
    const classic = await ask(unbound, query(0x1006, 'big.lab.test', 'TXT'));
    expect(classic.flags.tc).toBe(true);
  });
});
