import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { pgConfigFromUrl, withDatabase } from './connection.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { migrateDatabase } from './migrate.ts';

const EMBEDDED_DATABASE = 'tray_notify';

export interface PreparedDatabase {
  url: string;
  /** Stops the embedded PostgreSQL if this process started it. */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR. Either way the
 * migrations are applied before the server uses it.
 */
export async function prepareDatabase(config: Config, log: (message: string) => void): Promise<PreparedDatabase> {
  if (config.databaseUrl) {
    await migrateDatabase(config.databaseUrl, log);
    return { url: config.databaseUrl, stop: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(config.dataDir, 'pg'),
    dataDirChosen: config.dataDirChosen,
    port: config.embeddedPgPort,
    // The server closes its connections before it stops PostgreSQL (server.ts's shutdown).
    ownProcessGroup: true,
    log,
  });
  const url = withDatabase(embedded.url, EMBEDDED_DATABASE);
  try {
    await createDatabaseIfMissing(embedded.url, EMBEDDED_DATABASE);
    await migrateDatabase(url, log);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { url, stop: embedded.stop };
}

export async function createDatabaseIfMissing(serverUrl: string, database: string, template?: string) {
  const client = new pg.Client(pgConfigFromUrl(serverUrl));
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      const escaped = client.escapeIdentifier(database);
      await client.query(template ? `CREATE DATABASE ${escaped} TEMPLATE ${client.escapeIdentifier(template)}` : `CREATE DATABASE ${escaped}`);
    }
  } finally {
    await client.end();
  }
}
