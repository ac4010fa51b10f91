import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['server/test/**/*.test.ts'],
          // One PostgreSQL for the run; every test file gets its own database cloned from a migrated template.
          globalSetup: ['server/test/global-setup.ts'],
          // Each file's responses checked against the OpenAPI document (server/test/contract).
          setupFiles: ['server/test/contract/setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      // CI's own scripts (.ci/): the closing line they print.
      { test: { name: 'ci', include: ['.ci/**/*.test.mjs'] } },
      // Desktop: main-process modules against typed Electron fakes, shared logic, renderer stores.
      { extends: './desktop/vitest.config.ts', test: { name: 'desktop', root: './desktop' } },
    ],
  },
});
