import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:n8n` from the repository root. The same files also run under the root `npm test`
// (include pattern 'integrations/n8n/test/**/*.test.ts'); they create and drop their own database.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
