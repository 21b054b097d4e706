/** The kit's Clock on real time, for peer tests that drive lab code against real servers. */
import type { Clock } from '../../../labs/kit/clock.ts';

export function realClock(): Clock {
  const t0 = performance.now();
  const handles = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 1;
  const clock: Clock = {
    now: () => Math.round(performance.now() - t0),
    setTimeout: (fn, ms) => {
      const id = next++;
      handles.set(id, setTimeout(() => { handles.delete(id); fn(); }, ms));
      return id;
    },
    clearTimeout: (id) => { clearTimeout(handles.get(id)); handles.delete(id); },
    sleep: (ms) => new Promise((r) => { clock.setTimeout(r, ms); }),
  };
  return clock;
}
