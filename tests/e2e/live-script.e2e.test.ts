/**
 * The live-run script the site ships for WebContainer mode, run as the container runs it: the
 * file the build emitted, copied beside a lab folder, under plain `node` with nothing installed.
 * (WebContainers cannot boot here; this proves the bundle itself, and the fake in
 * runner-webcontainer.test.ts proves the page's side.)
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DIST } from './support/site.ts';
import { LABS_DIR } from '../../src/catalog/catalog-fs.ts';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'netlabs-live-script-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The bundle itself, not the small module that only exports its URL. */
function liveScript(): string {
  const dir = join(DIST, '_astro');
  const candidates = readdirSync(dir).filter((f) => /^live-main[-.].*\.js$/.test(f)).map((f) => join(dir, f));
  expect(candidates.length, 'the build emits the live-run script').toBeGreaterThan(0);
  return candidates.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

function labFolder(learner: string): string {
  const dir = join(work, `lab-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const hs = join(LABS_DIR, 'rtmp', 'handshake');
  for (const f of ['reference.ts', 'types.ts', 'captures.ts']) copyFileSync(join(hs, f), join(dir, f));
  copyFileSync(join(hs, learner), join(dir, 'learner.ts'));
  return dir;
}

describe('the live-run script, bundled for WebContainer mode', () => {
  it("runs the learner's client against the reference server under plain node", async () => {
    const { stdout } = await run('node', [liveScript(), labFolder('reference.ts'), 'rtmp/handshake'], { timeout: 30_000 });
    expect(stdout).toMatch(/^Your client against the lab's reference server on 127\.0\.0\.1:\d+$/m);
    expect(stdout).toContain("C2 echoes S1's time and random bytes: yes");
    expect(stdout).toContain('Live run: the server accepted connect: NetConnection.Connect.Success.');
  });

  it('exits with 1 and says why for the starter', async () => {
    const failed = await run('node', [liveScript(), labFolder('starter.ts'), 'rtmp/handshake'], { timeout: 30_000 }).then(() => null, (e: { code: number; stdout: string }) => e);
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/Live run failed: createClient\(\) threw: /);
  });
});
