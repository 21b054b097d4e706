/**
 * The layout's import rules (docs/decisions.md, "Layout"): the folders say what the code does,
 * and this test keeps imports going the way the folders promise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Edge { from: string; to: string; typeOnly: boolean; buildTime?: boolean }

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|astro)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Every relative import of a file: static, `export from`, dynamic, `new URL(…, import.meta.url)`, `import.meta.glob`. */
function importsOf(file: string, text: string): Edge[] {
  const edges: Edge[] = [];
  // An .astro file's frontmatter runs at build time; only its <script> reaches the page.
  const frontmatterEnd = file.endsWith('.astro') && text.startsWith('---') ? text.indexOf('\n---', 3) : -1;
  let at = 0;
  const add = (spec: string, typeOnly: boolean): void => {
    if (!spec.startsWith('.')) {
      if (spec.startsWith('node:')) edges.push({ from: file, to: spec, typeOnly, buildTime: at < frontmatterEnd });
      return;
    }
    const path = spec.replace(/\?.*$/, '');
    if (path.includes('*')) return;
    edges.push({ from: file, to: normalize(join(dirname(file), path)), typeOnly, buildTime: at < frontmatterEnd });
  };
  const scan = (re: RegExp, spec: (m: RegExpMatchArray) => string, typeOnly: (m: RegExpMatchArray) => boolean): void => {
    for (const m of text.matchAll(re)) {
      at = m.index ?? 0;
      add(spec(m), typeOnly(m));
    }
  };
  scan(/^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm, (m) => m[3]!, (m) => !!m[2]);
  scan(/^\s*import\s+['"]([^'"]+)['"]/gm, (m) => m[1]!, () => false);
  // `typeof import('node:fs')` names a type only; a real dynamic import loads code.
  scan(/(typeof\s+)?\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, (m) => m[2]!, (m) => !!m[1]);
  scan(/new URL\(\s*['"]([^'"]+\.ts)['"]\s*,\s*import\.meta\.url/g, (m) => m[1]!, () => false);
  return edges;
}

const under = (dir: string) => (file: string): boolean => file.startsWith(dir + '/');
const isFsOnly = (file: string): boolean => /-fs\.ts$/.test(file);

/** The rules, as messages; an empty list means the layout holds. */
function layoutViolations(edges: Edge[]): string[] {
  const out: string[] = [];
  const grading = under('src/grading');
  for (const e of edges) {
    if (grading(e.from) && ['src/workbench', 'src/cli', 'src/pages', 'src/components'].some((d) => under(d)(e.to))) {
      out.push(`${e.from} imports ${e.to}: grading must not depend on the page or the CLI`);
    }
    if (under('labs')(e.from) && under('src')(e.to)) out.push(`${e.from} imports ${e.to}: labs use only labs/kit`);
    // A file that needs Node's built-ins says so in its name, so nobody bundles it into a page.
    if ((grading(e.from) || under('src/catalog')(e.from)) && e.to.startsWith('node:') && !e.typeOnly && !isFsOnly(e.from)) {
      out.push(`${e.from} imports ${e.to}: a Node-only file's name ends in -fs.ts`);
    }
  }
  // What the page ships: everything the workbench reaches by value imports.
  const byFrom = new Map<string, Edge[]>();
  for (const e of edges) if (!e.typeOnly && !e.buildTime) byFrom.set(e.from, [...(byFrom.get(e.from) ?? []), e]);
  const seen = new Set<string>();
  const stack = edges.map((e) => e.from).filter(under('src/workbench'));
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const e of byFrom.get(f) ?? []) {
      if (isFsOnly(e.to) || e.to.startsWith('node:')) out.push(`${e.from} imports ${e.to}: the workbench runs in the page, without Node`);
      else stack.push(e.to);
    }
  }
  // No cycles (type imports included: a cycle of types still ties two modules into one).
  const all = new Map<string, string[]>();
  for (const e of edges) if (!e.to.startsWith('node:')) all.set(e.from, [...(all.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string): void => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      out.push(`import cycle: ${[...path.slice(path.indexOf(f)), f].join(' -> ')}`);
      return;
    }
    state.set(f, 'open');
    path.push(f);
    for (const t of all.get(f) ?? []) visit(t);
    path.pop();
    state.set(f, 'done');
  };
  for (const f of all.keys()) visit(f);
  return out;
}

describe('layout import rules', () => {
  const files = [...sourceFiles('src'), ...sourceFiles('labs')];
  const edges = files.flatMap((f) => importsOf(f, readFileSync(join(ROOT, f), 'utf8')));

  it('reads the imports of the real tree', () => {
    // Guard against a parser that finds nothing and so passes everything.
    expect(files.length).toBeGreaterThan(80);
    expect(edges.some((e) => e.from === 'src/workbench/workbench.ts' && e.to.startsWith('src/grading/'))).toBe(true);
    expect(edges.some((e) => e.from === 'src/grading/engines/vitest/engine-fs.ts' && e.to === 'src/grading/engines/vitest/child-fs.ts')).toBe(true);
  });

  it('holds for the tree', () => {
    const violations = layoutViolations(edges);
    console.log(`layout: ${files.length} files, ${edges.length} imports, ${violations.length} violations`);
    expect(violations).toEqual([]);
  });

  it('names each kind of violation', () => {
    const bad: Edge[] = [
      { from: 'src/grading/report.ts', to: 'src/workbench/dom.ts', typeOnly: false },
      { from: 'labs/dns/x/reference.ts', to: 'src/grading/result.ts', typeOnly: true },
      { from: 'src/catalog/schema.ts', to: 'node:fs', typeOnly: false },
      { from: 'src/workbench/a.ts', to: 'src/workbench/b.ts', typeOnly: false },
      { from: 'src/workbench/b.ts', to: 'src/catalog/catalog-fs.ts', typeOnly: false },
      { from: 'src/cli/p.ts', to: 'src/cli/q.ts', typeOnly: true },
      { from: 'src/cli/q.ts', to: 'src/cli/p.ts', typeOnly: false },
    ];
    const v = layoutViolations(bad);
    expect(v).toHaveLength(5);
    expect(v.join('\n')).toMatch(/grading must not depend/);
    expect(v.join('\n')).toMatch(/labs use only labs\/kit/);
    expect(v.join('\n')).toMatch(/ends in -fs\.ts/);
    expect(v.join('\n')).toMatch(/src\/workbench\/b\.ts imports src\/catalog\/catalog-fs\.ts/);
    expect(v.join('\n')).toMatch(/import cycle: src\/cli\/p\.ts -> src\/cli\/q\.ts -> src\/cli\/p\.ts/);
  });

  it('tells build-time and type-only imports from what the page runs', () => {
    const astro = "---\nimport { labsById } from '../catalog/labs-fs.ts';\n---\n<script>\nimport { x } from './dom.ts';\n</script>\n";
    const e = importsOf('src/workbench/P.astro', astro);
    expect(e).toEqual([
      { from: 'src/workbench/P.astro', to: 'src/catalog/labs-fs.ts', typeOnly: false, buildTime: true },
      { from: 'src/workbench/P.astro', to: 'src/workbench/dom.ts', typeOnly: false, buildTime: false },
    ]);
    expect(layoutViolations(e)).toEqual([]);
    const ts = "type Fs = typeof import('node:fs/promises');\nconst m = await import('node:fs');\n";
    expect(importsOf('src/grading/x.ts', ts).map((x) => x.typeOnly)).toEqual([true, false]);
    expect(layoutViolations(importsOf('src/grading/x.ts', ts))).toHaveLength(1);
  });
});
