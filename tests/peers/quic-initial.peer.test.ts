/**
 * Peer proof for labs/quic/varint-packet-number: ngtcp2's client sends its first Initial to
 * ngtcp2's server through a UDP relay of ours on 127.0.0.1, and the lab's reference parses
 * what the relay saw. Nobody here wrote the bytes: if the reference misreads a field, the
 * numbers below stop adding up.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeers } from './support/peer';
import {
  makeWorkdir,
  readQlogs,
  NGTCP2_CLIENT,
  NGTCP2_SERVER,
  runClient,
  startRelay,
  startServer,
  type QuicRelay,
  type QuicServer,
  type QuicWorkdir,
} from './support/quic-ngtcp2';
import { decodeVarint, parseInitialHeader, QUIC_V1 } from '../../labs/quic/varint-packet-number/reference';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describeWithPeers('ngtcp2 client Initial parsed by the varint-packet-number reference', ['openssl', NGTCP2_SERVER, NGTCP2_CLIENT], () => {
  let work: QuicWorkdir;
  let server: QuicServer;
  let relay: QuicRelay;
  let client: { code: number; output: string };
  let serverOdcid: string | undefined;

  beforeAll(async () => {
    work = await makeWorkdir({ 'hello.txt': new TextEncoder().encode('hello over QUIC\n') });
    server = await startServer(work, { args: ['--qlog-dir', work.serverQlogDir] });
    relay = await startRelay(server.port);
    // ngtcp2 picks its own random connection IDs: nothing here chooses the bytes.
    client = await runClient(relay.port, ['/hello.txt'], [], 20_000);
    await server.stop();
    // The server's own record of the client's first DCID: the transport parameter
    // original_destination_connection_id it sent (RFC 9000 §7.3), as its qlog shows.
    for (const q of await readQlogs(work.serverQlogDir)) {
      for (const e of q.events) {
        if (e.name === 'transport:parameters_set' && e.data.owner === 'local' && typeof e.data.original_destination_connection_id === 'string') {
          serverOdcid = e.data.original_destination_connection_id;
        }
      }
    }
  });

  afterAll(async () => {
    await relay?.stop();
    await server?.stop();
    await work?.remove();
  });

  it('the client finished its request through the relay', () => {
    expect(client.code, `gtlsclient output:\n${client.output}\nserver:\n${server.log()}`).toBe(0);
    expect(relay.datagrams.some((d) => d.from === 'server')).toBe(true);
  });

  it("the reference parses the client's first datagram as a version 1 Initial", () => {
    const first = relay.datagrams.find((d) => d.from === 'client');
    expect(first).toBeDefined();
    const dgram = first!.bytes;
    const h = parseInitialHeader(dgram);
    // Print the header bytes once: the lab's tests keep a copy as a fixed vector.
    console.log(`ngtcp2 client Initial: ${dgram.length} bytes, header ${hex(dgram.subarray(0, h.pnOffset + 4))}`);

    expect(h.version).toBe(QUIC_V1);
    // RFC 9000 §7.2: a client's first Destination Connection ID is at least 8 bytes.
    expect(h.dcid.length).toBeGreaterThanOrEqual(8);
    expect(h.dcid.length).toBeLessThanOrEqual(20);
    // What the relay saw at the DCID's place is what the server says it received.
    expect(hex(dgram.subarray(6, 6 + dgram[5]!))).toBe(hex(h.dcid));
    expect(serverOdcid, 'server qlog has no original_destination_connection_id').toBeDefined();
    expect(hex(h.dcid)).toBe(serverOdcid);
    expect(h.scid.length).toBeGreaterThan(0);
    // Layout: flags, version, DCID len + DCID, SCID len + SCID, token length (one byte: 0),
    // then the Length varint, which ends where the packet number begins.
    const lengthAt = 1 + 4 + 1 + h.dcid.length + 1 + h.scid.length + 1;
    const lengthField = decodeVarint(dgram, lengthAt);
    expect(Number(lengthField.value)).toBe(h.length);
    expect(lengthAt + lengthField.length).toBe(h.pnOffset);
    // First flight: the client holds no token from a Retry or NEW_TOKEN.
    expect(h.token.length).toBe(0);
    // RFC 9287 §3: without a token the client may not clear the QUIC bit on this packet.
    expect(h.fixedBit).toBe(true);
    // The DCID length byte the relay saw matches what the parser returned.
    expect(dgram[5]).toBe(h.dcid.length);
    // RFC 9000 §14.1: a client pads datagrams carrying Initial packets to at least 1200 bytes.
    expect(dgram.length).toBeGreaterThanOrEqual(1200);
    // The Length field is consistent with the datagram: the packet ends inside it, and a
    // packet number (1–4 bytes) plus a 16-byte AEAD tag fit in it.
    expect(h.packetEnd).toBeLessThanOrEqual(dgram.length);
    expect(h.length).toBeGreaterThanOrEqual(1 + 16);
  });

  it("the server's first Initial parses too, addressed to the client's SCID", () => {
    const client1 = parseInitialHeader(relay.datagrams.find((d) => d.from === 'client')!.bytes);
    const fromServer = relay.datagrams.filter((d) => d.from === 'server' && (d.bytes[0]! & 0xb0) === 0x80);
    expect(fromServer.length).toBeGreaterThan(0);
    const h = parseInitialHeader(fromServer[0]!.bytes);
    expect(h.version).toBe(QUIC_V1);
    expect(hex(h.dcid)).toBe(hex(client1.scid));
    expect(h.scid.length).toBeGreaterThan(0);
    expect(h.token.length).toBe(0);
    expect(h.packetEnd).toBeLessThanOrEqual(fromServer[0]!.bytes.length);
  });
});
