/**
 * The in-page harness on small inline labs: what vitest would report, from sources only.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { GradeResult, LabInfo } from '../../src/grading/result.ts';
import { readKitSources } from '../../src/grading/engines/node/harness-fs.ts';
import { LAB_PACKAGES } from '../../src/grading/harness/packages.ts';
import { withStrayErrors } from '../../src/grading/harness/errors.ts';
import { runLab } from '../../src/grading/harness/run-lab.ts';
import { resultOf } from '../../src/grading/supervise.ts';

const kit = readKitSources();
const ANSI = /\u001b\[/;

const sumLab: LabInfo = { id: 'demo/sum', version: 2, tasks: [{ id: 'sum', title: 'Add numbers', points: 4 }] };
const reference = 'export function sum(a: number, b: number): number {\n  return a + b;\n}\n';

async function grade(testFile: string, learner: string, opts: { lab?: LabInfo; extra?: Record<string, string>; testTimeoutMs?: number } = {}): Promise<GradeResult> {
  const lab = opts.lab ?? sumLab;
  const end = await runLab({
    lab,
    files: { 'grade.test.ts': testFile, 'reference.ts': reference, 'learner.ts': learner, ...opts.extra },
    kit,
    packages: LAB_PACKAGES,
    testTimeoutMs: opts.testTimeoutMs,
  });
  return resultOf(lab, 'worker', end);
}

const sumTests = `import { expect, it } from 'vitest';
import { task, graded } from '../../kit';
import * as learner from './learner';
import * as reference from './reference';

task('sum', () => {
  it('adds 1 and 2', () => {
    expect(learner.sum(1, 2)).toBe(3);
  });
  graded('agrees with the reference', 3, () => {
    for (const [a, b] of [[0, 0], [5, -7], [1e9, 1e9]]) expect(learner.sum(a, b)).toBe(reference.sum(a, b));
  });
});
`;

const rows = (r: GradeResult) => r.tests.map((t) => [t.task_id, t.name, t.status, t.score, t.max_score]);

describe('runLab', () => {
  it('passes a correct file with full marks, points taken from titles', async () => {
    const r = await grade(sumTests, reference);
    expect(r).toMatchObject({ schema: 'netlabs/result@1', lab: 'demo/sum', lab_version: 2, engine: 'worker', status: 'pass', score: 4, max_score: 4, message: null });
    expect(rows(r)).toEqual([
      ['sum', 'adds 1 and 2', 'pass', 1, 1],
      ['sum', 'agrees with the reference', 'pass', 3, 3],
    ]);
    expect(r.tasks).toEqual([{ id: 'sum', title: 'Add numbers', score: 4, max_score: 4 }]);
    for (const t of r.tests) expect(t.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it("fails a wrong file with vitest's own messages and diff, without ANSI", async () => {
    const r = await grade(sumTests, 'export function sum(a: number, b: number): number {\n  return a * b;\n}\n');
    expect(r.status).toBe('fail');
    expect(r.score).toBe(0);
    expect(r.tests[0]!.message).toBe('expected 2 to be 3 // Object.is equality\n\n- Expected\n+ Received\n\n- 3\n+ 2');
    expect(r.tests[1]!.message).toMatch(/^expected 0 to be 0|^expected -35 to be -2 \/\/ Object\.is equality/);
    for (const t of r.tests) expect(t.message ?? '').not.toMatch(ANSI);
  });

  it('reports deep-equality failures as vitest does', async () => {
    const lab: LabInfo = { id: 'demo/range', version: 1, tasks: [{ id: 'range', title: 'Range', points: 1 }] };
    const r = await grade(
      `import { expect, it, describe } from 'vitest';
describe('range', () => { it('finds min and max', () => { expect({ min: 1, max: 4 }).toEqual({ min: 1, max: 3 }); }); });`,
      reference,
      { lab },
    );
    const message = r.tests[0]!.message!;
    expect(message.split('\n')[0]).toBe('expected { min: 1, max: 4 } to deeply equal { min: 1, max: 3 }');
    expect(message).toContain('-   "max": 3,\n+   "max": 4,');
  });

  it('names the learner line when learner code throws inside a test', async () => {
    const r = await grade(sumTests, 'export function sum(a: number, b: number): number {\n  const o: any = undefined;\n  return o.x;\n}\n');
    expect(r.tests[0]!.message).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'x'\)\n {4}at learner\.ts:3$/);
  });

  it('shows a syntax error in the learner file as learner.ts:LINE:COL', async () => {
    const r = await grade(sumTests, 'export function sum(a: number, b: number): number {\n  return a +;\n}\n');
    expect(r).toMatchObject({ status: 'error', score: 0, max_score: 4, tests: [], message: 'learner.ts:2:13: Unexpected token' });
    const r2 = await grade(sumTests, 'export function sum(a: number b: number) {}\n');
    expect(r2.message).toBe('learner.ts:1:31: Unexpected token, expected ","');
  });

  it('shows a syntax error in the test file with its own name', async () => {
    const r = await grade("import { it } from 'vitest';\nconst x = ;\n", reference);
    expect(r).toMatchObject({ status: 'error', message: 'grade.test.ts:2:11: Unexpected token' });
  });

  it('reports an error thrown while the learner file loads', async () => {
    const r = await grade(sumTests, "export const sum = (a: number, b: number) => a + b;\nthrow new RangeError('boom');\n");
    expect(r).toMatchObject({ status: 'error', tests: [], message: 'learner.ts:2:7: RangeError: boom' });
  });

  it('gives the line and the column of the source, not of the stripped code, for an error at load', async () => {
    // Types before the failing expression shift the columns of the code that runs.
    const learner = [
      "const table: Record<string, { next: number }> = {};",
      "export const sum = (a: number, b: number): number => a + b;",
      "const depth: number = (table as Record<string, { next: number }>).missing.next;",
    ].join('\n');
    const r = await grade(sumTests, learner);
    const col = learner.split('\n')[2]!.indexOf('.next') + 2;
    expect(r).toMatchObject({ status: 'error', tests: [], message: `learner.ts:3:${col}: TypeError: Cannot read properties of undefined (reading 'next')` });
    // On line 1 the code that runs starts with the module wrapper and sucrase's header.
    const first = await grade(sumTests, "export const sum = (a: number, b: number) => a + b; const n: number = (null as unknown as { x: number }).x;\n");
    const col1 = "export const sum = (a: number, b: number) => a + b; const n: number = (null as unknown as { x: number }).x;".indexOf('.x') + 2;
    expect(first.message).toBe(`learner.ts:1:${col1}: TypeError: Cannot read properties of null (reading 'x')`);
  });

  it('refuses an import of a file the lab does not provide, with its line', async () => {
    const r = await grade(sumTests, "export { sum } from './wire';\n");
    expect(r).toMatchObject({ status: 'error', message: "learner.ts:1:1: imports \"./wire\": a solution may import only the lab's provided files (none in this lab)" });
  });

  it("resolves the lab's extra files, written with or without .js", async () => {
    const extra = { 'wire.ts': 'export const add = (a: number, b: number): number => a + b;\n' };
    const r1 = await grade(sumTests, "import { add } from './wire';\nexport const sum = add;\n", { extra });
    const r2 = await grade(sumTests, "import { add } from './wire.js';\nexport const sum = add;\n", { extra });
    expect([r1.status, r2.status]).toEqual(['pass', 'pass']);
  });

  it('gives nested describes their full path, in declaration order', async () => {
    const lab: LabInfo = { id: 'demo/tree', version: 1, tasks: [{ id: 'a', title: 'Task A', points: 4 }, { id: 'b', title: 'Task B', points: 1 }] };
    const r = await grade(
      `import { describe, it, test } from 'vitest';
describe('a', () => {
  it('first', () => {});
  describe('inner', () => {
    test('deep', () => {});
    describe('deeper', () => { it('deepest', () => {}); });
  });
  it('last', () => {});
});
describe('b', () => { it('only', () => {}); });`,
      reference,
      { lab },
    );
    expect(r.tests.map((t) => `${t.task_id}: ${t.name}`)).toEqual([
      'a: first',
      'a: inner > deep',
      'a: inner > deeper > deepest',
      'a: last',
      'b: only',
    ]);
    expect(r.status).toBe('pass');
  });

  it('runs describe bodies after the code around them, as vitest does', async () => {
    const lab: LabInfo = { id: 'demo/late', version: 1, tasks: [{ id: 'late', title: 'Late names', points: 1 }] };
    const r = await grade(
      "import { describe, it } from 'vitest';\nlet n = 1;\ndescribe('late', () => { it(`sees n = ${n}`, () => {}); });\nn = 2;\n",
      reference,
      { lab },
    );
    expect(r.tests.map((t) => t.name)).toEqual(['sees n = 2']);
  });

  it('runs hooks in vitest order: beforeEach outside-in, afterEach inside-out, cleanups last', async () => {
    const lab: LabInfo = { id: 'demo/hooks', version: 1, tasks: [{ id: 'outer', title: 'Hooks', points: 2 }] };
    const r = await grade(
      `import { describe, it, expect, beforeEach, afterEach } from 'vitest';
const log: string[] = [];
beforeEach(() => { log.push('root before'); });
describe('outer', () => {
  beforeEach(() => { log.push('outer before 1'); return () => { log.push('outer cleanup'); }; });
  beforeEach(() => { log.push('outer before 2'); });
  afterEach(() => { log.push('outer after 1'); });
  afterEach(() => { log.push('outer after 2'); });
  describe('inner', () => {
    beforeEach(() => { log.push('inner before'); });
    afterEach(() => { log.push('inner after'); });
    it('runs', () => { log.push('test'); });
  });
  it('saw the order', () => {
    expect(log).toEqual([
      'root before', 'outer before 1', 'outer before 2', 'inner before', 'test',
      'inner after', 'outer after 2', 'outer after 1', 'outer cleanup',
      'root before', 'outer before 1', 'outer before 2',
    ]);
  });
});`,
      reference,
      { lab },
    );
    expect(r.tests.map((t) => [t.name, t.status, t.message])).toEqual([
      ['inner > runs', 'pass', null],
      ['saw the order', 'pass', null],
    ]);
  });

  it('fails a test whose beforeEach throws, without running it, still running afterEach', async () => {
    const lab: LabInfo = { id: 'demo/setup', version: 1, tasks: [{ id: 'setup', title: 'Setup', points: 2 }] };
    const r = await grade(
      `import { describe, it, expect, beforeEach, afterEach } from 'vitest';
const log: string[] = [];
describe('setup', () => {
  describe('broken', () => {
    beforeEach(() => { throw new Error('no clock'); });
    afterEach(() => { log.push('after'); });
    it('never runs', () => { log.push('body'); });
  });
  it('checks', () => { expect(log).toEqual(['after']); });
});`,
      reference,
      { lab },
    );
    expect(r.tests.map((t) => [t.name, t.status, t.message])).toEqual([
      ['broken > never runs', 'fail', 'Error: no clock\n    at grade.test.ts:5'],
      ['checks', 'pass', null],
    ]);
  });

  it('supports vi.fn and its matchers', async () => {
    const lab: LabInfo = { id: 'demo/spy', version: 1, tasks: [{ id: 'spy', title: 'Spies', points: 2 }] };
    const r = await grade(
      `import { describe, it, expect, vi } from 'vitest';
describe('spy', () => {
  it('records calls', () => {
    const cb = vi.fn((x: number) => x * 2);
    [1, 2].forEach((x) => cb(x));
    expect(cb).toHaveBeenCalledTimes(2);
    expect(cb).toHaveBeenLastCalledWith(2);
    expect(cb.mock.results[0]!.value).toBe(2);
  });
  it('explains a missed call', () => {
    const cb = vi.fn();
    expect(cb).toHaveBeenCalledWith(42);
  });
});`,
      reference,
      { lab },
    );
    expect(r.tests[0]!.status).toBe('pass');
    expect(r.tests[1]!.status).toBe('fail');
    expect(r.tests[1]!.message).toMatch(/^expected "vi\.fn\(\)" to be called with arguments: \[ 42 \]/);
  });

  it('awaits async tests, and times out one that never settles', async () => {
    const lab: LabInfo = { id: 'demo/async', version: 1, tasks: [{ id: 'async', title: 'Async', points: 3 }] };
    const r = await grade(
      `import { describe, it, expect } from 'vitest';
describe('async', () => {
  it('resolves', async () => { expect(await Promise.resolve(5)).toBe(5); });
  it('rejects as expected', async () => { await expect(Promise.reject(new TypeError('bad'))).rejects.toThrow(TypeError); });
  it('hangs', () => new Promise(() => {}));
});`,
      reference,
      { lab, testTimeoutMs: 200 },
    );
    expect(r.tests.map((t) => [t.name, t.status])).toEqual([
      ['resolves', 'pass'],
      ['rejects as expected', 'pass'],
      ['hangs', 'timeout'],
    ]);
    expect(r.tests[2]!.message).toBe("Test timed out in 200ms: it never finished (a promise that never settles, or a virtual clock that never advances?).");
  });

  it('fails a synchronous test that ran past its timeout, as vitest does', async () => {
    const lab: LabInfo = { id: 'demo/slow', version: 1, tasks: [{ id: 'slow', title: 'Slow', points: 1 }] };
    const r = await grade(
      "import { describe, it } from 'vitest';\ndescribe('slow', () => { it('spins', () => { const end = Date.now() + 150; while (Date.now() < end) {} }); });",
      reference,
      { lab, testTimeoutMs: 100 },
    );
    expect(r.tests[0]).toMatchObject({ status: 'timeout', score: 0 });
  });

  it('honours a timeout given to one test', async () => {
    const lab: LabInfo = { id: 'demo/slow', version: 1, tasks: [{ id: 'slow', title: 'Slow', points: 1 }] };
    const r = await grade(
      "import { describe, it } from 'vitest';\ndescribe('slow', () => { it('waits', () => new Promise((r) => setTimeout(r, 150)), 1000); });",
      reference,
      { lab, testTimeoutMs: 100 },
    );
    expect(r.tests[0]!.status).toBe('pass');
  });

  it('checks expect.assertions after the test', async () => {
    const lab: LabInfo = { id: 'demo/count', version: 1, tasks: [{ id: 'count', title: 'Count', points: 1 }] };
    const r = await grade(
      "import { describe, it, expect } from 'vitest';\ndescribe('count', () => { it('counts', () => { expect.assertions(2); expect(1).toBe(1); }); });",
      reference,
      { lab },
    );
    expect(r.tests[0]!.message).toMatch(/^Error: expected number of assertions to be 2, but got 1/);
  });

  it("runs the kit's generated-input helpers with fast-check", async () => {
    const tests = `import { expect, it } from 'vitest';
import { task, forAll, samples, fc, outcome } from '../../kit';
import * as learner from './learner';
import * as reference from './reference';
task('sum', () => {
  it('agrees on generated pairs [4 pts]', () => {
    expect(samples(fc.integer(), 5)).toEqual(samples(fc.integer(), 5));
    forAll(fc.tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -100, max: 100 })), ([a, b]) => {
      expect(outcome(() => learner.sum(a, b))).toEqual(outcome(() => reference.sum(a, b)));
    });
  });
});`;
    expect((await grade(tests, reference)).status).toBe('pass');
    const wrong = await grade(tests, 'export function sum(a: number, b: number): number {\n  return a > 10 ? 0 : a + b;\n}\n');
    expect(wrong.tests[0]!.status).toBe('fail');
    expect(wrong.tests[0]!.message).toMatch(/^(?:Error: )?on generated input \[11,0\]:\nexpected \{ ok: true, value: \+0 \} to deeply equal \{ ok: true, value: 11 \}/);
  });

  it('supports asymmetric matchers and toThrow with a class', async () => {
    const lab: LabInfo = { id: 'demo/matchers', version: 1, tasks: [{ id: 'm', title: 'Matchers', points: 1 }] };
    const r = await grade(
      `import { describe, it, expect } from 'vitest';
class CodecError extends Error { code = 'TRUNCATED'; }
describe('m', () => { it('matches', () => {
  expect({ id: 7, name: 'x', at: new Date(0) }).toEqual({ id: expect.any(Number), name: expect.stringMatching(/x/), at: expect.anything() });
  expect([1, 2, 3]).toEqual(expect.arrayContaining([3, 1]));
  expect(() => { throw new CodecError('short'); }).toThrow(CodecError);
  expect(() => { throw new CodecError('short'); }).toThrowError(expect.objectContaining({ code: 'TRUNCATED' }));
  expect(0.1 + 0.2).toBeCloseTo(0.3);
  expect(new Uint8Array([1, 2])).toStrictEqual(new Uint8Array([1, 2]));
}); });`,
      reference,
      { lab },
    );
    expect(r.tests[0]).toMatchObject({ status: 'pass', message: null });
  });

  it('skips it.skip and it.todo, and rejects what the subset leaves out with a clear error', async () => {
    const lab: LabInfo = { id: 'demo/modes', version: 1, tasks: [{ id: 'modes', title: 'Modes', points: 1 }] };
    const r = await grade(
      "import { describe, it } from 'vitest';\ndescribe('modes', () => { it('runs', () => {}); it.skip('skipped', () => {}); it.todo('later'); });",
      reference,
      { lab },
    );
    expect(r.tests.map((t) => [t.name, t.status])).toEqual([['runs', 'pass'], ['skipped', 'skip'], ['later', 'skip']]);
    const each = await grade("import { describe, it } from 'vitest';\ndescribe('modes', () => { it.each([1])('x', () => {}); });", reference, { lab });
    expect(each).toMatchObject({ status: 'error', message: 'grade.test.ts:2:30: UnsupportedError: it.each is not supported by the in-page test harness; lab tests use: describe, it, test, expect, beforeEach, afterEach, vi.fn' });
    const timers = await grade("import { vi, describe, it } from 'vitest';\ndescribe('modes', () => { it('x', () => { vi.useFakeTimers(); }); });", reference, { lab });
    expect(timers.tests[0]!.message).toMatch(/^UnsupportedError: vi\.useFakeTimers is not supported/);
  });

  it('is an error when nothing was collected, or a lab file is missing', async () => {
    const empty = await grade("import { describe } from 'vitest';\ndescribe('sum', () => {});\n", reference);
    expect(empty.status).toBe('error');
    const missing = await runLab({ lab: sumLab, files: { 'grade.test.ts': sumTests, 'reference.ts': reference }, kit, packages: LAB_PACKAGES });
    expect(missing).toEqual({ kind: 'error', message: 'missing lab file(s): learner.ts' });
  });

  it('keeps runs apart: module state does not leak from one run to the next', async () => {
    const lab: LabInfo = { id: 'demo/state', version: 1, tasks: [{ id: 'state', title: 'State', points: 1 }] };
    const learner = 'let calls = 0;\nexport function sum(a: number, b: number): number {\n  calls++;\n  return calls === 1 ? a + b : -1;\n}\n';
    const tests = "import { describe, it, expect } from 'vitest';\nimport { sum } from './learner';\ndescribe('state', () => { it('first call', () => { expect(sum(1, 1)).toBe(2); }); });";
    expect((await grade(tests, learner, { lab })).status).toBe('pass');
    expect((await grade(tests, learner, { lab })).status).toBe('pass');
  });

  it('runs with its own copy of the matchers under plain node, as in a worker or a WebContainer', () => {
    // Under vitest the harness borrows vitest's matchers; elsewhere it installs @vitest/expect's.
    const lab: LabInfo = { id: 'demo/plain', version: 1, tasks: [{ id: 'plain', title: 'Plain', points: 3 }] };
    const testFile = `import { describe, it, expect } from 'vitest';
describe('plain', () => {
  it('deep', () => { expect({ a: [1, 2] }).toEqual({ a: [1, 3] }); });
  it('async', async () => { await expect(Promise.reject(new RangeError('late'))).rejects.toThrow(RangeError); });
  it('custom', () => { expect(3).toSatisfy((x: number) => x > 2); expect({ n: 3 }).toEqual({ n: expect.toSatisfy((x: number) => x > 2) }); });
});`;
    const script = `
      import { runLab } from ${JSON.stringify(new URL('../../src/grading/harness/run-lab.ts', import.meta.url).href)};
      import { LAB_PACKAGES } from ${JSON.stringify(new URL('../../src/grading/harness/packages.ts', import.meta.url).href)};
      const input = JSON.parse(process.argv[1]);
      const r = await runLab({ ...input, engine: 'worker', kit: {}, packages: LAB_PACKAGES });
      console.log(JSON.stringify(r.tests.map((t) => [t.status, t.message])));`;
    const input = { lab, files: { 'grade.test.ts': testFile, 'reference.ts': reference, 'learner.ts': reference } };
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(input)], { encoding: 'utf8' });
    const [deep, async, custom] = JSON.parse(out) as [string, string | null][];
    expect(deep![0]).toBe('fail');
    expect(deep![1]).toMatch(/^expected \{ a: \[ 1, 2 \] \} to deeply equal \{ a: \[ 1, 3 \] \}\n\n- Expected\n\+ Received/);
    expect(deep![1]).not.toMatch(ANSI);
    expect(async).toEqual(['pass', null]);
    expect(custom).toEqual(['pass', null]);
  });

  it('names errors raised outside any test in the run message, leaving the tests as they were', () => {
    const result = { message: null, status: 'pass' };
    expect(withStrayErrors(result, [])).toBe(result);
    expect(withStrayErrors(result, [new RangeError('late'), 'odd'])).toEqual({ status: 'pass', message: 'Errors outside any test:\nRangeError: late\n\nThrown: "odd"' });
  });
});
