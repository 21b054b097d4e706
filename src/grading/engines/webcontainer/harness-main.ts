/**
 * The harness as a script for node inside a WebContainer, bundled into one file with
 * everything it needs (nothing is installed in the container).
 *   node harness.mjs <lab dir> <result file>
 * reads <lab dir>/run.json (the lab's info and test timeout) and the lab's .ts files, grades,
 * writes the GradeResult JSON to <result file> (the page reads that file, never stdout, which
 * learner code can write to) and prints a summary for the terminal.
 */
import { cleanMessage, failedRun, type LabInfo } from '../../result.ts';
import { withStrayErrors } from '../../harness/errors.ts';
import { LAB_PACKAGES } from '../../harness/packages.ts';
import { runLab } from '../../harness/run-lab.ts';
import { formatReport } from '../../report.ts';
import { KIT_SOURCES } from '../worker/kit-sources.ts';

export interface RunSpec {
  lab: LabInfo;
  testTimeoutMs: number;
}

type Fs = typeof import('node:fs/promises');

// Named at run time so the bundler leaves Node's own module alone.
const FS_MODULE = ['node', 'fs/promises'].join(':');

async function main(): Promise<void> {
  const [labDir, resultFile] = process.argv.slice(2);
  if (!labDir || !resultFile) {
    console.error('usage: node harness.mjs <lab dir> <result file>');
    process.exitCode = 2;
    return;
  }
  const fs = (await import(/* @vite-ignore */ FS_MODULE)) as Fs;
  const spec = JSON.parse(await fs.readFile(`${labDir}/run.json`, 'utf8')) as RunSpec;
  const files: Record<string, string> = {};
  for (const name of await fs.readdir(labDir)) {
    if (name.endsWith('.ts')) files[name] = await fs.readFile(`${labDir}/${name}`, 'utf8');
  }
  const stray: unknown[] = [];
  process.on('unhandledRejection', (e) => void stray.push(e));
  process.on('uncaughtException', (e) => void stray.push(e));
  let result;
  try {
    result = await runLab({
      lab: spec.lab,
      engine: 'webcontainer',
      files,
      kit: KIT_SOURCES,
      packages: LAB_PACKAGES,
      testTimeoutMs: spec.testTimeoutMs,
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    result = withStrayErrors(result, stray);
  } catch (e) {
    result = failedRun(spec.lab, 'webcontainer', 'error', cleanMessage(`The grader failed: ${String(e)}`));
  }
  await fs.writeFile(`${resultFile}.part`, JSON.stringify(result));
  await fs.rename(`${resultFile}.part`, resultFile);
  // Exit once the summary is out: a timer left running by learner code must not keep us alive.
  process.stdout.write(`\n${formatReport(result, 'learner.ts')}\n`, () => process.exit(0));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
