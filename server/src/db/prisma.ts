import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { pgConfigFromUrl } from './connection.ts';
import { boundedPoolConfig, type DatabaseBounds } from './bounded-client.ts';

export { Prisma, PrismaClient };

/** A Prisma client or an interactive-transaction client: services accept either. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** The pg pool under each client made by createPrismaClient (see sql.ts). */
export const poolOfClient = new WeakMap<object, pg.Pool>();
/** The pool for long reads of many rows (bulkSqlOf in sql.ts), made on first use. */
export const bulkPoolOfClient = new WeakMap<object, () => pg.Pool>();

/**
 * Creates the client with its own pg pool. With `bounds` (the server) every pool it uses is
 * bounded as bounded-client.ts describes; scripts and benchmarks that run long statements go
 * without.
 */
const UNBOUNDED_WAIT_MS = 10 * 60_000;

export function createPrismaClient(databaseUrl: string, poolSize = 10, bounds?: DatabaseBounds): PrismaClient {
  // The pool is ours, not the adapter's, so that hot paths can run plain SQL on the same
  // connections (sql.ts); $disconnect still ends it.
  const pool = new pg.Pool(bounds ? { ...boundedPoolConfig(databaseUrl, bounds, APPLICATION_NAME), max: poolSize } : { ...pgConfigFromUrl(databaseUrl), max: poolSize });
  // An idle connection that breaks (database restarted) is replaced on the next checkout.
  pool.on('error', () => {});
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    // Unbounded clients wait for a connection and a transaction as long as it takes, like their
    // statements do (Prisma's own 2 s / 5 s would turn a busy moment into a failure).
    transactionOptions: bounds ? { maxWait: bounds.connectTimeoutMs } : { maxWait: UNBOUNDED_WAIT_MS, timeout: UNBOUNDED_WAIT_MS },
  });
  poolOfClient.set(client, pool);
  if (bounds) {
    let bulk: pg.Pool | undefined;
    bulkPoolOfClient.set(client, () => {
      if (!bulk) {
        bulk = new pg.Pool({ ...boundedPoolConfig(databaseUrl, bounds, `${APPLICATION_NAME} bulk`), max: BULK_POOL_SIZE });
        bulk.on('error', () => {});
      }
      return bulk;
    });
    const disconnect = client.$disconnect.bind(client);
    client.$disconnect = async () => {
      await bulk?.end();
      await disconnect();
    };
  }
  return client;
}

/** How the server's connections are named in pg_stat_activity. */
export const APPLICATION_NAME = 'tray-notify';

/** Exports at once (each holds one connection per batch); more wait for a free one. */
const BULK_POOL_SIZE = 4;

/** Runs `work` in a transaction, or inside the caller's when `db` already is one. */
export function inTransaction<T>(
  db: Db,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  options?: { maxWait?: number; timeout?: number },
): Promise<T> {
  return '$transaction' in db ? retryOnConflict(() => db.$transaction(work, options)) : work(db);
}

const RETRIED_SQLSTATES = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure
const ATTEMPTS = 3;

/**
 * Runs a whole transaction again when PostgreSQL aborted it to break a deadlock (or a
 * serialization conflict): the other transaction went through, and this one, rolled back in
 * full, is safe to repeat. Only for the outermost transaction: a caller's own transaction is
 * already rolled back and is retried by whoever started it.
 */
export async function retryOnConflict<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isConflict(error)) throw error;
    }
  }
}

export function isConflict(error: unknown): boolean {
  for (let cause = error as { code?: unknown; cause?: unknown; meta?: { code?: unknown }; message?: unknown } | undefined, depth = 0; cause && depth < 5; cause = cause.cause as typeof cause, depth++) {
    if (RETRIED_SQLSTATES.has(String(cause.code)) || RETRIED_SQLSTATES.has(String(cause.meta?.code))) return true;
    if (typeof cause.message === 'string' && /deadlock detected|could not serialize access/.test(cause.message)) return true;
  }
  return false;
}
