/**
 * Writes a new migration from the change to prisma/schema.prisma:
 *   npm run db:new-migration -- add_leads
 *
 * `prisma migrate dev` needs the native schema engine, which cannot be downloaded here, so the
 * migration is `prisma migrate diff` from the migrations themselves (replayed on a shadow
 * database, see prisma.config.ts) to the current schema. Apply it with `npm run db:migrate`
 * (or just start). Pass `--check` to only print the SQL, writing nothing.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startScratchPostgres } from '../src/db/embedded-postgres.ts';
import { runPrisma } from '../src/db/migrate.ts';

const check = process.argv.includes('--check');
const name = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
if (!check && (!name || !/^[a-z0-9_]+$/.test(name))) {
  console.error('usage: npm run db:new-migration -- <name_in_snake_case>   (or -- --check)');
  process.exit(2);
}
const migrationsDir = path.resolve('prisma/migrations');
mkdirSync(migrationsDir, { recursive: true });
const hasMigrations = readdirSync(migrationsDir, { withFileTypes: true }).some((entry) => entry.isDirectory());
const from = hasMigrations ? ['--from-migrations', 'prisma/migrations'] : ['--from-empty'];

// The shadow database is created (and dropped) on this server: a throw-away embedded one
// unless DATABASE_URL names one whose user may create databases.
const scratch = process.env.DATABASE_URL ? undefined : await startScratchPostgres(await freePort());
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
  console.log('prisma/schema.prisma matches the migrations: no difference, nothing written.');
  process.exit(0);
}
if (check) {
  console.log(body);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir);
writeFileSync(path.join(dir, 'migration.sql'), body);
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql: review it, then \`npm run db:migrate\`.`);

/** A port nobody listens on right now: several checkouts may run this at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
