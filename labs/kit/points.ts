/**
 * How a test carries its points: in its title, as a trailing " [N pts]".
 * The title is the one thing every engine (vitest's reporter, the worker harness) reports
 * unchanged, so points travel with it and no engine needs a side channel.
 * A test without the suffix is worth 1 point.
 */
const POINTS_SUFFIX = /\s\[(\d+) pts?\]$/;

export function titleWithPoints(name: string, points: number): string {
  if (!Number.isInteger(points) || points < 0) throw new Error(`points must be a whole number >= 0, got ${points}`);
  return `${name} [${points} ${points === 1 ? 'pt' : 'pts'}]`;
}

export function parsePoints(title: string): { name: string; points: number } {
  const m = POINTS_SUFFIX.exec(title);
  if (!m) return { name: title, points: 1 };
  return { name: title.slice(0, m.index), points: Number(m[1]) };
}
