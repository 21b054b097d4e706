import { defineConfig } from 'vitest/config';

// Unit tests and peer tests. Lab tests are not run from here: the lab CLI grades them
// (src/cli), mapping `./learner` to the file being graded.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          // Real Chromium against the built site (npm test builds it first).
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'peers',
          include: ['tests/peers/**/*.peer.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real servers bind ports: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
