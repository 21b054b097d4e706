/**
 * Peer proof for labs/quic/cubic: ngtcp2's server sends a 4 MB file to ngtcp2's client over
 * 127.0.0.1, dropping 1% of the packets it sends (`-t 0.01`), and logs its recovery state as a
 * qlog. At each loss-triggered congestion window decrease, the window must fall by the factor the
 * lab's reference uses: β = 0.7 for CUBIC, 0.5 for Reno.
 *
 * What this proves and what it does not: ngtcp2 0.12's CUBIC predates RFC 9438 (its growth
 * between losses follows its own earlier rules, and qlog only shows the window at the moments it
 * logs), so only the multiplicative decrease is compared here, not the shape of the curve. The
 * curve is checked against RFC 9438's own formulas in the lab's tests.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeers } from './support/peer';
import { makeWorkdir, NGTCP2_CLIENT, NGTCP2_SERVER, readQlogs, runClient, startServer, type QlogEvent, type QuicWorkdir } from './support/quic-ngtcp2';
import { VirtualClock } from '../../labs/kit';
import { Cubic, Reno } from '../../labs/quic/cubic/reference';

/** ngtcp2's datagram size on loopback before path MTU discovery grows it: the unit for segments. */
const MSS = 1200;

interface Decrease { time: number; before: number; after: number; ssthresh: number | undefined }

/** Decreases of congestion_window in the sender's metrics that come with a packet_lost event. */
function lossDecreases(events: QlogEvent[]): Decrease[] {
  const out: Decrease[] = [];
  let cwnd: number | undefined;
  let lostAt = -Infinity;
  for (const e of events) {
    if (e.name === 'recovery:packet_lost') lostAt = e.time;
    if (e.name !== 'recovery:metrics_updated' || typeof e.data.congestion_window !== 'number') continue;
    const next = e.data.congestion_window;
    // A decrease logged in the same millisecond as a loss was caused by it.
    if (cwnd !== undefined && next < cwnd && e.time === lostAt) {
      out.push({ time: e.time, before: cwnd, after: next, ssthresh: typeof e.data.ssthresh === 'number' ? e.data.ssthresh : undefined });
    }
    cwnd = next;
  }
  return out;
}

/** What the lab's reference does to a window of `bytes` on a loss, in bytes. */
function referenceDecrease(kind: 'cubic' | 'reno', bytes: number): number {
  const clock = new VirtualClock();
  const opts = { clock, rttMs: 10, initialCwnd: bytes / MSS };
  const cc = kind === 'cubic' ? new Cubic(opts) : new Reno(opts);
  cc.onLoss();
  return cc.cwnd * MSS;
}

for (const kind of ['cubic', 'reno'] as const) {
  describeWithPeers(`ngtcp2 --cc=${kind}: a loss multiplies the window by the reference's β`, ['openssl', NGTCP2_SERVER, NGTCP2_CLIENT], () => {
    let work: QuicWorkdir;
    let client: { code: number; output: string };
    let serverLog = '';
    let decreases: Decrease[] = [];
    let qlogSummary = '';

    beforeAll(async () => {
      work = await makeWorkdir({ 'big.bin': new Uint8Array(4 * 1024 * 1024) });
      const server = await startServer(work, { args: [`--cc=${kind}`, '-t', '0.01', '--qlog-dir', work.serverQlogDir] });
      try {
        client = await runClient(server.port, ['/big.bin'], [`--cc=${kind}`], 30_000);
      } finally {
        await server.stop();
        serverLog = server.log();
      }
      const qlogs = await readQlogs(work.serverQlogDir);
      qlogSummary = qlogs.map((q) => `${q.file}: ${q.vantage}, ${q.events.length} events, ${q.skipped} unreadable`).join('\n');
      decreases = qlogs.filter((q) => q.vantage === 'server').flatMap((q) => lossDecreases(q.events));
    });

    afterAll(async () => {
      await work?.remove();
    });

    it('the transfer completed, with losses and window decreases in the server qlog', () => {
      expect(client.code, `gtlsclient:\n${client.output}\ngtlsserver:\n${serverLog}`).toBe(0);
      expect(decreases.length, `qlogs:\n${qlogSummary}`).toBeGreaterThan(2);
    });

    // ngtcp2 logs the window when it sends and after it processes an ACK frame. An ACK frame
    // that reveals a loss usually also acknowledges other packets first, and those grow the
    // window before the reduction: the logged ratio is then a little above β. A decrease whose
    // ACK grew nothing shows β itself, so the smallest ratio is the one to compare.
    it(`the closest-to-pure decrease is exactly what the reference computes (β = ${kind === 'cubic' ? '0.7' : '0.5'})`, () => {
      const purest = [...decreases].sort((a, b) => a.after / a.before - b.after / b.before)[0]!;
      const want = referenceDecrease(kind, purest.before);
      // ngtcp2 counts bytes in integers and floors: allow half a percent.
      expect(purest.after / want, `${purest.before} → ${purest.after} at ${purest.time} ms; reference ${want.toFixed(1)}`).toBeGreaterThan(0.995);
      expect(purest.after / want, `${purest.before} → ${purest.after} at ${purest.time} ms; reference ${want.toFixed(1)}`).toBeLessThan(1.005);
    });

    it('no decrease goes deeper than β, and ssthresh follows the window down', () => {
      const beta = kind === 'cubic' ? 0.7 : 0.5;
      const ratios = decreases.map((d) => d.after / d.before);
      const shown = ratios.map((r) => r.toFixed(3)).join(' ');
      for (const d of decreases) {
        expect(d.ssthresh, `ssthresh at ${d.time} ms`).toBe(d.after);
        // Deeper than β only when ngtcp2 clamps to its minimum window (2 datagrams).
        if (d.after <= 2 * MSS) continue;
        expect(d.after / d.before, `ratios ${shown}`).toBeGreaterThan(beta - 0.002);
      }
    });
  });
}
