/**
 * What a learner's file may not import: the test framework itself. Code that reaches vitest or
 * chai can register tests of its own or switch assertions off, and so forge a grade. Both
 * engines refuse such a file before running anything (browser-safe: no Node imports).
 *
 * This closes the easy doors, not every door: learner code runs in the grader's process and a
 * determined cheat can still tamper with shared globals. Marks that count need hidden tests and
 * a look at the code (see the guide, "Grading a class").
 */
import { LEARNER_FILE } from './lab-files.ts';

const FORBIDDEN = [/^vitest(\/|$)/, /^@vitest\//, /^chai(\/|$)/, /^@?jest(\/|-|$)/, /^expect$/];

const SPECIFIERS = [
  /\bimport\s+(?:type\s+)?[\w*{}\s,$]*?\bfrom\s*['"]([^'"]+)['"]/g, // import x from '...'
  /\bexport\s+(?:type\s+)?[\w*{}\s,$]*?\bfrom\s*['"]([^'"]+)['"]/g, // export ... from '...'
  /\bimport\s*['"]([^'"]+)['"]/g, // import '...'
  /\bimport\s*\(\s*['"`]([^'"`]+)['"`]/g, // import('...')
  /\brequire\s*\(\s*['"`]([^'"`]+)['"`]/g, // require('...')
];

/** "learner.ts:3:1: ..." for the first forbidden import, or null. */
export function forbiddenImport(source: string, fileName = LEARNER_FILE): string | null {
  for (const pattern of SPECIFIERS) {
    for (const m of source.matchAll(pattern)) {
      const spec = m[1]!;
      if (!FORBIDDEN.some((re) => re.test(spec))) continue;
      const before = source.slice(0, m.index);
      const line = before.split('\n').length;
      const col = m.index! - before.lastIndexOf('\n');
      return `${fileName}:${line}:${col}: imports "${spec}": a solution may not use the test framework (it could change its own grade)`;
    }
  }
  return null;
}
