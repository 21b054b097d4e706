/**
 * The lab's reference server on 127.0.0.1 for the live run of the RTMP handshake: the
 * reference's handshake, then each `connect` answered the way nginx-rtmp answers it (Window
 * Acknowledgement Size, Set Peer Bandwidth, _result). Node's `net` is passed in rather than
 * imported, so the same code runs in the CLI and, bundled, inside a WebContainer.
 */
import type { LiveServer } from '../types.ts';
import { ChunkReader, chunkMessage, decodeValues, encodeCommand } from './wire.ts';

type Net = typeof import('node:net');
type Socket = InstanceType<Net['Socket']>;

interface ServerHandshake {
  readonly state: string;
  receive(bytes: Uint8Array): void;
  takeOutput(): Uint8Array;
  leftover(): Uint8Array;
}

/**
 * The reference server's handshake on 127.0.0.1; after it, each `connect` is answered as
 * nginx-rtmp answers it (Window Acknowledgement Size, Set Peer Bandwidth, _result).
 */
export async function startReferenceServer(net: Net, createServerHandshake: (o: { random: Uint8Array; clock: () => number }) => ServerHandshake): Promise<LiveServer> {
  const started = performance.now();
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const random = new Uint8Array(1528);
    crypto.getRandomValues(random);
    const hs = createServerHandshake({ random, clock: () => Math.floor(performance.now() - started) });
    const reader = new ChunkReader();
    const onChunks = (bytes: Uint8Array): void => {
      for (const m of reader.push(bytes)) {
        if (m.type !== 20) continue;
        const [name, tid] = decodeValues(m.payload);
        if (name !== 'connect') continue;
        const u32 = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
        socket.write(chunkMessage({ csid: 2, type: 5, streamId: 0, timestamp: 0, payload: Uint8Array.from(u32(5_000_000)) }));
        socket.write(chunkMessage({ csid: 2, type: 6, streamId: 0, timestamp: 0, payload: Uint8Array.from([...u32(5_000_000), 2]) }));
        socket.write(chunkMessage({ csid: 3, type: 20, streamId: 0, timestamp: 0, payload: encodeCommand('_result', typeof tid === 'number' ? tid : 1,
          { fmsVer: 'FMS/3,0,1,123', capabilities: 31 },
          { level: 'status', code: 'NetConnection.Connect.Success', description: 'Connection succeeded.', objectEncoding: 0 }) }));
      }
    };
    socket.on('data', (d) => {
      try {
        if (hs.state !== 'handshake-done') {
          hs.receive(new Uint8Array(d));
          const out = hs.takeOutput();
          if (out.length) socket.write(out);
          if (hs.state === 'failed') socket.destroy();
          else if (hs.state === 'handshake-done') onChunks(hs.leftover());
        } else {
          onChunks(new Uint8Array(d));
        }
      } catch {
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return {
    peer: "the lab's reference server",
    port: typeof a === 'object' && a ? a.port : 0,
    stop: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
