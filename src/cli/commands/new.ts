/** Scaffolds a lab that passes the schema and the check: a place to start writing, not a lab. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { LABS_DIR, PROJECT_ROOT } from '../../catalog/catalog-fs.ts';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function scaffold(id: string, root = LABS_DIR): number {
  const [chapter, slug, ...rest] = id.split('/');
  if (!chapter || !slug || rest.length || !SLUG.test(chapter) || !SLUG.test(slug) || chapter === 'kit') {
    console.error(`"${id}": give <chapter>/<slug>, lowercase words joined by hyphens (e.g. dns/zone-walk)`);
    return 2;
  }
  const dir = join(root, chapter, slug);
  if (existsSync(dir)) {
    console.error(`${relative(PROJECT_ROOT, dir)} already exists`);
    return 1;
  }
  mkdirSync(dir, { recursive: true });
  const title = slug.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
  const files: Record<string, string> = {
    'lab.yaml': `id: ${id}
version: 1
title: ${title}
chapter: ${chapter}
summary: One line that tells a learner what they will build.
difficulty: core
minutes: 45
runtime: worker
time_limit_ms: 10000
tasks:
  - id: checksum
    title: Compute the checksum
    points: 3
`,
    'instructions.md': `# ${title}

Tell the story: what the learner builds and why it matters on a real network.

## 1. Compute the checksum

Implement \`checksum(bytes)\`: the 16-bit ones' complement of the ones' complement sum of the
data taken as big-endian 16-bit words (RFC 1071), an odd last byte padded with a zero byte.
`,
    'hints.md': `## checksum

### Hint 1
Add the words in a number wider than 16 bits, then fold the carries back in.

### Hint 2
Folding: \`sum = (sum & 0xffff) + (sum >>> 16)\`, repeated until no carry is left.
`,
    'starter.ts': `/** RFC 1071 Internet checksum of \`bytes\`. */
export function checksum(bytes: Uint8Array): number {
  throw new Error('TODO: checksum');
}
`,
    'reference.ts': `/** RFC 1071 Internet checksum of \`bytes\`. */
export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
`,
    'mutants/01-odd-byte-as-low-byte.ts': `// Bug: an odd last byte is added as the low byte of its word; RFC 1071 pads it with a zero byte after it.
/** RFC 1071 Internet checksum of \`bytes\`. */
export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += i + 1 < bytes.length ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
`,
    'grade.test.ts': `import { expect } from 'vitest';
import { task, vectors, graded, forAll, fc, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';

// The learner gets copies of every input, so rewriting one cannot move the reference's answer.
const learner = withCopiedInputs(submitted);

task('checksum', () => {
  vectors(
    [
      // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2, so the checksum is 220d.
      { name: 'RFC 1071 example', bytes: [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7], want: 0x220d },
      { name: 'odd length pads with zero', bytes: [0x01], want: 0xfeff },
    ],
    (row) => expect(learner.checksum(Uint8Array.from(row.bytes))).toBe(row.want),
  );
  graded('agrees with the reference on generated data', 1, () => {
    forAll(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect(learner.checksum(bytes)).toBe(reference.checksum(bytes));
    });
  });
});
`,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const rel = relative(PROJECT_ROOT, dir);
  console.log(`Created ${rel}/ with ${Object.keys(files).join(', ')}.
Next: edit the files, then run  npm run lab -- check ${id}`);
  return 0;
}
