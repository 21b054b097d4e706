/**
 * `grade --extra-tests`: an instructor's tests graded with the lab's, their points added to
 * their tasks; and extra tests that would mark correct work down are refused before any grade.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLab } from '../../src/catalog/catalog-fs.ts';
import { gradeWithVitest } from '../../src/grading/engines/vitest/engine-fs.ts';
import { withExtraTests } from '../../src/cli/extra-tests.ts';
import { gradeClass } from '../../src/cli/commands/grade-class.ts';
import { mkdirSync, copyFileSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'netlabs-extra-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

const lab = findLab('quic/varint-packet-number');
const HEADER = `import { expect } from 'vitest';
import { task, graded, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
const learner = withCopiedInputs(submitted);
`;
// Two hidden tests in the varint task, 3 points in all: values a student has not seen in the book.
const sound = write('hidden.test.ts', `${HEADER}
task('varint', () => {
  graded('encodes 16383 in two bytes (hidden)', 2, () => {
    expect([...learner.encodeVarint(16383n)]).toEqual([0x7f, 0xff]);
  });
  graded('decodes a four-byte 2^30 - 1 (hidden)', 1, () => {
    expect(learner.decodeVarint(Uint8Array.of(0xbf, 0xff, 0xff, 0xff)).value).toBe(1073741823n);
  });
});
`);
const wrong = write('wrong.test.ts', `${HEADER}
task('varint', () => {
  graded('expects the wrong length (a mistake of the instructor)', 1, () => {
    expect(learner.encodeVarint(16383n).length).toBe(4);
  });
});
`);
const unwrapped = write('unwrapped.test.ts', `import { expect } from 'vitest';
import { task } from '../../kit';
import * as learner from './learner';
task('varint', () => { it('x', () => expect(learner.encodeVarint(1n).length).toBe(1)); });
`);

describe('grade --extra-tests', () => {
  it('adds the extra tests and their points to their task, and grades them', { timeout: 120_000 }, async () => {
    const extra = await withExtraTests(lab, sound);
    if ('error' in extra) throw new Error(extra.error);
    try {
      expect(extra.added).toEqual({ varint: 3 });
      const book = lab.meta.tasks.find((t) => t.id === 'varint')!.points;
      const reference = (await gradeWithVitest(extra.lab, join(lab.dir, 'reference.ts'))).result;
      expect(reference.tasks.find((t) => t.id === 'varint')!.max_score).toBe(book + 3);
      expect([reference.status, reference.score, reference.max_score]).toEqual(['pass', 49 + 3, 49 + 3]);
      expect(reference.tests.map((t) => t.name)).toContain('encodes 16383 in two bytes (hidden)');
      // A mutant the hidden tests catch: lengths off at the 2-byte boundary.
      const mutant = join(lab.dir, 'mutants', '01-boundary-64-takes-two-bytes.ts');
      const withHidden = (await gradeWithVitest(extra.lab, mutant)).result;
      const without = (await gradeWithVitest(lab, mutant)).result;
      expect(withHidden.max_score - without.max_score).toBe(3);
      const hidden = withHidden.tests.filter((t) => t.name.endsWith('(hidden)'));
      expect(hidden).toHaveLength(2);
    } finally {
      extra.dispose();
    }
  });

  it('grades a class with them, checking them once', { timeout: 120_000 }, async () => {
    const subs = join(dir, 'class');
    mkdirSync(subs, { recursive: true });
    copyFileSync(join(lab.dir, 'reference.ts'), join(subs, 'ada.ts'));
    const out = join(dir, 'results');
    expect(await gradeClass(lab.meta.id, { submissions: subs, out, extraTests: sound })).toBe(0);
    const ada = JSON.parse(readFileSync(join(out, 'ada.json'), 'utf8')) as { score: number; max_score: number };
    expect([ada.score, ada.max_score]).toEqual([52, 52]);
    expect(await gradeClass(lab.meta.id, { submissions: subs, out, extraTests: wrong })).toBe(2);
  });

  it('refuses extra tests the reference fails, and tests that break the lab-test rules', { timeout: 60_000 }, async () => {
    const bad = await withExtraTests(lab, wrong);
    expect('error' in bad && bad.error).toMatch(/is not sound:\n {2}the reference fails "varint > expects the wrong length/);
    const rules = await withExtraTests(lab, unwrapped);
    expect('error' in rules && rules.error).toMatch(/breaks the lab-test rules:[\s\S]*"learner" is the learner's module unwrapped/);
    expect(readFileSync(sound, 'utf8')).toMatch(/hidden/); // the instructor's file is left as it was
  });
});
