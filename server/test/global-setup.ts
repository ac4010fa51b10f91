import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { withDatabase } from '../src/db/connection.ts';
import { startScratchPostgres } from '../src/db/embedded-postgres.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { createDatabaseIfMissing } from '../src/db/prepare-database.ts';

export const TEMPLATE_DATABASE = 'tn_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL (any database); tests create their own databases on it. */
    databaseServerUrl: string;
  }
}

/**
 * Starts a throw-away PostgreSQL (or uses TEST_DATABASE_URL) and migrates a template
 * database that every test file clones: a fresh, migrated database costs one CREATE DATABASE.
 */
export default async function setup(project: TestProject) {
  let serverUrl = process.env.TEST_DATABASE_URL;
  let teardown = async () => {};
  if (!serverUrl) {
    const embedded = await startScratchPostgres(await freePort());
    serverUrl = embedded.url;
    teardown = embedded.stop;
  }
  await createDatabaseIfMissing(serverUrl, TEMPLATE_DATABASE);
  await migrateDatabase(withDatabase(serverUrl, TEMPLATE_DATABASE));
  project.provide('databaseServerUrl', serverUrl);
  return teardown;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
