// postinstall: generates the Prisma client into server/src/generated/prisma.
// Prisma 6 resolves the schema's `url = env("DATABASE_URL")` even to generate, and with the
// variable unset it falls back to downloading a native engine (which fails offline). Generation
// never connects, so any well-formed URL will do when none is set.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL || 'postgresql://localhost:5432/generate-only' },
});
process.exit(result.status ?? 1);
