/** A Node socket (or anything with its events) as a live run's ByteStream: reads are queued. */
import type { ByteStream } from './types.ts';

export interface SocketLike {
  on(event: 'data', listener: (data: Uint8Array) => void): unknown;
  on(event: 'close' | 'error', listener: () => void): unknown;
  write(bytes: Uint8Array): unknown;
  destroy(): unknown;
}

export function socketStream(socket: SocketLike): ByteStream {
  const queue: (Uint8Array | null)[] = [];
  const waiting: ((b: Uint8Array | null) => void)[] = [];
  const deliver = (b: Uint8Array | null): void => {
    const w = waiting.shift();
    if (w) w(b);
    else queue.push(b);
  };
  socket.on('data', (d) => deliver(new Uint8Array(d)));
  socket.on('close', () => deliver(null));
  socket.on('error', () => undefined);
  return {
    write: (bytes) => { socket.write(bytes); },
    read: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r))),
    close: () => { socket.destroy(); },
  };
}
