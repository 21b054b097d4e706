/** The engine-choice policy (src/grading/engines/select.ts), scenario by scenario. */
import { describe, expect, it } from 'vitest';
import { choose, initialSelection, runTarget, webcontainerFailed } from '../../src/grading/engines/select.ts';

describe('engine selection', () => {
  it('a worker lab starts on the worker and may switch to the WebContainer and back', () => {
    const s = initialSelection('worker');
    expect(runTarget(s, false)).toEqual({ kind: 'engine', engine: 'worker' });
    const wc = choose(s, 'webcontainer');
    expect(runTarget(wc, false)).toEqual({ kind: 'wait', why: 'booting' });
    expect(runTarget(wc, true)).toEqual({ kind: 'engine', engine: 'webcontainer' });
    expect(runTarget(choose(wc, 'worker'), true)).toEqual({ kind: 'engine', engine: 'worker' });
  });

  it('a worker lab falls back to the worker when the WebContainer fails, and cannot pick it again', () => {
    const failed = webcontainerFailed(choose(initialSelection('worker'), 'webcontainer'), 'boot timed out');
    expect(failed).toMatchObject({ kind: 'worker', reason: 'boot timed out', selection: { mode: 'worker', unavailable: 'boot timed out' } });
    expect(choose(failed.selection, 'webcontainer')).toBe(failed.selection);
    expect(runTarget(failed.selection, true)).toEqual({ kind: 'engine', engine: 'worker' });
  });

  it('a node lab starts on the WebContainer and, when it fails, can only go to the command line', () => {
    const s = initialSelection('node');
    expect(s.mode).toBe('webcontainer');
    expect(runTarget(s, false)).toEqual({ kind: 'wait', why: 'booting' });
    const failed = webcontainerFailed(s, 'not cross-origin isolated');
    expect(failed.kind).toBe('command-line');
    expect(runTarget(failed.selection, true)).toEqual({ kind: 'none', why: 'needs-node' });
    expect(runTarget(choose(failed.selection, 'worker'), false)).toEqual({ kind: 'none', why: 'needs-node' });
  });

  it('keeps the first reason when the WebContainer fails again (a Run that finds it unavailable)', () => {
    const first = webcontainerFailed(initialSelection('worker'), 'boot timed out');
    const again = webcontainerFailed(first.selection, 'unavailable');
    expect(again.selection.unavailable).toBe('boot timed out');
  });
});
