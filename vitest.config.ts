import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{schemas,emulator,reconciler,provider,examples,bench}/test/**/*.test.ts'],
    // One throwaway PostgreSQL server for the whole run; tests make their own databases on it.
    globalSetup: ['reconciler/test/support/postgres-server.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // 2 cores: more workers only add contention for the integration suites.
    maxWorkers: 2,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
