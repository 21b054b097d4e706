/**
 * Build time only (Node): a lab folder as the JSON the workbench fetches when the lab is opened.
 * Instructions and hints are rendered to HTML here, with the site's own Markdown pipeline, so
 * the page ships no Markdown renderer.
 */
import type { Lab } from './catalog-fs.ts';
import { readLabFile } from './catalog-fs.ts';
import type { LabData, LabDataHints } from '../workbench/types.ts';

type Render = (markdown: string) => Promise<string>;

let renderer: Promise<Render> | undefined;

/** Astro's Markdown processor (with shiki, dual themes as in astro.config); plain text if it cannot load. */
function markdownRenderer(): Promise<Render> {
  renderer ??= (async (): Promise<Render> => {
    try {
      const { createSatteriMarkdownProcessor } = await import('@astrojs/markdown-satteri');
      const processor = await createSatteriMarkdownProcessor({
        syntaxHighlight: 'shiki',
        shikiConfig: { themes: { light: 'github-light-default', dark: 'github-dark-default' }, defaultColor: false, wrap: false },
      } as Parameters<typeof createSatteriMarkdownProcessor>[0]);
      return async (md) => readableComments((await processor.render(md)).code);
    } catch (e) {
      console.warn(`lab data: Markdown renderer unavailable (${String(e)}); shipping instructions as plain text`);
      return async (md) => plainHtml(md);
    }
  })();
  return renderer;
}

/**
 * github-dark draws comments in #6A737D, 3:1 on its #24292e background (WCAG AA wants 4.5:1);
 * a lighter grey keeps the look and passes.
 */
export function readableComments(html: string): string {
  return html.replace(/--shiki-dark:#6A737D/gi, '--shiki-dark:#959DA5');
}

/** The fallback: paragraphs of escaped text, code blocks kept as <pre>. */
export function plainHtml(md: string): string {
  return md
    .split(/\n{2,}/)
    .map((block) => (block.startsWith('```') ? `<pre><code>${escapeHtml(block.replace(/^```\w*\n?|```$/g, ''))}</code></pre>` : `<p>${escapeHtml(block)}</p>`))
    .join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Fit rendered Markdown inside the workbench: a leading h1 (the lab title, shown already) is
 * dropped, the other headings go down `by` levels, and heading ids get a prefix so they cannot
 * clash with the chapter page's own anchors.
 */
export function fitHtml(html: string, idPrefix: string, by = 2): string {
  const out = html.replace(/^\s*<h1[^>]*>[\s\S]*?<\/h1>\s*/, '');
  return out
    .replace(/<(\/?)h([1-6])\b/g, (_m, slash: string, n: string) => `<${slash}h${Math.min(6, Number(n) + by)}`)
    .replace(/(<h[1-6][^>]*\sid=")([^"]*)"/g, (_m, head: string, id: string) => `${head}${idPrefix}-${id}"`);
}

/**
 * hints.md: "## <task-id>" then "### Hint N" sections, each a hint in order. Text under a task
 * heading with no "### " sub-headings is one hint.
 */
export function splitHints(md: string): Map<string, string[]> {
  const byTask = new Map<string, string[]>();
  const sections = md.split(/^##(?!#)[ \t]+/m).slice(1);
  for (const section of sections) {
    const nl = section.indexOf('\n');
    const task = (nl < 0 ? section : section.slice(0, nl)).trim();
    const body = nl < 0 ? '' : section.slice(nl + 1);
    const parts = body.split(/^###[ \t]+.*$/m);
    const hints = (parts.length > 1 ? parts.slice(1) : parts).map((h) => h.trim()).filter(Boolean);
    byTask.set(task, [...(byTask.get(task) ?? []), ...hints]);
  }
  return byTask;
}

/**
 * A lab's instructions as a page of their own (/labs/<chapter>/<lab>/), for readers and for the
 * search index: the instructions only, never the hints or the reference. Headings keep their ids.
 */
export async function instructionsHtml(lab: Lab): Promise<{ html: string; headings: { depth: number; slug: string; text: string }[] }> {
  const render = await markdownRenderer();
  const html = fitHtml(await render(readLabFile(lab, 'instructions.md')), 'i', 0);
  const headings = [...html.matchAll(/<h([23])[^>]*\sid="([^"]+)"[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => ({
    depth: Number(m[1]),
    slug: m[2]!,
    text: m[3]!.replace(/<[^>]+>/g, ''),
  }));
  return { html, headings };
}

export async function buildLabData(lab: Lab): Promise<LabData> {
  const { meta } = lab;
  const render = await markdownRenderer();
  const prefix = `lab-${meta.id.replace(/[^a-z0-9]+/g, '-')}`;
  const files: Record<string, string> = {};
  for (const name of ['starter.ts', 'reference.ts', 'grade.test.ts', ...meta.files]) files[name] = readLabFile(lab, name);
  const instructions = fitHtml(await render(readLabFile(lab, 'instructions.md')), `${prefix}-i`);
  const split = splitHints(readLabFile(lab, 'hints.md'));
  const hints: LabDataHints[] = [];
  for (const task of meta.tasks) {
    const list = split.get(task.id) ?? [];
    hints.push({ task: task.id, hints: await Promise.all(list.map(async (h, i) => fitHtml(await render(h), `${prefix}-h-${task.id}-${i + 1}`, 3))) });
  }
  return {
    meta: { ...meta, tasks: meta.tasks.map((t) => ({ ...t })), files: [...meta.files] },
    files,
    instructions,
    hints,
  };
}
