/**
 * Reads lab folders from disk (Node only): used by the CLI, the lab check and the site build.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { LAB_FILES, labSchema, type LabMeta } from './schema.ts';

/**
 * The project root: the nearest folder above this module holding package.json and labs/.
 * Walking up (rather than a fixed '../..') keeps it right when the site build bundles this
 * module into a chunk under dist/.
 */
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'labs', 'kit'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const PROJECT_ROOT = findProjectRoot();
export const LABS_DIR = join(PROJECT_ROOT, 'labs');

export interface Lab {
  meta: LabMeta;
  /** Absolute path of the lab folder. */
  dir: string;
}

export class LabFormatError extends Error {
  override name = 'LabFormatError';
}

/** Lab folders are labs/<chapter>/<lab>/ holding a lab.yaml; labs/kit is not a chapter. */
export function labDirs(root = LABS_DIR): string[] {
  const dirs: string[] = [];
  for (const chapter of readdirSync(root).sort()) {
    const cdir = join(root, chapter);
    if (chapter === 'kit' || !statSync(cdir).isDirectory()) continue;
    for (const lab of readdirSync(cdir).sort()) {
      const ldir = join(cdir, lab);
      if (statSync(ldir).isDirectory() && existsSync(join(ldir, 'lab.yaml'))) dirs.push(ldir);
    }
  }
  return dirs;
}

export function formatZodIssues(file: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${file}: ${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('\n');
}

export function loadLab(dir: string): Lab {
  const rel = relative(PROJECT_ROOT, dir);
  for (const f of LAB_FILES) {
    if (!existsSync(join(dir, f))) throw new LabFormatError(`${rel}/${f}: missing`);
  }
  const file = `${rel}/lab.yaml`;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(join(dir, 'lab.yaml'), 'utf8'));
  } catch (e) {
    throw new LabFormatError(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  const parsed = labSchema.safeParse(raw);
  if (!parsed.success) throw new LabFormatError(formatZodIssues(file, parsed.error.issues));
  const meta = parsed.data;
  const expected = rel.split(/[\\/]/).slice(-2).join('/');
  if (meta.id !== expected) throw new LabFormatError(`${file}: id: "${meta.id}" must match the folder "${expected}"`);
  for (const f of meta.files) {
    if (!existsSync(join(dir, f))) throw new LabFormatError(`${file}: files: "${f}" does not exist`);
  }
  return { meta, dir };
}

export function loadAllLabs(root = LABS_DIR): Lab[] {
  return labDirs(root).map((d) => loadLab(d));
}

/** Find a lab by id ("dns/message-codec"), by its slug alone when unique, or by its folder. */
export function findLab(ref: string, root = LABS_DIR): Lab {
  const dirs = labDirs(root);
  const norm = ref.replace(/\/+$/, '').replace(/^labs\//, '');
  const byId = dirs.find((d) => relative(root, d).split(/[\\/]/).join('/') === norm);
  if (byId) return loadLab(byId);
  const bySlug = dirs.filter((d) => d.endsWith(`/${norm}`));
  if (bySlug.length === 1) return loadLab(bySlug[0]!);
  const abs = resolve(ref);
  if (existsSync(join(abs, 'lab.yaml'))) return loadLab(abs);
  throw new LabFormatError(`no lab "${ref}" (try: npm run lab -- list)`);
}

export function readLabFile(lab: Lab, name: string): string {
  return readFileSync(join(lab.dir, name), 'utf8');
}
