/**
 * A tiny CommonJS module system over a virtual file system of TypeScript sources.
 * Relative specifiers resolve against virtual paths the way Node and Vite resolve a lab's
 * imports ('./learner', '../../kit', './wire.js'); bare specifiers come from a fixed table
 * of packages the host provides (the vitest shim, fast-check).
 */
import { transpile } from './transpile.ts';

/** Virtual path (posix, no leading slash) -> TypeScript source. */
export type VirtualFiles = Readonly<Record<string, string>>;

export interface ModuleLoaderOptions {
  files: VirtualFiles;
  packages: Readonly<Record<string, unknown>>;
  /** The name a path has in messages and stack traces ("learner.ts", "kit/random.ts"). */
  displayName(path: string): string;
  /**
   * Why `from` may not import `spec` (resolved to `target`, a virtual path, when it names a
   * file), or null: the learner's import rule, enforced again as each import runs.
   */
  refuse?(from: string, spec: string, target: string | undefined): string | null;
  /**
   * Modules kept from one run to the next (path -> its module, filled on first load) for the
   * paths in `shared.paths` only: trusted files that import nothing, such as the kit's memo of
   * the reference's answers.
   */
  shared?: SharedModules;
}

export interface SharedModules {
  readonly paths: ReadonlySet<string>;
  readonly modules: Map<string, Module>;
}

export class ImportRefusedError extends Error {
  override name = 'ImportRefusedError';
}

export class ModuleNotFoundError extends Error {
  override name = 'ModuleNotFoundError';
  code = 'MODULE_NOT_FOUND';
}

export interface Module {
  exports: unknown;
}

type ModuleFactory = (exports: unknown, require: (spec: string) => unknown, module: Module) => void;

export interface ModuleLoader {
  /** Evaluate a virtual file (once per loader) and return its exports. */
  load(path: string): unknown;
  /** A loaded file's source and the code that ran, by its display name (to place a stack frame). */
  compiled(name: string): { source: string; code: string } | undefined;
}

/** What compile() puts before a module's first line: columns on line 1 are shifted by it. */
export const WRAPPER_PREFIX = '(function (exports, require, module) {';

export function createModuleLoader(options: ModuleLoaderOptions): ModuleLoader {
  const { files, packages, displayName, refuse, shared } = options;
  const compiledByName = new Map<string, { source: string; code: string }>();
  const cache = shared ? new Map([...shared.modules].filter(([path]) => shared.paths.has(path))) : new Map<string, Module>();

  function load(path: string): unknown {
    const cached = cache.get(path);
    if (cached) return cached.exports; // a cycle sees the partly filled exports, as in Node
    const source = files[path];
    if (source === undefined) throw new ModuleNotFoundError(`Cannot find module '${path}'`);
    const name = displayName(path);
    const module: Module = { exports: {} };
    cache.set(path, module);
    if (shared?.paths.has(path)) shared.modules.set(path, module);
    const code = transpile(name, source);
    compiledByName.set(name, { source, code });
    const factory = compile(name, code);
    factory(module.exports, (spec) => requireFrom(path, spec), module);
    return module.exports;
  }

  function requireFrom(from: string, spec: string): unknown {
    const isFile = spec.startsWith('.') || spec.startsWith('/');
    const refusal = refuse?.(from, spec, isFile ? resolveFile(files, joinPath(dirname(from), spec)) : undefined);
    if (refusal) throw new ImportRefusedError(refusal);
    if (!isFile) {
      if (Object.hasOwn(packages, spec)) return packages[spec];
      throw new ModuleNotFoundError(`Cannot find package '${spec}' imported from ${displayName(from)}`);
    }
    const target = resolveFile(files, joinPath(dirname(from), spec));
    if (target === undefined) throw new ModuleNotFoundError(`Cannot find module '${spec}' imported from ${displayName(from)}`);
    return load(target);
  }

  return { load, compiled: (name) => compiledByName.get(name) };
}

/** The file a relative import names: exact, with .ts added, a .js written for .ts, or a folder's index.ts. */
export function resolveFile(files: VirtualFiles, path: string): string | undefined {
  const candidates = [path, `${path}.ts`, path.replace(/\.(m?js)$/, '.ts'), `${path}/index.ts`];
  return candidates.find((c) => Object.hasOwn(files, c));
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function joinPath(dir: string, spec: string): string {
  const parts = spec.startsWith('/') ? [] : dir.split('/').filter(Boolean);
  for (const part of spec.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/**
 * Indirect eval of the module wrapped in a function on the source's first line, so line N of
 * the file is line N in stack traces; sourceURL names the file in those traces.
 */
function compile(name: string, code: string): ModuleFactory {
  const wrapped = `${WRAPPER_PREFIX}${code}\n})\n//# sourceURL=${name}`;
  return evaluate(wrapped) as ModuleFactory;
}

/** Taken when this module loads, before harden.ts turns the realm's own eval off. */
const evaluate: (code: string) => unknown = globalThis.eval;
