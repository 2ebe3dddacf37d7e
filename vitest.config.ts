import { defineConfig } from 'vitest/config';

/**
 * Importing a trigger module outside a Functions host makes @azure/functions print that it runs in
 * "test mode" and skips the registration (documented behaviour; tests call the exported handlers
 * directly). Those lines say nothing about the test, so they are dropped; everything else is kept.
 */
const functionsTestModeNotice =
  /the "@azure\/functions" package is in test mode|Switching "@azure\/functions" package to test mode/;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    restoreMocks: true,
    reporters: ['default'],
    onConsoleLog: (log) => (functionsTestModeNotice.test(log) ? false : undefined),
  },
});
