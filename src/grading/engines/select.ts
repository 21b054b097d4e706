/**
 * Which engine grades a Run, and what happens when the WebContainer cannot start: the policy
 * alone, DOM-free, so it is unit-tested; the workbench renders its decisions.
 *
 * - A lab whose runtime is `worker` starts on the worker; a `node` lab on the WebContainer
 *   (the worker cannot run it).
 * - The learner may switch at any time; a WebContainer that failed once stays unavailable
 *   until a reload (a failed boot is never retried in a page).
 * - When the WebContainer fails (at boot, or when a Run finds it unavailable), a worker lab
 *   falls back to the worker; a node lab has nowhere to go but the command line.
 */
export type EngineChoice = 'worker' | 'webcontainer';

export interface Selection {
  readonly runtime: 'worker' | 'node';
  readonly mode: EngineChoice;
  /** Why the WebContainer cannot run in this page, once it failed. */
  readonly unavailable?: string;
}

export function initialSelection(runtime: 'worker' | 'node'): Selection {
  return { runtime, mode: runtime === 'node' ? 'webcontainer' : 'worker' };
}

/** The learner picked an engine. Picking an unavailable WebContainer changes nothing. */
export function choose(s: Selection, mode: EngineChoice): Selection {
  if (mode === 'webcontainer' && s.unavailable !== undefined) return s;
  return { ...s, mode };
}

export type Fallback =
  /** Graded by the worker from now on; say why. */
  | { kind: 'worker'; selection: Selection; reason: string }
  /** No engine in this page can grade the lab: send the learner to the command line. */
  | { kind: 'command-line'; selection: Selection; reason: string };

/** The WebContainer failed (boot timed out, no isolation, unsupported browser...). */
export function webcontainerFailed(s: Selection, reason: string): Fallback {
  const unavailable = s.unavailable ?? reason;
  if (s.runtime === 'node') return { kind: 'command-line', selection: { ...s, unavailable }, reason };
  return { kind: 'worker', selection: { ...s, mode: 'worker', unavailable }, reason };
}

export type RunTarget =
  | { kind: 'engine'; engine: EngineChoice }
  /** Run must wait: the WebContainer is still starting. */
  | { kind: 'wait'; why: 'booting' }
  /** Nothing here can grade it: a node lab without a WebContainer. */
  | { kind: 'none'; why: 'needs-node' };

/** Which engine a Run goes to now, given whether the WebContainer's runner exists yet. */
export function runTarget(s: Selection, webcontainerStarted: boolean): RunTarget {
  if (s.mode === 'webcontainer') {
    if (s.unavailable !== undefined) return s.runtime === 'node' ? { kind: 'none', why: 'needs-node' } : { kind: 'engine', engine: 'worker' };
    return webcontainerStarted ? { kind: 'engine', engine: 'webcontainer' } : { kind: 'wait', why: 'booting' };
  }
  return s.runtime === 'node' ? { kind: 'none', why: 'needs-node' } : { kind: 'engine', engine: 'worker' };
}
