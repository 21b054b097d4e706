/**
 * The labs that have a live run (`npm run lab -- live <lab>`) and the server each one talks to
 * by default on 127.0.0.1: the real one where it is installed, else the lab's reference server.
 * Node only (the CLI).
 */
import * as net from 'node:net';
import type { LiveRun, LiveServer } from './types.ts';
import { LIVE_RUN_CORES } from './runs.ts';
import { nginxRtmpInstalled, startNginxRtmp } from './rtmp/nginx-rtmp-fs.ts';

export interface LiveRunEntry {
  live: LiveRun;
  /**
   * Start the default peer; `reference` loads the lab's reference module when it is needed, and
   * `options.reference` asks for the reference server even where the real one is installed.
   */
  startPeer(reference: () => Record<string, unknown>, options: { reference: boolean }): Promise<LiveServer>;
}

/** Real servers preferred over the reference, by lab. */
const REAL_SERVERS: Readonly<Record<string, { installed(): boolean; start(): Promise<LiveServer> }>> = {
  'rtmp/handshake': { installed: nginxRtmpInstalled, start: startNginxRtmp },
};

export const LIVE_RUNS: readonly LiveRunEntry[] = LIVE_RUN_CORES.map((core) => ({
  live: core.live,
  startPeer: (reference, options) => {
    const real = REAL_SERVERS[core.live.labId];
    return real && real.installed() && !options.reference ? real.start() : core.startReference(net, reference());
  },
}));

export function liveRunFor(labId: string): LiveRunEntry | undefined {
  return LIVE_RUNS.find((r) => r.live.labId === labId);
}
