/**
 * The live run of rtmp/handshake against nginx-rtmp on 127.0.0.1, as a learner runs it:
 * `npm run lab -- live rtmp/handshake`. The reference's client completes the handshake and its
 * connect is accepted; nginx answers a C1 whose bytes 4–7 are zero by sending it back as S1.
 * And a client whose C2 echoes nothing at all is accepted too: nginx-rtmp never checks C2, as
 * the chapter says.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithPeers } from './support/peer';
import { runLive } from '../../src/cli/commands/live';
import { LABS_DIR } from '../../src/catalog/catalog-fs';

const LAB = join(LABS_DIR, 'rtmp', 'handshake');
const dir = mkdtempSync(join(tmpdir(), 'netlabs-live-peer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithPeers('live run of rtmp/handshake against nginx-rtmp', ['nginx'], () => {
  it("completes the reference client's handshake and reports nginx's accepted connect", async () => {
    const lines: string[] = [];
    const outcome = await runLive('rtmp/handshake', { file: join(LAB, 'reference.ts'), print: (l) => lines.push(l) });
    expect(outcome).toEqual({ ok: true, verdict: 'the server accepted connect: NetConnection.Connect.Success' });
    expect(lines[0]).toMatch(/^Your client against nginx-rtmp \(nginx [\d.]+\) on 127\.0\.0\.1:\d+$/);
    expect(lines).toContain('  ← 3073 bytes');
    expect(lines).toContain("  (S1 is your C1 sent back: nginx-rtmp's way of answering a C1 whose bytes 4–7 are zero.)");
    expect(lines).toContain("  S2 echoes C1's time and random bytes: yes");
    expect(lines).toContain('  ← Window Acknowledgement Size on chunk stream 2, 4 bytes: 00 4c 4b 40');
  });

  it('is accepted by nginx-rtmp even with a C2 that echoes nothing: nginx never checks C2', async () => {
    const file = join(dir, 'zero-c2.ts');
    writeFileSync(file, `
      export function createClient(options: { random: Uint8Array }) {
        const c0c1 = new Uint8Array(1537);
        c0c1[0] = 3;
        c0c1.set(options.random, 9);
        let out = c0c1;
        let got = 0;
        const h = {
          state: 'version-sent', error: null,
          receive(bytes: Uint8Array) {
            got += bytes.length;
            if (got >= 3073 && h.state !== 'handshake-done') { out = new Uint8Array(1536); h.state = 'handshake-done'; }
          },
          takeOutput() { const o = out; out = new Uint8Array(0); return o; },
          leftover() { return new Uint8Array(0); },
        };
        return h;
      }
    `);
    const lines: string[] = [];
    const outcome = await runLive('rtmp/handshake', { file, print: (l) => lines.push(l) });
    expect(lines).toContain("  C2 echoes S1's time and random bytes: NO");
    expect(outcome).toEqual({ ok: true, verdict: 'the server accepted connect: NetConnection.Connect.Success' });
  });
});
