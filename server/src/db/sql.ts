import type pg from 'pg';
import { bulkPoolOfClient, type Db, poolOfClient, type PrismaClient, retryOnConflict } from './prisma.ts';

/**
 * One SQL statement with $1… parameters, on a plain pg connection or inside a Prisma
 * transaction. For the few statements that run for every event: through Prisma each one
 * costs its query compiler and result mapping (~1 ms of CPU here), several times what the
 * statement costs PostgreSQL. Rows come back as pg gives them (int8 as text: cast in SQL).
 */
export interface Sql {
  /** `name` prepares the statement once per connection where that is possible (pg). */
  query<T>(text: string, values: unknown[], name?: string): Promise<T[]>;
}

/**
 * The Sql for a client from createPrismaClient: its own pool, one autocommit statement per
 * call, so callers that need more than one statement to be atomic pass a transaction.
 * For a transaction (or another client): through Prisma, on the transaction's connection.
 * An Sql (a plain transaction from withTransaction) is returned as it is, so services on the
 * hot paths take either handle.
 */
export function sqlOf(db: Db | Sql): Sql {
  if ('query' in db) return db;
  const pool = poolOfClient.get(db);
  if (pool) return poolSql(pool);
  return { query: <T>(text: string, values: unknown[]) => db.$queryRawUnsafe<T[]>(text, ...values) };
}

/**
 * The Sql for long reads of many rows, one short statement at a time (exports): a separate
 * small pool for a server's client, so exports never crowd out requests; sqlOf(db) for any
 * other client.
 */
export function bulkSqlOf(db: Db): Sql {
  const bulkPool = bulkPoolOfClient.get(db);
  return bulkPool ? poolSql(bulkPool()) : sqlOf(db);
}

export function poolSql(pool: pg.Pool | pg.PoolClient): Sql {
  return {
    query: async <T>(text: string, values: unknown[], name?: string) =>
      (await pool.query({ text, values, ...(name ? { name } : {}) })).rows as T[],
  };
}

/**
 * Runs `work` in a transaction on one of the client's pg connections (through Prisma for a
 * client without one); commits when it resolves, rolls back when it throws.
 */
export async function withTransaction<T>(db: PrismaClient, work: (tx: Sql) => Promise<T>): Promise<T> {
  const pool = poolOfClient.get(db);
  if (!pool) return retryOnConflict(() => db.$transaction((tx) => work(sqlOf(tx)), { timeout: 60_000 }));
  return retryOnConflict(() => onePgTransaction(pool, work));
}

async function onePgTransaction<T>(pool: pg.Pool, work: (tx: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(poolSql(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is dropped rather than reused.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
