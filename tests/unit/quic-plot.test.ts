import { describe, expect, it } from 'vitest';
import {
  crossesPath,
  decimate,
  escapeXml,
  formatNumber,
  layoutLegend,
  layoutPlot,
  linearScale,
  NARROW,
  niceMax,
  niceStep,
  pathData,
  PlotInputError,
  renderPlotSvg,
  tickValues,
  WIDE,
  type PlotInput,
  type XY,
} from '../../src/components/quic/cubic-plot-layout.ts';
import {
  climbBack,
  computePlot,
  DEFAULT_SETTINGS,
  describePlot,
  drawnPoints,
  extraLossTimes,
  keyNumbers,
  normalizeSettings,
  PATH_SEGMENTS,
  traceStats,
} from '../../src/components/quic/cubic-plot-model.ts';
import { windowTrace, type TracePoint } from '../../labs/quic/cubic/reference.ts';

describe('ticks and scales', () => {
  it('picks steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(60, 7)).toBe(10);
    expect(niceStep(60, 4)).toBe(20);
    expect(niceStep(430, 6)).toBe(100);
    expect(niceStep(430, 5)).toBe(100);
    expect(niceStep(0.3, 3)).toBeCloseTo(0.1, 12);
    expect(niceStep(7, 10)).toBe(1);
    expect(niceStep(83_333, 5)).toBe(20_000);
  });

  it('never cuts the span into more intervals than asked', () => {
    for (const span of [1, 3, 7, 9.99, 42, 60, 99, 101, 430, 999, 1234, 83_333]) {
      for (const n of [2, 3, 4, 5, 6, 7, 10]) {
        const step = niceStep(span, n);
        expect(span / step, `span ${span}, ${n} ticks`).toBeLessThanOrEqual(n + 1e-9);
        expect(Number((step / 10 ** Math.floor(Math.log10(step) + 1e-9)).toFixed(6))).toBeOneOf([1, 2, 5]);
      }
    }
  });

  it('rejects spans and counts that cannot make ticks', () => {
    expect(() => niceStep(0, 5)).toThrow(PlotInputError);
    expect(() => niceStep(Number.NaN, 5)).toThrow(PlotInputError);
    expect(() => niceStep(10, 0)).toThrow(PlotInputError);
    expect(() => tickValues(5, 1, 1)).toThrow(PlotInputError);
    expect(() => niceMax(0, 5)).toThrow(PlotInputError);
    expect(() => linearScale(3, 3, 0, 100)).toThrow(PlotInputError);
  });

  it('lists tick values without binary-fraction noise', () => {
    expect(tickValues(0, 60, 10)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(tickValues(0, 0.3, 0.1)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(tickValues(5, 42, 10)).toEqual([10, 20, 30, 40]);
  });

  it('rounds an axis maximum up to the next step', () => {
    expect(niceMax(424, 6)).toEqual({ max: 500, step: 100 });
    expect(niceMax(400, 4)).toEqual({ max: 400, step: 100 });
    expect(niceMax(0.27, 3)).toEqual({ max: 0.3, step: 0.1 });
  });

  it('maps a domain onto a range, flipped for SVG y', () => {
    const sy = linearScale(0, 500, 300, 40);
    expect(sy(0)).toBe(300);
    expect(sy(500)).toBe(40);
    expect(sy(250)).toBe(170);
  });

  it('formats numbers with commas whatever the locale', () => {
    expect(formatNumber(83_333)).toBe('83,333');
    expect(formatNumber(41_666.7)).toBe('41,667');
    expect(formatNumber(4.2167, 2)).toBe('4.22');
    expect(formatNumber(1_234_567.891, 1)).toBe('1,234,567.9');
    expect(formatNumber(-1500)).toBe('−1,500');
    expect(formatNumber(-0.01)).toBe('0');
  });
});

describe('paths', () => {
  const zigzag = (n: number): XY[] => Array.from({ length: n }, (_, i) => ({ x: i * 0.1, y: (i * 37) % 23 }));

  it('keeps the first, lowest, highest and last point of each busy column, in order', () => {
    const pts = zigzag(100); // ten columns of ten points, one unit wide
    const out = decimate(pts, 1);
    for (let col = 0; col < 10; col++) {
      const inCol = pts.filter((p) => Math.floor(p.x) === col);
      const kept = out.filter((p) => Math.floor(p.x) === col);
      expect(kept.length).toBeLessThanOrEqual(4);
      expect(kept[0]).toBe(inCol[0]);
      expect(kept.at(-1)).toBe(inCol.at(-1));
      expect(Math.min(...kept.map((p) => p.y))).toBe(Math.min(...inCol.map((p) => p.y)));
      expect(Math.max(...kept.map((p) => p.y))).toBe(Math.max(...inCol.map((p) => p.y)));
    }
    const idx = out.map((p) => pts.indexOf(p));
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
  });

  it('leaves sparse points alone', () => {
    const pts = [{ x: 0, y: 1 }, { x: 2, y: 5 }, { x: 2.5, y: 3 }, { x: 9, y: 0 }];
    expect(decimate(pts, 1)).toEqual(pts);
    expect(decimate([], 1)).toEqual([]);
    expect(() => decimate(pts, 0)).toThrow(PlotInputError);
  });

  it('writes compact path data', () => {
    expect(pathData([{ x: 1, y: 2 }, { x: 3.14159, y: 4.06 }])).toBe('M1 2L3.1 4.1');
    expect(crossesPath([{ x: 10, y: 20 }], 3)).toBe('M7 17l6 6m0 -6l-6 6');
  });

  it('escapes text for XML', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;');
  });
});

