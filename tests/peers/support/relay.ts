/**
 * A TCP relay on 127.0.0.1 between a client and a real server, for one connection: it forwards
 * every byte unchanged and at once, and keeps what each side sent, in arrival order and with the
 * time it was read, so a peer test can read the exact bytes (a capture without tcpdump) and the
 * order of the exchange (who spoke first, how many flights a handshake took). Each kept chunk is
 * one read: TCP may split or merge what a program wrote, so tests group chunks into flights (a
 * change of direction) and never count reads as writes.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export const LOOPBACK = '127.0.0.1';

export type Direction = 'client' | 'server';

/** One `data` event: who sent it, the bytes, and when the relay read them (performance.now(), ms). */
export interface RelayChunk { from: Direction; bytes: Uint8Array; at: number }

/** Consecutive chunks from one side, until the other side sends: one flight. */
export interface Flight { from: Direction; bytes: Uint8Array }

export interface Relay {
  port: number;
  fromClient(): Uint8Array;
  fromServer(): Uint8Array;
  /** Every chunk in the order the relay received it. */
  chunks(): RelayChunk[];
  /** Resolves when both sockets of the relayed connection have closed. */
  closed(): Promise<void>;
  stop(): void;
}

const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** Group chunks into flights: a new flight starts whenever the sender changes. */
export function flights(chunks: RelayChunk[]): Flight[] {
  const out: { from: Direction; parts: Uint8Array[] }[] = [];
  for (const c of chunks) {
    const last = out[out.length - 1];
    if (last && last.from === c.from) last.parts.push(c.bytes);
    else out.push({ from: c.from, parts: [c.bytes] });
  }
  return out.map((f) => ({ from: f.from, bytes: concat(f.parts) }));
}

/** A relay to 127.0.0.1:`target` for the first connection made to it. */
export async function startRelay(target: number): Promise<Relay> {
  const log: RelayChunk[] = [];
  let done!: () => void;
  const closed = new Promise<void>((r) => { done = r; });
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: LOOPBACK, port: target });
    sockets.push(client, upstream);
    // The relay must not delay what it forwards: Nagle's algorithm would hold a small write
    // back until the previous one is acknowledged, and add waits the programs never made.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (d) => { log.push({ from: 'client', bytes: new Uint8Array(d), at: performance.now() }); upstream.write(d); });
    upstream.on('data', (d) => { log.push({ from: 'server', bytes: new Uint8Array(d), at: performance.now() }); client.write(d); });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    let open = 2;
    const close = (): void => { if (--open === 0) done(); };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, LOOPBACK, r));
  const address = server.address();
  const side = (from: Direction) => concat(log.filter((c) => c.from === from).map((c) => c.bytes));
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    fromClient: () => side('client'),
    fromServer: () => side('server'),
    chunks: () => log.slice(),
    closed: () => closed,
    stop: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}
