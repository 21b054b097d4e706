/**
 * The one script a page with labs or progress ships before a lab is opened (budget: 3 KB gzip).
 * Two custom elements, no imports at load time:
 *   <netlabs-lab lab="dns/message-codec" version="1">  a lab embed: best score + "Open lab";
 *      the workbench is imported (dynamic import) only when the learner opens the lab.
 *   <netlabs-progress lab="..." version="1">            the best score of one lab, as text.
 * Progress is read from localStorage "netlabs:progress" (written by storage.ts).
 */
interface Best {
  version: number;
  score: number;
  max_score: number;
  at: string;
  passed: boolean;
  earlier?: Best;
}

const OPEN_KEY = 'netlabs:open';
const EVENT = 'netlabs:progress';

function best(id: string): Best | undefined {
  try {
    return JSON.parse(localStorage.getItem('netlabs:progress') || '{}')[id];
  } catch {
    return undefined;
  }
}

/** "Best: 18/20, passed (2 days ago)" or "Not attempted yet". */
function describe(id: string, version: number): string {
  const b = best(id);
  if (!b) return 'Not attempted yet';
  const old = b.version < version ? ' on an earlier version of this lab' : '';
  const days = Math.floor((Date.now() - Date.parse(b.at)) / 864e5);
  const when = days > 0 ? ` (${days} day${days > 1 ? 's' : ''} ago)` : ' (today)';
  return `Best: ${b.score}/${b.max_score}${b.passed && !old ? ', passed' : ''}${old}${old ? '' : when}`;
}

function openSet(): Set<string> {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(OPEN_KEY) || '[]'));
  } catch {
    return new Set();
  }
}

function rememberOpen(id: string, open: boolean): void {
  const s = openSet();
  open ? s.add(id) : s.delete(id);
  try {
    sessionStorage.setItem(OPEN_KEY, JSON.stringify([...s]));
  } catch {
    /* no session storage: the lab just will not reopen on reload */
  }
}

abstract class Watcher extends HTMLElement {
  private onChange = (): void => this.update();
  abstract update(): void;
  connectedCallback(): void {
    this.update();
    addEventListener(EVENT, this.onChange);
    addEventListener('storage', this.onChange);
  }
  disconnectedCallback(): void {
    removeEventListener(EVENT, this.onChange);
    removeEventListener('storage', this.onChange);
  }
  get labId(): string {
    return this.getAttribute('lab') || '';
  }
  get labVersion(): number {
    return Number(this.getAttribute('version')) || 1;
  }
}

class NetlabsProgress extends Watcher {
  update(): void {
    this.textContent = describe(this.labId, this.labVersion);
  }
}

class NetlabsLab extends Watcher {
  private opened?: Promise<void>;
  private loading = false;

  override connectedCallback(): void {
    const bar = this.querySelector<HTMLElement>('[data-lab-bar]');
    const button = this.querySelector<HTMLButtonElement>('[data-open]');
    if (!bar || !button) return;
    bar.hidden = false;
    super.connectedCallback();
    button.addEventListener('click', () => this.toggle());
    if (openSet().has(this.labId)) void this.toggle(false);
  }

  update(): void {
    const out = this.querySelector('[data-best]');
    if (out) out.textContent = describe(this.labId, this.labVersion);
  }

  async toggle(fromUser = true): Promise<void> {
    const button = this.querySelector<HTMLButtonElement>('[data-open]')!;
    const panel = this.querySelector<HTMLElement>('[data-workbench]')!;
    const label = (text: string): void => {
      (button.querySelector('[data-label]') || button).textContent = text;
    };
    if (this.opened) {
      const show = !!panel.hidden;
      panel.hidden = !show;
      button.setAttribute('aria-expanded', String(show));
      label(show ? 'Hide lab' : 'Open lab');
      rememberOpen(this.labId, show);
      return;
    }
    if (this.loading) return;
    // Not `disabled`: a disabled button drops the keyboard focus to <body>.
    this.loading = true;
    button.setAttribute('aria-disabled', 'true');
    label('Loading the lab…');
    this.opened = import('./workbench.ts')
      .then((m) => m.openWorkbench(this, panel))
      .then(
        (wb) => {
          label('Hide lab');
          button.setAttribute('aria-expanded', 'true');
          rememberOpen(this.labId, true);
          // Opened by the learner: into the workbench, where the next step is (Run, then the editor).
          const focus = document.activeElement;
          if (fromUser && (focus === button || focus === document.body || focus === null)) wb.focusRun();
        },
        (e: unknown) => {
          this.opened = undefined;
          label('Open lab');
          panel.hidden = false;
          panel.textContent = `The lab could not be loaded: ${String(e)}. Check your connection and try again.`;
        },
      )
      .finally(() => {
        this.loading = false;
        button.removeAttribute('aria-disabled');
      });
    await this.opened;
  }
}

/** <netlabs-progress-io hidden>: shown with JS; its [data-act=export|import] buttons load the code they need. */
class NetlabsProgressIo extends HTMLElement {
  connectedCallback(): void {
    this.hidden = false;
    this.addEventListener('click', (e) => {
      const act = (e.target as Element).closest('[data-act]')?.getAttribute('data-act');
      if (act) void import('./progress-io.ts').then((m) => m.progressAction(act, this));
    });
  }
}

customElements.define('netlabs-progress', NetlabsProgress);
customElements.define('netlabs-progress-io', NetlabsProgressIo);
customElements.define('netlabs-lab', NetlabsLab);

// "/" moves to the header's search box, as on most documentation sites; never while typing.
document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement | null;
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || !t || t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
  const box = document.getElementById('site-search-q');
  if (box) { e.preventDefault(); box.focus(); }
});
