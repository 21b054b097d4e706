/**
 * The names of the files every engine grades with: the lab's tests, its reference, and the
 * learner's code (which `./learner` in the tests resolves to). Browser-safe, and tiny, so the
 * page can name them without loading the harness.
 */
export const TEST_FILE = 'grade.test.ts';
export const REFERENCE_FILE = 'reference.ts';
export const LEARNER_FILE = 'learner.ts';
