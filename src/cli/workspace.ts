/** Where `start` puts a learner's copy of a lab (git-ignored) and where `grade` finds it. */
import { join } from 'node:path';
import { PROJECT_ROOT, type Lab } from '../catalog/catalog-fs.ts';

export const WORK_DIR = join(PROJECT_ROOT, 'work');

export function workFile(lab: Lab): string {
  return join(WORK_DIR, ...lab.meta.id.split('/'), 'learner.ts');
}
