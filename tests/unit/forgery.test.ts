/**
 * Grading integrity: every cheating solution of tests/fixtures/forgeries scores 0 on every
 * task, in the CLI's vitest engine and in the check's hardened Node thread, against the
 * fixture lab and a real lab; the references still score full marks under the same guards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LABS_DIR, loadLab } from '../../src/catalog/catalog-fs.ts';
import { gradeWithVitest } from '../../src/grading/engines/vitest/engine-fs.ts';
import { gradeWithHarnessLimited } from '../../src/grading/engines/node/thread-fs.ts';
import type { GradeResult } from '../../src/grading/result.ts';
import { writeForgeries } from './forgeries.ts';

const FIXTURE_LAB = join(LABS_DIR, '..', 'tests', 'fixtures', 'labs', 'demo', 'checksum');
const LABS = [FIXTURE_LAB, join(LABS_DIR, 'dns', 'message-codec')];
const scratch = mkdtempSync(join(tmpdir(), 'netlabs-forgeries-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function expectZero(r: GradeResult, label: string): void {
  const scored = r.tests.filter((t) => t.score > 0).map((t) => `${t.task_id} > ${t.name}`);
  expect(scored, `${label}: tests that scored`).toEqual([]);
  expect(r.score, `${label}: ${r.status} ${r.message ?? ''}`).toBe(0);
  expect(r.status, label).not.toBe('pass');
}

describe.each(LABS)('forgeries against %s', (labDir) => {
  const lab = loadLab(labDir);
  const forgeries = writeForgeries(labDir, join(scratch, lab.meta.id));

  it('the reference keeps full marks under the guards, in both engines', async () => {
    const [cli, thread] = await Promise.all([
      gradeWithVitest(lab, join(labDir, 'reference.ts')),
      gradeWithHarnessLimited(labDir, join(labDir, 'reference.ts')),
    ]);
    expect(cli.result.score).toBe(cli.result.max_score);
    expect(thread.score).toBe(thread.max_score);
  });

  it.each([...forgeries])('%s scores 0 in the CLI engine and the hardened harness', { timeout: 60_000 }, async (name, path) => {
    const [cli, thread] = await Promise.all([gradeWithVitest(lab, path), gradeWithHarnessLimited(labDir, path) /* a fresh thread each: no forgery's realm is reused */]);
    expectZero(cli.result, `${name} (cli)`);
    expectZero(thread, `${name} (harness)`);
  });
});
