/** instructions.md has one "## N. title" per task in order; hints.md one "## <task id>" each. */
export function checkDocs(instructions: string, hints: string, taskIds: string[]): string[] {
  const problems: string[] = [];
  const numbered = [...instructions.matchAll(/^## (\d+)\. +\S.*$/gm)].map((m) => Number(m[1]));
  if (numbered.length !== taskIds.length) {
    problems.push(`instructions.md: ${numbered.length} "## N. <title>" task heading(s) for ${taskIds.length} task(s) in lab.yaml`);
  } else if (numbered.some((n, i) => n !== i + 1)) {
    problems.push(`instructions.md: task headings must be numbered 1..${taskIds.length} in order (found ${numbered.join(', ')})`);
  }
  const sections = new Map<string, string>();
  const parts = hints.split(/^## +/m).slice(1);
  for (const part of parts) {
    const [head = '', ...body] = part.split('\n');
    sections.set(head.trim(), body.join('\n'));
  }
  for (const id of taskIds) {
    const body = sections.get(id);
    if (body === undefined) problems.push(`hints.md: no "## ${id}" section`);
    else if (!/^### +\S/m.test(body)) problems.push(`hints.md: "## ${id}" has no "### Hint" in it`);
  }
  for (const head of sections.keys()) {
    if (!taskIds.includes(head)) problems.push(`hints.md: "## ${head}" is not a task id in lab.yaml`);
  }
  return problems;
}
