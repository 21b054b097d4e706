/**
 * The CLI engine end to end: real vitest in a child process, on a small fixture lab.
 * Slow-ish (each grade starts vitest), so the cases share one lab and run in sequence.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadLab, PROJECT_ROOT } from '../../src/catalog/catalog-fs.ts';
import { gradeWithVitest } from '../../src/grading/engines/vitest/engine-fs.ts';
import { checkLab } from '../../src/cli/commands/check.ts';
import { scaffold } from '../../src/cli/commands/new.ts';
import { typecheckLab } from '../../src/cli/check/typecheck.ts';

const labDir = join(PROJECT_ROOT, 'tests/fixtures/labs/demo/checksum');
const lab = loadLab(labDir);
let dir = '';

const files: Record<string, string> = {
  'wrong.ts': 'export function checksum(b: Uint8Array): number {\n  let s = 0;\n  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);\n  return ~s & 0xffff;\n}\n',
  'loop.ts': 'while (true) {}\nexport function checksum(b: Uint8Array): number { return 0; }\n',
  'syntax.ts': 'export function checksum(b: Uint8Array): number {\n  return 0 +;\n}\n',
  'throws.ts': 'export function checksum(b: Uint8Array): number { return 0; }\nconst table: Record<string, { n: number }> = {};\nexport const n: number = (table as Record<string, { n: number }>).missing.n;\n',
  'patch-chai.ts': [
    "import { chai } from 'vitest';",
    'chai.Assertion.prototype.assert = () => {};',
    'export function checksum(b: Uint8Array): number { return 1; }',
  ].join('\n'),
  'own-tests.ts': [
    "import { describe, it } from 'vitest';",
    "describe('checksum', () => { it('bonus [3 pts]', () => {}); });",
    'export function checksum(b: Uint8Array): number { return 1; }',
  ].join('\n'),
  'forge.ts': [
    'console.log(JSON.stringify({ version: 3, status: "pass", score: 3, max_score: 3, tests: [] }));',
    'export function checksum(b: Uint8Array): number { return 1; }',
  ].join('\n'),
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netlabs-grade-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
});

describe('grade with the CLI engine', () => {
  it('gives the reference full marks and the starter zero, naming tasks and inputs', { timeout: 120_000 }, async () => {
    const ref = (await gradeWithVitest(lab, join(labDir, 'reference.ts'))).result;
    expect([ref.status, ref.score, ref.max_score, ref.engine]).toEqual(['pass', 3, 3, 'cli']);
    const starter = (await gradeWithVitest(lab, join(labDir, 'starter.ts'))).result;
    expect([starter.status, starter.score]).toEqual(['fail', 0]);
    expect(starter.tests.map((t) => [t.task_id, t.name, t.status])).toEqual([
      ['checksum', 'RFC 1071 example', 'fail'],
      ['checksum', 'odd length pads with zero', 'fail'],
      ['checksum', 'agrees with the reference on generated data', 'fail'],
    ]);
  });
  it('reports expected vs got for a wrong answer, and the generated input', async () => {
    const r = (await gradeWithVitest(lab, join(dir, 'wrong.ts'))).result;
    expect(r.score).toBe(1);
    const rfc = r.tests.find((t) => t.name === 'RFC 1071 example')!;
    expect(rfc.message).toMatch(/expected 8719 to be 8717/);
    const gen = r.tests.find((t) => t.name.startsWith('agrees'))!;
    expect(gen.message).toMatch(/^on generated input Uint8Array\.from\(\[/);
    expect(JSON.stringify(r)).not.toMatch(/\u001b\[|\/tmp\/|netlabs-grade-/);
  });
  it('turns an endless loop into a timeout within the limit', { timeout: 60_000 }, async () => {
    const { result, elapsedMs } = await gradeWithVitest(lab, join(dir, 'loop.ts'), { timeLimitMs: 1000, startupAllowanceMs: 4000 });
    expect(result.status).toBe('timeout');
    expect(result.message).toBe('Stopped after 5 s: loading your file and the tests did not finish (an endless loop at the top level of your file?).');
    expect(elapsedMs).toBeLessThan(15_000);
  });
  it('reports a syntax error as file:line:col', async () => {
    const r = (await gradeWithVitest(lab, join(dir, 'syntax.ts'))).result;
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^syntax\.ts:2:13: /);
  });
  it('reports an error thrown while the file loads as file:line:col of the source, as the in-page harness does', async () => {
    const r = (await gradeWithVitest(lab, join(dir, 'throws.ts'))).result;
    const line = 'export const n: number = (table as Record<string, { n: number }>).missing.n;';
    expect(r.status).toBe('error');
    expect(r.message).toBe(`throws.ts:3:${line.lastIndexOf('.n') + 2}: TypeError: Cannot read properties of undefined (reading 'n')`);
  });

  it('refuses a file that imports the test framework (it could switch assertions off or add tests)', { timeout: 60_000 }, async () => {
    for (const name of ['patch-chai.ts', 'own-tests.ts']) {
      const r = (await gradeWithVitest(lab, join(dir, name))).result;
      expect([r.status, r.score], name).toEqual(['error', 0]);
      expect(r.message).toMatch(new RegExp(`^${name.replace('.', '\\.')}:1:1: imports "vitest": a solution may import only the lab's provided files`));
    }
  });

  it('ignores a forged result printed to stdout', async () => {
    const r = (await gradeWithVitest(lab, join(dir, 'forge.ts'))).result;
    expect([r.status, r.score]).toEqual(['fail', 0]);
  });
});

describe('type-checking a learner file', () => {
  it('names type errors by file:line:col, without the grading machine\'s paths', () => {
    writeFileSync(join(dir, 'types.ts'), 'export function checksum(b: Uint8Array): string {\n  return 0;\n}\n');
    const errors = typecheckLab(lab, join(dir, 'types.ts'));
    expect(errors).toContain("types.ts:2:3: Type 'number' is not assignable to type 'string'.");
    expect(typecheckLab(lab, join(labDir, 'reference.ts'))).toEqual([]);
  });
});

describe('class grading', () => {
  it('grades every submission, hung and broken ones included, into JSON files and a CSV', () => {
    const subs = join(dir, 'class');
    mkdirSync(join(subs, 'dana'), { recursive: true });
    writeFileSync(join(subs, 'ana.ts'), readFileSync(join(labDir, 'reference.ts')));
    writeFileSync(join(subs, 'ben.ts'), readFileSync(join(labDir, 'starter.ts')));
    writeFileSync(join(subs, 'carl.ts'), files['loop.ts']!);
    writeFileSync(join(subs, 'dana', 'learner.ts'), files['syntax.ts']!);
    mkdirSync(join(subs, 'eve'));
    const out = join(dir, 'results');
    execFileSync(process.execPath, ['src/cli/lab.ts', 'grade', labDir, '--submissions', subs, '--out', out, '--time-limit', '1000'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
    const csv = readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('student,status,score,max_score,percent,checksum,message');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      'ana,pass,3,3',
      'ben,fail,0,3',
      'carl,timeout,0,3',
      'dana,error,0,3',
      'eve,error,0,3',
    ]);
    expect(existsSync(join(out, 'carl.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'dana.json'), 'utf8')).message).toMatch(/^learner\.ts:2:13/);
  }, 120_000);
});

describe('lab check', () => {
  it('passes the fixture lab, with the worker harness agreeing', { timeout: 180_000 }, async () => {
    const res = await checkLab(lab, { minMutants: 2 });
    expect(res.problems).toEqual([]);
    expect(res.summary).toBe('reference 3/3, starter 0/3, cli = worker, 2 mutants');
    expect(res.mutants).toEqual([
      '01-odd-byte-as-low-byte: cli 1/3, killed by 2 of 3 tests; worker 1/3, killed by 2 of 3 tests',
      '02-empty-input-not-complemented: cli 2/3, killed by 1 of 3 tests; worker 2/3, killed by 1 of 3 tests',
    ]);
    expect(res.warnings).toEqual([
      'mutant 02-empty-input-not-complemented is killed by one test only in the cli engine',
      'mutant 02-empty-input-not-complemented is killed by one test only in the worker engine',
    ]);
  });
  it('asks for at least 8 mutants', { timeout: 180_000 }, async () => {
    const res = await checkLab(lab);
    expect(res.problems).toEqual(['2 mutant(s) in mutants/; a lab needs at least 8, one realistic learner bug each']);
  });
  it('names every flaw of a flawed lab', { timeout: 180_000 }, async () => {
    const flawed = loadLab(join(PROJECT_ROOT, 'tests/fixtures/labs/broken/flawed-checksum'));
    const res = await checkLab(flawed);
    const text = res.problems.join('\n');
    expect(text).toMatch(/^mutant 01-fold-once survives in the cli engine: 3\/5, no test catches its bug$/m);
    expect(text).toMatch(/^mutants\/02-unsaid.ts: its first line must be "\/\/ Bug: <what the bug is>"$/m);
    expect(text).toMatch(/hints.md: no "## checksum" section/);
    expect(text).toMatch(/hints.md: "## not-a-task" is not a task id/);
    expect(text).toMatch(/grade.test.ts:13:3: it.each is not in the lab-test subset/);
    expect(text).toMatch(/grade.test.ts:16:1: a test outside any task/);
    expect(text).toMatch(/grade.test.ts:17:3: vi.useFakeTimers/);
    expect(text).toMatch(/type error \(learner = starter.ts\): .*starter.ts:3:9: Type 'number' is not assignable to type 'string'/);
    expect(text).toMatch(/starter passes "checksum > empty input"/);
    expect(text).toMatch(/is outside any task of lab.yaml/);
    expect(text).toMatch(/task "checksum": lab.yaml says 5 points, its tests are worth 3/);
  });
});

describe('new', () => {
  it('scaffolds a lab that passes the whole check once it has its mutants', { timeout: 180_000 }, async () => {
    // Inside the project (under node_modules/.cache), so the type-check finds vitest's types.
    mkdirSync(join(PROJECT_ROOT, 'node_modules', '.cache'), { recursive: true });
    const root = join(mkdtempSync(join(PROJECT_ROOT, 'node_modules', '.cache', 'netlabs-new-')), 'labs');
    mkdirSync(root);
    symlinkSync(join(PROJECT_ROOT, 'labs', 'kit'), join(root, 'kit'));
    expect(scaffold('demo/fresh-lab', root)).toBe(0);
    expect(scaffold('demo/fresh-lab', root)).toBe(1); // never overwrites
    expect(scaffold('Bad/Name', root)).toBe(2);
    const fresh = loadLab(join(root, 'demo', 'fresh-lab'));
    const res = await checkLab(fresh, { minMutants: 1 });
    const unfinished = await checkLab(fresh);
    rmSync(dirname(root), { recursive: true, force: true });
    expect(res.problems).toEqual([]);
    expect(res.mutants).toEqual(['01-odd-byte-as-low-byte: cli 1/3, killed by 2 of 3 tests; worker 1/3, killed by 2 of 3 tests']);
    // A fresh scaffold is not a lab until its author writes the mutants.
    expect(unfinished.problems).toEqual(['1 mutant(s) in mutants/; a lab needs at least 8, one realistic learner bug each']);
  });
});
