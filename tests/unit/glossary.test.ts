import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { GLOSSARY, glossaryEntry, glossaryHref, shortDefinition } from '../../src/book/glossary.ts';

const CHAPTERS = fileURLToPath(new URL('../../content/chapters/', import.meta.url));

/** A chapter's MDX body without fenced code and MDX comments. */
function body(file: string): string {
  const text = readFileSync(join(CHAPTERS, file), 'utf8');
  return text
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/^(```|~~~)[\s\S]*?^\1/gm, '')
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, '');
}

/** The heading ids Astro gives a chapter (github-slugger, as its Markdown pipeline uses). */
function headingIds(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const ids = new Set<string>();
  for (const m of body(file).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    // The text as rendered: inline code and emphasis markers do not reach the id.
    ids.add(slugger.slug(m[1]!.replace(/`([^`]*)`/g, '$1').replace(/\*\*?/g, '')));
  }
  return ids;
}

const chapters = readdirSync(CHAPTERS).filter((f) => f.endsWith('.mdx'));

describe('glossary data', () => {
  it('has the terms the chapters lean on', () => {
    for (const id of ['rtt', 'ttl', 'cwnd', 'ssthresh', 'glue', 'sni', 'alpn', 'rcode', 'edns', 'mtu', 'head-of-line-blocking', '0-rtt', 'connection-id', 'packet-number', 'ack-delay', 'pto', 'anycast', 'gslb', 'stub-resolver', 'recursive-resolver', 'authoritative-server', 'nxdomain', 'tcp-handshake', 'tls-handshake', 'slow-start', 'cubic', 'reno', 'bbr']) {
      expect(() => glossaryEntry(id), id).not.toThrow();
    }
  });

  it('gives each term a unique id that is safe in a URL fragment', () => {
    const ids = GLOSSARY.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const terms = GLOSSARY.map((e) => e.term.toLowerCase());
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('defines each term in one to three sentences', () => {
    for (const e of GLOSSARY) {
      expect(e.term.trim(), e.id).not.toBe('');
      expect(e.definition.trim().length, e.id).toBeGreaterThan(40);
      const sentences = e.definition.split(/(?<=[.!?])\s+(?=[A-Z(0-9])/).length;
      expect(sentences, e.id).toBeGreaterThanOrEqual(1);
      expect(sentences, e.id).toBeLessThanOrEqual(3);
      expect(e.definition, e.id).not.toMatch(/\s{2}|\n/);
      if (e.spec) expect(e.spec, e.id).toMatch(/^(RFC \d+( §[\d.]+)?)(, (RFC \d+ )?§?[\d.]+| ?[,;] RFC \d+( §[\d.]+)?)*$/);
    }
  });

  it('points every "see" link at a heading of an existing chapter', () => {
    const ids = new Map(chapters.map((f) => [f.replace(/\.mdx$/, ''), headingIds(f)]));
    // The reader of headings works: a known heading of each chapter is found.
    expect(ids.get('dns')!.has('referrals-and-glue')).toBe(true);
    expect(ids.get('quic')!.has('time_wait-the-cost-of-closing-first')).toBe(true);
    for (const e of GLOSSARY.filter((x) => x.see)) {
      const headings = ids.get(e.see!.chapter);
      expect(headings, `${e.id}: chapter ${e.see!.chapter}`).toBeDefined();
      expect(headings!.has(e.see!.section), `${e.id}: #${e.see!.section}`).toBe(true);
    }
  });

  it('fails on an unknown id, naming it', () => {
    expect(() => glossaryEntry('round-trip')).toThrow(/unknown term id "round-trip"/);
    expect(glossaryHref('rtt')).toBe('/glossary/#rtt');
    expect(shortDefinition(glossaryEntry('nxdomain'))).toBe('NXDOMAIN: The DNS response code 3: the name asked about does not exist, with any record type.');
  });
});

describe('glossary links in the chapters', () => {
  for (const file of chapters) {
    const uses = [...body(file).matchAll(/<Term\s+id=["']([^"']+)["']/g)].map((m) => m[1]!);

    it(`${file}: names only known terms, each once (its first use)`, () => {
      for (const id of uses) expect(() => glossaryEntry(id), `${file}: <Term id="${id}">`).not.toThrow();
      const twice = uses.filter((id, i) => uses.indexOf(id) !== i);
      expect(twice, `${file} links these terms more than once`).toEqual([]);
      if (uses.length > 0) expect(body(file)).toMatch(/^import Term from '\.\.\/\.\.\/src\/components\/Term\.astro';$/m);
    });
  }
});
