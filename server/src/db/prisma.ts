import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { pgConfigFromUrl } from './connection.ts';

export { Prisma, PrismaClient };

/** A Prisma client or an interactive-transaction client: services accept either. */
export type Db = PrismaClient | Prisma.TransactionClient;

export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ ...pgConfigFromUrl(databaseUrl), max: poolSize }) });
}

/** Runs `work` in a transaction, or inside the caller's when `db` already is one. */
export function inTransaction<T>(db: Db, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return '$transaction' in db ? db.$transaction(work) : work(db);
}
