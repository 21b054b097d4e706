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
import { runLab, type HarnessInput } from './run-lab.ts';

/** Start listening for stray errors (each passed to `note`); returns how to stop listening. */
export type StrayErrorSource = (note: (error: unknown) => void) => () => void;

/**
 * Chromium reports an unhandled rejection in a task of its own, after the next timer; Node
 * within the same turn. Two timer turns cover both.
 */
const SETTLE_TURNS = 2;

export async function hostLab(input: Omit<HarnessInput, 'packages'>, listen: StrayErrorSource): Promise<SessionEnd> {
  const stray: unknown[] = [];
  const stop = listen((e) => void stray.push(e));
  try {
    const end = await runLab({ ...input, packages: { ...LAB_PACKAGES, ...(await nodeBuiltins(input.lab.builtins ?? [])) } });
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
