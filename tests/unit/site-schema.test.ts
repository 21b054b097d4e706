import { describe, expect, it } from 'vitest';
import { describeIssues, guideSchema, makeChapterSchema } from '../../src/book/chapter-schema.ts';

const KNOWN = ['dns/message-codec', 'dns/stub-resolver'];
const schema = makeChapterSchema(KNOWN);

const good = {
  title: 'DNS and HttpDNS',
  order: 5,
  summary: 'How names become addresses, and why the answer sometimes points the wrong way.',
  seed_questions: [{ question: 'What happens when the authoritative server cannot be reached?', brief: 'The resolver tries each server with short timers, serves a stale copy if it has one, and answers SERVFAIL if not.', section: 'the-resolver' }],
  objectives: ['Encode a domain name as labels and decode compression pointers.'],
  specs: [
    { id: 'RFC 1035', title: 'Domain names: implementation and specification' },
    { id: 'WHATWG Fetch', title: 'Fetch', url: 'https://fetch.spec.whatwg.org/' },
  ],
  labs: ['dns/message-codec'],
};

function issues(data: unknown): string {
  const r = schema.safeParse(data);
  if (r.success) throw new Error('expected the schema to reject the data');
  return describeIssues(r.error.issues);
}

describe('chapter frontmatter', () => {
  it('accepts a complete chapter', () => {
    const r = schema.safeParse(good);
    expect(r.success).toBe(true);
  });

  it('defaults labs to none', () => {
    const { labs: _, ...noLabs } = good;
    const r = schema.parse(noLabs);
    expect(r.labs).toEqual([]);
  });

  it('rejects an unknown lab id, naming the field and the known ids', () => {
    const msg = issues({ ...good, labs: ['dns/message-codec', 'dns/zone-walk'] });
    expect(msg).toMatch(/^labs\.1: unknown lab "dns\/zone-walk"/);
    expect(msg).toContain('dns/message-codec, dns/stub-resolver');
  });

  it('rejects a lab id that is not "<chapter>/<lab>"', () => {
    expect(issues({ ...good, labs: ['message-codec'] })).toMatch(/^labs\.0: a lab id looks like/m);
  });

  it('rejects a lab listed twice', () => {
    expect(issues({ ...good, labs: ['dns/message-codec', 'dns/message-codec'] })).toMatch(/labs\.1: lab "dns\/message-codec" is listed twice/);
  });

  it('rejects a non-integer order', () => {
    expect(issues({ ...good, order: 5.5 })).toMatch(/^order: /m);
  });

  it('rejects a summary over several lines', () => {
    expect(issues({ ...good, summary: 'How names become addresses,\nand why the answer points the wrong way.' })).toMatch(
      /^summary: must be a single line/m,
    );
  });

  it('rejects a missing field', () => {
    const { seed_questions: _, ...rest } = good;
    expect(issues(rest)).toMatch(/^seed_questions: /m);
  });

  it('rejects an objective that is not a string (a YAML line with an unquoted colon)', () => {
    expect(issues({ ...good, objectives: [{ 'Read a message by hand': 'the header and its flags' }] })).toMatch(
      /^objectives\.0: /m,
    );
  });

  it('rejects an RFC written another way, and a bad URL', () => {
    const msg = issues({ ...good, specs: [{ id: 'rfc1035', title: 'Domain names' }, { id: 'RFC 6891', title: 'EDNS(0)', url: 'not a url' }] });
    expect(msg).toMatch(/^specs\.0\.id: write RFCs as "RFC <number>"/m);
    expect(msg).toMatch(/^specs\.1\.url: /m);
  });

  it('rejects unknown fields, so typos do not pass silently', () => {
    expect(issues({ ...good, sumary: 'typo' })).toMatch(/sumary/);
  });
});

describe('guide frontmatter', () => {
  it('accepts title, order and summary', () => {
    expect(guideSchema.safeParse({ title: 'Writing a lab', order: 1, summary: 'How a lab folder is laid out and checked.' }).success).toBe(true);
  });

  it('rejects a missing summary', () => {
    const r = guideSchema.safeParse({ title: 'Writing a lab', order: 1 });
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error.issues)).toMatch(/^summary: /m);
  });
});
