/**
 * Writes a new migration from the change to prisma/schema.prisma:
 *   npm run db:new-migration -- add_leads
 *
 * `prisma migrate dev` needs the native schema engine, which cannot be downloaded here, so
 * the migration is the diff between the schema as of the last migration (kept next to it as
 * schema.prisma) and the current schema. Apply it with `npm run db:migrate` (or just start).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startScratchPostgres } from '../src/db/embedded-postgres.ts';
import { runPrisma } from '../src/db/migrate.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:new-migration -- <name_in_snake_case>');
  process.exit(2);
}
const migrationsDir = path.resolve('prisma/migrations');
mkdirSync(migrationsDir, { recursive: true });
const previous = readdirSync(migrationsDir)
  .filter((entry) => existsSync(path.join(migrationsDir, entry, 'schema.prisma')))
  .sort()
  .at(-1);
const from = previous
  ? ['--from-schema-datamodel', path.join(migrationsDir, previous, 'schema.prisma')]
  : ['--from-empty'];
// The diff compares two schema files, but the Wasm engine still wants a database to talk to:
// a throw-away embedded one unless DATABASE_URL names one.
const scratch = process.env.DATABASE_URL
  ? undefined
  : await startScratchPostgres(54329);
let sql: string;
try {
  sql = await runPrisma(
    ['migrate', 'diff', ...from, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
    process.env.DATABASE_URL ?? scratch!.url,
  );
} finally {
  await scratch?.stop();
}
const body = sql.slice(sql.indexOf('-- '));
if (!body.trim() || body.includes('-- This is an empty migration.')) {
  console.log('prisma/schema.prisma has not changed since the last migration: nothing written.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir);
writeFileSync(path.join(dir, 'migration.sql'), body);
copyFileSync('prisma/schema.prisma', path.join(dir, 'schema.prisma'));
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql: review it, then \`npm run db:migrate\`.`);
