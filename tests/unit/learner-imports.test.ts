import { describe, expect, it } from 'vitest';
import { forbiddenImport } from '../../src/grading/learner-imports.ts';

describe('forbiddenImport', () => {
  it('allows ordinary imports, including the lab\'s own files', () => {
    expect(forbiddenImport("import type { Reply } from './types';\nimport { QuicParseError } from './errors';\n")).toBeNull();
    expect(forbiddenImport('// we do not import vitest here\nconst s = "from \'vitest\'";\n')).toBeNull();
  });
  it('names the first import of the test framework, in every form', () => {
    expect(forbiddenImport("\n\nimport { expect } from 'vitest';")).toMatch(/^learner\.ts:3:1: imports "vitest"/);
    expect(forbiddenImport("export * from '@vitest/expect';", 'a.ts')).toMatch(/^a\.ts:1:1: imports "@vitest\/expect"/);
    expect(forbiddenImport("const c = await import('chai');")).toMatch(/imports "chai"/);
    expect(forbiddenImport("const v = require('vitest/node');")).toMatch(/imports "vitest\/node"/);
    expect(forbiddenImport("import 'vitest';")).toMatch(/imports "vitest"/);
  });
});
