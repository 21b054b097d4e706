import { describe, expect, it } from 'vitest';
import { checkSubset } from '../../src/cli/check/subset.ts';
import { checkDocs } from '../../src/cli/check/docs.ts';
import { compareEngines } from '../../src/grading/compare.ts';
import { buildResult, failedRun } from '../../src/grading/result.ts';
import { judgeMutant, mutantBug } from '../../src/cli/check/mutants.ts';

const opts = { taskIds: ['header', 'names'], labFiles: ['wire.ts'] };
const messages = (src: string) => checkSubset(src, 'grade.test.ts', opts).problems.map((p) => `${p.line}:${p.col} ${p.message}`);

describe('lab-test subset', () => {
  it('accepts the subset', () => {
    const src = `import { describe, it, test, expect, beforeEach, afterEach, vi } from 'vitest';
import { task, graded, withCopiedInputs } from '../../kit';
import * as submitted from './learner';
import * as reference from './reference';
import { bytes } from './wire';
const learner = withCopiedInputs(submitted);
const f = vi.fn();
task('header', () => { beforeEach(() => {}); it('a', () => expect(f).not.toHaveBeenCalled()); });
describe('names', () => { test('b', () => { expect({ a: 1 }).toEqual(expect.objectContaining({ a: 1 })); }); });`;
    expect(messages(src)).toEqual([]);
    expect(checkSubset(src, 'grade.test.ts', opts).taskBlocks).toEqual(['header', 'names']);
  });
  it('lets a test reach the learner only through withCopiedInputs', () => {
    expect(messages(`import * as learner from './learner';\ntask('header', () => { it('a', () => learner.f()); });`)).toEqual([
      expect.stringMatching(/^2:38 "learner" is the learner's module unwrapped: call it through withCopiedInputs\(learner\)/),
    ]);
    expect(messages(`import { f } from './learner';`)).toEqual([expect.stringMatching(/^1:1 import the learner's module whole and wrap it/)]);
    expect(messages(`import type { T } from './learner';\nimport * as s from './learner';\nconst l = withCopiedInputs(s);\ntype M = typeof s;`)).toEqual([]);
  });
  it('names each use outside the subset with line and column', () => {
    const src = `import { it, vi, expectTypeOf } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
task('header', () => {
  it.each([[1]])('x', () => {});
  it.only('y', () => {});
  vi.useFakeTimers();
  expect(1).toMatchSnapshot();
  expect.poll(() => 1);
});
task('nope', () => {});
it('stray', () => {});`;
    const m = messages(src);
    expect(m).toEqual([
      expect.stringMatching(/^1:18 vitest's "expectTypeOf" is not in the lab-test subset/),
      expect.stringMatching(/^2:1 import from "fast-check"/),
      expect.stringMatching(/^3:1 import from "node:fs"/),
      expect.stringMatching(/^11:6 "nope" is not a task id/),
      expect.stringMatching(/^12:1 a test outside any task/),
      expect.stringMatching(/^5:3 it.each is not in the lab-test subset/),
      expect.stringMatching(/^6:3 it.only is not in the lab-test subset/),
      expect.stringMatching(/^7:3 vi.useFakeTimers is not in the lab-test subset/),
      expect.stringMatching(/^8:13 toMatchSnapshot: snapshots/),
      expect.stringMatching(/^9:3 expect.poll is not in the lab-test subset/),
    ]);
  });
  it('sees through renamed imports', () => {
    expect(messages(`import { vi as v, it as check } from 'vitest';\ntask('header', () => { v.useFakeTimers(); check.each([[1]])('x', () => {}); });`)).toEqual([
      expect.stringMatching(/^2:24 vi.useFakeTimers is not in the lab-test subset/),
      expect.stringMatching(/^2:43 it.each is not in the lab-test subset/),
    ]);
  });
  it('rejects dynamic import and require', () => {
    expect(messages(`task('header', async () => { await import('./x'); require('y'); });`)).toEqual([
      expect.stringContaining('dynamic import()'),
      expect.stringContaining('require()'),
    ]);
  });
});

describe('instructions and hints structure', () => {
  const hints = '## header\n\n### Hint 1\nLook at the flags.\n\n## names\n\n### Hint 1\nLabels.\n';
  it('accepts numbered task headings and a hint section per task', () => {
    expect(checkDocs('# Lab\n\n## 1. Header\n\ntext\n\n## 2. Names\n', hints, ['header', 'names'])).toEqual([]);
  });
  it('reports missing or misnumbered headings and hint sections', () => {
    expect(checkDocs('## 1. Header\n', hints, ['header', 'names'])[0]).toMatch(/1 "## N. <title>" task heading\(s\) for 2/);
    expect(checkDocs('## 2. Header\n## 1. Names\n', hints, ['header', 'names'])[0]).toMatch(/numbered 1..2 in order/);
    expect(checkDocs('## 1. A\n## 2. B\n', '## header\nno hints here\n## other\n### Hint 1\n', ['header', 'names'])).toEqual([
      'hints.md: "## header" has no "### Hint" in it',
      'hints.md: no "## names" section',
      'hints.md: "## other" is not a task id in lab.yaml',
    ]);
  });
});

describe('engine comparison', () => {
  const lab = { id: 'd/x', version: 1, tasks: [{ id: 't', title: 'T', points: 3 }] };
  const cli = buildResult(lab, 'cli', [
    { path: ['t', 'a [2 pts]'], status: 'pass' },
    { path: ['t', 'b'], status: 'fail', message: 'expected 1 to be 2' },
  ]);
  it('agrees when names, statuses and scores match (messages and durations may differ)', () => {
    const worker = buildResult(lab, 'worker', [
      { path: ['t', 'a [2 pts]'], status: 'pass', duration_ms: 99 },
      { path: ['t', 'b'], status: 'fail', message: 'other wording' },
    ]);
    expect(compareEngines(cli, worker)).toEqual([]);
  });
  it('names every difference', () => {
    const worker = buildResult(lab, 'worker', [
      { path: ['t', 'a [2 pts]'], status: 'fail' },
      { path: ['t', 'c'], status: 'pass' },
    ]);
    expect(compareEngines(cli, worker)).toEqual([
      'cli vs worker: score 2/3 vs 1/3',
      'cli vs worker: "t > a" pass 2/2 vs fail 0/2',
      'cli vs worker: test "t > b" missing from worker',
      'cli vs worker: test "t > c" missing from cli',
    ]);
  });
});

describe('mutant verdicts', () => {
  const lab = { id: 'd/x', version: 1, tasks: [{ id: 't', title: 'T', points: 3 }] };
  const graded = (...statuses: ('pass' | 'fail')[]) =>
    buildResult(lab, 'cli', statuses.map((status, i) => ({ path: ['t', `test ${i}`], status })));
  it('passes a mutant killed by two tests that passes another', () => {
    expect(judgeMutant('m', 'cli', graded('fail', 'fail', 'pass'))).toEqual({ kills: 2, passes: 1, problems: [], warnings: [] });
  });
  it('fails a survivor, a mutant broken everywhere, and one that does not run; warns of a single kill', () => {
    expect(judgeMutant('m', 'cli', graded('pass', 'pass', 'pass')).problems).toEqual(['mutant m survives in the cli engine: 3/3, no test catches its bug']);
    expect(judgeMutant('m', 'cli', graded('fail', 'fail', 'fail')).problems).toEqual(['mutant m passes no test in the cli engine: a mutant broken everywhere proves nothing']);
    expect(judgeMutant('m', 'worker', failedRun(lab, 'worker', 'error', 'learner.ts:1:1: Unexpected token')).problems).toEqual([
      'mutant m does not run in the worker engine (error): learner.ts:1:1: Unexpected token',
    ]);
    const single = judgeMutant('m', 'cli', graded('fail', 'pass', 'pass'));
    expect(single.problems).toEqual([]);
    expect(single.warnings).toEqual(['mutant m is killed by one test only in the cli engine']);
  });
  it('says what each mutant\'s bug is on its first line', () => {
    expect(mutantBug('// Bug: the carry is dropped\nexport {}')).toBe('the carry is dropped');
    expect(mutantBug('/** the carry is dropped */')).toBeNull();
    expect(mutantBug('// Bug:\n')).toBeNull();
  });
});
