/**
 * `lab live <lab> [--file F] [--server HOST:PORT]`: run the learner's own code against a real
 * server over a real socket and print the exchange. Not a grade: the moment a learner's code
 * talks to software nobody here wrote. Without --server the lab's default peer is started on
 * 127.0.0.1 (for RTMP: nginx-rtmp when installed, else the reference server).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { findLab, readLabFile, type Lab } from '../../catalog/catalog-fs.ts';
import { createModuleLoader } from '../../grading/harness/modules.ts';
import { LAB_PACKAGES } from '../../grading/harness/packages.ts';
import { LIVE_RUNS, liveRunFor } from '../../live/registry-fs.ts';
import type { LiveOutcome, LiveServer } from '../../live/types.ts';
import { socketStream } from '../../live/socket-stream.ts';
import { displayPath } from './grade.ts';
import { workFile } from '../workspace.ts';

export interface LiveOptions {
  file?: string;
  /** HOST:PORT of a server to use instead of starting one. */
  server?: string;
  /** Use the lab's reference server even where the real one is installed. */
  reference?: boolean;
  print?: (line: string) => void;
}

/** The labs that have a live run, for the help text. */
export function liveLabs(): string[] {
  return LIVE_RUNS.map((r) => `${r.live.labId}: ${r.live.summary}`);
}

/** Load one of the lab's modules (the learner's file or the reference) with the lab's provided files. */
export function loadLabModule(lab: Lab, name: string, source: string): Record<string, unknown> {
  const files: Record<string, string> = { [name]: source };
  for (const f of lab.meta.files) files[f] = readLabFile(lab, f);
  const loader = createModuleLoader({ files, packages: LAB_PACKAGES, displayName: (p) => p });
  return loader.load(name) as Record<string, unknown>;
}

function parseServer(s: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new Error(`--server: give HOST:PORT, e.g. 127.0.0.1:1935 (got "${s}")`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export async function runLive(ref: string, options: LiveOptions = {}): Promise<LiveOutcome> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const lab = findLab(ref);
  const entry = liveRunFor(lab.meta.id);
  if (!entry) {
    throw new Error(`${lab.meta.id} has no live run. Labs with one:\n  ${liveLabs().join('\n  ')}`);
  }
  const file = options.file ?? workFile(lab);
  if (!existsSync(file)) throw new Error(`${displayPath(file)} does not exist: start with npm run lab -- start ${lab.meta.id}`);
  let learner: Record<string, unknown>;
  try {
    learner = loadLabModule(lab, 'learner.ts', readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, verdict: `${displayPath(file)} does not load: ${(e as Error).message}` };
  }
  let server: LiveServer | undefined;
  let host = '127.0.0.1';
  let port: number;
  let peer: string;
  if (options.server && options.reference) throw new Error('--server and --reference: give one or the other');
  if (options.server) {
    ({ host, port } = parseServer(options.server));
    peer = 'the server you named';
  } else {
    server = await entry.startPeer(() => loadLabModule(lab, 'reference.ts', readFileSync(join(lab.dir, 'reference.ts'), 'utf8')), { reference: options.reference ?? false });
    port = server.port;
    peer = server.peer;
  }
  const socket = createConnection({ host, port });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch (e) {
    await server?.stop();
    return { ok: false, verdict: `could not connect to ${host}:${port}: ${(e as Error).message}` };
  }
  const started = performance.now();
  const stream = socketStream(socket);
  try {
    const outcome = await entry.live.run({
      learner,
      stream,
      peer,
      address: `${host}:${port}`,
      print,
      clock: () => Math.floor(performance.now() - started),
    });
    print(`\n${outcome.ok ? 'Live run' : 'Live run failed'}: ${outcome.verdict}.`);
    print('(A live run is not a grade: npm run lab -- grade gives the marks.)');
    return outcome;
  } finally {
    stream.close();
    await server?.stop();
  }
}
