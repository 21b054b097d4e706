/**
 * The WebContainer engine: real Node and a shell in the page. Boots once per page (racing a
 * timeout), mounts the lab's files and the prebundled harness script, runs it with `node`
 * (nothing is installed), shows its output in the terminal and reads progress and the end from
 * the files the harness writes, supervised like every engine (../../supervise.ts): a test that
 * blocks is stopped by killing node, and a new node grades the tests left.
 * @webcontainer/api is loaded only when this engine boots.
 */
import type { GradeResult, LabInfo } from '../../result.ts';
import { progressFileReader, supervise, type Session, type SessionEnd, type SessionEvents } from '../../supervise.ts';
import { DEFAULT_TEST_TIME_LIMIT_MS } from '../../timeouts.ts';
import { EngineUnavailableError, type GradeOptions, type LabFiles, type LabRunner } from '../types.ts';
import type { RunSpec } from './harness-main.ts';
import { bootOncePerPage, bootWithTimeout, environmentProblem, hostUnreachable } from './boot.ts';
import type { Container, FileSystemTree, TerminalSink, WebContainerProcess } from './container.ts';
import { loadHarnessScript, loadLiveScript } from './harness-script.ts';

export const LAB_DIR = 'lab';
export const HARNESS_DIR = '.netlabs';
export const HARNESS_SCRIPT = `${HARNESS_DIR}/harness.mjs`;
export const LIVE_SCRIPT = `${HARNESS_DIR}/live.mjs`;
export const LIVE_DIR = 'live';

export interface WebContainerRunnerOptions {
  /** Defaults to @webcontainer/api's WebContainer.boot(), once per page. */
  boot?: () => Promise<Container>;
  /** Offline, boot() never settles: give up after this long. */
  bootTimeoutMs?: number;
  /**
   * Resolves with a reason as soon as the boot is known to fail (offline, host unreachable), so
   * the page falls back without waiting out the timeout. Defaults to probing StackBlitz when
   * the default boot is used, and to nothing when a boot is given.
   */
  unreachable?: () => Promise<string>;
  terminal?: TerminalSink;
  /** The bundled harness script's text; defaults to the one this site's build emitted. */
  harnessScript?: () => Promise<string>;
  /** The bundled live-run script's text; defaults to the one this site's build emitted. */
  liveScript?: () => Promise<string>;
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
  /**
   * A live run: the learner's code (in `files`, with the reference and provided files) against
   * the lab's reference server inside the container, its exchange shown in the terminal.
   * Resolves with node's exit code: 0 when the learner's side worked.
   */
  live(files: LabFiles, labId: string): Promise<number>;
}

