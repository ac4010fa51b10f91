import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { pgConfigFromUrl } from './connection.ts';

export { Prisma, PrismaClient };

/** A Prisma client or an interactive-transaction client: services accept either. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** The pg pool under each client made by createPrismaClient (see sql.ts). */
export const poolOfClient = new WeakMap<object, pg.Pool>();

/**
 * For the server: a database that is down or hung must not hang requests, so connecting and
 * each query are bounded and a request fails within seconds (a 503); the pool heals when the
 * database is back. Scripts and benchmarks that run long statements go without.
 */
export const SERVER_DATABASE_TIMEOUTS = { connectionTimeoutMillis: 2_000, query_timeout: 3_000 };

export function createPrismaClient(
  databaseUrl: string,
  poolSize = 10,
  timeouts?: { connectionTimeoutMillis: number; query_timeout: number },
): PrismaClient {
  // The pool is ours, not the adapter's, so that hot paths can run plain SQL on the same
  // connections (sql.ts); $disconnect still ends it.
  const pool = new pg.Pool({ ...pgConfigFromUrl(databaseUrl), max: poolSize, ...timeouts });
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    ...(timeouts ? { transactionOptions: { maxWait: timeouts.connectionTimeoutMillis } } : {}),
  });
  poolOfClient.set(client, pool);
  return client;
}

/** Runs `work` in a transaction, or inside the caller's when `db` already is one. */
export function inTransaction<T>(
  db: Db,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  options?: { maxWait?: number; timeout?: number },
): Promise<T> {
  return '$transaction' in db ? db.$transaction(work, options) : work(db);
}
