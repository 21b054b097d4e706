/**
 * Type-checks a lab with `./learner` mapped to a given file (the starter, the reference),
 * using the TypeScript compiler API: the worker runner strips types without checking them,
 * so this is where a lab's types are held to account.
 */
import ts from 'typescript';
import { basename, join, relative, resolve } from 'node:path';
import { PROJECT_ROOT, type Lab } from '../../catalog/catalog-fs.ts';

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  types: [],
  skipLibCheck: true,
  noFallthroughCasesInSwitch: true,
};

export function typecheckLab(lab: Lab, learnerFile: string): string[] {
  const testFile = join(lab.dir, 'grade.test.ts');
  const learner = resolve(learnerFile);
  const host = ts.createCompilerHost(OPTIONS);
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, options) =>
    literals.map((lit) => {
      if (lit.text === './learner' && resolve(containingFile) === testFile) {
        return { resolvedModule: { resolvedFileName: learner, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
      }
      // As when grading: the learner's `./types` etc. are the lab's provided files.
      const provided = lab.meta.files.find((f) => lit.text === `./${f}` || `${lit.text}.ts` === `./${f}`);
      if (provided && resolve(containingFile) === learner) {
        return { resolvedModule: { resolvedFileName: join(lab.dir, provided), extension: ts.Extension.Ts, isExternalLibraryImport: false } };
      }
      return ts.resolveModuleName(lit.text, containingFile, options, host);
    });
  const roots = [testFile, learner, join(lab.dir, 'reference.ts'), ...lab.meta.files.map((f) => join(lab.dir, f))];
  const program = ts.createProgram({ rootNames: roots, options: OPTIONS, host });
  const diags = ts.getPreEmitDiagnostics(program);
  return diags.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const rel = relative(PROJECT_ROOT, d.file.fileName);
    return `${rel.startsWith('..') ? basename(d.file.fileName) : rel}:${line + 1}:${character + 1}: ${text}`;
  });
}
