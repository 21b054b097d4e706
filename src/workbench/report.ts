/**
 * The grade report: a banner for the run as a whole, then each task with its points, then each
 * failing test with its message. vitest's "- Expected / + Received" diffs are coloured, and a
 * place in a lab file ("learner.ts:12:5") is a button that takes the editor there.
 */
import { taskComplete, type GradeResult, type TestResult } from '../grading/result.ts';
import { h, sr } from './dom.ts';

export interface ReportActions {
  /** Go to a file's line (1-based) and column, e.g. from "learner.ts:3:14". */
  goTo(file: string, line: number, column?: number): void;
  /** Show the next hint of a task. */
  hint(taskId: string): void;
  /** Files of the lab the learner can open ("learner.ts", "grade.test.ts", ...). */
  files: readonly string[];
}

export interface RunInfo {
  /** From pressing Run to the result, in ms. */
  ms: number;
  /** Why the requested engine was not used (e.g. the WebContainer fell back to the worker). */
  note?: string;
}

/** How many failing tests of a report show their message without a click. */
const OPEN_MESSAGES = 4;

const ICON: Record<string, string> = { pass: '✓', fail: '✗', error: '!', timeout: '◷', skip: '–' };
const WORD: Record<string, string> = { pass: 'passed', fail: 'failed', error: 'error', timeout: 'timed out', skip: 'skipped' };

/** A few words for the status line next to Run. */
export function shortStatus(r: GradeResult): string {
  switch (r.status) {
    case 'pass':
      return `All tests pass: ${r.score}/${r.max_score}.`;
    case 'fail':
      return `Score ${r.score}/${r.max_score}.`;
    case 'timeout':
      return 'Stopped: out of time (see the report).';
    default:
      return 'Not graded: an error (see the report).';
  }
}

/** One sentence for screen readers (aria-live). */
export function summaryText(r: GradeResult): string {
  const tasksDone = r.tasks.filter((t) => taskComplete(r, t.id)).length;
  switch (r.status) {
    case 'pass':
      return `All tests pass: ${r.score} of ${r.max_score} points.`;
    case 'fail':
      return `Score ${r.score} of ${r.max_score} points; ${tasksDone} of ${r.tasks.length} tasks complete.`;
    case 'timeout':
      return `Stopped: ${r.message ?? 'the run took too long.'}`;
    default:
      return `Your code could not be graded: ${(r.message ?? 'unknown error').replace(/\.?$/, '.')}`;
  }
}

export function renderReport(r: GradeResult, actions: ReportActions, info: RunInfo): HTMLElement {
  const root = h('div', { class: `wb-report__body wb-report--${r.status}` });
  root.append(banner(r, actions, info));
  if (r.status === 'error' && r.tests.length === 0) return root;
  const list = h('ul', { class: 'wb-tasks', 'aria-label': 'Tasks' });
  let opened = 0;
  for (const task of r.tasks) {
    const tests = r.tests.filter((t) => t.task_id === task.id);
    const done = taskComplete(r, task.id);
    const failing = tests.filter((t) => t.status !== 'pass' && t.status !== 'skip');
    const details = h(
      'details',
      { class: `wb-task ${done ? 'is-pass' : 'is-fail'}`, open: !done && r.status !== 'timeout', 'data-task': task.id },
      h(
        'summary',
        {},
        h('span', { class: 'wb-icon', 'aria-hidden': 'true' }, done ? ICON.pass : ICON.fail),
        sr(done ? 'Complete: ' : 'Incomplete: '),
        h('span', { class: 'wb-task__title' }, task.title),
        h('span', { class: 'wb-task__points' }, `${task.score}/${task.max_score} pts`),
      ),
    );
    const ul = h('ul', { class: 'wb-tests' });
    // Failing tests first, with their messages (the first few of the report open); passing ones after.
    for (const t of [...failing, ...tests.filter((x) => !failing.includes(x))]) ul.append(testItem(t, actions, failing.includes(t) && opened++ < OPEN_MESSAGES));
    if (tests.length === 0) ul.append(h('li', { class: 'wb-test' }, 'No test of this task ran.'));
    details.append(ul);
    if (!done) {
      details.append(
        h('p', { class: 'wb-task__help' }, h('button', { type: 'button', class: 'wb-link', onclick: () => actions.hint(task.id) }, `Show a hint for “${task.title}”`)),
      );
    }
    list.append(h('li', {}, details));
  }
  root.append(list);
  return root;
}

