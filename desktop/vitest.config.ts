import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'build/**/*.test.ts'],
    environment: 'node',
    // Tests build fakes per test; state left behind by one must not leak into the next.
    restoreMocks: true,
    unstubEnvs: true,
  },
});
