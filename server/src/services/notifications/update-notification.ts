import { type Db, inTransaction } from '../../db/prisma.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import type { Inbox } from '../../domain/auth-context.ts';
import { toNotificationItem } from './notification-item.ts';
import { appendStreamEvents, lockStreams } from '../../stream/append-stream-events.ts';
import { notificationSelect, receiptStateSelect } from './list-notifications.ts';

export interface NotificationChange {
  read?: boolean;
  archived?: boolean;
  seen?: boolean;
  /** ISO time to hide it until; null brings it back now. */
  snoozed_until?: string | null;
}

const MAX_SNOOZE_MS = 366 * 24 * 3600 * 1000;

/**
 * Changes the caller's own read/archived/seen/snoozed state. A notification the caller does
 * not receive is "not found", never "forbidden": its existence is not revealed. Every change
 * is announced on the caller's stream so their other devices follow.
 */
export function updateNotification(db: Db, inbox: Inbox, notificationId: string, change: NotificationChange) {
  const { userId } = inbox;
  const snoozedUntil = change.snoozed_until == null ? change.snoozed_until : new Date(change.snoozed_until);
  if (snoozedUntil) {
    const ahead = snoozedUntil.getTime() - Date.now();
    if (!(ahead > 0 && ahead <= MAX_SNOOZE_MS)) {
      throw badRequest('body.snoozed_until must be a time in the future, within a year.');
    }
  }
  return inTransaction(db, async (tx) => {
    await lockStreams(tx, [userId]);
    // The row lock makes concurrent changes of one entry apply one after the other.
    const [locked] = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM notification_receipts
       WHERE notification_id = ${notificationId}::uuid AND user_id = ${userId}::uuid
         AND (${inbox.workspaceId ?? null}::uuid IS NULL OR workspace_id = ${inbox.workspaceId ?? null}::uuid)
         FOR UPDATE`;
    if (!locked) throw notFound('No such notification.');
    const receipt = await tx.notificationReceipt.findUniqueOrThrow({
      where: { notificationId_userId: { notificationId, userId } },
      select: { ...receiptStateSelect, notification: { select: notificationSelect } },
    });
    const now = new Date();
    const toggle = (wanted: boolean | undefined, current: Date | null) =>
      wanted === undefined ? current : wanted ? (current ?? now) : null;
    const readAt = toggle(change.read, receipt.readAt);
    const archivedAt = toggle(change.archived, receipt.archivedAt);
    // Reading something means having seen it; marking it unread leaves it seen.
    const seenAt = toggle(change.seen ?? (change.read ? true : undefined), receipt.seenAt);
    // Archiving ends a snooze: an archived item does not come back by itself.
    const snooze = archivedAt ? null : snoozedUntil === undefined ? receipt.snoozedUntil : snoozedUntil;
    const updated = await tx.notificationReceipt.update({
      where: { notificationId_userId: { notificationId, userId } },
      data: { readAt, archivedAt, seenAt, snoozedUntil: snooze },
      select: receiptStateSelect,
    });
    const same = (a: Date | null, b: Date | null) => a?.getTime() === b?.getTime();
    if (
      !same(readAt, receipt.readAt) ||
      !same(archivedAt, receipt.archivedAt) ||
      !same(seenAt, receipt.seenAt) ||
      !same(snooze, receipt.snoozedUntil)
    ) {
      await appendStreamEvents(tx, [{ userId, type: 'notification.updated', data: updatedEventData(notificationId, receipt.notification.workspaceId, updated) }]);
    }
    return toNotificationItem(receipt.notification, updated);
  });
}

/** Marks every unread, unarchived notification of the caller (optionally of one workspace) read. */
export function markAllRead(db: Db, userId: string, workspaceId?: string) {
  return inTransaction(db, async (tx) => {
    await lockStreams(tx, [userId]);
    const readAt = new Date();
    const changed = await tx.$queryRaw<
      { notification_id: string; workspace_id: string; seen_at: Date | null; snoozed_until: Date | null }[]
    >`
      UPDATE notification_receipts SET read_at = ${readAt}, seen_at = coalesce(seen_at, ${readAt})
       WHERE user_id = ${userId}::uuid AND read_at IS NULL AND archived_at IS NULL
         AND (snoozed_until IS NULL OR snoozed_until <= now())
         AND (${workspaceId ?? null}::uuid IS NULL OR workspace_id = ${workspaceId ?? null}::uuid)
      RETURNING notification_id, workspace_id, seen_at, snoozed_until`;
    await appendStreamEvents(
      tx,
      changed.map((row) => ({
        userId,
        type: 'notification.updated',
        data: updatedEventData(row.notification_id, row.workspace_id, {
          readAt,
          archivedAt: null,
          seenAt: row.seen_at,
          snoozedUntil: row.snoozed_until,
        }),
      })),
    );
    return { updated: changed.length };
  });
}

/**
 * Marks what the caller's list showed seen (every unseen entry, or those that arrived up to
 * `before`): the badge counts unseen, so opening the list clears it while unread stays.
 */
export function markAllSeen(db: Db, userId: string, options: { workspaceId?: string; before?: string } = {}) {
  return inTransaction(db, async (tx) => {
    await lockStreams(tx, [userId]);
    const seenAt = new Date();
    const before = options.before ? new Date(options.before) : null;
    const changed = await tx.$queryRaw<
      { notification_id: string; workspace_id: string; read_at: Date | null; archived_at: Date | null; snoozed_until: Date | null }[]
    >`
      UPDATE notification_receipts SET seen_at = ${seenAt}
       WHERE user_id = ${userId}::uuid AND seen_at IS NULL AND archived_at IS NULL
         AND (snoozed_until IS NULL OR snoozed_until <= now())
         AND (${options.workspaceId ?? null}::uuid IS NULL OR workspace_id = ${options.workspaceId ?? null}::uuid)
         AND (${before}::timestamptz IS NULL OR created_at <= ${before}::timestamptz)
      RETURNING notification_id, workspace_id, read_at, archived_at, snoozed_until`;
    await appendStreamEvents(
      tx,
      changed.map((row) => ({
        userId,
        type: 'notification.updated',
        data: updatedEventData(row.notification_id, row.workspace_id, {
          readAt: row.read_at,
          archivedAt: row.archived_at,
          seenAt,
          snoozedUntil: row.snoozed_until,
        }),
      })),
    );
    return { updated: changed.length };
  });
}

/** A state change as the stream carries it; the workspace lets a stream limited to one skip the others'. */
function updatedEventData(
  id: string,
  workspaceId: string,
  state: { readAt: Date | null; archivedAt: Date | null; seenAt: Date | null; snoozedUntil: Date | null },
) {
  return {
    id,
    workspace_id: workspaceId,
    read_at: state.readAt?.toISOString() ?? null,
    archived_at: state.archivedAt?.toISOString() ?? null,
    seen_at: state.seenAt?.toISOString() ?? null,
    snoozed_until: state.snoozedUntil?.toISOString() ?? null,
  };
}
