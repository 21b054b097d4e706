/**
 * The lab workbench, opened in place under a lab embed: the learner's file in CodeMirror,
 * read-only tabs (instructions, hints, tests, provided files, the reference once passed),
 * Run (button or Mod-Enter), the grade report, saved work and progress.
 * Loaded by the loader's dynamic import when the learner presses "Open lab", never before.
 */
import { failedRun, type GradeResult } from '../grading/result.ts';
import { EngineUnavailableError, RunCancelledError, seconds, type LabRunner } from '../grading/engines/types.ts';
import { createWorkerRunner, type WorkerRunner } from '../grading/engines/worker/runner.ts';
import { h, nextId } from './dom.ts';
import { createEditor, goTo, replaceDoc, type EditorView } from './editor.ts';
import { renderReport, shortStatus, summaryText, type ReportActions } from './report.ts';
import { LabStorage, ago, askPersist, downloadText, pickTextFile, type SavedWork } from './storage.ts';
import { Tabs } from './tabs.ts';
import { LEARNER, labDataPath, labInfo, type LabData } from './types.ts';
import type { WebContainerMode } from './webcontainer-mode.ts';
import { LIVE_LAB_IDS } from '../live/lab-ids.ts';
// Inlined into this chunk and added on first Open: a plain import would be gathered into the
// CSS of every page that ships the loader, before anyone opens a lab.
import workbenchCss from './workbench.css?inline';
import { choose, initialSelection, runTarget, webcontainerFailed, type EngineChoice, type Selection } from '../grading/engines/select.ts';

type Mode = EngineChoice;

const SAVE_DELAY_MS = 400;
const BOOT_TIMEOUT_MS = 20_000;
const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const RUN_KEYS = IS_MAC ? '⌘ Enter' : 'Ctrl+Enter';

interface Host extends HTMLElement {
  toggle?(): Promise<void>;
}

export async function openWorkbench(host: Host, panel: HTMLElement): Promise<Workbench> {
  const id = host.getAttribute('lab');
  if (!id) throw new Error('this lab embed names no lab');
  const response = await fetch(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}${labDataPath(id)}`);
  if (!response.ok) throw new Error(`the lab's files could not be fetched (HTTP ${response.status})`);
  const data = (await response.json()) as LabData;
  addStyles();
  const wb = new Workbench(panel, data);
  wb.mount();
  return wb;
}

/** The workbench's styles, once per page (several labs may be opened). */
function addStyles(): void {
  if (document.getElementById('netlabs-workbench-styles')) return;
  const style = document.createElement('style');
  style.id = 'netlabs-workbench-styles';
  style.textContent = workbenchCss;
  document.head.append(style);
}

export class Workbench {
  readonly data: LabData;
  private panel: HTMLElement;
  private storage = new LabStorage();
  private work: SavedWork;
  private editor!: EditorView;
  private readonlyViews = new Map<string, EditorView>();
  private tabs = new Tabs('Lab files');
  private worker: WorkerRunner;
  private wc?: WebContainerMode;
  /** Which engine grades a Run: the policy is ../grading/engines/select.ts. */
  private selection: Selection;
  private get mode(): Mode { return this.selection.mode; }
  private running = false;
  /** A WebContainer boot in progress. */
  private booting?: Promise<void>;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private passed: boolean;
  private el = {} as {
    root: HTMLElement;
    run: HTMLButtonElement;
    stop: HTMLButtonElement;
    state: HTMLElement;
    live: HTMLElement;
    report: HTMLElement;
    notices: HTMLElement;
    select: HTMLSelectElement;
    undoReset: HTMLButtonElement;
    terminal: HTMLElement;
    full: HTMLButtonElement;
    saved: HTMLElement;
    liveRun: HTMLButtonElement;
  };

  constructor(panel: HTMLElement, data: LabData) {
    this.panel = panel;
    this.data = data;
    const saved = this.storage.loadWork(data.meta.id);
    this.work = saved ?? { version: data.meta.version, code: data.files['starter.ts'] ?? '', saved_at: '', hints: {} };
    this.work.hints ??= {};
    const entry = this.storage.entry(data.meta.id);
    this.passed = !!entry && (entry.passed || !!entry.earlier?.passed);
    this.selection = initialSelection(data.meta.runtime);
    this.worker = createWorkerRunner();
  }

  private get meta() {
    return this.data.meta;
  }

