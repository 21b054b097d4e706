/**
 * Frontmatter schemas of the book's pages. Plain zod (no Astro imports), so the unit tests
 * can check them without running Astro; src/content.config.ts plugs them into the collections.
 */
import { z } from 'astro/zod';

/** One line of text: what lists and meta descriptions show. */
const oneLine = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !/[\r\n]/.test(s), { message: 'must be a single line' });

/** A lab id as lab.yaml writes it: "<chapter>/<lab>". */
export const labIdSchema = z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'a lab id looks like "<chapter>/<lab>", e.g. "dns/message-codec"');

export const specSchema = z
  .object({
    /** "RFC 1035", "BEP 5", "WHATWG Fetch", ... */
    id: z
      .string()
      .trim()
      .min(2)
      .refine((s) => !/^rfc/i.test(s) || /^RFC \d{1,5}$/.test(s), { message: 'write RFCs as "RFC <number>", e.g. "RFC 1035"' }),
    title: z.string().trim().min(3),
    url: z.url().optional(),
  })
  .strict();

const chapterShape = {
  title: oneLine(3, 80),
  /** Position in the book; chapters are listed and linked (previous/next) in this order. */
  order: z.number().int().positive(),
  /** One line: shown in the chapter list and as the page's meta description. */
  summary: oneLine(20, 200),
  /**
   * The seed Q&A questions this chapter answers, in English, each with its answer in brief (a
   * few sentences, shown at the top of the chapter) and the id of the section that proves it
   * (the page checks that the heading exists).
   */
  seed_questions: z
    .array(
      z
        .object({
          question: z.string().trim().min(10),
          brief: z.string().trim().min(80).max(900),
          section: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a heading id, e.g. "the-resolver-when-a-zones-servers-are-unreachable"'),
        })
        .strict(),
    )
    .min(1),
  /** What a reader can do after the chapter. */
  objectives: z.array(z.string().trim().min(10)).min(1),
  /** The RFCs and specifications the chapter rests on. */
  specs: z.array(specSchema).min(1),
  /** Lab ids ("dns/message-codec") embedded in the chapter, in the order they appear. */
  labs: z.array(labIdSchema).default([]),
};

export type ChapterFrontmatter = z.infer<z.ZodObject<typeof chapterShape>>;

/**
 * The chapter schema, checking `labs` against the lab ids that exist (lab.yaml files).
 * An unknown id is reported at `labs.<index>` with the ids that do exist.
 */
export function makeChapterSchema(knownLabIds: readonly string[]) {
  const known = new Set(knownLabIds);
  return z
    .object(chapterShape)
    .strict()
    .superRefine((ch, ctx) => {
      const seen = new Set<string>();
      ch.labs.forEach((id, i) => {
        if (!known.has(id)) {
          const list = [...known].sort().join(', ') || 'none';
          ctx.addIssue({
            code: 'custom',
            path: ['labs', i],
            message: `unknown lab "${id}": there is no labs/${id}/lab.yaml (known labs: ${list})`,
          });
        }
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['labs', i], message: `lab "${id}" is listed twice` });
        seen.add(id);
      });
    });
}

export const guideSchema = z
  .object({
    title: oneLine(3, 80),
    order: z.number().int().nonnegative(),
    summary: oneLine(20, 200),
  })
  .strict();

export type GuideFrontmatter = z.infer<typeof guideSchema>;

/** "path.to.field: message" lines, one per issue (the format the lab catalog uses too). */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('\n');
}
