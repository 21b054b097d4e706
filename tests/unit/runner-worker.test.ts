/**
 * The worker runner's page side against a fake Worker that runs the real harness in-process
 * (or hangs, or fails to start): warm reuse, the time limit, a fresh worker after a stop,
 * one run at a time. The real thing in Chromium: tests/e2e/worker-runner.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { LabInfo } from '../../src/grading/result.ts';
import { readKitSources } from '../../src/grading/engines/node/harness-fs.ts';
import { LAB_PACKAGES } from '../../src/grading/harness/packages.ts';
import { runLab } from '../../src/grading/harness/run-lab.ts';
import { sendEvents } from '../../src/grading/supervise.ts';
import type { GradeConnect, GradeReply, GradeRequest } from '../../src/grading/engines/worker/protocol.ts';
import { createWorkerRunner } from '../../src/grading/engines/worker/runner.ts';
import { stubsFor } from '../../src/grading/engines/worker/slim-sucrase-fs.ts';
import { expectPartialCredit, lab as hangLab, neverSettled, pageFiles, stopped } from './hang-fixture.ts';

/** stuck-tests: runs the tests, but a test that does not finish is never given up on, as when it blocks the thread. */
type Mode = 'grade' | 'hang' | 'crash' | 'stuck-tests';

class FakeWorker extends EventTarget {
  terminated = false;
  requests: GradeRequest[] = [];
  mode: Mode;

  constructor(mode: Mode) {
    super();
    this.mode = mode;
  }

  port?: MessagePort;

  /** The page's first message is the private port (protocol.ts); requests come on it after. */
  postMessage(message: GradeRequest | GradeConnect): void {
    if ('connect' in message) {
      this.port = message.connect;
      this.port.addEventListener('message', (e) => this.receive((e as MessageEvent<GradeRequest>).data));
      this.port.start();
      return;
    }
    throw new Error('a request reached the worker outside its private port');
  }

  receive(request: GradeRequest): void {
    this.requests.push(request);
    if (this.mode === 'hang') return;
    if (this.mode === 'crash') {
      const event = Object.assign(new Event('error', { cancelable: true }), { message: 'Uncaught SyntaxError: bad bundle' });
      queueMicrotask(() => this.dispatchEvent(event));
      return;
    }
    const { id, lab, files, skip } = request;
    const testTimeoutMs = this.mode === 'stuck-tests' ? 1e9 : request.testTimeoutMs;
    const post = (data: GradeReply): void => {
      if (!this.terminated) this.port!.postMessage(data);
    };
    void runLab({
      lab, files, kit: readKitSources(), packages: LAB_PACKAGES, testTimeoutMs, skip: new Set(skip),
      events: sendEvents((e) => post({ id, ...e })),
    }).then((end) => post({ id, event: 'end', end }));
  }

  terminate(): void {
    this.terminated = true;
    this.port?.close();
  }
}

function setup(modes: Mode[]) {
  const workers: FakeWorker[] = [];
  const runner = createWorkerRunner({
    createWorker: () => {
      const w = new FakeWorker(modes[workers.length] ?? 'grade');
      workers.push(w);
      return w as unknown as Worker;
    },
  });
  return { runner, workers };
}

const lab: LabInfo = { id: 'demo/sum', version: 1, tasks: [{ id: 'sum', title: 'Add', points: 1 }] };
const files = (learner: string) => ({
  'grade.test.ts': "import { it, expect } from 'vitest';\nimport { sum } from './learner';\nimport { task } from '../../kit';\ntask('sum', () => { it('adds', () => { expect(sum(1, 2)).toBe(3); }); });\n",
  'reference.ts': 'export const sum = (a: number, b: number) => a + b;\n',
  'learner.ts': learner,
});
const good = files('export const sum = (a: number, b: number) => a + b;\n');

