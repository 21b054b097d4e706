/**
 * A live run inside a WebContainer (or any Node without the CLI): the lab's files are in a
 * folder, the learner's client runs against the lab's reference server on 127.0.0.1, and the
 * exchange is printed. Node's `net` is passed in, so this bundles into the container's script.
 */
import { createModuleLoader } from '../grading/harness/modules.ts';
import { LAB_PACKAGES } from '../grading/harness/packages.ts';
import { LIVE_RUN_CORES } from './runs.ts';
import { socketStream } from './socket-stream.ts';
import type { LiveOutcome } from './types.ts';

type Net = typeof import('node:net');

export interface ContainerLiveInput {
  labId: string;
  /** The lab's .ts files by name: learner.ts, reference.ts and the provided files. */
  files: Readonly<Record<string, string>>;
  net: Net;
  print(line: string): void;
}

export async function liveInContainer(input: ContainerLiveInput): Promise<LiveOutcome> {
  const core = LIVE_RUN_CORES.find((c) => c.live.labId === input.labId);
  if (!core) return { ok: false, verdict: `${input.labId} has no live run` };
  const load = (name: string): Record<string, unknown> =>
    createModuleLoader({ files: input.files, packages: LAB_PACKAGES, displayName: (p) => p }).load(name) as Record<string, unknown>;
  let learner: Record<string, unknown>;
  try {
    learner = load('learner.ts');
  } catch (e) {
    return { ok: false, verdict: `learner.ts does not load: ${(e as Error).message}` };
  }
  const server = await core.startReference(input.net, load('reference.ts'));
  const socket = input.net.createConnection({ host: '127.0.0.1', port: server.port });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const started = performance.now();
    const stream = socketStream(socket);
    try {
      const outcome = await core.live.run({
        learner,
        stream,
        peer: server.peer,
        address: `127.0.0.1:${server.port}`,
        print: input.print,
        clock: () => Math.floor(performance.now() - started),
      });
      input.print(`\n${outcome.ok ? 'Live run' : 'Live run failed'}: ${outcome.verdict}.`);
      return outcome;
    } finally {
      stream.close();
    }
  } catch (e) {
    return { ok: false, verdict: `could not connect to the reference server: ${(e as Error).message}` };
  } finally {
    socket.destroy();
    await server.stop();
  }
}
