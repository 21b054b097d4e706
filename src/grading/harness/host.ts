/**
 * The one host routine of the harness's three homes (the page's worker, node in a WebContainer,
 * a Node thread for the lab check): listen for errors learner code raises outside any test, run
 * the lab, let the last test's stray rejections arrive, attach them, and turn a failure of the
 * grader itself into a result rather than a crash.
 * Browser-safe: each home passes its own way of listening.
 */
import { cleanMessage } from '../result.ts';
import type { SessionEnd } from '../supervise.ts';
import { withStrayErrors } from './errors.ts';
import { LAB_PACKAGES } from './packages.ts';
import type { SharedModules } from './modules.ts';
import { LEARNER_FILE, runLab, type HarnessInput } from './run-lab.ts';

/** Start listening for stray errors (each passed to `note`); returns how to stop listening. */
export type StrayErrorSource = (note: (error: unknown) => void) => () => void;

/**
 * Chromium reports an unhandled rejection in a task of its own, after the next timer; Node
 * within the same turn. Two timer turns cover both.
 */
const SETTLE_TURNS = 2;

/**
 * The kit's memo of the reference's answers (labs/kit/memo.ts) lives as long as this host: the
 * same lab, version, reference and tests give the same answers on the same inputs, so the second Run
 * does not compute them again. Learner files cannot import the kit, so cannot reach it.
 */
const MEMO_PATHS: ReadonlySet<string> = new Set(['labs/kit/memo.ts']);
const sharedByLab = new Map<string, SharedModules>();
const MAX_LABS = 8;

function sharedFor(input: Omit<HarnessInput, 'packages'>): SharedModules {
  // Every file but the learner's: the reference, the tests' helpers and the lab's simulators
  // decide the answers.
  const files = Object.entries(input.files).filter(([name]) => name !== LEARNER_FILE).sort(([a], [b]) => (a < b ? -1 : 1));
  const key = `${input.lab.id}@${input.lab.version}\n${files.map(([name, text]) => `${name}\n${text}`).join('\n')}`;
  let shared = sharedByLab.get(key);
  if (!shared) {
    if (sharedByLab.size >= MAX_LABS) sharedByLab.clear();
    shared = { paths: MEMO_PATHS, modules: new Map() };
    sharedByLab.set(key, shared);
  }
  return shared;
}

export async function hostLab(input: Omit<HarnessInput, 'packages'>, listen: StrayErrorSource): Promise<SessionEnd> {
  const stray: unknown[] = [];
  const stop = listen((e) => void stray.push(e));
  try {
    const end = await runLab({ ...input, shared: input.shared ?? sharedFor(input), packages: { ...LAB_PACKAGES, ...(await nodeBuiltins(input.lab.builtins ?? [])) } });
    for (let turn = 0; turn < SETTLE_TURNS; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
    if (end.kind === 'error' || stray.length === 0) return end;
    return { ...end, message: withStrayErrors({ message: end.message ?? null }, stray).message };
  } catch (e) {
    return { kind: 'error', message: cleanMessage(`The grader failed: ${String(e)}`) };
  } finally {
    stop();
  }
}

/**
 * A runtime: node lab's built-ins, by both spellings ('node:dgram' and 'dgram'). Only the homes
 * that run Node (a WebContainer, the check's thread) grade such labs; the worker never has any.
 */
async function nodeBuiltins(names: readonly string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const mod: unknown = await import(/* @vite-ignore */ name);
    out[name] = mod;
    out[name.slice('node:'.length)] = mod;
  }
  return out;
}

/** Node's process events as a stray-error source (a WebContainer's node and the check's thread). */
export function processStrayErrors(proc: {
  on(event: 'unhandledRejection' | 'uncaughtException', fn: (e: unknown) => void): unknown;
  off(event: 'unhandledRejection' | 'uncaughtException', fn: (e: unknown) => void): unknown;
}): StrayErrorSource {
  return (note) => {
    proc.on('unhandledRejection', note);
    proc.on('uncaughtException', note);
    return () => {
      proc.off('unhandledRejection', note);
      proc.off('uncaughtException', note);
    };
  };
}
