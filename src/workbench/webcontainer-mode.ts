/**
 * The WebContainer mode of the workbench: real Node and a shell, shown in xterm. Everything
 * here (xterm, its CSS, @webcontainer/api) loads only when the learner picks this mode.
 */
import { Terminal } from '@xterm/xterm';
// As text, put in a <style> when this mode starts: a stylesheet imported from a module that
// is itself imported dynamically from a page script is dropped by the site build.
import xtermCss from '@xterm/xterm/css/xterm.css?inline';
import { createWebContainerRunner, type ShellSession, type WebContainerRunner } from '../grading/engines/webcontainer/runner.ts';

export interface WebContainerMode {
  runner: WebContainerRunner;
  terminal: Terminal;
  /** Boot (racing a timeout); ok, or the reason to fall back to the worker. */
  ready: Promise<{ ok: true } | { ok: false; reason: string }>;
  dispose(): void;
}

const FONT_SIZE = 13;

function size(el: HTMLElement): { cols: number; rows: number } {
  const width = el.clientWidth || 640;
  return { cols: Math.max(40, Math.floor((width - 24) / (FONT_SIZE * 0.62))), rows: 16 };
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function addStyles(): void {
  if (document.getElementById('netlabs-xterm-css')) return;
  const style = document.createElement('style');
  style.id = 'netlabs-xterm-css';
  style.textContent = xtermCss;
  document.head.append(style);
}

export function startWebContainer(host: HTMLElement, bootTimeoutMs: number): WebContainerMode {
  addStyles();
  const { cols, rows } = size(host);
  const terminal = new Terminal({
    cols,
    rows,
    fontSize: FONT_SIZE,
    fontFamily: cssVar('--font-mono', 'monospace'),
    convertEol: false,
    cursorBlink: false,
    screenReaderMode: true,
    theme: { background: cssVar('--cm-bg', '#ffffff'), foreground: cssVar('--cm-fg', '#1c1e22'), cursor: cssVar('--cm-caret', '#1c1e22'), selectionBackground: cssVar('--cm-selection', '#b3d4fc') },
  });
  terminal.open(host);
  terminal.write('Starting a WebContainer (Node in your browser)…\r\n');
  const runner = createWebContainerRunner({ terminal, bootTimeoutMs });
  let shell: ShellSession | undefined;

  const ready = runner.ready().then(async (state) => {
    if (!state.ok) {
      terminal.write(`\r\nThe WebContainer could not start: ${state.reason}.\r\n`);
      return state;
    }
    terminal.write('WebContainer ready. Run grades your code with node; this is a shell (jsh) too.\r\n');
    try {
      shell = await runner.spawnShell(size(host));
      terminal.onData((d) => shell?.write(d));
    } catch (e) {
      terminal.write(`\r\nNo shell: ${String(e)}\r\n`);
    }
    return state;
  });

  const onResize = (): void => {
    const s = size(host);
    terminal.resize(s.cols, s.rows);
    shell?.resize(s.cols, s.rows);
  };
  addEventListener('resize', onResize);

  return {
    runner,
    terminal,
    ready,
    dispose() {
      removeEventListener('resize', onResize);
      shell?.kill();
      runner.dispose();
      terminal.dispose();
    },
  };
}
