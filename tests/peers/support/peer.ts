/**
 * Peer tests run real servers on 127.0.0.1. When a server's program is missing they skip,
 * loudly; under CI=true a missing program fails the run instead.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { describe } from 'vitest';

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `describe` when every command exists; otherwise skip with a loud warning (or fail under CI). */
export function describeWithPeers(name: string, commands: string[], body: () => void): void {
  const missing = commands.filter((c) => !hasCommand(c));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const msg = `PEER TEST SKIPPED: "${name}" needs ${missing.join(', ')} (not installed). .ci/run installs them.`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`${msg} Under CI nothing may be skipped.`);
    });
    return;
  }
  console.warn(`\n*** ${msg}\n`);
  describe.skip(name, body);
}

/** A free TCP port on 127.0.0.1 (also free for UDP in practice on loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Start a long-running server process; kill it with the returned stop(). */
export function startProcess(cmd: string, args: string[], opts: { cwd?: string } = {}): { proc: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const proc = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d) => { out += d; });
  proc.stderr?.on('data', (d) => { out += d; });
  return {
    proc,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 2000).unref();
      }),
  };
}

/** Retry `probe` until it succeeds or `ms` passes (servers take a moment to bind). */
export async function waitFor<T>(probe: () => Promise<T>, ms = 10_000, what = 'server'): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      return await probe();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what} did not become ready in ${ms} ms: ${String(last)}`);
}
