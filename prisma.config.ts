// Prisma CLI configuration. The JS engine + driver adapter path runs the Wasm schema engine,
// so `prisma migrate deploy` works without downloading native engines.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { defineConfig } from 'prisma/config';
import { pgConfigFromUrl } from './server/src/db/connection.ts';

/**
 * adapter-pg runs a migration script by splitting it on every `;` and sending the pieces one
 * by one, which cuts function and trigger bodies apart. Here the script goes to PostgreSQL
 * whole, as the native engine sends it: one simple query, which PostgreSQL also runs as one
 * transaction, so a failing migration leaves nothing half-applied.
 */
class WholeScriptPg extends PrismaPg {
  constructor(private readonly pgConfig: pg.ClientConfig) {
    super(pgConfig);
  }

  override async connect() {
    const adapter = await super.connect();
    adapter.executeScript = async (script: string) => {
      const client = new pg.Client(this.pgConfig);
      await client.connect();
      try {
        await client.query(script);
      } catch (error) {
        // The adapter's own handler turns a pg error into the engine's error type.
        (adapter as unknown as { onError(error: unknown): never }).onError(error);
      } finally {
        await client.end();
      }
    };
    return adapter;
  }
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: export it, or run through `npm run db:migrate`.');
    return new WholeScriptPg(pgConfigFromUrl(url));
  },
});
