import { type Db, inTransaction, type PrismaClient } from '../../db/prisma.ts';
import { recordPurge } from './chain/record-purge.ts';

const DAY_MS = 24 * 3600 * 1000;
/** Monthly partitions are named after their month (UTC): activities_2026_11. */
const PARTITION_NAME = /^activities_(\d{4})_(\d{2})$/;

export interface ActivityMaintenance {
  /** Partitions created: this month, the next two, and recent months with late rows. */
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
  // Late rows (an integration may report events up to a year old) wait in the default
  // partition until their month exists: give each recent month that has some its own.
  const lateMonths = await db.$queryRaw<{ month: Date }[]>`
    SELECT DISTINCT date_trunc('month', created_at, 'UTC') AS month FROM activities_default
     WHERE created_at >= ${new Date(now.getTime() - 400 * DAY_MS)} AND created_at < ${now}`;
  for (const { month } of lateMonths) {
    const before = await partitionNames(db);
    const [row] = await db.$queryRaw<{ name: string }[]>`SELECT ensure_activity_partition(${month}::timestamptz) AS name`;
    if (row && !before.includes(row.name)) created.push(row.name);
  }
  const result: ActivityMaintenance = { created, dropped: [], skipped: [], deletedFromDefault: 0 };
  if (!options.retentionDays) return result;

  const cutoff = new Date(now.getTime() - options.retentionDays * DAY_MS);
  const lockTimeout = `${Math.max(1, Math.round(options.lockTimeoutMs ?? 1000))}ms`;
  const policy = `ACTIVITY_RETENTION_DAYS=${options.retentionDays}`;
  for (const name of await partitionNames(db)) {
    const match = PARTITION_NAME.exec(name);
    if (!match) continue;
    const end = new Date(Date.UTC(Number(match[1]), Number(match[2]), 1)); // first instant of the next month
    if (end > cutoff) continue;
    try {
      const dropped = await inTransaction(db, async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${lockTimeout}'`);
        // Held workspaces under a share lock: a hold placed meanwhile waits, one placed before is seen.
        const held = (await tx.$queryRaw<{ id: string }[]>`SELECT id FROM workspaces WHERE legal_hold_at IS NOT NULL FOR SHARE`).map((row) => row.id);
        const chains = await tx.$queryRawUnsafe<{ workspace_id: string | null; deleted: number; up_to_seq: string | null }[]>(
          `SELECT workspace_id, count(*)::int AS deleted, max(chain_seq)::text AS up_to_seq FROM "${name}"
            WHERE workspace_id IS NULL OR NOT (workspace_id = ANY($1::uuid[])) GROUP BY workspace_id`,
          held,
        );
        const keepsHeld = held.length > 0 && (await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM "${name}" WHERE workspace_id = ANY($1::uuid[]) LIMIT 1`, held)).length > 0;
        // A month with held entries stays; only the others' entries go.
        if (keepsHeld) await tx.$executeRawUnsafe(`DELETE FROM "${name}" WHERE workspace_id IS NULL OR NOT (workspace_id = ANY($1::uuid[]))`, held);
        else await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`);
        for (const chain of chains) {
          await recordPurge(tx, {
            workspaceId: chain.workspace_id,
            upToSeq: chain.up_to_seq,
            deleted: chain.deleted,
            policy,
            summary: `Deleted ${chain.deleted} activity ${chain.deleted === 1 ? 'entry' : 'entries'} of ${match[1]}-${match[2]} (server retention, ${options.retentionDays} days)`,
            meta: { retention_days: options.retentionDays ?? null, month: `${match[1]}-${match[2]}` },
          });
        }
        return !keepsHeld;
      });
      if (dropped) result.dropped.push(name);
    } catch (error) {
      if (!String(error).includes('lock timeout')) throw error;
      result.skipped.push(name);
    }
  }
  // Stragglers outside every month (far past dates reported by integrations), in small batches.
  for (;;) {
    const deleted = await inTransaction(db, async (tx) => {
      const gone = await tx.$queryRaw<{ workspace_id: string | null; deleted: number; up_to_seq: string | null }[]>`
        WITH gone AS (
          DELETE FROM activities_default WHERE ctid = ANY(ARRAY(
            SELECT a.ctid FROM activities_default a
             WHERE a.created_at < ${cutoff}
               AND NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = a.workspace_id AND w.legal_hold_at IS NOT NULL)
             LIMIT 5000))
          RETURNING workspace_id, chain_seq)
        SELECT workspace_id, count(*)::int AS deleted, max(chain_seq)::text AS up_to_seq FROM gone GROUP BY workspace_id`;
      for (const chain of gone) {
        await recordPurge(tx, {
          workspaceId: chain.workspace_id,
          upToSeq: chain.up_to_seq,
          deleted: chain.deleted,
          policy,
          summary: `Deleted ${chain.deleted} activity ${chain.deleted === 1 ? 'entry' : 'entries'} dated before ${cutoff.toISOString().slice(0, 10)} (server retention, ${options.retentionDays} days)`,
          meta: { retention_days: options.retentionDays ?? null },
        });
      }
      return gone.reduce((sum, chain) => sum + chain.deleted, 0);
    });
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
