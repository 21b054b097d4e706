/**
 * Test timeouts. Kept apart from the harness so the page can compute them without loading it.
 */

/** vitest's own defaults, used when no lab time limit is given. */
export const DEFAULT_TEST_TIMEOUT_MS = 5_000;
export const DEFAULT_HOOK_TIMEOUT_MS = 10_000;

/**
 * The per-test (and per-hook) timeout for a lab's wall-clock limit: the CLI engine gives
 * vitest half the lab's limit, and the harness must give the same so both time out alike.
 */
export function testTimeoutFor(timeLimitMs: number): number {
  return Math.max(1000, Math.floor(timeLimitMs / 2));
}
