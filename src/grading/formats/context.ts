/**
 * What the other ecosystems' formats need besides our result: the lab's task order (Exercism
 * and Gradescope number tasks), and where each test sits in grade.test.ts (Classroom wants a
 * line, Exercism the test's code). Found statically from the test file's source, so every
 * engine's result can be converted, not only the CLI's.
 */
import ts from 'typescript';

export interface FormatContext {
  /** Task ids in lab.yaml order. */
  taskIds: readonly string[];
  /** The lab's test file, relative to the repository root (labs/dns/message-codec/grade.test.ts). */
  testFile: string;
  /** Where a test or a task is declared (`file` when not testFile: an instructor's extra tests). */
  locate(title: string): { line: number; code: string; file?: string } | null;
  /** The command that grades this submission again, for people reading a CI log. */
  command: string;
}

/**
 * Index the string literals of a test file that name tests, tasks or vector rows: the first
 * argument of a call (`task('header', …)`, `graded('decodes …', 2, …)`, `it(…)`) or a `name:`
 * property (a row of `vectors`). For each, the line and the code a reader would want: the
 * test's function for a call, the row itself for a vector.
 */
export function testLocator(source: string, fileName = 'grade.test.ts'): FormatContext['locate'] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found = new Map<string, { line: number; code: string }>();
  const note = (title: string, at: ts.Node, code: ts.Node): void => {
    if (found.has(title)) return;
    found.set(title, { line: sf.getLineAndCharacterOfPosition(at.getStart(sf)).line + 1, code: code.getText(sf) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length >= 2 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const body = node.arguments[node.arguments.length - 1]!;
      note(node.arguments[0].text, node, ts.isArrowFunction(body) || ts.isFunctionExpression(body) ? body.body : body);
    }
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'name' && ts.isStringLiteralLike(node.initializer)) {
      note(node.initializer.text, node, node.parent);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return (title) => found.get(title) ?? found.get(title.split(' > ').pop()!) ?? null;
}
