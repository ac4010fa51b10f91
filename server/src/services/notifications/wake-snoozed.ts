import type { PrismaClient } from '../../db/prisma.ts';
import { toNotificationItem } from './notification-item.ts';
import { appendStreamEvents, lockStreams } from '../../stream/append-stream-events.ts';
import { notificationSelect } from './list-notifications.ts';

/**
 * Brings back every snoozed entry whose time has come (by the database's clock, so instances
 * with skewed clocks agree): unsnoozed, unread, unseen and at the top of the inbox, announced
 * as `notification.created` so clients show it as new and raise a toast. The rows are locked
 * and changed in one statement (`FOR UPDATE SKIP LOCKED`) in the same transaction as the
 * events, so when several instances run this at once each entry wakes, and is announced,
 * exactly once (the second waits for the first's stream locks, then finds nothing due).
 * Returns how many woke.
 */
export async function wakeSnoozed(db: PrismaClient, batch = 500): Promise<number> {
  return db.$transaction(async (tx) => {
    // Whose entries are due, then their stream locks (the order every writer of receipts
    // follows), then the entries themselves.
    const due = await tx.$queryRaw<{ user_id: string }[]>`
      SELECT DISTINCT user_id FROM (
        SELECT user_id FROM notification_receipts
         WHERE snoozed_until <= now() AND archived_at IS NULL ORDER BY snoozed_until LIMIT ${batch}) oldest`;
    if (due.length === 0) return 0;
    const users = due.map((row) => row.user_id);
    await lockStreams(tx, users);
    const woken = await tx.$queryRaw<
      { notification_id: string; user_id: string; created_at: Date; reason: string }[]
    >`
      WITH due AS (
        SELECT notification_id, user_id FROM notification_receipts
         WHERE snoozed_until <= now() AND archived_at IS NULL AND user_id = ANY(${users}::uuid[])
         ORDER BY snoozed_until LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      UPDATE notification_receipts r
         SET snoozed_until = NULL, read_at = NULL, seen_at = NULL, created_at = now()
        FROM due WHERE r.notification_id = due.notification_id AND r.user_id = due.user_id
      RETURNING r.notification_id, r.user_id, r.created_at, r.reason`;
    if (woken.length === 0) return 0;
    const notifications = await tx.notification.findMany({
      where: { id: { in: [...new Set(woken.map((row) => row.notification_id))] } },
      select: notificationSelect,
    });
    const byId = new Map(notifications.map((notification) => [notification.id, notification]));
    await appendStreamEvents(
      tx,
      woken.map((row) => ({
        userId: row.user_id,
        type: 'notification.created',
        data: toNotificationItem(byId.get(row.notification_id)!, {
          createdAt: row.created_at,
          readAt: null,
          archivedAt: null,
          seenAt: null,
          snoozedUntil: null,
          reason: row.reason,
        }),
      })),
    );
    return woken.length;
  });
}
