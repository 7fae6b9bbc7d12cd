import { defineConfig } from 'vitest/config';

// Tests run against package sources: the `@fleetloop/source` export condition maps each
// `@fleetloop/<name>` import to `src/index.ts`, so no build is needed before `vitest`.
export default defineConfig({
  resolve: { conditions: ['@fleetloop/source'] },
  ssr: { resolve: { conditions: ['@fleetloop/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
