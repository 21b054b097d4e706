import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { loadAllLabs } from './catalog/catalog-fs.ts';
import { guideSchema, makeChapterSchema } from './book/chapter-schema.ts';

// The lab ids that exist (labs/<chapter>/<lab>/lab.yaml). A chapter naming any other id in
// its `labs` field fails the build with the file and the field (labs.<index>).
const knownLabIds = loadAllLabs().map((lab) => lab.meta.id);

const chapters = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content/chapters' }),
  schema: makeChapterSchema(knownLabIds),
});

// Instructor guide pages (Markdown or MDX).
const guide = defineCollection({
  loader: glob({ pattern: '**/*.{md,mdx}', base: './content/guide' }),
  schema: guideSchema,
});

export const collections = { chapters, guide };
