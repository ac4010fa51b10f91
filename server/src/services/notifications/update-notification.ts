import { type Db, inTransaction } from '../../db/prisma.ts';
import { notFound } from '../../lib/errors.ts';
import { toNotificationItem } from './notification-item.ts';
import { appendStreamEvents } from '../../stream/append-stream-events.ts';
import { notificationSelect } from './list-notifications.ts';

export interface NotificationChange {
  read?: boolean;
  archived?: boolean;
}

/**
 * Changes the caller's own read/archived state. A notification the caller does not receive
 * is "not found", never "forbidden": its existence is not revealed. Every change is announced
 * on the caller's stream so their other devices follow.
 */
export function updateNotification(db: Db, userId: string, notificationId: string, change: NotificationChange) {
  return inTransaction(db, async (tx) => {
    // Locked first: concurrent changes (and a repeat collapsing into it) apply one after another,
    // each computing its new state and stream event from the state the previous one left.
    await tx.$queryRaw`SELECT 1 FROM notification_receipts
                        WHERE notification_id = ${notificationId}::uuid AND user_id = ${userId}::uuid FOR UPDATE`;
    const receipt = await tx.notificationReceipt.findUnique({
      where: { notificationId_userId: { notificationId, userId } },
      select: { readAt: true, archivedAt: true, notification: { select: notificationSelect } },
    });
    if (!receipt) throw notFound('No such notification.');
    const now = new Date();
    const readAt = change.read === undefined ? receipt.readAt : change.read ? (receipt.readAt ?? now) : null;
    const archivedAt =
      change.archived === undefined ? receipt.archivedAt : change.archived ? (receipt.archivedAt ?? now) : null;
    const updated = await tx.notificationReceipt.update({
      where: { notificationId_userId: { notificationId, userId } },
      data: { readAt, archivedAt },
      select: { createdAt: true, readAt: true, archivedAt: true },
    });
    if (readAt !== receipt.readAt || archivedAt !== receipt.archivedAt) {
      await appendStreamEvents(tx, [{ userId, type: 'notification.updated', data: updatedEventData(notificationId, updated) }]);
    }
    return toNotificationItem(receipt.notification, updated);
  });
}

/** Marks every unread, unarchived notification of the caller (optionally of one workspace) read. */
export function markAllRead(db: Db, userId: string, workspaceId?: string) {
  return inTransaction(db, async (tx) => {
    const readAt = new Date();
    const changed = await tx.$queryRaw<{ notification_id: string }[]>`
      UPDATE notification_receipts SET read_at = ${readAt}
       WHERE user_id = ${userId}::uuid AND read_at IS NULL AND archived_at IS NULL
         AND (${workspaceId ?? null}::uuid IS NULL OR workspace_id = ${workspaceId ?? null}::uuid)
      RETURNING notification_id`;
    await appendStreamEvents(
      tx,
      changed.map(({ notification_id: id }) => ({
        userId,
        type: 'notification.updated',
        data: updatedEventData(id, { readAt, archivedAt: null }),
      })),
    );
    return { updated: changed.length };
  });
}

function updatedEventData(id: string, state: { readAt: Date | null; archivedAt: Date | null }) {
  return { id, read_at: state.readAt?.toISOString() ?? null, archived_at: state.archivedAt?.toISOString() ?? null };
}
