import type { Db } from '../../db/prisma.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Deletes read receipts of notifications older than the retention, then the notifications
 * nobody holds a receipt for any more (a workspace-level one stays while an admin has it
 * unread). Runs in batches of `batchSize` keys, each its own short transaction, walking the
 * partial index of read receipts from its oldest end: row locks are held for one batch only,
 * and the space freed is reused by new rows after autovacuum, instead of one long DELETE.
 * The counters are untouched by construction (only read receipts go, and reading marks seen).
 */
export async function pruneReadNotifications(
  db: Db,
  options: { retentionDays: number; now?: Date; batchSize?: number },
): Promise<{ receipts: number; notifications: number; batches: number; longestBatchMs: number }> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionDays * DAY_MS);
  const batchSize = options.batchSize ?? 2000;
  const result = { receipts: 0, notifications: 0, batches: 0, longestBatchMs: 0 };
  for (;;) {
    const started = performance.now();
    const [row] = await db.$queryRaw<{ receipts: number; notifications: number }[]>`
      WITH doomed AS (
        SELECT notification_id, user_id FROM notification_receipts r
         WHERE read_at IS NOT NULL AND created_at < ${cutoff}
           -- A workspace under legal hold keeps everything.
           AND NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = r.workspace_id AND w.legal_hold_at IS NOT NULL)
         ORDER BY created_at LIMIT ${batchSize}
           FOR UPDATE SKIP LOCKED),
      gone AS (
        DELETE FROM notification_receipts r USING doomed d
         WHERE r.notification_id = d.notification_id AND r.user_id = d.user_id
        RETURNING r.notification_id),
      orphans AS (
        DELETE FROM notifications n
         WHERE n.id IN (SELECT notification_id FROM gone)
           -- One collapsed into meanwhile (a repeat updates it) is not old: it stays.
           AND n.updated_at < ${cutoff}
           AND NOT EXISTS (SELECT 1 FROM notification_receipts r
                            WHERE r.notification_id = n.id
                              AND (r.notification_id, r.user_id) NOT IN (SELECT notification_id, user_id FROM doomed))
        RETURNING n.id)
      SELECT (SELECT count(*) FROM gone)::int AS receipts, (SELECT count(*) FROM orphans)::int AS notifications`;
    result.batches += 1;
    result.longestBatchMs = Math.max(result.longestBatchMs, performance.now() - started);
    result.receipts += row?.receipts ?? 0;
    result.notifications += row?.notifications ?? 0;
    if ((row?.receipts ?? 0) < batchSize) return result;
  }
}
