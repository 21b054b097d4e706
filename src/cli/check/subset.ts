/**
 * The lab-test subset: what a grade.test.ts may use so that every engine (vitest, the worker
 * harness) runs it the same way. Checked on the syntax tree, with file:line:col for each use
 * outside the subset.
 */
import ts from 'typescript';

const VITEST_NAMES = new Set(['describe', 'it', 'test', 'expect', 'beforeEach', 'afterEach', 'vi']);
const TEST_FNS = new Set(['describe', 'it', 'test']);
const BANNED_MODIFIERS = new Set(['each', 'only', 'skip', 'todo', 'concurrent', 'sequential', 'skipIf', 'runIf', 'fails', 'for', 'extend', 'scoped', 'shuffle']);
const BANNED_MATCHERS = new Set([
  'toMatchSnapshot', 'toMatchInlineSnapshot', 'toMatchFileSnapshot',
  'toThrowErrorMatchingSnapshot', 'toThrowErrorMatchingInlineSnapshot',
]);
const BANNED_EXPECT_STATICS = new Set(['poll', 'soft', 'extend', 'addSnapshotSerializer', 'addEqualityTesters', 'element']);
const TASK_BLOCKS = new Set(['task', 'describe']);

export interface SubsetProblem { line: number; col: number; message: string }

export interface SubsetReport {
  problems: SubsetProblem[];
  /** Task ids of the top-level task()/describe() blocks, in order. */
  taskBlocks: string[];
}

export function checkSubset(source: string, fileName: string, opts: { taskIds: string[]; labFiles: string[] }): SubsetReport {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const problems: SubsetProblem[] = [];
  const taskBlocks: string[] = [];
  const at = (node: ts.Node, message: string) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    problems.push({ line: line + 1, col: character + 1, message });
  };
  const allowedModules = new Set(['vitest', '../../kit', './learner', './reference']);
  for (const f of opts.labFiles) {
    allowedModules.add(`./${f}`);
    allowedModules.add(`./${f.replace(/\.ts$/, '')}`);
  }

  // The learner's module is reached only through the kit's withCopiedInputs, so no test can hand
  // the learner an object that the reference (or a later test) then reads.
  const learnerNames = new Set<string>();
  const learnerImport = (stmt: ts.ImportDeclaration) => {
    const clause = stmt.importClause;
    if (!clause || clause.isTypeOnly) return;
    const bindings = clause.namedBindings;
    const valueNames = bindings && ts.isNamedImports(bindings) ? bindings.elements.filter((e) => !e.isTypeOnly) : [];
    if (bindings && ts.isNamespaceImport(bindings) && !clause.name) learnerNames.add(bindings.name.text);
    else if (clause.name || valueNames.length) at(stmt, `import the learner's module whole and wrap it: import * as submitted from './learner'; const learner = withCopiedInputs(submitted);`);
  };

  /** Local name -> vitest's name, so `import { vi as v }` cannot hide `v.useFakeTimers()`. */
  const vitestNames = new Map<string, string>();
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      const spec = (stmt.moduleSpecifier as ts.StringLiteral).text;
      if (!allowedModules.has(spec)) at(stmt, `import from "${spec}": lab tests import only vitest, ../../kit, ./learner, ./reference and the lab's own files`);
      if (spec === './learner') learnerImport(stmt);
      if (spec === 'vitest') {
        const bindings = stmt.importClause?.namedBindings;
        if (!bindings || !ts.isNamedImports(bindings)) at(stmt, 'import vitest by name: import { describe, it, expect } from "vitest"');
        else for (const el of bindings.elements) {
          const name = (el.propertyName ?? el.name).text;
          vitestNames.set(el.name.text, name);
          if (!VITEST_NAMES.has(name)) at(el, `vitest's "${name}" is not in the lab-test subset (allowed: ${[...VITEST_NAMES].join(', ')})`);
        }
      }
      continue;
    }
    // A top-level call must be a task block; tests outside a task would have no points to earn.
    if (ts.isExpressionStatement(stmt) && ts.isCallExpression(stmt.expression)) {
      const call = stmt.expression;
      const callee = call.expression;
      const name = ts.isIdentifier(callee) ? callee.text : undefined;
      if (name && TASK_BLOCKS.has(name)) {
        const first = call.arguments[0];
        if (!first || !ts.isStringLiteralLike(first)) at(call, `${name}() needs a task id as a string literal`);
        else {
          if (!opts.taskIds.includes(first.text)) at(first, `"${first.text}" is not a task id in lab.yaml (${opts.taskIds.join(', ')})`);
          taskBlocks.push(first.text);
        }
      } else if (name === 'it' || name === 'test') {
        at(call, 'a test outside any task: wrap it in task("<task id>", () => { ... })');
      }
    }
  }

  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && learnerNames.has(node.text) && !isWrappedOrType(node)) {
      at(node, `"${node.text}" is the learner's module unwrapped: call it through withCopiedInputs(${node.text}), so the learner gets copies of its inputs`);
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const obj = vitestNames.get(node.expression.text) ?? node.expression.text;
      const prop = node.name.text;
      if (TEST_FNS.has(obj) && BANNED_MODIFIERS.has(prop)) at(node, `${obj}.${prop} is not in the lab-test subset`);
      if (obj === 'vi' && prop !== 'fn') at(node, `vi.${prop} is not in the lab-test subset (only vi.fn; use the kit's VirtualClock for time)`);
      if (obj === 'expect' && BANNED_EXPECT_STATICS.has(prop)) at(node, `expect.${prop} is not in the lab-test subset`);
    }
    if (ts.isPropertyAccessExpression(node) && BANNED_MATCHERS.has(node.name.text)) {
      at(node.name, `${node.name.text}: snapshots are not in the lab-test subset`);
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) at(node, 'dynamic import() is not in the lab-test subset');
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') at(node, 'require() is not in the lab-test subset');
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { problems, taskBlocks };
}

/** The namespace's own import, `withCopiedInputs(ns)`, or a type position (`typeof ns.X`). */
function isWrappedOrType(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isNamespaceImport(parent)) return true;
  if (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'withCopiedInputs' &&
      parent.arguments.length === 1 && parent.arguments[0] === id) return true;
  for (let n: ts.Node = id; n.parent; n = n.parent) {
    if (ts.isTypeQueryNode(n) || ts.isTypeReferenceNode(n)) return true;
    if (ts.isExpression(n) && !ts.isIdentifier(n)) return false;
  }
  return false;
}
