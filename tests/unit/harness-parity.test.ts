/**
 * The harness against real vitest (the CLI engine) on a lab full of edge cases: deferred
 * describe bodies, nested describes, hook order, a failing beforeEach, spies, async tests,
 * timeouts (async and synchronous), expect.assertions, skips, vectors and generated inputs.
 * They must agree as the lab check requires: task ids, test names, order, statuses, scores.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareEngines } from '../../src/grading/compare.ts';
import { gradeWithVitest } from '../../src/grading/engines/vitest/engine-fs.ts';
import { loadLab, PROJECT_ROOT } from '../../src/catalog/catalog-fs.ts';
import { gradeWithHarness } from '../../src/grading/engines/node/harness-fs.ts';

const labYaml = `id: parity/edge-cases
version: 1
title: Edge cases
chapter: parity
summary: Everything the harness must do exactly as vitest does.
difficulty: intro
minutes: 5
runtime: worker
time_limit_ms: 5000
test_time_limit_ms: 1000
tasks:
  - { id: order, title: Collection order, points: 5 }
  - { id: hooks, title: Hooks and spies, points: 4 }
  - { id: timing, title: Async and timeouts, points: 5 }
  - { id: generated, title: Vectors and generated inputs, points: 3 }
`;

const gradeTest = `import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { task, graded, vectors, forAll, fc, outcome } from '../../kit';
import * as learner from './learner';
import * as reference from './reference';

let n = 1;
task('order', () => {
  it(\`is named after the code around it ran: n = \${n}\`, () => {});
  describe('nested', () => {
    it('inner', () => { expect(learner.sum(1, 2)).toBe(reference.sum(1, 2)); });
    describe('deeper', () => {
      graded('deepest', 2, () => { expect(learner.sum(2, 2)).toBe(4); });
    });
  });
  it('after nested', () => {});
});
n = 2;

task('hooks', () => {
  const log: string[] = [];
  beforeEach(() => { log.push('before'); return () => { log.push('cleanup'); }; });
  afterEach(() => { log.push('after'); });
  it('first', () => { log.push('body'); });
  it('sees the order', () => { expect(log).toEqual(['before', 'body', 'after', 'cleanup', 'before']); });
  describe('broken setup', () => {
    beforeEach(() => { throw new Error('setup failed'); });
    it('fails without running', () => {});
  });
  it('spies', () => { const f = vi.fn(); learner.callTwice(f); expect(f).toHaveBeenCalledTimes(2); });
});

task('timing', () => {
  it('async resolves', async () => { expect(await learner.later(3)).toBe(3); });
  it('never settles', () => new Promise(() => {}));
  it('runs synchronously past the limit', () => { const end = Date.now() + 1100; while (Date.now() < end) {} });
  it('counts assertions', () => { expect.assertions(2); expect(learner.sum(0, 0)).toBe(0); });
  it.skip('is skipped', () => {});
});

task('generated', () => {
  vectors([{ name: 'zero', a: 0 }, { name: 'one', a: 1 }], (row) => { expect(learner.sum(row.a, row.a)).toBe(2 * row.a); });
  it('agrees on generated input', () => {
    forAll(fc.integer(), (a) => { expect(outcome(() => learner.sum(a, 1))).toEqual(outcome(() => reference.sum(a, 1))); });
  });
});
`;

const reference = `export function sum(a: number, b: number): number { return a + b; }
export function callTwice(f: () => void): void { f(); f(); }
export async function later<T>(x: T): Promise<T> { return x; }
`;

const buggy = `export function sum(a: number, b: number): number { return a > 10 ? a : a + b; }
export function callTwice(f: () => void): void { f(); }
export async function later<T>(x: T): Promise<T> { throw new RangeError('not yet'); }
`;

let root = '';
let labDir = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'netlabs-parity-'));
  // Packages (vitest, fast-check) resolve from the project, as they do for a lab in the repo.
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  cpSync(join(PROJECT_ROOT, 'labs/kit'), join(root, 'labs/kit'), { recursive: true });
  labDir = join(root, 'labs/parity/edge-cases');
  mkdirSync(labDir, { recursive: true });
  const files: Record<string, string> = {
    'lab.yaml': labYaml,
    'instructions.md': '# Edge cases\n',
    'hints.md': '',
    'grade.test.ts': gradeTest,
    'reference.ts': reference,
    'starter.ts': buggy,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(labDir, name), text);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('harness and vitest agree', () => {
  for (const learner of ['reference.ts', 'starter.ts']) {
    it(`on ${learner}`, async () => {
      const lab = loadLab(labDir);
      const cli = (await gradeWithVitest(lab, join(labDir, learner))).result;
      const worker = await gradeWithHarness(labDir, join(labDir, learner));
      expect(cli.tests.length).toBe(16);
      expect(compareEngines(cli, worker)).toEqual([]);
      // Messages are vitest's own in both engines (the harness also names the error's type).
      const firstLines = (r: typeof cli) => r.tests.map((t) => t.message?.split('\n')[0]?.replace(/^(?:[A-Z]\w*)?Error: /, '') ?? null);
      expect(firstLines(worker)).toEqual(firstLines(cli));
    }, 60_000);
  }
});
