/**
 * Real RTMP on 127.0.0.1 for peer tests: nginx with Debian's RTMP module (nginx-rtmp-module) as
 * the server, ffmpeg as the publisher, and our TCP relay in between keeping every byte each way.
 *
 *   const cap = await capturePublish({ seconds: 1 });
 *   cap.fromClient   // C0 C1 C2 (1 + 1536 + 1536 bytes), then ffmpeg's chunk stream
 *   cap.fromServer   // S0 S1 S2, then nginx's chunk stream
 *   chunkStream(cap.fromClient)   // the bytes after the handshake
 *
 * Each call starts its own nginx on a free port and stops it before returning. Nothing here
 * listens on or connects to anything but 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, startProcess } from './peer';
import { startNginx, type Nginx } from './nginx';
import { LOOPBACK, startRelay, type RelayChunk } from './relay';

const run = promisify(execFile);

export { LOOPBACK };
export type { RelayChunk };

/** The commands the captures need. */
export const RTMP_PEER_COMMANDS = ['nginx', 'ffmpeg'];

/** C0/S0 (the version byte), C1/S1 and C2/S2 (1536 bytes each): RTMP specification 1.0 §5.2. */
export const HANDSHAKE_LENGTH = 1 + 1536 + 1536;

/** The bytes of one side after its handshake: where the chunk stream begins. */
export function chunkStream(side: Uint8Array): Uint8Array {
  if (side.length < HANDSHAKE_LENGTH) throw new Error(`only ${side.length} bytes: the handshake is ${HANDSHAKE_LENGTH}`);
  return side.subarray(HANDSHAKE_LENGTH);
}

export interface RtmpVersions {
  /** First line of `ffmpeg -version`. */
  ffmpeg: string;
  /** `nginx -v`. */
  nginx: string;
  /** The Debian package version of the RTMP module, or 'unknown' where dpkg is missing. */
  rtmpModule: string;
}

let versions: Promise<RtmpVersions> | undefined;

/** The peer versions, asked once per run. */
export function rtmpVersions(): Promise<RtmpVersions> {
  versions ??= (async () => {
    const ffmpeg = (await run('ffmpeg', ['-hide_banner', '-version'])).stdout.split('\n')[0]!.trim();
    const ng = await run('nginx', ['-v']);
    const nginx = (ng.stderr || ng.stdout).trim();
    let rtmpModule = 'unknown';
    try {
      rtmpModule = (await run('dpkg-query', ['-W', '-f', '${Version}', 'libnginx-mod-rtmp'])).stdout.trim() || 'unknown';
    } catch {
      // not a Debian system: the version stays unknown
    }
    return { ffmpeg, nginx, rtmpModule };
  })();
  return versions;
}

export interface RtmpServer {
  port: number;
  nginx: Nginx;
  /** rtmp://127.0.0.1:port/app/stream, optionally through another port (a relay). */
  url(stream: string, viaPort?: number): string;
  stop(): Promise<void>;
}

export interface RtmpServerOptions {
  /** nginx's outgoing chunk size (`chunk_size`), which it announces with Set Chunk Size. Default 4096. */
  chunkSize?: number;
  /** The application name. Default 'live'. */
  app?: string;
  /**
   * More directives for the application block, e.g. 'publish_notify on;' (players then get
   * onStatus NetStream.Play.UnpublishNotify when the publisher goes, and ffmpeg stops playing).
   */
  directives?: string;
}

/** nginx with one live application and no recording. */
export async function startRtmpServer(options: RtmpServerOptions = {}): Promise<RtmpServer> {
  const port = await freePort();
  const app = options.app ?? 'live';
  const rtmpBlock = `server { listen ${LOOPBACK}:${port}; chunk_size ${options.chunkSize ?? 4096}; application ${app} { live on; record off; ${options.directives ?? ''} } }`;
  const nginx = await startNginx('', [port], { rtmpBlock });
  return {
    port,
    nginx,
    url: (stream, viaPort) => `rtmp://${LOOPBACK}:${viaPort ?? port}/${app}/${stream}`,
    stop: () => nginx.stop(),
  };
}

export interface PublishOptions {
  /** Seconds of video (ffmpeg -t). Default 1. */
  seconds?: number;
  /** testsrc frame size. Default '160x120'. */
  size?: string;
  /** Frames per second. Default 10. */
  rate?: number;
  /** nginx's chunk_size. Default 4096. */
  chunkSize?: number;
  /** Extra ffmpeg output options, placed before `-f flv` (e.g. ['-output_ts_offset', '16800']). */
  outputOptions?: string[];
  /** Stream name. Default 's'. */
  stream?: string;
  /**
   * A guard against a hang, not a timing check: ffmpeg is killed (and the capture fails) if it
   * has not finished after this long. Default 60 000 ms.
   */
  hangAfterMs?: number;
}

export interface PublishCapture {
  /** Everything ffmpeg sent, handshake first. */
  fromClient: Uint8Array;
  /** Everything nginx sent, handshake first. */
  fromServer: Uint8Array;
  /** Every relayed write in arrival order. */
  chunks: RelayChunk[];
  versions: RtmpVersions;
  /** The ffmpeg arguments used, for reports. */
  ffmpegArgs: string[];
  /** nginx's chunk_size. */
  chunkSize: number;
}

/**
 * ffmpeg publishes `seconds` of testsrc (H.264 in FLV, in real time: -re) to nginx through the
 * relay; resolves once ffmpeg has exited and both sockets have closed, with nginx stopped.
 */
export async function capturePublish(options: PublishOptions = {}): Promise<PublishCapture> {
  const chunkSize = options.chunkSize ?? 4096;
  const server = await startRtmpServer({ chunkSize });
  try {
    const relay = await startRelay(server.port);
    try {
      const ffmpegArgs = [
        '-hide_banner', '-nostdin', '-loglevel', 'error',
        '-re', '-f', 'lavfi', '-i', `testsrc=size=${options.size ?? '160x120'}:rate=${options.rate ?? 10}`,
        '-t', String(options.seconds ?? 1), '-c:v', 'libx264',
        ...(options.outputOptions ?? []),
        '-f', 'flv', server.url(options.stream ?? 's', relay.port),
      ];
      const ffmpeg = startProcess('ffmpeg', ffmpegArgs);
      let hung = false;
      const guard = setTimeout(() => {
        hung = true;
        void ffmpeg.stop();
        relay.stop();
      }, options.hangAfterMs ?? 60_000);
      try {
        const code = await new Promise<number | null>((resolve) => ffmpeg.proc.once('exit', (c) => resolve(c)));
        if (hung) throw new Error(`ffmpeg had not finished publishing after ${options.hangAfterMs ?? 60_000} ms: ${ffmpeg.output()}`);
        if (code !== 0) throw new Error(`ffmpeg exited with ${code}: ${ffmpeg.output()}\nnginx: ${await server.nginx.errorLog()}`);
        // ffmpeg has closed its socket: wait for the relay to see both sides close, so every byte is in.
        await relay.closed();
      } finally {
        clearTimeout(guard);
      }
      return {
        fromClient: relay.fromClient(),
        fromServer: relay.fromServer(),
        chunks: relay.chunks(),
        versions: await rtmpVersions(),
        ffmpegArgs,
        chunkSize,
      };
    } finally {
      relay.stop();
    }
  } finally {
    await server.stop();
  }
}
