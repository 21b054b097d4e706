/**
 * The book's pages in reading order (Astro only: uses astro:content).
 */
import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;
export type GuidePage = CollectionEntry<'guide'>;

function byOrder<T extends { id: string; filePath?: string; data: { order: number } }>(entries: T[], what: string): T[] {
  const sorted = [...entries].sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.data.order === b.data.order) {
      throw new Error(
        `${what}: ${a.filePath ?? a.id} and ${b.filePath ?? b.id} both have order ${a.data.order}: give each page its own order`,
      );
    }
  }
  return sorted;
}

/** Chapters sorted by `order` (two chapters with the same order fail the build). */
export async function getChapters(): Promise<Chapter[]> {
  return byOrder(await getCollection('chapters'), 'content/chapters');
}

/** Guide pages sorted by `order`. */
export async function getGuidePages(): Promise<GuidePage[]> {
  return byOrder(await getCollection('guide'), 'content/guide');
}

export const chapterHref = (c: Chapter) => `/chapters/${c.id}/`;
export const guideHref = (g: GuidePage) => `/guide/${g.id}/`;

/**
 * The `labs` field and the chapter's lab embeds (<Lab id="..." />, or the static
 * <LabCard id="..." />) must name the same labs:
 * the home page links each listed lab to its card.
 */
export function checkLabEmbeds(c: Chapter): void {
  // MDX comments ({/* ... */}) and fenced code do not embed anything.
  const body = (c.body ?? '').replace(/\{\/\*[\s\S]*?\*\/\}/g, '').replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
  const embedded = [...body.matchAll(/<Lab(?:Card)?\s+[^>]*?\bid=["']([^"']+)["']/g)].map((m) => m[1]!);
  const file = c.filePath ?? c.id;
  for (const id of c.data.labs) {
    if (!embedded.includes(id)) throw new Error(`${file}: labs lists "${id}" but the chapter has no <Lab id="${id}" />`);
  }
  for (const id of embedded) {
    if (!c.data.labs.includes(id)) throw new Error(`${file}: <Lab id="${id}" /> is not listed in the frontmatter's labs`);
  }
}
