/**
 * The kit's memo of the reference's answers (labs/kit/memo.ts, answers.ts): a host keeps it
 * between runs of one lab, so the reference is not run again on the same inputs; a changed
 * reference, test file or lab version starts afresh; learner files cannot reach it; and an
 * answer comes back frozen, so a test that edits one fails at once rather than on a later run.
 */
import { describe, expect, it } from 'vitest';
import type { LabInfo } from '../../src/grading/result.ts';
import { readKitSources } from '../../src/grading/engines/node/harness-fs.ts';
import { hostLab, type StrayErrorSource } from '../../src/grading/harness/host.ts';
import type { SessionEnd } from '../../src/grading/supervise.ts';
import { referenceAnswer } from '../../labs/kit/answers.ts';

const kit = readKitSources();
const quiet: StrayErrorSource = () => () => {};

// The reference counts its own calls in a global the test reads back: the number of times it
// really ran in this host, whatever the memo remembered.
const reference = `export function square(n: number): number {
  const g = globalThis as { squareCalls?: number };
  g.squareCalls = (g.squareCalls ?? 0) + 1;
  return n * n;
}
`;
const learner = 'export function square(n: number): number { return n * n; }\n';
const tests = (what = 'square') => `import { expect, it } from 'vitest';
import { task, graded, referenceAnswer } from '../../kit';
import * as learner from './learner';
import * as reference from './reference';

task('square', () => {
  graded('agrees with the reference', 1, () => {
    for (const n of [1, 2, 3, 4]) expect(learner.square(n)).toBe(referenceAnswer('${what}', n, () => reference.square(n)));
  });
});
`;

let labCount = 0;
function freshLab(): LabInfo {
  return { id: `demo/memo-${++labCount}`, version: 1, tasks: [{ id: 'square', title: 'Squares', points: 1 }] };
}

function run(lab: LabInfo, files: Record<string, string>): Promise<SessionEnd> {
  return hostLab({ lab, files: { 'grade.test.ts': tests(), 'reference.ts': reference, 'learner.ts': learner, ...files }, kit, harden: false }, quiet);
}

const calls = (): number => (globalThis as { squareCalls?: number }).squareCalls ?? 0;

describe("the reference's answers, remembered by the host", () => {
  it('are computed on the first run only; every run still grades the learner', async () => {
    const lab = freshLab();
    const before = calls();
    const first = await run(lab, {});
    expect(first).toMatchObject({ kind: 'done', tests: [{ status: 'pass' }] });
    expect(calls() - before).toBe(4);
    const second = await run(lab, {});
    expect(second).toMatchObject({ kind: 'done', tests: [{ status: 'pass' }] });
    expect(calls() - before).toBe(4);
    // A wrong learner on the third run fails against the remembered answers.
    const wrong = await run(lab, { 'learner.ts': 'export function square(n: number): number { return n + n; }\n' });
    expect(wrong).toMatchObject({ kind: 'done', tests: [{ status: 'fail' }] });
    expect(calls() - before).toBe(4);
  });

  it('start afresh when the reference, the test file or the version changes', async () => {
    const lab = freshLab();
    const before = calls();
    await run(lab, {});
    await run(lab, { 'reference.ts': `${reference}// edited\n` });
    expect(calls() - before).toBe(8);
    await run(lab, { 'grade.test.ts': tests('square (edited)') });
    expect(calls() - before).toBe(12);
    await run({ ...lab, version: 2 }, {});
    expect(calls() - before).toBe(16);
  });

  it('cannot be imported by the learner', async () => {
    const end = await run(freshLab(), { 'learner.ts': "import { remember } from '../../kit/memo';\nexport const square = (n: number) => remember('x', () => n * n);\n" });
    expect(end.kind).toBe('error');
    expect(end.message).toMatch(/kit\/memo/);
  });

  it('come back frozen', () => {
    const answer = referenceAnswer('frozen-demo', { n: 1 }, () => ({ list: [1, 2], nested: { x: 1 } }));
    expect(Object.isFrozen(answer) && Object.isFrozen(answer.list) && Object.isFrozen(answer.nested)).toBe(true);
    expect(() => { (answer.list as number[]).push(3); }).toThrow(TypeError);
    // Asked again for the same input: the same object, not computed again.
    expect(referenceAnswer('frozen-demo', { n: 1 }, () => { throw new Error('computed twice'); })).toBe(answer);
  });
});
