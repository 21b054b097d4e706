/**
 * nginx with Debian's RTMP module on 127.0.0.1, for the live run of the RTMP handshake: a real
 * server nobody here wrote. Node only (the CLI); the reference server is in reference-server.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveServer } from '../types.ts';

export const LOOPBACK = '127.0.0.1';
export const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';


function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, LOOPBACK, () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export function nginxRtmpInstalled(): boolean {
  return existsSync(RTMP_MODULE) && spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;
}

function nginxVersion(): string {
  const r = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  return /nginx\/([\d.]+)/.exec(r.stderr)?.[1] ?? '';
}

async function waitForPort(port: number, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${output()}`);
    const ok = await new Promise<boolean>((r) => {
      const s = createConnection({ host: LOOPBACK, port });
      s.once('connect', () => { s.destroy(); r(true); });
      s.once('error', () => { s.destroy(); r(false); });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${LOOPBACK}:${port}: ${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** nginx with one RTMP application, "live", in a temporary prefix; stopped and removed by stop(). */
export async function startNginxRtmp(): Promise<LiveServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'netlabs-live-'));
  // Run as root, nginx's worker drops to an unprivileged user that must still reach its logs.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'logs'), { mode: 0o777 });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, `load_module ${RTMP_MODULE};
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} info;
events { worker_connections 16; }
rtmp { server { listen ${LOOPBACK}:${port}; application live { live on; record off; } } }
`);
  const proc = spawn('nginx', ['-e', 'stderr', '-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let out = '';
  proc.stderr!.on('data', (d) => { out += String(d); });
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, proc, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return { peer: `nginx-rtmp (nginx ${nginxVersion()})`, port, stop };
}