function banner(r: GradeResult, actions: ReportActions, info: RunInfo): HTMLElement {
  const took = `${info.ms < 1000 ? `${Math.round(info.ms)} ms` : `${(info.ms / 1000).toFixed(1)} s`}`;
  const engine = r.engine === 'webcontainer' ? 'WebContainer (Node)' : r.engine === 'worker' ? 'in-page worker' : r.engine;
  const meta = h('p', { class: 'wb-banner__meta' }, `Graded by the ${engine} in ${took}.`, info.note ? ` ${info.note}` : '');
  const role = r.status === 'pass' ? 'pass' : r.status;
  const el = h('div', { class: `wb-banner wb-banner--${role}` });
  if (r.status === 'pass') {
    el.append(
      h('p', { class: 'wb-banner__title' }, h('span', { 'aria-hidden': 'true' }, '✓ '), `All tests pass: ${r.score}/${r.max_score} points.`),
      h('p', {}, 'Well done. The reference solution is now open in its tab: compare it with yours.'),
    );
  } else if (r.status === 'fail') {
    const left = r.tasks.filter((t) => t.score < t.max_score).map((t) => t.title);
    el.append(
      h('p', { class: 'wb-banner__title' }, `Score: ${r.score}/${r.max_score} points.`),
      h('p', {}, left.length ? `Still to do: ${left.join('; ')}.` : 'Some tests failed.'),
    );
  } else if (r.status === 'timeout') {
    el.append(
      h('p', { class: 'wb-banner__title' }, h('span', { 'aria-hidden': 'true' }, `${ICON.timeout} `), 'Stopped: the tests ran out of time.'),
      h('p', {}, linkify(r.message ?? 'The run was stopped.', actions)),
      h('p', {}, 'Look for a loop that never ends (a pointer that points back, an index that never advances). Nothing was lost: edit and run again.'),
    );
  } else {
    el.append(
      h('p', { class: 'wb-banner__title' }, h('span', { 'aria-hidden': 'true' }, '! '), 'Your code could not be graded.'),
      h('pre', { class: 'wb-msg' }, linkify(r.message ?? 'Unknown error.', actions)),
      h('p', {}, 'Fix it and run again. (The in-page runner reads your code without checking its types: a type error shows up only when the code runs.)'),
    );
  }
  el.append(meta);
  return el;
}

function testItem(t: TestResult, actions: ReportActions, open: boolean): HTMLElement {
  const head = [
    h('span', { class: 'wb-icon', 'aria-hidden': 'true' }, ICON[t.status] ?? '?'),
    sr(`${WORD[t.status] ?? t.status}: `),
    h('span', { class: 'wb-test__name' }, t.name),
    h('span', { class: 'wb-test__points' }, `${t.score}/${t.max_score}`),
  ];
  const li = h('li', { class: `wb-test is-${t.status}`, 'data-test': t.name });
  // A test not run says why in one line ("not run: … hung"): shown, not folded away.
  if (t.message && t.status !== 'pass') li.append(h('details', { open: open || t.status === 'skip' }, h('summary', {}, ...head), message(t.message, actions)));
  else li.append(...head);
  return li;
}

/**
 * A test's message, line by line. After vitest's "- Expected" header, lines starting with "-"
 * are the expected value and lines starting with "+" are what the code returned.
 */
export function message(text: string, actions: ReportActions): HTMLElement {
  const pre = h('pre', { class: 'wb-msg' });
  let inDiff = false;
  for (const line of text.split('\n')) {
    if (/^- Expected\b/.test(line)) inDiff = true;
    let cls = '';
    if (inDiff && /^-(\s|$)/.test(line)) cls = 'wb-diff-exp';
    else if (inDiff && /^\+(\s|$)/.test(line)) cls = 'wb-diff-got';
    const span = h('span', { class: cls || undefined }, linkify(line, actions));
    pre.append(span, '\n');
  }
  return pre;
}

/** "learner.ts:12:5" in a message becomes a button that goes there (for files the page shows). */
export function linkify(text: string, actions: ReportActions): (Node | string)[] {
  const names = actions.files.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  if (!names) return [text];
  const re = new RegExp(`\\b(${names}):(\\d+)(?::(\\d+))?`, 'g');
  const out: (Node | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    out.push(text.slice(last, m.index));
    const [all, file, line, col] = m as unknown as [string, string, string, string | undefined];
    out.push(
      h(
        'button',
        {
          type: 'button',
          class: 'wb-loc',
          title: `Go to ${all}`,
          onclick: () => actions.goTo(file, Number(line), col ? Number(col) : undefined),
        },
        all,
      ),
    );
    last = m.index! + all.length;
  }
  out.push(text.slice(last));
  return out;
}
