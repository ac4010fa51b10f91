import type { Db, PrismaClient } from '../../db/prisma.ts';

const DAY_MS = 24 * 3600 * 1000;
/** Monthly partitions are named after their month (UTC): activities_2026_11. */
const PARTITION_NAME = /^activities_(\d{4})_(\d{2})$/;

export interface ActivityMaintenance {
  /** Partitions created ahead (this month and the next two). */
  created: string[];
  /** Whole months past the retention, dropped. */
  dropped: string[];
  /** Partitions left for the next run because their lock was not granted in time. */
  skipped: string[];
  /** Rows older than the retention deleted from the default partition. */
  deletedFromDefault: number;
}

/**
 * Keeps the activity log's monthly partitions: creates this month's and the next two, and,
 * with a retention, drops every month that ended before the cutoff. Dropping a partition
 * removes its rows at once, without a bulk DELETE's row locks, WAL and dead rows; a month is
 * dropped only when all of it is past the cutoff, so rows live up to a month beyond it.
 *
 * DROP needs a brief exclusive lock on `activities`; it waits at most `lockTimeoutMs` for
 * running queries (and queues new ones only that long), else the month waits for the next run.
 * Safe on every instance at once: creation is serialised in SQL, a drop of a month another
 * instance dropped first is skipped.
 */
export async function maintainActivityPartitions(
  db: PrismaClient,
  options: { retentionDays?: number; now?: Date; lockTimeoutMs?: number } = {},
): Promise<ActivityMaintenance> {
  const now = options.now ?? new Date();
  const created: string[] = [];
  for (let ahead = 0; ahead <= 2; ahead++) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1));
    const before = await partitionNames(db);
    const [row] = await db.$queryRaw<{ name: string }[]>`SELECT ensure_activity_partition(${month}::timestamptz) AS name`;
    if (row && !before.includes(row.name)) created.push(row.name);
  }
  const result: ActivityMaintenance = { created, dropped: [], skipped: [], deletedFromDefault: 0 };
  if (!options.retentionDays) return result;

  const cutoff = new Date(now.getTime() - options.retentionDays * DAY_MS);
  const lockTimeout = `${Math.max(1, Math.round(options.lockTimeoutMs ?? 1000))}ms`;
  for (const name of await partitionNames(db)) {
    const match = PARTITION_NAME.exec(name);
    if (!match) continue;
    const end = new Date(Date.UTC(Number(match[1]), Number(match[2]), 1)); // first instant of the next month
    if (end > cutoff) continue;
    try {
      await db.$transaction([
        db.$executeRawUnsafe(`SET LOCAL lock_timeout = '${lockTimeout}'`),
        db.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`),
      ]);
      result.dropped.push(name);
    } catch (error) {
      if (!String(error).includes('lock timeout')) throw error;
      result.skipped.push(name);
    }
  }
  // Stragglers outside every month (far past dates reported by integrations), in small batches.
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM activities_default WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM activities_default WHERE created_at < ${cutoff} LIMIT 5000))`;
    result.deletedFromDefault += deleted;
    if (deleted < 5000) break;
  }
  return result;
}

/** The partitions of `activities`, oldest month first (the default partition last). */
export async function partitionNames(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'activities'::regclass ORDER BY c.relname`;
  return rows.map((row) => row.name).sort((a, b) => Number(a === 'activities_default') - Number(b === 'activities_default') || a.localeCompare(b));
}
