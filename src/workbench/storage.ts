/**
 * Saved work and progress, in localStorage (small, synchronous, survives reloads; the page asks
 * for persistent storage so the browser does not evict it under pressure).
 *
 *   netlabs:work:<lab id>   the learner's code, the lab version it was written against, hints shown
 *   netlabs:progress        best score per lab, when it was reached, and against which version
 *
 * The loader reads `netlabs:progress` on its own (it must stay tiny): keep the shapes compatible.
 */
import type { GradeResult } from '../grading/result.ts';

export const WORK_PREFIX = 'netlabs:work:';
export const PROGRESS_KEY = 'netlabs:progress';
export const EXPORT_FORMAT = 'netlabs-progress';

export interface SavedWork {
  /** The lab version the code was written against. */
  version: number;
  code: string;
  saved_at: string;
  /** How many hints of each task the learner has revealed. */
  hints?: Record<string, number>;
  /** The code as it was before the last reset to the starter (the way back). */
  before_reset?: string;
}

export interface Best {
  /** The lab version the score was reached on. */
  version: number;
  score: number;
  max_score: number;
  /** When this best score was first reached (ISO 8601). */
  at: string;
  passed: boolean;
}

export interface ProgressEntry extends Best {
  /** The best score on an earlier version of the lab, kept when the lab changed. */
  earlier?: Best;
}

export type Progress = Record<string, ProgressEntry>;

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  format_version: 1;
  exported_at: string;
  progress: Progress;
  work: Record<string, SavedWork>;
}

export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

function defaultStore(): KeyValueStore | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled (privacy settings, sandboxed frame)
  }
}

export class LabStorage {
  readonly store: KeyValueStore | undefined;
  /** Why the last write failed (quota, storage disabled), or null. */
  lastError: string | null = null;

  constructor(store: KeyValueStore | undefined = defaultStore()) {
    this.store = store;
  }

