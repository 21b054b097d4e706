/**
 * `grade --seed N` reaches the kit: NETLABS_SEED changes every generated input, and without it
 * the book's seed gives the same inputs on every run.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/catalog/catalog-fs.ts';

const RANDOM = join(PROJECT_ROOT, 'labs/kit/random.ts');
const draw = (seed?: string): { seed: number; values: number[] } => {
  const { NETLABS_SEED: _inherited, ...env } = process.env;
  const code = `import { SEED, samples, fc } from ${JSON.stringify(RANDOM)}; console.log(JSON.stringify({ seed: SEED, values: samples(fc.integer(), 5) }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { env: seed === undefined ? env : { ...env, NETLABS_SEED: seed }, encoding: 'utf8' });
  return JSON.parse(out) as { seed: number; values: number[] };
};

describe('the kit\'s seed', () => {
  it('is the book\'s by default, the same on every run', () => {
    const [a, b] = [draw(), draw()];
    expect(a.seed).toBe(0x6e65746c);
    expect(a.values).toEqual(b.values);
  });
  it('comes from NETLABS_SEED when given, and changes the inputs', () => {
    const book = draw();
    const fresh = draw('12345');
    expect(fresh.seed).toBe(12345);
    expect(fresh.values).not.toEqual(book.values);
    expect(draw('12345').values).toEqual(fresh.values);
    expect(draw('not a number').seed).toBe(0x6e65746c);
  });
});
