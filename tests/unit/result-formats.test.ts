/**
 * `grade --format`: each ecosystem's document, from real CLI grades of the fixture labs (a
 * pass, a wrong answer, a syntax error, an endless loop at load, a hang in one test), validated
 * against a JSON Schema written from that ecosystem's spec (src/grading/formats/schemas/). The
 * Classroom output is summed the way the reporter sums it (base64, JSON, totals; and its
 * console table's formula), and must give the task points the CLI gave.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLab, PROJECT_ROOT, type Lab } from '../../src/catalog/catalog-fs.ts';
import { formatContext } from '../../src/cli/commands/grade.ts';
import { gradeWithVitest } from '../../src/grading/engines/vitest/engine-fs.ts';
import { toFormat, FORMATS, type Format } from '../../src/grading/formats/index.ts';
import type { ClassroomResults } from '../../src/grading/formats/classroom.ts';
import type { ExercismResults } from '../../src/grading/formats/exercism.ts';
import type { GradescopeResults } from '../../src/grading/formats/gradescope.ts';
import type { GradeResult } from '../../src/grading/result.ts';
import { lab as hangLab, learner as hangLearner } from './hang-fixture.ts';

const SCHEMAS = join(PROJECT_ROOT, 'src/grading/formats/schemas');
// strictRequired off: the specs' conditional rules ("message when status is error") name keys defined a level up.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validators = {
  exercism: ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'exercism-v3.schema.json'), 'utf8'))),
  classroom: ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'classroom-v1.schema.json'), 'utf8'))),
  gradescope: ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'gradescope.schema.json'), 'utf8'))),
} satisfies Record<Format, unknown>;

const checksum = loadLab(join(PROJECT_ROOT, 'tests/fixtures/labs/demo/checksum'));
const dir = mkdtempSync(join(tmpdir(), 'netlabs-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

interface Case { name: string; lab: Lab; file: string; result?: GradeResult }
const cases: Case[] = [
  { name: 'pass', lab: checksum, file: join(checksum.dir, 'reference.ts') },
  { name: 'fail', lab: checksum, file: file('wrong.ts', 'export function checksum(b: Uint8Array): number {\n  let s = 0;\n  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);\n  return ~s & 0xffff;\n}\n') },
  { name: 'syntax error', lab: checksum, file: file('syntax.ts', 'export function checksum(b: Uint8Array): number {\n  return 0 +;\n}\n') },
  { name: 'timeout at load', lab: checksum, file: file('loop.ts', 'while (true) {}\nexport function checksum(b: Uint8Array): number { return 0; }\n') },
  { name: 'hang in one test', lab: hangLab, file: hangLearner('blocks') },
];

beforeAll(async () => {
  for (const c of cases) {
    c.result = (await gradeWithVitest(c.lab, c.file, { timeLimitMs: c.name === 'timeout at load' ? 1000 : undefined, startupAllowanceMs: 4000 })).result;
  }
}, 180_000);

const convert = <T,>(format: Format, c: Case): T => toFormat(format, c.result!, formatContext(c.lab, c.file), { executionTimeS: 1.2 }) as T;

describe('grade --format', () => {
  it('grades the five cases as expected (the inputs of the checks below)', () => {
    expect(cases.map((c) => [c.name, c.result!.status, c.result!.score])).toEqual([
      ['pass', 'pass', 3], ['fail', 'fail', 1], ['syntax error', 'error', 0], ['timeout at load', 'timeout', 0], ['hang in one test', 'fail', 5],
    ]);
  });

  for (const format of FORMATS) {
    it.each(cases.map((c) => [c.name, c] as const))(`${format}: %s is valid against the spec's schema`, (_name, c) => {
      const doc = convert(format, c);
      const ok = validators[format](doc);
      expect(validators[format].errors ?? [], JSON.stringify(doc).slice(0, 400)).toEqual([]);
      expect(ok).toBe(true);
    });
  }

  it('the schemas refuse what the specs refuse (our own document, a string task_id, a timeout status, a missing line_no)', () => {
    const hang = cases[4]!;
    expect(validators.exercism(hang.result)).toBe(false);
    const ex = convert<ExercismResults>('exercism', hang);
    expect(validators.exercism({ ...ex, tests: ex.tests!.map((t) => ({ ...t, task_id: String(t.task_id) })) })).toBe(false);
    expect(validators.exercism({ ...ex, status: 'timeout' })).toBe(false);
    expect(validators.exercism({ version: 3, status: 'error' })).toBe(false);
    const cl = convert<ClassroomResults>('classroom', hang);
    expect(validators.classroom({ ...cl, tests: cl.tests.map(({ line_no: _drop, ...t }) => t) })).toBe(false);
    const gs = convert<GradescopeResults>('gradescope', hang);
    expect(validators.gradescope({ ...gs, tests: gs.tests.map((t) => ({ ...t, status: 'pass' })) })).toBe(false);
  });

  it('exercism: statuses mapped (timeout and not run are errors), tasks numbered, message only on error', () => {
    const hang = convert<ExercismResults>('exercism', cases[4]!);
    expect(hang.status).toBe('fail');
    expect(hang.message).toBeUndefined();
    expect(hang.tests!.map((t) => [t.task_id, t.status])).toEqual([[1, 'pass'], [1, 'pass'], [2, 'pass'], [2, 'error'], [2, 'error'], [3, 'pass'], [3, 'pass']]);
    expect(hang.tests![4]!.message).toBe('not run: "counts down from 3" hung');
    const syntax = convert<ExercismResults>('exercism', cases[2]!);
    expect([syntax.status, syntax.tests]).toEqual(['error', undefined]);
    expect(syntax.message).toMatch(/syntax\.ts:2/);
    const timeout = convert<ExercismResults>('exercism', cases[3]!);
    expect(timeout.status).toBe('error');
    // The test's own code from grade.test.ts, for a vector row and for a test.
    const pass = convert<ExercismResults>('exercism', cases[0]!);
    expect(pass.tests![0]!.test_code).toMatch(/name: 'RFC 1071 example'/);
    expect(pass.tests![2]!.test_code).toMatch(/forAll\(/);
  });

  it('classroom: the reporter\'s sum and its console table both give the CLI\'s points', () => {
    for (const c of cases) {
      const doc = convert<ClassroomResults>('classroom', c);
      // What autograding-grading-reporter does with it: base64 in an env var, decoded, summed.
      const env = { [`${'checksum'.toUpperCase()}_RESULTS`]: Buffer.from(JSON.stringify(doc)).toString('base64') };
      const decoded = JSON.parse(Buffer.from(env.CHECKSUM_RESULTS!, 'base64').toString('utf-8')) as ClassroomResults;
      const total = decoded.tests.reduce((a, t) => a + t.score, 0);
      const table = (decoded.tests.filter((t) => t.status === 'pass').length / decoded.tests.length) * decoded.max_score;
      expect([c.name, total, decoded.max_score], c.name).toEqual([c.name, c.result!.score, c.result!.max_score]);
      expect(table, c.name).toBe(c.result!.score);
      const failsJob = decoded.status === 'fail' || decoded.status === 'error';
      expect(failsJob, c.name).toBe(c.result!.status !== 'pass');
    }
    const hang = convert<ClassroomResults>('classroom', cases[4]!);
    expect(hang.tests.filter((t) => t.name.startsWith('Counts down')).map((t) => t.status)).toEqual(['pass', 'fail', 'fail']);
    expect(hang.tests[3]!.message).toMatch(/^timeout: counts down from 3: Test timed out/);
    expect(hang.tests[3]!.line_no).toBeGreaterThan(0);
    expect(hang.tests[3]!.filename).toBe('tests/fixtures/labs/demo/hang/grade.test.ts');
  });

  it('gradescope: the score equals the CLI\'s, tests numbered by task, failed for anything but a pass', () => {
    for (const c of cases) expect(convert<GradescopeResults>('gradescope', c).score, c.name).toBe(c.result!.score);
    const hang = convert<GradescopeResults>('gradescope', cases[4]!);
    expect(hang.tests.map((t) => [t.number, t.status, t.score, t.max_score])).toEqual([
      ['1.1', 'passed', 1, 1], ['1.2', 'passed', 1, 1], ['2.1', 'passed', 1, 1], ['2.2', 'failed', 0, 1], ['2.3', 'failed', 0, 1], ['3.1', 'passed', 1, 1], ['3.2', 'passed', 1, 1],
    ]);
    const syntax = convert<GradescopeResults>('gradescope', cases[2]!);
    expect([syntax.score, syntax.tests]).toEqual([0, []]);
    expect(syntax.output).toMatch(/syntax\.ts:2/);
  });
});
