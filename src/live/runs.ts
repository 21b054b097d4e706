/**
 * The labs that have a live run, and how each starts its reference server: plain code that
 * bundles for a WebContainer as well as running in the CLI (Node's `net` is passed in).
 * The CLI's registry-fs.ts adds the real servers it prefers where they are installed.
 */
import type { LiveRun, LiveServer } from './types.ts';
import { rtmpHandshakeLive } from './rtmp/handshake-live.ts';
import { startReferenceServer } from './rtmp/reference-server.ts';

type Net = typeof import('node:net');

export interface LiveRunCore {
  live: LiveRun;
  /** The lab's reference server on 127.0.0.1, from the lab's reference module. */
  startReference(net: Net, reference: Record<string, unknown>): Promise<LiveServer>;
}

export const LIVE_RUN_CORES: readonly LiveRunCore[] = [
  {
    live: rtmpHandshakeLive,
    startReference: (net, reference) => startReferenceServer(net, reference.createServer as Parameters<typeof startReferenceServer>[1]),
  },
];
