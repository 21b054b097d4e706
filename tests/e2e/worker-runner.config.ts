import { defineConfig } from 'vitest/config';

// The worker runner's browser test on its own: npx vitest run --config tests/e2e/worker-runner.config.ts
export default defineConfig({
  test: {
    include: ['tests/e2e/worker-runner.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