describe('createWorkerRunner', () => {
  it('grades in one warm worker, run after run, passing the lab\'s test time limit', async () => {
    const { runner, workers } = setup([]);
    expect((await runner.grade(good, lab, { timeLimitMs: 20_000 })).status).toBe('pass');
    expect((await runner.grade(files('export const sum = () => 0;\n'), lab, { timeLimitMs: 20_000, testTimeLimitMs: 1500 })).status).toBe('fail');
    expect(workers.length).toBe(1);
    expect(workers[0]!.requests.map((r) => r.testTimeoutMs)).toEqual([3000, 1500]);
  });

  it('cancel() stops the run in flight: it rejects, and a fresh worker grades the next run', async () => {
    const { runner, workers } = setup(['hang']);
    const stuck = runner.grade(good, lab, { timeLimitMs: 60_000 });
    await Promise.resolve();
    runner.cancel?.();
    await expect(stuck).rejects.toMatchObject({ name: 'RunCancelledError' });
    expect(workers[0]!.terminated).toBe(true);
    expect((await runner.grade(good, lab, { timeLimitMs: 20_000 })).status).toBe('pass');
    expect(workers.length).toBe(2);
    runner.cancel?.(); // nothing in flight: nothing happens
    expect(workers[1]!.terminated).toBe(false);
  });

  it('warm() starts the worker before the first run', () => {
    const { runner, workers } = setup([]);
    runner.warm();
    expect(workers.length).toBe(1);
  });

  it('stops a run at the time limit, then grades in a fresh worker', async () => {
    const { runner, workers } = setup(['hang']);
    const stopped = await runner.grade(good, lab, { timeLimitMs: 100 });
    expect(stopped).toMatchObject({ status: 'timeout', engine: 'worker', score: 0, max_score: 1, tests: [] });
    expect(stopped.message).toBe('Stopped after 0.1 s: loading your file and the tests did not finish (an endless loop at the top level of your file?).');
    expect(workers[0]!.terminated).toBe(true);
    expect(workers.length).toBe(2); // started at once, to be ready for the next run
    expect((await runner.grade(good, lab, { timeLimitMs: 5000 })).status).toBe('pass');
    expect(workers.length).toBe(2);
  });

  it('reports a worker that fails to start, and replaces it', async () => {
    const { runner, workers } = setup(['crash']);
    const failed = await runner.grade(good, lab, { timeLimitMs: 5000 });
    expect(failed).toMatchObject({ status: 'error', message: 'The grader could not run: Uncaught SyntaxError: bad bundle' });
    expect((await runner.grade(good, lab, { timeLimitMs: 5000 })).status).toBe('pass');
    expect(workers.map((w) => w.terminated)).toEqual([true, false]);
  });

  it('runs one grade at a time', async () => {
    const { runner, workers } = setup([]);
    const first = runner.grade(good, lab, { timeLimitMs: 5000 });
    const second = runner.grade(good, lab, { timeLimitMs: 5000 });
    expect(workers[0]?.requests.length ?? 0).toBeLessThanOrEqual(1);
    expect([(await first).status, (await second).status]).toEqual(['pass', 'pass']);
    expect(workers[0]!.requests.map((r) => r.id)).toEqual([1, 2]);
  });

  it('dispose() terminates the worker', async () => {
    const { runner, workers } = setup([]);
    await runner.grade(good, lab, { timeLimitMs: 5000 });
    runner.dispose();
    expect(workers[0]!.terminated).toBe(true);
  });
});

describe('createWorkerRunner through a hang', () => {
  const meta = hangLab.meta;
  it('keeps the first and third tasks when a test of the second blocks its worker', async () => {
    const { runner, workers } = setup(['stuck-tests']);
    const r = await runner.grade(pageFiles('never-settles'), meta, { timeLimitMs: meta.time_limit_ms, testTimeLimitMs: meta.test_time_limit_ms });
    expectPartialCredit(r, stopped());
    expect(workers[0]!.terminated).toBe(true);
    // The fresh worker was told what was graded already, the hung task included.
    const retry = workers[1]!.requests[0]!;
    expect(retry.skip.map((k) => JSON.parse(k)[1])).toEqual(['doubles 2', 'doubles -3', 'counts down from 0', 'counts down from 3', 'counts down from 10']);
  });
  it('keeps them when the worker\'s own timeout ends a promise that never settles (no restart)', async () => {
    const { runner, workers } = setup([]);
    const r = await runner.grade(pageFiles('never-settles'), meta, { timeLimitMs: meta.time_limit_ms, testTimeLimitMs: meta.test_time_limit_ms });
    expectPartialCredit(r, neverSettled());
    expect(workers.length).toBe(1);
  });
});

describe('slimSucrase stubs', () => {
  it('keep every export of the module they replace, and throw when used', async () => {
    const source = 'export function a() {}\nexport function b(x) {}\nexport const C = 1;\nexport default class X extends Y {}\n';
    const stub = stubsFor(source, 'transformers/X.js');
    expect(stub).toContain('export function a()');
    expect(stub).toContain('export function b()');
    expect(stub).toContain('export const C = undefined;');
    const mod = (await import(`data:text/javascript,${encodeURIComponent(stub)}`)) as { a(): void; default: new () => unknown };
    expect(() => mod.a()).toThrow('sucrase: transformers/X.js is left out of the grading worker');
    expect(() => new mod.default()).toThrow('left out');
  });
});
