/**
 * The live run of rtmp/handshake, against the lab's reference server on 127.0.0.1 (the run
 * against nginx-rtmp is a peer test): the reference's client completes the handshake and is
 * told its connect was accepted; a starter, a client that speaks the wrong version and a file
 * that does not load each get a verdict that says what happened.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLive } from '../../src/cli/commands/live';
import { LABS_DIR } from '../../src/catalog/catalog-fs';

const LAB = join(LABS_DIR, 'rtmp', 'handshake');
const dir = mkdtempSync(join(tmpdir(), 'netlabs-live-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function live(file: string) {
  const lines: string[] = [];
  const outcome = await runLive('rtmp/handshake', { file, reference: true, print: (l) => lines.push(l) });
  return { outcome, lines };
}

describe('live run of rtmp/handshake against the reference server', () => {
  it("completes the reference client's handshake, checks both echoes and reports the accepted connect", async () => {
    const { outcome, lines } = await live(join(LAB, 'reference.ts'));
    expect(outcome).toEqual({ ok: true, verdict: 'the server accepted connect: NetConnection.Connect.Success' });
    expect(lines[0]).toMatch(/^Your client against the lab's reference server on 127\.0\.0\.1:\d+$/);
    expect(lines).toContain('  → 1537 bytes');
    expect(lines).toContain('      C0 at offset 0–0: version 3');
    expect(lines).toContain("  C2 echoes S1's time and random bytes: yes");
    expect(lines).toContain("  S2 echoes C1's time and random bytes: yes");
    expect(lines.some((l) => /← command \(AMF0\) on chunk stream 3, \d+ bytes: _result\(1\) NetConnection\.Connect\.Success/.test(l))).toBe(true);
  });

  it('says what the starter did: it throws before sending anything', async () => {
    const { outcome } = await live(join(LAB, 'starter.ts'));
    expect(outcome.ok).toBe(false);
    expect(outcome.verdict).toMatch(/^createClient\(\) threw: /);
  });

  it('reports a server that hangs up on a wrong version, and the state the client was left in', async () => {
    const file = join(dir, 'version-6.ts');
    writeFileSync(file, `
      export function createClient(options: { random: Uint8Array }) {
        let out = new Uint8Array(1537);
        out[0] = 6; // RTMPE's version: the reference server refuses it
        out.set(options.random, 9);
        return {
          state: 'version-sent', error: null,
          receive() {},
          takeOutput() { const o = out; out = new Uint8Array(0); return o; },
          leftover() { return new Uint8Array(0); },
        };
      }
    `);
    const { outcome, lines } = await live(file);
    expect(outcome).toEqual({ ok: false, verdict: 'the server closed the connection; your client is in state "version-sent"' });
    expect(lines).toContain('      C0 at offset 0–0: version 6');
  });

  it('reports a file that does not load', async () => {
    const file = join(dir, 'broken.ts');
    writeFileSync(file, 'export function createClient( {');
    const { outcome } = await live(file);
    expect(outcome.ok).toBe(false);
    expect(outcome.verdict).toMatch(/does not load/);
  });
});

describe('the list of labs with a live run', () => {
  it('is the same in the page (lab-ids.ts) as in the runs themselves (runs.ts)', async () => {
    const { LIVE_LAB_IDS } = await import('../../src/live/lab-ids');
    const { LIVE_RUN_CORES } = await import('../../src/live/runs');
    expect([...LIVE_LAB_IDS]).toEqual(LIVE_RUN_CORES.map((c) => c.live.labId));
  });
});
