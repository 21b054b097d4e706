/**
 * The harness entry every in-page engine shares (the worker, node inside a WebContainer, and
 * plain Node for the lab check): run one lab's test file against the learner's file, from
 * sources, telling the supervisor (../supervise.ts) as each test starts and finishes.
 * Browser-safe: no Node imports here.
 */
import { allowedBuiltin, refusedAtLoad, refusedImport } from '../learner-imports.ts';
import { cleanMessage, type LabInfo } from '../result.ts';
import type { SessionEnd, SessionEvents } from '../supervise.ts';
import { createCollector } from './collector.ts';
import { createExpect, sealAssertions } from './expect.ts';
import { errorMessage, frameLocator } from './errors.ts';
import { hardenBuiltins } from './harden.ts';
import { WRAPPER_PREFIX, createModuleLoader, type SharedModules } from './modules.ts';
import { runTree } from './run-tests.ts';
import { DEFAULT_HOOK_TIMEOUT_MS, DEFAULT_TEST_TIME_LIMIT_MS } from '../timeouts.ts';
import { CompileError } from './transpile.ts';
import { createVitestShim } from './vitest-shim.ts';

import { LEARNER_FILE, REFERENCE_FILE, TEST_FILE } from '../lab-files.ts';

export { LEARNER_FILE, REFERENCE_FILE, TEST_FILE };

export interface HarnessInput {
  lab: LabInfo;
  /** The lab folder's files by name: grade.test.ts, reference.ts, learner.ts, extra files. */
  files: Readonly<Record<string, string>>;
  /** labs/kit/*.ts by file name ("index.ts", "random.ts", ...). */
  kit: Readonly<Record<string, string>>;
  /** Packages lab code may import, by specifier ('fast-check'). 'vitest' is the harness's own. */
  packages: Readonly<Record<string, unknown>>;
  /** The lab's test_time_limit_ms (the CLI engine gives vitest the same). */
  testTimeoutMs?: number;
  /** Defaults to the test timeout when that is given (as in the CLI engine), else vitest's 10 s. */
  hookTimeoutMs?: number;
  /** Tests an earlier session graded (by testKey): not run again. */
  skip?: ReadonlySet<string>;
  /**
   * Freeze the realm's built-ins before the lab's modules load (harden.ts). The engines'
   * homes do; a test that runs the harness inside its own vitest process must not.
   */
  harden?: boolean;
  events?: Partial<SessionEvents>;
  /** Kit modules kept between this host's runs of the same lab (host.ts). */
  shared?: SharedModules;
}

export async function runLab(input: HarnessInput): Promise<SessionEnd> {
  const { lab } = input;
  const missing = [TEST_FILE, REFERENCE_FILE, LEARNER_FILE].filter((f) => input.files[f] === undefined);
  if (missing.length) return { kind: 'error', message: `missing lab file(s): ${missing.join(', ')}` };
  const provided = Object.keys(input.files).filter((f) => f !== TEST_FILE && f !== REFERENCE_FILE && f !== LEARNER_FILE);
  const builtins = lab.builtins ?? [];
  const refused = refusedImport(input.files[LEARNER_FILE]!, provided, LEARNER_FILE, builtins);
  if (refused) return { kind: 'error', message: refused };

  // The repository's layout, so a test's '../../kit' and './learner' resolve as under vitest.
  const labDir = `labs/${lab.id}`;
  const learnerPath = `${labDir}/${LEARNER_FILE}`;
  const files: Record<string, string> = {};
  for (const [name, source] of Object.entries(input.kit)) files[`labs/kit/${name}`] = source;
  for (const [name, source] of Object.entries(input.files)) files[`${labDir}/${name}`] = source;
  const displayName = (path: string): string =>
    path.startsWith(`${labDir}/`) ? path.slice(labDir.length + 1) : path.replace(/^labs\//, '');
  const locate = frameLocator(Object.keys(input.files));

  const collector = createCollector(input.testTimeoutMs ?? DEFAULT_TEST_TIME_LIMIT_MS);
  const expect = createExpect();
  const loader = createModuleLoader({
    files,
    packages: { ...input.packages, vitest: createVitestShim(collector, expect) },
    displayName,
    // Again as each import runs: code can build a specifier the source check never saw.
    refuse: (from, spec, target) =>
      from === learnerPath &&
      !(target !== undefined && provided.some((f) => target === `${labDir}/${f}`)) &&
      !(target === undefined && allowedBuiltin(spec, builtins))
        ? refusedAtLoad(spec)
        : null,
    shared: input.shared,
  });

  // Where loading threw, with the column, as a syntax error is reported.
  const locateLoad = frameLocator(Object.keys(input.files), (name) => {
    const c = loader.compiled(name);
    return c && { ...c, prefix: WRAPPER_PREFIX };
  });

  if (input.harden) {
    hardenBuiltins();
    sealAssertions();
  }
  try {
    loader.load(`${labDir}/${TEST_FILE}`);
    await collector.collect();
  } catch (e) {
    return { kind: 'error', message: loadErrorMessage(e, locateLoad) };
  } finally {
    collector.close();
  }
  const tests = await runTree(collector.root, {
    expect,
    hookTimeoutMs: input.hookTimeoutMs ?? input.testTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS,
    locate,
    skip: input.skip,
    events: input.events,
  });
  return { kind: 'done', tests };
}

/** "learner.ts:3:14: Unexpected token" for a compile error; "learner.ts:3: Error: boom" when loading threw. */
function loadErrorMessage(e: unknown, locate: (stack: string) => string | undefined): string {
  if (e instanceof CompileError) return cleanMessage(e.message);
  const message = errorMessage(e);
  const at = e instanceof Error && typeof e.stack === 'string' ? locate(e.stack) : undefined;
  return at ? `${at}: ${message}` : message;
}
