/**
 * The WebContainer runner against a fake container typed by @webcontainer/api itself (the
 * fake stops compiling if the API it stands in for changes): boot racing, fallback reasons,
 * mounting, the terminal, reading the result from the file, stopping a run, the shell.
 */
import type { BufferEncoding, FileSystemTree, SpawnOptions, WebContainerProcess } from '@webcontainer/api';
import { describe, expect, it } from 'vitest';
import type { GradeResult, LabInfo } from '../../src/grading/result.ts';
import { readKitSources } from '../../src/grading/engines/node/harness-fs.ts';
import { LAB_PACKAGES } from '../../src/grading/harness/packages.ts';
import { runLab } from '../../src/grading/harness/run-lab.ts';
import { sendEvents } from '../../src/grading/supervise.ts';
import { EngineUnavailableError } from '../../src/grading/engines/types.ts';
import type { RunSpec } from '../../src/grading/engines/webcontainer/harness-main.ts';
import type { Container, ContainerFs } from '../../src/grading/engines/webcontainer/container.ts';
import { createWebContainerRunner, type WebContainerRunnerOptions } from '../../src/grading/engines/webcontainer/runner.ts';
import { hostUnreachable, webcontainerHostUrl } from '../../src/grading/engines/webcontainer/boot.ts';
import { expectPartialCredit, lab as hangLab, pageFiles, stopped } from './hang-fixture.ts';
import * as net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABS_DIR } from '../../src/catalog/catalog-fs.ts';
import { liveInContainer } from '../../src/live/container.ts';

class FakeFs implements ContainerFs {
  files = new Map<string, string>();

  readFile(path: string, encoding?: null): Promise<Uint8Array>;
  readFile(path: string, encoding: BufferEncoding): Promise<string>;
  async readFile(path: string, encoding?: BufferEncoding | null): Promise<Uint8Array | string> {
    const text = this.files.get(path);
    if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return encoding ? text : new TextEncoder().encode(text);
  }

  async rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void> {
    if (!this.files.delete(path) && !options?.force) throw new Error(`ENOENT: ${path}`);
  }
}

/** What a fake process does: print, write files, exit with a code, or hang (never exit). */
type Behaviour = (args: string[], fs: FakeFs, print: (text: string) => void) => Promise<number | 'hang'>;

class FakeProcess implements WebContainerProcess {
  exit: Promise<number>;
  input: WritableStream<string>;
  output: ReadableStream<string>;
  received: string[] = [];
  killed = false;
  size: { cols: number; rows: number } | undefined;
  #settle!: (code: number) => void;
  #out!: ReadableStreamDefaultController<string>;

