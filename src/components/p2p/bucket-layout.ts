/**
 * Layout of a k-bucket map: every id of a small id space in a row, in numeric order, each
 * coloured by the bucket it falls in as seen from one node, with the node's own id marked, its
 * XOR distance under each id, and a bracket under each bucket's ids. It shows what a table of
 * buckets is: half of all ids in the farthest bucket, a quarter in the next, and so on, and every
 * bucket one contiguous run of ids, because a bucket is a shared prefix. A pure function;
 * BucketMap.astro draws it at build time.
 */

export interface BucketInput {
  /** Bits per id (2 to 6: the row must stay readable). */
  bits: number;
  /** The node whose buckets are drawn. */
  self: number;
}

export interface BucketCell {
  id: number;
  label: string;
  distance: number;
  /** null for the node itself. */
  bucket: number | null;
  x: number;
}

export interface BucketBracket {
  bucket: number;
  x1: number;
  x2: number;
  /** Two centred lines under the bracket: "bucket 2" and "d 4–7". */
  label: [string, string];
}

export interface BucketLayout {
  width: number;
  height: number;
  cellW: number;
  cells: BucketCell[];
  brackets: BucketBracket[];
  rows: { ids: number; distance: number; bracket: number; bracketLabel: number };
}

/** Bucket i holds the ids at XOR distance [2^i, 2^(i+1)) from self. */
export function bucketOf(self: number, id: number): number | null {
  const d = self ^ id;
  return d === 0 ? null : 31 - Math.clz32(d);
}

export function layoutBuckets(input: BucketInput): BucketLayout {
  const { bits, self } = input;
  if (!Number.isInteger(bits) || bits < 2 || bits > 6) throw new Error('bucket map: 2 to 6 bits');
  const n = 1 << bits;
  if (!Number.isInteger(self) || self < 0 || self >= n) throw new Error(`bucket map: self must be an id of ${bits} bits`);
  const cellW = Math.max(50, bits * 9 + 8);
  const left = 96;
  const cells: BucketCell[] = [];
  for (let id = 0; id < n; id++) {
    cells.push({ id, label: id.toString(2).padStart(bits, '0'), distance: self ^ id, bucket: bucketOf(self, id), x: left + id * cellW });
  }
  const brackets: BucketBracket[] = [];
  for (let b = bits - 1; b >= 0; b--) {
    const members = cells.filter((c) => c.bucket === b);
    // A bucket is the ids sharing self's first (bits - 1 - b) bits and differing in the next: one run.
    const x1 = Math.min(...members.map((c) => c.x));
    const x2 = Math.max(...members.map((c) => c.x)) + cellW;
    const lo = 1 << b;
    const hi = (1 << (b + 1)) - 1;
    const label: [string, string] = [`bucket ${b}`, members.length === 1 ? `d = ${lo}` : `d ${lo}–${hi}`];
    brackets.push({ bucket: b, x1, x2, label });
  }
  // Labels are centred under their brackets and may be wider than a narrow one: two that would
  // touch are a build error, never a drawing with text over text.
  const span = (br: BucketBracket): [number, number] => {
    const w = Math.max(...br.label.map((t) => t.length * 7)) + 6;
    const c = (br.x1 + br.x2) / 2;
    return [c - w / 2, c + w / 2];
  };
  const sorted = [...brackets].sort((a, b) => a.x1 - b.x1);
  for (let i = 1; i < sorted.length; i++) {
    if (span(sorted[i - 1]!)[1] > span(sorted[i]!)[0]) throw new Error(`bucket map: the labels of buckets ${sorted[i - 1]!.bucket} and ${sorted[i]!.bucket} overlap`);
  }
  const width = left + n * cellW + 16;
  return { width, height: 140, cellW, cells, brackets, rows: { ids: 30, distance: 66, bracket: 84, bracketLabel: 104 } };
}

export function describeBuckets(input: BucketInput): string {
  const L = layoutBuckets(input);
  const selfLabel = L.cells[input.self]!.label;
  const parts = L.brackets.map((b) => {
    const ids = L.cells.filter((c) => c.bucket === b.bucket).map((c) => c.label);
    return `bucket ${b.bucket} holds ${ids.length === 1 ? ids[0] : `${ids[0]} to ${ids[ids.length - 1]}`} (${ids.length} id${ids.length === 1 ? '' : 's'})`;
  });
  return `Seen from ${selfLabel}: ${parts.join('; ')}.`;
}
