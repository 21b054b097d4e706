/**
 * Runs one lab's tests with real vitest, `./learner` mapped to the graded file.
 * Started by vitest-engine.ts as its own process group so an endless loop can be killed.
 * argv: <lab dir> <learner file> <result file> <test timeout ms> [<provided file>,...]
 * env: NETLABS_PROGRESS, NETLABS_SKIP (see progress-setup-fs.ts)
 */
import { startVitest } from 'vitest/node';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ResultFileReporter } from './result-reporter-fs.ts';

// vite's cache goes under the project's node_modules, not into the lab folder (vitest's root).
const CACHE_DIR = fileURLToPath(new URL('../../../../node_modules/.vite/grading', import.meta.url));
const PROGRESS_SETUP = fileURLToPath(new URL('./progress-setup-fs.ts', import.meta.url));

const [labDir, learnerFile, resultFile, testTimeout, provided = ''] = process.argv.slice(2);
if (!labDir || !learnerFile || !resultFile) {
  console.error('usage: vitest-child <lab dir> <learner file> <result file> [test timeout ms]');
  process.exit(2);
}

const vitest = await startVitest(
  [],
  {
    run: true,
    watch: false,
    config: false,
    root: labDir,
    include: ['grade.test.ts'],
    reporters: [new ResultFileReporter(resultFile, process.env.NETLABS_PROGRESS)],
    setupFiles: [PROGRESS_SETUP],
    testTimeout: Number(testTimeout) || 10_000,
    hookTimeout: Number(testTimeout) || 10_000,
    // One fork: the lab's tests run in order in a single process, like the worker harness.
    pool: 'forks',
    fileParallelism: false,
    passWithNoTests: true,
    silent: true,
    color: false,
  },
  {
    resolve: {
      alias: [
        { find: /^\.\/learner(\.ts)?$/, replacement: learnerFile },
        // The lab's provided files (lab.yaml `files:`) resolve to the lab's own copy wherever the
        // learner's file lives: one module, so the tests' `instanceof` checks see the same classes.
        ...provided.split(',').filter(Boolean).map((f) => ({
          find: new RegExp(`^\\./${f.replace(/\.ts$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.ts)?$`),
          replacement: join(labDir, f),
        })),
      ],
    },
    logLevel: 'silent',
    cacheDir: CACHE_DIR,
  },
);
await vitest?.close();
process.exit(0);