  /** The files the harness needs, with the learner's code as learner.ts. */
  private gradeFiles(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const [name, text] of Object.entries(this.data.files)) if (name !== 'starter.ts') files[name] = text;
    files[LEARNER] = this.editor.state.doc.toString();
    return files;
  }

  mount(): void {
    const m = this.meta;
    const headingId = nextId('wb-h');
    const reportHeadingId = nextId('wb-report-h');
    const el = this.el;

    el.run = h('button', { type: 'button', class: 'wb-run', 'aria-keyshortcuts': IS_MAC ? 'Meta+Enter' : 'Control+Enter' }, 'Run', h('kbd', { class: 'wb-run__keys' }, RUN_KEYS));
    el.run.addEventListener('click', () => void this.run());
    el.stop = h('button', { type: 'button', class: 'wb-btn wb-stop', hidden: true }, 'Stop');
    el.stop.addEventListener('click', () => this.currentRunner()?.cancel?.());
    // A live run needs real sockets: offered only where the WebContainer is up, for labs that have one.
    el.liveRun = h('button', { type: 'button', class: 'wb-btn wb-live-run', hidden: true }, 'Live run');
    el.liveRun.addEventListener('click', () => void this.liveRun());
    el.state = h('span', { class: 'wb-state' }, 'Ready.');
    el.saved = h('span', { class: 'wb-saved' });
    el.select = h(
      'select',
      { class: 'wb-select', id: nextId('wb-runner') },
      h('option', { value: 'worker', disabled: m.runtime === 'node' }, m.runtime === 'node' ? 'In-page worker (cannot run this lab)' : 'In-page worker (fast, offline)'),
      h('option', { value: 'webcontainer' }, 'WebContainer: Node + shell (online)'),
    );
    el.select.value = this.mode;
    el.select.addEventListener('change', () => void this.setMode(el.select.value as Mode));
    el.full = h('button', { type: 'button', class: 'wb-btn', 'aria-pressed': 'false' }, 'Full screen');
    el.full.addEventListener('click', () => this.toggleFull());
    el.live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    el.notices = h('div', { class: 'wb-notices' });
    el.report = h('div', { class: 'wb-report__content' }, h('p', { class: 'wb-muted' }, `Press Run (or ${RUN_KEYS} in the editor) to grade your code. Your work is saved in this browser as you type.`));
    el.undoReset = h('button', { type: 'button', class: 'wb-btn', hidden: !this.work.before_reset }, 'Undo reset');
    el.undoReset.addEventListener('click', () => this.undoReset());
    el.terminal = h('div', { class: 'wb-terminal', hidden: true, role: 'region', 'aria-label': 'WebContainer terminal' });

    const tabs = this.tabs;
    tabs.add({
      key: LEARNER,
      label: `${LEARNER} (yours)`,
      render: (p) => {
        this.editor = createEditor({
          doc: this.work.code,
          parent: p,
          label: `${LEARNER}: your code for ${m.title}`,
          onChange: () => this.scheduleSave(),
          onRun: () => void this.run(),
        });
      },
      shown: () => this.editor?.requestMeasure(),
    });
    tabs.add({ key: 'instructions', label: 'Instructions', render: (p) => this.renderInstructions(p) });
    tabs.add({ key: 'hints', label: 'Hints', render: (p) => this.renderHints(p) });
    for (const name of ['grade.test.ts', ...m.files]) {
      tabs.add({ key: name, label: name, render: (p) => this.renderReadonly(p, name), shown: () => this.readonlyViews.get(name)?.requestMeasure() });
    }
    tabs.add({ key: 'reference.ts', label: this.passed ? 'reference.ts' : 'reference.ts (locked)', render: (p) => this.renderReference(p) });

    const fileActions = h(
      'div',
      { class: 'wb-actions', role: 'group', 'aria-label': 'Your file' },
      h('button', { type: 'button', class: 'wb-btn', onclick: () => this.reset() }, 'Reset to starter'),
      el.undoReset,
      h('button', { type: 'button', class: 'wb-btn', onclick: () => this.download() }, 'Download .ts'),
      h('button', { type: 'button', class: 'wb-btn', onclick: () => void this.upload() }, 'Upload .ts'),
      el.saved,
    );

    el.root = h(
      'section',
      { class: 'wb', 'aria-labelledby': headingId, 'data-lab': m.id, 'data-state': 'ready' },
      h('h4', { id: headingId, class: 'visually-hidden' }, `Workbench: ${m.title}`),
      h(
        'div',
        { class: 'wb-bar' },
        el.run,
        el.stop,
        el.liveRun,
        el.state,
        h('span', { class: 'wb-bar__spacer' }),
        h('label', { class: 'wb-field', for: el.select.id }, h('span', {}, 'Runner'), el.select),
        el.full,
      ),
      el.notices,
      h(
        'div',
        { class: 'wb-layout' },
        h('div', { class: 'wb-files' }, tabs.list, tabs.panels, fileActions),
        h(
          'section',
          { class: 'wb-report', 'aria-labelledby': reportHeadingId },
          h('h4', { id: reportHeadingId, class: 'wb-report__title' }, 'Report'),
          el.live,
          el.report,
        ),
      ),
      el.terminal,
      h(
        'div',
        { class: 'wb-notes' },
        h(
          'p',
          {},
          h('strong', {}, 'Types are not checked here. '),
          'The in-page runner strips TypeScript types without checking them, so a type error shows only when the code runs. For type checking, work from the command line: ',
          h('code', {}, `npm run lab -- start ${m.id}`),
          ' puts the starter in your own editor, and ',
          h('code', {}, `npm run lab -- grade ${m.id}`),
          ' grades it.',
        ),
        h(
          'p',
          {},
          h('strong', {}, 'Grading in the page is practice. '),
          'The tests and the reference solution are sent to your browser, so nothing stops you from reading them; the reference tab opens once you pass. Marks that count come from grading on the command line or in CI.',
        ),
        h(
          'p',
          { class: 'wb-actions', role: 'group', 'aria-label': 'Progress' },
          h('span', {}, 'Progress of every lab, with your code:'),
          h('button', { type: 'button', class: 'wb-btn', onclick: () => this.exportProgress() }, 'Export progress'),
          h('button', { type: 'button', class: 'wb-btn', onclick: () => void this.importProgress() }, 'Import progress'),
        ),
      ),
    );
    el.root.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
        e.preventDefault();
        void this.run();
      } else if (e.key === 'Escape' && el.root.classList.contains('wb--full')) {
        this.toggleFull();
        el.full.focus();
      }
    });

    this.panel.replaceChildren(el.root);
    this.panel.hidden = false;
    this.showStartNotices();
    this.updateSaved();
    if (this.mode === 'worker') this.worker.warm();
    else void this.setMode('webcontainer');
    addEventListener('pagehide', () => this.flushSave());
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && this.flushSave());
  }

  /** Opened from the keyboard: put the focus on Run and say where the learner is. */
  focusRun(): void {
    this.el.run.focus();
    this.announce(`The ${this.meta.title} lab is open. Run grades your code; your file is the first tab.`);
  }

  // ---------- notices ----------

  private notice(kind: 'info' | 'warn', key: string, ...content: (Node | string)[]): void {
    this.el.notices.querySelector(`[data-notice="${key}"]`)?.remove();
    const close = h('button', { type: 'button', class: 'wb-notice__close', 'aria-label': 'Dismiss this notice' }, '×');
    const n = h('div', { class: `wb-notice wb-notice--${kind}`, 'data-notice': key }, h('p', {}, ...content), close);
    close.addEventListener('click', () => {
      n.remove();
      this.el.run.focus();
    });
    this.el.notices.append(n);
  }

  private showStartNotices(): void {
    const m = this.meta;
    const saved = this.storage.loadWork(m.id);
    const entry = this.storage.entry(m.id);
    if (saved && saved.version < m.version) {
      const best = entry && entry.version < m.version ? ` Your best score, ${entry.score}/${entry.max_score}, was reached on that earlier version.` : '';
      this.notice('warn', 'version', `This lab has changed since you saved your code (version ${saved.version}, now ${m.version}). Your code is kept as it was: run it to see how it scores now.${best}`);
    } else if (entry && entry.version < m.version) {
      this.notice('warn', 'version', `This lab has changed (now version ${m.version}). Your best score, ${entry.score}/${entry.max_score}, was reached on version ${entry.version}.`);
    }
    if (m.runtime === 'node') {
      this.notice('warn', 'node', 'This lab needs Node: the in-page worker cannot grade it. Use the WebContainer runner, or the command line: ', h('code', {}, `npm run lab -- grade ${m.id}`), '.');
    }
  }

  // ---------- saving ----------

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flushSave(), SAVE_DELAY_MS);
    this.el.saved.textContent = 'Saving…';
  }

  private flushSave(): void {
    if (this.saveTimer === undefined || !this.editor) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.work.code = this.editor.state.doc.toString();
    this.work.version = this.meta.version;
    this.persist();
  }

  private persist(): void {
    this.work.saved_at = new Date().toISOString();
    const ok = this.storage.saveWork(this.meta.id, this.work);
    askPersist();
    if (!ok) {
      this.notice('warn', 'storage', `Your code could not be saved in this browser (${this.storage.lastError ?? 'storage unavailable'}). Download it to keep a copy.`);
    }
    this.updateSaved();
  }

  private updateSaved(): void {
    this.el.saved.textContent = this.work.saved_at ? 'Saved in this browser.' : '';
  }

  // ---------- reset, download, upload ----------

  private reset(): void {
    const starter = this.data.files['starter.ts'] ?? '';
    const current = this.editor.state.doc.toString();
    if (current === starter) {
      this.say('Your file is already the starter code.');
      return;
    }
    this.replaceCode(starter, current, 'Reset to the starter code. Undo reset (or Ctrl+Z in the editor) brings your code back.');
    this.el.undoReset.textContent = 'Undo reset';
  }

  private undoReset(): void {
    const back = this.work.before_reset;
    if (back === undefined) return;
    this.work.before_reset = undefined;
    replaceDoc(this.editor, back);
    this.work.code = back;
    this.persist();
    this.el.undoReset.hidden = true;
    this.tabs.select(LEARNER);
    this.editor.focus();
    this.say('Your code is back.');
  }

  private replaceCode(text: string, previous: string, message: string): void {
    this.tabs.select(LEARNER);
    replaceDoc(this.editor, text);
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.work.before_reset = previous;
    this.work.code = text;
    this.work.version = this.meta.version;
    this.persist();
    this.el.undoReset.hidden = false;
    this.say(message);
  }

  private download(): void {
    const slug = this.meta.id.split('/').pop() ?? 'lab';
    downloadText(`${slug}.ts`, this.editor.state.doc.toString(), 'text/typescript');
    this.say(`Downloaded ${slug}.ts.`);
  }

  private async upload(): Promise<void> {
    const file = await pickTextFile('.ts,.mts,.js,.txt,text/plain');
    if (!file) return;
    this.replaceCode(file.text, this.editor.state.doc.toString(), `Loaded ${file.name} into ${LEARNER}. Undo upload brings your previous code back.`);
    this.el.undoReset.textContent = 'Undo upload';
  }

  private exportProgress(): void {
    this.flushSave();
    const file = this.storage.exportAll();
    downloadText(`netlabs-progress-${file.exported_at.slice(0, 10)}.json`, JSON.stringify(file, null, 2), 'application/json');
    this.say('Progress exported.');
  }

  private async importProgress(): Promise<void> {
    const file = await pickTextFile('.json,application/json');
    if (!file) return;
    try {
      const { progress, work } = this.storage.importAll(JSON.parse(file.text));
      const mine = this.storage.loadWork(this.meta.id);
      const current = this.editor.state.doc.toString();
      if (mine && mine.code !== current) {
        this.work = { ...mine, hints: mine.hints ?? {} };
        this.replaceCode(mine.code, current, '');
        this.el.undoReset.textContent = 'Undo import';
      }
      dispatchEvent(new CustomEvent('netlabs:progress'));
      this.say(`Imported ${file.name}: ${progress} lab score${progress === 1 ? '' : 's'} and ${work} saved file${work === 1 ? '' : 's'} were newer or better.`);
    } catch (e) {
      this.say(`Could not import ${file.name}: ${e instanceof SyntaxError ? 'it is not JSON' : (e as Error).message}`);
    }
  }

  /** A short message in the status line, also announced. */
  private say(text: string): void {
    if (!text) return;
    this.el.state.textContent = text;
    this.announce(text);
  }

  private announce(text: string): void {
    this.el.live.textContent = '';
    setTimeout(() => (this.el.live.textContent = text), 50);
  }

  // ---------- panels ----------

  private renderInstructions(p: HTMLElement): void {
    const div = h('div', { class: 'wb-prose' });
    div.innerHTML = this.data.instructions; // rendered from the lab's Markdown at build time
    p.append(div);
  }

  private renderHints(p: HTMLElement): void {
    p.classList.add('wb-prose');
    p.append(h('p', { class: 'wb-muted' }, 'Hints come one at a time, from a nudge to a near-answer. None gives the answer away.'));
    for (const task of this.meta.tasks) {
      const hints = this.data.hints.find((x) => x.task === task.id)?.hints ?? [];
      const list = h('ol', { class: 'wb-hints' });
      const button = h('button', { type: 'button', class: 'wb-btn' });
      const section = h('section', { class: 'wb-hint-task', 'data-task': task.id }, h('h5', {}, task.title), list, button);
      const show = (n: number, focus: boolean): void => {
        list.replaceChildren();
        hints.slice(0, n).forEach((html, i) => {
          const li = h('li', { tabindex: '-1' });
          li.innerHTML = html;
          list.append(li);
          if (focus && i === n - 1) li.focus();
        });
        if (hints.length === 0) button.textContent = 'No hints for this task';
        else if (n >= hints.length) button.textContent = 'No more hints';
        else button.textContent = `Show hint ${n + 1} of ${hints.length}`;
        button.disabled = n >= hints.length;
      };
      const reveal = (): void => {
        const n = Math.min(hints.length, (this.work.hints![task.id] ?? 0) + 1);
        this.work.hints![task.id] = n;
        this.persist();
        show(n, true);
      };
      button.addEventListener('click', reveal);
      (section as HTMLElement & { reveal?: () => void }).reveal = reveal;
      show(this.work.hints![task.id] ?? 0, false);
      p.append(section);
    }
  }

  /** From the report: open the hints of a task and reveal the next one. */
  private hint(taskId: string): void {
    this.tabs.select('hints');
    const section = this.tabs.panel('hints')?.querySelector<HTMLElement & { reveal?: () => void }>(`[data-task="${taskId}"]`);
    section?.reveal?.();
    if (section && !section.contains(document.activeElement)) section.querySelector('button')?.focus();
  }

  private renderReadonly(p: HTMLElement, name: string): void {
    const view = createEditor({ doc: this.data.files[name] ?? '', parent: p, label: `${name} (read-only)`, readOnly: true, onRun: () => void this.run() });
    this.readonlyViews.set(name, view);
  }

  private renderReference(p: HTMLElement): void {
    p.replaceChildren();
    if (!this.passed) {
      p.append(
        h(
          'p',
          { class: 'wb-locked' },
          'The reference solution opens here once your code passes every test. (Its code is in the page already: grading in the page is practice, not an exam.)',
        ),
      );
      return;
    }
    p.append(h('p', { class: 'wb-muted' }, 'You passed: here is the reference implementation the tests compare your code with.'));
    this.renderReadonly(p, 'reference.ts');
  }

  private unlockReference(): void {
    if (this.passed) return;
    this.passed = true;
    this.tabs.setLabel('reference.ts', 'reference.ts');
    const p = this.tabs.panel('reference.ts');
    if (p && p.childElementCount) this.renderReference(p);
  }

  private goTo(file: string, line: number, column?: number): void {
    if (!this.tabs.has(file)) return;
    this.tabs.select(file);
    const view = file === LEARNER ? this.editor : this.readonlyViews.get(file);
    if (view) goTo(view, line, column);
  }

  // ---------- full screen ----------

  private toggleFull(): void {
    const on = !this.el.root.classList.contains('wb--full');
    this.el.root.classList.toggle('wb--full', on);
    document.documentElement.classList.toggle('wb-has-full', on);
    this.el.full.setAttribute('aria-pressed', String(on));
    this.el.full.textContent = on ? 'Exit full screen' : 'Full screen';
    this.editor?.requestMeasure();
  }

  // ---------- runners ----------

  private async setMode(mode: Mode): Promise<void> {
    this.el.select.value = mode;
    if (mode === 'worker') {
      this.selection = choose(this.selection, 'worker');
      this.el.terminal.hidden = true;
      this.el.liveRun.hidden = true;
      this.worker.warm();
      this.say('Runner: the in-page worker.');
      return;
    }
    this.selection = choose(this.selection, 'webcontainer');
    this.booting ??= this.bootWebContainer().finally(() => { this.booting = undefined; });
    await this.booting;
  }

  /** Boot, with one status line while it lasts (a Run pressed meanwhile waits for it: run()). */
  private async bootWebContainer(): Promise<void> {
    this.el.terminal.hidden = false;
    this.el.root.dataset.state = 'booting';
    const t0 = performance.now();
    const status = (): string => {
      const waiting = this.running ? ' Your Run starts when it is ready.' : '';
      return `Starting the WebContainer… ${Math.round((performance.now() - t0) / 1000)} s (gives up after ${seconds(BOOT_TIMEOUT_MS)}).${waiting}`;
    };
    const tick = setInterval(() => { this.el.state.textContent = status(); }, 500);
    this.say('Starting the WebContainer (Node in your browser)…');
    let state: { ok: true } | { ok: false; reason: string };
    try {
      if (!this.wc) {
        const { startWebContainer } = await import('./webcontainer-mode.ts');
        this.wc = startWebContainer(this.el.terminal, BOOT_TIMEOUT_MS);
      }
      state = await this.wc.ready;
    } catch (e) {
      state = { ok: false, reason: `could not load (${e instanceof Error ? e.message : String(e)})` };
    } finally {
      clearInterval(tick);
    }
    this.el.root.dataset.state = this.running ? 'running' : 'ready';
    if (state.ok) {
      this.el.liveRun.hidden = !LIVE_LAB_IDS.includes(this.meta.id);
      this.say(`WebContainer ready in ${((performance.now() - t0) / 1000).toFixed(1)} s. Run grades with node; the terminal is a shell.`);
      return;
    }
    this.fallBack(state.reason);
  }

  /** Your code against the lab's reference server inside the container, shown in the terminal. */
  private async liveRun(): Promise<void> {
    const wc = this.wc;
    if (!wc || this.el.liveRun.getAttribute('aria-disabled') === 'true') return;
    this.el.liveRun.setAttribute('aria-disabled', 'true');
    this.say('Live run: your client against the reference server, in the terminal below…');
    try {
      const code = await wc.runner.live(this.gradeFiles(), this.meta.id);
      this.say(code === 0 ? 'Live run done: the exchange is in the terminal (not a grade).' : 'Live run failed: the terminal says why.');
    } catch (e) {
      this.say(`Live run unavailable: ${e instanceof Error ? e.message : String(e)}.`);
    } finally {
      this.el.liveRun.removeAttribute('aria-disabled');
    }
  }

  /** The WebContainer cannot run here: say why and use the worker (a reload tries again). */
  private fallBack(reason: string): void {
    const fallback = webcontainerFailed(this.selection, reason);
    this.selection = fallback.selection;
    const webcontainer = this.el.select.querySelector<HTMLOptionElement>('option[value="webcontainer"]');
    if (webcontainer) {
      webcontainer.disabled = true;
      webcontainer.textContent = 'WebContainer (unavailable: reload to retry)';
    }
    if (fallback.kind === 'command-line') {
      this.notice('warn', 'fallback', `The WebContainer could not start (${reason}), and this lab needs Node. Grade it on the command line: `, h('code', {}, `npm run lab -- grade ${this.meta.id}`), '.');
      this.say(`WebContainer unavailable: ${reason}.`);
      return;
    }
    this.el.select.value = 'worker';
    this.el.terminal.hidden = true;
    this.worker.warm();
    this.notice('warn', 'fallback', `The WebContainer could not start (${reason}). Using the in-page worker instead; reload the page to try again.`);
    this.say(`WebContainer unavailable (${reason}): using the in-page worker.`);
  }

  private currentRunner(): LabRunner | undefined {
    const target = runTarget(this.selection, this.wc !== undefined);
    if (target.kind !== 'engine') return undefined;
    return target.engine === 'webcontainer' ? this.wc?.runner : this.worker;
  }

  async run(): Promise<GradeResult | undefined> {
    if (this.running) {
      this.say('Already running: the report comes when the tests finish or time out.');
      return undefined;
    }
    if (!this.editor) return undefined;
    this.flushSave();
    const m = this.meta;
    const info = labInfo(m);
    const el = this.el;
    this.running = true;
    if (!this.booting) el.root.dataset.state = 'running';
    el.run.setAttribute('aria-disabled', 'true');
    el.run.firstChild!.textContent = 'Running…';
    el.report.setAttribute('aria-busy', 'true');
    // A Run pressed while the WebContainer boots waits for it under the boot's one status line;
    // the report's time is the grading time, the wait is said apart.
    let waitedMs = 0;
    if (this.booting) {
      const w0 = performance.now();
      this.announce('The WebContainer is starting: your code is graded when it is ready.');
      await this.booting;
      waitedMs = performance.now() - w0;
      el.root.dataset.state = 'running';
    }
    const runner = this.currentRunner();
    if (!runner) {
      const target = runTarget(this.selection, this.wc !== undefined);
      this.endRun();
      el.report.removeAttribute('aria-busy');
      this.say(target.kind === 'wait' ? 'The WebContainer is still starting: try again in a moment.' : 'This lab needs Node: choose the WebContainer runner, or use the command line.');
      return undefined;
    }
    el.stop.hidden = !runner.cancel;
    const t0 = performance.now();
    const limit = seconds(m.test_time_limit_ms);
    el.state.textContent = 'Running the tests…';
    this.announce('Running the tests.');
    const tick = setInterval(() => {
      el.state.textContent = `Running the tests… ${Math.floor((performance.now() - t0) / 1000)} s (a test still running after ${limit} is stopped)`;
    }, 1000);
    let result: GradeResult;
    let note: string | undefined = waitedMs >= 100 ? `Waited ${(waitedMs / 1000).toFixed(1)} s for the WebContainer to start before grading.` : undefined;
    try {
      result = await runner.grade(this.gradeFiles(), info, { timeLimitMs: m.time_limit_ms, testTimeLimitMs: m.test_time_limit_ms });
    } catch (e) {
      if (e instanceof EngineUnavailableError && this.mode === 'webcontainer') {
        this.fallBack(e.message);
        const fallback = this.currentRunner();
        note = [note, `The WebContainer was unavailable (${e.message}).`].filter(Boolean).join(' ');
        // A node lab has no worker to fall back to; and a fallback that fails too must still
        // end the run with a report, never leave Run disabled.
        result = fallback && fallback !== runner
          ? await fallback.grade(this.gradeFiles(), info, { timeLimitMs: m.time_limit_ms, testTimeLimitMs: m.test_time_limit_ms }).catch((err: unknown) =>
            failedRun(info, fallback.engine, 'error', `The grader failed: ${err instanceof Error ? err.message : String(err)}`))
          : failedRun(info, 'webcontainer', 'error', `The WebContainer is unavailable (${e.message}); this lab needs Node: grade it on the command line.`);
      } else if (e instanceof RunCancelledError) {
        this.endRun();
        el.report.removeAttribute('aria-busy');
        el.state.textContent = 'Stopped: nothing was graded.';
        this.announce('Stopped. Nothing was graded.');
        return undefined;
      } else {
        result = failedRun(info, runner.engine, 'error', `The grader failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    } finally {
      clearInterval(tick);
    }
    const ms = performance.now() - t0;
    this.endRun();
    this.showResult(result, ms, t0, note);
    return result;
  }

  private endRun(): void {
    const el = this.el;
    this.running = false;
    el.root.dataset.state = 'ready';
    el.run.removeAttribute('aria-disabled');
    el.run.firstChild!.textContent = 'Run';
    if (el.stop.contains(document.activeElement)) el.run.focus();
    el.stop.hidden = true;
  }

  private showResult(result: GradeResult, ms: number, t0: number, note?: string): void {
    const el = this.el;
    const actions: ReportActions = {
      goTo: (file, line, col) => this.goTo(file, line, col),
      hint: (task) => this.hint(task),
      files: [LEARNER, 'grade.test.ts', ...this.meta.files, ...(this.passed ? ['reference.ts'] : [])],
    };
    const { entry, improved } = this.storage.recordGrade(result);
    if (result.status === 'pass') this.unlockReference();
    el.report.replaceChildren(renderReport(result, actions, { ms, note }));
    el.report.removeAttribute('aria-busy');
    // From pressing Run to the report on screen (what `npm run bench` and the e2e timings read).
    el.root.dataset.reportMs = String(Math.round(performance.now() - t0));
    el.root.dataset.status = result.status;
    el.root.dataset.runs = String(Number(el.root.dataset.runs ?? 0) + 1);
    el.root.dataset.score = String(result.score);
    el.root.dataset.runMs = String(Math.round(ms));
    const best = improved
      ? entry.score > 0 || entry.passed
        ? ' New best score.'
        : ''
      : ` Best so far: ${entry.score}/${entry.max_score}${entry.at ? `, ${ago(entry.at)}` : ''}.`;
    el.state.textContent = `${shortStatus(result)}${best}`;
    this.announce(`${summaryText(result)}${best}`);
    dispatchEvent(new CustomEvent('netlabs:progress', { detail: { lab: result.lab } }));
  }
}

