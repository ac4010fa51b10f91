import { defineConfig } from 'vitest/config';

const server = {
  include: ['server/test/**/*.test.ts'],
  // One PostgreSQL for the run; every test file gets its own database cloned from a migrated template.
  globalSetup: ['server/test/global-setup.ts'],
  // Each file's responses checked against the OpenAPI document (server/test/contract).
  setupFiles: ['server/test/contract/setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 120_000,
};

// These files hold a tenant's latency under a stall or a neighbour's flood to a ratio of its
// own idle figure: other test files on the same cores would be noise in that ratio, so they
// run one at a time, after everything else.
const MEASURES_LATENCY = [
  'server/test/db/stalls.test.ts',
  'server/test/routes/heavy-reads.test.ts',
  'server/test/routes/api/alert-rules/alert-rule-neighbours.test.ts',
  'server/test/security/database-faults.test.ts',
];

export default defineConfig({
  test: {
    // Most files wait on PostgreSQL, sockets and timers, not on the CPU: three at a time on two
    // cores (vitest's default would be one).
    maxWorkers: 3,
    projects: [
      { test: { ...server, name: 'server', exclude: MEASURES_LATENCY } },
      {
        test: { ...server, name: 'server-latency', include: MEASURES_LATENCY, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      // CI's own scripts (.ci/): the closing line they print.
      { test: { name: 'ci', include: ['.ci/**/*.test.mjs'] } },
      // Desktop: main-process modules against typed Electron fakes, shared logic, renderer stores.
      { extends: './desktop/vitest.config.ts', test: { name: 'desktop', root: './desktop' } },
    ],
  },
});
