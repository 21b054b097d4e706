#!/usr/bin/env node
/**
 * The lab command line: npm run lab -- <command>
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { list } from './commands/list.ts';
import { start } from './commands/start.ts';
import { grade, type GradeCommandOptions } from './commands/grade.ts';
import { FORMATS, isFormat } from '../grading/formats/index.ts';
import { GRADESCOPE_VISIBILITIES, type GradescopeVisibility } from '../grading/formats/gradescope.ts';
import { gradeClass } from './commands/grade-class.ts';
import { scaffold } from './commands/new.ts';
import { classroom } from './commands/classroom.ts';
import { gradescope } from './commands/gradescope.ts';
import { check } from './commands/check.ts';
import { watch } from './commands/watch.ts';
import { liveLabs, runLive } from './commands/live.ts';
import { LabFormatError } from '../catalog/catalog-fs.ts';

const LIVE_LIST = liveLabs().map((l) => `                                                ${l}`).join('\n');

const USAGE = `netlabs labs

  npm run lab -- list                         the labs, with tasks and points
  npm run lab -- start <lab> [--force]        copy the starter to work/<lab>/learner.ts
  npm run lab -- grade <lab> [--file F] [--json] [--typecheck] [--time-limit MS]
                                              grade your work (or F); --json prints the result document;
                                              --typecheck also lists type errors (they never change the score)
  npm run lab -- grade <lab> --file F --format exercism|classroom|gradescope [--visibility V]
                                              print only that grader's results document (exit 0 once graded);
                                              V, for gradescope: hidden|after_due_date|after_published|visible
  npm run lab -- grade <lab> --file F --seed N    draw the generated inputs from seed N instead of the book's
  npm run lab -- grade <lab> --file F --extra-tests T
                                              grade with your own tests too (written like grade.test.ts;
                                              their points add to their tasks'; the reference must pass them)
  npm run lab -- watch <lab> [--file F]       grade again on every save (g: full grade, q: quit)
  npm run lab -- grade <lab> --submissions DIR [--csv FILE] [--out DIR]
                                              grade a class: one .ts file or folder per student
  npm run lab -- classroom <lab>... [--out DIR] [--grader owner/name@commit]
                                              a GitHub Classroom assignment repository: the autograding
                                              workflow, and each lab's starter and a README where missing
  npm run lab -- gradescope <lab> [--out DIR] [--visibility V]
                                              a Gradescope autograder folder to zip (setup.sh, run_autograder)
  npm run lab -- live <lab> [--file F] [--server HOST:PORT | --reference]
                                              run your code against real software over a real socket and
                                              print the exchange (not a grade); --reference talks to the lab's
                                              reference server even where nginx-rtmp is installed. Labs with one:
${LIVE_LIST}
  npm run lab -- new <chapter>/<slug>         scaffold a new lab
  npm run lab -- check [lab]                  prove labs sound: reference 100%, starter 0, engines agree

<lab> is an id (dns/message-codec) or a unique slug (message-codec).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      json: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      submissions: { type: 'string' },
      csv: { type: 'string' },
      out: { type: 'string' },
      'time-limit': { type: 'string' },
      typecheck: { type: 'boolean', default: false },
      format: { type: 'string' },
      grader: { type: 'string' },
      seed: { type: 'string' },
      'extra-tests': { type: 'string' },
      visibility: { type: 'string' },
      server: { type: 'string' },
      reference: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, arg] = positionals;
  const timeLimitMs = values['time-limit'] === undefined ? undefined : Number(values['time-limit']);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) {
    throw new UsageError(`--seed: a whole number from 0 to 4294967295 (got "${values.seed}")`);
  }
  if (timeLimitMs !== undefined && !(Number.isInteger(timeLimitMs) && timeLimitMs > 0)) {
    throw new UsageError(`--time-limit: give milliseconds as a whole number above 0 (got "${values['time-limit']}")`);
  }
  // npm runs scripts from the project root; paths the user typed are relative to where they were.
  const here = process.env.INIT_CWD ?? process.cwd();
  const fromHere = (p: string | undefined) => (p === undefined ? undefined : resolve(here, p));
  if (values.help || !command) { console.log(USAGE); return command || values.help ? 0 : 2; }
  const need = (what: string) => { if (!arg) throw new UsageError(`${command}: give ${what}`); return arg; };
  switch (command) {
    case 'list': return list();
    case 'start': return start(need('a lab id'), values.force);
    case 'grade':
      if (values.submissions) return gradeClass(need('a lab id'), { submissions: fromHere(values.submissions)!, csv: fromHere(values.csv), out: fromHere(values.out), timeLimitMs, seed, extraTests: fromHere(values['extra-tests']) });
      return grade(need('a lab id'), { file: fromHere(values.file), json: values.json, timeLimitMs, typecheck: values.typecheck, seed, extraTests: fromHere(values['extra-tests']), ...formatOptions(values) });
    case 'watch': return watch(need('a lab id'), { file: fromHere(values.file) });
    case 'new': return scaffold(need('<chapter>/<slug>'));
    case 'classroom': return classroom(positionals.slice(1), { out: fromHere(values.out) ?? here, grader: values.grader });
    case 'gradescope': {
      const visibility = values.visibility;
      if (visibility !== undefined && !GRADESCOPE_VISIBILITIES.includes(visibility as GradescopeVisibility)) {
        throw new UsageError(`--visibility: one of ${GRADESCOPE_VISIBILITIES.join(', ')}`);
      }
      return gradescope(need('a lab id'), { out: fromHere(values.out) ?? resolve(here, 'autograder'), visibility: visibility as GradescopeVisibility | undefined });
    }
    case 'check': return check(arg);
    case 'live': return (await runLive(need('a lab id'), { file: fromHere(values.file), server: values.server, reference: values.reference })).ok ? 0 : 1;
    default: throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

function formatOptions(values: { format?: string; visibility?: string; json: boolean }): Pick<GradeCommandOptions, 'format' | 'visibility'> {
  const { format, visibility } = values;
  if (format === undefined) {
    if (visibility !== undefined) throw new UsageError('--visibility goes with --format gradescope');
    return {};
  }
  if (!isFormat(format)) throw new UsageError(`--format: one of ${FORMATS.join(', ')} (got "${format}"); --json prints netlabs's own document`);
  if (values.json) throw new UsageError('--format and --json each print one document: give one of them');
  if (visibility !== undefined && (format !== 'gradescope' || !GRADESCOPE_VISIBILITIES.includes(visibility as GradescopeVisibility))) {
    throw new UsageError(`--visibility: with --format gradescope, one of ${GRADESCOPE_VISIBILITIES.join(', ')}`);
  }
  return { format, visibility: visibility as GradescopeVisibility | undefined };
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof LabFormatError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(e as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(e);
      process.exitCode = 1;
    }
  },
);
