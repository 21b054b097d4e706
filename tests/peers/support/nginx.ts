/**
 * nginx (Debian nginx-light) on 127.0.0.1 for peer tests: a temporary prefix holds the
 * configuration, pid file, logs and temp paths, and nginx runs in the foreground under our
 * control. Nothing here listens anywhere but 127.0.0.1: callers write `listen 127.0.0.1:PORT`.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, waitFor } from './peer';

export const NGINX = 'nginx';

export interface Nginx {
  /** The temporary prefix directory. */
  dir: string;
  /**
   * Local ports of the connections made to check that nginx was up. They close first, so they
   * leave client-side TIME_WAIT sockets a test counting TIME_WAIT must leave out.
   */
  probePorts: number[];
  /** What nginx printed (startup errors go to stderr). */
  output(): string;
  /** The error log so far. */
  errorLog(): Promise<string>;
  /** Stop nginx (SIGTERM, then SIGKILL) and remove its directory. Safe to call twice. */
  stop(): Promise<void>;
}

function tcpProbe(port: number, probePorts: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      if (s.localPort !== undefined) probePorts.push(s.localPort);
      s.destroy();
      resolve();
    });
    s.once('error', (e) => { s.destroy(); reject(e); });
  });
}

/** Debian's libnginx-mod-rtmp installs the RTMP module here. */
export const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

export interface NginxOptions {
  /**
   * The body of an `rtmp { }` block (server blocks with `listen 127.0.0.1:PORT`); the RTMP
   * module is loaded when it is given.
   */
  rtmpBlock?: string;
}

/**
 * Start nginx with `httpBlock` as the body of its `http { }` block (server blocks with
 * `listen 127.0.0.1:PORT` lines), and wait until every port in `ports` accepts connections.
 */
export async function startNginx(httpBlock: string, ports: number[], options: NginxOptions = {}): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'netlabs-nginx-'));
  // Worker processes may run as an unprivileged user: let them reach the temp paths.
  await chmod(dir, 0o755);
  for (const sub of ['logs', 'tmp']) await mkdir(join(dir, sub), { mode: 0o777 });
  const rtmp = options.rtmpBlock === undefined ? '' : `rtmp {\n${options.rtmpBlock}\n}\n`;
  const conf = `${options.rtmpBlock === undefined ? '' : `load_module ${RTMP_MODULE};\n`}
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} info;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'tmp', 'body')};
  proxy_temp_path ${join(dir, 'tmp', 'proxy')};
  fastcgi_temp_path ${join(dir, 'tmp', 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'tmp', 'uwsgi')};
  scgi_temp_path ${join(dir, 'tmp', 'scgi')};
${httpBlock}
}
${rtmp}`;
  const confPath = join(dir, 'nginx.conf');
  await writeFile(confPath, conf);
  const proc = startProcess(NGINX, ['-e', 'stderr', '-p', dir, '-c', confPath, '-g', 'daemon off;']);
  let stopped: Promise<void> | undefined;
  const probePorts: number[] = [];
  const server: Nginx = {
    dir,
    probePorts,
    output: proc.output,
    errorLog: () => readFile(join(dir, 'logs', 'error.log'), 'utf8').catch(() => ''),
    stop: () => (stopped ??= proc.stop().then(() => rm(dir, { recursive: true, force: true }))),
  };
  try {
    for (const port of ports) {
      await waitFor(async () => {
        if (proc.proc.exitCode !== null) throw new Error(`nginx exited: ${proc.output()}`);
        await tcpProbe(port, probePorts);
      }, 10_000, `nginx on 127.0.0.1:${port}`);
    }
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}
