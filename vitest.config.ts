import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/perf/**', 'node_modules/**'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // fast-check's seed: fixed under `npm test` (FUZZ_SEED overrides), replay command on failure.
    setupFiles: ['tests/helpers/fuzz-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites share one Postgres database; run files one at a time.
    fileParallelism: false,
  },
});
