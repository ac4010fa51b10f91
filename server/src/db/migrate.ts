import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { pgConfigFromUrl } from './connection.ts';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

/** Runs the Prisma CLI (Wasm engines, see prisma.config.ts) against the given database. */
export function runPrisma(args: string[], databaseUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`prisma ${args.join(' ')} failed (exit ${code}):\n${output}`)),
    );
  });
}

/**
 * Applies every migration in prisma/migrations that the database has not had yet, with
 * `prisma migrate deploy`. That CLI takes seconds to boot its Wasm engine, so it runs only
 * when a migration is actually pending: every start after the first stays fast.
 */
export async function migrateDatabase(databaseUrl: string, log: (message: string) => void = () => {}) {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length === 0) return;
  log(`applying ${pending.length} database migration(s): ${pending.join(', ')}`);
  await runPrisma(['migrate', 'deploy'], databaseUrl);
}

export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const local = readdirSync(path.join(repoRoot, 'prisma/migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const client = new pg.Client(pgConfigFromUrl(databaseUrl));
  await client.connect();
  try {
    const table = await client.query(`SELECT to_regclass('_prisma_migrations') AS name`);
    if (!table.rows[0]?.name) return local;
    const applied = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Set(applied.rows.map((row) => row.migration_name));
    return local.filter((name) => !done.has(name));
  } finally {
    await client.end();
  }
}