  private read<T>(key: string): T | undefined {
    try {
      const raw = this.store?.getItem(key);
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  private write(key: string, value: unknown): boolean {
    if (!this.store) {
      this.lastError = 'this browser does not allow the page to store data';
      return false;
    }
    try {
      this.store.setItem(key, JSON.stringify(value));
      this.lastError = null;
      return true;
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      return false;
    }
  }

  loadWork(labId: string): SavedWork | undefined {
    const w = this.read<SavedWork>(WORK_PREFIX + labId);
    return w && typeof w.code === 'string' && typeof w.version === 'number' ? w : undefined;
  }

  saveWork(labId: string, work: SavedWork): boolean {
    return this.write(WORK_PREFIX + labId, work);
  }

  progress(): Progress {
    const p = this.read<Progress>(PROGRESS_KEY);
    return p && typeof p === 'object' && !Array.isArray(p) ? p : {};
  }

  entry(labId: string): ProgressEntry | undefined {
    return this.progress()[labId];
  }

  /**
   * Record a grade. The best score is per lab version: a grade on a newer version starts a new
   * best and keeps the old one as `earlier`. Returns the entry and whether the best improved.
   */
  recordGrade(result: GradeResult, now = new Date()): { entry: ProgressEntry; improved: boolean } {
    const all = this.progress();
    const old = all[result.lab];
    const fresh: Best = {
      version: result.lab_version,
      score: result.score,
      max_score: result.max_score,
      at: now.toISOString(),
      passed: result.status === 'pass',
    };
    let entry: ProgressEntry;
    let improved = false;
    if (!old || old.version < result.lab_version) {
      entry = { ...fresh, ...(old ? { earlier: stripEarlier(old) } : {}) };
      improved = true;
    } else if (old.version > result.lab_version) {
      return { entry: old, improved: false }; // a stale page graded an older version: keep the newer record
    } else if (fresh.score > old.score || (fresh.passed && !old.passed)) {
      entry = { ...fresh, ...(old.earlier ? { earlier: old.earlier } : {}) };
      improved = true;
    } else {
      entry = old;
    }
    if (improved) {
      all[result.lab] = entry;
      this.write(PROGRESS_KEY, all);
    }
    return { entry, improved };
  }

  /** Every saved lab's work and the progress, as one file. */
  exportAll(now = new Date()): ExportFile {
    const work: Record<string, SavedWork> = {};
    const store = this.store;
    if (store) {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        if (key?.startsWith(WORK_PREFIX)) {
          const w = this.loadWork(key.slice(WORK_PREFIX.length));
          if (w) work[key.slice(WORK_PREFIX.length)] = w;
        }
      }
    }
    return { format: EXPORT_FORMAT, format_version: 1, exported_at: now.toISOString(), progress: this.progress(), work };
  }

  /**
   * Merge an exported file: per lab, the better progress record wins (newer lab version, then
   * higher score), and saved work is taken when there is none here or the file's is newer.
   * Throws a readable error for anything that is not an export file.
   */
  importAll(data: unknown): { progress: number; work: number } {
    const file = parseExport(data);
    const all = this.progress();
    let progress = 0;
    for (const [id, incoming] of Object.entries(file.progress)) {
      if (!isBest(incoming)) continue;
      const here = all[id];
      if (!here || better(incoming, here)) {
        all[id] = incoming;
        progress++;
      }
    }
    if (progress) this.write(PROGRESS_KEY, all);
    let work = 0;
    for (const [id, incoming] of Object.entries(file.work)) {
      if (!incoming || typeof incoming.code !== 'string' || typeof incoming.version !== 'number') continue;
      const here = this.loadWork(id);
      if (!here || String(incoming.saved_at) > String(here.saved_at)) {
        if (this.saveWork(id, incoming)) work++;
      }
    }
    return { progress, work };
  }
}

function stripEarlier(e: ProgressEntry): Best {
  const { earlier: _earlier, ...best } = e;
  return best;
}

function isBest(x: unknown): x is ProgressEntry {
  const b = x as Partial<Best> | null;
  return !!b && typeof b.version === 'number' && typeof b.score === 'number' && typeof b.max_score === 'number';
}

function better(a: ProgressEntry, b: ProgressEntry): boolean {
  if (a.version !== b.version) return a.version > b.version;
  return a.score > b.score || (a.passed && !b.passed);
}

export function parseExport(data: unknown): ExportFile {
  const f = data as Partial<ExportFile> | null;
  if (!f || typeof f !== 'object' || f.format !== EXPORT_FORMAT) {
    throw new Error('This is not a netlabs progress file (its "format" is not "netlabs-progress").');
  }
  if (f.format_version !== 1) throw new Error(`This progress file has format version ${String(f.format_version)}; this page reads version 1.`);
  return { ...f, progress: f.progress ?? {}, work: f.work ?? {} } as ExportFile;
}

/** Ask the browser to keep our data under storage pressure (best effort, once per page). */
let persistAsked = false;
export function askPersist(): void {
  if (persistAsked) return;
  persistAsked = true;
  try {
    void navigator.storage?.persist?.().catch(() => undefined);
  } catch {
    /* not available */
  }
}

/** Save a file the learner downloads (no server involved). */
export function downloadText(name: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Let the learner pick a file; resolves with its text, or undefined if they cancel. */
export function pickTextFile(accept: string): Promise<{ name: string; text: string } | undefined> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.remove();
      resolve(file ? { name: file.name, text: await file.text() } : undefined);
    });
    input.addEventListener('cancel', () => {
      input.remove();
      resolve(undefined);
    });
    document.body.append(input);
    input.click();
  });
}

/** "3 days ago", "just now": when a best score was reached. */
export function ago(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'just now';
  const units: [number, string][] = [[60, 'minute'], [3600, 'hour'], [86400, 'day'], [86400 * 30, 'month'], [86400 * 365, 'year']];
  let [div, unit] = units[0]!;
  for (const u of units) if (s >= u[0]) [div, unit] = u;
  const n = Math.floor(s / div);
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}
