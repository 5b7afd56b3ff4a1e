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
  },
});
