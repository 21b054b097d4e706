import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../labs/kit/clock.ts';
import { forAll, samples, seededRandom, fc } from '../../labs/kit/random.ts';
import { outcome, fromHex, hex } from '../../labs/kit/outcome.ts';

describe('VirtualClock', () => {
  it('fires timers in time order, ties in the order they were set', () => {
    const c = new VirtualClock();
    const seen: string[] = [];
    c.setTimeout(() => seen.push('b@20'), 20);
    c.setTimeout(() => seen.push('a@10'), 10);
    c.setTimeout(() => seen.push('c@20'), 20);
    c.advance(15);
    expect(seen).toEqual(['a@10']);
    expect(c.now()).toBe(15);
    c.advance(5);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
  });
  it('runs timers set by timers and honours clearTimeout', () => {
    const c = new VirtualClock(1000);
    const seen: number[] = [];
    const id = c.setTimeout(() => seen.push(-1), 5);
    c.clearTimeout(id);
    c.setTimeout(() => { seen.push(c.now()); c.setTimeout(() => seen.push(c.now()), 10); }, 10);
    c.advance(100);
    expect(seen).toEqual([1010, 1020]);
    expect(c.pending).toBe(0);
  });
  it('lets awaited sleeps resume in virtual time', async () => {
    const c = new VirtualClock();
    const log: number[] = [];
    const task = (async () => { await c.sleep(100); log.push(c.now()); await c.sleep(50); log.push(c.now()); })();
    await c.advanceAsync(200);
    await task;
    expect(log).toEqual([100, 150]);
  });
  it('stops an endless retry loop with a clear error', async () => {
    const c = new VirtualClock();
    const again = () => { c.setTimeout(again, 1); };
    again();
    await expect(c.runAllAsync(50)).rejects.toThrow(/more than 50 timers/);
  });
});

describe('seeded generators', () => {
  it('give the same samples on every run', () => {
    expect(samples(fc.integer(), 5)).toEqual(samples(fc.integer(), 5));
    const a = seededRandom(7), b = seededRandom(7);
    expect([a(), a()]).toEqual([b(), b()]);
  });
  it('forAll names the shrunk failing input', () => {
    expect(() => forAll(fc.integer({ min: 0, max: 1000 }), (n) => { if (n >= 10) throw new Error('too big'); }))
      .toThrow(/on generated input 10:\ntoo big/);
  });
});

describe('outcome', () => {
  it('captures values and typed errors alike', () => {
    class DnsFormatError extends Error { override name = 'DnsFormatError'; code = 'truncated'; }
    expect(outcome(() => 1)).toEqual({ ok: true, value: 1 });
    expect(outcome(() => { throw new DnsFormatError('x'); })).toEqual({ ok: false, error: 'DnsFormatError', code: 'truncated' });
    expect(outcome(() => { throw new Error('TODO'); })).toEqual({ ok: false, error: 'Error' });
  });
  it('hex and fromHex are inverse', () => {
    expect(hex(fromHex('00 01 ab\nff'))).toBe('00 01 ab ff');
    expect(() => fromHex('0g')).toThrow(/not hex/);
  });
});
