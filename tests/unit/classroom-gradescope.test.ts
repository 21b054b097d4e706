/**
 * The class-grading integrations, run as their hosts would run them:
 * - the GitHub Classroom workflow parses as YAML and names the workflow, the job, the step ids
 *   and the reporter's env vars exactly as Classroom and the reporter need; its grade step,
 *   run with bash in a runner-like layout, writes a `result=` output whose decoded sum is the
 *   CLI's score;
 * - the Gradescope folder's run_autograder, run with /autograder-like paths in a temp dir,
 *   writes a results.json whose score is the CLI's.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findLab, PROJECT_ROOT } from '../../src/catalog/catalog-fs.ts';
import { classroomWorkflow, runnerId, submissionPath, JOB_ID, WORKFLOW_NAME } from '../../src/cli/commands/classroom.ts';
import { gradeWithVitest } from '../../src/grading/engines/vitest/engine-fs.ts';
import type { ClassroomResults } from '../../src/grading/formats/classroom.ts';
import type { GradescopeResults } from '../../src/grading/formats/gradescope.ts';

const root = mkdtempSync(join(tmpdir(), 'netlabs-class-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cubic = findLab('quic/cubic');
const cubicPoints = cubic.meta.tasks.reduce((a, t) => a + t.points, 0);
const codec = findLab('dns/message-codec');
const mutant = join(cubic.dir, 'mutants', readdirSync(join(cubic.dir, 'mutants')).filter((f) => f.endsWith('.ts')).sort()[0]!);
const lab = ['node', join(PROJECT_ROOT, 'src/cli/lab.ts')];
let cliScore = -1;
beforeAll(async () => {
  cliScore = (await gradeWithVitest(cubic, mutant)).result.score;
}, 60_000);

interface Step { name?: string; id?: string; uses?: string; run?: string; 'working-directory'?: string; env?: Record<string, string>; with?: Record<string, unknown> }
interface Workflow { name: string; on: string[]; jobs: Record<string, { 'runs-on': string; if: string; steps: Step[] }> }

describe('GitHub Classroom workflow', () => {
  const text = classroomWorkflow([codec, cubic], { repo: 'example/netlabs', ref: '0123456789abcdef0123456789abcdef01234567' });
  const wf = parse(text) as Workflow;

  it('is named as Classroom requires, runs on push and repository_dispatch, skips the Classroom bot', () => {
    expect(wf.name).toBe(WORKFLOW_NAME);
    expect(wf.name).toBe('Autograding Tests');
    expect(Object.keys(wf.jobs)).toEqual([JOB_ID]);
    expect(JOB_ID).toBe('run-autograding-tests');
    expect(wf.on).toEqual(['push', 'repository_dispatch']);
    expect(wf.jobs[JOB_ID]!.if).toBe("github.actor != 'github-classroom[bot]'");
  });

  it('grades each lab in a step whose id the reporter accepts, and hands it the results by env', () => {
    const steps = wf.jobs[JOB_ID]!.steps;
    const grades = steps.filter((s) => s.run?.includes('--format classroom'));
    expect(grades.map((s) => s.id)).toEqual(['dnsmessagecodec', 'quiccubic']);
    const reporter = steps.at(-1)!;
    expect(reporter.uses).toBe('classroom-resources/autograding-grading-reporter@v1');
    const runners = String(reporter.with!.runners);
    // The reporter's own check of its input.
    expect(runners).toMatch(/^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$/);
    expect(runners.split(',')).toEqual(grades.map((s) => s.id));
    for (const id of runners.split(',')) expect(reporter.env![`${id.trim().toUpperCase()}_RESULTS`]).toBe(`\${{ steps.${id}.outputs.result }}`);
    const checkout = steps.find((s) => s.with?.repository === 'example/netlabs')!;
    expect(checkout.with!.ref).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))!.with!['node-version']).toBe(22);
  });

  it('its grade step, run by bash as the runner would, outputs the CLI\'s score in base64', () => {
    // The runner's layout: the grader in netlabs/, the student's repository in submission/.
    const work = join(root, 'runner');
    const netlabs = join(work, 'netlabs');
    mkdirSync(netlabs, { recursive: true });
    for (const f of ['src', 'labs', 'node_modules', 'package.json', 'tsconfig.json']) symlinkSync(join(PROJECT_ROOT, f), join(netlabs, f));
    const submitted = join(work, 'submission', submissionPath(cubic));
    mkdirSync(dirname(submitted), { recursive: true });
    copyFileSync(mutant, submitted);
    const step = wf.jobs[JOB_ID]!.steps.find((s) => s.id === runnerId(cubic))!;
    const output = join(work, 'github-output');
    writeFileSync(output, '');
    const { INIT_CWD: _npm, ...env } = process.env; // not set on a runner
    const runnerEnv = { ...env, GITHUB_WORKSPACE: work, RUNNER_TEMP: mkdtempSync(join(root, 'temp-')), GITHUB_OUTPUT: output };
    execFileSync('bash', ['-eo', 'pipefail', '-c', step.run!], { cwd: join(work, step['working-directory']!), env: runnerEnv, stdio: 'pipe' });
    const line = readFileSync(output, 'utf8').split('\n').find((l) => l.startsWith('result='))!;
    const decoded = JSON.parse(Buffer.from(line.slice('result='.length), 'base64').toString('utf-8')) as ClassroomResults;
    expect(decoded.tests.reduce((a, t) => a + t.score, 0)).toBe(cliScore);
    expect(decoded.max_score).toBe(cubicPoints);
    expect(decoded.status).toBe('fail');
  });
});

describe('Gradescope autograder folder', () => {
  const out = join(root, 'gradescope');
  const ag = join(root, 'autograder');
  let shippedNodeModules = true;
  beforeAll(() => {
    execFileSync(lab[0]!, [lab[1]!, 'gradescope', 'quic/cubic', '--out', out, '--visibility', 'after_published'], { stdio: 'pipe' });
    shippedNodeModules = existsSync(join(out, 'netlabs', 'node_modules'));
    // What setup.sh's npm ci would install, borrowed from this checkout.
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(out, 'netlabs', 'node_modules'));
  }, 60_000);
  const runAutograder = (files: Record<string, string>): GradescopeResults => {
    rmSync(ag, { recursive: true, force: true });
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(ag, 'submission', name)), { recursive: true });
      writeFileSync(join(ag, 'submission', name), text);
    }
    mkdirSync(join(ag, 'submission'), { recursive: true });
    execFileSync('bash', [join(out, 'run_autograder')], { env: { ...process.env, AUTOGRADER_ROOT: ag, NETLABS_DIR: join(out, 'netlabs') }, stdio: 'pipe' });
    return JSON.parse(readFileSync(join(ag, 'results', 'results.json'), 'utf8')) as GradescopeResults;
  };

  it('holds setup.sh, run_autograder and the grader, without node_modules of its own', () => {
    for (const f of ['setup.sh', 'run_autograder', 'netlabs/package-lock.json', 'netlabs/src/cli/lab.ts', 'netlabs/labs/quic/cubic/grade.test.ts']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'setup.sh'), 'utf8')).toMatch(/npm ci/);
    expect(shippedNodeModules).toBe(false);
  });

  it('run_autograder writes a results.json whose score is the CLI\'s', { timeout: 60_000 }, () => {
    const r = runAutograder({ 'cubic.ts': readFileSync(mutant, 'utf8') });
    expect(r.score).toBe(cliScore);
    expect(r.tests.length).toBeGreaterThan(10);
    expect(new Set(r.tests.map((t) => t.visibility))).toEqual(new Set(['after_published']));
  });

  it('finds the file in a folder too, and says why when there is none', { timeout: 60_000 }, () => {
    expect(runAutograder({ 'quic/cubic.ts': readFileSync(join(cubic.dir, 'reference.ts'), 'utf8') }).score).toBe(cubicPoints);
    const none = runAutograder({ 'notes.txt': 'no code' });
    expect([none.score, none.tests]).toEqual([0, []]);
    expect(none.output).toMatch(/Submit one TypeScript file: cubic\.ts \(found 0 \.ts files\)/);
  });
});
