/**
 * The plot's sliders, loaded on first use by the <cubic-plot> element: read the sliders,
 * recompute both window traces with the lab's reference, and redraw the SVGs, the caption and
 * the table in place. A recomputation takes tens of milliseconds at short RTTs, so input
 * events are coalesced: at most one runs per animation frame, always with the latest values.
 */
import { layoutPlot, NARROW, renderPlotSvg, WIDE } from './cubic-plot-layout.ts';
import {
  climbSentence,
  computePlot,
  describePlot,
  keyNumbers,
  LOSS_EVERY_S,
  lossLabel,
  PLOT_TITLE,
  settingsSentence,
  type PlotSettings,
} from './cubic-plot-model.ts';

function read(root: HTMLElement): PlotSettings {
  const rtt = root.querySelector<HTMLInputElement>('input[name="rtt"]');
  const loss = root.querySelector<HTMLInputElement>('input[name="loss"]');
  return {
    rttMs: Number(rtt?.value ?? 100),
    lossEveryS: LOSS_EVERY_S[Number(loss?.value ?? 0)] ?? 0,
  };
}

function showValues(root: HTMLElement, s: PlotSettings): void {
  const rttOut = root.querySelector('output[data-for="rtt"]');
  const lossOut = root.querySelector('output[data-for="loss"]');
  const loss = root.querySelector<HTMLInputElement>('input[name="loss"]');
  const rtt = root.querySelector<HTMLInputElement>('input[name="rtt"]');
  if (rttOut) rttOut.textContent = `${s.rttMs} ms`;
  if (lossOut) lossOut.textContent = lossLabel(s.lossEveryS);
  rtt?.setAttribute('aria-valuetext', `${s.rttMs} milliseconds`);
  loss?.setAttribute('aria-valuetext', s.lossEveryS > 0 ? `a link loss every ${s.lossEveryS} seconds` : 'no link losses');
}

function redraw(root: HTMLElement, s: PlotSettings): void {
  const m = computePlot(s);
  const desc = describePlot(m);
  for (const [variant, frame] of [['wide', WIDE], ['narrow', NARROW]] as const) {
    const box = root.querySelector(`[data-svg="${variant}"]`);
    if (box) box.innerHTML = renderPlotSvg(layoutPlot(m.plot, frame), { id: `cplot-${variant}`, title: PLOT_TITLE, description: desc });
  }
  const numbers = keyNumbers(m);
  for (const cell of root.querySelectorAll<HTMLElement>('[data-k]')) {
    const v = numbers[cell.dataset.k!];
    if (v !== undefined) cell.textContent = v;
  }
  const settings = root.querySelector('[data-settings]');
  if (settings) settings.textContent = settingsSentence(m);
  const climb = root.querySelector('[data-climb]');
  if (climb) climb.textContent = climbSentence(m);
  const status = root.querySelector('[data-status]');
  if (status) status.textContent = desc;
}

/** Wire the sliders of one <cubic-plot> and draw the values they hold now. */
export function enhance(root: HTMLElement): void {
  if (root.dataset.live === '1') return;
  root.dataset.live = '1';
  let pending = false;
  const update = () => {
    const s = read(root);
    showValues(root, s);
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      redraw(root, read(root));
    });
  };
  root.addEventListener('input', update);
  root.querySelector('[data-reset]')?.addEventListener('click', () => {
    for (const input of root.querySelectorAll<HTMLInputElement>('input[type="range"]')) input.value = input.defaultValue;
    update();
  });
  update();
}
