import { describe, it } from 'vitest';
import { titleWithPoints } from './points';

/** One task of the lab: a describe block whose title is the task id from lab.yaml. */
export function task(id: string, body: () => void): void {
  describe(id, body);
}

/** A test worth `points` points (a plain `it` is worth 1). */
export function graded(name: string, points: number, body: () => void | Promise<void>): void {
  it(titleWithPoints(name, points), body);
}

/**
 * A table of authoritative vectors (RFC examples, real captures): one test per row,
 * named after the row, so a report says which vector failed.
 */
export function vectors<Row extends { name: string }>(
  rows: readonly Row[],
  body: (row: Row) => void | Promise<void>,
  points = 1,
): void {
  for (const row of rows) it(titleWithPoints(row.name, points), () => body(row));
}
