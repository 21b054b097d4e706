import { describe, expect, it } from 'vitest';
import { allowedBuiltin, providedTarget, refusedImport } from '../../src/grading/learner-imports.ts';

const PROVIDED = ['types.ts', 'wire.ts'];
const refused = (source: string, provided = PROVIDED) => refusedImport(source, provided);

describe('providedTarget', () => {
  it('resolves a specifier as the engines do, and names the provided file', () => {
    expect(providedTarget('./wire', PROVIDED)).toBe('wire.ts');
    expect(providedTarget('./wire.ts', PROVIDED)).toBe('wire.ts');
    expect(providedTarget('./wire.js', PROVIDED)).toBe('wire.ts');
    expect(providedTarget('./x/../wire', PROVIDED)).toBe('wire.ts');
    expect(providedTarget('../lab/wire', PROVIDED)).toBe('wire.ts'); // the lab folder, by a longer way
  });
  it('names nothing else', () => {
    for (const spec of ['./reference', './grade.test', '../../kit', '../other/wire', '/labs/dns/x/wire.ts', 'file:///wire.ts', 'node:fs', 'fast-check', 'wire']) {
      expect(providedTarget(spec, PROVIDED), spec).toBeNull();
    }
  });
});

describe('allowedBuiltin', () => {
  it('names a listed built-in by either spelling, and nothing else', () => {
    expect(allowedBuiltin('node:dgram', ['node:dgram'])).toBe('node:dgram');
    expect(allowedBuiltin('dgram', ['node:dgram'])).toBe('node:dgram');
    expect(allowedBuiltin('node:fs', ['node:dgram'])).toBeNull();
    expect(allowedBuiltin('node:dgram', [])).toBeNull();
  });
});

describe('refusedImport', () => {
  it('allows a runtime: node lab\'s listed built-ins, and refuses the others', () => {
    const withDgram = (source: string) => refusedImport(source, PROVIDED, 'learner.ts', ['node:dgram']);
    expect(withDgram("import { createSocket } from 'node:dgram';\nimport * as d from 'dgram';\nconst m = import('node:dgram');")).toBeNull();
    expect(withDgram("import { readFileSync } from 'node:fs';")).toMatch(/imports "node:fs": .*\(\.\/types, \.\/wire, node:dgram\)/);
  });

  it('allows the lab\'s provided files, type-only imports, and mentions in comments and strings', () => {
    expect(refused("import type { Reply } from './types';\nimport { encode } from './wire';\n")).toBeNull();
    expect(refused("import type { Expected } from './reference';\nexport type { X } from './reference';\n")).toBeNull();
    expect(refused('// import x from "./reference"\nconst s = "from \'./reference\'"; /* require("fs") */\n')).toBeNull();
    expect(refused("const re = /import('x')/; const t = `import ${'x'} from`;\n")).toBeNull();
    expect(refused('export const ok = (a: number) => a / 2 / 1;\nconst im = { meta: 1 };\nimport.meta;\n')).toBeNull();
  });

  it('refuses the reference, the tests, the kit, other labs and packages, with the line of the import', () => {
    expect(refused("\n\nexport * from './reference';")).toMatch(/^learner\.ts:3:1: imports "\.\/reference": a solution may import only the lab's provided files \(\.\/types, \.\/wire\)/);
    expect(refused("import { expect } from 'vitest';")).toMatch(/imports "vitest"/);
    expect(refused("import * as k from '../../kit';")).toMatch(/imports "\.\.\/\.\.\/kit"/);
    expect(refused("export { decode } from '../../dns/message-codec/reference';")).toMatch(/message-codec\/reference/);
    expect(refused("import fc from 'fast-check';")).toMatch(/imports "fast-check"/);
    expect(refused("import './grade.test';")).toMatch(/imports "\.\/grade\.test"/);
    expect(refused("import { x } from './wire';\nexport * from './x/../reference';", PROVIDED)).toMatch(/^learner\.ts:2:1:/);
    expect(refused("export * from './wire';", [])).toMatch(/\(none in this lab\)/);
  });

  it('checks the target, however the specifier is spelt', () => {
    expect(refused("export * from '/work/labs/dns/message-codec/reference.ts';")).toMatch(/imports "\/work/);
    expect(refused("export * from 'file:///labs/dns/message-codec/reference.ts';")).toMatch(/imports "file:/);
    expect(refused("export * from '.\\x2freference';")).toMatch(/imports "\.\/reference"/);
    expect(refused("export * from '\\u002e/reference';")).toMatch(/imports "\.\/reference"/);
    expect(refused('export * from "./reference"')).toMatch(/imports "\.\/reference"/);
    expect(refused("import {\n  a,\n} from './reference';")).toMatch(/^learner\.ts:1:1:/);
  });

  it('refuses import() of anything but a named provided file, and require in any form', () => {
    expect(refused("const m = await import('./reference');")).toMatch(/imports "\.\/reference"/);
    expect(refused("const m = await import(`./reference`);")).toMatch(/imports "\.\/reference"/);
    expect(refused("const m = await import('./wire');")).toBeNull();
    expect(refused("const p = './ref' + 'erence'; const m = await import(p);")).toMatch(/import\(\) of a computed specifier/);
    expect(refused("const m = await import(`./${'reference'}`);")).toMatch(/import\(\) of a computed specifier/);
    expect(refused("const m = await import(/**/ './reference');")).toMatch(/imports "\.\/reference"/);
    expect(refused("const r = require('./reference');")).toMatch(/uses require/);
    expect(refused('const r = requ\\u0069re;')).toMatch(/uses require/);
    expect(refused("import r = require('./wire');")).toMatch(/uses require/);
  });
});
