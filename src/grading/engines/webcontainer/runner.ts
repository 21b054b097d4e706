/**
 * The WebContainer engine: real Node and a shell in the page. Boots once per page (racing a
 * timeout), mounts the lab's files and the prebundled harness script, runs it with `node`
 * (nothing is installed), shows its output in the terminal and reads the result from the
 * file the harness writes. @webcontainer/api is loaded only when this engine boots.
 */
import { failedRun, type GradeResult, type LabInfo } from '../../result.ts';
import { testTimeoutFor } from '../../timeouts.ts';
import { EngineUnavailableError, seconds, type GradeOptions, type LabFiles, type LabRunner } from '../types.ts';
import { bootOncePerPage, bootWithTimeout, environmentProblem } from './boot.ts';
import type { Container, FileSystemTree, TerminalSink, WebContainerProcess } from './container.ts';
import { loadHarnessScript } from './harness-script.ts';

export const LAB_DIR = 'lab';
export const HARNESS_DIR = '.netlabs';
export const HARNESS_SCRIPT = `${HARNESS_DIR}/harness.mjs`;

export interface WebContainerRunnerOptions {
  /** Defaults to @webcontainer/api's WebContainer.boot(), once per page. */
  boot?: () => Promise<Container>;
  /** Offline, boot() never settles: give up after this long. */
  bootTimeoutMs?: number;
  terminal?: TerminalSink;
  /** The bundled harness script's text; defaults to the one this site's build emitted. */
  harnessScript?: () => Promise<string>;
  /** Why this page cannot host a WebContainer at all (checked before booting). */
  environmentProblem?: () => string | undefined;
  /** Added to the lab's time limit for node to start inside the container. */
  startupAllowanceMs?: number;
}

export type Availability = { ok: true } | { ok: false; reason: string };

export interface ShellSession {
  /** Keystrokes from the terminal to the shell. */
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(): void;
  exit: Promise<number>;
}

export interface WebContainerRunner extends LabRunner {
  /** Boots on first call; later calls give the same answer (a failed boot is never retried). */
  ready(): Promise<Availability>;
  /** A `jsh` shell in the container wired to the terminal. */
  spawnShell(size?: { cols: number; rows: number }): Promise<ShellSession>;
}

export function createWebContainerRunner(options: WebContainerRunnerOptions = {}): WebContainerRunner {
  const {
    boot = () => bootOncePerPage(),
    bootTimeoutMs = 20_000,
    terminal = { write: () => {} },
    harnessScript = loadHarnessScript,
    startupAllowanceMs = 10_000,
  } = options;
  const problem = options.environmentProblem ?? (() => environmentProblem());

  let booting: Promise<Awaited<ReturnType<typeof bootWithTimeout>>> | undefined;
  let script: Promise<string> | undefined;
  let harnessMounted = false;
  let runs = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const live = new Set<WebContainerProcess>();

  function bootState() {
    booting ??= (async () => {
      const why = problem();
      return why ? { ok: false as const, reason: why } : bootWithTimeout(boot, bootTimeoutMs);
    })();
    return booting;
  }

  async function container(): Promise<Container> {
    const state = await bootState();
    if (!state.ok) throw new EngineUnavailableError(state.reason);
    return state.container;
  }

  async function runOnce(files: LabFiles, lab: LabInfo, { timeLimitMs }: GradeOptions): Promise<GradeResult> {
    const wc = await container();
    script ??= harnessScript();
    const scriptText = await script.catch((e: unknown) => {
      throw e instanceof EngineUnavailableError ? e : new EngineUnavailableError(`harness script unavailable: ${String(e)}`);
    });

    const tree: FileSystemTree = { [LAB_DIR]: { directory: labTree(files, lab, timeLimitMs) } };
    if (!harnessMounted) tree[HARNESS_DIR] = { directory: { 'harness.mjs': { file: { contents: scriptText } } } };
    await wc.mount(tree);
    harnessMounted = true;

    // A fresh name per run: a result left by an earlier (or stopped) run is never read.
    const resultFile = `${HARNESS_DIR}/result-${++runs}.json`;
    await wc.fs.rm(resultFile, { force: true });
    terminal.write(`\r\n$ node ${HARNESS_SCRIPT} ${LAB_DIR} ${resultFile}\r\n`);
    const proc = await wc.spawn('node', [HARNESS_SCRIPT, LAB_DIR, resultFile]);
    live.add(proc);
    void proc.output.pipeTo(new WritableStream({ write: (data) => terminal.write(toTerminal(data)) })).catch(() => {});

    const limit = timeLimitMs + startupAllowanceMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limit);
    });
    const outcome = await Promise.race([proc.exit, stopped]);
    clearTimeout(timer);
    live.delete(proc);
    if (outcome === 'timeout') {
      proc.kill();
      terminal.write(`\r\nStopped after ${seconds(limit)}.\r\n`);
      return failedRun(lab, 'webcontainer', 'timeout',
        `Stopped after ${seconds(limit)} (the lab's limit of ${seconds(timeLimitMs)} plus ${seconds(startupAllowanceMs)} for node to start): an endless loop, or code far too slow?`);
    }
    const result = await readResult(wc, resultFile, lab);
    await wc.fs.rm(resultFile, { force: true }).catch(() => {});
    return result ?? failedRun(lab, 'webcontainer', 'error', `The grader exited with code ${outcome} without writing a result.`);
  }

  return {
    engine: 'webcontainer',
    async ready() {
      const state = await bootState();
      return state.ok ? { ok: true } : { ok: false, reason: state.reason };
    },
    grade(files, lab, opts) {
      const run = queue.then(() => runOnce(files, lab, opts));
      queue = run.catch(() => undefined);
      return run;
    },
    async spawnShell(size = { cols: 80, rows: 24 }) {
      const wc = await container();
      const proc = await wc.spawn('jsh', [], { terminal: size });
      live.add(proc);
      void proc.output.pipeTo(new WritableStream({ write: (data) => terminal.write(data) })).catch(() => {});
      const input = proc.input.getWriter();
      void proc.exit.then(() => live.delete(proc));
      return {
        write: (data) => void input.write(data).catch(() => {}),
        resize: (cols, rows) => proc.resize({ cols, rows }),
        kill: () => proc.kill(),
        exit: proc.exit,
      };
    },
    dispose() {
      for (const proc of live) proc.kill();
      live.clear();
    },
  };
}

function labTree(files: LabFiles, lab: LabInfo, timeLimitMs: number): FileSystemTree {
  const tree: FileSystemTree = {};
  for (const [name, text] of Object.entries(files)) tree[name] = { file: { contents: text } };
  const spec = { lab: { id: lab.id, version: lab.version, tasks: lab.tasks }, testTimeoutMs: testTimeoutFor(timeLimitMs) };
  tree['run.json'] = { file: { contents: JSON.stringify(spec) } };
  return tree;
}

/** A process without a pty writes bare "\n"; a terminal needs "\r\n". */
function toTerminal(data: string): string {
  return data.replace(/\r?\n/g, '\r\n');
}

async function readResult(wc: Container, file: string, lab: LabInfo): Promise<GradeResult | undefined> {
  let text: string;
  try {
    text = await wc.fs.readFile(file, 'utf-8');
  } catch {
    return undefined;
  }
  try {
    const result = JSON.parse(text) as GradeResult;
    return result && result.lab === lab.id && Array.isArray(result.tests) ? result : undefined;
  } catch {
    return undefined;
  }
}
