/**
 * Accessible tabs (WAI-ARIA tabs pattern): a tablist with roving tabindex, arrow keys, Home/End,
 * and panels created on first show (read-only editors are built only when looked at).
 */
import { h, nextId } from './dom.ts';

export interface TabSpec {
  key: string;
  label: string;
  /** Builds the panel's content the first time the tab is shown. */
  render(panel: HTMLElement): void;
  /** Called every time the tab is shown (after render). */
  shown?(): void;
}

export class Tabs {
  readonly list: HTMLElement;
  readonly panels: HTMLElement;
  private tabs = new Map<string, { tab: HTMLButtonElement; panel: HTMLElement; spec: TabSpec; rendered: boolean }>();
  current = '';

  constructor(label: string) {
    this.list = h('div', { role: 'tablist', 'aria-label': label, class: 'wb-tabs' });
    this.panels = h('div', { class: 'wb-panels' });
    this.list.addEventListener('keydown', (e) => this.onKey(e));
  }

  add(spec: TabSpec): void {
    const tabId = nextId('wb-tab');
    const panelId = nextId('wb-panel');
    const tab = h('button', { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'aria-selected': 'false', tabindex: '-1', class: 'wb-tab', 'data-tab': spec.key }, spec.label);
    const panel = h('div', { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, class: 'wb-panel', hidden: true, 'data-panel': spec.key });
    tab.addEventListener('click', () => this.select(spec.key));
    this.list.append(tab);
    this.panels.append(panel);
    this.tabs.set(spec.key, { tab, panel, spec, rendered: false });
    if (!this.current) this.select(spec.key);
  }

  has(key: string): boolean {
    return this.tabs.has(key);
  }

  panel(key: string): HTMLElement | undefined {
    return this.tabs.get(key)?.panel;
  }

  setLabel(key: string, label: string): void {
    const t = this.tabs.get(key);
    if (t) t.tab.textContent = label;
  }

  select(key: string, focusTab = false): void {
    const next = this.tabs.get(key);
    if (!next) return;
    for (const [k, t] of this.tabs) {
      const on = k === key;
      t.tab.setAttribute('aria-selected', String(on));
      t.tab.tabIndex = on ? 0 : -1;
      t.panel.hidden = !on;
    }
    this.current = key;
    if (!next.rendered) {
      next.rendered = true;
      next.spec.render(next.panel);
    }
    next.spec.shown?.();
    if (focusTab) next.tab.focus();
    // On a phone the tab row scrolls sideways: keep the chosen tab in sight (the row only).
    const row = next.tab.parentElement;
    if (row && row.scrollWidth > row.clientWidth) {
      const left = next.tab.offsetLeft - row.offsetLeft;
      if (left < row.scrollLeft || left + next.tab.offsetWidth > row.scrollLeft + row.clientWidth) row.scrollLeft = left - 8;
    }
  }

  private onKey(e: KeyboardEvent): void {
    const keys = [...this.tabs.keys()];
    const i = keys.indexOf(this.current);
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % keys.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + keys.length) % keys.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = keys.length - 1;
    if (j < 0) return;
    e.preventDefault();
    this.select(keys[j]!, true);
  }
}
