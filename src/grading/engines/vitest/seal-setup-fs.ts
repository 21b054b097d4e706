/**
 * A vitest setup file for the CLI engine, run in vitest's fork before the lab's test file
 * imports anything: the same hardening as the harness's (../../harness/harden.ts and
 * sealAssertions), and Node's doors to modules that bypass `import` (and so the learner's
 * import rule) closed. Together with --disallow-code-generation-from-strings (child-fs.ts).
 */
import { hardenBuiltins } from '../../harness/harden.ts';
import { sealAssertions } from '../../harness/expect.ts';

const closed = (name: string) => () => {
  throw new Error(`process.${name} is not available while grading`);
};
for (const name of ['getBuiltinModule', 'binding', '_linkedBinding', 'dlopen'] as const) {
  Object.defineProperty(process, name, { value: closed(name), writable: false, configurable: false });
}
hardenBuiltins();
sealAssertions();
