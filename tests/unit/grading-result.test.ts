import { describe, expect, it } from 'vitest';
import { buildResult, cleanMessage, failedRun, type LabInfo } from '../../src/grading/result.ts';
import { formatReport } from '../../src/grading/report.ts';
import { parsePoints, titleWithPoints } from '../../labs/kit/points.ts';

const lab: LabInfo = {
  id: 'demo/x',
  version: 2,
  tasks: [
    { id: 'a', title: 'Task A', points: 3 },
    { id: 'b', title: 'Task B', points: 1 },
  ],
};

describe('points in test titles', () => {
  it('round-trips points through the title', () => {
    expect(parsePoints(titleWithPoints('decodes names', 3))).toEqual({ name: 'decodes names', points: 3 });
    expect(titleWithPoints('x', 1)).toBe('x [1 pt]');
  });
  it('defaults to 1 point and leaves other brackets alone', () => {
    expect(parsePoints('parses [weird] titles')).toEqual({ name: 'parses [weird] titles', points: 1 });
  });
  it('rejects fractional or negative points', () => {
    expect(() => titleWithPoints('x', 1.5)).toThrow(/whole number/);
    expect(() => titleWithPoints('x', -1)).toThrow(/whole number/);
  });
});

describe('buildResult', () => {
  it('scores tests by their points and sums tasks', () => {
    const r = buildResult(lab, 'cli', [
      { path: ['a', 'first [2 pts]'], status: 'pass', duration_ms: 1.234 },
      { path: ['a', 'inner', 'second'], status: 'fail', message: 'expected 1 to be 2' },
      { path: ['b', 'third'], status: 'pass' },
    ]);
    expect(r.tests.map((t) => [t.task_id, t.name, t.score, t.max_score])).toEqual([
      ['a', 'first', 2, 2],
      ['a', 'inner > second', 0, 1],
      ['b', 'third', 1, 1],
    ]);
    expect(r.tasks).toEqual([
      { id: 'a', title: 'Task A', score: 2, max_score: 3 },
      { id: 'b', title: 'Task B', score: 1, max_score: 1 },
    ]);
    expect([r.score, r.max_score, r.status, r.schema, r.lab_version]).toEqual([3, 4, 'fail', 'netlabs/result@1', 2]);
    expect(r.tests[0]!.duration_ms).toBe(1.23);
  });
  it('passes only with every point earned', () => {
    const r = buildResult(lab, 'worker', [
      { path: ['a', 'all [3 pts]'], status: 'pass' },
      { path: ['b', 'one'], status: 'pass' },
    ]);
    expect([r.status, r.score]).toEqual(['pass', 4]);
  });
  it('gives an error when no test ran, and failedRun keeps the task list at zero', () => {
    expect(buildResult(lab, 'cli', []).status).toBe('error');
    const t = failedRun(lab, 'cli', 'timeout', 'stopped');
    expect([t.status, t.message, t.score, t.max_score]).toEqual(['timeout', 'stopped', 0, 4]);
    expect(t.tasks.map((x) => x.score)).toEqual([0, 0]);
  });
});

describe('cleanMessage', () => {
  it('strips ANSI colour codes', () => {
    expect(cleanMessage('\u001b[31mexpected\u001b[39m 1')).toBe('expected 1');
  });
  it('makes paths under a root relative and hides other absolute paths', () => {
    expect(cleanMessage('at /srv/book/labs/dns/x/learner.ts:3:4', ['/srv/book'])).toBe('at labs/dns/x/learner.ts:3:4');
    expect(cleanMessage('see /home/someone/work/sol.ts:1:2 and file:///opt/x/y.ts')).toBe('see sol.ts:1:2 and y.ts');
  });
});

describe('scores cannot be inflated', () => {
  it('gives nothing for tests outside the lab\'s tasks and caps each task at its points', () => {
    const r = buildResult(lab, 'cli', [
      { path: ['a', 'real'], status: 'fail' },
      { path: ['a', 'extra [9 pts]'], status: 'pass' },
      { path: ['not-a-task', 'bonus [5 pts]'], status: 'pass' },
      { path: ['b', 'one'], status: 'pass' },
    ]);
    expect(r.tasks.map((t) => t.score)).toEqual([3, 1]);
    expect(r.tests.find((t) => t.task_id === 'not-a-task')).toMatchObject({ score: 0, max_score: 0 });
    expect([r.score, r.max_score, r.status]).toEqual([4, 4, 'fail']);
  });
});

describe('formatReport (the terminal report of the CLI and the WebContainer shell)', () => {
  it('lists every task with its points and each failing test with its message', () => {
    const r = buildResult(lab, 'cli', [
      { path: ['a', 'first [2 pts]'], status: 'pass' },
      { path: ['a', 'second'], status: 'fail', message: 'expected 1 to be 2' },
      { path: ['b', 'third'], status: 'pass' },
    ]);
    expect(formatReport(r, 'work/x/learner.ts', 'Demo')).toBe([
      'Demo (demo/x v2) — work/x/learner.ts',
      '',
      'FAIL  1. Task A  2/3',
      '        FAIL  second  (0/1)',
      '              expected 1 to be 2',
      'PASS  2. Task B  1/1',
      '',
      'Score: 3/4 (75%) — fail',
    ].join('\n'));
  });
  it('leads with the reason when nothing ran, and trims long messages', () => {
    const t = failedRun(lab, 'webcontainer', 'timeout', 'Stopped after 20 s');
    expect(formatReport(t, 'learner.ts').split('\n').slice(0, 3)).toEqual(['demo/x v2 — learner.ts', '', 'TIMEOUT: Stopped after 20 s']);
    const long = buildResult(lab, 'cli', [{ path: ['a', 'x'], status: 'fail', message: Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') }]);
    expect(formatReport(long, 'f.ts')).toContain('… 16 more lines');
  });
});
