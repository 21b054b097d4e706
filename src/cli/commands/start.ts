import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { findLab, PROJECT_ROOT } from '../../catalog/catalog-fs.ts';
import { workFile } from '../workspace.ts';

export function start(ref: string, force: boolean): number {
  const lab = findLab(ref);
  const target = workFile(lab);
  const rel = relative(PROJECT_ROOT, target);
  if (existsSync(target) && !force) {
    console.error(`${rel} already exists: your work is kept. Use --force to start over from the starter.`);
    return 1;
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(lab.dir, 'starter.ts'), target);
  // The lab's provided files, read-only, so an editor resolves the starter's imports.
  for (const f of lab.meta.files) {
    const copy = join(dirname(target), f);
    if (existsSync(copy)) chmodSync(copy, 0o644);
    copyFileSync(join(lab.dir, f), copy);
    chmodSync(copy, 0o444);
  }
  const labRel = relative(PROJECT_ROOT, lab.dir);
  console.log(`Started ${lab.meta.title}.
  Your file:     ${rel}${lab.meta.files.length ? `  (beside it, read-only: ${lab.meta.files.join(', ')})` : ''}
  Instructions:  ${labRel}/instructions.md   (hints: ${labRel}/hints.md)
  Grade it:      npm run lab -- grade ${lab.meta.id}`);
  return 0;
}
