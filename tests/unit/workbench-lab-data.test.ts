import { describe, expect, it } from 'vitest';
import { loadAllLabs } from '../../src/catalog/catalog-fs.ts';
import { buildLabData, fitHtml, plainHtml, readableComments, splitHints } from '../../src/catalog/lab-data-fs.ts';

describe('splitHints', () => {
  it('splits "## task" sections into "### Hint N" hints, in order', () => {
    const md = '# Hints\n\n## header\n\n### Hint 1\nFirst.\n\n### Hint 2\nSecond `x`.\n\n## names\nOnly one, no sub-heading.\n';
    const hints = splitHints(md);
    expect([...hints.keys()]).toEqual(['header', 'names']);
    expect(hints.get('header')).toEqual(['First.', 'Second `x`.']);
    expect(hints.get('names')).toEqual(['Only one, no sub-heading.']);
  });
});

describe('fitHtml', () => {
  it('drops the leading h1, demotes headings and prefixes their ids', () => {
    const html = '<h1 id="t">Title</h1>\n<p>x</p>\n<h2 id="1-task">1. Task</h2><h6 id="deep">d</h6>';
    expect(fitHtml(html, 'lab-a')).toBe('<p>x</p>\n<h4 id="lab-a-1-task">1. Task</h4><h6 id="lab-a-deep">d</h6>');
  });
});

describe('readableComments and plainHtml', () => {
  it('lightens github-dark comments and escapes the fallback', () => {
    expect(readableComments('<span style="--shiki-light:#6A737D;--shiki-dark:#6A737D">')).toBe('<span style="--shiki-light:#6A737D;--shiki-dark:#959DA5">');
    expect(plainHtml('a <b>\n\n```ts\nx < 1\n```')).toBe('<p>a &#60;b&#62;</p>\n<pre><code>x &#60; 1\n</code></pre>');
  });
});

describe('lab data of every lab', () => {
  const labs = loadAllLabs();
  for (const lab of labs) {
    it(`${lab.meta.id}: files, instructions and hints for every task`, { timeout: 30_000 }, async () => {
      const data = await buildLabData(lab);
      expect(Object.keys(data.files).sort()).toEqual(['grade.test.ts', 'reference.ts', 'starter.ts', ...lab.meta.files].sort());
      // Instructor mutants stay out of the page: they would hand a learner the bugs the tests look for.
      expect(JSON.stringify(data)).not.toContain('// Bug:');
      expect(data.meta).toMatchObject({ id: lab.meta.id, version: lab.meta.version, runtime: lab.meta.runtime, time_limit_ms: lab.meta.time_limit_ms });
      expect(data.instructions).toMatch(/<h4/);
      expect(data.instructions).not.toMatch(/<h[12][\s>]/);
      expect(data.hints.map((h) => h.task)).toEqual(lab.meta.tasks.map((t) => t.id));
      for (const h of data.hints) expect(h.hints.length, `hints of task ${h.task}`).toBeGreaterThan(0);
    });
  }
});
