// Prisma CLI configuration. The JS engine + driver adapter path runs the Wasm schema engine,
// so `prisma migrate deploy` works without downloading native engines.
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { pgConfigFromUrl } from './server/src/db/connection.ts';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: export it, or run through `npm run db:migrate`.');
    return new PrismaPg(pgConfigFromUrl(url));
  },
});
