import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings: tests import workspace packages from their TypeScript sources
 * (the `source` export condition), so a test run never needs a prior build.
 * The forks pool is used because onnxruntime-node breaks under vmThreads.
 */
export const sharedConfig = defineConfig({
  resolve: { conditions: ['source', 'import', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['source', 'import', 'module', 'node', 'default'] } },
  test: {
    pool: 'forks',
    // Verbose, so a test skipped for missing data (../shared absent, no redis-server, no Chromium) shows
    // its name and the reason it carries, not just a count.
    reporters: ['verbose'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
