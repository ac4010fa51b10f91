import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { pgConfigFromUrl } from './connection.ts';

export { Prisma, PrismaClient };

/** A Prisma client or an interactive-transaction client: services accept either. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** The pg pool under each client made by createPrismaClient (see sql.ts). */
export const poolOfClient = new WeakMap<object, pg.Pool>();

export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  // The pool is ours, not the adapter's, so that hot paths can run plain SQL on the same
  // connections (sql.ts); $disconnect still ends it.
  const pool = new pg.Pool({ ...pgConfigFromUrl(databaseUrl), max: poolSize });
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  poolOfClient.set(client, pool);
  return client;
}

/** Runs `work` in a transaction, or inside the caller's when `db` already is one. */
export function inTransaction<T>(db: Db, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return '$transaction' in db ? db.$transaction(work) : work(db);
}
