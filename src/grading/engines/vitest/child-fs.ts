/**
 * Runs one lab's tests with real vitest, `./learner` mapped to the graded file.
 * Started by vitest-engine.ts as its own process group so an endless loop can be killed.
 * argv: <lab dir> <learner file> <result file> <test timeout ms> [<provided file>,...] [<node:builtin>,...]
 * env: NETLABS_PROGRESS, NETLABS_SKIP (see progress-setup-fs.ts)
 */
import { startVitest } from 'vitest/node';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { allowedBuiltin, providedTarget, refusedAtLoad } from '../../learner-imports.ts';
import { ResultFileReporter } from './result-reporter-fs.ts';

// vite's cache goes under the project's node_modules, not into the lab folder (vitest's root).
const CACHE_DIR = fileURLToPath(new URL('../../../../node_modules/.vite/grading', import.meta.url));
const PROGRESS_SETUP = fileURLToPath(new URL('./progress-setup-fs.ts', import.meta.url));
const SEAL_SETUP = fileURLToPath(new URL('./seal-setup-fs.ts', import.meta.url));

const [labDir, learnerFile, resultFile, testTimeout, provided = '', builtins = ''] = process.argv.slice(2);
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
    setupFiles: [PROGRESS_SETUP, SEAL_SETUP],
    // No eval or new Function in the fork: code built from a string imports natively, past vite
    // and the import rule below.
    execArgv: ['--disallow-code-generation-from-strings'],
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
      alias: [{ find: /^\.\/learner(\.ts)?$/, replacement: learnerFile }],
    },
    plugins: [learnerImports(resolve(learnerFile), labDir, provided.split(',').filter(Boolean), builtins.split(',').filter(Boolean))],
    logLevel: 'silent',
    cacheDir: CACHE_DIR,
  },
);
await vitest?.close();
process.exit(0);

/**
 * The learner's import rule (../../learner-imports.ts) as each import of the learner's file
 * resolves, dynamic ones included: a provided file resolves to the lab's own copy wherever the
 * learner's file lives (one module, so the tests' `instanceof` checks see the same classes);
 * anything else fails the import.
 */
function learnerImports(learner: string, lab: string, provided: string[], builtins: string[]): Plugin {
  return {
    name: 'netlabs:learner-imports',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || resolve(importer.split('?')[0]!) !== learner) return null;
      const target = providedTarget(source, provided);
      if (target) return join(lab, target);
      const builtin = allowedBuiltin(source, builtins);
      if (builtin) return { id: builtin, external: true };
      this.error(refusedAtLoad(source));
    },
  };
}