export function createWebContainerRunner(options: WebContainerRunnerOptions = {}): WebContainerRunner {
  const {
    boot = () => bootOncePerPage(),
    bootTimeoutMs = 20_000,
    terminal = { write: () => {} },
    harnessScript = loadHarnessScript,
    liveScript = loadLiveScript,
    startupAllowanceMs = 10_000,
  } = options;
  const problem = options.environmentProblem ?? (() => environmentProblem());
  const unreachable = options.unreachable ?? (options.boot ? undefined : () => hostUnreachable());

  let booting: Promise<Awaited<ReturnType<typeof bootWithTimeout>>> | undefined;
  let script: Promise<string> | undefined;
  let liveText: Promise<string> | undefined;
  let harnessMounted = false;
  let liveMounted = false;
  let runs = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const processes = new Set<WebContainerProcess>();

  function bootState() {
    booting ??= (async () => {
      const why = problem();
      return why ? { ok: false as const, reason: why } : bootWithTimeout(boot, bootTimeoutMs, unreachable);
    })();
    return booting;
  }

  async function container(): Promise<Container> {
    const state = await bootState();
    if (!state.ok) throw new EngineUnavailableError(state.reason);
    return state.container;
  }

  async function runOnce(files: LabFiles, lab: LabInfo, opts: GradeOptions): Promise<GradeResult> {
    const wc = await container();
    script ??= harnessScript();
    const scriptText = await script.catch((e: unknown) => {
      throw e instanceof EngineUnavailableError ? e : new EngineUnavailableError(`harness script unavailable: ${String(e)}`);
    });
    if (!harnessMounted) {
      await wc.mount({ [HARNESS_DIR]: { directory: { 'harness.mjs': { file: { contents: scriptText } } } } });
      harnessMounted = true;
    }
    const testLimitMs = opts.testTimeLimitMs ?? DEFAULT_TEST_TIME_LIMIT_MS;
    return supervise((skip, events) => session(wc, files, lab, { testTimeoutMs: testLimitMs, skip: [...skip] }, events), {
      lab,
      engine: 'webcontainer',
      testLimitMs,
      labLimitMs: opts.timeLimitMs,
      startupMs: startupAllowanceMs,
    }).result;
  }

  /** One `node harness.mjs` process; its progress file is polled, its end read from a file. */
  function session(wc: Container, files: LabFiles, lab: LabInfo, spec: Omit<RunSpec, 'lab'>, events: SessionEvents): Session {
    // A fresh name per session: what an earlier (or stopped) session left is never read.
    const resultFile = `${HARNESS_DIR}/result-${++runs}.json`;
    const progressFile = `${resultFile}.progress`;
    let proc: WebContainerProcess | undefined;
    let stopped = false;
    const read = progressFileReader(events);
    const poll = async (): Promise<void> => read(await wc.fs.readFile(progressFile, 'utf-8').catch(() => ''));
    const done = (async (): Promise<SessionEnd> => {
      await wc.mount({ [LAB_DIR]: { directory: labTree(files, { lab: { id: lab.id, version: lab.version, tasks: lab.tasks, builtins: lab.builtins }, ...spec }) } });
      terminal.write(`\r\n$ node ${HARNESS_SCRIPT} ${LAB_DIR} ${resultFile}\r\n`);
      proc = await wc.spawn('node', [HARNESS_SCRIPT, LAB_DIR, resultFile]);
      processes.add(proc);
      if (stopped) proc.kill();
      void proc.output.pipeTo(new WritableStream({ write: (data) => terminal.write(toTerminal(data)) })).catch(() => {});
      const timer = setInterval(() => void poll(), PROGRESS_POLL_MS);
      const code = await proc.exit;
      clearInterval(timer);
      processes.delete(proc);
      await poll();
      const end = await readEnd(wc, resultFile);
      await wc.fs.rm(resultFile, { force: true }).catch(() => {});
      await wc.fs.rm(progressFile, { force: true }).catch(() => {});
      return end ?? { kind: 'error', message: `The grader exited with code ${code} without writing a result.` };
    })();
    return {
      done,
      stop(why) {
        stopped = true;
        proc?.kill();
        terminal.write(`\r\n${why}\r\n`);
      },
    };
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
      processes.add(proc);
      void proc.output.pipeTo(new WritableStream({ write: (data) => terminal.write(data) })).catch(() => {});
      const input = proc.input.getWriter();
      void proc.exit.then(() => processes.delete(proc));
      return {
        write: (data) => void input.write(data).catch(() => {}),
        resize: (cols, rows) => proc.resize({ cols, rows }),
        kill: () => proc.kill(),
        exit: proc.exit,
      };
    },
    async live(files, labId) {
      const wc = await container();
      liveText ??= liveScript();
      const text = await liveText.catch((e: unknown) => {
        throw e instanceof EngineUnavailableError ? e : new EngineUnavailableError(`live-run script unavailable: ${String(e)}`);
      });
      if (!liveMounted) {
        await wc.mount({ [HARNESS_DIR]: { directory: { 'live.mjs': { file: { contents: text } } } } });
        liveMounted = true;
      }
      const tree: FileSystemTree = {};
      for (const [name, contents] of Object.entries(files)) if (name.endsWith('.ts')) tree[name] = { file: { contents } };
      await wc.mount({ [LIVE_DIR]: { directory: tree } });
      terminal.write(`\r\n$ node ${LIVE_SCRIPT} ${LIVE_DIR} ${labId}\r\n`);
      const proc = await wc.spawn('node', [LIVE_SCRIPT, LIVE_DIR, labId]);
      processes.add(proc);
      void proc.output.pipeTo(new WritableStream({ write: (data) => terminal.write(toTerminal(data)) })).catch(() => {});
      const code = await proc.exit;
      processes.delete(proc);
      return code;
    },
    dispose() {
      for (const proc of processes) proc.kill();
      processes.clear();
    },
  };
}

function labTree(files: LabFiles, spec: RunSpec): FileSystemTree {
  const tree: FileSystemTree = {};
  for (const [name, text] of Object.entries(files)) tree[name] = { file: { contents: text } };
  tree['run.json'] = { file: { contents: JSON.stringify(spec) } };
  return tree;
}

/** How often the page reads a session's progress file (a hang is noticed within this much). */
const PROGRESS_POLL_MS = 100;


/** A process without a pty writes bare "\n"; a terminal needs "\r\n". */
function toTerminal(data: string): string {
  return data.replace(/\r?\n/g, '\r\n');
}

async function readEnd(wc: Container, file: string): Promise<SessionEnd | undefined> {
  let text: string;
  try {
    text = await wc.fs.readFile(file, 'utf-8');
  } catch {
    return undefined;
  }
  try {
    const end = JSON.parse(text) as SessionEnd;
    return end && (end.kind === 'done' || end.kind === 'error') ? end : undefined;
  } catch {
    return undefined;
  }
}
