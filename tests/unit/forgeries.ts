/**
 * The cheating solutions of tests/fixtures/forgeries, made concrete for one lab: the lab's
 * starter and the absolute path of its reference filled in, written to a scratch folder.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FORGERIES_DIR = fileURLToPath(new URL('../fixtures/forgeries/', import.meta.url));

export interface Forgery { name: string; what: string; source: string }

/**
 * The forgeries that apply to a lab: every one in the folder's top level (they ride on any
 * starter), and those written for this lab alone in <chapter>/<lab>/ (they know its API).
 */
export function forgeriesFor(labDir: string): Forgery[] {
  const starter = readFileSync(join(labDir, 'starter.ts'), 'utf8');
  const reference = join(labDir, 'reference.ts');
  const own = join(FORGERIES_DIR, basename(dirname(labDir)), basename(labDir));
  const files = [
    ...listTs(FORGERIES_DIR).map((f) => join(FORGERIES_DIR, f)),
    ...(existsSync(own) ? listTs(own).map((f) => join(own, f)) : []),
  ];
  return files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const source = text.replaceAll('__REFERENCE__', reference).replace('__STARTER__', starter);
    return { name: basename(file).replace(/\.ts$/, ''), what: text.split('\n')[0]!.replace(/^\/\/\s*/, ''), source };
  });
}

const listTs = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();

/** Each forgery written to `dir` as <name>.ts; returns the paths by name. */
export function writeForgeries(labDir: string, dir: string): Map<string, string> {
  mkdirSync(dir, { recursive: true });
  const paths = new Map<string, string>();
  for (const f of forgeriesFor(labDir)) {
    const path = join(dir, `${f.name}.ts`);
    writeFileSync(path, f.source);
    paths.set(f.name, path);
  }
  return paths;
}
