/**
 * Engines must agree: the same task ids, test names, statuses and scores (durations and
 * message wording may differ).
 */
import type { GradeResult } from './result.ts';

export function compareEngines(a: GradeResult, b: GradeResult): string[] {
  const problems: string[] = [];
  const label = `${a.engine} vs ${b.engine}`;
  if (a.status !== b.status) problems.push(`${label}: run status ${a.status} vs ${b.status}${b.message ? ` (${firstLine(b.message)})` : ''}`);
  if (a.score !== b.score || a.max_score !== b.max_score) problems.push(`${label}: score ${a.score}/${a.max_score} vs ${b.score}/${b.max_score}`);
  const key = (t: GradeResult['tests'][number]) => `${t.task_id} > ${t.name}`;
  const bByKey = new Map(b.tests.map((t) => [key(t), t]));
  for (const t of a.tests) {
    const u = bByKey.get(key(t));
    if (!u) { problems.push(`${label}: test "${key(t)}" missing from ${b.engine}`); continue; }
    if (t.status !== u.status || t.score !== u.score || t.max_score !== u.max_score) {
      problems.push(`${label}: "${key(t)}" ${t.status} ${t.score}/${t.max_score} vs ${u.status} ${u.score}/${u.max_score}${u.message ? ` (${firstLine(u.message)})` : ''}`);
    }
    bByKey.delete(key(t));
  }
  for (const k of bByKey.keys()) problems.push(`${label}: test "${k}" missing from ${a.engine}`);
  const order = (r: GradeResult) => r.tests.map(key).join('\n');
  if (problems.length === 0 && order(a) !== order(b)) problems.push(`${label}: tests ran in a different order`);
  return problems;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 160);
}
