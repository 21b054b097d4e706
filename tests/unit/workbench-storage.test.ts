import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GradeResult } from '../../src/grading/result.ts';
import { LabStorage, PROGRESS_KEY, WORK_PREFIX, ago, parseExport, type KeyValueStore } from '../../src/workbench/storage.ts';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, String(v)),
    removeItem: (k) => void data.delete(k),
    key: (i) => [...data.keys()][i] ?? null,
    get length() {
      return data.size;
    },
  };
}

function grade(lab: string, version: number, score: number, max = 10): GradeResult {
  return {
    schema: 'netlabs/result@1',
    lab,
    lab_version: version,
    engine: 'worker',
    status: score === max ? 'pass' : 'fail',
    message: null,
    score,
    max_score: max,
    tasks: [],
    tests: [],
  };
}

const at = (s: string) => new Date(`2026-11-2${s}T10:00:00Z`);

describe('saved work', () => {
  it('round-trips, keyed by lab id, with the lab version', () => {
    const s = new LabStorage(memoryStore());
    expect(s.loadWork('dns/x')).toBeUndefined();
    s.saveWork('dns/x', { version: 2, code: 'export {}', saved_at: 'now' });
    expect(s.loadWork('dns/x')).toEqual({ version: 2, code: 'export {}', saved_at: 'now' });
    expect((s.store as ReturnType<typeof memoryStore>).data.has(`${WORK_PREFIX}dns/x`)).toBe(true);
  });

  it('reports a failed write instead of throwing', () => {
    const store = memoryStore();
    store.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    const s = new LabStorage(store);
    expect(s.saveWork('dns/x', { version: 1, code: '', saved_at: '' })).toBe(false);
    expect(s.lastError).toContain('Quota');
    expect(new LabStorage(undefined).saveWork('a/b', { version: 1, code: '', saved_at: '' })).toBe(false);
  });

  it('ignores unreadable entries', () => {
    const store = memoryStore();
    store.setItem(`${WORK_PREFIX}a/b`, '{not json');
    store.setItem(PROGRESS_KEY, '[1,2]');
    const s = new LabStorage(store);
    expect(s.loadWork('a/b')).toBeUndefined();
    expect(s.progress()).toEqual({});
  });
});

describe('best scores', () => {
  it('keeps the best score and when it was first reached', () => {
    const s = new LabStorage(memoryStore());
    expect(s.recordGrade(grade('a/b', 1, 4), at('1')).improved).toBe(true);
    expect(s.recordGrade(grade('a/b', 1, 3), at('2')).improved).toBe(false);
    expect(s.recordGrade(grade('a/b', 1, 4), at('3')).improved).toBe(false);
    expect(s.entry('a/b')).toMatchObject({ version: 1, score: 4, max_score: 10, at: at('1').toISOString(), passed: false });
    s.recordGrade(grade('a/b', 1, 10), at('4'));
    expect(s.entry('a/b')).toMatchObject({ score: 10, passed: true, at: at('4').toISOString() });
  });

  it('starts afresh on a new lab version and keeps the old best as earlier', () => {
    const s = new LabStorage(memoryStore());
    s.recordGrade(grade('a/b', 1, 10), at('1'));
    const { entry, improved } = s.recordGrade(grade('a/b', 2, 3, 12), at('2'));
    expect(improved).toBe(true);
    expect(entry).toEqual({
      version: 2,
      score: 3,
      max_score: 12,
      at: at('2').toISOString(),
      passed: false,
      earlier: { version: 1, score: 10, max_score: 10, at: at('1').toISOString(), passed: true },
    });
    // A better score on the new version keeps the earlier record.
    expect(s.recordGrade(grade('a/b', 2, 12, 12), at('3')).entry.earlier?.version).toBe(1);
    // A stale page grading the old version does not overwrite the newer record.
    expect(s.recordGrade(grade('a/b', 1, 10), at('4')).improved).toBe(false);
    expect(s.entry('a/b')?.version).toBe(2);
  });
});

describe('export and import', () => {
  it('exports every lab and merges an import: better progress and newer work win', () => {
    const a = new LabStorage(memoryStore());
    a.recordGrade(grade('x/one', 1, 8), at('1'));
    a.recordGrade(grade('x/two', 1, 2), at('1'));
    a.saveWork('x/one', { version: 1, code: 'mine', saved_at: '2026-11-21T00:00:00Z' });
    const file = JSON.parse(JSON.stringify(a.exportAll(at('5'))));
    expect(file).toMatchObject({ format: 'netlabs-progress', format_version: 1, exported_at: at('5').toISOString() });
    expect(Object.keys(file.progress).sort()).toEqual(['x/one', 'x/two']);
    expect(file.work['x/one'].code).toBe('mine');

    const b = new LabStorage(memoryStore());
    b.recordGrade(grade('x/one', 1, 9), at('2')); // better here: kept
    b.saveWork('x/one', { version: 1, code: 'older', saved_at: '2026-11-20T00:00:00Z' });
    expect(b.importAll(file)).toEqual({ progress: 1, work: 1 });
    expect(b.entry('x/one')?.score).toBe(9);
    expect(b.entry('x/two')?.score).toBe(2);
    expect(b.loadWork('x/one')?.code).toBe('mine');
  });

  it('rejects what is not a progress file, with a reason', () => {
    expect(() => parseExport({ hello: 1 })).toThrow(/not a netlabs progress file/);
    expect(() => parseExport({ format: 'netlabs-progress', format_version: 9 })).toThrow(/format version 9/);
    expect(() => new LabStorage(memoryStore()).importAll(null)).toThrow();
  });
});

describe('the loader reads the same key', () => {
  it('uses the storage module\'s progress key', () => {
    const loader = readFileSync(new URL('../../src/workbench/loader.ts', import.meta.url), 'utf8');
    // The key the loader reads, not the event of the same name it listens for.
    expect(loader).toContain(`localStorage.getItem('${PROGRESS_KEY}')`);
    expect(loader).not.toMatch(/^import /m); // the loader imports nothing up front
  });
});

describe('ago', () => {
  it('says how long ago', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(ago('2026-11-27T11:59:30Z', now)).toBe('just now');
    expect(ago('2026-11-27T11:00:00Z', now)).toBe('1 hour ago');
    expect(ago('2026-11-24T12:00:00Z', now)).toBe('3 days ago');
    expect(ago('garbage', now)).toBe('');
  });
});