describe('plot layout', () => {
  const input: PlotInput = {
    durationMs: 60_000,
    capacity: 400,
    extraLossesMs: [10_000, 20_000, 70_000],
    series: [
      { id: 'cubic', label: 'CUBIC', style: 'solid', points: [{ tMs: 0, cwnd: 400 }, { tMs: 30_000, cwnd: 410 }, { tMs: 60_000, cwnd: 300 }], losses: [{ tMs: 30_000, cwnd: 410 }] },
      { id: 'reno', label: 'Reno', style: 'dashed', points: [{ tMs: 0, cwnd: 400 }, { tMs: 60_000, cwnd: 200 }], losses: [] },
    ],
  };

  for (const [name, frame] of [['wide', WIDE], ['narrow', NARROW]] as const) {
    it(`puts every tick, line and marker inside the ${name} plotting area`, () => {
      const L = layoutPlot(input, frame);
      const { area } = L;
      expect(L.xTicks[0]!.pos).toBe(area.x);
      expect(L.xTicks.at(-1)!.value).toBe(60);
      expect(L.xTicks.at(-1)!.pos).toBe(area.x + area.w);
      expect(L.xTicks.length).toBeLessThanOrEqual(frame.maxXTicks + 1);
      expect(L.yTicks[0]).toMatchObject({ value: 0, pos: area.y + area.h });
      // The axis reaches above the highest point, with room for the capacity label.
      expect(L.yTicks.at(-1)!.value).toBeGreaterThanOrEqual(410);
      for (const s of L.series) {
        const nums = [...s.d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
        expect(nums[0]!.x).toBe(area.x);
        expect(nums.at(-1)!.x).toBe(area.x + area.w);
        for (const p of nums) {
          expect(p.x).toBeGreaterThanOrEqual(area.x);
          expect(p.x).toBeLessThanOrEqual(area.x + area.w);
          expect(p.y).toBeGreaterThanOrEqual(area.y);
          expect(p.y).toBeLessThanOrEqual(area.y + area.h);
        }
      }
      expect(L.capacity.y).toBeCloseTo(area.y + area.h - (400 / L.yTicks.at(-1)!.value) * area.h, 0);
      // The loss at 70 s lies past the end: not drawn.
      expect(L.extraLosses).toHaveLength(2);
      expect(L.extraLosses[0]).toBeCloseTo(area.x + area.w / 6, 0);
      expect(L.series[0]!.markers).toHaveLength(1);
    });

    it(`keeps the ${name} legend inside the top margin, without overlaps`, () => {
      const L = layoutPlot(input, frame);
      expect(L.legend.map((l) => l.label)).toEqual(['CUBIC', 'Reno', 'loss', 'link loss', 'path holds 400']);
      for (const item of L.legend) {
        const right = item.textX + item.label.length * frame.charWidth;
        expect(right).toBeLessThanOrEqual(frame.width - frame.margin.right);
        // The plotting area starts below the last row, with room for the y axis's top label.
        expect(item.y + frame.fontSize).toBeLessThan(L.area.y);
      }
      for (let i = 1; i < L.legend.length; i++) {
        const a = L.legend[i - 1]!;
        const b = L.legend[i]!;
        if (a.y === b.y) expect(b.x).toBeGreaterThan(a.textX + a.label.length * frame.charWidth);
      }
    });
  }

  it('makes room for a legend that wraps', () => {
    const wide = layoutPlot(input, WIDE);
    const narrow = layoutPlot(input, NARROW);
    expect(new Set(wide.legend.map((l) => l.y)).size).toBe(1);
    expect(new Set(narrow.legend.map((l) => l.y)).size).toBe(2);
    expect(narrow.area.y).toBeGreaterThan(wide.area.y);
    expect(narrow.area.y + narrow.area.h).toBe(NARROW.height - NARROW.margin.bottom);
  });

  it('wraps the legend to a second row when a row is full', () => {
    const items = ['CUBIC', 'Reno', 'loss', 'link loss'].map((label) => ({ kind: 'loss' as const, label }));
    const narrowRows = new Set(layoutLegend(items, { ...NARROW, width: 200 }).map((i) => i.y));
    expect(narrowRows.size).toBeGreaterThan(1);
    expect(new Set(layoutLegend(items, WIDE).map((i) => i.y)).size).toBe(1);
  });

  it('leaves "link loss" out of the legend when there are none', () => {
    const L = layoutPlot({ ...input, extraLossesMs: [] }, WIDE);
    expect(L.legend.map((l) => l.label)).toEqual(['CUBIC', 'Reno', 'loss', 'path holds 400']);
    expect(renderPlotSvg(L, { id: 'x', title: 't', description: 'd' })).not.toContain('cplot__extra-loss');
  });

  it('rejects a plot with nothing to draw', () => {
    expect(() => layoutPlot({ ...input, series: [] }, WIDE)).toThrow(PlotInputError);
    expect(() => layoutPlot({ ...input, durationMs: 0 }, WIDE)).toThrow(PlotInputError);
  });

  it('renders an accessible, balanced SVG', () => {
    const svg = renderPlotSvg(layoutPlot(input, WIDE), { id: 'p', title: 'Window <over> time', description: 'CUBIC & Reno' });
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="p-title p-desc"/);
    expect(svg).toContain('<title id="p-title">Window &lt;over&gt; time</title>');
    expect(svg).toContain('<desc id="p-desc">CUBIC &amp; Reno</desc>');
    expect(svg).toContain('cplot__line--cubic cplot__line--solid');
    expect(svg).toContain('cplot__line--reno cplot__line--dashed');
    expect(svg).toContain('cplot__loss--cubic');
    expect(svg).toContain('>path holds 400</text>');
    expect(svg.match(/<g[ >]/g)?.length).toBe(svg.match(/<\/g>/g)?.length);
    expect(svg.match(/<text[ >]/g)?.length).toBe(svg.match(/<\/text>/g)?.length);
    expect(svg.endsWith('</svg>')).toBe(true);
  });
});

