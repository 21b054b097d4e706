/**
 * A grade as plain text for a terminal: per task, then each failing test with its message.
 * The CLI prints it, and so does the WebContainer's shell after a run (browser-safe).
 */
import { taskComplete, type GradeResult } from './result.ts';

const MAX_MESSAGE_LINES = 24;

export function formatReport(result: GradeResult, file: string, title?: string): string {
  const lines: string[] = [];
  const lab = `${result.lab} v${result.lab_version}`;
  lines.push(`${title ? `${title} (${lab})` : lab} — ${file}`);
  if (result.status === 'error' || result.status === 'timeout') {
    lines.push('', `${result.status.toUpperCase()}: ${result.message ?? ''}`);
  }
  lines.push('');
  result.tasks.forEach((task, i) => {
    const mark = taskComplete(result, task.id) ? 'PASS' : 'FAIL';
    lines.push(`${mark}  ${i + 1}. ${task.title}  ${task.score}/${task.max_score}`);
    for (const t of result.tests.filter((x) => x.task_id === task.id && x.status !== 'pass')) {
      lines.push(`        ${t.status.toUpperCase()}  ${t.name}  (0/${t.max_score})`);
      if (t.message) lines.push(...indent(trimLines(t.message), 14));
    }
  });
  const unknown = result.tests.filter((t) => !result.tasks.some((k) => k.id === t.task_id));
  if (unknown.length) lines.push('', `${unknown.length} test(s) outside any task: ${unknown.map((t) => t.task_id).join(', ')}`);
  if (result.message && result.status !== 'error' && result.status !== 'timeout') lines.push('', `Note: ${result.message}`);
  const pct = result.max_score ? Math.round((100 * result.score) / result.max_score) : 0;
  lines.push('', `Score: ${result.score}/${result.max_score} (${pct}%) — ${result.status}`);
  return lines.join('\n');
}

function trimLines(text: string): string[] {
  const all = text.split('\n');
  if (all.length <= MAX_MESSAGE_LINES) return all;
  return [...all.slice(0, MAX_MESSAGE_LINES), `… ${all.length - MAX_MESSAGE_LINES} more lines`];
}

function indent(lines: string[], n: number): string[] {
  const pad = ' '.repeat(n);
  return lines.map((l) => (l ? pad + l : l));
}
