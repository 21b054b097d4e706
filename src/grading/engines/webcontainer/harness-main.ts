/**
 * The harness as a script for node inside a WebContainer, bundled into one file with
 * everything it needs (nothing is installed in the container).
 *   node harness.mjs <lab dir> <result file>
 * reads <lab dir>/run.json (the lab's info, the test limit, the tests already graded) and the
 * lab's .ts files, appends each test's progress to <result file>.progress as it goes (written
 * synchronously, so a test that then blocks is known by name), writes the session's end to
 * <result file> (the page reads files, never stdout, which learner code can write to) and
 * prints a summary for the terminal.
 */
import type { LabInfo } from '../../result.ts';
import { resultOf, sendEvents } from '../../supervise.ts';
import { hostLab, processStrayErrors } from '../../harness/host.ts';
import { formatReport } from '../../report.ts';
import { KIT_SOURCES } from '../worker/kit-sources.ts';

export interface RunSpec {
  lab: LabInfo;
  testTimeoutMs: number;
  skip: string[];
}

type Fs = typeof import('node:fs');

// Named at run time so the bundler leaves Node's own module alone.
const FS_MODULE = ['node', 'fs'].join(':');

async function main(): Promise<void> {
  const [labDir, resultFile] = process.argv.slice(2);
  if (!labDir || !resultFile) {
    console.error('usage: node harness.mjs <lab dir> <result file>');
    process.exitCode = 2;
    return;
  }
  const fs = (await import(/* @vite-ignore */ FS_MODULE)) as Fs;
  const spec = JSON.parse(fs.readFileSync(`${labDir}/run.json`, 'utf8')) as RunSpec;
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(labDir)) {
    if (name.endsWith('.ts')) files[name] = fs.readFileSync(`${labDir}/${name}`, 'utf8');
  }
  const progress = (line: object): void => fs.appendFileSync(`${resultFile}.progress`, `${JSON.stringify(line)}\n`);
  const end = await hostLab({
    lab: spec.lab,
    files,
    kit: KIT_SOURCES,
    testTimeoutMs: spec.testTimeoutMs,
    skip: new Set(spec.skip),
    events: sendEvents(progress),
    harden: true,
  }, processStrayErrors(process));
  fs.writeFileSync(`${resultFile}.part`, JSON.stringify(end));
  fs.renameSync(`${resultFile}.part`, resultFile);
  const shown = resultOf(spec.lab, 'webcontainer', end);
  // Exit once the summary is out: a timer left running by learner code must not keep us alive.
  process.stdout.write(`\n${formatReport(shown, 'learner.ts')}\n`, () => process.exit(0));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
