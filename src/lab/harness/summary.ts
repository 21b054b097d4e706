/** A grade as a few lines of plain text, for a terminal. */
import type { GradeResult } from '../../grading/result.ts';

const MARK: Record<string, string> = { pass: '✓', fail: '✗', error: '!', timeout: '⧗', skip: '-' };

export function summarize(result: GradeResult): string {
  const lines: string[] = [];
  if (result.message) lines.push(`${result.status}: ${result.message}`);
  for (const task of result.tasks) {
    lines.push(`${task.score === task.max_score ? '✓' : '✗'} ${task.id}: ${task.score}/${task.max_score}`);
    for (const t of result.tests.filter((x) => x.task_id === task.id)) {
      lines.push(`    ${MARK[t.status] ?? '?'} ${t.name}`);
      if (t.message && t.status !== 'pass') lines.push(...t.message.split('\n').slice(0, 8).map((l) => `        ${l}`));
    }
  }
  lines.push(`score ${result.score}/${result.max_score} (${result.status})`);
  return lines.join('\n');
}
