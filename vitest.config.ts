import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/**/*.test.ts',
      'ledger/**/*.test.ts',
      'workflows/**/*.test.ts',
      'bots/**/*.test.ts',
      'integrations/api/**/*.test.ts',
      'integrations/n8n/test/**/*.test.ts',
    ],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // CI retries a failed test once so one timing hiccup on a shared machine does not hide a whole
    // run; .ci/run's summary lists every test that passed only on its retry, with its first error,
    // so a flaky test stays visible (and a test that fails twice still fails the run).
    retry: process.env.CI ? 1 : 0,
  },
});
