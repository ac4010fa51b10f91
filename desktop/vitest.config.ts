import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'build/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    // Loading electron-builder's own validator takes several seconds on a busy 2-core machine.
    testTimeout: 30_000,
  },
});