  constructor() {
    this.exit = new Promise((resolve) => { this.#settle = resolve; });
    this.output = new ReadableStream({ start: (c) => { this.#out = c; } });
    this.input = new WritableStream({ write: (chunk) => { this.received.push(chunk); } });
  }

  print(text: string): void { this.#out.enqueue(text); }

  end(code: number): void {
    this.#out.close();
    this.#settle(code);
  }

  kill(): void {
    this.killed = true;
    this.end(137);
  }

  resize(dimensions: { cols: number; rows: number }): void { this.size = dimensions; }
}

class FakeContainer implements Container {
  fs = new FakeFs();
  mounts: FileSystemTree[] = [];
  spawned: { command: string; args: string[]; options?: SpawnOptions; proc: FakeProcess }[] = [];
  behaviours: Record<string, Behaviour> = {};

  async mount(tree: FileSystemTree | Uint8Array | ArrayBuffer): Promise<void> {
    if (!('byteLength' in tree)) {
      this.mounts.push(tree);
      flatten(tree, '', this.fs.files);
    }
  }

  async spawn(command: string, args: string[], options?: SpawnOptions): Promise<WebContainerProcess> {
    const proc = new FakeProcess();
    this.spawned.push({ command, args, options, proc });
    const behaviour = this.behaviours[command] ?? (async () => 0);
    void behaviour(args, this.fs, (t) => proc.print(t)).then((code) => { if (code !== 'hang') proc.end(code); });
    return proc;
  }

  teardown(): void {}
}

function flatten(tree: FileSystemTree, prefix: string, into: Map<string, string>): void {
  for (const [name, node] of Object.entries(tree)) {
    if ('directory' in node) flatten(node.directory, `${prefix}${name}/`, into);
    else if ('file' in node && 'contents' in node.file) into.set(`${prefix}${name}`, String(node.file.contents));
  }
}

const lab: LabInfo = { id: 'demo/sum', version: 1, tasks: [{ id: 'sum', title: 'Add', points: 1 }] };
const files = {
  'grade.test.ts': "import { it, expect } from 'vitest';\nimport { task } from '../../kit';\nimport { sum } from './learner';\ntask('sum', () => { it('adds', () => { expect(sum(1, 2)).toBe(3); }); });\n",
  'reference.ts': 'export const sum = (a: number, b: number) => a + b;\n',
  'learner.ts': 'export const sum = (a: number, b: number) => a + b;\n',
};

/**
 * A stand-in for `node harness.mjs <lab dir> <result file>` that runs the real harness on the
 * mounted files; `stuck`: a test that does not finish is never given up on, as when it blocks.
 */
const harness = (stuck: boolean): Behaviour => async ([, labDir, resultFile], fs, print) => {
  const spec = JSON.parse(fs.files.get(`${labDir}/run.json`)!) as RunSpec;
  if (stuck) spec.testTimeoutMs = 1e9;
  const labFiles = Object.fromEntries([...fs.files].filter(([p]) => p.startsWith(`${labDir}/`) && p.endsWith('.ts')).map(([p, t]) => [p.slice(labDir!.length + 1), t]));
  const progress = (line: object): void => {
    fs.files.set(`${resultFile}.progress`, `${fs.files.get(`${resultFile}.progress`) ?? ''}${JSON.stringify(line)}\n`);
  };
  const end = await runLab({
    lab: spec.lab, files: labFiles, kit: readKitSources(), packages: LAB_PACKAGES, testTimeoutMs: spec.testTimeoutMs, skip: new Set(spec.skip),
    events: sendEvents(progress),
  });
  print('log from learner code\n');
  print(JSON.stringify({ kind: 'done', tests: [] })); // a forged result on stdout is never read
  fs.files.set(resultFile!, JSON.stringify(end));
  return 0;
};
const realHarness = harness(false);

function setup(extra: Partial<WebContainerRunnerOptions> = {}, container = new FakeContainer()) {
  const out: string[] = [];
  let boots = 0;
  const runner = createWebContainerRunner({
    boot: async () => { boots++; return container; },
    bootTimeoutMs: 50,
    terminal: { write: (d) => out.push(d) },
    harnessScript: async () => '// bundled harness',
    liveScript: async () => '// bundled live run',
    environmentProblem: () => undefined,
    startupAllowanceMs: 0,
    ...extra,
  });
  return { runner, container, out, boots: () => boots };
}

describe('booting', () => {
  it('falls back at once when the boot is known to fail, not after the timeout', async () => {
    const t0 = performance.now();
    const { runner } = setup({ boot: () => new Promise<Container>(() => {}), bootTimeoutMs: 60_000, unreachable: () => Promise.resolve('StackBlitz unreachable') });
    expect(await runner.ready()).toEqual({ ok: false, reason: 'StackBlitz unreachable' });
    expect(performance.now() - t0).toBeLessThan(30_000); // far from the 60 s timeout (no time is asserted finely)
  });

  it('a probe that never answers leaves the decision to the boot', async () => {
    const { runner } = setup({ unreachable: () => new Promise<string>(() => {}) });
    expect(await runner.ready()).toEqual({ ok: true });
  });

  it('probes the iframe host: offline, a network error, or an answer (then it never resolves)', async () => {
    const scope = (onLine: boolean, fetch: () => Promise<unknown>) => ({ navigator: { onLine }, fetch }) as unknown as typeof globalThis;
    const asked: string[] = [];
    await expect(hostUnreachable('https://example.invalid/headless', scope(false, () => { throw new Error('must not fetch offline'); }))).resolves.toBe('the browser is offline');
    await expect(hostUnreachable('https://example.invalid/headless', scope(true, (url?: unknown) => { asked.push(String(url)); return Promise.reject(new TypeError('Failed to fetch')); }))).resolves.toBe('StackBlitz unreachable');
    expect(asked).toEqual(['https://example.invalid/headless']);
    const answered = hostUnreachable('https://example.invalid/headless', scope(true, () => Promise.resolve({ type: 'opaque' })));
    const outcome = await Promise.race([answered, new Promise((r) => setTimeout(() => r('still waiting'), 50))]);
    expect(outcome).toBe('still waiting');
    expect(webcontainerHostUrl({} as typeof globalThis)).toBe('https://stackblitz.com/headless');
  });

  it('gives up on a boot that never settles, says why, and never boots again', async () => {
    let boots = 0;
    const { runner } = setup({ boot: () => { boots++; return new Promise<Container>(() => {}); } });
    expect(await runner.ready()).toEqual({ ok: false, reason: 'boot timed out: StackBlitz unreachable?' });
    await expect(runner.grade(files, lab, { timeLimitMs: 1000 })).rejects.toThrow(EngineUnavailableError);
    await expect(runner.grade(files, lab, { timeLimitMs: 1000 })).rejects.toThrow('boot timed out: StackBlitz unreachable?');
    await expect(runner.spawnShell()).rejects.toThrow(EngineUnavailableError);
    expect(await runner.ready()).toEqual({ ok: false, reason: 'boot timed out: StackBlitz unreachable?' });
    expect(boots).toBe(1);
  });

  it('does not boot at all on a page without cross-origin isolation', async () => {
    const { runner, boots } = setup({ environmentProblem: () => 'not cross-origin isolated' });
    expect(await runner.ready()).toEqual({ ok: false, reason: 'not cross-origin isolated' });
    expect(boots()).toBe(0);
  });

  it('explains a boot that throws', async () => {
    const failing = (message: string) => setup({ boot: async () => { throw new Error(message); } }).runner.ready();
    expect(await failing('SharedArrayBuffer transfer requires self.crossOriginIsolated')).toEqual({ ok: false, reason: 'not cross-origin isolated' });
    expect(await failing('WebContainer is not supported in this browser')).toEqual({ ok: false, reason: 'browser not supported' });
    expect(await failing('Unable to create more instances')).toEqual({ ok: false, reason: 'boot failed: Unable to create more instances' });
  });

  it('boots once, however many runs and shells', async () => {
    const { runner, container, boots } = setup();
    container.behaviours.node = realHarness;
    await Promise.all([runner.ready(), runner.ready()]);
    await runner.grade(files, lab, { timeLimitMs: 5000 });
    await runner.spawnShell();
    expect(boots()).toBe(1);
  });
});

describe('grading', () => {
  it('mounts the files and the harness, runs node on it, shows the output, and reads the result file', async () => {
    const { runner, container, out } = setup();
    container.behaviours.node = realHarness;
    const result = await runner.grade(files, lab, { timeLimitMs: 4000 });
    expect(result).toMatchObject({ engine: 'webcontainer', status: 'pass', score: 1, max_score: 1 });

    expect(container.mounts.map((m) => Object.keys(m))).toEqual([['.netlabs'], ['lab']]);
    expect(container.fs.files.get('lab/learner.ts')).toBe(files['learner.ts']);
    expect(container.fs.files.get('.netlabs/harness.mjs')).toBe('// bundled harness');
    expect(JSON.parse(container.fs.files.get('lab/run.json')!)).toEqual({ lab, testTimeoutMs: 3000, skip: [] });

    expect(container.spawned.map((s) => [s.command, s.args])).toEqual([['node', ['.netlabs/harness.mjs', 'lab', '.netlabs/result-1.json']]]);
    const shown = out.join('');
    expect(shown).toContain('$ node .netlabs/harness.mjs lab .netlabs/result-1.json\r\n');
    expect(shown).toContain('log from learner code\r\n');
    expect(container.fs.files.has('.netlabs/result-1.json')).toBe(false); // read, then removed
  });

  it('mounts the harness once and names each result file afresh', async () => {
    const { runner, container } = setup();
    container.behaviours.node = realHarness;
    await runner.grade(files, lab, { timeLimitMs: 4000 });
    const second = await runner.grade({ ...files, 'learner.ts': 'export const sum = (a: number, b: number) => a - b;\n' }, lab, { timeLimitMs: 4000 });
    expect(second).toMatchObject({ status: 'fail', score: 0 });
    expect(container.mounts.map((m) => Object.keys(m))).toEqual([['.netlabs'], ['lab'], ['lab']]);
    expect(container.spawned[1]!.args[2]).toBe('.netlabs/result-2.json');
  });

  it('reports a harness that exits without a result as an error', async () => {
    const { runner, container } = setup();
    container.behaviours.node = async (_args, _fs, print) => { print('Segmentation fault\n'); return 139; };
    const result = await runner.grade(files, lab, { timeLimitMs: 4000 });
    expect(result).toMatchObject({ status: 'error', message: 'The grader exited with code 139 without writing a result.' });
  });

  it('stops a run at the time limit and reports a timeout', async () => {
    const { runner, container, out } = setup();
    container.behaviours.node = async () => 'hang';
    const result: GradeResult = await runner.grade(files, lab, { timeLimitMs: 100 });
    expect(result.status).toBe('timeout');
    // Nothing started within the lab's limit (plus node's start-up): loading never finished.
    expect(result.message).toBe('Stopped after 0.1 s: loading your file and the tests did not finish (an endless loop at the top level of your file?).');
    expect(container.spawned[0]!.proc.killed).toBe(true);
    expect(out.join('')).toContain('Stopped: the time limit ran out.');
  });
});

describe('grading through a hang', () => {
  it('kills node when a test of the second task blocks, and a new node grades the third', async () => {
    const { runner, container } = setup();
    container.behaviours.node = harness(true);
    const r = await runner.grade(pageFiles('never-settles'), hangLab.meta, { timeLimitMs: hangLab.meta.time_limit_ms, testTimeLimitMs: hangLab.meta.test_time_limit_ms });
    expectPartialCredit(r, stopped());
    expect(container.spawned.map((s) => s.proc.killed)).toEqual([true, false]);
    const second = JSON.parse(container.fs.files.get('lab/run.json')!) as RunSpec;
    expect(second.skip).toHaveLength(5);
  });
});

describe('shell', () => {
  it('spawns jsh with the terminal size, shows its output and forwards keystrokes', async () => {
    const { runner, container, out } = setup();
    container.behaviours.jsh = async (_args, _fs, print) => { print('~/project \u276f '); return 'hang'; };
    const shell = await runner.spawnShell({ cols: 100, rows: 30 });
    shell.write('ls\r');
    shell.resize(120, 40);
    await new Promise((r) => setTimeout(r, 10));
    const { command, args, options, proc } = container.spawned[0]!;
    expect([command, args, options]).toEqual(['jsh', [], { terminal: { cols: 100, rows: 30 } }]);
    expect(out.join('')).toContain('~/project \u276f ');
    expect(proc.received).toEqual(['ls\r']);
    expect(proc.size).toEqual({ cols: 120, rows: 40 });
    runner.dispose();
    expect(proc.killed).toBe(true);
  });
});

/**
 * A stand-in for `node live.mjs <lab dir> <lab id>` that does what the bundled script does:
 * the real live run on the mounted files, with Node's real `net` (as the container has).
 */
const liveScript: Behaviour = async ([, labDir, labId], fs, print) => {
  const labFiles = Object.fromEntries([...fs.files].filter(([p]) => p.startsWith(`${labDir}/`) && p.endsWith('.ts')).map(([p, t]) => [p.slice(labDir!.length + 1), t]));
  const outcome = await liveInContainer({ labId: labId!, files: labFiles, net, print: (line) => print(`${line}\n`) });
  return outcome.ok ? 0 : 1;
};

describe('live run (WebContainer, through the fake)', () => {
  const HS = join(LABS_DIR, 'rtmp', 'handshake');
  const read = (name: string) => readFileSync(join(HS, name), 'utf8');
  const labFiles = (learner: string) => ({ 'learner.ts': learner, 'reference.ts': read('reference.ts'), 'types.ts': read('types.ts'), 'captures.ts': read('captures.ts'), 'grade.test.ts': read('grade.test.ts') });

  it("mounts the live script and the lab's files, runs node on them, and shows the exchange in the terminal", async () => {
    const { runner, container, out } = setup();
    container.behaviours.node = liveScript;
    const code = await runner.live(labFiles(read('reference.ts')), 'rtmp/handshake');
    expect(code).toBe(0);
    const { command, args } = container.spawned[0]!;
    expect([command, args]).toEqual(['node', ['.netlabs/live.mjs', 'live', 'rtmp/handshake']]);
    expect(container.fs.files.get('.netlabs/live.mjs')).toBe('// bundled live run');
    expect([...container.fs.files.keys()].filter((k) => k.startsWith('live/')).sort()).toEqual(['live/captures.ts', 'live/grade.test.ts', 'live/learner.ts', 'live/reference.ts', 'live/types.ts']);
    const text = out.join('');
    expect(text).toContain('$ node .netlabs/live.mjs live rtmp/handshake\r\n');
    expect(text).toMatch(/Your client against the lab's reference server on 127\.0\.0\.1:\d+\r\n/);
    expect(text).toContain("C2 echoes S1's time and random bytes: yes\r\n");
    expect(text).toContain('Live run: the server accepted connect: NetConnection.Connect.Success.');
  });

  it("tells a starter's learner what went wrong, with node's exit code 1", async () => {
    const { runner, container, out } = setup();
    container.behaviours.node = liveScript;
    expect(await runner.live(labFiles(read('starter.ts')), 'rtmp/handshake')).toBe(1);
    expect(out.join('')).toMatch(/Live run failed: createClient\(\) threw: /);
  });
});
