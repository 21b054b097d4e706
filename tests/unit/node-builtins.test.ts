/**
 * A runtime: node lab's `builtins:` in the engines that grade such labs: the CLI's vitest and
 * the harness under Node (what a WebContainer runs). A listed built-in loads, by either
 * spelling; any other is refused with the list of what is allowed.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LABS_DIR, loadLab, PROJECT_ROOT } from '../../src/catalog/catalog-fs.ts';
import { labSchema } from '../../src/catalog/schema.ts';
import { gradeWithVitest } from '../../src/grading/engines/vitest/engine-fs.ts';
import { gradeWithHarnessLimited } from '../../src/grading/engines/node/thread-fs.ts';

const root = mkdtempSync(join(tmpdir(), 'netlabs-builtins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The fixture checksum lab, made a runtime: node lab that lets its learner use node:buffer.
const labDir = join(root, 'labs', 'demo', 'checksum');
cpSync(join(PROJECT_ROOT, 'tests/fixtures/labs/demo/checksum'), labDir, { recursive: true });
symlinkSync(join(LABS_DIR, 'kit'), join(root, 'labs', 'kit'));
const yaml = readFileSync(join(labDir, 'lab.yaml'), 'utf8').replace('runtime: worker', 'runtime: node\nbuiltins: [node:buffer]');
writeFileSync(join(labDir, 'lab.yaml'), yaml);
const reference = readFileSync(join(labDir, 'reference.ts'), 'utf8');
const write = (name: string, text: string): string => {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
};
// Uses the listed built-in for real: the module must load for the file to run.
const withBuffer = write('with-buffer.ts', `import { Buffer } from 'node:buffer';\nif (Buffer.from([1]).length !== 1) throw new Error('no Buffer');\n${reference}`);
const bareName = write('bare-name.ts', `import { Buffer } from 'buffer';\nvoid Buffer;\n${reference}`);
const unlisted = write('unlisted.ts', `import { readFileSync } from 'node:fs';\nvoid readFileSync;\n${reference}`);

describe('builtins: in lab.yaml', () => {
  const lab = loadLab(labDir);

  it('is read from lab.yaml, and only a runtime: node lab may list any', () => {
    expect(lab.meta.builtins).toEqual(['node:buffer']);
    const base = { ...lab.meta, builtins: ['node:dgram'] };
    expect(labSchema.safeParse({ ...base, runtime: 'worker' }).success).toBe(false);
    expect(labSchema.safeParse({ ...base, builtins: ['fs'] }).success).toBe(false);
  });

  it.each([
    ['node:buffer', withBuffer],
    ['buffer, without the prefix', bareName],
  ])('lets the learner import %s in the CLI and the harness', { timeout: 60_000 }, async (_what, path) => {
    const [cli, harness] = await Promise.all([gradeWithVitest(lab, path), gradeWithHarnessLimited(labDir, path)]);
    expect(cli.result.score, cli.result.message ?? '').toBe(cli.result.max_score);
    expect(harness.score, harness.message ?? '').toBe(harness.max_score);
  });

  it('refuses a built-in the lab does not list, naming what is allowed', { timeout: 60_000 }, async () => {
    const [cli, harness] = await Promise.all([gradeWithVitest(lab, unlisted), gradeWithHarnessLimited(labDir, unlisted)]);
    for (const r of [cli.result, harness]) {
      expect(r.status).toBe('error');
      expect(r.score).toBe(0);
      expect(r.message).toMatch(/imports "node:fs": a solution may import only the lab's provided files \(node:buffer\)/);
    }
  });

});
