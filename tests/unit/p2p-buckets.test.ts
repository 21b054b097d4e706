import { describe, expect, it } from 'vitest';
import { bucketOf, describeBuckets, layoutBuckets } from '../../src/components/p2p/bucket-layout';

describe('bucket map', () => {
  it('puts each id in the bucket of its XOR distance: [2^i, 2^(i+1)) is bucket i', () => {
    // The chapter's worked table, seen from 0110.
    expect([0b0111, 0b0100, 0b0101, 0b0011, 0b1110, 0b1001].map((id) => bucketOf(0b0110, id))).toEqual([0, 1, 1, 2, 3, 3]);
    expect(bucketOf(0b0110, 0b0110)).toBeNull();
  });

  it('has half the ids in the farthest bucket, a quarter in the next, and each bucket one contiguous run', () => {
    const L = layoutBuckets({ bits: 4, self: 0b0110 });
    const count = (b: number) => L.cells.filter((c) => c.bucket === b).length;
    expect([3, 2, 1, 0].map(count)).toEqual([8, 4, 2, 1]);
    for (const b of L.brackets) {
      const xs = L.cells.filter((c) => c.bucket === b.bucket).map((c) => c.x);
      expect(b.x2 - b.x1).toBe(xs.length * L.cellW);
    }
    expect(L.brackets.map((b) => b.label)).toEqual([['bucket 3', 'd 8–15'], ['bucket 2', 'd 4–7'], ['bucket 1', 'd 2–3'], ['bucket 0', 'd = 1']]);
  });

  it('describes the buckets in words', () => {
    expect(describeBuckets({ bits: 4, self: 0b0110 })).toBe(
      'Seen from 0110: bucket 3 holds 1000 to 1111 (8 ids); bucket 2 holds 0000 to 0011 (4 ids); bucket 1 holds 0100 to 0101 (2 ids); bucket 0 holds 0111 (1 id).',
    );
  });

  it('refuses an id space too large to draw, or a self outside it', () => {
    expect(() => layoutBuckets({ bits: 7, self: 0 })).toThrow(/2 to 6 bits/);
    expect(() => layoutBuckets({ bits: 4, self: 16 })).toThrow(/self/);
  });
});
