/**
 * The cheating solutions of tests/fixtures/forgeries, made concrete for one lab: the lab's
 * starter and the absolute path of its reference filled in, written to a scratch folder.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FORGERIES_DIR = fileURLToPath(new URL('../fixtures/forgeries/', import.meta.url));

export interface Forgery { name: string; what: string; source: string }

export function forgeriesFor(labDir: string): Forgery[] {
  const starter = readFileSync(join(labDir, 'starter.ts'), 'utf8');
  const reference = join(labDir, 'reference.ts');
  return readdirSync(FORGERIES_DIR).filter((f) => f.endsWith('.ts')).sort().map((file) => {
    const text = readFileSync(join(FORGERIES_DIR, file), 'utf8');
    const source = text.replaceAll('__REFERENCE__', reference).replace('__STARTER__', starter);
    return { name: file.replace(/\.ts$/, ''), what: text.split('\n')[0]!.replace(/^\/\/\s*/, ''), source };
  });
}

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
