/**
 * `lab classroom <lab>...`: a GitHub Classroom assignment repository, ready to use as the
 * assignment's template. It writes the autograding workflow, and the student's files where
 * they are missing (the starter of each lab as <chapter>/<slug>.ts, and a README saying how to
 * grade locally first); it never overwrites a file a student may have written in.
 *
 * The workflow is what Classroom reads points from: it must be named "Autograding Tests" with a
 * job "run-autograding-tests", grade each lab in a step whose id is letters and digits only (the
 * reporter's `runners` input allows nothing else), hand that step's base64 result to
 * classroom-resources/autograding-grading-reporter@v1 as <ID>_RESULTS, and skip pushes by
 * github-classroom[bot]. netlabs is not published as a package, so the workflow checks the
 * grader out at a pinned commit.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { findLab, PROJECT_ROOT, type Lab } from '../../catalog/catalog-fs.ts';

export const WORKFLOW_NAME = 'Autograding Tests';
export const JOB_ID = 'run-autograding-tests';
export const WORKFLOW_PATH = '.github/workflows/classroom.yml';

export interface Grader {
  /** owner/name of the netlabs repository on GitHub. */
  repo: string;
  /** The commit (or tag) to grade with: pinned, so every student is graded by the same tests. */
  ref: string;
}

/** The student's file for a lab, in the assignment repository. */
export const submissionPath = (lab: Lab): string => `${lab.meta.id}.ts`;

/** A step id the reporter accepts: the lab id with everything but letters and digits dropped. */
export const runnerId = (lab: Lab): string => lab.meta.id.replace(/[^a-zA-Z0-9]/g, '');

export function classroomWorkflow(labs: readonly Lab[], grader: Grader): string {
  const steps = labs.map((lab) => {
    const id = runnerId(lab);
    return `      - name: ${lab.meta.id} (${lab.meta.tasks.reduce((a, t) => a + t.points, 0)} points)
        id: ${id}
        working-directory: netlabs
        # The grade document goes to the reporter; the exit code is 0 once graded.
        run: |
          node src/cli/lab.ts grade ${lab.meta.id} --file "$GITHUB_WORKSPACE/submission/${submissionPath(lab)}" --format classroom > "$RUNNER_TEMP/${id}.json"
          echo "result=$(base64 -w0 < "$RUNNER_TEMP/${id}.json")" >> "$GITHUB_OUTPUT"`;
  });
  const env = labs.map((lab) => `          ${runnerId(lab).toUpperCase()}_RESULTS: "\${{ steps.${runnerId(lab)}.outputs.result }}"`);
  return `# Written by: npm run lab -- classroom ${labs.map((l) => l.meta.id).join(' ')}
# GitHub Classroom reads the points from this workflow: keep its name and the job's id.
name: ${WORKFLOW_NAME}
'on': [push, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  ${JOB_ID}:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: ${Math.max(10, Math.ceil(labs.reduce((a, l) => a + l.meta.time_limit_ms, 0) / 60_000) * 2 + 5)}
    steps:
      - name: Check out the submission
        uses: actions/checkout@v4
        with:
          path: submission
      - name: Check out the grader (netlabs, pinned)
        uses: actions/checkout@v4
        with:
          repository: ${grader.repo}
          ref: ${grader.ref}
          path: netlabs
      - uses: actions/setup-node@v4
        with:
          node-version: 22
          cache: npm
          cache-dependency-path: netlabs/package-lock.json
      - name: Install the grader
        working-directory: netlabs
        run: npm ci --no-audit --no-fund
${steps.join('\n')}
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
${env.join('\n')}
        with:
          runners: ${labs.map(runnerId).join(',')}
`;
}

export function assignmentReadme(labs: readonly Lab[], grader: Grader): string {
  const rows = labs.map((l) => `| \`${submissionPath(l)}\` | ${l.meta.title} | ${l.meta.tasks.reduce((a, t) => a + t.points, 0)} |`);
  return `# Assignment

Write your solution in the file of each lab below. Every push is graded by GitHub Actions
(the "Autograding Tests" workflow); your points appear in the workflow's log and in Classroom.

| Your file | Lab | Points |
| --- | --- | --- |
${rows.join('\n')}

## Grade it yourself first

The grader is netlabs, at the commit your instructor pinned. With Node 22:

\`\`\`sh
git clone https://github.com/${grader.repo}.git netlabs && cd netlabs
git checkout ${grader.ref} && npm ci
${labs.map((l) => `npm run lab -- grade ${l.meta.id} --file ../<this repository>/${submissionPath(l)}`).join('\n')}
\`\`\`

The report lists each task with its points and, for each failing test, the input and the
expected and actual values. The lab's instructions and hints are in the netlabs book, and in
\`labs/<lab>/instructions.md\` there.

Your solution may import only the lab's provided files. Do not edit
\`.github/workflows/classroom.yml\`: your instructor sees the workflow's history.
`;
}

/** owner/name@ref given, or the project's GitHub origin at its current commit. */
export function resolveGrader(spec: string | undefined, root = PROJECT_ROOT): Grader | string {
  const git = (...args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const [repoPart, refPart] = spec ? spec.split('@') : [undefined, undefined];
  const origin = git('remote', 'get-url', 'origin');
  const fromOrigin = origin ? /github\.com[:/]([\w.-]+\/[\w.-]+?)(\.git)?$/.exec(origin)?.[1] : undefined;
  const repo = repoPart || fromOrigin;
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    return '--grader: give the netlabs repository the workflow checks out, as owner/name[@commit] (this checkout has no GitHub origin to take it from)';
  }
  const ref = refPart || git('rev-parse', 'HEAD');
  if (!ref) return '--grader: give the commit to pin, as owner/name@commit';
  return { repo, ref };
}

export function classroom(refs: string[], opts: { out: string; grader?: string }): number {
  if (!refs.length) {
    console.error('classroom: give the labs of the assignment (ids or slugs)');
    return 2;
  }
  const labs = refs.map((r) => findLab(r));
  const grader = resolveGrader(opts.grader);
  if (typeof grader === 'string') {
    console.error(grader);
    return 2;
  }
  const write = (path: string, text: string, overwrite: boolean): void => {
    const full = join(opts.out, path);
    if (!overwrite && existsSync(full)) {
      console.log(`kept     ${relative(process.cwd(), full) || full}`);
      return;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    console.log(`wrote    ${relative(process.cwd(), full) || full}`);
  };
  write(WORKFLOW_PATH, classroomWorkflow(labs, grader), true);
  write('README.md', assignmentReadme(labs, grader), false);
  for (const lab of labs) write(submissionPath(lab), readFileSync(join(lab.dir, 'starter.ts'), 'utf8'), false);
  console.log(`\nGrader pinned: ${grader.repo} at ${grader.ref}. Push this folder as the assignment's template repository.`);
  return 0;
}