describe('the plot model', () => {
  it('draws the traces of the lab reference, unchanged', () => {
    const m = computePlot({ rttMs: 100, lossEveryS: 10 });
    const scenario = { rttMs: 100, durationMs: 60_000, capacity: PATH_SEGMENTS, lossesAtMs: [10_000, 20_000, 30_000, 40_000, 50_000] };
    const opts = { initialCwnd: PATH_SEGMENTS, initialSsthresh: PATH_SEGMENTS };
    expect(m.traces.cubic).toEqual(windowTrace('cubic', scenario, opts));
    expect(m.traces.reno).toEqual(windowTrace('reno', scenario, opts));
    expect(computePlot({ rttMs: 100, lossEveryS: 10 })).toEqual(m);
  });

  it('turns a loss into a vertical drop with its cross at the top', () => {
    const trace: TracePoint[] = [
      { tMs: 0, cwnd: 10, ssthresh: 10, event: 'start' },
      { tMs: 100, cwnd: 11, ssthresh: 10, event: 'round' },
      { tMs: 150, cwnd: 5.5, ssthresh: 5.5, event: 'loss' },
      { tMs: 200, cwnd: 5.5, ssthresh: 5.5, event: 'round' },
    ];
    expect(drawnPoints(trace)).toEqual({
      points: [{ tMs: 0, cwnd: 10 }, { tMs: 100, cwnd: 11 }, { tMs: 150, cwnd: 11 }, { tMs: 150, cwnd: 5.5 }, { tMs: 200, cwnd: 5.5 }],
      losses: [{ tMs: 150, cwnd: 11 }],
    });
  });

  it('counts reductions, not losses inside a recovery period', () => {
    const trace: TracePoint[] = [
      { tMs: 0, cwnd: 100, ssthresh: 100, event: 'start' },
      { tMs: 100, cwnd: 101, ssthresh: 100, event: 'round' },
      { tMs: 150, cwnd: 50, ssthresh: 50, event: 'loss' },
      { tMs: 160, cwnd: 50, ssthresh: 50, event: 'loss' },
      { tMs: 200, cwnd: 50, ssthresh: 50, event: 'round' },
      { tMs: 300, cwnd: 51, ssthresh: 50, event: 'round' },
      { tMs: 350, cwnd: 25.5, ssthresh: 25.5, event: 'loss' },
      { tMs: 400, cwnd: 25.5, ssthresh: 25.5, event: 'round' },
    ];
    const s = traceStats(trace, 100);
    expect(s.reductions).toBe(2);
    expect(s.meanGapS).toBeCloseTo(0.2, 12);
    // Rounds started with 100, 101, 50 and 51 segments; the path carries at most 100.
    expect(s.meanWindow).toBeCloseTo((100 + 101 + 50 + 51) / 4, 12);
    expect(s.pathShare).toBeCloseTo((100 + 100 + 50 + 51) / 4 / 100, 12);
    expect(s.minWindow).toBe(25.5);
    expect(s.maxWindow).toBe(101);
  });

  it('shows what the chapter says: CUBIC keeps more of the path busy than Reno', () => {
    const m = computePlot(DEFAULT_SETTINGS);
    expect(m.stats.cubic.reductions).toBeGreaterThan(m.stats.reno.reductions);
    expect(m.stats.cubic.pathShare).toBeGreaterThan(0.8);
    expect(m.stats.reno.pathShare).toBeGreaterThan(0.7);
    expect(m.stats.reno.pathShare).toBeLessThan(0.8);
    // Link losses every 5 s on a 200 ms path: Reno cannot climb back, CUBIC mostly can.
    const lossy = computePlot({ rttMs: 200, lossEveryS: 5 });
    expect(lossy.stats.reno.pathShare).toBeLessThan(0.3);
    expect(lossy.stats.cubic.pathShare).toBeGreaterThan(2 * lossy.stats.reno.pathShare);
  });

  it('works out the climb back after one loss at the capacity', () => {
    const c = climbBack({ rttMs: 100, lossEveryS: 0 });
    expect(c.window).toBe(PATH_SEGMENTS);
    expect(c.cubicAfter).toBeCloseTo(140, 9);
    expect(c.kS).toBeCloseTo(Math.cbrt(150), 9); // ∛((200 − 140)/0.4) ≈ 5.31 s
    expect(c.cubicVia).toBe('cubic');
    expect(c.renoRtts).toBe(100);
    expect(c.renoS).toBeCloseTo(10, 9);
    expect(c.bandwidthMbps).toBeCloseTo(24, 9);
    // At 20 ms, W_est (α ≈ 0.529 segments per RTT) is back before the cubic curve.
    const short = climbBack({ rttMs: 20, lossEveryS: 0 });
    expect(short.cubicVia).toBe('reno-friendly');
    expect(short.cubicS).toBeCloseTo((60 / 0.5294117647058824) * 0.02, 6);
    expect(short.kS).toBe(c.kS);
    // K for W_max = 100, the chapter's worked number.
    expect(climbBack({ rttMs: 100, lossEveryS: 0 }, 100).kS).toBeCloseTo(4.217, 3);
  });

  it('keeps slider values to the positions the sliders offer', () => {
    expect(normalizeSettings({ rttMs: 5, lossEveryS: 7 })).toEqual({ rttMs: 20, lossEveryS: 0 });
    expect(normalizeSettings({ rttMs: 1234, lossEveryS: 5 })).toEqual({ rttMs: 300, lossEveryS: 5 });
    expect(normalizeSettings({ rttMs: 104, lossEveryS: 2 })).toEqual({ rttMs: 100, lossEveryS: 2 });
    expect(normalizeSettings({ rttMs: Number.NaN, lossEveryS: 0 })).toEqual(DEFAULT_SETTINGS);
    expect(extraLossTimes(10)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(extraLossTimes(0)).toEqual([]);
  });

  it('fills every cell of the table and describes the plot in words', () => {
    const m = computePlot(DEFAULT_SETTINGS);
    const k = keyNumbers(m);
    for (const kind of ['cubic', 'reno']) {
      for (const field of ['after', 'back', 'reductions', 'gap', 'share']) expect(k[`${kind}.${field}`], `${kind}.${field}`).toMatch(/\S/);
    }
    expect(k['cubic.after']).toBe('140');
    expect(k['reno.back']).toBe('10 s (100 RTTs)');
    expect(describePlot(m)).toMatch(/^Congestion window over 60 seconds, CUBIC beside Reno\. RTT 100 ms; .*CUBIC: \d+ window reductions.*Reno: \d+ window reductions/);
  });
});
